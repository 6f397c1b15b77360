import { badUserInput } from "./errors.ts";
import { isUuid } from "./ids.ts";
import { pageRequest, type PageArgs, type PageRequest } from "./pagination.ts";

/** A page request whose cursor points into a list sorted by a timestamp, then by id. */
export function timePage(args: PageArgs): PageRequest {
  const request = pageRequest(args);
  if (request.after) {
    const [value, id] = request.after;
    if (typeof value !== "string" || Number.isNaN(Date.parse(value)) || !isUuid(id)) {
      throw badUserInput("`after` is not a cursor from this list", "after");
    }
  }
  return request;
}

/** An id argument of a UUID-keyed record: anything else is the caller's mistake, not a database error. */
export function checkId(value: string, field: string): string {
  if (!isUuid(value)) throw badUserInput(`${field} must be an ID (a UUID)`, field);
  return value.toLowerCase();
}

/** Trims a required text and checks its length. */
export function requiredText(value: string | null | undefined, field: string, max: number): string {
  const text = (value ?? "").trim();
  if (text.length < 1 || text.length > max) throw badUserInput(`${field} must be 1 to ${max} characters`, field);
  return text;
}

/** Trims an optional text; empty means none. */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  const text = (value ?? "").trim();
  if (text.length > max) throw badUserInput(`${field} must be at most ${max} characters`, field);
  return text || null;
}

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Whether a (trimmed, lower-cased) text is an email address Mary accepts: one @, a dotted domain, at most 254 characters. */
export const isEmailAddress = (value: string) => value.length <= 254 && EMAIL.test(value);
