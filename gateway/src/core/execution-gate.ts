import { performance, type EventLoopUtilization } from "node:perf_hooks";

export interface ExecutionGateOptions {
  /** The weight (the subgraph answers' size, in characters of JSON) executing at once while the event loop is saturated. */
  budget: number;
  /** How often waiting operations look whether the event loop has time to spare. */
  checkMs?: number;
  /** Below this share of busy time since the last look, the event loop has time to spare. */
  spareBelow?: number;
  /** The event loop's busy share since the last call (tests give their own). */
  utilization?: () => number;
}

/** The event loop's busy share since the last call of the returned function. */
export function eventLoopUtilization(): () => number {
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const since = performance.eventLoopUtilization(now, last);
    last = now;
    return since.utilization;
  };
}

interface Waiting {
  weight: number;
  start: () => void;
}

/**
 * Lets operations execute together up to a budget of weight while the event loop is saturated;
 * the others wait their turn, first come first served. An operation's weight is what its
 * subgraphs answered the last time (the caller learns it per plan): a large answer takes much
 * of the budget, a small one almost none, and one alone always runs.
 *
 * Why: when the gateway has more work than CPU, every operation started holds its subgraphs'
 * answers until its response is written, and fifty interleaved operations each live fifty times
 * longer than one alone. Their data then outlives V8's young generation and is copied into the
 * old one, whose collections (and their pauses) took a third of the CPU. Large operations taken
 * a few at a time finish sooner, their data dies young, and the same core serves more of them.
 *
 * Waiting is only for CPU: when operations wait on a slow subgraph, the loop has time to spare,
 * and every `checkMs` that it had, another budget's worth of waiting operations start. So a slow
 * subgraph holds others back by a few milliseconds at most, never by its own latency.
 */
export class ExecutionGate {
  private weight = 0;
  private running = 0;
  private readonly waiting: Waiting[] = [];
  private timer?: NodeJS.Timeout;
  private readonly budget: number;
  private readonly checkMs: number;
  private readonly spareBelow: number;
  private readonly utilization: () => number;

  constructor(options: ExecutionGateOptions) {
    if (!(options.budget > 0)) throw new Error("The gate's budget must be more than 0");
    this.budget = options.budget;
    this.checkMs = options.checkMs ?? 5;
    this.spareBelow = options.spareBelow ?? 0.9;
    this.utilization = options.utilization ?? eventLoopUtilization();
  }

  /** Operations executing now and waiting, and the weight executing. */
  stats(): { running: number; waiting: number; weight: number } {
    return { running: this.running, waiting: this.waiting.length, weight: this.weight };
  }

  /** Runs `work`, of this weight, when its turn comes. */
  async run<T>(weight: number, work: () => Promise<T>): Promise<T> {
    if (this.waiting.length > 0 || !this.fits(weight)) await this.turn(weight);
    else this.enter(weight);
    try {
      return await work();
    } finally {
      this.weight -= weight;
      this.running--;
      this.startWhileFits();
    }
  }

  private fits(weight: number): boolean {
    return this.running === 0 || this.weight + weight <= this.budget;
  }

  private enter(weight: number): void {
    this.weight += weight;
    this.running++;
  }

  private turn(weight: number): Promise<void> {
    return new Promise((start) => {
      this.waiting.push({ weight, start });
      this.watch();
    });
  }

  private startWhileFits(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.weight)) this.startNext();
  }

  private startNext(): void {
    const next = this.waiting.shift()!;
    this.enter(next.weight);
    next.start();
  }

  /** While some wait, looks every `checkMs` whether the loop had time to spare, and if so starts another budget's worth. */
  private watch(): void {
    if (this.timer) return;
    this.utilization(); // from now
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.waiting.length === 0) return;
      if (this.utilization() < this.spareBelow) {
        let started = 0;
        do {
          started += this.waiting[0]!.weight;
          this.startNext();
        } while (this.waiting.length > 0 && started + this.waiting[0]!.weight <= this.budget);
      }
      if (this.waiting.length > 0) this.watch();
    }, this.checkMs);
  }
}
