/**
 * The last failed cycle's per-node verdicts for one kind of pod (core/fast/preempt.ts), kept so
 * that the next pod alike reads only the nodes that changed since: each slot's NodeResourcesFit
 * outcome as a bit mask, how many slots give each mask, which slots are worth a preemption
 * (plain Unschedulable) in kube's order with an order-statistics tree over them, and the ids of
 * the nodes touched since (`Accelerators.dryRunTouched`: a node's record, the pods nominated to
 * it, a pod on it starting). Cordoned and tainted nodes ("special") are not kept: the profile's
 * filters judge them every time. Beside the verdicts, the slots whose preemption dry run found no
 * victims that help ("hopeless", with its reasons), until their node is touched: the candidate
 * search steps over them in O(log n), and a search that finds no candidate counts their reasons
 * from kept totals instead of visiting every node. The whole pass is dropped when the slots move (a node joins or
 * leaves, the order is rebuilt) and redone when the pod differs or too many nodes changed.
 *
 * preempt.test.ts compares the outcomes with the plain path, including a second pod alike after
 * the first's preemption (the kept pass updated, not redone).
 */

/** A slot that is empty, or whose node the profile's filters judge each time. */
export const EMPTY_SLOT = -1;
export const SPECIAL_SLOT = -2;

/** A set of slots as bits, with a Fenwick tree over them: size, rank and the k-th member in O(log n). */
export class SlotSet {
  private bits: Uint8Array;
  private tree: Int32Array;
  private members = 0;

  constructor(slots: number) {
    this.bits = new Uint8Array(slots);
    this.tree = new Int32Array(slots + 1);
  }

  has(slot: number): boolean {
    return this.bits[slot] === 1;
  }

  get size(): number {
    return this.members;
  }

  /** Puts `slot` in (true) or out (false). */
  put(slot: number, member: boolean): void {
    const bit = member ? 1 : 0;
    const delta = bit - (this.bits[slot] as number);
    if (delta === 0) return;
    this.bits[slot] = bit;
    this.members += delta;
    for (let at = slot + 1; at < this.tree.length; at += at & -at) this.tree[at] = (this.tree[at] as number) + delta;
  }

  /** How many members lie below `slot`. */
  rank(slot: number): number {
    let total = 0;
    for (let at = slot; at > 0; at -= at & -at) total += this.tree[at] as number;
    return total;
  }

  /** The k-th (0-based) member in slot order; k < size. */
  kth(k: number): number {
    let position = 0;
    let left = k + 1;
    let step = 1;
    while (step * 2 < this.tree.length) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = position + step;
      if (next < this.tree.length && (this.tree[next] as number) < left) {
        position = next;
        left -= this.tree[next] as number;
      }
    }
    return position;
  }

  /** The first member at or after `slot`, round the end (−1: empty): the next few slots read in turn, then the tree. */
  next(slot: number): number {
    if (this.members === 0) return -1;
    const size = this.bits.length;
    const end = Math.min(size, slot + 32);
    for (let at = slot; at < end; at++) if (this.bits[at] === 1) return at;
    const below = end >= size ? this.members : this.rank(end);
    return this.kth(below < this.members ? below : 0);
  }
}

export class FailurePass {
  /** What the kept verdicts are for (cpu, memory, priority, cordon toleration); undefined: nothing kept. */
  key: string | undefined;
  /** Per slot: EMPTY_SLOT, SPECIAL_SLOT, or NodeResourcesFit's mask (0 = fits). */
  masks = new Int8Array(0);
  /** How many slots give each mask (16 masks). */
  readonly counts = new Int32Array(16);
  /** The special slots, in no order. */
  readonly specials = new Set<number>();
  /** The slots worth a preemption. */
  private potential = new SlotSet(0);
  /** Per slot, the reasons its kept dry run found no victims that help (undefined: none kept). */
  private hopeless: (readonly string[] | undefined)[] = [];
  /** The slots worth a preemption without a kept hopeless dry run: those a candidate search visits. */
  private open = new SlotSet(0);
  /** Over the slots worth a preemption with a kept hopeless dry run: how many give each list of reasons. */
  readonly hopelessReasons = new Map<readonly string[], number>();
  /** How much of `FailurePasses`' log of touched nodes the verdicts have taken in. */
  seen = 0;

  /** Starts a pass over `slots` slots for `key`, every slot empty. */
  start(key: string, slots: number): void {
    this.key = key;
    this.masks = new Int8Array(slots).fill(EMPTY_SLOT);
    this.counts.fill(0);
    this.specials.clear();
    this.potential = new SlotSet(slots);
    this.open = new SlotSet(slots);
    this.hopeless = new Array<readonly string[] | undefined>(slots).fill(undefined);
    this.hopelessReasons.clear();
  }

  get slots(): number {
    return this.masks.length;
  }

