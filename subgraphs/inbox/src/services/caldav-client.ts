// One CalDAV calendar collection (RFC 4791) over HTTP Basic auth, through tsdav's request
// helpers: list its objects, follow its changes (RFC 6578 sync-collection, else ETags), and
// write with preconditions so concurrent edits surface as conflicts instead of being lost.
import { createHash } from "node:crypto";
import {
  createObject,
  davRequest,
  deleteObject,
  propfind,
  syncCollection,
  updateObject,
  type DAVResponse,
} from "tsdav";

export interface CalDavConnectOptions {
  /** A calendar collection, or a home / principal / server URL to discover calendars from. */
  url: string;
  username: string;
  password: string;
  /** Each request's limit (default 15 s). */
  timeoutMs?: number;
  /** When discovering: the calendar with this display name (default: the first, by href). */
  displayName?: string;
  /** "auto" (default): sync-collection when the server offers it; "etags": list and compare ETags. */
  sync?: "auto" | "etags";
}

/** A calendar object resource: its absolute URL, ETag and iCalendar text. */
export interface CalDavObject {
  href: string;
  etag: string;
  ics: string;
}

export interface CalDavChanges {
  /** Pass to the next changes() call. */
  syncToken: string;
  /** Objects added or changed since the token, with their data. */
  changed: CalDavObject[];
  /** Hrefs of objects removed since the token. */
  removed: string[];
  /**
   * True when `changed` is the whole collection (first sync, or the token was no longer valid and
   * no known ETags were given): what the caller holds and is not in it was removed.
   */
  full: boolean;
}

export class CalDavError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or null for a timeout or a network failure. */
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = "CalDavError";
  }
}

/** The server refused the user name or password (401). */
export class CalDavAuthError extends CalDavError {
  constructor(message: string) {
    super(message, 401);
    this.name = "CalDavAuthError";
  }
}

/** The URL is not there, not readable by this user, or not a calendar. */
export class CalDavNotFoundError extends CalDavError {
  constructor(message: string, status: number | null = 404) {
    super(message, status);
    this.name = "CalDavNotFoundError";
  }
}

/**
 * A write lost a race: the object changed since its ETag was read, or already exists (412), or
 * another object in the calendar has this UID (409 no-uid-conflict). Re-read, then decide.
 */
export class CalDavConflictError extends CalDavError {
  constructor(
    message: string,
    readonly reason: "etag" | "uid",
    status: number,
  ) {
    super(message, status);
    this.name = "CalDavConflictError";
  }
}

const DEFAULT_TIMEOUT_MS = 15_000;
const MULTIGET_BATCH = 100;
const CTAG_TOKEN = "ctag:";

const NS = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/"';
const COLLECTION_PROPS = {
  "d:resourcetype": {},
  "d:displayname": {},
  "d:current-user-principal": {},
  "d:supported-report-set": {},
  "c:calendar-home-set": {},
  "c:supported-calendar-component-set": {},
};

/** Credentials and the timeout every request of one connection carries. */
class DavHttp {
  readonly headers: Record<string, string>;

