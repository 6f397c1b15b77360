// The reference Bluesky App View (@atproto/bsky) for the local network, as @atproto/dev-env's
// TestNetwork runs it beside its PDS: the App View's XRPC server, its dataplane (the gRPC service
// over PostgreSQL that the server reads through), the indexer (a subscription to the PDS's
// firehose that writes every record into the dataplane's tables) and bsync (mutes, bookmarks and
// notification state, on the same PostgreSQL). The PDS proxies app.bsky.* reads to it, so likes,
// reposts, replies, followers and profiles of other repositories are answered as on Bluesky.
//
// Everything listens on the given address (loopback, or a container's 0.0.0.0). Its tables are in a PostgreSQL schema of its
// own (bsync's in `<schema>_bsync`), dropped and made again at every start: the PDS and the PLC
// directory are new at every start, and so is what the App View knows of them.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { request } from "node:http";
import type { Server } from "node:http";
import {
  BskyAppView,
  BsyncSubscription,
  DataPlaneServer,
  Database,
  RepoSubscription,
  ServerConfig,
} from "@atproto/bsky";
import { BsyncService, envToCfg as bsyncConfig } from "@atproto/bsync";
import { Secp256k1Keypair } from "@atproto/crypto";
import { Client as PlcClient } from "@did-plc/lib";
import pg from "pg";

export interface AppViewOptions {
  /** The PostgreSQL database (made if missing). Default: BSKY_DB_POSTGRES_URL, else postgres://mary:mary@127.0.0.1:5432/bsky. */
  postgresUrl?: string;
  /** The App View's schema, emptied at start. Default: a new one per start, dropped by close(). */
  schema?: string;
  /** The App View's XRPC port (default: a free one). */
  port?: number;
  /** Its dataplane's port (default: a free one). */
  dataplanePort?: number;
  /** Its bsync's port (default: a free one). */
  bsyncPort?: number;
}

export const DEFAULT_APPVIEW_POSTGRES_URL = "postgres://mary:mary@127.0.0.1:5432/bsky";

