import { loadGatewayConfig } from "./config.ts";
import { startGateway } from "./server.ts";

const gateway = await startGateway(loadGatewayConfig());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void gateway.close().then(() => process.exit(0)));
}
