import { commonConfig } from "@mary/kit/core";
import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type EnumValueNode,
  type StringValueNode,
} from "graphql";

/**
 * Mary's own parts of the gateway. Each is on only when the supergraph has the Mary subgraph it
 * calls: that subgraph by name, resolving the field the gateway asks it (so a foreign supergraph
 * that merely has a subgraph called `users` gets none of them). Any other supergraph is served by
 * the generic gateway alone: limits and cost, masking, CSRF prevention, JWT verification when a
 * key is configured, rate limits when Redis is.
 */
export interface MaryParts {
  /**
   * Mary's accounts, from the users subgraph (`Query.apiKeyIdentity`): its own access tokens
   * (verified with JWT_PUBLIC_KEY, ended early through revocation markers), API keys (`mary_…`),
   * the session cookie, and sockets that must authenticate. Redis is then required: the
   * revocations and the API-key cache live there.
   */
  accounts: boolean;
  /**
   * Plans in principals and the API-call quota, from billing (`Query.workspacePlan`). Needs
   * accounts too: only their callers have a workspace to look a plan up for.
   */
  plans: boolean;
  /** POST /webhooks/stripe, forwarded to billing (404 without it). */
  stripeWebhook: boolean;
  /** GET /oauth/mastodon/callback, a Mastodon instance's redirect back, forwarded to social (404 without it). */
  mastodonCallback: boolean;
  /** GET /calendars/<token>.ics, calendars' private ICS feeds, forwarded to inbox (404 without it). */
  calendarFeeds: boolean;
  /** Subscription fields whose events replay from the first to each new subscription: agents' runs. */
  replayFromStart: string[];
}

/** The one place that decides which of Mary's parts run on this supergraph. */
export function maryParts(supergraphSdl: string): MaryParts {
  const resolvedBy = fieldOwners(parse(supergraphSdl));
  const accounts = resolvedBy("Query", "apiKeyIdentity").has("users");
  const billing = resolvedBy("Query", "workspacePlan").has("billing");
  return {
    accounts,
    plans: accounts && billing,
    stripeWebhook: billing,
    mastodonCallback: resolvedBy("Mutation", "startMastodonConnect").has("social"),
    calendarFeeds: resolvedBy("Mutation", "createCalendarFeed").has("inbox"),
    replayFromStart: resolvedBy("Subscription", "agentRunEvents").has("agents") ? ["agentRunEvents"] : [],
  };
}

/** Where the local Redis is (`scripts/services up`): kit's default. */
const LOCAL_REDIS_URL = commonConfig.REDIS_URL.parse(undefined);

/**
 * The Redis the gateway uses, if any. Mary's accounts require it, since their sessions'
 * revocations live there: REDIS_URL, or else the local one. Without them Redis is optional,
 * used (for rate limits) only when REDIS_URL is set.
 */
export function redisUrlFor(parts: MaryParts, configured: string | undefined): string | undefined {
  return configured ?? (parts.accounts ? LOCAL_REDIS_URL : undefined);
}

/** The start log's account of what runs on this supergraph: Mary's parts, how tokens are checked, rate limits. */
export function describeParts(parts: MaryParts, jwt: string, redis: boolean): string {
  const onOff = (on: boolean, off: string) => (on ? "on" : `off (${off})`);
  return [
    `Mary's accounts and API keys ${onOff(parts.accounts, "no users subgraph")}`,
    `plans and quotas ${onOff(parts.plans, parts.accounts ? "no billing subgraph" : "no accounts")}`,
    `/webhooks/stripe ${onOff(parts.stripeWebhook, "no billing subgraph: 404")}`,
    `/oauth/mastodon/callback ${onOff(parts.mastodonCallback, "no social subgraph: 404")}`,
    `/calendars/<token>.ics ${onOff(parts.calendarFeeds, "no inbox subgraph: 404")}`,
    `JWT ${jwt}`,
    `rate limits ${redis ? "on (Redis)" : "off (no REDIS_URL)"}`,
  ].join("; ");
}

const graphArgument = (directive: ConstDirectiveNode) =>
  (directive.arguments?.find((argument) => argument.name.value === "graph")?.value as EnumValueNode | undefined)?.value;

/**
 * Which subgraphs (by name) resolve a field of the supergraph: those of the field's
 * `@join__field`s, or else of its type's `@join__type`s.
 */
function fieldOwners(supergraph: DocumentNode): (type: string, field: string) => Set<string> {
  const names = new Map<string, string>();
  for (const definition of supergraph.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== "join__Graph") continue;
    for (const value of definition.values ?? []) {
      const name = value.directives
        ?.find((directive) => directive.name.value === "join__graph")
        ?.arguments?.find((argument) => argument.name.value === "name")?.value as StringValueNode | undefined;
      if (name) names.set(value.name.value, name.value);
    }
  }
  const graphsOf = (directives: readonly ConstDirectiveNode[] | undefined, directive: string) =>
    (directives ?? [])
      .filter((node) => node.name.value === directive)
      .map((node) => names.get(graphArgument(node) ?? ""))
      .filter((name): name is string => name !== undefined);

  return (typeName, fieldName) => {
    const owners = new Set<string>();
    for (const definition of supergraph.definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || definition.name.value !== typeName) continue;
      const field = definition.fields?.find((candidate) => candidate.name.value === fieldName);
      if (!field) continue;
      const fieldGraphs = graphsOf(field.directives, "join__field");
      for (const name of fieldGraphs.length ? fieldGraphs : graphsOf(definition.directives, "join__type")) {
        owners.add(name);
      }
    }
    return owners;
  };
}
