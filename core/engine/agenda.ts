/**
 * The agenda: timers ordered by (t, priority, seq) in a binary min-heap, the way SimPy orders its
 * event queue. The engine jumps from one due time to the next; nothing polls.
 * Timers are plain data (no closures), so a run can be rebuilt from its log.
 */

export interface Timer<T> {
  readonly t: number;
  /** Lower runs first among timers due at the same tick. */
  readonly priority: number;
  /** Insertion order: the last tie-break, which makes the order total and deterministic. */
  readonly seq: number;
  readonly payload: T;
}

function before<T>(a: Timer<T>, b: Timer<T>): boolean {
  return a.t !== b.t ? a.t < b.t : a.priority !== b.priority ? a.priority < b.priority : a.seq < b.seq;
}

export class Agenda<T> {
  private readonly heap: Timer<T>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Adds a timer; O(log n). */
  push(t: number, priority: number, payload: T): void {
    const heap = this.heap;
    const timer: Timer<T> = { t, priority, seq: this.nextSeq++, payload };
    let index = heap.length;
    heap.push(timer);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = heap[parent] as Timer<T>;
      if (!before(timer, above)) break;
      heap[index] = above;
      index = parent;
    }
    heap[index] = timer;
  }

  /** The earliest timer without removing it. */
  peek(): Timer<T> | undefined {
    return this.heap[0];
  }

  /** Removes and returns the earliest timer; O(log n). */
  pop(): Timer<T> | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let index = 0;
    const length = heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && before(heap[right] as Timer<T>, heap[left] as Timer<T>)) child = right;
      if (!before(heap[child] as Timer<T>, last)) break;
      heap[index] = heap[child] as Timer<T>;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}
