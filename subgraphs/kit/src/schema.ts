import "reflect-metadata";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { parse, type GraphQLSchema } from "graphql";
import { buildSchema, createResolversMap, type BuildSchemaOptions } from "type-graphql";

/** The Federation 2 directives Mary's subgraphs use, linked once per schema. */
const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"])';

export type ReferenceResolvers = Record<string, { __resolveReference: (...args: any[]) => unknown }>;

export interface FederatedSchemaOptions {
  resolvers: BuildSchemaOptions["resolvers"];
  /** Entity and value types that no resolver returns directly but the graph needs. */
  orphanedTypes?: BuildSchemaOptions["orphanedTypes"];
  /** `__resolveReference` for each entity this subgraph owns, as a plain resolver map. */
  referenceResolvers?: ReferenceResolvers;
}

/**
 * type-graphql insists on a PubSub once a schema has subscriptions, even when each one brings
 * its own `subscribe` function, as Mary's do (their events come from Redis with replay).
 */
const NO_TOPIC_PUBSUB: NonNullable<BuildSchemaOptions["pubSub"]> = {
  publish: () => {
    throw new Error("Mary's subscriptions use @Subscription({ subscribe }), not topics");
  },
  subscribe: () => {
    throw new Error("Mary's subscriptions use @Subscription({ subscribe }), not topics");
  },
};

/**
 * Builds a Federation 2 subgraph schema from type-graphql resolvers: type-graphql
 * prints the SDL with its directives, @apollo/subgraph turns it into a subgraph
 * (adding _entities/_service) with the reference resolvers merged into its map.
 */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    skipCheck: true,
    validate: false,
    pubSub: NO_TOPIC_PUBSUB,
  });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(options.referenceResolvers ?? {})) {
    resolvers[typeName] = { ...resolvers[typeName], ...reference };
  }
  return buildSubgraphSchema([{ typeDefs, resolvers: resolvers as any }]);
}
