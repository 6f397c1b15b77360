import type { IncomingHttpHeaders } from "node:http";
import { HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { appError, ErrorCode, inputValueProblem, PRINCIPAL_HEADER, stringProblem, type Logger } from "@mary/kit/core";
import {
  BREAK,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import type { Authenticator } from "./auth/authenticator.ts";
import type { OperationLimits } from "./config.ts";
import type { GatewayPrincipal } from "./context.ts";
import type { ApiCallQuota } from "./limits/api-quota.ts";
import { measureOperation, operationLimitErrors, type OperationMeasure } from "./limits/operation-limits.ts";
import { subjectOf, type RateLimiter, type RateLimitState } from "./limits/rate-limit.ts";

/** How a request says who sends it: HTTP headers (Authorization, or a Mary service's signed header), or a socket's credential. */
export type Credential = { headers: IncomingHttpHeaders } | { authorization: string | undefined };

/** The Authorization value of a credential; a request signed by one of Mary's services has none to go by. */
function authorizationOf(credential: Credential): string | undefined {
  if (!("headers" in credential)) return credential.authorization;
  if (credential.headers[PRINCIPAL_HEADER] !== undefined) return undefined;
  const value = credential.headers.authorization;
  return Array.isArray(value) ? value[0] : value;
}

/** An admitted caller: who it is, and its rate-limit budget after this request (none without rate limits). */
export interface Caller {
  principal: GatewayPrincipal;
  rate?: RateLimitState;
}

/** A GraphQL request as a client sends it. */
export interface OperationRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** An operation that passed every check, ready to plan. */
export interface AdmittedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

export interface AdmissionOptions {
  /** The client-facing schema. */
  schema: GraphQLSchema;
  authenticator: Authenticator;
  /** Rate limits, in Redis: none without Redis. */
  rateLimiter?: RateLimiter;
  /** The plans' API-call quota, in Redis: none without Mary's plans. */
  apiCallQuota?: ApiCallQuota;
  limits: OperationLimits;
  log: Logger;
}

/** Documents remembered parsed and validated (oldest forgotten first), and the longest text remembered. */
const MAX_CACHED_DOCUMENTS = 1_000;
export const MAX_CACHED_QUERY_LENGTH = 20_000;

const requestError = (message: string, code: string, status = 400) =>
  new GraphQLError(message, { extensions: { code, http: { status } } });

/**
 * The gateway's one admission path, which HTTP and WebSocket operations both take, in this
 * order: credential → principal → rate limit and quota → parse limits → validation → operation resolution → input bounds → variable coercion → operation
 * limits and cost. Only then is an operation planned and any subgraph called. Each check costs
 * time linear in the request's size. Messages leave through the kit's error formatter, which
 * strips field suggestions from every one of them.
 *
 * HTTP keeps Apollo Server for the protocol (CSRF prevention, GET and POST, persisted queries),
 * which parses and validates with the same rules and calls `checkOperation` through
 * `admissionPlugin`; graphql-ws has no pipeline of its own and calls `admit`.
 */
export class Admission {
  private readonly documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  /**
   * What depends on a document alone, found once per document: Apollo Server and `documents`
   * hand the same parsed document to every request of the same text.
   */
  private readonly literalProblems = new WeakMap<DocumentNode, string | null>();
  /** The measure of each operation without variables, which no request can change. */
  private readonly measures = new WeakMap<OperationDefinitionNode, OperationMeasure>();

  constructor(private readonly options: AdmissionOptions) {}

  /**
   * Who calls, and whether they may call now: a bad credential, an exhausted rate limit or quota
   * throws its own error. When what the check needs cannot answer (Redis for revocations, plans
   * and counts; users for API keys; a JWKS URL for its keys), the request is refused with 503 SERVICE_UNAVAILABLE rather
   * than let through unchecked.
   */
  async admitCaller(credential: Credential, clientAddress: string): Promise<Caller> {
    const { authenticator, rateLimiter, apiCallQuota } = this.options;
    // A token seen before is counted while the rest of it is checked: one wait for Redis, not two.
    const known = rateLimiter ? authenticator.knownRateSubject?.(authorizationOf(credential)) : null;
    const early = known ? rateLimiter!.hitSubject(known, false) : null;
    early?.catch(() => {}); // awaited below, or dropped with the request's own error
    try {
      const principal =
        "headers" in credential
          ? await authenticator.authenticateRequest(credential.headers)
          : await authenticator.authenticate(credential.authorization);
      const rate =
        early && subjectOf(principal, clientAddress) === known
          ? await early
          : await rateLimiter?.hit(principal, clientAddress);
      await apiCallQuota?.count(principal);
      return { principal, rate };
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      this.options.log.warn({ err: error }, "the caller could not be checked");
      throw appError(ErrorCode.SERVICE_UNAVAILABLE, "The gateway cannot check this request right now; try again", {
        http: { status: 503, headers: new HeaderMap([["retry-after", "1"]]) },
      });
    }
  }

  /** The document, parsed within the token limit. */
  parse(query: unknown): DocumentNode | readonly GraphQLError[] {
    if (typeof query !== "string" || !query.trim()) {
      return [requestError("The request has no `query` text", "BAD_REQUEST")];
    }
    try {
      return parse(query, { maxTokens: this.options.limits.maxTokens });
    } catch (error) {
      return [requestError((error as Error).message, "GRAPHQL_PARSE_FAILED")];
    }
  }

  /** GraphQL's own validation rules, the same Apollo Server applies to HTTP requests. */
  validate(document: DocumentNode): readonly GraphQLError[] {
    return validate(this.options.schema, document, specifiedRules, { maxErrors: 20 }).map((error) =>
      requestError(error.message, "GRAPHQL_VALIDATION_FAILED"),
    );
  }

  /**
   * The checks that need the operation and its variables: which operation runs, argument values
   * within the input bounds, variables coerced to their types, and the operation's limits and
   * cost. `transport` says where it came from: subscriptions are served over WebSocket only.
   */
  checkOperation(
    document: DocumentNode,
    operationName: string | null | undefined,
    rawVariables: Record<string, unknown> | null | undefined,
    transport: "http" | "ws",
  ): AdmittedOperation | readonly GraphQLError[] {
    const { schema, limits } = this.options;
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
      const message =
        operationName != null
          ? `The document has no operation named "${operationName}"`
          : operations > 1
            ? "The document has several operations: say which to run with `operationName`"
            : "The document has no operation to run";
      return [requestError(message, "OPERATION_RESOLUTION_FAILURE")];
    }
    if (operation.operation === "subscription" && transport === "http") {
      return [
        requestError(
          "Subscriptions are served over WebSocket: connect to this endpoint with the graphql-ws protocol",
          "BAD_REQUEST",
        ),
      ];
    }
    const literalProblem = this.literalProblem(document);
    if (literalProblem) return [appError(ErrorCode.BAD_USER_INPUT, literalProblem, { http: { status: 400 } })];
    if (rawVariables != null && (typeof rawVariables !== "object" || Array.isArray(rawVariables))) {
      return [appError(ErrorCode.BAD_USER_INPUT, "`variables` must be a JSON object", { http: { status: 400 } })];
    }
    const variableProblem = inputValueProblem(rawVariables ?? {}, limits.input, "variables");
    if (variableProblem) return [appError(ErrorCode.BAD_USER_INPUT, variableProblem, { http: { status: 400 } })];
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, {
      maxErrors: 10,
    });
    if (coerced.errors) {
      return coerced.errors.map((error) =>
        appError(ErrorCode.BAD_USER_INPUT, error.message, { http: { status: 400 } }),
      );
    }
    const errors = operationLimitErrors(this.measure(document, operation, coerced.coerced), limits);
    if (errors.length) return errors;
    return { document, operation };
  }

  /** A caller's whole request, for a transport without Apollo's pipeline (graphql-ws). */
  async admit(
    request: OperationRequest,
    credential: Credential,
    clientAddress: string,
    transport: "http" | "ws",
  ): Promise<{ caller: Caller; admitted: AdmittedOperation } | readonly GraphQLError[]> {
    let caller: Caller;
    try {
      caller = await this.admitCaller(credential, clientAddress);
    } catch (error) {
      if (error instanceof GraphQLError) return [error];
      throw error;
    }
    const document = this.parsedAndValidated(request.query);
    if (!("kind" in document)) return document;
    const admitted = this.checkOperation(document, request.operationName, request.variables, transport);
    if (!("document" in admitted)) return admitted;
    return { caller, admitted };
  }

  /**
   * The document parsed and validated, or its errors, remembered by its text: thousands of
   * viewers subscribing to the same run send the same document, and parsing and validating it
   * each time held the event loop for seconds. (Apollo Server keeps its own cache for HTTP
   * requests it serves; json-post.ts serves the others from this one.)
   */
  parsedAndValidated(query: unknown): DocumentNode | readonly GraphQLError[] {
    const cached = typeof query === "string" ? this.documents.get(query) : undefined;
    if (cached) return cached;
    const parsed = this.parse(query);
    const invalid = "kind" in parsed ? this.validate(parsed) : [];
    const outcome = invalid.length ? invalid : parsed;
    if (typeof query === "string" && query.length <= MAX_CACHED_QUERY_LENGTH) {
      if (this.documents.size >= MAX_CACHED_DOCUMENTS) this.documents.delete(this.documents.keys().next().value!);
      this.documents.set(query, outcome);
    }
    return outcome;
  }

  /** The operation's measure: with variables, for these values (a page size may be one). */
  private measure(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ): OperationMeasure {
    if (operation.variableDefinitions?.length)
      return measureOperation(this.options.schema, document, operation, variables);
    let measure = this.measures.get(operation);
    if (!measure) {
      measure = measureOperation(this.options.schema, document, operation, variables);
      this.measures.set(operation, measure);
    }
    return measure;
  }

  /** The first string literal of the document outside the input bounds (literal nesting is bounded by the token limit). */
  private literalProblem(document: DocumentNode): string | null {
    const known = this.literalProblems.get(document);
    if (known !== undefined) return known;
    let problem: string | null = null;
    visit(document, {
      StringValue: (node) => {
        const found = stringProblem(node.value, this.options.limits.input.maxStringLength);
        if (!found) return;
        problem = `A string argument ${found}`;
        return BREAK;
      },
    });
    this.literalProblems.set(document, problem);
    return problem;
  }
}

/** Apollo Server's part of the admission path: the checks that follow its own parsing and validation. */
export function admissionPlugin(admission: Admission): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const admitted = admission.checkOperation(document, request.operationName, request.variables, "http");
          if (!("document" in admitted)) throw admitted[0];
        },
      };
    },
  };
}
