import { sendJson, type SubgraphRoute } from "@mary/kit";
import type { ConnectService } from "../services/connect.service.ts";

/** Where the gateway forwards GET /oauth/mastodon/callback (the redirect_uri Mary registers). */
export const MASTODON_CALLBACK_PATH = "/oauth/mastodon/callback";

/**
 * The browser's return from a Mastodon instance, forwarded by the gateway with its own signed
 * header: the code is exchanged (with the PKCE verifier kept under the state) and the account
 * saved for the member who started, then the browser goes on to the accounts page with
 * `?connected=<id>` or `?error=<reason>`, the reason always a value of the API's MastodonConnectError
 * (types/mastodon-connect-error.type.ts), a 303 so a reload does not replay the code.
 */
export function mastodonCallbackRoute(connect: ConnectService): SubgraphRoute {
  return async (req, res, { principal }) => {
    if (req.method !== "GET") return sendJson(res, 405, { error: "Use GET" }, { allow: "GET" });
    if (principal.kind !== "service" || principal.service !== "gateway") {
      return sendJson(res, 403, { error: "The OAuth callback arrives through the gateway" });
    }
    const query = new URL(req.url ?? "/", "http://localhost").searchParams;
    const outcome = await connect.completeMastodon(query);
    res.writeHead(303, { location: connect.callbackLocation(outcome), "cache-control": "no-store" });
    res.end();
  };
}
