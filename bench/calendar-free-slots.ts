// freeSlots latency: 10 attendees (BENCH_ATTENDEES) in three time zones, each with 500 events
// (BENCH_EVENTS: a tenth of them repeating daily or weekly) in their own calendar over the 4
// weeks asked about, a 30-minute meeting with a 10-minute buffer, through inbox's GraphQL
// endpoint (signed as the gateway would): p50/p99 of BENCH_QUERIES (50) queries, one at a time.
//
// The baseline is the same query for 1 attendee with the same 500 events, in alternating rounds:
// the ratio says how the cost grows with attendees (10× the events read and expanded). The
// in-process share (recurrence expansion, working hours and the slot sweep, without PostgreSQL
// or HTTP) is timed too, on the rows the query reads.
//
//   pnpm bench     (BENCH_ATTENDEES, BENCH_EVENTS, BENCH_QUERIES)
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { DateTime } from "luxon";
import { graphql, signedHeaders } from "@mary/kit/testing";
import { Calendar } from "../subgraphs/inbox/src/entities/calendar.entity.ts";
import { CalendarEvent } from "../subgraphs/inbox/src/entities/calendar-event.entity.ts";
import { WorkingHoursRow } from "../subgraphs/inbox/src/entities/working-hours.entity.ts";
import { findFreeSlots } from "../subgraphs/inbox/src/scheduling/free-slots.ts";
import { expandOccurrences, seriesEnd } from "../subgraphs/inbox/src/scheduling/recurrence.ts";
import { workingIntervals } from "../subgraphs/inbox/src/scheduling/working-hours.ts";
import { timingOf } from "../subgraphs/inbox/src/services/event.service.ts";
import { newMember } from "../subgraphs/inbox/test/harness.ts";
import { startBenchInbox } from "./inbox-app.ts";
import { summary } from "./lib.ts";

const ATTENDEES = Number(process.env.BENCH_ATTENDEES ?? 10);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 500);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 50);
const ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata"];
const FROM = DateTime.fromISO("2027-03-01T00:00:00Z"); // four weeks over Europe's and the US's spring changes
const TO = FROM.plus({ weeks: 4 });

const { app, stop } = await startBenchInbox("inbox_bench_slots");

/** A seeded pseudo-random sequence (mulberry32), so every run books the same events. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QUERY = `query ($ids: [ID!]!, $from: DateTimeISO!, $to: DateTimeISO!) {
  freeSlots(attendeeIds: $ids, durationMinutes: 30, from: $from, to: $to, bufferMinutes: 10, first: 500) { slots { start end } }
}`;

try {
  const workspaceId = randomUUID();
  const members = Array.from({ length: ATTENDEES }, () => newMember(workspaceId));
  const next = random(42);
  const em = app.orm.em.fork();
  const loadStarted = performance.now();
  for (const [i, member] of members.entries()) {
    const zone = ZONES[i % ZONES.length]!;
    em.persist(
      Object.assign(new WorkingHoursRow(), {
        workspaceId,
        userId: member.userId,
        timeZone: zone,
        weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "17:00" })),
        exceptions: [],
      }),
    );
    const calendar = Object.assign(new Calendar(), {
      workspaceId,
      ownerId: member.userId,
      name: "Work",
      timeZone: zone,
      kind: "PERSONAL" as const,
    });
    em.persist(calendar);
    for (let k = 0; k < EVENTS; k++) {
      const day = Math.floor(next() * 28);
      const start = FROM.setZone(zone)
        .plus({ days: day })
        .set({ hour: 8 + Math.floor(next() * 10), minute: [0, 15, 30, 45][Math.floor(next() * 4)]! });
      const minutes = [15, 30, 45, 60][Math.floor(next() * 4)]!;
      const repeating = k % 10 === 0;
      const event = Object.assign(new CalendarEvent(), {
        workspaceId,
        calendarId: calendar.id,
        uid: `${randomUUID()}@bench`,
        title: `Event ${k}`,
        start: start.toJSDate(),
        end: start.plus({ minutes }).toJSDate(),
        timeZone: zone,
        rrule: repeating ? (k % 20 === 0 ? "FREQ=WEEKLY" : "FREQ=DAILY;COUNT=10") : null,
        createdBy: member.userId,
        organizer: { userId: member.userId, email: null, name: null },
        attendeeUserIds: [member.userId],
      });
      event.seriesEnd = seriesEnd(timingOf(event));
      em.persist(event);
    }
  }
  await em.flush();
  console.log(`loaded ${ATTENDEES} × ${EVENTS} events in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

  const ask = async (ids: string[]) => {
    const t0 = performance.now();
    const response = await graphql(
      app.url,
      QUERY,
      { ids, from: FROM.toISO(), to: TO.toISO() },
      signedHeaders(members[0]!),
    );
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return { ms: performance.now() - t0, slots: response.data.freeSlots.slots.length as number };
  };
  const all = members.map((m) => m.userId);
  const one = [members[0]!.userId];
  for (let i = 0; i < 5; i++) await Promise.all([ask(all), ask(one)]); // warm-up
  const many: number[] = [];
  const single: number[] = [];
  let slots = { many: 0, single: 0 };
  for (let i = 0; i < QUERIES; i++) {
    const a = await ask(all);
    const b = await ask(one);
    many.push(a.ms);
    single.push(b.ms);
    slots = { many: a.slots, single: b.slots };
  }

  // The in-process share for all attendees: expand their rows, working hours, the sweep.
  const rows = await app.orm.em.fork().find(CalendarEvent, { workspaceId });
  const compute: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const t0 = performance.now();
    const from = FROM.toJSDate();
    const to = TO.toJSDate();
    findFreeSlots({
      attendees: members.map((member, m) => ({
        working: workingIntervals(
          {
            timeZone: ZONES[m % ZONES.length]!,
            weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "17:00" })),
            exceptions: [],
          },
          from,
          to,
        ),
        busy: rows
          .filter((row) => row.createdBy === member.userId)
          .flatMap((row) => expandOccurrences(timingOf(row), [], from, to)),
      })),
      durationMinutes: 30,
      from,
      to,
      granularityMinutes: 15,
      bufferMinutes: 10,
      limit: 500,
    });
    compute.push(performance.now() - t0);
  }

  const s = { many: summary(many, 1), single: summary(single, 1), compute: summary(compute, 1) };
  console.log(`freeSlots, 4 weeks, 30 min + 10 min buffer, ${QUERIES} queries each, alternating:`);
  console.log(
    `  ${ATTENDEES} attendees × ${EVENTS} events: p50 ${s.many.p50.toFixed(1)} ms, p99 ${s.many.p99.toFixed(1)} ms (${slots.many} slots)`,
  );
  console.log(
    `  1 attendee × ${EVENTS} events (baseline): p50 ${s.single.p50.toFixed(1)} ms, p99 ${s.single.p99.toFixed(1)} ms (${slots.single} slots)`,
  );
  console.log(`  ratio p50 ${(s.many.p50 / s.single.p50).toFixed(2)}× for ${ATTENDEES}× the attendees and events`);
  console.log(
    `  in-process share (expansion + working hours + sweep, ${ATTENDEES} attendees): p50 ${s.compute.p50.toFixed(1)} ms, ` +
      `${((s.compute.p50 / s.many.p50) * 100).toFixed(0)}% of the query`,
  );
} finally {
  await stop();
}
