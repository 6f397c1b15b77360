import { badUserInput, isEmailAddress } from "@mary/kit";

/** Lower-cases and checks an email address. */
export function normalizeEmail(email: string): string {
  const value = email.trim().toLowerCase();
  if (!isEmailAddress(value)) throw badUserInput("Email address is not valid", "email");
  return value;
}

/** At least 10 characters, with a letter and something that is not a letter. */
export function checkPassword(password: string): void {
  if (password.length < 10 || password.length > 200 || !/\p{L}/u.test(password) || !/[^\p{L}]/u.test(password)) {
    throw badUserInput(
      "Password is too weak: use 10 to 200 characters with at least one letter and one digit or symbol",
      "password",
    );
  }
}

/** Trims a display name and checks its length. */
export function checkName(value: string, field: string, max = 100): string {
  const name = value.trim();
  if (name.length < 1 || name.length > max) throw badUserInput(`${field} must be 1 to ${max} characters`, field);
  return name;
}
