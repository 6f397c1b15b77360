import { performance, type EventLoopUtilization } from "node:perf_hooks";

export interface ExecutionGateOptions {
  /** Operations executed at once while the event loop is saturated. */
  limit: number;
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

/**
 * Lets at most `limit` operations execute at once while the event loop is saturated; the
 * others wait their turn, first come first served.
 *
 * Why: when the gateway has more work than CPU, every operation started holds its subgraphs'
 * answers until its response is written, and fifty interleaved operations each live fifty times
 * longer than one alone. Their data then outlives V8's young generation and is copied into the
 * old one, whose collections (and their pauses) took a third of the CPU. Operations taken a few
 * at a time finish sooner, their data dies young, and the same core serves more of them.
 *
 * Waiting is only for CPU: when an operation waits on a slow subgraph, the loop has time to
 * spare, and every `checkMs` that it had, `limit` more waiting operations start. So a slow
 * subgraph holds others back by a few milliseconds at most, never by its own latency.
 */
export class ExecutionGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private timer?: NodeJS.Timeout;
  private readonly limit: number;
  private readonly checkMs: number;
  private readonly spareBelow: number;
  private readonly utilization: () => number;

  constructor(options: ExecutionGateOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new Error("The gate's limit must be 1 or more");
    this.limit = options.limit;
    this.checkMs = options.checkMs ?? 5;
    this.spareBelow = options.spareBelow ?? 0.9;
    this.utilization = options.utilization ?? eventLoopUtilization();
  }

  /** Operations executing now, and waiting. */
  stats(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Runs `work` when its turn comes. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await this.turn();
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      if (this.running < this.limit) this.waiting.shift()?.();
    }
  }

  private turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.watch();
    });
  }

  /** While some wait, looks every `checkMs` whether the loop had time to spare, and if so starts `limit` more. */
  private watch(): void {
    if (this.timer) return;
    this.utilization(); // from now
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.waiting.length === 0) return;
      if (this.utilization() < this.spareBelow) {
        for (const start of this.waiting.splice(0, this.limit)) start();
      }
      if (this.waiting.length > 0) this.watch();
    }, this.checkMs);
  }
}
