import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";

/**
 * Cookie mode, between the gateway and the users subgraph (see gateway/src/auth/session-cookie.ts):
 * the web app asks for it with `x-mary-session: cookie`, and its refresh token then lives in an
 * httpOnly cookie of the gateway, never in a body page scripts can read. The gateway passes the
 * mode on to users with the cookie's token; users answers with the token for the new cookie
 * (empty: clear it) and its lifetime in seconds.
 */
export const SESSION_MODE_HEADER = "x-mary-session";
export const COOKIE_SESSION_MODE = "cookie";
export const REFRESH_TOKEN_HEADER = "x-mary-refresh-token";
export const SET_REFRESH_TOKEN_HEADER = "x-mary-set-refresh-token";
export const REFRESH_MAX_AGE_HEADER = "x-mary-refresh-max-age";

export interface RunningServer {
  url: string;
  port: number;
  close: () => Promise<void>;
}

/** Starts a Node HTTP server and resolves once it listens. */
export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Closes a Node HTTP server, ending idle keep-alive sockets so close does not hang. */
export async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/** Largest request body the gateway, Mary's public endpoint, reads; bigger ones are refused before parsing. */
export const MAX_BODY_BYTES = 1_000_000;

/**
 * Largest request body a subgraph reads. The gateway rewrites each request it accepted into
 * subgraph operations, and printing a string literal can grow it (a C1 control character is 2
 * bytes of UTF-8 from the client and 7, `\\u0085`, once printed and JSON-encoded), so a subgraph
 * accepts several times what the gateway does: any request the gateway accepts, a subgraph accepts.
 */
export const SUBGRAPH_MAX_BODY_BYTES = 8 * MAX_BODY_BYTES;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = "BAD_USER_INPUT",
  ) {
    super(message);
  }
}

/**
 * Reads the whole body as a Buffer, refusing bodies over the limit. A refused body is left
 * unread (not destroyed, so the refusal can still be answered; see sendHttpError).
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off("data", onData).off("end", onEnd).off("error", reject);
      req.pause();
      reject(new HttpError(413, `Request body is larger than ${limit} bytes`));
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on("data", onData).on("end", onEnd).on("error", reject);
  });
}

/** Writes a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(text);
}

/** Writes a GraphQL-shaped error response, for failures before execution. */
export function sendGraphQLError(
  res: ServerResponse,
  status: number,
  message: string,
  code: string,
  headers: Record<string, string> = {},
) {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, headers);
}

/**
 * Answers a request refused before execution. When its body was not read to the end (a 413),
 * the connection is closed after the answer: the unread bytes would otherwise be taken for the
 * next request on a kept-alive connection, and that request (perhaps another user's, through a
 * pool) would fail.
 */
export function sendHttpError(req: IncomingMessage, res: ServerResponse, error: HttpError) {
  const unread = !req.complete;
  sendGraphQLError(res, error.status, error.message, error.code, unread ? { connection: "close" } : {});
}

/**
 * A GraphQL request's body as Apollo Server takes it: JSON parsed when the content type says
 * JSON (400 when it is not valid JSON), else the text; nothing for other methods than POST.
 */
export async function readGraphQLBody(req: IncomingMessage, maxBodyBytes = MAX_BODY_BYTES): Promise<unknown> {
  if (req.method !== "POST") return undefined;
  const raw = await readBody(req, maxBodyBytes);
  if (!(req.headers["content-type"] ?? "").includes("application/json")) return raw.toString("utf8");
  try {
    return raw.length ? JSON.parse(raw.toString("utf8")) : undefined;
  } catch {
    throw new HttpError(400, "The request body is not valid JSON");
  }
}

/**
 * Runs one HTTP request through Apollo Server (the same path its own
 * integrations take), so our plain node:http servers keep Apollo's CSRF
 * prevention, content negotiation and error handling. `read`: the body, when the caller has
 * read it already (readGraphQLBody).
 */
export async function handleGraphQLRequest<C extends BaseContext>(
  server: ApolloServer<C>,
  req: IncomingMessage,
  res: ServerResponse,
  context: () => Promise<C>,
  maxBodyBytes = MAX_BODY_BYTES,
  read?: { body: unknown },
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const url = new URL(req.url ?? "/", "http://localhost");
  const body = read ? read.body : await readGraphQLBody(req, maxBodyBytes);
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
    context,
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === "complete") {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
