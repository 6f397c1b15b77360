/** Operations admitted per turn of the event loop (about 10 ms of work). */
export const OPERATIONS_PER_TURN = 50;

/**
 * Lets at most `perTurn` callers through per turn of the event loop. Thousands of viewers
 * subscribing at once (a popular run, everyone reconnecting after a deploy) arrive in one poll of
 * the sockets; admitted all in that turn, they held the event loop for a second, and /healthz,
 * queries and event delivery waited behind them. Paced, other I/O is served between batches.
 */
export class TurnPacer {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  constructor(private readonly perTurn: number) {}

  /** Resolves in the next turn with room: the first `perTurn` waiting in one turn, the next in the turn after. */
  pass(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      for (const resolve of this.waiting.splice(0, this.perTurn)) resolve();
      if (this.waiting.length > 0) this.schedule();
    });
  }
}
