import { performance } from "node:perf_hooks";

/** Sends `count` requests, `concurrency` at a time; returns each one's latency in ms and the wall time. */
export async function run(
  count: number,
  concurrency: number,
  send: () => Promise<void>,
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        const t0 = performance.now();
        await send();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

export interface Summary {
  p50: number;
  p99: number;
  throughput: number;
}

export function summary(latencies: number[], wallMs: number): Summary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    throughput: (latencies.length / wallMs) * 1000,
  };
}

/**
 * Measures two sides in alternating rounds (after a warm-up), so machine noise hits both alike.
 * Returns each side's summary.
 */
export async function compare(
  sides: { baseline: () => Promise<void>; subject: () => Promise<void> },
  options: { requests: number; concurrency: number; rounds: number; warmUp: number },
): Promise<{ baseline: Summary; subject: Summary }> {
  await run(options.warmUp, options.concurrency, sides.baseline);
  await run(options.warmUp, options.concurrency, sides.subject);
  const results = {
    baseline: { latencies: [] as number[], wallMs: 0 },
    subject: { latencies: [] as number[], wallMs: 0 },
  };
  const perRound = Math.ceil(options.requests / options.rounds);
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? (["baseline", "subject"] as const) : (["subject", "baseline"] as const);
    for (const side of order) {
      const { latencies, wallMs } = await run(perRound, options.concurrency, sides[side]);
      results[side].latencies.push(...latencies);
      results[side].wallMs += wallMs;
    }
  }
  return {
    baseline: summary(results.baseline.latencies, results.baseline.wallMs),
    subject: summary(results.subject.latencies, results.subject.wallMs),
  };
}

/** One line of a report: p50, p99 and throughput. */
export const row = (name: string, s: Summary) =>
  `${name.padEnd(28)} p50 ${s.p50.toFixed(2).padStart(7)} ms   p99 ${s.p99.toFixed(2).padStart(7)} ms   ${s.throughput.toFixed(0).padStart(6)} req/s`;

/** Posts a GraphQL operation and fails on any error. */
export async function post(url: string, headers: Record<string, string>, query: string, variables = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (!response.ok || body.errors) throw new Error(`request failed: ${response.status} ${JSON.stringify(body)}`);
  return body.data;
}
