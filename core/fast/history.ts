/**
 * Time travel over a run's events (DESIGN.md "Purity and state"): sealed fast states kept every
 * K ticks, so the state at any tick costs one checkpoint plus the events since it — never a
 * replay from zero. A fork is the same: take `at(t)` and reduce other events onto it; the
 * checkpoint is sealed, so the history is unchanged.
 */
import type { ClusterEvent } from "../events/events.js";
import { shapeRejection, type Rejection } from "../cluster/rejections.js";
import type { EngineOptions } from "../cluster/state.js";
import { applyEvent } from "./reduce.js";
import { createFastState, type FastState } from "./state.js";

interface Checkpoint {
  /** The last tick whose events are all in `state`. */
  readonly t: number;
  /** How many events `state` holds. */
  readonly applied: number;
  readonly state: FastState;
}

export type HistoryResult =
  | { readonly ok: true; readonly history: History }
  /** `index`: the position in the events of the one refused. */
  | { readonly ok: false; readonly index: number; readonly rejection: Rejection };

export class History {
  private constructor(
    private readonly events: readonly ClusterEvent[],
    private readonly checkpoints: readonly Checkpoint[],
    /** The state after every event. */
    readonly final: FastState,
  ) {}

  /**
   * Folds `events` (a run's, in order) one tick per batch, keeping a sealed state at the end of
   * the first tick at or after every multiple of `everyTicks`.
   */
  static build(options: EngineOptions, events: readonly ClusterEvent[], everyTicks = 300): HistoryResult {
    if (!(everyTicks > 0)) throw new RangeError(`checkpoints need a positive interval, got ${everyTicks}`);
    let state = createFastState(options);
    const checkpoints: Checkpoint[] = [{ t: -1, applied: 0, state }];
    let next = 0;
    for (let index = 0; index < events.length;) {
      const t = (events[index] as ClusterEvent).t;
      const batch = state.transient();
      for (; index < events.length && (events[index] as ClusterEvent).t === t; index++) {
        // A library caller's events: checked for their shape, as reduce checks them.
        const rejection = shapeRejection(events[index] as ClusterEvent) ?? applyEvent(batch, events[index] as ClusterEvent);
        if (rejection !== undefined) return { ok: false, index, rejection };
      }
      state = batch.seal();
      if (t >= next) {
        checkpoints.push({ t, applied: index, state });
        next = (Math.floor(t / everyTicks) + 1) * everyTicks;
      }
    }
    return { ok: true, history: new History(events, checkpoints, state) };
  }

  /** How many sealed checkpoints are kept (the empty cluster included). */
  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  /** The state after every event at or before tick `t`: the last checkpoint not after `t`, plus the events since. */
  at(t: number): FastState {
    let low = 0;
    let high = this.checkpoints.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.checkpoints[middle] as Checkpoint).t <= t) low = middle;
      else high = middle - 1;
    }
    const checkpoint = this.checkpoints[low] as Checkpoint;
    let index = checkpoint.applied;
    if (index >= this.events.length || (this.events[index] as ClusterEvent).t > t) return checkpoint.state;
    const batch = checkpoint.state.transient();
    for (; index < this.events.length && (this.events[index] as ClusterEvent).t <= t; index++) {
      const rejection = applyEvent(batch, this.events[index] as ClusterEvent);
      if (rejection !== undefined) throw new Error(`an event that folded once was refused on replay: ${rejection.message}`);
    }
    return batch.seal();
  }

  /** How many events `at(t)` replays after its checkpoint (for tests and the curious). */
  replayedAt(t: number): number {
    let low = 0;
    for (let index = 1; index < this.checkpoints.length; index++) if ((this.checkpoints[index] as Checkpoint).t <= t) low = index;
    const from = (this.checkpoints[low] as Checkpoint).applied;
    let count = 0;
    for (let index = from; index < this.events.length && (this.events[index] as ClusterEvent).t <= t; index++) count++;
    return count;
  }
}
