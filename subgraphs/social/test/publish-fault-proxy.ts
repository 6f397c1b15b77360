import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/**
 * What the proxy does to one request that matches:
 * - `status`: answers it itself with that status (and headers), never forwarding it: a 503, a 429 with Retry-After;
 * - `drop-after-upstream`: forwards it, lets the real server act on it, then closes the client's
 *   connection without an answer (the answer lost after the effect);
 * - `hold-after-upstream`: forwards it, and holds the real server's answer until `release()`
 *   (a worker can be killed while its request has had its effect and its answer is still out).
 */
export type Fault =
  { status: number; headers?: Record<string, string>; body?: string } | "drop-after-upstream" | "hold-after-upstream";

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The fault applied, if any. */
  fault: string | null;
  at: number;
}

interface Rule {
  matches: (method: string, path: string) => boolean;
  fault: Fault;
}

/**
 * A real HTTP proxy in front of a real network server (the PDS, GoToSocial): failures are injected
 * at the HTTP boundary, where a network's own failures happen, and everything else is the real
 * server's answer.
 */
export class PublishFaultProxy {
  readonly requests: ProxiedRequest[] = [];
  private readonly rules: Rule[] = [];
  private server: Server | null = null;
  private held: (() => void)[] = [];
  private heldWaiters: (() => void)[] = [];
  url = "";

  constructor(private readonly upstream: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next request matching `method` and `path` (a string it contains, or a pattern) gets `fault`. */
  failNext(method: string, path: string | RegExp, fault: Fault): void {
    this.rules.push({
      matches: (m, p) => m === method && (typeof path === "string" ? p.includes(path) : path.test(p)),
      fault,
    });
  }

  /** Resolves once a request is held (its effect done on the real server, its answer not sent). */
  whenHeld(): Promise<void> {
    if (this.held.length) return Promise.resolve();
    return new Promise((resolve) => this.heldWaiters.push(resolve));
  }

  /** Sends the held answers (to clients still listening). */
  release(): void {
    for (const send of this.held.splice(0)) send();
  }

  requestsTo(method: string, path: string | RegExp): ProxiedRequest[] {
    return this.requests.filter(
      (r) => r.method === method && (typeof path === "string" ? r.path.includes(path) : path.test(r.path)),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const index = this.rules.findIndex((rule) => rule.matches(method, path));
    const fault = index >= 0 ? this.rules.splice(index, 1)[0]!.fault : null;
    this.requests.push({
      method,
      path,
      fault: fault === null ? null : typeof fault === "string" ? fault : `status ${fault.status}`,
      at: Date.now(),
    });
    const body = Buffer.concat(await req.toArray());
    if (fault && typeof fault === "object") {
      res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
      res.end(fault.body ?? JSON.stringify({ error: "Injected", message: `Injected ${fault.status}` }));
      return;
    }
    const target = new URL(path, this.upstream);
    const headers = { ...req.headers, host: target.host };
    const upstream = httpRequest(target, { method, headers }, (answer) => {
      void (async () => {
        const answerBody = Buffer.concat(await answer.toArray());
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(answerBody);
        };
        if (fault === "drop-after-upstream") {
          res.socket?.destroy();
        } else if (fault === "hold-after-upstream") {
          this.held.push(send);
          for (const wake of this.heldWaiters.splice(0)) wake();
        } else {
          send();
        }
      })();
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502).end();
    });
    upstream.end(body);
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
