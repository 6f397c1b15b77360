// The gateway process of the bench: Mary's federation core (gateway/src/core, what
// `startGateway` builds on) on the bench's supergraph, its subscriptions served over graphql-ws
// as gateway/src/websocket.ts serves them (validation per subscribe, then one result per event
// from SubscriptionEngine); Mary's admission path (credentials, limits) is not on the per-event
// path and is left out. A viewer's tenant comes in `connection_init` ({"tenant": "t0"}); it is
// the share key, and products gets it in `x-tenant`.
//
//   node --import tsx bench/subscription-federated-events/gateway.ts <supergraph file> <port> <plan|apollo> <entity cache ms>
//
// GET / answers {"subscriptions": <open viewers>, "subgraphSubscriptions": <open groups>}.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { createFederation } from "../../gateway/src/core/federation.ts";

interface Viewer {
  tenant: string;
}

const [supergraphFile, port, executor, cacheMs] = process.argv.slice(2);
if (!supergraphFile || !port || (executor !== "plan" && executor !== "apollo")) {
  throw new Error("usage: gateway.ts <supergraph file> <port> <plan|apollo> <entity cache ms>");
}
const { gateway, subscriptions } = createFederation<Viewer>({
  supergraphSdl: readFileSync(supergraphFile, "utf8"),
  executor,
  subgraphHeaders: (context) => ({ "x-tenant": context.tenant }),
  subscriptionShareKey: (context) => context.tenant,
  subscriptionEntityCacheTtlMs: Number(cacheMs ?? 0),
});
// As Apollo Server does at start: the engine then plans on the gateway's planner and schemas.
await gateway.load();

const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      subscriptions: subscriptions.openViewers,
      subgraphSubscriptions: subscriptions.openSubgraphSubscriptions,
    }),
  );
});
useServer<{ tenant?: string }>(
  {
    schema: subscriptions.schema,
    onConnect: (ctx) => typeof ctx.connectionParams?.tenant === "string",
    context: (ctx): Viewer => ({ tenant: ctx.connectionParams!.tenant! }),
    subscribe: (args) =>
      subscriptions.subscribe({
        document: args.document,
        variables: args.variableValues as Record<string, unknown>,
        operationName: args.operationName,
        context: args.contextValue as Viewer,
      }),
  },
  new WebSocketServer({ server, path: "/graphql" }),
);
server.listen(Number(port), "127.0.0.1", () => process.stdout.write(`http://127.0.0.1:${port}/\n`));
process.on("SIGTERM", () => process.exit(0));
