// Tiny federated subgraphs served in the test process, and a supergraph composed from them: how
// the gateway's tests run it over supergraphs that are not Mary's.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { composeServices } from "@apollo/composition";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { handleGraphQLRequest } from "@mary/kit";
import { parse, type DocumentNode } from "graphql";
import type { ServerOptions as WebSocketServerOptions } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";

/** A subgraph's SDL with federation 2's `@link`, importing `@key` and whatever else is named. */
export const federatedSdl = (sdl: string, imports: string[] = []) =>
  parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ${JSON.stringify(["@key", ...imports])})
${sdl}`);

export interface SubgraphOptions {
  /** Answer each HTTP request only after this long. */
  delayMs?: number;
  /** Sees each HTTP request (its headers) before it is answered. */
  onRequest?: (req: IncomingMessage) => void;
  /** Apollo Server plugins (to see each operation). */
  plugins?: ApolloServerPlugin[];
  /** graphql-ws's `onSubscribe`, to see (or refuse) each subscription. */
  onSubscribe?: WebSocketServerOptions["onSubscribe"];
}

export interface TestSubgraph {
  /** Its /graphql URL, for HTTP and (with ws:) graphql-ws. */
  url: string;
  close: () => Promise<void>;
}

/** Serves one subgraph on a free port: queries over HTTP, subscriptions over graphql-ws, on the same /graphql. */
export async function serveSubgraph(
  typeDefs: DocumentNode,
  resolvers: object,
  options: SubgraphOptions = {},
): Promise<TestSubgraph> {
  const schema = buildSubgraphSchema([{ typeDefs, resolvers: resolvers as never }]);
  const apollo = new ApolloServer({
    schema,
    plugins: [ApolloServerPluginInlineTraceDisabled(), ...(options.plugins ?? [])],
  });
  await apollo.start();
  const server: Server = createServer((req, res) => {
    options.onRequest?.(req);
    const answer = () => void handleGraphQLRequest(apollo, req, res, async () => ({})).catch(() => res.end());
    if (options.delayMs) setTimeout(answer, options.delayMs).unref();
    else answer();
  });
  const wss = new WebSocketServer({ server, path: "/graphql" });
  const sockets = useServer({ schema, onSubscribe: options.onSubscribe }, wss);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: async () => {
      await sockets.dispose();
      await new Promise((resolve) => wss.close(resolve));
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await apollo.stop();
    },
  };
}

/** The supergraph of these subgraphs, routing to their URLs; composition errors fail the test. */
export function composeSupergraph(subgraphs: { name: string; typeDefs: DocumentNode; url: string }[]): string {
  const composed = composeServices(subgraphs);
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join("\n"));
  return composed.supergraphSdl;
}
