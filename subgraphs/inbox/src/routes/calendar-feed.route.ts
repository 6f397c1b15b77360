import { sendJson, type SubgraphRoute } from "@mary/kit";
import type { CalendarInteropService } from "../services/calendar-interop.service.ts";
import type { CalendarService } from "../services/calendar.service.ts";

/** Where the gateway forwards GET /calendars/<token>.ics, with the token as `?token=`. */
export const FEED_PATH = "/calendars/feed";

/**
 * A calendar's private ICS feed, which calendar apps poll: the token is the only credential, so
 * an unknown or revoked one is a plain 404, the same as a token that never existed.
 */
export function feedRoute(
  services: () => { calendars: CalendarService; calendarInterop: CalendarInteropService },
): SubgraphRoute {
  return async (req, res, { principal }) => {
    if (req.method !== "GET" && req.method !== "HEAD")
      return sendJson(res, 405, { error: "Use GET" }, { allow: "GET, HEAD" });
    if (principal.kind !== "service" || principal.service !== "gateway") {
      return sendJson(res, 403, { error: "Calendar feeds are served through the gateway" });
    }
    const token = new URL(req.url ?? "/", "http://localhost").searchParams.get("token") ?? "";
    const { calendars, calendarInterop } = services();
    const calendar = await calendars.byFeedToken(token);
    if (!calendar) return sendJson(res, 404, { error: "No such calendar feed" });
    const body = await calendarInterop.exportIcs(calendar);
    res.writeHead(200, {
      "content-type": "text/calendar; charset=utf-8",
      "cache-control": "private, max-age=300",
      "content-disposition": `inline; filename="calendar.ics"`,
    });
    res.end(req.method === "HEAD" ? undefined : body);
  };
}
