import { pino, type Logger } from "pino";

export type { Logger };

/** Structured JSON logs; every line names the service it came from. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({ name: service, level, base: { service } });
}
