/** A binary min-heap under a comparator: the fast engine's owned, mutable accelerators use it. */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  clear(): void {
    this.items.length = 0;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    let index = items.length;
    items.push(item);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = items[parent] as T;
      if (this.before(item, above) >= 0) break;
      items[index] = above;
      index = parent;
    }
    items[index] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let index = 0;
    const length = items.length;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && this.before(items[right] as T, items[child] as T) < 0) child = right;
      if (this.before(items[child] as T, last) >= 0) break;
      items[index] = items[child] as T;
      index = child;
    }
    items[index] = last;
    return top;
  }
}

/**
 * A binary min-heap of payloads under two numeric keys (compared first, then second), kept in
 * typed arrays beside the payloads: for heaps of hundreds of thousands (the agenda's timers,
 * PodGC's terminated pods), comparing numbers side by side in memory costs far less than calling
 * a comparator on objects scattered over the heap.
 */
export class NumericHeap<T> {
  private firsts = new Float64Array(1024);
  private seconds = new Float64Array(1024);
  private payloads: (T | undefined)[] = [];
  private length = 0;

  get size(): number {
    return this.length;
  }

  clear(): void {
    this.payloads = [];
    this.length = 0;
  }

  push(first: number, second: number, payload: T): void {
    if (this.length === this.firsts.length) this.grow();
    const { firsts, seconds, payloads } = this;
    let index = this.length++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentFirst = firsts[parent] as number;
      if (parentFirst < first || (parentFirst === first && (seconds[parent] as number) <= second)) break;
      firsts[index] = parentFirst;
      seconds[index] = seconds[parent] as number;
      payloads[index] = payloads[parent];
      index = parent;
    }
    firsts[index] = first;
    seconds[index] = second;
    payloads[index] = payload;
  }

  /** The least entry's keys and payload (undefined when empty). */
  peekFirst(): number | undefined {
    return this.length === 0 ? undefined : this.firsts[0];
  }

  peekSecond(): number | undefined {
    return this.length === 0 ? undefined : this.seconds[0];
  }

  peekPayload(): T | undefined {
    return this.length === 0 ? undefined : this.payloads[0];
  }

  /** Removes the least entry and returns its payload (undefined when empty). */
  pop(): T | undefined {
    if (this.length === 0) return undefined;
    const { firsts, seconds, payloads } = this;
    const top = payloads[0];
    const last = --this.length;
    const first = firsts[last] as number;
    const second = seconds[last] as number;
    const payload = payloads[last];
    payloads[last] = undefined;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last && ((firsts[right] as number) < (firsts[child] as number) || (firsts[right] === firsts[child] && (seconds[right] as number) < (seconds[child] as number)))) child = right;
      const childFirst = firsts[child] as number;
      if (first < childFirst || (first === childFirst && second <= (seconds[child] as number))) break;
      firsts[index] = childFirst;
      seconds[index] = seconds[child] as number;
      payloads[index] = payloads[child];
      index = child;
    }
    if (index < last) {
      firsts[index] = first;
      seconds[index] = second;
      payloads[index] = payload;
    }
    return top;
  }

  private grow(): void {
    const firsts = new Float64Array(this.firsts.length * 2);
    firsts.set(this.firsts);
    const seconds = new Float64Array(this.seconds.length * 2);
    seconds.set(this.seconds);
    this.firsts = firsts;
    this.seconds = seconds;
  }
}
