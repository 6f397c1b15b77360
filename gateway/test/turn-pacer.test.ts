import { expect, test } from "vitest";
import { TurnPacer } from "../src/turn-pacer.ts";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

test("a burst is let through at most `perTurn` callers per turn of the event loop, in arrival order", async () => {
  const pacer = new TurnPacer(5);
  let turn = 0;
  const passedIn: number[] = [];
  const order: number[] = [];
  const callers = Array.from({ length: 23 }, (_, i) =>
    pacer.pass().then(() => {
      passedIn.push(turn);
      order.push(i);
    }),
  );
  const counting = (async () => {
    while (passedIn.length < 23) {
      await nextTurn();
      turn++;
    }
  })();
  await Promise.all([...callers, counting]);
  const perTurn = new Map<number, number>();
  for (const t of passedIn) perTurn.set(t, (perTurn.get(t) ?? 0) + 1);
  expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(5);
  expect(perTurn.size).toBeGreaterThanOrEqual(5); // 23 callers, 5 a turn
  expect(order).toEqual([...order].sort((a, b) => a - b));
});

test("a caller alone passes in the next turn", async () => {
  const pacer = new TurnPacer(5);
  for (let i = 0; i < 20; i++) {
    let passed = false;
    const passing = pacer.pass().then(() => (passed = true));
    await nextTurn();
    await Promise.resolve();
    expect(passed).toBe(true);
    await passing;
  }
});
