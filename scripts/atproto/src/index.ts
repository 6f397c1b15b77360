// A local AT Protocol network on loopback, as @atproto/dev-env's TestNetwork sets one up: the
// reference PDS (@atproto/pds), a PLC directory (@did-plc/server, in memory) that registers its
// accounts' DIDs, and the reference Bluesky App View (@atproto/bsky, with its dataplane, indexer
// and bsync on PostgreSQL: appview.ts) that indexes the PDS's firehose and answers the app.bsky.*
// reads the PDS proxies to it (profiles, follows and followers, a post's likes, reposts and
// replies). No moderation service (Ozone). Every start is a new network: accounts live as long as
// the process.
//
//   const pds = await startPds();                 // random free ports, data in a temporary folder
//   const alice = await pds.createAccount("alice.test", "a-password");
//   ... XRPC on pds.url (com.atproto.server.createSession, com.atproto.repo.createRecord, ...)
//   await pds.indexed();                          // the App View has seen every write so far
//   await pds.close();
//
// Handles end in `.test` (the PDS's only handle domain). better-sqlite3 must have been compiled
// first: `scripts/services up` does it (build-native.ts). The App View needs PostgreSQL
// (`scripts/services up postgres`; its database is made if missing); `appView: false` leaves it out.
import { once } from "node:events";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Secp256k1Keypair } from "@atproto/crypto";
import { PDS } from "@atproto/pds";
import { Database as PlcDatabase, PlcServer } from "@did-plc/server";
import { reachableAt, startAppView, type AppViewOptions, type LocalAppView } from "./appview.ts";

export { DEFAULT_APPVIEW_POSTGRES_URL, type AppViewOptions } from "./appview.ts";

export interface StartPdsOptions {
  /** The address to listen on (default 127.0.0.1; 0.0.0.0 in a container, then reached on 127.0.0.1). */
  host?: string;
  /** The PDS's port (default: a free one). */
  port?: number;
  /** The PLC directory's port (default: a free one). */
  plcPort?: number;
  /** Where the PDS keeps its SQLite files and blobs; emptied at start. Default: a temporary folder, removed by close(). */
  dataDir?: string;
  /** The admin password (HTTP Basic `admin:<password>` on com.atproto.admin.*). */
  adminPassword?: string;
  /** The App View (default: on, see AppViewOptions); false: a bare PDS, whose app.bsky.* reads fail. */
  appView?: AppViewOptions | false;
}

/** An account just made on the PDS, with its first session. */
export interface PdsAccount {
  did: string;
  handle: string;
  email: string;
  password: string;
  accessJwt: string;
  refreshJwt: string;
}

export interface LocalPds {
  /** The PDS's XRPC base URL, e.g. http://127.0.0.1:2583 (XRPC under /xrpc/). */
  url: string;
  /** The PLC directory's URL. */
  plcUrl: string;
  /** The handle domain accounts must use, with its leading dot: ".test". */
  handleDomain: string;
  adminPassword: string;
  /** The App View's URL and DID (the PDS proxies app.bsky.* to it), or null without one. */
  appViewUrl: string | null;
  appViewDid: string | null;
  /**
   * Resolves once the App View has indexed everything the PDS has sequenced so far (it reads the
   * firehose asynchronously); throws after `timeoutMs` (default 10 s). At once without an App View.
   */
  indexed(timeoutMs?: number): Promise<void>;
  /** com.atproto.server.createAccount: `handle` must end in handleDomain. */
  createAccount(handle: string, password: string, email?: string): Promise<PdsAccount>;
  close(): Promise<void>;
}

/** An XRPC error answer: HTTP status, and the body's `error` and `message`. */
export class XrpcError extends Error {
  readonly status: number;
  readonly error: string | undefined;
  constructor(nsid: string, status: number, body: { error?: string; message?: string } | null) {
    super(`${nsid}: ${status} ${body?.error ?? ""} ${body?.message ?? ""}`.trim());
    this.name = "XrpcError";
    this.status = status;
    this.error = body?.error;
  }
}

/**
 * One XRPC call. A procedure (`body` given, or `method: "POST"`) is a POST with a JSON body (none
 * when `body` is absent, as refreshSession requires); a query is a GET with `params`.
 */
