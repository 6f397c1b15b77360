import "reflect-metadata";
export * from "./access.ts";
export * from "./config.ts";
export * from "./enums.ts";
export * from "./errors.ts";
export {
  compareStreamIds,
  EventStreams,
  streamCursor,
  streamIdOfCursor,
  type EventStreamOptions,
  type StoredEvent,
} from "./event-streams.ts";
export { GatewayClient, GatewayError, type GatewayFailure } from "./gateway-client.ts";
export * from "./http.ts";
export * from "./ids.ts";
export * from "./input-bounds.ts";
export * from "./json-scalar.ts";
export * from "./loaders.ts";
export * from "./logger.ts";
export * from "./money.ts";
export * from "./orm.ts";
export * from "./pagination.ts";
export * from "./plans.ts";
export * from "./principal.ts";
export * from "./redis.ts";
export * from "./schema.ts";
export { parseSecretKeys, SecretBox, secretKeysConfig } from "./secrets.ts";
export * from "./server.ts";
export * from "./tokens.ts";
export * from "./validation.ts";
