import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServerOptions } from "@apollo/server";
import {
  BREAK,
  GraphQLError,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
} from "graphql";
import { MAX_CACHED_QUERY_LENGTH, type Admission } from "./admission.ts";
import type { GatewayContext } from "./context.ts";
import type { PlanGateway } from "./core/plan-gateway.ts";

type FormatError = NonNullable<ApolloServerOptions<GatewayContext>["formatError"]>;

/**
 * The common request served without Apollo Server's pipeline: a JSON POST of one query or
 * mutation, already parsed, validated and admitted by the gateway's own admission path (the
 * checks Apollo Server's pipeline would run, see admission.ts), whose plan the plan executor
 * runs. Its answer is the one Apollo Server would give: the same body (`errors`, `data`,
 * `extensions`, errors formatted and masked by the same formatter), status and headers.
 *
 * Why: on Mary's own small operations Apollo Server's HTTP pipeline (content negotiation, request
 * context, plugin hooks, error normalization) was a sixth of what the gateway added to a request.
 * Anything else goes through Apollo Server as before: other methods and content types, an
 * `Accept` that is not plain JSON, persisted queries and other `extensions`, a document or
 * operation with errors (Apollo Server reports them), subscriptions, introspection and plans
 * only @apollo/gateway's executor runs.
 */
export class JsonPostPath {
  private readonly counts = { served: 0, toApollo: 0 };

  constructor(
    private readonly options: {
      admission: Admission;
      gateway: PlanGateway<GatewayContext>;
      formatError: FormatError;
    },
  ) {}

  /** Whether the request may take this path, by its method and headers alone (before its body is read). */
  accepts(req: IncomingMessage): boolean {
    return req.method === "POST" && isJson(req.headers["content-type"]) && acceptsJson(req.headers.accept);
  }

  /**
   * Serves the request and returns true, or returns false having written nothing, for Apollo
   * Server to serve it with the same body and caller (`caller` is awaited, never called again:
   * a request is counted against its rate limit once).
   */
  async serve(body: unknown, caller: Promise<GatewayContext>, res: ServerResponse): Promise<boolean> {
    const served = await this.tryServe(body, caller, res);
    this.counts[served ? "served" : "toApollo"]++;
    return served;
  }

  /** Requests this path served, and those it handed to Apollo Server, since the start (for /healthz). */
  stats(): { served: number; toApollo: number } {
    return { ...this.counts };
  }

  private async tryServe(body: unknown, caller: Promise<GatewayContext>, res: ServerResponse): Promise<boolean> {
    // A longer text is parsed anew each time, and planned anew: Apollo Server's own cache keeps it.
    if (!isRequestBody(body) || body.query.length > MAX_CACHED_QUERY_LENGTH) return false;
    let context: GatewayContext;
    try {
      context = await caller;
    } catch {
      return false; // a refused caller: Apollo Server answers with its error
    }
    const { admission, gateway } = this.options;
    const document = admission.parsedAndValidated(body.query);
    // Introspection is Apollo Server's to allow or refuse (`introspection`), wherever it is asked.
    if (!("kind" in document) || asksIntrospection(document)) return false;
    const admitted = admission.checkOperation(document, body.operationName, body.variables, "http");
    if (!("document" in admitted) || admitted.operation.operation === "subscription") return false;
    const running = gateway.executeAdmitted(
      document,
      admitted.operation,
      body.operationName,
      body.variables ?? {},
      context,
    );
    if (!running) return false;
    let result: ExecutionResult;
    let status: number | undefined;
    try {
      result = await running;
    } catch (error) {
      // As Apollo Server answers an executor that throws: the error alone, 500.
      result = { errors: [asGraphQLError(error)] };
      status = 500;
    }
    const errors = result.errors?.length ? this.formatErrors(result.errors) : undefined;
    status = errors?.status ?? status;
    // Apollo Server's 400 for an answer of errors with no `data` at all.
    if (errors && result.data === undefined && status === undefined) status = 400;
    res.statusCode = status ?? 200;
    for (const [name, value] of errors?.headers ?? []) res.setHeader(name, value);
    // Apollo Server's cache-control plugin: the plan executor reports no cache hints, so no-store.
    res.setHeader("cache-control", "no-store");
    res.setHeader("content-type", "application/json; charset=utf-8");
    if (context.session?.setCookie) res.setHeader("set-cookie", context.session.setCookie);
    res.end(`${JSON.stringify({ errors: errors?.formatted, data: result.data, extensions: result.extensions })}\n`);
    return true;
  }

  /**
   * Apollo Server's normalization (errorNormalize.js): each error with a `code` (else
   * INTERNAL_SERVER_ERROR), its `extensions.http` taken out into the answer's status and
   * headers, then given to formatError; an error formatError throws is "Internal server error".
   */
  private formatErrors(errors: readonly GraphQLError[]) {
    let status: number | undefined;
    const headers = new Map<string, string>();
    const formatted = errors.map((error): GraphQLFormattedError => {
      try {
        const graphqlError = asGraphQLError(error);
        const extensions: Record<string, unknown> = {
          ...graphqlError.extensions,
          code: graphqlError.extensions.code ?? "INTERNAL_SERVER_ERROR",
        };
        const http = extensions.http as { status?: unknown; headers?: unknown } | undefined;
        if (
          http &&
          typeof http === "object" &&
          (!("status" in http) || typeof http.status === "number") &&
          (!("headers" in http) || http.headers instanceof Map)
        ) {
          if (http.status) status = http.status as number;
          for (const [name, value] of (http.headers as Map<string, string> | undefined) ?? []) headers.set(name, value);
          delete extensions.http;
        }
        return this.options.formatError({ ...graphqlError.toJSON(), extensions }, error);
      } catch {
        return { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };
      }
    });
    return { formatted, status, headers };
  }
}

interface RequestBody {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** A single operation's body, as Apollo Server reads it, without `extensions` (persisted queries and the like). */
function isRequestBody(body: unknown): body is RequestBody {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const { query, operationName, variables, extensions } = body as Record<string, unknown>;
  return (
    typeof query === "string" &&
    (operationName == null || typeof operationName === "string") &&
    (variables == null || (typeof variables === "object" && !Array.isArray(variables))) &&
    extensions === undefined
  );
}

/** `application/json`, with parameters or none: a content type no browser form can send, so CSRF prevention passes it. */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(";", 1)[0]!.trim().toLowerCase() === "application/json";
}

/** No `Accept`, or one Apollo Server answers with `application/json` for certain. */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined) return true;
  const types = accept.split(",").map((part) => part.split(";", 1)[0]!.trim().toLowerCase());
  return types.length === 1 && (types[0] === "*/*" || types[0] === "application/json");
}

const introspecting = new WeakMap<DocumentNode, boolean>();

/** Whether the document selects `__schema` or `__type` anywhere, its fragments included; found once per document. */
function asksIntrospection(document: DocumentNode): boolean {
  let found = introspecting.get(document);
  if (found !== undefined) return found;
  found = false;
  visit(document, {
    Field(field) {
      if (field.name.value !== "__schema" && field.name.value !== "__type") return undefined;
      found = true;
      return BREAK;
    },
  });
  introspecting.set(document, found);
  return found;
}

function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const cause = error instanceof Error ? error : new Error(`Unexpected error value: ${String(error)}`);
  return new GraphQLError(cause.message, { originalError: cause });
}
