// The local AT Protocol network as a server of its own, for `scripts/services up pds` (and so
// `pnpm start`): a PDS on PDS_PORT (default 2583) and its PLC directory on PLC_PORT (default 2582),
// on 127.0.0.1, data in PDS_DATA_DIR (emptied at every start: each start is a new network).
// Stops cleanly on SIGTERM or SIGINT.
//
//   node scripts/atproto/src/main.ts
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPds } from "./index.ts";

function port(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    console.error(`pds: ${name} must be a port number, not '${process.env[name]}'`);
    process.exit(2);
  }
  return value;
}

const pds = await startPds({
  host: process.env.PDS_HOST ?? "127.0.0.1",
  port: port("PDS_PORT", 2583),
  plcPort: port("PLC_PORT", 2582),
  dataDir: process.env.PDS_DATA_DIR ?? join(tmpdir(), "mary-pds"),
  adminPassword: process.env.PDS_ADMIN_PASSWORD,
});
console.log(`pds: ready on ${pds.url} (PLC directory ${pds.plcUrl}; handles *${pds.handleDomain})`);

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
