// The baseline: @apollo/gateway as its README shows it, `new ApolloServer({ gateway: new
// ApolloGateway({ supergraphSdl }) })` served by `startStandaloneServer`, defaults only.
//
//   node bench/gateway-throughput/plain-gateway.ts <supergraph file> <port>   (node strips the types)
// Prints its URL when listening.
import { readFileSync } from "node:fs";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

const [supergraphFile, port] = process.argv.slice(2);
if (!supergraphFile || !port) throw new Error("usage: plain-gateway.ts <supergraph file> <port>");
const server = new ApolloServer({
  gateway: new ApolloGateway({ supergraphSdl: readFileSync(supergraphFile, "utf8") }),
});
const { url } = await startStandaloneServer(server, { listen: { port: Number(port), host: "127.0.0.1" } });
process.stdout.write(`${url}\n`);
// Apollo Server stops itself on SIGTERM and then re-raises it; exiting here instead lets
// `--cpu-prof` write its profile (a process killed by a signal writes none).
process.on("SIGTERM", () => process.exit(0));
