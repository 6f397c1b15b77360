import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/** Structured JSON logs; every line names the service it came from. To stdout, unless given a destination. */
export function createLogger(
  service: string,
  level = process.env.LOG_LEVEL ?? "info",
  destination?: DestinationStream,
): Logger {
  const options = { name: service, level, base: { service } };
  return destination ? pino(options, destination) : pino(options);
}
