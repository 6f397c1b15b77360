import { appError, ErrorCode, type Logger } from "@mary/kit";
import { NetworkError, type AccountSession, type NetworkProvider } from "../providers/provider.ts";
import type { Network, SocialAccount } from "../types/social-account.type.ts";
import type { SocialAccountService } from "./social-account.service.ts";

/** The provider of each network Mary publishes to; a network without one cannot be published to. */
export type ProviderLookup = (network: Network) => NetworkProvider | undefined;

/**
 * How publishing reaches the networks: the account's provider and a session with its opened
 * tokens (tokens a provider rotates are sealed again before it uses them).
 */
export class PublishNetwork {
  constructor(
    private readonly providers: ProviderLookup,
    private readonly accounts: SocialAccountService,
    private readonly log: Logger,
  ) {}

  provider(network: Network): NetworkProvider {
    const provider = this.providers(network);
    if (!provider) throw new NetworkError(`Mary cannot publish to ${network} in this deployment`, "refused");
    return provider;
  }

  session(account: SocialAccount): AccountSession {
    return {
      account,
      tokens: this.accounts.tokensOf(account),
      saveTokens: (tokens) => this.accounts.updateTokens(account, tokens),
    };
  }

  /**
   * Runs a call on the network for a request (not a queued job): a refused credential marks the
   * account NEEDS_RECONNECT, and each failure becomes the error the caller sees.
   */
  async call<T>(account: SocialAccount, run: (provider: NetworkProvider, session: AccountSession) => Promise<T>) {
    try {
      return await run(this.provider(account.network), this.session(account));
    } catch (error) {
      if (!(error instanceof NetworkError)) {
        this.log.warn({ err: error, accountId: account.id }, "network call failed");
        throw appError(ErrorCode.SERVICE_UNAVAILABLE, "The network did not answer; try again");
      }
      if (error.kind === "auth") {
        await this.accounts.needsReconnect(account.id);
        throw appError(
          ErrorCode.BAD_USER_INPUT,
          `The network refused the account's credentials (${error.message}): connect it again`,
          { field: "accountId" },
        );
      }
      if (error.kind === "refused") throw appError(ErrorCode.BAD_USER_INPUT, `The network refused: ${error.message}`);
      throw appError(
        ErrorCode.SERVICE_UNAVAILABLE,
        `The network did not answer (${error.message}); try again`,
        error.retryAfterMs ? { retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) } : {},
      );
    }
  }
}
