import {
  lastKnownPlanKey,
  PLAN_CACHE_SECONDS,
  workspacePlanKey,
  type Logger,
  type PlanName,
  type Redis,
} from "@mary/kit";

/**
 * Tells the gateway a workspace's plan by writing the key its principals are built from, so a
 * change applies to the very next request. A failed write is logged, not fatal: the entry
 * expires and the gateway then asks billing.
 */
export class PlanCache {
  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
  ) {}

  async publish(workspaceId: string, plan: PlanName): Promise<void> {
    try {
      await this.redis
        .multi()
        .set(workspacePlanKey(workspaceId), plan, "EX", PLAN_CACHE_SECONDS)
        .set(lastKnownPlanKey(workspaceId), plan)
        .exec();
    } catch (error) {
      this.log.error({ err: error, workspaceId }, "could not publish a workspace's plan to Redis");
    }
  }
}
