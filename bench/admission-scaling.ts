// What refusing a hostile document costs as it grows: n fragments that each spread the next
// twice (2^n fields once expanded), refused for its cost. Admission measures each fragment once,
// so the time should grow with the document's size, not its expansion. The baseline is the same
// shape at a sixteenth of the size, measured in alternating rounds in the same run; every
// request uses fresh fragment names, so no parse or validation cache hides the work.
//
//   pnpm bench     (BENCH_REQUESTS, default 1000 per side; BENCH_CONCURRENCY, default 4)
import { startPlatform } from "../gateway/test/platform.ts";
import { compare, row } from "./lib.ts";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const SMALL = 25;
const LARGE = 400;

let unique = 0;
/** `count` fragments, each spreading the next twice, with names no earlier request used. */
function fanOut(count: number): string {
  const p = `P${++unique}_`;
  const fragments = Array.from({ length: count }, (_, i) =>
    i === count - 1
      ? `fragment ${p}${i} on User { id }`
      : `fragment ${p}${i} on User { ...${p}${i + 1} ...${p}${i + 1} }`,
  );
  return `query { me { ...${p}0 } } ${fragments.join(" ")}`;
}

const platform = await startPlatform({ LOG_LEVEL: "silent" });
try {
  const session = await platform.signUp();
  const refuse = (count: number) => async () => {
    const response = await fetch(platform.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${session.accessToken}` },
      body: JSON.stringify({ query: fanOut(count) }),
    });
    const body = (await response.json()) as { errors?: { message: string }[] };
    if (response.status !== 400 || !body.errors?.[0]?.message.startsWith("Operation cost")) {
      throw new Error(`expected a refusal by cost, got ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
  };
  const { baseline, subject } = await compare(
    { baseline: refuse(SMALL), subject: refuse(LARGE) },
    { requests: REQUESTS, concurrency: CONCURRENCY, rounds: 10, warmUp: 100 },
  );
  const bytes = (count: number) => Buffer.byteLength(fanOut(count));
  console.log(
    `admission scaling: ${REQUESTS} refusals per side, concurrency ${CONCURRENCY}; documents of ${SMALL} fragments ` +
      `(${bytes(SMALL)} B, 2^${SMALL} fields expanded) and ${LARGE} (${bytes(LARGE)} B, 2^${LARGE})`,
  );
  console.log(row(`${SMALL} fragments (baseline)`, baseline));
  console.log(row(`${LARGE} fragments`, subject));
  console.log(
    `ratio ${LARGE}/${SMALL} fragments (${(bytes(LARGE) / bytes(SMALL)).toFixed(1)}x the bytes):  p50 ${(subject.p50 / baseline.p50).toFixed(2)}x   p99 ${(subject.p99 / baseline.p99).toFixed(2)}x`,
  );
} finally {
  await platform.stop();
}
