import { startCrm } from "./app.ts";
import { loadCrmConfig } from "./config.ts";

const app = await startCrm(loadCrmConfig());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
