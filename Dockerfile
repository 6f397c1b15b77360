# One image for Mary's Node services (the subgraphs, the gateway and the web app's server); docker-compose.yml picks
# each container's command, e.g. `pnpm --filter @mary/users start`. Build context: the repo root.
FROM node:24-slim

# NODE_ENV=production is set by docker-compose.yml at run time, not here: pnpm would then skip
# the dev dependencies, and the services run their TypeScript with tsx, one of them.
ENV CI=true COREPACK_ENABLE_DOWNLOAD_PROMPT=0
RUN corepack enable && corepack prepare pnpm@12.21.0 --activate

WORKDIR /app

# Dependencies first, from the lockfile alone, so that source edits reuse this layer.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
COPY patches ./patches
RUN pnpm fetch

# Then the workspace, installed offline from the fetched store.
COPY . .
RUN pnpm install --offline --frozen-lockfile
# The web app's static build; the `web` container serves it with `vite preview`.
RUN pnpm --filter @mary/web build

# .data/keys is where scripts/keys.ts writes the token-signing key pair (a volume in compose).
RUN mkdir -p .data/keys && chown -R node:node .data
USER node

EXPOSE 4000 4001 5173
CMD ["pnpm", "--filter", "@mary/gateway", "start"]
