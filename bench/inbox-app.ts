import { randomUUID } from "node:crypto";
import { createTestDatabase, TEST_ENV } from "@mary/kit/testing";
import { startInbox, type InboxApp } from "../subgraphs/inbox/src/app.ts";
import { loadInboxConfig } from "../subgraphs/inbox/src/config.ts";
import type { MessageTriage } from "../subgraphs/inbox/src/services/sync.service.ts";

/**
 * An inbox subgraph for a benchmark, on a database of its own: no gateway to call, its own sync
 * queue, and schedules that never fire during the run. `stop()` closes it and drops the database.
 */
export async function startBenchInbox(
  database: string,
  options: { triage?: MessageTriage } = {},
): Promise<{ app: InboxApp; stop: () => Promise<void> }> {
  const db = await createTestDatabase(database);
  const app = await startInbox(
    loadInboxConfig({
      ...TEST_ENV,
      INBOX_PORT: "0",
      INBOX_DATABASE_URL: db.url,
      GATEWAY_URL: "http://127.0.0.1:9/graphql",
      SYNC_QUEUE_NAME: `inbox-sync-bench-${randomUUID()}`,
      SYNC_POLL_SECONDS: "86400",
    }),
    options,
  );
  return {
    app,
    stop: async () => {
      await app.close();
      await db.drop();
    },
  };
}