  /**
   * Slot `slot`'s verdict is now `mask` (EMPTY_SLOT, SPECIAL_SLOT or a mask), and whether it is
   * worth a preemption: its node is new to the pass or was touched, so its dry run is no longer kept.
   */
  set(slot: number, mask: number, potential: boolean): void {
    const before = this.masks[slot] as number;
    if (before >= 0) this.counts[before] = (this.counts[before] as number) - 1;
    if (before === SPECIAL_SLOT) this.specials.delete(slot);
    this.masks[slot] = mask;
    if (mask >= 0) this.counts[mask] = (this.counts[mask] as number) + 1;
    if (mask === SPECIAL_SLOT) this.specials.add(slot);
    this.forget(slot);
    this.mark(slot, potential);
  }

  /** Slot `slot` worth a preemption or not (a special slot's, each pass). */
  mark(slot: number, potential: boolean): void {
    const was = this.potential.has(slot);
    if (was === potential) return;
    this.potential.put(slot, potential);
    const reasons = this.hopeless[slot];
    if (reasons === undefined) this.open.put(slot, potential);
    else this.tally(reasons, potential ? 1 : -1);
  }

  /** Slot `slot` (worth a preemption) had a dry run that found no victims that help, for `reasons`, kept until its node is touched. */
  markHopeless(slot: number, reasons: readonly string[]): void {
    this.forget(slot);
    this.hopeless[slot] = reasons;
    this.open.put(slot, false);
    if (this.potential.has(slot)) this.tally(reasons, 1);
  }

  private forget(slot: number): void {
    const reasons = this.hopeless[slot];
    if (reasons === undefined) return;
    this.hopeless[slot] = undefined;
    if (this.potential.has(slot)) {
      this.tally(reasons, -1);
      this.open.put(slot, true);
    }
  }

  private tally(reasons: readonly string[], delta: number): void {
    const times = (this.hopelessReasons.get(reasons) ?? 0) + delta;
    if (times === 0) this.hopelessReasons.delete(reasons);
    else this.hopelessReasons.set(reasons, times);
  }

  /** Whether slot `slot` is worth a preemption. */
  potentialAt(slot: number): boolean {
    return this.potential.has(slot);
  }

  /** How many slots are worth a preemption. */
  potentialCount(): number {
    return this.potential.size;
  }

  /** The slot of the k-th (0-based) slot worth a preemption, in slot order. */
  kth(k: number): number {
    return this.potential.kth(k);
  }

  /** How many slots worth a preemption have no kept hopeless dry run. */
  openCount(): number {
    return this.open.size;
  }

  /** The next slot worth a preemption without a kept hopeless dry run, at or after `slot`, round the end (−1: none). */
  nextOpen(slot: number): number {
    return this.open.next(slot);
  }
}

/**
 * The kept passes, one per kind of pod (`FailurePass.key`), the least recently used dropped beyond
 * `LIMIT`: a retry round of many pending pods alternates among a few kinds of request. The nodes
 * touched since are one log; each pass takes in the part it has not seen (a node may be there more
 * than once: redoing its verdict twice gives the same verdict).
 */
export class FailurePasses {
  static readonly LIMIT = 128;
  private readonly passes = new Map<string, FailurePass>();
  private log: number[] = [];

  /** Node `id` changed: each kept pass redoes its verdict when next used. */
  touched(id: number): void {
    if (this.passes.size > 0) this.log.push(id);
  }

  /** No kept verdict holds any more (the slots moved). */
  drop(): void {
    this.passes.clear();
    this.log = [];
  }

  /**
   * The pass for `key` over `slots` slots, as most recently used, and the nodes touched since it
   * was last brought up to date; `undefined` instead of those when it must be started afresh (new,
   * other slots, or more than a quarter of the `count` nodes' worth of touches behind).
   */
  use(key: string, slots: number, count: number): { pass: FailurePass; touched: readonly number[] | undefined } {
    let pass = this.passes.get(key);
    if (pass !== undefined) this.passes.delete(key);
    else {
      if (this.passes.size >= FailurePasses.LIMIT) this.passes.delete(this.passes.keys().next().value as string);
      pass = new FailurePass();
    }
    this.passes.set(key, pass);
    const behind = this.log.length - pass.seen;
    const touched = pass.key === key && pass.slots === slots && behind * 4 <= count ? this.log.slice(pass.seen) : undefined;
    pass.seen = this.log.length;
    this.compact(count);
    return { pass, touched };
  }

  /** How many touches the log holds (what some kept pass may not have seen). */
  get logged(): number {
    return this.log.length;
  }

  /** Keeps the log short: passes too far behind are dropped, and what every pass has seen goes. */
  private compact(count: number): void {
    if (this.log.length <= Math.max(4096, count)) return;
    let oldest = this.log.length;
    for (const [key, pass] of this.passes) {
      if ((this.log.length - pass.seen) * 4 > count) this.passes.delete(key);
      else oldest = Math.min(oldest, pass.seen);
    }
    this.log = this.log.slice(oldest);
    for (const pass of this.passes.values()) pass.seen -= oldest;
  }
}