/** An App View started, not yet reading a PDS's firehose (subscribe does). */
export interface LocalAppView {
  url: string;
  did: string;
  /** Starts indexing the PDS's firehose (com.atproto.sync.subscribeRepos on `pdsUrl`). */
  subscribe(pdsUrl: string): void;
  /** Resolves once the indexer has processed every event up to `seq` (the PDS's latest), or throws after `timeoutMs`. */
  caughtUp(seq: () => Promise<number | null>, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

type IdResolver = DataPlaneServer["idResolver"];

/** The address to reach a server listening on `host` at: a wildcard one (0.0.0.0, a container's) on loopback. */
export const reachableAt = (host: string) => (host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host);

const randomLetters = (n: number) =>
  Array.from(randomBytes(n), (byte) => String.fromCharCode(97 + (byte % 26))).join("");

/** Waits (until the deadline) for PostgreSQL to accept connections, then makes the database if it is missing. */
async function ensureDatabase(url: string, timeoutMs = 60_000): Promise<void> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  if (!database) throw new Error(`appview: ${url} names no database`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: admin.toString() });
    try {
      await client.connect();
      const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
      if (!rowCount) {
        await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`).catch((error: { code?: string }) => {
          // Made meanwhile by another start: 42P04 duplicate_database, or the catalog's unique index.
          if (error.code !== "42P04" && error.code !== "23505") throw error;
        });
      }
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // Not up yet (refused), or starting or recovering (57P03 cannot_connect_now).
      const starting = code === "ECONNREFUSED" || code === "57P03" || code === "ECONNRESET";
      if (!starting || Date.now() > deadline) throw error;
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((done) => setTimeout(done, 250));
  }
}

async function dropSchemas(url: string, schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

async function listen(server: Server, host: string, port: number): Promise<void> {
  server.listen(port, host);
  await once(server, "listening");
}

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/**
 * Handles on the PDS's domains resolve against the PDS (its /.well-known/atproto-did for that
 * host), as @atproto/dev-env does: `alice.test` has no DNS record and no web server of its own.
 * Other handles resolve as usual.
 */
function resolveHandlesOn(idResolver: IdResolver, pdsUrl: string, domains: string[]): void {
  const original = idResolver.handle.resolve.bind(idResolver.handle);
  idResolver.handle.resolve = async (handle: string) => {
    if (!domains.some((domain) => handle.endsWith(domain))) return original(handle);
    return new Promise<string | undefined>((resolve) => {
      const req = request(new URL("/.well-known/atproto-did", pdsUrl), { headers: { host: handle } }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve(res.statusCode === 200 && body.startsWith("did:") ? body.trim() : undefined));
        res.on("error", () => resolve(undefined));
      });
      req.on("error", () => resolve(undefined));
      req.setTimeout(5_000, () => req.destroy());
      req.end();
    });
  };
}

/**
 * Starts the App View for a PDS that will serve on `pdsUrl` (its handles on `handleDomains`):
 * registers the App View's DID (did:plc, with its #bsky_appview service) in the PLC directory,
 * migrates its schemas, and serves the dataplane, bsync and the App View.
 */
export async function startAppView(options: {
  host: string;
  plcUrl: string;
  pdsUrl: string;
  handleDomains: string[];
  adminPassword: string;
  appView: AppViewOptions;
  /** Picks a free port on the host (for those not given). */
  freePort: () => Promise<number>;
}): Promise<LocalAppView> {
  const { host, plcUrl } = options;
  const postgresUrl = options.appView.postgresUrl ?? process.env.BSKY_DB_POSTGRES_URL ?? DEFAULT_APPVIEW_POSTGRES_URL;
  const ownSchema = options.appView.schema === undefined;
  // @atproto/bsky takes letters and underscores only.
  const schema = options.appView.schema ?? `appview_test_${randomLetters(10)}`;
  if (!/^[A-Za-z_]+$/.test(schema)) throw new Error(`appview: the schema '${schema}' must be letters and underscores`);
  const bsyncSchema = `${schema}_bsync`;
  const port = options.appView.port ?? (await options.freePort());
  const dataplanePort = options.appView.dataplanePort ?? (await options.freePort());
  const bsyncPort = options.appView.bsyncPort ?? (await options.freePort());
  const url = `http://${reachableAt(host)}:${port}`;

  await ensureDatabase(postgresUrl);
  await dropSchemas(postgresUrl, [schema, bsyncSchema]);

  // Its identity: a did:plc whose #bsky_appview service is this server (what the PDS's
  // service-auth tokens for it are addressed to).
  const signingKey = await Secp256k1Keypair.create();
  const plc = new PlcClient(plcUrl);
  const did = await plc.createDid({
    signingKey: signingKey.did(),
    rotationKeys: [signingKey.did()],
    handle: "appview.test",
    pds: url,
    signer: signingKey,
  });
  await plc.updateData(did, signingKey, (op) => ({
    ...op,
    services: {
      ...op.services,
      bsky_appview: { type: "BskyAppView", endpoint: url },
      bsky_notif: { type: "BskyNotificationService", endpoint: url },
    },
  }));

  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
    closers.length = 0;
    if (ownSchema) await dropSchemas(postgresUrl, [schema, bsyncSchema]).catch(() => undefined);
  };
  try {
    // One pool for the dataplane, the indexer and the bsync subscription, as in dev-env.
    const db = new Database({ url: postgresUrl, schema, poolSize: 10 });
    closers.push(() => db.close());
    await db.migrateToLatestOrThrow();

    // DataPlaneServer.create listens on every interface: moved to the loopback address at once.
    const dataplane = await DataPlaneServer.create(db, dataplanePort, plcUrl, globalThis.fetch);
    closers.push(() => dataplane.destroy());
    await closeServer(dataplane.server);
    await listen(dataplane.server, host, dataplanePort);
    resolveHandlesOn(dataplane.idResolver, options.pdsUrl, options.handleDomains);

    const bsyncApiKey = "mary-local-bsync-key";
    const bsync = await BsyncService.create(
      bsyncConfig({
        port: bsyncPort,
        apiKeys: [bsyncApiKey],
        dbUrl: postgresUrl,
        dbSchema: bsyncSchema,
        dbPoolSize: 5,
      }),
    );
    closers.push(() => bsync.destroy());
    await bsync.ctx.db.migrateToLatestOrThrow();
    // BsyncService.start() listens on every interface: its own steps, on loopback.
    await bsync.setupAppEvents();
    await listen(bsync.server, host, bsyncPort);

    const config = new ServerConfig({
      version: "0.0.280",
      port,
      publicUrl: url,
      serverDid: did as `did:${string}:${string}`,
      alternateAudienceDids: [],
      didPlcUrl: plcUrl,
      etcdHosts: [],
      dataplaneUrls: [`http://${reachableAt(host)}:${dataplanePort}`],
      dataplaneHttpVersion: "1.1",
      bsyncUrl: `http://${reachableAt(host)}:${bsyncPort}`,
      bsyncHttpVersion: "1.1",
      bsyncApiKey,
      modServiceDid: "did:example:invalid",
      labelsFromIssuerDids: [],
      adminPasswords: [options.adminPassword],
      disableSsrfProtection: true, // the PDS, PLC and feeds are on loopback, over http
      bigThreadUris: new Set(),
      maxThreadParents: 50,
      searchTagsHide: new Set(),
      searchTagsHideAll: new Set(),
      threadTagsBumpDown: new Set(),
      threadTagsHide: new Set(),
      visibilityTagHide: "",
      visibilityTagRankPrefix: "",
      debugFieldAllowedDids: new Set(),
      draftsLimit: 500,
      feedGenSkeletonTimeout: 5_000,
    });
    // bsync tells the dataplane when notifications are seen: over the App View's own client
    // (bsync's would speak HTTP/2, which the dataplane does not).
    const appView = BskyAppView.create({ config, signingKey });
    bsync.ctx.dataplaneClients = [appView.ctx.dataplane];
    resolveHandlesOn(appView.ctx.idResolver, options.pdsUrl, options.handleDomains);
    closers.push(() => appView.destroy());
    // BskyAppView.start() listens on every interface: its Express app is served here instead.
    const http = appView.app.listen(port, host);
    http.keepAliveTimeout = 90_000;
    closers.push(() => closeServer(http));
    await once(http, "listening");

    const bsyncSub = new BsyncSubscription({ config, db });
    bsyncSub.start();
    closers.push(() => bsyncSub.destroy());

    let sub: RepoSubscription | undefined;
    return {
      url,
      did,
      subscribe(pdsUrl) {
        if (sub) throw new Error("appview: already subscribed");
        const ws = new URL(pdsUrl);
        ws.protocol = ws.protocol === "https:" ? "wss:" : "ws:";
        const repoSub = new RepoSubscription({ service: ws.origin, db, idResolver: dataplane.idResolver });
        sub = repoSub;
        closers.push(() => repoSub.destroy()); // stopped first: its last writes need the pool
        void repoSub.start();
      },
      async caughtUp(seq, timeoutMs) {
        if (!sub) throw new Error("appview: not subscribed to a PDS");
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const last = await seq();
          await sub.processAll();
          const cursor = sub.getCursor();
          // The indexer may report done before the PDS has even sent its last event: until the cursor gets there.
          if (last === null || (cursor !== undefined && cursor >= last)) return;
          if (Date.now() > deadline) {
            throw new Error(
              `appview: the indexer is at ${cursor ?? "nothing"} of the PDS's ${last} after ${timeoutMs} ms`,
            );
          }
          await new Promise((done) => setTimeout(done, 10));
        }
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
