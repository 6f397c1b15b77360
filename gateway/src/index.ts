import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { parseCommandLine } from "./cli.ts";
import { loadGatewayConfig, type GatewayConfig } from "./config.ts";
import { startGateway } from "./server.ts";

const commandLine = parseCommandLine(process.argv.slice(2), process.env);
if ("exit" in commandLine) {
  (commandLine.exit === 0 ? process.stdout : process.stderr).write(`${commandLine.output}\n`);
  process.exit(commandLine.exit);
}
const fail = (error: unknown): never => {
  // A configuration mistake or a supergraph that cannot be served: its message, not a stack trace.
  process.stderr.write(`mary-gateway: ${(error as Error).message}\n`);
  process.exit(1);
};

let config: GatewayConfig;
try {
  config = loadGatewayConfig(commandLine.env);
} catch (error) {
  fail(error);
}
const workers = config!.GATEWAY_WORKERS ?? availableParallelism();

if (cluster.isPrimary && workers > 1) {
  runWorkers(workers, commandLine.env);
} else {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  try {
    gateway = await startGateway(config!);
  } catch (error) {
    fail(error);
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void gateway.close().then(() => process.exit(0)));
  }
}

/**
 * The primary of GATEWAY_WORKERS processes: it serves nothing itself, forks the workers (which
 * share the listening port), replaces one that dies, and stops them all on SIGINT or SIGTERM. A
 * worker that dies within its first seconds is a start-up failure: the gateway exits instead of
 * forking it again and again.
 */
function runWorkers(count: number, env: Record<string, string | undefined>) {
  const workerEnv = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const startedAt = new Map<number, number>();
  let stopping = false;
  const fork = () => {
    const worker = cluster.fork(workerEnv);
    startedAt.set(worker.id, Date.now());
  };
  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    if (lived < 5_000) {
      process.stderr.write(`mary-gateway: a worker failed to start (exit ${code ?? signal}); stopping\n`);
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.kill("SIGTERM");
      process.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    process.stderr.write(`mary-gateway: worker ${worker.process.pid} exited (${code ?? signal}); starting another\n`);
    fork();
  });
  for (let index = 0; index < count; index++) fork();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    });
  }
}
