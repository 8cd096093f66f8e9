/**
 * The agenda: timers ordered by (t, priority, seq) in a binary min-heap, the way SimPy orders its
 * event queue. The engine jumps from one due time to the next; nothing polls.
 * Timers are plain data (no closures), so a run can be rebuilt from its log.
 */
import { MinHeap } from "../state/heap.js";

export interface Timer<T> {
  readonly t: number;
  /** Lower runs first among timers due at the same tick. */
  readonly priority: number;
  /** Insertion order: the last tie-break, which makes the order total and deterministic. */
  readonly seq: number;
  readonly payload: T;
}

function order<T>(a: Timer<T>, b: Timer<T>): number {
  return a.t - b.t || a.priority - b.priority || a.seq - b.seq;
}

export class Agenda<T> {
  private readonly heap = new MinHeap<Timer<T>>(order);
  private nextSeq = 0;

  get size(): number {
    return this.heap.size;
  }

  /** Adds a timer; O(log n). */
  push(t: number, priority: number, payload: T): void {
    this.heap.push({ t, priority, seq: this.nextSeq++, payload });
  }

  /** The earliest timer without removing it. */
  peek(): Timer<T> | undefined {
    return this.heap.peek();
  }

  /** Removes and returns the earliest timer; O(log n). */
  pop(): Timer<T> | undefined {
    return this.heap.pop();
  }
}
