import { startUsers } from "./app.ts";
import { loadUsersConfig } from "./config.ts";

const app = await startUsers(loadUsersConfig());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
