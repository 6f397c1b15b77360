// The local AT Protocol network as a server of its own, for `scripts/services up pds` (and so
// `pnpm start`), on 127.0.0.1: a PDS on PDS_PORT (default 2583), its PLC directory on PLC_PORT
// (2582), and the Bluesky App View on BSKY_PORT (2584) with its dataplane on BSKY_DATAPLANE_PORT
// (2585) and bsync on BSYNC_PORT (2586). The PDS's data is in PDS_DATA_DIR, the App View's in
// the schemas `appview` and `appview_bsync` of BSKY_DB_POSTGRES_URL (default
// postgres://mary:mary@127.0.0.1:5432/bsky; the database is made if missing, and the start waits
// for PostgreSQL to accept connections). Both are emptied at every start: each start is a new
// network. Stops cleanly on SIGTERM or SIGINT.
//
//   node scripts/atproto/src/main.ts
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_APPVIEW_POSTGRES_URL, startPds } from "./index.ts";

function port(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    console.error(`pds: ${name} must be a port number, not '${process.env[name]}'`);
    process.exit(2);
  }
  return value;
}

const started = Date.now();
const pds = await startPds({
  host: process.env.PDS_HOST ?? "127.0.0.1",
  port: port("PDS_PORT", 2583),
  plcPort: port("PLC_PORT", 2582),
  dataDir: process.env.PDS_DATA_DIR ?? join(tmpdir(), "mary-pds"),
  adminPassword: process.env.PDS_ADMIN_PASSWORD,
  appView: {
    postgresUrl: process.env.BSKY_DB_POSTGRES_URL ?? DEFAULT_APPVIEW_POSTGRES_URL,
    schema: "appview",
    port: port("BSKY_PORT", 2584),
    dataplanePort: port("BSKY_DATAPLANE_PORT", 2585),
    bsyncPort: port("BSYNC_PORT", 2586),
  },
});
console.log(
  `pds: ready on ${pds.url} in ${((Date.now() - started) / 1000).toFixed(1)}s (PLC directory ${pds.plcUrl}; ` +
    `App View ${pds.appViewUrl}, ${pds.appViewDid}; handles *${pds.handleDomain})`,
);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`pds: ${signal}, stopping`);
    pds.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("pds: close failed", error);
        process.exit(1);
      },
    );
  });
}
