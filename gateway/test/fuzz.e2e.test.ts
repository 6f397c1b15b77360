import { Agent, request as httpRequest } from "node:http";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fuzzCorpus, loadApiSchema, type FuzzCase } from "./fuzz-corpus.ts";
import { startPlatform, type Platform, type SignedUp } from "./platform.ts";
import { wsUrl } from "./ws-client.ts";

/**
 * The gateway's own fuzz suite: a seeded corpus of hostile documents and requests (mutations and
 * truncations of every subgraph's real operations, deep nesting, aliases, fragment cycles and
 * fan-outs, wrong variable types, huge strings, NUL and invalid UTF-8, batches, non-JSON bodies,
 * GET mutations, oversize bodies), over HTTP and graphql-ws. Change FUZZ_SEED to explore; a
 * failure names the case, so the same seed reproduces it.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 0x4d617279);
const HTTP_CASES = 1_600;
const WS_CASES = 500;
const ANSWER_WITHIN_MS = 1_000;

/** What no answer may contain: internals (stack traces, file paths, SQL) or schema suggestions. */
const LEAKS: [string, RegExp][] = [
  ["a stack trace", /\bat [\w.<>]+ \(|stacktrace/i],
  ["a file path", /(\/[\w.@-]+){2,}\.(ts|js|mjs|cjs)\b|node_modules/],
  [
    "SQL",
    /\b(select\b[^"]{0,80}\bfrom|insert into|update \w+ set|delete from)\b|syntax error at or near|violates .* constraint/i,
  ],
  ["a field suggestion", /Did you mean/],
];

let platform: Platform;
let account: SignedUp;
/** Kept-alive connections, as a real client's pool: a refused request must not break the next one. */
const agent = new Agent({ keepAlive: true, maxSockets: 2 });
beforeAll(async () => {
  platform = await startPlatform();
  account = await platform.signUp();
});
afterAll(async () => {
  agent.destroy();
  await platform?.stop();
});

/** Row counts and last changes of every store, to tell whether a request wrote anything. */
async function fingerprint(): Promise<string> {
  const sql = (app: { orm: { em: { fork: () => any } } }, statement: string) =>
    app.orm.em.fork().getConnection().execute(statement) as Promise<Record<string, unknown>[]>;
  const [users, crm, billing, agents, runs] = await Promise.all([
    sql(
      platform.users,
      `select (select md5(string_agg(email || name, ',' order by id)) from users) u,
              (select md5(string_agg(name, ',' order by id)) from workspaces) w,
              (select md5(string_agg(user_id::text || workspace_id::text || role, ',' order by id)) from memberships) m,
              (select count(*) || '/' || count(revoked_at) from api_keys) k,
              (select count(*) || '/' || count(used_at) || '/' || count(revoked_at) from refresh_tokens) r`,
    ),
    sql(
      platform.crm,
      `select (select count(*) from contacts) c, (select max(updated_at)::text from contacts) cu,
              (select count(*) from companies) co, (select max(updated_at)::text from companies) cou,
              (select count(*) from deals) d, (select max(updated_at)::text from deals) du,
              (select count(*) from activities) a, (select count(*) from deal_stage_changes) s`,
    ),
    sql(
      platform.billing,
      `select (select count(*) from billing_accounts) b, (select count(*) from subscriptions) s, (select count(*) from invoices) i`,
    ),
    platform.agents.store.agents.countDocuments(),
    platform.agents.store.runs.countDocuments(),
  ]);
  return JSON.stringify([users, crm, billing, agents, runs]);
}

interface Answer {
  status: number;
  text: string;
  ms: number;
}

/** Sends one HTTP case on the suite's kept-alive connections; a socket error is an answer too (status 0). */
function sendHttp(item: Extract<FuzzCase, { transport: "http" }>): Promise<Answer> {
  const started = performance.now();
  const headers: Record<string, string> = { "content-type": item.contentType ?? "application/json" };
  if (item.auth === "user") headers.authorization = `Bearer ${account.accessToken}`;
  if (item.auth === "garbage") headers.authorization = "Bearer mary_not-a-key\u00ff";
  // GET requests name a non-simple header so CSRF prevention lets them reach the operation checks.
  if (item.method === "GET") headers["apollo-require-preflight"] = "true";
  return new Promise((resolve) => {
    const req = httpRequest(
      `${platform.url}${item.search ?? ""}`,
      { method: item.method, agent, headers, timeout: 5_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", (error) => resolve({ status: 0, text: String(error), ms: performance.now() - started }));
    req.end(item.body);
  });
}

/** True when the answer did nothing: refused outright, or errors with no root field answered. */
function refused(status: number, body: { data?: Record<string, unknown> | null; errors?: unknown[] } | null): boolean {
  if (status >= 400 || !body) return true;
  if (!body.errors?.length) return false;
  return !body.data || Object.values(body.data).every((value) => value === null);
}

/** The problems with one answer: what the suite promises no hostile request ever gets. */
function problemsOf(answer: Answer): string[] {
  const problems: string[] = [];
  if (answer.status === 0) problems.push(`no answer (${answer.text})`);
  if (answer.status >= 500) problems.push(`HTTP ${answer.status}`);
  if (answer.ms > ANSWER_WITHIN_MS) problems.push(`answered in ${Math.round(answer.ms)} ms`);
  if (/"code":"INTERNAL"/.test(answer.text)) problems.push("INTERNAL");
  for (const [what, pattern] of LEAKS) if (pattern.test(answer.text)) problems.push(`leaks ${what}`);
  return problems;
}

/** Runs `work` while polling /healthz, which must answer, quickly, throughout. */
async function whileWatchingHealth(work: () => Promise<void>): Promise<{ checks: number; slow: string[] }> {
  const slow: string[] = [];
  let checks = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${platform.gatewayOrigin}/healthz`, { signal: AbortSignal.timeout(2_000) });
        if (response.status !== 200) slow.push(`status ${response.status}`);
      } catch (error) {
        slow.push(String(error));
      }
      const ms = performance.now() - started;
      if (ms > ANSWER_WITHIN_MS) slow.push(`${Math.round(ms)} ms`);
      checks++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    await work();
  } finally {
    running = false;
    await loop;
  }
  return { checks, slow };
}

describe("fuzz", () => {
  const corpus = fuzzCorpus(loadApiSchema(), SEED, HTTP_CASES, WS_CASES);

  test("the corpus is large and covers every kind of hostile request", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(2_000);
    const labels = new Set(corpus.map((item) => item.label.replace(/ #\d+$/, "")));
    expect([...labels].sort()).toEqual([
      "GET mutation",
      "batch",
      "bytes",
      "document",
      "form post",
      "invalid UTF-8",
      "non-JSON",
      "oversize",
      "ws document",
    ]);
    // The same seed gives the same corpus.
    expect(JSON.stringify(fuzzCorpus(loadApiSchema(), SEED, 50, 10))).toBe(
      JSON.stringify(fuzzCorpus(loadApiSchema(), SEED, 50, 10)),
    );
  });

  test(`${HTTP_CASES} hostile HTTP requests (seed ${SEED}): no 5xx, no INTERNAL, no leak, each answered within 1 s, nothing written when refused`, async () => {
    const failures: string[] = [];
    let slowest = { ms: 0, label: "" };
    const health = await whileWatchingHealth(async () => {
      let before = await fingerprint();
      for (const item of corpus) {
        if (item.transport !== "http") continue;
        const answer = await sendHttp(item);
        if (answer.ms > slowest.ms) slowest = { ms: answer.ms, label: item.label };
        const problems = problemsOf(answer);
        let body: { data?: Record<string, unknown> | null; errors?: unknown[] } | null = null;
        try {
          body = JSON.parse(answer.text);
        } catch {
          if (answer.status !== 0) problems.push("a body that is not JSON");
        }
        const after = await fingerprint();
        if (refused(answer.status, body) && after !== before) problems.push("a refused request wrote");
        before = after;
        if (problems.length) {
          failures.push(`${item.label}: ${problems.join(", ")} — ${answer.status} ${answer.text.slice(0, 300)}`);
        }
      }
    });
    console.log(
      `fuzz http: seed ${SEED}, slowest answer ${Math.round(slowest.ms)} ms (${slowest.label}), /healthz checked ${health.checks} times`,
    );
    expect(failures).toEqual([]);
    expect(health.slow).toEqual([]);
    expect(health.checks).toBeGreaterThan(10);
  }, 600_000);

  test(`${WS_CASES} hostile graphql-ws operations (seed ${SEED}): an error or a result each, within 1 s, no INTERNAL, no leak, nothing written when refused`, async () => {
    const failures: string[] = [];
    const closes: number[] = [];
    let slowest = { ms: 0, label: "" };
    let socket: ProtocolSocket | null = null;
    const health = await whileWatchingHealth(async () => {
      let before = await fingerprint();
      for (const item of corpus) {
        if (item.transport !== "ws") continue;
        socket ??= await ProtocolSocket.open(wsUrl(platform.url), `Bearer ${account.accessToken}`);
        const started = performance.now();
        const outcome = await socket.subscribe(item.payload);
        const ms = performance.now() - started;
        if (ms > slowest.ms) slowest = { ms, label: item.label };
        const text = JSON.stringify({ results: outcome.results, error: outcome.error });
        const problems = problemsOf({ status: 200, text, ms });
        if (outcome.timedOut) problems.push("no answer within 1 s");
        if (outcome.closed !== undefined) {
          // Only the protocol's "bad message" (4400) fits a payload of the wrong shape.
          closes.push(outcome.closed);
          if (outcome.closed !== 4400) problems.push(`socket closed with ${outcome.closed}`);
          socket = null;
        }
        const first = outcome.results[0] as { data?: Record<string, unknown> | null; errors?: unknown[] } | undefined;
        const wasRefused = outcome.error !== undefined || !first || refused(200, first);
        const after = await fingerprint();
        if (wasRefused && after !== before) problems.push("a refused operation wrote");
        before = after;
        if (problems.length) failures.push(`${item.label}: ${problems.join(", ")} — ${text.slice(0, 300)}`);
      }
      (socket as ProtocolSocket | null)?.close();
    });
    console.log(
      `fuzz ws: seed ${SEED}, slowest answer ${Math.round(slowest.ms)} ms (${slowest.label}), sockets closed ${closes.length} times (codes ${[...new Set(closes)].join(", ")})`,
    );
    expect(failures).toEqual([]);
    expect(health.slow).toEqual([]);
    expect(health.checks).toBeGreaterThan(5);
  }, 600_000);

  test("frames that break the graphql-ws protocol close only their own socket, with a protocol code", async () => {
    const frames: { label: string; frame: string | Buffer; binary?: boolean; codes: number[] }[] = [
      { label: "not JSON", frame: "{ not json", codes: [4400] },
      { label: "an unknown message type", frame: JSON.stringify({ type: "gimme" }), codes: [4400] },
      {
        label: "subscribe without an id",
        frame: JSON.stringify({ type: "subscribe", payload: { query: "{ __typename }" } }),
        codes: [4400],
      },
      {
        label: "a payload that is not an object",
        frame: JSON.stringify({ id: "1", type: "subscribe", payload: "{ me { id } }" }),
        codes: [4400],
      },
      {
        label: "a second connection_init",
        frame: JSON.stringify({ type: "connection_init", payload: {} }),
        codes: [4429],
      },
      { label: "invalid UTF-8 in a text frame", frame: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), codes: [1007] },
      { label: "a binary frame", frame: Buffer.from([0x00, 0x01, 0x02]), binary: true, codes: [4400, 1003] },
      { label: "NUL bytes", frame: "\u0000\u0000", codes: [4400] },
      { label: "a frame over WS_MAX_PAYLOAD_BYTES", frame: "x".repeat(1_100_000), codes: [1009] },
    ];
    for (const { label, frame, binary, codes } of frames) {
      const socket = new WebSocket(wsUrl(platform.url), "graphql-transport-ws");
      await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
      socket.send(
        JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${account.accessToken}` } }),
      );
      await new Promise((resolve) => socket.once("message", resolve));
      const closed = new Promise<number>((resolve) => socket.once("close", resolve));
      // A raw frame with a bad UTF-8 payload is sent as text; everything else as the frame it is.
      if (Buffer.isBuffer(frame) && !binary)
        (socket as any)._sender.send(frame, { binary: false, fin: true, mask: true, compress: false });
      else socket.send(frame, { binary: Boolean(binary) });
      const code = await closed;
      expect([label, codes.includes(code)]).toEqual([label, true]);
    }
    // The gateway still serves new sockets and HTTP.
    const socket = await ProtocolSocket.open(wsUrl(platform.url), `Bearer ${account.accessToken}`);
    const answer = await socket.subscribe({ query: "{ __typename }" });
    expect(answer.results).toEqual([{ data: { __typename: "Query" } }]);
    socket.close();
    expect((await fetch(`${platform.gatewayOrigin}/healthz`)).status).toBe(200);
  });
});

