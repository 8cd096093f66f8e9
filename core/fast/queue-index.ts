/**
 * Which pod kube-scheduler pops next, in O(log n): the fast state's accelerator for the
 * scheduling queue. The facts (one `QueuedPod` per waiting pod) live in the state; this keeps
 * heaps over them, owned by the newest state of a run and rebuilt from the facts for any other.
 *
 * - `active`: entries whose status is active, in PrioritySort order;
 * - `backoff`: entries backing off after an Unschedulable verdict (not after an error), in
 *   backoffQ order, for SchedulerPopFromBackoffQ;
 * - `timed`: when time alone changes an entry's status (backoff expiry, the unschedulable flush),
 *   so it is re-placed then.
 *
 * Entries are immutable records: a heap item is stale once its pod's entry is another record,
 * and is dropped when it reaches the top. `nextPodToSchedule` in scheduler/firstfit.ts is the
 * twin it is tested against (a scan over every entry).
 */
import { POD_PLUGINS } from "../scheduler/hints.js";
import { backoffExpiry, compareBackoff, queueStatus, unschedulableFlushAt, type QueuedPod } from "../scheduler/queue.js";
import { MinHeap, NumericHeap } from "../state/heap.js";

interface Item {
  readonly id: number;
  readonly entry: QueuedPod;
}

export class QueueIndex {
  /**
   * PrioritySort's order (`compareActive`) as two numbers: −priority, then `order`. An entry's
   * `order` is the seq of the event that queued it and its `timestamp` that event's tick; seqs
   * grow with ticks, so ordering by `order` orders by timestamp first, as kube does.
   */
  private readonly active = new NumericHeap<Item>();
  private readonly backoff = new MinHeap<Item>((a, b) => compareBackoff(a.entry, b.entry));
  /** By the tick at which time alone changes the entry's status. */
  private readonly timed = new NumericHeap<Item>();
  /** Pods whose entry was put in the unschedulable pool (time may have flushed some since). */
  readonly unschedulable = new Set<number>();
  /** Those of them PodTopologySpread or InterPodAffinity rejected (the only ones a bind or a node's removal or taint may wake). */
  readonly unschedulableByPodPlugins = new Set<number>();
  /** The latest tick the heaps were brought to. */
  private now = -Infinity;

  constructor(private readonly entryOf: (id: number) => QueuedPod | undefined) {}

  /** The tick the heaps reflect: asking about an earlier tick needs a fresh index. */
  get advancedTo(): number {
    return this.now;
  }

  /** A fresh index for a state at tick `t`: it answers for `t` and later. */
  startAt(t: number): void {
    this.now = Math.max(this.now, t);
  }

  /** Records that pod `id`'s entry changed at tick `t` (undefined: it left the queue). */
  changed(id: number, entry: QueuedPod | undefined, t: number): void {
    if (entry === undefined || entry.pool !== "unschedulable") {
      this.unschedulable.delete(id);
      this.unschedulableByPodPlugins.delete(id);
    } else {
      this.unschedulable.add(id);
      if (entry.plugins.some((plugin) => POD_PLUGINS.includes(plugin))) this.unschedulableByPodPlugins.add(id);
      else this.unschedulableByPodPlugins.delete(id);
    }
    if (entry !== undefined) this.place({ id, entry }, Math.max(t, this.now));
  }

  private place(item: Item, now: number): void {
    const { entry } = item;
    switch (queueStatus(entry, now)) {
      case "active":
        this.active.push(-entry.priority, entry.order, item);
        return;
      case "backoff":
        if (!entry.error) this.backoff.push(item);
        this.timed.push(backoffExpiry(entry) + 1, 0, item);
        return;
      case "unschedulable":
        this.timed.push(unschedulableFlushAt(entry), 0, item);
        return;
    }
  }

  private current(item: Item): boolean {
    return this.entryOf(item.id) === item.entry;
  }

  /** The pod id popped next at tick `now` (not before the ticks already seen), or undefined. */
  next(now: number): number | undefined {
    if (now < this.now) throw new RangeError(`the queue index is at tick ${this.now}; tick ${now} needs a fresh one`);
    this.now = now;
    for (let at = this.timed.peekFirst(); at !== undefined && at <= now; at = this.timed.peekFirst()) {
      const item = this.timed.pop() as Item;
      if (this.current(item)) this.place(item, now);
    }
    for (let item = this.active.peekPayload(); item !== undefined; item = this.active.peekPayload()) {
      if (this.current(item)) return item.id;
      this.active.pop();
    }
    for (let item = this.backoff.peek(); item !== undefined; item = this.backoff.peek()) {
      if (this.current(item) && queueStatus(item.entry, now) === "backoff") return item.id;
      this.backoff.pop();
    }
    return undefined;
  }
}
