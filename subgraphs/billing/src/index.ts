import { startBilling } from "./app.ts";
import { loadBillingConfig } from "./config.ts";

const app = await startBilling(loadBillingConfig());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
