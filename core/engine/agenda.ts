/**
 * The agenda: timers ordered by (t, priority, seq) in a binary min-heap, the way SimPy orders its
 * event queue. The engine jumps from one due time to the next; nothing polls.
 * Timers are plain data (no closures), so a run can be rebuilt from its log.
 *
 * The keys live in a `NumericHeap`: the tick, and the priority and insertion order folded into
 * one number. A churn run holds a timer for every running pod — hundreds of thousands.
 */
import { NumericHeap } from "../state/heap.js";

export interface Timer<T> {
  readonly t: number;
  /** Lower runs first among timers due at the same tick. */
  readonly priority: number;
  /** Insertion order: the last tie-break, which makes the order total and deterministic. */
  readonly seq: number;
  readonly payload: T;
}

/** Priorities are small whole numbers; each is worth this many insertions in the folded key (exact below 2^53). */
const SEQ_SPAN = 2 ** 32;
const MAX_PRIORITY = 2 ** 20;

export class Agenda<T> {
  private readonly heap = new NumericHeap<T>();
  private nextSeq = 0;

  get size(): number {
    return this.heap.size;
  }

  /** Adds a timer; O(log n). `priority` is a whole number in [0, 2^20). */
  push(t: number, priority: number, payload: T): void {
    if (!Number.isInteger(priority) || priority < 0 || priority >= MAX_PRIORITY) throw new RangeError(`agenda priority ${priority} is not a whole number in [0, ${MAX_PRIORITY})`);
    if (this.nextSeq >= SEQ_SPAN) throw new RangeError(`the agenda took more than ${SEQ_SPAN} timers`);
    this.heap.push(t, priority * SEQ_SPAN + this.nextSeq++, payload);
  }

  /** The tick of the earliest timer, if any. */
  nextTime(): number | undefined {
    return this.heap.peekFirst();
  }

  /** The earliest timer without removing it. */
  peek(): Timer<T> | undefined {
    const t = this.heap.peekFirst();
    if (t === undefined) return undefined;
    const rank = this.heap.peekSecond() as number;
    const priority = Math.floor(rank / SEQ_SPAN);
    return { t, priority, seq: rank - priority * SEQ_SPAN, payload: this.heap.peekPayload() as T };
  }

  /** Removes and returns the earliest timer; O(log n). */
  pop(): Timer<T> | undefined {
    const top = this.peek();
    if (top !== undefined) this.heap.pop();
    return top;
  }

  /** Removes the earliest timer and returns its payload (undefined when there is none); O(log n). */
  popPayload(): T | undefined {
    return this.heap.pop();
  }
}