/**
 * The graphql-ws protocol over a raw socket (graphql-transport-ws), so the suite controls every
 * frame and sees each close code as it is.
 */
class ProtocolSocket {
  private readonly answers = new Map<string, (message: { type: string; payload?: unknown }) => void>();
  private readonly closeListeners = new Set<(code: number) => void>();
  private closedWith: number | null = null;
  private lastId = 0;

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { id?: string; type: string; payload?: unknown };
      if (message.type === "ping") socket.send(JSON.stringify({ type: "pong" }));
      if (message.id) this.answers.get(message.id)?.(message);
    });
    socket.on("close", (code) => {
      this.closedWith = code;
      for (const listener of this.closeListeners) listener(code);
    });
  }

  static async open(url: string, authorization: string): Promise<ProtocolSocket> {
    const socket = new WebSocket(url, "graphql-transport-ws");
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    const acknowledged = new Promise<void>((resolve, reject) => {
      socket.once("message", (data) =>
        JSON.parse(String(data)).type === "connection_ack" ? resolve() : reject(new Error(String(data))),
      );
      socket.once("close", (code) => reject(new Error(`closed with ${code} before connection_ack`)));
    });
    socket.send(JSON.stringify({ type: "connection_init", payload: { authorization } }));
    await acknowledged;
    return new ProtocolSocket(socket);
  }

  /**
   * Subscribes and waits for the answer: an error or completion, or the socket's close; a
   * subscription that streams counts as answered by its first event (completed at the deadline).
   */
  subscribe(payload: unknown): Promise<{ results: unknown[]; error?: unknown; closed?: number; timedOut?: boolean }> {
    const id = String(++this.lastId);
    const results: unknown[] = [];
    return new Promise((resolve) => {
      const settle = (outcome: { results: unknown[]; error?: unknown; closed?: number; timedOut?: boolean }) => {
        clearTimeout(timer);
        this.answers.delete(id);
        this.closeListeners.delete(onClose);
        resolve(outcome);
      };
      const onClose = (code: number) => settle({ results, closed: code });
      this.closeListeners.add(onClose);
      this.answers.set(id, (message) => {
        if (message.type === "next") results.push(message.payload);
        else if (message.type === "error") settle({ results, error: message.payload });
        else if (message.type === "complete") settle({ results });
      });
      const timer = setTimeout(() => {
        if (this.closedWith === null) this.socket.send(JSON.stringify({ id, type: "complete" }));
        settle({ results, timedOut: results.length === 0 });
      }, ANSWER_WITHIN_MS);
      this.socket.send(JSON.stringify({ id, type: "subscribe", payload }));
    });
  }

  close(): void {
    this.socket.close(1000);
  }
}
