import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The app calls /graphql on its own origin: the dev and preview servers pass it (HTTP and
// WebSocket) to the gateway, so the refresh cookie is first-party and no CORS is needed.
const gateway = process.env.GATEWAY_ORIGIN ?? "http://127.0.0.1:4000";
const proxy = { "/graphql": { target: gateway, ws: true, changeOrigin: false } };

export default defineConfig({
  plugins: [react()],
  server: { host: "127.0.0.1", port: 5173, strictPort: true, proxy },
  preview: {
    host: process.env.WEB_HOST ?? "127.0.0.1",
    port: Number(process.env.WEB_PORT ?? 5173),
    strictPort: true,
    proxy,
  },
  build: { target: "es2022", sourcemap: true },
});
