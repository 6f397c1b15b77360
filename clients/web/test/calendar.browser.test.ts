import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebPlatform, type BrowserAccount, type Page, type WebPlatform } from "./browser.ts";

/**
 * The calendar pages against the real platform: a weekly event made in the editor and seen in
 * the week and day views (on the browser's clocks, Europe/Berlin, and on New York's), dragged
 * onto another event with the conflict shown before anything is saved, then saved for that one
 * occurrence; "Find a time" around a busy hour, and a free slot picked into a new event.
 * What the app did is checked through the API.
 */

const ZONE = "Europe/Berlin";

/** The wall clock of an instant in a zone, as the test computes it (not as the app does). */
function wallClock(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(instant);
  const part = (type: string) => parts.find((entry) => entry.type === type)!.value;
  return { date: `${part("year")}-${part("month")}-${part("day")}`, time: `${part("hour")}:${part("minute")}` };
}

/** The UTC instant of a local date and time in a zone (never on a DST edge here). */
function instantOf(date: string, time: string, timeZone: string): Date {
  const guess = new Date(`${date}T${time}:00Z`);
  const shown = wallClock(guess, timeZone);
  return new Date(guess.getTime() - (Date.parse(`${shown.date}T${shown.time}:00Z`) - guess.getTime()));
}