export async function xrpc<T = unknown>(
  service: string,
  nsid: string,
  options: {
    method?: "GET" | "POST";
    params?: Record<string, string>;
    body?: unknown;
    token?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<T> {
  const method = options.method ?? (options.body === undefined ? "GET" : "POST");
  const url = new URL(`/xrpc/${nsid}`, service);
  for (const [key, value] of Object.entries(options.params ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!response.ok) throw new XrpcError(nsid, response.status, json as { error?: string; message?: string } | null);
  return json as T;
}

async function listen(handler: RequestListener, host: string, port: number): Promise<Server> {
  const server = createServer(handler);
  server.keepAliveTimeout = 90_000;
  server.listen(port, host);
  await once(server, "listening");
  return server;
}

async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

export async function startPds(options: StartPdsOptions = {}): Promise<LocalPds> {
  const host = options.host ?? "127.0.0.1";
  const adminPassword = options.adminPassword ?? "mary-local-pds-admin";
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "mary-pds-")));
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });

  // The PLC directory: in memory, as in @atproto/dev-env. Its own start() listens on every
  // interface, so its Express app is served here on loopback only.
  const plcServer = PlcServer.create({ db: PlcDatabase.mock(), port: options.plcPort ?? 0 });
  const plcHttp = await listen(plcServer.app, host, options.plcPort ?? 0);
  const plcUrl = `http://${reachableAt(host)}:${(plcHttp.address() as AddressInfo).port}`;

  let pdsHttp: Server | undefined;
  let pds: PDS | undefined;
  let appView: LocalAppView | undefined;
  const freePort = async () => {
    const probe = await listen(() => undefined, host, 0);
    const { port } = probe.address() as AddressInfo;
    await closeServer(probe);
    return port;
  };
  try {
    // The PDS reads its port from its config before listening: pick a free one first.
    let port = options.port ?? 0;
    if (port === 0) port = await freePort();
    // The App View first: the PDS is configured with its URL and DID.
    if (options.appView !== false) {
      appView = await startAppView({
        host,
        plcUrl,
        pdsUrl: `http://${reachableAt(host)}:${port}`,
        handleDomains: [".test"],
        adminPassword,
        appView: options.appView ?? {},
        freePort,
      });
    }
    const rotationKey = await Secp256k1Keypair.create({ exportable: true });
    pds = await PDS.fromEnv({
      devMode: true, // plain HTTP, no SSRF protection, no email checks
      port,
      hostname: "localhost", // the PDS's public URL is then http://localhost:<port>
      dataDirectory: dataDir,
      blobstoreDiskLocation: join(dataDir, "blobs"),
      // By name: the PDS's DID resolution (its SSRF-safe fetch) refuses an IP literal.
      didPlcUrl: plcUrl.replace("//127.0.0.1:", "//localhost:"),
      plcRotationKeyK256PrivateKeyHex: Buffer.from(await rotationKey.export()).toString("hex"),
      recoveryDidKey: (await Secp256k1Keypair.create()).did(),
      adminPassword,
      jwtSecret: "mary-local-pds-jwt-secret",
      serviceHandleDomains: [".test"],
      inviteRequired: false,
      disableSsrfProtection: true,
      serviceName: "Mary local PDS",
      // app.bsky.* reads are proxied to the App View (with a service-auth token for the account).
      // Without one they fail; repo writes (posts, follows, likes) are the PDS's own and work.
      bskyAppViewUrl: appView?.url ?? "https://appview.invalid",
      bskyAppViewDid: appView?.did ?? "did:example:invalid",
      // No moderation service here.
      modServiceUrl: "https://moderator.invalid",
      modServiceDid: "did:example:invalid",
    });
    // PDS.start() also listens on every interface: the same steps, on loopback. Through the
    // Express app's own listen(), which XRPC wraps to serve subscriptions (the firehose) too.
    await pds.ctx.sequencer.start();
    const listening: Server = pds.app.listen(port, host);
    listening.keepAliveTimeout = 90_000;
    pdsHttp = listening;
    await once(listening, "listening");
    appView?.subscribe(`http://${reachableAt(host)}:${port}`);
  } catch (error) {
    await appView?.close().catch(() => undefined);
    if (pdsHttp) await closeServer(pdsHttp);
    await pds?.ctx.destroy().catch(() => undefined);
    await closeServer(plcHttp);
    await plcServer.ctx.db.close();
    throw error;
  }
  const url = `http://${reachableAt(host)}:${(pdsHttp.address() as AddressInfo).port}`;
  const server = pds;
  const http = pdsHttp;
  const indexer = appView;

  return {
    url,
    plcUrl,
    handleDomain: ".test",
    adminPassword,
    appViewUrl: indexer?.url ?? null,
    appViewDid: indexer?.did ?? null,
    async indexed(timeoutMs = 10_000) {
      await indexer?.caughtUp(() => server.ctx.sequencer.curr(), timeoutMs);
    },
    async createAccount(handle, password, email = `${handle.split(".")[0]}@mary.test`) {
      const session = await xrpc<{ did: string; handle: string; accessJwt: string; refreshJwt: string }>(
        url,
        "com.atproto.server.createAccount",
        { body: { handle, password, email } },
      );
      return { ...session, email, password };
    },
    async close() {
      // The App View first: its firehose connection to the PDS (a WebSocket, which the HTTP
      // server's closeAllConnections leaves open) would hold the PDS's server.close() forever.
      await indexer?.close();
      await closeServer(http);
      await server.ctx.destroy();
      await closeServer(plcHttp);
      await plcServer.ctx.db.close();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * An AT Protocol TID (timestamp identifier), the record key app.bsky.feed.post and
 * app.bsky.graph.follow require: 13 characters of base32-sortable, from microseconds since the
 * epoch (53 bits) and a clock id (10 bits). The same inputs give the same key, which is what makes
 * a repeated createRecord collide instead of posting twice.
 */
export function tid(microseconds: bigint, clockId: number): string {
  const alphabet = "234567abcdefghijklmnopqrstuvwxyz";
  let value = ((microseconds & ((1n << 53n) - 1n)) << 10n) | BigInt(clockId & 1023);
  let out = "";
  for (let i = 0; i < 13; i++) {
    out = alphabet[Number(value & 31n)]! + out;
    value >>= 5n;
  }
  return out;
}
