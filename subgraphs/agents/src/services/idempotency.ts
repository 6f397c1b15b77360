import { createHash, randomUUID } from "node:crypto";
import { appError, badUserInput, ErrorCode, type AuthenticatedPrincipal } from "@mary/kit";
import type { AgentStore } from "../store.ts";

/** How long a key is remembered. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;
/** How long a retry waits for the first request's entity to be written. */
const FIRST_RESULT_WAIT_MS = 5_000;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Client idempotency keys for create mutations: the first request with a key records the id it
 * will create (the key's `_id` is unique, so one request wins however many race), and a retry
 * with the same key and the same input returns what the first created instead of creating it
 * again. A client whose mutation timed out (OUTCOME_UNKNOWN) retries safely this way.
 */
export class IdempotencyKeys {
  constructor(private readonly store: AgentStore) {}

  /**
   * Creates with `create(id)` once per key: without a key, always. `find(id)` reads back what the
   * first request with the key created. A key reused with another input is BAD_USER_INPUT.
   */
  async once<T>(
    caller: AuthenticatedPrincipal,
    operation: string,
    key: string | null | undefined,
    input: unknown,
    create: (id: string) => Promise<T>,
    find: (id: string) => Promise<T | null>,
  ): Promise<T> {
    if (key == null) return create(randomUUID());
    if (key.length < 1 || key.length > MAX_KEY_LENGTH) {
      throw badUserInput(`\`idempotencyKey\` must be 1 to ${MAX_KEY_LENGTH} characters`, "idempotencyKey");
    }
    const _id = `${caller.workspaceId}:${operation}:${sha256(key)}`;
    const fingerprint = sha256(JSON.stringify(input));
    const resultId = randomUUID();
    for (;;) {
      try {
        await this.store.idempotencyKeys.insertOne({ _id, resultId, fingerprint, createdAt: new Date() });
        break;
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
      }
      const first = await this.firstResult(_id, fingerprint, find);
      // Gone: the first request failed and freed the key; this one takes it.
      if (first !== undefined) return first;
    }
    try {
      return await create(resultId);
    } catch (error) {
      // Nothing was created: the key is free again for a corrected request.
      await this.store.idempotencyKeys.deleteOne({ _id, resultId });
      throw error;
    }
  }

  /** Forgets keys older than a day. */
  async expire(): Promise<void> {
    await this.store.idempotencyKeys.deleteMany({ createdAt: { $lt: new Date(Date.now() - IDEMPOTENCY_KEY_TTL_MS) } });
  }

  /** What the key's first request created; undefined when the key is free again. */
  private async firstResult<T>(
    _id: string,
    fingerprint: string,
    find: (id: string) => Promise<T | null>,
  ): Promise<T | undefined> {
    const deadline = Date.now() + FIRST_RESULT_WAIT_MS;
    for (;;) {
      const record = await this.store.idempotencyKeys.findOne({ _id });
      if (!record) return undefined;
      if (record.fingerprint !== fingerprint) {
        throw badUserInput("This idempotency key was already used with a different input", "idempotencyKey");
      }
      const found = await find(record.resultId);
      if (found) return found;
      if (Date.now() > deadline) {
        throw appError(
          ErrorCode.SERVICE_UNAVAILABLE,
          "The first request with this idempotency key is still in progress; try again",
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
