import { startSocial } from "./app.ts";
import { loadSocialConfig } from "./config.ts";

const app = await startSocial(loadSocialConfig());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
