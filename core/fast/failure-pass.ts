/**
 * The last failed cycle's per-node verdicts for one kind of pod (core/fast/preempt.ts), kept so
 * that the next pod alike reads only the nodes that changed since: each slot's NodeResourcesFit
 * outcome as a bit mask, how many slots give each mask, which slots are worth a preemption
 * (plain Unschedulable) in kube's order with an order-statistics tree over them, and the ids of
 * the nodes touched since (`Accelerators.dryRunTouched`: a node's record, the pods nominated to
 * it, a pod on it starting). Cordoned and tainted nodes ("special") are not kept: the profile's
 * filters judge them every time. The whole pass is dropped when the slots move (a node joins or
 * leaves, the order is rebuilt) and redone when the pod differs or too many nodes changed.
 *
 * preempt.test.ts compares the outcomes with the plain path, including a second pod alike after
 * the first's preemption (the kept pass updated, not redone).
 */

/** A slot that is empty, or whose node the profile's filters judge each time. */
export const EMPTY_SLOT = -1;
export const SPECIAL_SLOT = -2;

export class FailurePass {
  /** What the kept verdicts are for (cpu, memory, priority, cordon toleration); undefined: nothing kept. */
  key: string | undefined;
  /** Per slot: EMPTY_SLOT, SPECIAL_SLOT, or NodeResourcesFit's mask (0 = fits). */
  masks = new Int8Array(0);
  /** How many slots give each mask (16 masks). */
  readonly counts = new Int32Array(16);
  /** The special slots, in no order. */
  readonly specials = new Set<number>();
  /** Per slot, 1 if its node is worth a preemption; and a Fenwick tree over these bits. */
  private bits = new Uint8Array(0);
  private tree = new Int32Array(1);
  /** The ids of the nodes touched since the pass was kept (each once). */
  readonly dirty: number[] = [];
  private marked = new Uint8Array(0);

  /** Node `id` changed: its verdict is redone at the next pass. */
  touched(id: number): void {
    if (this.key === undefined) return;
    if (id >= this.marked.length) {
      const grown = new Uint8Array(Math.max(2 * this.marked.length, id + 1, 64));
      grown.set(this.marked);
      this.marked = grown;
    }
    if (this.marked[id] === 1) return;
    this.marked[id] = 1;
    this.dirty.push(id);
  }

  /** The kept verdicts no longer hold (the slots moved). */
  drop(): void {
    this.key = undefined;
    this.clearDirty();
  }

  clearDirty(): void {
    for (const id of this.dirty) this.marked[id] = 0;
    this.dirty.length = 0;
  }

  /** Starts a pass over `slots` slots for `key`, every slot empty. */
  start(key: string, slots: number): void {
    this.key = key;
    this.clearDirty();
    this.masks = new Int8Array(slots).fill(EMPTY_SLOT);
    this.counts.fill(0);
    this.specials.clear();
    this.bits = new Uint8Array(slots);
    this.tree = new Int32Array(slots + 1);
  }

  get slots(): number {
    return this.masks.length;
  }

  /** Slot `slot`'s verdict is now `mask` (EMPTY_SLOT, SPECIAL_SLOT or a mask), and whether it is worth a preemption. */
  set(slot: number, mask: number, potential: boolean): void {
    const before = this.masks[slot] as number;
    if (before >= 0) this.counts[before] = (this.counts[before] as number) - 1;
    if (before === SPECIAL_SLOT) this.specials.delete(slot);
    this.masks[slot] = mask;
    if (mask >= 0) this.counts[mask] = (this.counts[mask] as number) + 1;
    if (mask === SPECIAL_SLOT) this.specials.add(slot);
    this.mark(slot, potential);
  }

  /** Slot `slot` worth a preemption or not (a special slot's, each pass). */
  mark(slot: number, potential: boolean): void {
    const bit = potential ? 1 : 0;
    const delta = bit - (this.bits[slot] as number);
    if (delta === 0) return;
    this.bits[slot] = bit;
    for (let at = slot + 1; at < this.tree.length; at += at & -at) this.tree[at] = (this.tree[at] as number) + delta;
  }

  /** How many slots are worth a preemption. */
  potentialCount(): number {
    let total = 0;
    for (let at = this.tree.length - 1; at > 0; at -= at & -at) total += this.tree[at] as number;
    return total;
  }

  /** The slot of the k-th (0-based) slot worth a preemption, in slot order. */
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

  /** The next slot worth a preemption at or after `slot`, round the end (−1: none). */
  nextPotential(slot: number): number {
    const size = this.bits.length;
    for (let index = 0; index < size; index++) {
      const at = (slot + index) % size;
      if (this.bits[at] === 1) return at;
    }
    return -1;
  }
}
