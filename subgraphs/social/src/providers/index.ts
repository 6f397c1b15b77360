import type { SocialConfig } from "../config.ts";
import { allowsHttp } from "../config.ts";
import type { GraphStore } from "../store.ts";
import type { Network } from "../types/social-account.type.ts";
import { BlueskyProvider } from "./bluesky.provider.ts";
import { GraphPublicationLedger } from "./mastodon-ledger.ts";
import { MastodonProvider } from "./mastodon.provider.ts";
import type { NetworkProvider } from "./provider.ts";

export interface NetworkProviders {
  bluesky: BlueskyProvider;
  mastodon: MastodonProvider;
  /** The provider of a network (what publishing and the graph look up). */
  lookup: (network: Network) => NetworkProvider;
}

/** The real networks' providers under this config. */
export function createProviders(config: SocialConfig, graph: GraphStore): NetworkProviders {
  const bluesky = new BlueskyProvider({ timeoutMs: config.NETWORK_TIMEOUT_MS, allowHttp: allowsHttp(config) });
  const mastodon = new MastodonProvider(
    { timeoutMs: config.NETWORK_TIMEOUT_MS, applicationName: config.MASTODON_APP_NAME },
    new GraphPublicationLedger(graph),
  );
  const byNetwork: Record<Network, NetworkProvider> = {
    BLUESKY: bluesky as NetworkProvider,
    MASTODON: mastodon as NetworkProvider,
  };
  return { bluesky, mastodon, lookup: (network) => byNetwork[network] };
}
