// The four subgraphs, each on a port of its own, all in this one process (the bench runs it as a
// child pinned to the load generator's core). A subgraph answers a request body it has answered
// before from a Map, body string → response string, so that the subgraphs cost little and the
// gateways are what is measured; a new body is executed with graphql-js and its answer kept.
// Prints one line when listening: `{"accounts": "http://127.0.0.1:<port>/graphql", …}`. A GET on
// any of them answers the requests served so far and the distinct bodies among them, per subgraph:
// `{"served": {"accounts": 12, …}, "distinct": {"accounts": 1, …}}`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { graphql, type GraphQLSchema } from "graphql";
import { SUBGRAPHS } from "./subgraphs.ts";

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

async function execute(schema: GraphQLSchema, body: string): Promise<string> {
  const { query, variables, operationName } = JSON.parse(body) as {
    query: string;
    variables?: Record<string, unknown>;
    operationName?: string;
  };
  return JSON.stringify(await graphql({ schema, source: query, variableValues: variables, operationName }));
}

const served: Record<string, number> = {};
const distinct: Record<string, number> = {};

function handler(name: string, schema: GraphQLSchema) {
  served[name] = 0;
  distinct[name] = 0;
  const answers = new Map<string, string>();
  const send = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  };
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method === "GET") return send(res, 200, JSON.stringify({ served, distinct }));
      if (req.method !== "POST") return send(res, 405, `{"errors":[{"message":"POST only"}]}`);
      served[name]!++;
      const body = await readBody(req);
      let answer = answers.get(body);
      if (answer === undefined) {
        answer = await execute(schema, body);
        answers.set(body, answer);
        distinct[name] = answers.size;
      }
      send(res, 200, answer);
    } catch (error) {
      send(res, 400, JSON.stringify({ errors: [{ message: (error as Error).message }] }));
    }
  };
}

const urls: Record<string, string> = {};
for (const { name, schema } of SUBGRAPHS) {
  const server = createServer({ keepAliveTimeout: 600_000, requestTimeout: 0 }, handler(name, schema));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}
process.stdout.write(`${JSON.stringify(urls)}\n`);
process.on("SIGTERM", () => process.exit(0));
