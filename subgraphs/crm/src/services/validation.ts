import { domainToASCII } from "node:url";
import { badUserInput, isEmailAddress } from "@mary/kit";

const PHONE = /^[0-9 +\-().]+$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_CUSTOM_FIELD_KEYS = 50;
const MAX_CUSTOM_FIELD_BYTES = 8 * 1024;

/** Lower-cases, checks and de-duplicates a list, keeping the first-seen order. */
function uniqueList(values: string[], field: string, max: number, check: (value: string) => string): string[] {
  const list = [...new Set(values.map(check))];
  if (list.length > max) throw badUserInput(`At most ${max} ${field} are allowed`, field);
  return list;
}

export const normalizeEmails = (emails: string[]) =>
  uniqueList(emails, "emails", 10, (email) => {
    const value = email.trim().toLowerCase();
    if (!isEmailAddress(value)) throw badUserInput(`"${email}" is not a valid email`, "emails");
    return value;
  });

export const normalizeTags = (tags: string[]) =>
  uniqueList(tags, "tags", 20, (tag) => {
    const value = tag.trim().toLowerCase();
    if (value.length < 1 || value.length > 40) throw badUserInput("Each tag must be 1 to 40 characters", "tags");
    return value;
  });

export function normalizePhones(phones: string[]): string[] {
  if (phones.length > 10) throw badUserInput("At most 10 phones are allowed", "phones");
  return phones.map((phone) => {
    const value = phone.trim();
    if (value.length < 1 || value.length > 40 || !PHONE.test(value)) {
      throw badUserInput("A phone is up to 40 digits, spaces and + - ( ) .", "phones");
    }
    return value;
  });
}

/** The workspace's own fields: a JSON object of at most 50 keys and 8 KB. */
export function checkCustomFields(fields: Record<string, unknown>): Record<string, unknown> {
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
    throw badUserInput("customFields must be a JSON object", "customFields");
  }
  if (Object.keys(fields).length > MAX_CUSTOM_FIELD_KEYS) {
    throw badUserInput(`customFields may have at most ${MAX_CUSTOM_FIELD_KEYS} keys`, "customFields");
  }
  if (Buffer.byteLength(JSON.stringify(fields)) > MAX_CUSTOM_FIELD_BYTES) {
    throw badUserInput("customFields may be at most 8 KB as JSON", "customFields");
  }
  return fields;
}

/**
 * A web domain as its lower-case hostname: "https://Acme.com/about" becomes "acme.com", and an
 * international name its ASCII (punycode) form, so one domain has one spelling.
 */
export function normalizeDomain(value: string | null | undefined): string | null {
  const text = (value ?? "").trim().toLowerCase();
  if (!text) return null;
  const name = text
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
    .replace(/[/?#].*$/, "")
    .replace(/:\d+$/, "")
    .replace(/\.$/, "");
  const host = domainToASCII(name);
  if (!HOSTNAME.test(host)) throw badUserInput(`"${value}" is not a domain such as acme.com`, "domain");
  return host;
}

/** An ILIKE pattern matching the term anywhere, with its wildcards taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** A search term, trimmed; null when there is nothing to search for. */
export function searchTerm(value: string | null | undefined): string | null {
  const term = (value ?? "").trim().toLowerCase();
  if (term.length > 200) throw badUserInput("search must be at most 200 characters", "search");
  return term || null;
}
