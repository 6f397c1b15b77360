import { randomUUID } from "node:crypto";

// The local AT Protocol PDS that `scripts/services up` runs as a server of its own (handles
// *.test, a new network at every start), reached over HTTP as any client reaches a PDS. A PDS run
// inside the test process instead would bring better-sqlite3 into vitest's workers.

/** The PDS's base URL (PDS_URL; `scripts/services` serves http://127.0.0.1:2583). */
export const PDS_URL = (process.env.PDS_URL ?? "http://127.0.0.1:2583").replace(/\/+$/, "");

/** One XRPC call: a procedure (POST, JSON body) when `body` is given, else a query (GET with `params`). */
export async function xrpc<T = unknown>(
  nsid: string,
  options: { params?: Record<string, string>; body?: unknown; token?: string; method?: "GET" | "POST" } = {},
): Promise<T> {
  const url = new URL(`/xrpc/${nsid}`, PDS_URL);
  for (const [key, value] of Object.entries(options.params ?? {})) url.searchParams.set(key, value);
  const method = options.method ?? (options.body === undefined ? "GET" : "POST");
  const response = await fetch(url, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${nsid}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

export interface PdsAccount {
  did: string;
  handle: string;
  password: string;
  accessJwt: string;
  refreshJwt: string;
}

/** A new account on the PDS (com.atproto.server.createAccount), with a unique `.test` handle. */
export async function createPdsAccount(password = `pw-${randomUUID()}`): Promise<PdsAccount> {
  const handle = `m${randomUUID().replaceAll("-", "").slice(0, 12)}.test`;
  const session = await xrpc<{ did: string; handle: string; accessJwt: string; refreshJwt: string }>(
    "com.atproto.server.createAccount",
    { body: { handle, password, email: `${handle.split(".")[0]}@mary.test` } },
  );
  return { ...session, password };
}

/** The account's app.bsky.feed.post records, as the PDS lists them. */
export async function postsOnPds(did: string): Promise<{ uri: string; value: { text: string } }[]> {
  const { records } = await xrpc<{ records: { uri: string; value: { text: string } }[] }>(
    "com.atproto.repo.listRecords",
    { params: { repo: did, collection: "app.bsky.feed.post", limit: "100" } },
  );
  return records;
}
