import { classifyNoAnswer, classifyStatus, retryAfterMs } from "./network-failure.ts";
import { NetworkError } from "./provider.ts";

/** A Mastodon-API account (Mastodon, GoToSocial, …), the fields Mary reads. */
export interface MastodonAccount {
  id: string;
  username: string;
  /** `user` for the instance's own accounts, `user@domain` for others. */
  acct: string;
  display_name?: string;
  url?: string;
  avatar?: string;
}

export interface MastodonStatus {
  id: string;
  created_at: string;
  url?: string | null;
  uri?: string;
  content?: string;
  /** The plain-text source: GoToSocial returns it on every status, Mastodon only on deleted ones. */
  text?: string | null;
  replies_count?: number;
  reblogs_count?: number;
  favourites_count?: number;
  application?: { name?: string } | null;
}

export interface MastodonInstance {
  /** The instance's domain (v1: `uri`), which its accounts' addresses end in. */
  uri?: string;
  /** Newer servers name it `domain`. */
  domain?: string;
  account_domain?: string;
  configuration?: { statuses?: { max_characters?: number } };
  max_toot_chars?: number;
}

export interface MastodonRequest {
  token?: string;
  /** application/x-www-form-urlencoded for the OAuth endpoints, JSON otherwise. */
  form?: Record<string, string>;
  json?: unknown;
  query?: Record<string, string | undefined>;
  idempotencyKey?: string;
}

export interface MastodonResponse<T> {
  body: T;
  headers: Headers;
}

/**
 * The instance's REST API over fetch: one timeout per call, and every failure a NetworkError the
 * queue acts on (401/403 auth, 422 refused with the server's reason, 429 and 5xx retryable with
 * Retry-After, a lost answer to a write unknown).
 */
export class MastodonApi {
  constructor(
    readonly origin: string,
    private readonly timeoutMs: number,
  ) {}

  async call<T>(method: string, path: string, request: MastodonRequest = {}): Promise<MastodonResponse<T>> {
    const url = new URL(path, this.origin);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    const headers: Record<string, string> = { accept: "application/json" };
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    if (request.idempotencyKey) headers["idempotency-key"] = request.idempotencyKey;
    let body: string | undefined;
    if (request.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(request.form).toString();
    } else if (request.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(request.json);
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw classifyNoAnswer(error, method !== "GET");
    }
    const text = await response.text().catch(() => "");
    if (!response.ok) {
      throw classifyStatus(response.status, reasonOf(text), retryAfterMs(response.headers));
    }
    try {
      return { body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
    } catch {
      throw new NetworkError(`HTTP ${response.status}: the instance's answer is not JSON`, "retryable");
    }
  }
}

/** The server's own words for a refusal: Mastodon's and GoToSocial's `{"error": …}`, else the text. */
function reasonOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    const parts = [body.error, body.error_description].filter((part) => typeof part === "string" && part);
    if (parts.length) return parts.join(": ");
  } catch {
    // not JSON
  }
  return text.slice(0, 300).trim();
}

/** The `max_id` of a Link header's rel="next" (how Mastodon pages lists), or null at the end. */
export function nextMaxId(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (!match?.[1]) continue;
    try {
      return new URL(match[1]).searchParams.get("max_id");
    } catch {
      return null;
    }
  }
  return null;
}

/** An instance URL as its origin: https only, unless http is allowed (local test networks). */
export function instanceOrigin(url: string, allowHttp: boolean): string {
  let parsed: URL;
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim()) ? url.trim() : `https://${url.trim()}`);
  } catch {
    throw new NetworkError(`Not an instance address: ${url}`, "refused");
  }
  if (parsed.protocol !== "https:" && !(allowHttp && parsed.protocol === "http:")) {
    throw new NetworkError(`The instance must be https:// (got ${parsed.protocol})`, "refused");
  }
  if (parsed.username || parsed.password) throw new NetworkError("An instance address has no credentials", "refused");
  return parsed.origin;
}

/** The domain an instance's own accounts are addressed at (`alice@<domain>`). */
export function accountDomainOf(instance: MastodonInstance, origin: string): string {
  const named = instance.account_domain ?? instance.domain ?? instance.uri;
  if (named)
    return named
      .replace(/^https?:\/\//, "")
      .replace(/\/.*$/, "")
      .toLowerCase();
  return new URL(origin).host.toLowerCase();
}

/** An account's full address, user@domain, lower-cased: the same person whichever instance describes them. */
export function canonicalAcct(account: Pick<MastodonAccount, "acct">, localDomain: string): string {
  const acct = account.acct.replace(/^@/, "").toLowerCase();
  return acct.includes("@") ? acct : `${acct}@${localDomain}`;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'", nbsp: " " };

/**
 * A status's text as the author typed it, for recognising a post Mary sent: GoToSocial's `text`
 * source when given, else the HTML content with paragraphs and line breaks as newlines, tags
 * dropped (Mastodon's link spans keep the whole URL as text) and entities decoded; whitespace is
 * collapsed on both sides of the comparison.
 */
export function statusText(status: Pick<MastodonStatus, "text" | "content">): string {
  if (typeof status.text === "string" && status.text) return normalizeText(status.text);
  const html = (status.content ?? "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>\s*<p>/gi, "\n\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith("#x")) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith("#") && name !== "#39") return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
  return normalizeText(html);
}

export const normalizeText = (text: string) => text.replace(/\s+/g, " ").trim();
