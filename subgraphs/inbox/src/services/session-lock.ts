import pg from "pg";

/** How often a lock held by another is tried again while waiting for it. */
const LOCK_POLL_MS = 100;

/**
 * Runs `work` on a PostgreSQL connection of its own that holds a session advisory lock on `key`:
 * one holder at a time across every process, and PostgreSQL frees the lock when a killed
 * process's connection drops. The lock is tried until `waitMs` has passed; null (and `work` not
 * run) when another holder kept it that long. The connection ends with the work.
 */
export async function withSessionLock<T>(
  databaseUrl: string,
  applicationName: string,
  key: string,
  work: (db: pg.Client) => Promise<T>,
  waitMs = 0,
): Promise<T | null> {
  const db = new pg.Client({ connectionString: databaseUrl, application_name: applicationName });
  db.on("error", () => {}); // a dropped connection fails the work's next query, which is what reports it
  await db.connect();
  try {
    for (const deadline = Date.now() + waitMs; ;) {
      const { rows } = await db.query<{ locked: boolean }>(
        "select pg_try_advisory_lock(hashtextextended($1, 0)) as locked",
        [key],
      );
      if (rows[0]?.locked) break;
      if (Date.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
    return await work(db);
  } finally {
    await db.end().catch(() => {});
  }
}
