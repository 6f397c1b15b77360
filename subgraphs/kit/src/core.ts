// `@mary/kit/core`: the kit without the subgraph framework (no ORM, no type-graphql schema
// building, no subgraph server), for the gateway. Importing `@mary/kit` loads all of it: about
// 70 MB more heap in a gateway process that uses none of it.
export * from "./access.ts";
export * from "./config.ts";
export * from "./errors.ts";
export * from "./http.ts";
export * from "./ids.ts";
export * from "./input-bounds.ts";
export * from "./logger.ts";
export * from "./plans.ts";
export * from "./principal.ts";
export * from "./redis.ts";
export * from "./tokens.ts";
