import neo4j from "neo4j-driver";
import { badUserInput, type Logger } from "@mary/kit";
import { NetworkError, type PostMetrics as RemoteMetrics } from "../providers/provider.ts";
import type { GraphStore } from "../store.ts";
import type { Post, PostMetrics } from "../types/post.type.ts";
import type { PostService } from "./post.service.ts";
import type { PublishNetwork } from "./publish-network.ts";
import type { SocialAccountService } from "./social-account.service.ts";

/** The most samples one `metricsHistory` returns. */
export const MAX_HISTORY_SAMPLES = 1_000;

interface SampleNode {
  at: number;
  likes: number;
  reposts: number;
  replies: number;
}

const toMetrics = (node: SampleNode): PostMetrics => ({
  at: new Date(node.at),
  likes: node.likes,
  reposts: node.reposts,
  replies: node.replies,
});

/**
 * Engagement of published posts: each poll is a (:Post)-[:MEASURED]->(:MetricsSample) node (the
 * history), and the latest counts are also kept on the post, so `Post.metrics` costs no query.
 */
export class MetricsService {
  constructor(
    private readonly graph: GraphStore,
    private readonly posts: PostService,
    private readonly accounts: SocialAccountService,
    private readonly network: PublishNetwork,
    private readonly untrack: (postId: string) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** One poll of a post (a metrics job): asks its network and stores a sample; stops polling a post that is gone. */
  async poll(postId: string): Promise<void> {
    const post = await this.posts.node(postId);
    const account = post ? (await this.accounts.byIds(post.workspaceId, [post.accountId]))[0] : undefined;
    if (!post || post.state !== "PUBLISHED" || !post.remoteId || !account) return this.untrack(postId);
    if (account.state !== "ACTIVE") return; // reconnected later, polling goes on
    let metrics: RemoteMetrics;
    try {
      metrics = await this.network.provider(account.network).metrics(this.network.session(account), post.remoteId);
    } catch (error) {
      if (error instanceof NetworkError && error.kind === "auth") await this.accounts.needsReconnect(account.id);
      if (error instanceof NetworkError && error.kind === "refused") {
        this.log.info({ postId, err: error }, "the network no longer shows the post: polling stops");
        return this.untrack(postId);
      }
      throw error;
    }
    await this.record(post.id, metrics, new Date());
  }

  async record(postId: string, metrics: RemoteMetrics, at: Date): Promise<void> {
    await this.graph.write(
      `MATCH (p:Post {id: $id})
       CREATE (p)-[:MEASURED]->(:MetricsSample {workspaceId: p.workspaceId, at: $at, likes: $likes, reposts: $reposts, replies: $replies})
       SET p.measuredAt = $at, p.likes = $likes, p.reposts = $reposts, p.replies = $replies`,
      {
        id: postId,
        at: at.getTime(),
        likes: neo4j.int(metrics.likes),
        reposts: neo4j.int(metrics.reposts),
        replies: neo4j.int(metrics.replies),
      },
    );
  }

  /** The latest sample of each post, by id (posts never measured are left out). */
  async latest(postIds: readonly string[]): Promise<Map<string, PostMetrics>> {
    const { records } = await this.graph.read<{ id: string; m: SampleNode }>(
      `MATCH (p:Post) WHERE p.id IN $ids AND p.measuredAt IS NOT NULL
       RETURN p.id AS id, {at: p.measuredAt, likes: p.likes, reposts: p.reposts, replies: p.replies} AS m`,
      { ids: [...postIds] },
    );
    return new Map(records.map((record) => [record.get("id"), toMetrics(record.get("m"))]));
  }

  /** The post's samples from `from` to `to` (inclusive), oldest first, at most 1,000. */
  async history(post: Post, from: Date, to: Date): Promise<PostMetrics[]> {
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw badUserInput("Invalid time range", "from");
    if (to < from) throw badUserInput("`to` must not be before `from`", "to");
    const { records } = await this.graph.read<{ m: { properties: SampleNode } }>(
      `MATCH (:Post {id: $id, workspaceId: $workspaceId})-[:MEASURED]->(m:MetricsSample)
       WHERE m.at >= $from AND m.at <= $to
       RETURN m ORDER BY m.at ASC LIMIT $limit`,
      {
        id: post.id,
        workspaceId: post.workspaceId,
        from: from.getTime(),
        to: to.getTime(),
        limit: neo4j.int(MAX_HISTORY_SAMPLES),
      },
    );
    return records.map((record) => toMetrics(record.get("m").properties));
  }
}
