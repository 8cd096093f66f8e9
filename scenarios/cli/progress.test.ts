/**
 * The progress bar: nothing on a pipe or for a short run; on a terminal, a bar once a second has
 * passed, with the simulated time reached and the events per second; cleared at the end.
 */
import { describe, expect, it } from "vitest";
import { RunProgress } from "./progress.js";

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) > 0, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true };
}

describe("the run's progress bar", () => {
  it("on a pipe: nothing, however long the run", () => {
    const pipe = stream(false);
    let clock = 0;
    const progress = new RunProgress(3600, pipe, () => clock);
    for (let event = 0; event < 100_000; event++) {
      clock += 1;
      progress.onEvent(Math.floor(event / 30));
    }
    progress.stop();
    expect(pipe.written).toEqual([]);
  });

  it("on a terminal: nothing in the first second; then the bar, with the time reached and the rate; gone at the end", () => {
    const terminal = stream(true);
    let clock = 0;
    const progress = new RunProgress(3600, terminal, () => clock);
    for (let event = 1; event <= 4096; event++) progress.onEvent(60);
    expect(progress.showing).toBe(false); // 0 ms passed
    clock = 2000;
    for (let event = 1; event <= 4096; event++) progress.onEvent(1800);
    expect(progress.showing).toBe(true);
    // 8,192 events in 2 s: 4,096 events/s; tick 1800 of 3600 is 30m of 1h.
    expect(terminal.written.join("")).toMatch(/30m of 1h simulated \| 4,096 events\/s/);
    progress.stop();
    expect(progress.showing).toBe(false);
  });

  it("in runs (compare): runs done of all, no rate", () => {
    const terminal = stream(true);
    let clock = 0;
    const progress = new RunProgress(12, terminal, () => clock, "runs");
    progress.update(1);
    expect(progress.showing).toBe(false);
    clock = 1500;
    progress.update(5);
    expect(terminal.written.join("")).toMatch(/ 5 of 12 runs done/);
    expect(terminal.written.join("")).not.toMatch(/events\/s/);
    progress.stop();
  });
});
