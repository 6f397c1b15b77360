import { startAgents } from "./app.ts";
import { loadAgentsConfig } from "./config.ts";

const app = await startAgents(loadAgentsConfig());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
