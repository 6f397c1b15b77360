// What the gateway adds to a request: the same operation sent straight to the users subgraph
// (with the signed principal header the gateway would add: the baseline) and through the
// gateway (JWT verification, revocation and plan look-up in Redis, limits, rate-limit count,
// query planning, signing). Both run in one process against one platform, in alternating
// rounds, so machine noise hits both alike; the report gives latency percentiles and the ratio.
//
//   pnpm bench     (BENCH_REQUESTS, default 2000 per side; BENCH_CONCURRENCY, default 8)
import { sessionPrincipal } from "@mary/kit";
import { signedHeaders } from "@mary/kit/testing";
import { startPlatform } from "../gateway/test/platform.ts";
import { compare, post, row } from "./lib.ts";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = 10;
const QUERY = `{ me { id email memberships { role workspace { id name } } } }`;

const platform = await startPlatform({ LOG_LEVEL: "silent" });
try {
  const session = await platform.signUp();
  // Exactly the principal the gateway derives from this session's token (a new workspace is on FREE).
  const principal = sessionPrincipal({ userId: session.user.id, workspaceId: session.workspace.id, role: "OWNER" });
  const { baseline, subject } = await compare(
    {
      // Signed per request, as the gateway does.
      baseline: async () => void (await post(platform.users.url, signedHeaders(principal), QUERY)),
      subject: async () => void (await post(platform.url, { authorization: `Bearer ${session.accessToken}` }, QUERY)),
    },
    { requests: REQUESTS, concurrency: CONCURRENCY, rounds: ROUNDS, warmUp: 200 },
  );
  console.log(
    `gateway overhead: ${REQUESTS} requests per side, concurrency ${CONCURRENCY}, ${ROUNDS} alternating rounds`,
  );
  console.log(row("users subgraph direct", baseline));
  console.log(row("through the gateway", subject));
  console.log(
    `ratio gateway/direct:  p50 ${(subject.p50 / baseline.p50).toFixed(2)}x   p99 ${(subject.p99 / baseline.p99).toFixed(2)}x   throughput ${(subject.throughput / baseline.throughput).toFixed(2)}x`,
  );
} finally {
  await platform.stop();
}
