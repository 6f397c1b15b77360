import { ApolloLink } from "@apollo/client/link";
import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { print } from "@apollo/client/utilities";
import type { Client } from "graphql-ws";
import { Observable } from "rxjs";

/**
 * What a subscription passes in its context (`context: { resume }`) to continue where it was:
 * given each result, the variables to subscribe with if the socket has to connect again.
 * The agent run view returns `{ after: event.seq }`, so a reconnect replays nothing it has seen.
 */
export type Resume = (data: Record<string, unknown>) => Record<string, unknown> | undefined;

/**
 * Apollo's GraphQLWsLink, plus resuming: graphql-ws re-sends the same payload object after it
 * reconnects (a dropped socket, or the re-authentication after a token refresh), so updating its
 * variables as results arrive makes the new subscription start after the last result received.
 */
export class ResumableWsLink extends ApolloLink {
  constructor(private readonly client: Client) {
    super();
  }

  override request(operation: ApolloLink.Operation): Observable<ApolloLink.Result> {
    return new Observable((observer) => {
      const resume = operation.getContext().resume as Resume | undefined;
      const payload = {
        query: print(operation.query),
        operationName: operation.operationName,
        variables: { ...operation.variables },
        extensions: operation.extensions,
      };
      return this.client.subscribe(payload, {
        next: (result) => {
          if (resume && result.data) Object.assign(payload.variables, resume(result.data as Record<string, unknown>));
          observer.next(result as ApolloLink.Result);
        },
        complete: () => observer.complete(),
        error: (error) => {
          if (error instanceof Error) return observer.error(error);
          if (Array.isArray(error)) return observer.error(new CombinedGraphQLErrors({ errors: error }));
          const closed = error as { code?: number; reason?: string };
          observer.error(new Error(`The connection closed${closed.reason ? `: ${closed.reason}` : ""}`));
        },
      });
    });
  }
}
