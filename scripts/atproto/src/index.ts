// A local AT Protocol network on loopback: the reference PDS (@atproto/pds) and a PLC directory
// (@did-plc/server, in memory) that registers its accounts' DIDs, as @atproto/dev-env's
// TestNetworkNoAppView sets them up, without the App View. Every start is a new network:
// accounts live as long as the process.
//
//   const pds = await startPds();                 // random free ports, data in a temporary folder
//   const alice = await pds.createAccount("alice.test", "a-password");
//   ... XRPC on pds.url (com.atproto.server.createSession, com.atproto.repo.createRecord, ...)
//   await pds.close();
//
// Handles end in `.test` (the PDS's only handle domain). better-sqlite3 must have been compiled
// first: `scripts/services up` does it (build-native.ts).
import { once } from "node:events";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Secp256k1Keypair } from "@atproto/crypto";
import { PDS } from "@atproto/pds";
import { Database as PlcDatabase, PlcServer } from "@did-plc/server";

export interface StartPdsOptions {
  /** Loopback address to listen on (default 127.0.0.1). */
  host?: string;
  /** The PDS's port (default: a free one). */
  port?: number;
  /** The PLC directory's port (default: a free one). */
  plcPort?: number;
  /** Where the PDS keeps its SQLite files and blobs; emptied at start. Default: a temporary folder, removed by close(). */
  dataDir?: string;
  /** The admin password (HTTP Basic `admin:<password>` on com.atproto.admin.*). */
  adminPassword?: string;
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
  const plcUrl = `http://${host}:${(plcHttp.address() as AddressInfo).port}`;

  let pdsHttp: Server | undefined;
  let pds: PDS | undefined;
  try {
    // The PDS reads its port from its config before listening: pick a free one first.
    let port = options.port ?? 0;
    if (port === 0) {
      const probe = await listen(() => undefined, host, 0);
      port = (probe.address() as AddressInfo).port;
      await closeServer(probe);
    }
    const rotationKey = await Secp256k1Keypair.create({ exportable: true });
    pds = await PDS.fromEnv({
      devMode: true, // plain HTTP, no SSRF protection, no email checks
      port,
      hostname: "localhost", // the PDS's public URL is then http://localhost:<port>
      dataDirectory: dataDir,
      blobstoreDiskLocation: join(dataDir, "blobs"),
      didPlcUrl: plcUrl,
      plcRotationKeyK256PrivateKeyHex: Buffer.from(await rotationKey.export()).toString("hex"),
      recoveryDidKey: (await Secp256k1Keypair.create()).did(),
      adminPassword,
      jwtSecret: "mary-local-pds-jwt-secret",
      serviceHandleDomains: [".test"],
      inviteRequired: false,
      disableSsrfProtection: true,
      serviceName: "Mary local PDS",
      // No App View or moderation service here: app.bsky.* reads that the PDS would proxy fail,
      // repo writes (posts, follows, likes) are the PDS's own and work.
      bskyAppViewUrl: "https://appview.invalid",
      bskyAppViewDid: "did:example:invalid",
      modServiceUrl: "https://moderator.invalid",
      modServiceDid: "did:example:invalid",
    });
    // PDS.start() also listens on every interface: the same steps, on loopback.
    await pds.ctx.sequencer.start();
    pdsHttp = await listen(pds.app, host, port);
  } catch (error) {
    if (pdsHttp) await closeServer(pdsHttp);
    await pds?.ctx.destroy().catch(() => undefined);
    await closeServer(plcHttp);
    await plcServer.ctx.db.close();
    throw error;
  }
  const url = `http://${host}:${(pdsHttp.address() as AddressInfo).port}`;
  const server = pds;
  const http = pdsHttp;

  return {
    url,
    plcUrl,
    handleDomain: ".test",
    adminPassword,
    async createAccount(handle, password, email = `${handle.split(".")[0]}@mary.test`) {
      const session = await xrpc<{ did: string; handle: string; accessJwt: string; refreshJwt: string }>(
        url,
        "com.atproto.server.createAccount",
        { body: { handle, password, email } },
      );
      return { ...session, email, password };
    },
    async close() {
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
