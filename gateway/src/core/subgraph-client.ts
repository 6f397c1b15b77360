import { getOperationAST, GraphQLError, parse } from "graphql";
import { Pool } from "undici";
import type { SubgraphAnswer, SubgraphError, SubgraphRequest } from "./plan-executor.ts";

/** Connection failures that happen before a request is sent: no connection was made. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** True when a subgraph fetch's operation text is a mutation. */
function isMutation(query: string | undefined): boolean {
  if (!query) return false;
  try {
    return getOperationAST(parse(query))?.operation === "mutation";
  } catch {
    return false;
  }
}

/**
 * A fetch that failed on the way (the subgraph is down, restarting, closed the connection or
 * passed the timeout) fails its fields with SERVICE_UNAVAILABLE, which says "retry", instead of
 * an INTERNAL that says nothing. A mutation that may have reached the subgraph is OUTCOME_UNKNOWN
 * instead: retrying it blindly could do it twice. Returns undefined for any other error.
 */
export function transportError(
  serviceName: string,
  failure: { timedOut: boolean; notSent: boolean },
  query: string | undefined,
  cause: Error,
): GraphQLError {
  const { timedOut, notSent } = failure;
  if (!notSent && isMutation(query)) {
    return new GraphQLError(
      `The ${serviceName} service ${timedOut ? "did not answer in time" : "closed the connection"}; the mutation ` +
        "may or may not have taken effect. Retry with the same idempotency key, or read the result first",
      { extensions: { code: "OUTCOME_UNKNOWN" }, originalError: cause },
    );
  }
  return new GraphQLError(
    timedOut
      ? `The ${serviceName} service did not answer in time; try again`
      : `The ${serviceName} service could not be reached; try again`,
    { extensions: { code: "SERVICE_UNAVAILABLE" }, originalError: cause },
  );
}

/** NOT_SENT_CODES for a fetch's TypeError, whose cause carries the code. */
export const notSentCode = (code: unknown) => typeof code === "string" && NOT_SENT_CODES.has(code);

export interface SubgraphClientOptions<Context> {
  name: string;
  url: string;
  timeoutMs: number;
  maxRequestBytes?: number;
  headers?: (context: Context) => Record<string, string>;
  /** Sees a successful answer's headers. */
  onResponse?: (headers: { get(name: string): string | null }, context: Context) => void;
}

/**
 * One subgraph over a keep-alive connection pool (undici), for the plan executor: the request
 * body is one JSON string, the answer one JSON.parse, with the same limits, timeouts and error
 * codes as the data source @apollo/gateway's own executor uses (SubgraphDataSource).
 */
export class SubgraphClient<Context> {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(private readonly options: SubgraphClientOptions<Context>) {
    const url = new URL(options.url);
    this.path = url.pathname + url.search;
    this.pool = new Pool(url.origin, {
      connections: 128,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  async fetch(request: SubgraphRequest, context: Context): Promise<SubgraphAnswer> {
    const { name, maxRequestBytes } = this.options;
    const body = request.json ?? JSON.stringify(request);
    if (maxRequestBytes !== undefined && body.length > maxRequestBytes / 4) {
      // Only a body that might pass the limit is measured in bytes (a character is at most 4).
      const size = Buffer.byteLength(body);
      if (size > maxRequestBytes) {
        throw new GraphQLError(
          `The request to the ${name} service would be ${size} bytes, over its limit of ${maxRequestBytes}; send a smaller one`,
          { extensions: { code: "BAD_USER_INPUT" } },
        );
      }
    }
    let response: RawResponse;
    try {
      response = await this.send(body, { "content-type": "application/json", ...this.options.headers?.(context) });
    } catch (failure) {
      const { error, started } = failure as { error: Error & { code?: unknown }; started: boolean };
      const code = error.code;
      throw transportError(
        name,
        { timedOut: typeof code === "string" && TIMEOUT_CODES.has(code), notSent: !started && notSentCode(code) },
        request.query,
        error,
      );
    }
    const text = response.text;
    const status = response.status;
    if (status >= 200 && status < 300) {
      if (this.options.onResponse) {
        const headers = response.headers;
        this.options.onResponse(
          {
            get: (header) => {
              const value = headers[header.toLowerCase()];
              return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
            },
          },
          context,
        );
      }
      const answer = JSON.parse(text) as SubgraphAnswer;
      if (answer && typeof answer === "object") answer.bytes = text.length;
      return answer;
    }
    // A subgraph refuses a request it cannot run with 400 and a GraphQL body: its first error is
    // passed on, message and code, as SubgraphDataSource.errorFromResponse does.
    if (status === 400) {
      try {
        const first = (JSON.parse(text) as { errors?: SubgraphError[] }).errors?.[0];
        if (typeof first?.message === "string" && typeof first.extensions?.code === "string") {
          throw new GraphQLError(first.message, { extensions: { code: first.extensions.code } });
        }
      } catch (error) {
        if (error instanceof GraphQLError) throw error;
      }
    }
    const code = status === 401 ? "UNAUTHENTICATED" : status === 403 ? "FORBIDDEN" : undefined;
    throw new GraphQLError(`${status}: ${statusText(status)}`, { extensions: code ? { code } : {} });
  }

  /**
   * One POST over the pool, its answer collected as text. Through undici's dispatch API rather
   * than `request`, which wraps every answer in a stream and an async resource: a subgraph's
   * answer is read whole anyway. Rejects with the error and whether the answer had started.
   */
  private send(body: string, headers: Record<string, string>): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      let status = 0;
      let responseHeaders: IncomingHeaders = {};
      const chunks: Buffer[] = [];
      this.pool.dispatch(
        { path: this.path, method: "POST", headers, body },
        {
          onRequestStart() {},
          onResponseStart(_controller, statusCode, headers) {
            status = statusCode;
            responseHeaders = headers as IncomingHeaders;
          },
          onResponseData(_controller, chunk) {
            chunks.push(chunk);
          },
          onResponseEnd() {
            const text = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
            resolve({ status, headers: responseHeaders, text });
          },
          onResponseError(_controller, error) {
            reject({ error, started: status !== 0 });
          },
        },
      );
    });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

type IncomingHeaders = Record<string, string | string[] | undefined>;

/** A subgraph's HTTP answer, read whole. */
interface RawResponse {
  status: number;
  headers: IncomingHeaders;
  text: string;
}

const statusText = (status: number) =>
  ({ 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 413: "Payload Too Large" })[status] ??
  (status >= 500 ? "Server Error" : "Error");
