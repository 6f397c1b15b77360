import { parseCommandLine } from "./cli.ts";
import { loadGatewayConfig } from "./config.ts";
import { startGateway } from "./server.ts";

const commandLine = parseCommandLine(process.argv.slice(2), process.env);
if ("exit" in commandLine) {
  (commandLine.exit === 0 ? process.stdout : process.stderr).write(`${commandLine.output}\n`);
  process.exit(commandLine.exit);
}
let gateway;
try {
  gateway = await startGateway(loadGatewayConfig(commandLine.env));
} catch (error) {
  // A configuration mistake or a supergraph that cannot be served: its message, not a stack trace.
  process.stderr.write(`mary-gateway: ${(error as Error).message}\n`);
  process.exit(1);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void gateway.close().then(() => process.exit(0)));
}
