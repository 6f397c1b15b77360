import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { fieldErrors } from "../api/errors.ts";

/**
 * Puts the server's BAD_USER_INPUT errors on the fields they name. Returns true when every error
 * found a field, false when the form should also show the error as a whole.
 */
export function showServerFieldErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
): boolean {
  const byField = fieldErrors(error);
  const names = Object.keys(byField);
  if (names.length === 0) return false;
  let placed = true;
  for (const name of names) {
    const field = fields.find((candidate) => candidate === name || candidate.endsWith(`.${name}`));
    if (field) setError(field, { type: "server", message: byField[name] });
    else placed = false;
  }
  return placed;
}

/** What the forms take for an email address (the server checks it properly). */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

/** react-hook-form's pattern rule for an email field. */
export const EMAIL_RULE = { value: EMAIL_PATTERN, message: "Enter an email address like name@example.com" };
