/**
 * The progress bar of a long run, on stderr: simulated time reached against the run's end and
 * events per second (or, for compare, runs done of all). Only on a terminal, and only once the
 * work has taken a second (short work or a piped stderr gets nothing); cleared at the end. The
 * clock is read here, in the CLI, every 4,096 events — never by the engine.
 */
import { SingleBar } from "cli-progress";
import { formatTick } from "./format.js";

export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): boolean;
}

export class RunProgress {
  private bar: SingleBar | undefined;
  private events = 0;
  private readonly started: number;

  constructor(private readonly until: number, private readonly stream: ProgressStream = process.stderr, private readonly now: () => number = Date.now, private readonly unit: "ticks" | "runs" = "ticks") {
    this.started = now();
  }

  /** An event at tick `t` (cheap: a count, and a look at the clock every 4,096 events). */
  onEvent(t: number): void {
    if ((++this.events & 4095) !== 0) return;
    this.update(t);
  }

  /** Progress reached: a tick, or (compare) runs done. */
  update(value: number): void {
    if (this.stream.isTTY !== true) return;
    const elapsed = this.now() - this.started;
    if (this.bar === undefined && elapsed < 1000) return;
    const reached = Math.min(value, this.until);
    const show = (amount: number) => (this.unit === "ticks" ? formatTick(amount) : String(amount));
    const payload = { reached: show(reached), end: show(this.until), rate: (elapsed > 0 ? Math.round((this.events * 1000) / elapsed) : 0).toLocaleString("en-US") };
    if (this.bar !== undefined) {
      this.bar.update(reached, payload);
      return;
    }
    this.bar = new SingleBar({
      stream: this.stream as NodeJS.WriteStream,
      format: this.unit === "ticks" ? "{bar} {reached} of {end} simulated | {rate} events/s" : "{bar} {reached} of {end} runs done",
      barsize: 30,
      clearOnComplete: true,
      hideCursor: false,
    });
    this.bar.start(this.until, reached, payload);
  }

  /** The run is over: the bar goes. */
  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }

  /** Whether a bar is showing (for tests). */
  get showing(): boolean {
    return this.bar !== undefined;
  }
}
