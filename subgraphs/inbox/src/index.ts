import { startInbox } from "./app.ts";
import { loadInboxConfig } from "./config.ts";

const app = await startInbox(loadInboxConfig());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