  constructor(
    username: string,
    password: string,
    readonly timeoutMs: number,
  ) {
    this.headers = { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` };
  }

  /** Runs one request with a fresh timeout; a timeout or network failure becomes a CalDavError. */
  async run<T>(what: string, request: (fetchOptions: RequestInit) => Promise<T>): Promise<T> {
    try {
      return await request({ signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      if (error instanceof CalDavError) throw error;
      const name = (error as Error).name;
      if (name === "TimeoutError" || name === "AbortError") {
        throw new CalDavError(`${what}: the CalDAV server did not answer within ${this.timeoutMs} ms`);
      }
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      throw new CalDavError(`${what}: the CalDAV server could not be reached (${cause})`);
    }
  }

  propfind(url: string, props: Record<string, object>, depth: "0" | "1"): Promise<DAVResponse[]> {
    return this.run(`PROPFIND ${url}`, (fetchOptions) =>
      propfind({ url, props, depth, headers: this.headers, fetchOptions }),
    ).then((responses) => checked(responses, `PROPFIND ${url}`));
  }

  report(url: string, body: string, depth: "0" | "1"): Promise<DAVResponse[]> {
    return this.run(`REPORT ${url}`, (fetchOptions) =>
      davRequest({
        url,
        init: { method: "REPORT", headers: { ...this.headers, depth }, body },
        convertIncoming: false,
        fetchOptions,
      }),
    );
  }
}

/**
 * A request that failed as a whole comes back from tsdav as one response without props: turn it
 * into the error it means. A multistatus is returned, minus entries without href.
 */
function checked(responses: DAVResponse[], what: string): DAVResponse[] {
  const [first] = responses;
  if (first && responses.length === 1 && !("props" in first) && !first.ok) throw statusError(first.status, what);
  return responses.filter((response) => response.href);
}

function statusError(status: number | undefined, what: string): CalDavError {
  if (status === 401) return new CalDavAuthError(`${what}: the CalDAV server refused the user name or password`);
  if (status === 403) return new CalDavNotFoundError(`${what}: this user may not read it`, 403);
  if (status === 404) return new CalDavNotFoundError(`${what}: not found`);
  return new CalDavError(`${what}: the CalDAV server answered ${status ?? "nothing"}`, status ?? null);
}

export class CalDavCalendar {
  private constructor(
    /** The collection's URL (with a trailing slash). */
    readonly url: string,
    readonly displayName: string | null,
    /** Whether changes() uses sync-collection (RFC 6578) rather than comparing ETags. */
    readonly usesSyncCollection: boolean,
    private readonly http: DavHttp,
  ) {}

  /**
   * Logs in and finds the calendar: `url` itself when it is a calendar collection, else one under
   * the calendar home (calendar-home-set, else the current-user-principal, else `url`).
   */
  static async connect(options: CalDavConnectOptions): Promise<CalDavCalendar> {
    const http = new DavHttp(options.username, options.password, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const url = collectionUrl(options.url);
    const here = responseFor(await http.propfind(url, COLLECTION_PROPS, "0"), url);
    if (!here) throw new CalDavNotFoundError(`PROPFIND ${url}: the server did not describe it`);
    const found = isCalendar(here) ? { ...here, href: url } : await discover(http, url, here, options.displayName);
    const name = displayNameOf(found);
    const sync = options.sync !== "etags" && reportsOf(found).includes("syncCollection");
    return new CalDavCalendar(normalizeHref(new URL(found.href!, url).href), name, sync, http);
  }

  /** Every object in the collection, with its data. */
  async list(): Promise<CalDavObject[]> {
    const body = xml(
      `<c:calendar-query ${NS}><d:prop><d:getetag/><c:calendar-data/></d:prop>` +
        `<c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>`,
    );
    const responses = checked(await this.http.report(this.url, body, "1"), `REPORT ${this.url}`);
    return responses.flatMap((response) => this.objectOf(response) ?? []);
  }

  /**
   * What changed since `since` (a token from a previous call; null: everything, `full`). With
   * sync-collection the server says; else the listing is compared with `known` (href → ETag of
   * what the caller holds), or returned whole when the caller gives none.
   */
  async changes(since: string | null, known?: ReadonlyMap<string, string>): Promise<CalDavChanges> {
    if (!this.usesSyncCollection || since?.startsWith(CTAG_TOKEN)) return this.changesByEtags(since, known);
    const result = await this.syncReport(since ?? "");
    if (result) return result;
    // The server no longer knows the token: start over.
    const fresh = (await this.syncReport(""))!;
    return known ? compareWithKnown(fresh.changed, known, fresh.syncToken) : fresh;
  }

  /**
   * Writes one object: created (If-None-Match: *) when `ifMatchEtag` is null, else replaced only if
   * unchanged (If-Match). New objects are named after the UID; `options.href` writes an object
   * another client named. Returns the ETag the server gave, or reads it when it gave none.
   */
  async put(
    uid: string,
    ics: string,
    ifMatchEtag: string | null,
    options: { href?: string } = {},
  ): Promise<{ href: string; etag: string }> {
    const url = options.href ? this.resolve(options.href) : this.objectUrl(uid);
    const what = `PUT ${url}`;
    const headers = { ...this.http.headers, "content-type": "text/calendar; charset=utf-8" };
    const response = await this.http.run(what, async (fetchOptions) => {
      const answer =
        ifMatchEtag === null
          ? await createObject({ url, data: ics, headers: { ...headers, "if-none-match": "*" }, fetchOptions })
          : await updateObject({ url, data: ics, etag: ifMatchEtag, headers, fetchOptions });
      return { status: answer.status, etag: answer.headers.get("etag"), text: await answer.text() };
    });
    if (response.status === 412) {
      const why = ifMatchEtag === null ? "it exists already" : "it changed since its ETag was read";
      throw new CalDavConflictError(`${what}: ${why}`, "etag", 412);
    }
    if (response.status === 409 && response.text.includes("no-uid-conflict")) {
      throw new CalDavConflictError(`${what}: another object in the calendar has the UID ${uid}`, "uid", 409);
    }
    if (response.status < 200 || response.status >= 300) {
      if ([401, 403, 404].includes(response.status)) throw statusError(response.status, what);
      throw new CalDavError(
        `${what}: the server answered ${response.status}: ${response.text.slice(0, 300)}`,
        response.status,
      );
    }
    return { href: url, etag: response.etag ?? (await this.etagOf(url)) };
  }

  /** Removes an object if it is unchanged since `etag`. False when it was already gone. */
  async delete(href: string, etag: string): Promise<boolean> {
    const url = this.resolve(href);
    const what = `DELETE ${url}`;
    const status = await this.http.run(what, async (fetchOptions) => {
      const answer = await deleteObject({ url, etag, headers: this.http.headers, fetchOptions });
      await answer.text();
      return answer.status;
    });
    if (status === 404) return false;
    if (status === 412) throw new CalDavConflictError(`${what}: it changed since its ETag was read`, "etag", 412);
    if (status < 200 || status >= 300) throw statusError(status, what);
    return true;
  }

  /** One sync-collection report and the data of what changed; null when the token is refused. */
  private async syncReport(token: string): Promise<CalDavChanges | null> {
    const responses = await this.http.run(`REPORT ${this.url}`, (fetchOptions) =>
      syncCollection({
        url: this.url,
        props: { "d:getetag": {} },
        syncLevel: 1,
        syncToken: token,
        headers: { ...this.http.headers, depth: "1" },
        fetchOptions,
      }),
    );
    const [first] = responses;
    // RFC 6578 3.2: an unknown or expired token is 403 (or 409) with DAV:valid-sync-token.
    if (token && first && !first.ok && !("props" in first) && [403, 409].includes(first.status!)) return null;
    const members = checked(responses, `REPORT ${this.url}`);
    const syncToken = syncTokenOf(responses);
    if (!syncToken) throw new CalDavError(`REPORT ${this.url}: the server gave no sync-token`);
    const removed: string[] = [];
    const changedHrefs: string[] = [];
    for (const member of members) {
      const href = normalizeHref(new URL(member.href!, this.url).href);
      if (href === this.url) continue;
      // Radicale 3.1 also lists members deleted earlier (404) in an initial sync; a full listing has no removals.
      if (member.status === 404) {
        if (token) removed.push(href);
      } else changedHrefs.push(href);
    }
    const { objects, missing } = await this.multiget(changedHrefs);
    return { syncToken, changed: objects, removed: [...removed, ...missing], full: token === "" };
  }

  /** Without sync-collection: the ctag says whether anything changed, the ETags what. */
  private async changesByEtags(since: string | null, known?: ReadonlyMap<string, string>): Promise<CalDavChanges> {
    const [here] = await this.http.propfind(this.url, { "cs:getctag": {} }, "0");
    const ctag = here?.props?.getctag;
    const syncToken = ctag === undefined || ctag === null ? `${CTAG_TOKEN}` : `${CTAG_TOKEN}${String(ctag)}`;
    if (since !== null && since === syncToken && syncToken !== CTAG_TOKEN) {
      return { syncToken, changed: [], removed: [], full: false };
    }
    const objects = await this.list();
    return known
      ? compareWithKnown(objects, known, syncToken)
      : { syncToken, changed: objects, removed: [], full: true };
  }

  /** calendar-multiget in batches; hrefs the server no longer has are `missing`. */
  private async multiget(hrefs: string[]): Promise<{ objects: CalDavObject[]; missing: string[] }> {
    const objects: CalDavObject[] = [];
    const missing: string[] = [];
    for (let i = 0; i < hrefs.length; i += MULTIGET_BATCH) {
      const batch = hrefs.slice(i, i + MULTIGET_BATCH);
      const paths = batch.map((href) => `<d:href>${escapeXml(new URL(href).pathname)}</d:href>`).join("");
      const body = xml(
        `<c:calendar-multiget ${NS}><d:prop><d:getetag/><c:calendar-data/></d:prop>${paths}</c:calendar-multiget>`,
      );
      const responses = checked(await this.http.report(this.url, body, "1"), `REPORT ${this.url}`);
      const found = new Set<string>();
      for (const response of responses) {
        const object = this.objectOf(response);
        if (object) {
          objects.push(object);
          found.add(object.href);
        }
      }
      missing.push(...batch.filter((href) => !found.has(href)));
    }
    return { objects, missing };
  }

  private objectOf(response: DAVResponse): CalDavObject | null {
    const etag = response.props?.getetag;
    const data = response.props?.calendarData;
    const ics = typeof data === "object" && data !== null ? (data._cdata ?? data._text) : data;
    if (!response.ok || etag === undefined || typeof ics !== "string") return null;
    return { href: normalizeHref(new URL(response.href!, this.url).href), etag: String(etag), ics };
  }

  private async etagOf(url: string): Promise<string> {
    const [response] = await this.http.propfind(url, { "d:getetag": {} }, "0");
    const etag = response?.props?.getetag;
    if (etag === undefined || etag === null) throw new CalDavError(`PROPFIND ${url}: the server gave no ETag`);
    return String(etag);
  }

  /** `<uid>.ics` when the UID is a plain file name, else a hash of it (UIDs may hold '/' or spaces). */
  private objectUrl(uid: string): string {
    const name = /^[A-Za-z0-9][A-Za-z0-9._@+=-]{0,150}$/.test(uid)
      ? uid
      : createHash("sha256").update(uid).digest("hex");
    return `${this.url}${encodeURIComponent(name)}.ics`;
  }

  /** An href of this collection, made absolute; anything elsewhere is refused (it would get our credentials). */
  private resolve(href: string): string {
    const url = normalizeHref(new URL(href, this.url).href);
    if (!url.startsWith(this.url) || url === this.url) throw new Error(`${href} is not an object of ${this.url}`);
    return url;
  }
}

/** The calendars under the home, and the one asked for (by display name) or the first. */
async function discover(
  http: DavHttp,
  url: string,
  here: DAVResponse,
  displayName: string | undefined,
): Promise<DAVResponse> {
  let home = hrefOf(here.props?.calendarHomeSet);
  const principal = hrefOf(here.props?.currentUserPrincipal);
  if (!home && principal) {
    const principalUrl = new URL(principal, url).href;
    const described = responseFor(await http.propfind(principalUrl, { "c:calendar-home-set": {} }, "0"), principalUrl);
    home = hrefOf(described?.props?.calendarHomeSet) ?? principal;
  }
  const homeUrl = collectionUrl(new URL(home ?? url, url).href);
  const calendars = (await http.propfind(homeUrl, COLLECTION_PROPS, "1"))
    .filter((response) => isCalendar(response) && holdsEvents(response))
    .sort((a, b) => a.href!.localeCompare(b.href!));
  const chosen = displayName === undefined ? calendars[0] : calendars.find((c) => displayNameOf(c) === displayName);
  if (!chosen) {
    const which = displayName === undefined ? "no calendar" : `no calendar named "${displayName}"`;
    throw new CalDavNotFoundError(`${which} under ${homeUrl}`);
  }
  return chosen;
}

function responseFor(responses: DAVResponse[], url: string): DAVResponse | undefined {
  const path = normalizeHref(url);
  return responses.find((r) => normalizeHref(new URL(r.href!, url).href) === path) ?? responses[0];
}

const isCalendar = (response: DAVResponse) => Object.keys(response.props?.resourcetype ?? {}).includes("calendar");

/** Whether the calendar takes VEVENTs (a task list does not); no component set means all. */
function holdsEvents(response: DAVResponse): boolean {
  const comp = response.props?.supportedCalendarComponentSet?.comp;
  if (!comp) return true;
  const comps = Array.isArray(comp) ? comp : [comp];
  return comps.some((c) => String(c?._attributes?.name ?? "").toUpperCase() === "VEVENT");
}

function reportsOf(response: DAVResponse): string[] {
  const reports = response.props?.supportedReportSet?.supportedReport;
  const list = Array.isArray(reports) ? reports : reports ? [reports] : [];
  return list.flatMap((entry) => (entry?.report ? Object.keys(entry.report) : []));
}

function displayNameOf(response: DAVResponse): string | null {
  const name = response.props?.displayname;
  const text = typeof name === "object" && name !== null ? (name._cdata ?? name._text) : name;
  return text === undefined || text === null || text === "" ? null : String(text);
}

function hrefOf(property: any): string | null {
  const href = property?.href;
  const first = Array.isArray(href) ? href[0] : href;
  return typeof first === "string" && first !== "" ? first : null;
}

function syncTokenOf(responses: DAVResponse[]): string | null {
  const token = (responses[0]?.raw as any)?.multistatus?.syncToken;
  return token === undefined || token === null ? null : String(token);
}

function compareWithKnown(
  objects: CalDavObject[],
  known: ReadonlyMap<string, string>,
  syncToken: string,
): CalDavChanges {
  const present = new Set(objects.map((object) => object.href));
  const removed = [...known.keys()].map(normalizeHref).filter((href) => !present.has(href));
  const changed = objects.filter((object) => known.get(object.href) !== object.etag);
  return { syncToken, changed, removed, full: false };
}

/** An http(s) collection URL with a trailing slash. */
function collectionUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error(`${url} is not an http(s) URL`);
  const normalized = normalizeHref(parsed.href);
  return normalized.endsWith("/") ? normalized : `${normalized}/`;
}

/** One spelling per URL: servers and we encode path segments differently (%40 or @). */
function normalizeHref(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname
    .split("/")
    .map((segment) => encodeURIComponent(safeDecode(segment)))
    .join("/");
  return `${parsed.origin}${path}`;
}

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

const xml = (body: string) => `<?xml version="1.0" encoding="utf-8"?>${body}`;

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
