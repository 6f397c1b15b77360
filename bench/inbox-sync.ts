// Mail sync throughput: a BENCH_MAILBOX-message mailbox (default 2,000) on the real mail server,
// synced into the inbox database (first sync), then BENCH_INCREMENT more messages (default 100)
// and an incremental sync, then a sync with nothing new. Messages per second for each.
//
// The baseline is the ceiling: the same mailbox fetched over IMAP with the very FETCH sync uses
// (source, flags, dates, sizes, BODYSTRUCTURE, in batches of 100), without parsing or storing;
// and the same fetch parsed with mailparser, without storing. The ratios say what parsing,
// threading and PostgreSQL cost on top of the wire. Triage is left out (a no-op): it is another
// part of inbox, with its own provider.
//
//   pnpm bench     (BENCH_MAILBOX, BENCH_INCREMENT)
import { performance } from "node:perf_hooks";
import { createMailUser } from "@mary/kit/testing";
import { FETCH_QUERY, parseFetched } from "../subgraphs/inbox/src/services/message-parse.ts";
import type { MessageTriage } from "../subgraphs/inbox/src/services/sync.service.ts";
import { FETCH_BATCH, uidSet } from "../subgraphs/inbox/src/services/sync.service.ts";
import { CONNECT, imapOf, mailAccountInput, newMember, rawMessage } from "../subgraphs/inbox/test/harness.ts";
import { graphql, signedHeaders } from "@mary/kit/testing";
import { startBenchInbox } from "./inbox-app.ts";

const MAILBOX = Number(process.env.BENCH_MAILBOX ?? 2_000);
const INCREMENT = Number(process.env.BENCH_INCREMENT ?? 100);
const APPENDERS = 8;

const noTriage: MessageTriage = { triage: async () => [] };
const { app, stop } = await startBenchInbox("inbox_bench", { triage: noTriage });
const sql = (query: string, params: unknown[] = []) => app.orm.em.fork().getConnection().execute(query, params);

try {
  const user = await createMailUser();
  const me = newMember();
  const connected = await graphql(app.url, CONNECT, { input: mailAccountInput(user) }, signedHeaders(me));
  if (!connected.data) throw new Error(`connect failed: ${JSON.stringify(connected.errors)}`);
  const accountId: string = connected.data.connectMailAccount.id;
  // The sync that connecting queued runs on the empty mailbox; the measured ones come after it.
  for (;;) {
    const [row] = await sql(`select sync_state from mail_accounts where id = ?`, [accountId]);
    if (row?.sync_state === "IDLE") break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const append = async (from: number, count: number) => {
    const clients = await Promise.all(Array.from({ length: APPENDERS }, () => imapOf(user)));
    try {
      await Promise.all(
        clients.map(async (client, k) => {
          for (let i = from + k; i < from + count; i += APPENDERS) {
            const thread = Math.floor(i / 4);
            const raw = rawMessage({
              from: `Sender ${i % 40} <sender${i % 40}@bench.test>`,
              to: user.address,
              subject: `${i % 4 ? "Re: " : ""}Topic ${thread}`,
              messageId: `m${i}@bench.test`,
              text: `Message ${i} about topic ${thread}.\n\n${"The quick brown fox jumps over the lazy dog. ".repeat(30)}`,
            });
            // Every fourth message starts a thread; the others reply to its first.
            const withThread =
              i % 4 ? raw.replace("\r\n\r\n", `\r\nIn-Reply-To: <m${thread * 4}@bench.test>\r\n\r\n`) : raw;
            await client.append("INBOX", withThread);
          }
        }),
      );
    } finally {
      await Promise.all(clients.map((client) => client.logout()));
    }
  };

  let t0 = performance.now();
  await append(0, MAILBOX);
  const appendMs = performance.now() - t0;

  // Baselines: the same FETCH as sync, raw, then parsed.
  const fetchAll = async (parse: boolean) => {
    const client = await imapOf(user);
    try {
      const lock = await client.getMailboxLock("INBOX", { readOnly: true });
      try {
        const since = new Date(Date.now() - 30 * 86_400_000);
        const uids = ((await client.search({ since }, { uid: true })) || []).sort((a, b) => a - b);
        const started = performance.now();
        let count = 0;
        for (let i = 0; i < uids.length; i += FETCH_BATCH) {
          for await (const message of client.fetch(uidSet(uids.slice(i, i + FETCH_BATCH)), FETCH_QUERY, {
            uid: true,
          })) {
            if (parse) await parseFetched(message);
            count++;
          }
        }
        return { count, ms: performance.now() - started };
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  };
  const raw = await fetchAll(false);
  const parsed = await fetchAll(true);

  t0 = performance.now();
  const first = await app.sync.syncAccount(accountId);
  const firstMs = performance.now() - t0;
  const [stored] = await sql(
    `select count(*)::int as messages, count(distinct thread_id)::int as threads from messages where account_id = ?`,
    [accountId],
  );

  await append(MAILBOX, INCREMENT);
  t0 = performance.now();
  const incremental = await app.sync.syncAccount(accountId);
  const incrementalMs = performance.now() - t0;

  t0 = performance.now();
  const idle = await app.sync.syncAccount(accountId);
  const idleMs = performance.now() - t0;

  const rate = (count: number, ms: number) => ((count / ms) * 1000).toFixed(0).padStart(6);
  const line = (name: string, count: number, ms: number, extra = "") =>
    console.log(
      `${name.padEnd(44)} ${String(count).padStart(5)} msgs ${ms.toFixed(0).padStart(7)} ms ${rate(count, ms)} msg/s ${extra}`,
    );
  console.log(
    `inbox sync: a ${MAILBOX}-message mailbox on the local mail server (IMAP on loopback), then +${INCREMENT}`,
  );
  line("append over IMAP (8 connections, setup)", MAILBOX, appendMs);
  line("baseline: raw IMAP fetch (sync's FETCH)", raw.count, raw.ms);
  line("baseline: fetch + mailparser, no storing", parsed.count, parsed.ms);
  line(
    "first sync (fetch, parse, thread, store)",
    first.added,
    firstMs,
    `${(firstMs / raw.ms).toFixed(1)}x the raw fetch's time, ${(firstMs / parsed.ms).toFixed(2)}x fetch + parse`,
  );
  line(`incremental sync (+${INCREMENT})`, incremental.added, incrementalMs);
  line("sync with nothing new", idle.added, idleMs);
  console.log(`stored ${stored!.messages} messages in ${stored!.threads} threads; re-sync added ${idle.added}`);
} finally {
  await stop();
}
