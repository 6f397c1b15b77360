import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";

export const USAGE = `Usage: mary-gateway [--supergraph <file>] [--port <n>] [--host <address>]

Serves a federation 2 supergraph on /graphql (HTTP and graphql-ws), with /healthz and /readyz.
On Mary's own supergraph (the default) Mary's accounts, API keys, plans and Stripe webhooks are
on; on any other, the generic gateway: limits and cost, error masking, CSRF prevention, JWT
verification when JWT_PUBLIC_KEY[_FILE] or JWT_JWKS_URL is set, rate limits when REDIS_URL is.

Options (each over its environment variable):
  --supergraph <file>  the supergraph SDL to serve       (SUPERGRAPH_PATH, Mary's schema/supergraph.graphql)
  --port <n>           the port to listen on, 0 for any (GATEWAY_PORT, 4000)
  --host <address>     the address to listen on         (GATEWAY_HOST, 127.0.0.1)
  -h, --help           print this and exit

Everything else comes from the environment: see .env.example.`;

/** What the command line asks for: run with this environment, or print and exit. */
export type CommandLine = { env: Record<string, string | undefined> } | { exit: number; output: string };

/**
 * The environment with the command line's flags over it. `pnpm run start -- --flag` passes the
 * `--` on, so one in front is skipped. A relative supergraph path is the caller's: pnpm runs the
 * script in gateway/ and says where it was called from in INIT_CWD.
 */
export function parseCommandLine(argv: string[], env: Record<string, string | undefined>): CommandLine {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv[0] === "--" ? argv.slice(1) : argv,
      options: {
        supergraph: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { exit: 2, output: `mary-gateway: ${(error as Error).message}\n\n${USAGE}` };
  }
  if (values.help) return { exit: 0, output: USAGE };
  const supergraph =
    values.supergraph === undefined || isAbsolute(values.supergraph)
      ? values.supergraph
      : resolve(env.INIT_CWD ?? process.cwd(), values.supergraph);
  return {
    env: {
      ...env,
      ...(supergraph !== undefined && { SUPERGRAPH_PATH: supergraph }),
      ...(values.port !== undefined && { GATEWAY_PORT: values.port }),
      ...(values.host !== undefined && { GATEWAY_HOST: values.host }),
    },
  };
}
