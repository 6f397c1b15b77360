// The bench's subgraphs (schema.ts), in one process that the bench pins to the load generator's
// core: `products` over HTTP, `events` over graphql-ws (and HTTP for its health query), each on
// a port of its own. Prints one line when listening: `{"events": "http://…/graphql",
// "products": "http://…/graphql"}`. Then reads commands on stdin, one per line:
//
//   e <stream> [<stream> …]   publish the next event of each stream: its product's version + 1
//   s                         print {"listeners": <subscriptions open>, "requests": <products
//                             requests so far>, "representations": <entities asked for so far>}
//
// products executes each request with graphql-js on a document parsed once per distinct text
// (no validation: only the gateway calls it), so it costs little and answers what is current.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { execute, parse, type DocumentNode, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { EVENTS_SDL, PRODUCTS_SDL, productName, productOf } from "./schema.ts";

interface Change {
  seq: number;
  version: number;
  product: { id: string };
}

/** Each product's version, and each stream's last sequence number. */
const versions = new Map<string, number>();
const seqs = new Map<number, number>();
/** The open subscriptions of each product, each a function that takes its next event. */
const listeners = new Map<string, Set<(change: Change) => void>>();
let openListeners = 0;
let requests = 0;
let representations = 0;

/** An async iterator fed by `push`, ended by the subscriber (return) — graphql-ws's subscribe result. */
function changesOf(id: string): AsyncIterableIterator<{ productChanged: Change }> {
  const queue: Change[] = [];
  let wake: ((step: IteratorResult<{ productChanged: Change }>) => void) | null = null;
  let ended = false;
  const push = (change: Change) => {
    if (wake) {
      const resolve = wake;
      wake = null;
      resolve({ done: false, value: { productChanged: change } });
    } else queue.push(change);
  };
  let set = listeners.get(id);
  if (!set) listeners.set(id, (set = new Set()));
  set.add(push);
  openListeners++;
  const end = () => {
    if (ended) return;
    ended = true;
    set.delete(push);
    openListeners--;
    wake?.({ done: true, value: undefined });
    wake = null;
  };
  return {
    next: () => {
      if (ended) return Promise.resolve({ done: true, value: undefined });
      const change = queue.shift();
      if (change) return Promise.resolve({ done: false, value: { productChanged: change } });
      return new Promise((resolve) => (wake = resolve));
    },
    return: () => {
      end();
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function publish(stream: number): void {
  const id = productOf(stream);
  // The change is made, then published: an answer from before it has the previous version.
  const version = (versions.get(id) ?? 0) + 1;
  versions.set(id, version);
  const seq = (seqs.get(stream) ?? 0) + 1;
  seqs.set(stream, seq);
  for (const push of listeners.get(id) ?? []) push({ seq, version, product: { id } });
}

const eventsSchema = buildSubgraphSchema([
  {
    typeDefs: parse(EVENTS_SDL),
    resolvers: {
      Query: { eventsHealth: () => true },
      Subscription: {
        productChanged: { subscribe: (_: unknown, { id }: { id: string }) => changesOf(id) },
      },
    } as never,
  },
]);

const productsSchema = buildSubgraphSchema([
  {
    typeDefs: parse(PRODUCTS_SDL),
    resolvers: {
      Query: { product: (_: unknown, { id }: { id: string }) => ({ id }) },
      Product: {
        __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
        name: (product: { id: string }, _: unknown, context: { tenant: string }) =>
          productName(context.tenant, product.id),
        version: (product: { id: string }) => versions.get(product.id) ?? 0,
      },
    } as never,
  },
]);

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

const documents = new Map<string, DocumentNode>();

function handler(schema: GraphQLSchema, counted: boolean) {
  const send = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  };
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method !== "POST") return send(res, 405, `{"errors":[{"message":"POST only"}]}`);
      const { query, variables } = JSON.parse(await readBody(req)) as {
        query: string;
        variables?: Record<string, unknown>;
      };
      if (counted) {
        requests++;
        if (Array.isArray(variables?.representations)) representations += variables.representations.length;
      }
      let document = documents.get(query);
      if (!document) documents.set(query, (document = parse(query)));
      const tenant = String(req.headers["x-tenant"] ?? "");
      const result = await execute({ schema, document, variableValues: variables, contextValue: { tenant } });
      send(res, 200, JSON.stringify(result));
    } catch (error) {
      send(res, 400, JSON.stringify({ errors: [{ message: (error as Error).message }] }));
    }
  };
}

async function listen(schema: GraphQLSchema, counted: boolean, subscriptions: boolean): Promise<string> {
  const server = createServer({ keepAliveTimeout: 600_000, requestTimeout: 0 }, handler(schema, counted));
  if (subscriptions) useServer({ schema }, new WebSocketServer({ server, path: "/graphql" }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

const urls = {
  events: await listen(eventsSchema, false, true),
  products: await listen(productsSchema, true, false),
};
process.stdout.write(`${JSON.stringify(urls)}\n`);

createInterface({ input: process.stdin }).on("line", (line) => {
  const [command, ...args] = line.trim().split(" ");
  if (command === "e") for (const stream of args) publish(Number(stream));
  else if (command === "s") {
    process.stdout.write(`${JSON.stringify({ listeners: openListeners, requests, representations })}\n`);
  }
});
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