const addDays = (date: string, days: number) => {
  const at = new Date(`${date}T12:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
};

/** The Monday of the week after next, in Berlin: a week the test has to itself, wherever "now" is. */
function futureMonday(): string {
  const today = wallClock(new Date(), ZONE).date;
  const weekday = new Date(`${today}T12:00:00Z`).getUTCDay() || 7;
  return addDays(today, 15 - weekday);
}

describe("the calendar pages", { timeout: 120_000 }, () => {
  let web: WebPlatform;
  let page: Page;
  let account: BrowserAccount;
  let calendarId = "";
  const monday = futureMonday();
  const tuesday = addDays(monday, 1);
  const wednesday = addDays(monday, 2);
  const gql = async <T = any>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await web.platform.gql<T>(query, variables, await web.accessTokenOf(account));
    if (!response.data) throw new Error(`${query}: ${JSON.stringify(response.errors)}`);
    return response.data;
  };
  /** The occurrences of events titled `title` in [from, to) days, as the API has them. */
  const occurrencesOf = async (title: string, from: string, days: number) => {
    const { events } = await gql<{
      events: { start: string; end: string; event: { title: string; recurrence: { rrule: string } | null } }[];
    }>(
      `query ($from: DateTimeISO!, $to: DateTimeISO!) { events(from: $from, to: $to) { start end event { title recurrence { rrule } } } }`,
      {
        from: instantOf(from, "00:00", ZONE).toISOString(),
        to: instantOf(addDays(from, days), "00:00", ZONE).toISOString(),
      },
    );
    return events.filter((one) => one.event.title === title);
  };
  /** An event's button, by its title and times ("Weekly standup, 10:00–10:30"; the browser spaces its lines). */
  const named = (title: string, times: string) => new RegExp(`^${title}\\s*,\\s*${times}`);
  const block = (title: string) => page.getByTestId("calendar-event").and(page.locator(`[data-title="${title}"]`));

  beforeAll(async () => {
    web = await startWebPlatform();
    page = await web.newPage({ timezoneId: ZONE, locale: "en-US" });
    account = await web.signUp(page);
    calendarId = (await gql<{ calendars: { id: string }[] }>(`{ calendars { id } }`)).calendars[0]!.id;
  });
  afterAll(async () => {
    await page?.context().close();
    await web?.stop();
  });

  it("makes a weekly event in the editor and shows it in the week and day views, on Berlin's and New York's clocks", async () => {
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Calendar" }).click();
    await page.waitForURL("**/calendar/week");
    await page.getByRole("heading", { level: 1, name: "Calendar" }).waitFor();
    await page.getByText("Nothing on the calendar this week").waitFor();
    await web.expectAccessible(page, "calendar week (empty)");

    await page.goto(`/calendar/week/${monday}`);
    await page.getByTestId(`slot-${monday}-10`).click();
    const dialog = page.getByRole("dialog", { name: "New event" });
    await expect(dialog.getByLabel("Start date").inputValue()).resolves.toBe(monday);
    await expect(dialog.getByLabel("Start time").inputValue()).resolves.toBe("10:00");
    await expect(dialog.getByLabel("End time").inputValue()).resolves.toBe("11:00");
    await expect(dialog.getByLabel("Time zone").inputValue()).resolves.toBe(ZONE);
    await dialog.getByLabel("Title").fill("Weekly standup");
    await dialog.getByLabel("End time").fill("10:30");
    await dialog.getByLabel("Repeat", { exact: true }).selectOption("WEEKLY");
    // Monday, the day it starts on, is ticked already.
    expect(await dialog.getByLabel("Monday").isChecked()).toBe(true);
    await dialog.getByLabel("Ends").selectOption("COUNT");
    await dialog.getByLabel("Times", { exact: true }).fill("4");
    await web.expectAccessible(page, "calendar event editor");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("status").filter({ hasText: "Added “Weekly standup”." }).waitFor();

    // Saved as the editor said: four Mondays at 10:00 Berlin, half an hour each.
    const saved = await occurrencesOf("Weekly standup", monday, 35);
    expect(saved.map((one) => one.start)).toEqual(
      [0, 7, 14, 21].map((days) => instantOf(addDays(monday, days), "10:00", ZONE).toISOString()),
    );
    expect(saved[0]!.event.recurrence?.rrule.split(";").sort()).toEqual(["BYDAY=MO", "COUNT=4", "FREQ=WEEKLY"]);
    expect(Date.parse(saved[0]!.end) - Date.parse(saved[0]!.start)).toBe(30 * 60_000);

    const standup = block("Weekly standup");
    await expect(
      standup.getByRole("button", { name: named("Weekly standup", "10:00–10:30\\s*, repeats") }).count(),
    ).resolves.toBe(1);
    await expect(standup.getAttribute("data-date")).resolves.toBe(monday);

    // The next week has it too, and its day view.
    await page.getByRole("link", { name: "Next week" }).click();
    await page.waitForURL(`**/calendar/week/${addDays(monday, 7)}`);
    await expect.poll(() => standup.getAttribute("data-title")).toBe("Weekly standup");
    await page.getByRole("navigation", { name: "Calendar views" }).getByRole("link", { name: "Day" }).click();
    await page.waitForURL(`**/calendar/day/${addDays(monday, 7)}`);
    await standup.getByRole("button", { name: /10:00–10:30/ }).waitFor();
    await web.expectAccessible(page, "calendar day");
    await web.screenshot(page, "calendar-day");

    // On New York's clocks (?tz=) the same occurrence is six hours earlier.
    const newYork = wallClock(new Date(saved[1]!.start), "America/New_York").time;
    await page.getByLabel("Time zone").selectOption("America/New_York");
    await page.waitForURL(/tz=America%2FNew_York/);
    await standup.getByRole("button", { name: named("Weekly standup", `${newYork}–`) }).waitFor();
    await page.getByRole("navigation", { name: "Calendar views" }).getByRole("link", { name: "Week" }).click();
    await page.waitForURL(/\/calendar\/week\/.*tz=America%2FNew_York/);
    await standup.getByRole("button", { name: named("Weekly standup", `${newYork}–`) }).waitFor();
  });

  it("drags an occurrence onto another event: the conflict shows before saving; saved for this occurrence, it moves", async () => {
    await gql(
      `mutation ($calendarId: ID!, $input: EventInput!) { createEvent(calendarId: $calendarId, input: $input) { event { id } } }`,
      {
        calendarId,
        input: {
          title: "Client call",
          start: instantOf(tuesday, "14:00", ZONE).toISOString(),
          end: instantOf(tuesday, "15:00", ZONE).toISOString(),
        },
      },
    );
    await page.goto(`/calendar/week/${monday}`);
    const standup = block("Weekly standup");
    await standup.scrollIntoViewIfNeeded();
    const from = (await standup.boundingBox())!;
    const target = (await page.getByTestId(`slot-${tuesday}-14`).boundingBox())!;
    // Grabbed 8 px below its top, let go 8 px below 14:00: the event's top lands on 14:00.
    await page.mouse.move(from.x + from.width / 2, from.y + 8);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + 12, { steps: 3 });
    await page.mouse.move(target.x + target.width / 2, target.y + 8, { steps: 20 });

    // While it hovers there, before the drop: the panel asks the server, and names the conflict.
    const panel = page.getByTestId("move-panel");
    await expect
      .poll(() => panel.getByRole("heading").textContent())
      .toMatch(/^Moving “Weekly standup” to .*14:00–14:30/);
    await expect
      .poll(() => panel.getByTestId("move-conflicts").textContent())
      .toMatch(/would conflict with one event.*Client call/);
    await page.mouse.up();
    await expect
      .poll(() => panel.getByRole("heading").textContent())
      .toMatch(/^Move “Weekly standup” to .*14:00–14:30\?$/);
    await page.getByTestId("calendar-ghost").waitFor();
    await web.expectAccessible(page, "calendar move panel");
    await web.screenshot(page, "calendar-move");
    // Nothing is saved yet.
    expect((await occurrencesOf("Weekly standup", monday, 7))[0]!.start).toBe(
      instantOf(monday, "10:00", ZONE).toISOString(),
    );

    expect(await panel.getByLabel("Only this occurrence").isChecked()).toBe(true);
    await panel.getByRole("button", { name: "Save the move" }).click();
    // Saved, and the conflict it now has is said once more.
    await panel.getByRole("heading", { name: "Moved “Weekly standup”" }).waitFor();
    await expect(panel.getByRole("list", { name: "Conflicts after the move" }).textContent()).resolves.toContain(
      "Client call",
    );
    await page.getByRole("status").filter({ hasText: "Moved “Weekly standup”" }).waitFor();

    const after = await occurrencesOf("Weekly standup", monday, 35);
    expect(after.map((one) => one.start)).toEqual([
      instantOf(tuesday, "14:00", ZONE).toISOString(),
      ...[7, 14, 21].map((days) => instantOf(addDays(monday, days), "10:00", ZONE).toISOString()),
    ]);
    await panel.getByRole("button", { name: "Close" }).click();
    await expect.poll(() => standup.getAttribute("data-date")).toBe(tuesday);
    await expect(standup.getByRole("button", { name: named("Weekly standup", "14:00–14:30") }).count()).resolves.toBe(
      1,
    );
  });

  it("finds a time around a busy hour inside the working hours; picking a slot opens the editor and creates the event", async () => {
    await gql(`mutation ($input: WorkingHoursInput!) { setWorkingHours(input: $input) { isDefault } }`, {
      input: { timeZone: ZONE, weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "17:00" })) },
    });
    await gql(
      `mutation ($calendarId: ID!, $input: EventInput!) { createEvent(calendarId: $calendarId, input: $input) { event { id } } }`,
      {
        calendarId,
        input: {
          title: "Focus time",
          start: instantOf(wednesday, "09:00", ZONE).toISOString(),
          end: instantOf(wednesday, "10:00", ZONE).toISOString(),
        },
      },
    );
    await page.goto(`/calendar/week/${monday}`);
    await page.getByRole("button", { name: "Find a time" }).click();
    const dialog = page.getByRole("dialog", { name: "Find a time" });
    expect(await dialog.getByRole("checkbox", { name: /\(you\)/ }).isChecked()).toBe(true);
    await dialog.getByLabel("Duration").selectOption("30");
    await dialog.getByLabel("From", { exact: true }).fill(wednesday);
    await dialog.getByLabel("To", { exact: true }).fill(wednesday);
    await dialog.getByRole("button", { name: "Find times" }).click();
    const slots = dialog.getByRole("list", { name: "Free times" }).getByRole("button");
    await slots.first().waitFor();
    // 09:00–10:00 is taken, so the day's first free half hour is 10:00, the last 16:30.
    await expect(slots.first().textContent()).resolves.toMatch(/, 10:00–10:30$/);
    await expect(slots.last().textContent()).resolves.toMatch(/, 16:30–17:00$/);
    expect(await slots.count()).toBe(27);
    await web.expectAccessible(page, "calendar find a time");

    await slots.first().click();
    const editor = page.getByRole("dialog", { name: "New event" });
    await expect(editor.getByLabel("Start date").inputValue()).resolves.toBe(wednesday);
    await expect(editor.getByLabel("Start time").inputValue()).resolves.toBe("10:00");
    await expect(editor.getByLabel("End time").inputValue()).resolves.toBe("10:30");
    await editor.getByLabel("Title").fill("Planning");
    await editor.getByRole("button", { name: "Save" }).click();
    await editor.waitFor({ state: "hidden" });
    const [planning] = await occurrencesOf("Planning", wednesday, 1);
    expect(planning?.start).toBe(instantOf(wednesday, "10:00", ZONE).toISOString());
    expect(planning?.end).toBe(instantOf(wednesday, "10:30", ZONE).toISOString());
    await block("Planning")
      .getByRole("button", { name: named("Planning", "10:00–10:30") })
      .waitFor();
    await web.screenshot(page, "calendar-week");
  });
});
