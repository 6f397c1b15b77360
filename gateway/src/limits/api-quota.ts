import { HeaderMap } from "@apollo/server";
import { apiCallsKey, appError, ErrorCode, planLimits, usagePeriod, type Redis } from "@mary/kit/core";
import type { GatewayPrincipal } from "../context.ts";

/** Counts are kept a little past their month, so billing can still report the last one. */
const KEEP_SECONDS = 40 * 86_400;

/**
 * The plan quota on the public graph: calls made with API keys per workspace per calendar month
 * (UTC), counted in Redis, where billing reads them for `Workspace.usage`. The web app's own
 * sessions are not metered. Over the plan's `apiCallsPerMonth`, calls fail with QUOTA_EXCEEDED.
 */
export class ApiCallQuota {
  constructor(private readonly redis: Redis) {}

  async count(principal: GatewayPrincipal, now = new Date()): Promise<void> {
    if (principal.kind !== "apiKey") return;
    const limit = planLimits(principal.plan).apiCallsPerMonth;
    const period = usagePeriod(now);
    const key = apiCallsKey(principal.workspaceId, period.id);
    const results = await this.redis.multi().incr(key).expire(key, KEEP_SECONDS).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    if (limit !== null && count > limit) {
      // A refused call is not a call made: the count stays at the limit.
      await this.redis.decr(key);
      const retryAfterSeconds = Math.max(1, Math.ceil((period.end.getTime() - now.getTime()) / 1000));
      throw appError(
        ErrorCode.QUOTA_EXCEEDED,
        `The ${principal.plan} plan includes ${limit} API calls a month, all used; upgrade the plan or wait for ${period.end.toISOString().slice(0, 10)}`,
        {
          limit,
          periodEnd: period.end.toISOString(),
          http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfterSeconds)]]) },
        },
      );
    }
  }
}
