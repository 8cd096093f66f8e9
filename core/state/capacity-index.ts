/**
 * The free-capacity index (DESIGN.md "Purity and state", "Scheduler"): which node can take a pod
 * of (cpu, memory), found in about O(log n) visits instead of a scan.
 *
 * Nodes sit in dense slots, the leaves of a segment tree. Each tree node keeps a *skyline*: for
 * each of a few memory levels, the most free cpu among the schedulable nodes below it that have
 * at least that much free memory and room for one more pod. A subtree is skipped when, at the
 * highest level not above the pod's memory request, its most free cpu is below the pod's cpu
 * request — nodes with enough memory are a subset of those above that level, so the skip is
 * exact; a subtree that passes may still hold no fitting node (a false positive between two
 * levels), which only costs a visit. Keeping separate per-dimension maxima instead would let one
 * node's cpu and another's memory pass together, and degrade to a scan in a packed cluster.
 *
 * Queries:
 * - `firstFit(cpu, memory, from)`: the first fitting slot at or after `from` (kube's "next
 *   feasible node from position s", and first fit from 0);
 * - `bestFit` / `worstFit`: the fitting slot with the least / most capacity left, as the sum of
 *   the free cpu and memory fractions after placement in whole steps of 2^-20 (`leftOverKey`),
 *   ties to the lowest slot. Branch and bound on per-subtree bounds: for best fit, an 8 × 8
 *   grid of the least free sum among nodes with at least a cpu level and a memory level free,
 *   and the exact least free sum; for worst fit, the most. A subtree that can at best tie with
 *   an earlier chosen slot is skipped, so a pool of identical nodes costs about log n visits.
 *   In a randomly filled cluster best fit's bounds are looser (54 visits at 1,000 nodes, 376 at
 *   100,000).
 *
 * Owned and mutable: the fast state's accelerators keep one for the newest state of a run
 * (fast/state.ts). `NaiveCapacityIndex` is its twin for tests: the same answers by plain scans.
 */

/**
 * Memory levels of the skyline, in bytes: any (an over-committed node's free memory is negative,
 * and a pod requesting none still fits there, as kube's filter has it), then 64 MiB doubling to
 * 1 TiB (16 levels).
 */
export const MEMORY_LEVELS: readonly number[] = [-Infinity, ...Array.from({ length: 15 }, (_, index) => 64 * 2 ** 20 * 2 ** index)];
/** Best fit's grid of bounds: cpu levels (millicores) × memory levels (bytes), 8 × 8; the first of each is "any". */
export const GRID_CPU_LEVELS: readonly number[] = [-Infinity, 100, 200, 400, 800, 1600, 3200, 6400];
export const GRID_MEMORY_LEVELS: readonly number[] = [-Infinity, ...Array.from({ length: 7 }, (_, index) => 128 * 2 ** 20 * 2 ** index)];
const GRID_SIDE = 8;
const GRID = GRID_SIDE * GRID_SIDE;

export interface SlotCapacity {
  readonly cpuFree: number;
  readonly memoryFree: number;
  readonly podsFree: number;
  readonly cpuAllocatable: number;
  readonly memoryAllocatable: number;
  /** False for a cordoned or absent node: never chosen. */
  readonly schedulable: boolean;
}

/** What both indexes answer. */
export interface CapacityQueries {
  firstFit(cpu: number, memory: number, from?: number): number;
  bestFit(cpu: number, memory: number): number;
  worstFit(cpu: number, memory: number): number;
  /** How many slots hold a node (a capacity, schedulable or not). */
  readonly occupied: number;
  /** The slot of the k-th node (0-based) in slot order, or −1. */
  select(k: number): number;
  /** How many nodes sit in slots before `slot`. */
  rank(slot: number): number;
}

/** NodeResourcesFit on cpu, memory and pods: a request of 0 is not checked (kube skips it), a pod slot always is. */
function fits(slot: SlotCapacity | undefined, cpu: number, memory: number): slot is SlotCapacity {
  return slot !== undefined && slot.schedulable && slot.podsFree >= 1 && (cpu <= 0 || slot.cpuFree >= cpu) && (memory <= 0 || slot.memoryFree >= memory);
}

/** Capacity left after placing (cpu, memory), as the sum of free fractions of allocatable. */
export function leftAfter(slot: SlotCapacity, cpu: number, memory: number): number {
  const cpuPart = slot.cpuAllocatable > 0 ? (slot.cpuFree - cpu) / slot.cpuAllocatable : 0;
  const memoryPart = slot.memoryAllocatable > 0 ? (slot.memoryFree - memory) / slot.memoryAllocatable : 0;
  return cpuPart + memoryPart;
}

/**
 * Best and worst fit compare left-overs in steps of 2^-20 (about a millionth: 0.06 millicores of
 * a 64-core node, 256 KiB of 256 GiB): nodes closer than that tie, and ties go to the earliest.
 * Whole steps make ties exact, so the index can prune a subtree that could at best tie with an
 * earlier node — in a pool of identical nodes that is every subtree but one.
 */
export const LEFT_OVER_STEPS = 2 ** 20;

/** A left-over in whole steps (the key best and worst fit compare). */
export function leftOverKey(left: number): number {
  return Math.round(left * LEFT_OVER_STEPS);
}

/** The plain-scan twin: obviously correct, O(n) per query. */
export class NaiveCapacityIndex implements CapacityQueries {
  private readonly slots: (SlotCapacity | undefined)[] = [];

  set(slot: number, capacity: SlotCapacity | undefined): void {
    this.slots[slot] = capacity;
  }

  firstFit(cpu: number, memory: number, from = 0): number {
    for (let slot = from; slot < this.slots.length; slot++) if (fits(this.slots[slot], cpu, memory)) return slot;
    return -1;
  }

  get occupied(): number {
    return this.slots.filter((capacity) => capacity !== undefined).length;
  }

  select(k: number): number {
    let seen = 0;
    for (let slot = 0; slot < this.slots.length; slot++) {
      if (this.slots[slot] === undefined) continue;
      if (seen === k) return slot;
      seen++;
    }
    return -1;
  }

  rank(slot: number): number {
    return this.slots.slice(0, Math.max(0, slot)).filter((capacity) => capacity !== undefined).length;
  }

  bestFit(cpu: number, memory: number): number {
    return this.extreme(cpu, memory, (a, b) => a < b);
  }

  worstFit(cpu: number, memory: number): number {
    return this.extreme(cpu, memory, (a, b) => a > b);
  }

  private extreme(cpu: number, memory: number, better: (a: number, b: number) => boolean): number {
    let chosen = -1;
    let chosenKey = 0;
    this.slots.forEach((capacity, slot) => {
      if (!fits(capacity, cpu, memory)) return;
      const key = leftOverKey(leftAfter(capacity, cpu, memory));
      if (chosen < 0 || better(key, chosenKey)) {
        chosen = slot;
        chosenKey = key;
      }
    });
    return chosen;
  }
}

const LEVELS = MEMORY_LEVELS.length;
/** A skyline cell with no usable node below it. */
const NONE = -Infinity;
/**
 * How far a computed bound may sit on the wrong side of the exact left-overs it bounds: the
 * Float32 grid rounds free sums (at most 2) by up to 2^-23; Float64 arithmetic by far less.
 */
const GRID_ERROR = 2 ** -22;
const FLOAT64_ERROR = 1e-12;

/** The highest grid level not above `amount`. */
function gridLevel(amount: number, levels: readonly number[]): number {
  let level = 0;
  while (level + 1 < GRID_SIDE && (levels[level + 1] as number) <= amount) level++;
  return level;
}

/** The indexed structure. Slots grow on demand; every method is O(LEVELS × log n) or a search. */
export class CapacityIndex implements CapacityQueries {
  private size = 1;
  /** Per slot (leaf): the node's capacity; undefined when empty. */
  private slots: (SlotCapacity | undefined)[] = [];
  /**
   * Per slot, what `firstFit` reads at a leaf, in columns (the sampling walk reads one per node it
   * visits, and a column is far cheaper to read than the capacity objects): the free cpu of a
   * usable node (schedulable, a pod slot free), NONE otherwise; the free memory.
   */
  private leafCpu = new Float64Array(1).fill(NONE);
  private leafMemory = new Float64Array(1);
  /** `levelFor`'s last answer: the walk asks for one pod's memory again and again. */
  private lastMemory = NaN;
  private lastLevel = 0;
  /** counts[node] = how many slots below tree node `node` hold a node: `select` and `rank` descend by them. */
  private counts = new Int32Array(2);
  /** skyline[node × LEVELS + level] = most free cpu below `node` with memory ≥ level (−∞: none). */
  private skyline = new Float64Array(2 * LEVELS).fill(NONE);
  /**
   * Best fit's bounds: grid[node × 64 + cpuLevel × 8 + memoryLevel] = the least free sum below a
   * tree node among the nodes with at least that cpu and that memory free. Float32 to keep it
   * small; comparisons allow for its rounding.
   */
  private grid = new Float32Array(2 * GRID).fill(Infinity);
  private maxFree = new Float64Array(2).fill(-Infinity);
  /** The least free sum below a tree node, exact (Float64), whatever the levels: a looser but exact bound. */
  private minFree = new Float64Array(2).fill(Infinity);
  private minCpuAllocatable = new Float64Array(2).fill(Infinity);
  private minMemoryAllocatable = new Float64Array(2).fill(Infinity);
  private maxCpuAllocatable = new Float64Array(2).fill(0);
  private maxMemoryAllocatable = new Float64Array(2).fill(0);
  /** Tree nodes looked at by queries since the last reset: a figure noise cannot move. */
  visits = 0;

  private grow(slots: number): void {
    let size = this.size;
    while (size < slots) size *= 2;
    if (size === this.size) return;
    const old = this.slots;
    this.size = size;
    this.skyline = new Float64Array(2 * size * LEVELS).fill(NONE);
    if (this.bounds) this.allocateBounds();
    this.slots = [];
    this.leafCpu = new Float64Array(size).fill(NONE);
    this.leafMemory = new Float64Array(size);
    this.counts = new Int32Array(2 * size);
    old.forEach((capacity, slot) => {
      this.writeLeaf(slot, capacity);
      if (capacity !== undefined) this.counts[slot + size] = 1;
    });
    for (let node = size - 1; node >= 1; node--) {
      this.pull(node);
      this.counts[node] = (this.counts[2 * node] as number) + (this.counts[2 * node + 1] as number);
    }
  }

  /**
   * Whether the best/worst-fit bounds (the grid, the free sums, the smallest allocatables) are
   * kept. They cost most of an update, so an index starts without them if told to and builds them
   * on the first best- or worst-fit query (first fit and kube's sampling never need them).
   */
  private bounds: boolean;

  constructor(options: { readonly bounds?: boolean } = {}) {
    this.bounds = options.bounds ?? true;
  }

  /** Sets (or clears, with undefined) a slot's capacity and updates the path to the root, stopping where nothing changes. */
  set(slot: number, capacity: SlotCapacity | undefined): void {
    this.grow(slot + 1);
    const delta = (capacity === undefined ? 0 : 1) - (this.slots[slot] === undefined ? 0 : 1);
    if (delta !== 0) for (let node = slot + this.size; node >= 1; node >>= 1) this.counts[node] = (this.counts[node] as number) + delta;
    this.writeLeaf(slot, capacity);
    for (let node = (slot + this.size) >> 1; node >= 1; node >>= 1) if (!this.pull(node)) break;
  }

  get occupied(): number {
    return this.counts[1] as number;
  }

  select(k: number): number {
    if (k < 0 || k >= (this.counts[1] as number)) return -1;
    let node = 1;
    let left = k;
    while (node < this.size) {
      const below = this.counts[2 * node] as number;
      if (left < below) {
        node = 2 * node;
      } else {
        left -= below;
        node = 2 * node + 1;
      }
    }
    return node - this.size;
  }

  rank(slot: number): number {
    if (slot <= 0) return 0;
    if (slot >= this.size) return this.counts[1] as number;
    let before = 0;
    // From the leaf up: every left sibling of the path lies wholly before `slot`.
    for (let node = slot + this.size; node > 1; node >>= 1) if ((node & 1) === 1) before += this.counts[node - 1] as number;
    return before;
  }

  private allocateBounds(): void {
    const size = this.size;
    this.grid = new Float32Array(2 * size * GRID).fill(Infinity);
    this.maxFree = new Float64Array(2 * size).fill(-Infinity);
    this.minFree = new Float64Array(2 * size).fill(Infinity);
    this.minCpuAllocatable = new Float64Array(2 * size).fill(Infinity);
    this.minMemoryAllocatable = new Float64Array(2 * size).fill(Infinity);
    this.maxCpuAllocatable = new Float64Array(2 * size).fill(0);
    this.maxMemoryAllocatable = new Float64Array(2 * size).fill(0);
  }

  private enableBounds(): void {
    if (this.bounds) return;
    this.bounds = true;
    this.allocateBounds();
    this.slots.forEach((capacity, slot) => this.writeLeaf(slot, capacity));
    for (let node = this.size - 1; node >= 1; node--) this.pull(node);
  }

  private writeLeaf(slot: number, capacity: SlotCapacity | undefined): void {
    this.slots[slot] = capacity;
    const leaf = slot + this.size;
    const base = leaf * LEVELS;
    const usable = capacity !== undefined && capacity.schedulable && capacity.podsFree >= 1;
    this.leafCpu[slot] = usable ? capacity.cpuFree : NONE;
    this.leafMemory[slot] = usable ? capacity.memoryFree : 0;
    for (let level = 0; level < LEVELS; level++) {
      this.skyline[base + level] = usable && capacity.memoryFree >= (MEMORY_LEVELS[level] as number) ? capacity.cpuFree : NONE;
    }
    if (!this.bounds) return;
    const free = usable ? leftAfter(capacity, 0, 0) : NaN;
    const gridBase = leaf * GRID;
    for (let cpuLevel = 0; cpuLevel < GRID_SIDE; cpuLevel++) {
      const cpuOk = usable && capacity.cpuFree >= (GRID_CPU_LEVELS[cpuLevel] as number);
      for (let memoryLevel = 0; memoryLevel < GRID_SIDE; memoryLevel++) {
        this.grid[gridBase + cpuLevel * GRID_SIDE + memoryLevel] = cpuOk && capacity.memoryFree >= (GRID_MEMORY_LEVELS[memoryLevel] as number) ? free : Infinity;
      }
    }
    this.maxFree[leaf] = usable ? free : -Infinity;
    this.minFree[leaf] = usable ? free : Infinity;
    // A node with none of a resource adds nothing for it to "left after": only positive allocatables bound the fractions.
    this.minCpuAllocatable[leaf] = usable && capacity.cpuAllocatable > 0 ? capacity.cpuAllocatable : Infinity;
    this.minMemoryAllocatable[leaf] = usable && capacity.memoryAllocatable > 0 ? capacity.memoryAllocatable : Infinity;
    this.maxCpuAllocatable[leaf] = usable ? capacity.cpuAllocatable : 0;
    this.maxMemoryAllocatable[leaf] = usable ? capacity.memoryAllocatable : 0;
  }

  /** Recomputes a tree node from its children; false if nothing in it changed (so its ancestors need nothing either). */
  private pull(node: number): boolean {
    const left = 2 * node;
    const right = left + 1;
    const skyline = this.skyline;
    const base = node * LEVELS;
    const leftBase = left * LEVELS;
    const rightBase = right * LEVELS;
    let changed = false;
    for (let level = 0; level < LEVELS; level++) {
      const a = skyline[leftBase + level] as number;
      const b = skyline[rightBase + level] as number;
      const most = a > b ? a : b;
      if (skyline[base + level] !== most) {
        skyline[base + level] = most;
        changed = true;
      }
    }
    if (!this.bounds) return changed;
    // The bounds are recomputed whole: cheaper than comparing each cell.
    const grid = this.grid;
    const gridBase = node * GRID;
    const leftGrid = left * GRID;
    const rightGrid = right * GRID;
    for (let cell = 0; cell < GRID; cell++) {
      const a = grid[leftGrid + cell] as number;
      const b = grid[rightGrid + cell] as number;
      grid[gridBase + cell] = a < b ? a : b;
    }
    this.maxFree[node] = Math.max(this.maxFree[left] as number, this.maxFree[right] as number);
    this.minFree[node] = Math.min(this.minFree[left] as number, this.minFree[right] as number);
    this.minCpuAllocatable[node] = Math.min(this.minCpuAllocatable[left] as number, this.minCpuAllocatable[right] as number);
    this.minMemoryAllocatable[node] = Math.min(this.minMemoryAllocatable[left] as number, this.minMemoryAllocatable[right] as number);
    this.maxCpuAllocatable[node] = Math.max(this.maxCpuAllocatable[left] as number, this.maxCpuAllocatable[right] as number);
    this.maxMemoryAllocatable[node] = Math.max(this.maxMemoryAllocatable[left] as number, this.maxMemoryAllocatable[right] as number);
    return true;
  }

  /** The highest memory level not above `memory`. */
  private levelFor(memory: number): number {
    if (memory === this.lastMemory) return this.lastLevel;
    let level = 0;
    while (level + 1 < LEVELS && (MEMORY_LEVELS[level + 1] as number) <= memory) level++;
    this.lastMemory = memory;
    this.lastLevel = level;
    return level;
  }

  /** `fits` for the node in `slot`, from the leaf columns. */
  private fitsAt(slot: number, cpu: number, memory: number): boolean {
    const free = this.leafCpu[slot] as number;
    return free !== NONE && (cpu <= 0 || free >= cpu) && (memory <= 0 || (this.leafMemory[slot] as number) >= memory);
  }

  /** Whether a subtree may hold a fitting node (never false when one does); a cpu request of 0 needs any usable node. */
  private mayFit(node: number, cpu: number, level: number): boolean {
    const most = this.skyline[node * LEVELS + level] as number;
    return cpu <= 0 ? most !== NONE : most >= cpu;
  }

  firstFit(cpu: number, memory: number, from = 0): number {
    const level = this.levelFor(memory);
    const size = this.size;
    if (from >= size) return -1;
    // The slot at `from` itself first: kube's sampling walk asks for the next node again and
    // again, and in a cluster with room it is usually the answer (one visit instead of a descent).
    if (from >= 0) {
      this.visits++;
      if (this.fitsAt(from, cpu, memory)) return from;
    }
    // From the leaf at `from`, rightwards: try a subtree; if nothing fits in it, climb while it is
    // a right child and move to the next subtree to the right. O(log n) subtrees are tried.
    let node = Math.max(0, from) + size;
    // The largest subtree that starts at `from` (the root when from is 0).
    while ((node & 1) === 0 && node > 1) node >>= 1;
    for (;;) {
      const slot = this.firstIn(node, cpu, memory, level);
      if (slot >= 0) return slot;
      while ((node & 1) === 1) node >>= 1;
      if (node === 0) return -1;
      node += 1;
    }
  }

  /** Depth-first stack for `firstIn` (the tree is never deeper than 31 levels). */
  private readonly stack = new Int32Array(64);

  /** The leftmost fitting slot under tree node `root`, or −1. */
  private firstIn(root: number, cpu: number, memory: number, level: number): number {
    const size = this.size;
    const stack = this.stack;
    let top = 0;
    stack[top++] = root;
    while (top > 0) {
      const node = stack[--top] as number;
      this.visits++;
      if (!this.mayFit(node, cpu, level)) continue;
      if (node >= size) {
        const slot = node - size;
        if (this.fitsAt(slot, cpu, memory)) return slot;
        continue;
      }
      stack[top++] = 2 * node + 1;
      stack[top++] = 2 * node;
    }
    return -1;
  }

  bestFit(cpu: number, memory: number): number {
    return this.extreme(cpu, memory, true);
  }

  worstFit(cpu: number, memory: number): number {
    return this.extreme(cpu, memory, false);
  }

  /**
   * Branch and bound over left-over keys. Best fit: a subtree's fitting nodes leave at least its
   * least free sum (the grid, among nodes with at least the request's levels free) minus the
   * largest request fractions (the request over its smallest allocatables). Worst fit: at most its
   * largest free sum minus the smallest fractions (over its largest allocatables; a node without
   * some resource cannot fit a request for it). A subtree is skipped when its bound is worse than
   * the chosen key, or no better and wholly after the chosen slot (a tie would lose).
   */
  private extreme(cpu: number, memory: number, best: boolean): number {
    this.enableBounds();
    const level = this.levelFor(memory);
    const cell = gridLevel(cpu, GRID_CPU_LEVELS) * GRID_SIDE + gridLevel(memory, GRID_MEMORY_LEVELS);
    const size = this.size;
    let chosen = -1;
    let chosenKey = 0;
    // Tree nodes with the first slot below each.
    const stack: number[] = [1];
    const lows: number[] = [0];
    while (stack.length > 0) {
      const node = stack.pop() as number;
      const low = lows.pop() as number;
      this.visits++;
      if (!this.mayFit(node, cpu, level)) continue;
      if (chosen >= 0) {
        // Keys are whole steps of Math.round: key ≥ k exactly when left-over ≥ (k − ½) / steps.
        const after = low > chosen;
        if (best) {
          const cpuShare = cpu / (this.minCpuAllocatable[node] as number);
          const memoryShare = memory / (this.minMemoryAllocatable[node] as number);
          const fromGrid = (this.grid[node * GRID + cell] as number) - cpuShare - memoryShare - GRID_ERROR;
          const exact = (this.minFree[node] as number) - cpuShare - memoryShare - FLOAT64_ERROR;
          const least = fromGrid > exact ? fromGrid : exact;
          if (least >= (chosenKey + 0.5) / LEFT_OVER_STEPS || (after && least >= (chosenKey - 0.5) / LEFT_OVER_STEPS)) continue;
        } else {
          const maxCpu = this.maxCpuAllocatable[node] as number;
          const maxMemory = this.maxMemoryAllocatable[node] as number;
          const most = (this.maxFree[node] as number) - (cpu > 0 ? cpu / maxCpu : 0) - (memory > 0 ? memory / maxMemory : 0) + FLOAT64_ERROR;
          if (most < (chosenKey - 0.5) / LEFT_OVER_STEPS || (after && most < (chosenKey + 0.5) / LEFT_OVER_STEPS)) continue;
        }
      }
      if (node >= size) {
        const slot = node - size;
        const capacity = this.slots[slot];
        if (!fits(capacity, cpu, memory)) continue;
        const key = leftOverKey(leftAfter(capacity, cpu, memory));
        if (chosen < 0 || (best ? key < chosenKey : key > chosenKey) || (key === chosenKey && slot < chosen)) {
          chosen = slot;
          chosenKey = key;
        }
        continue;
      }
      // Visit the more promising child first so the bound tightens early (the left one on a tie).
      const left = 2 * node;
      const right = left + 1;
      const middle = low + (size >> (31 - Math.clz32(node)) >> 1);
      const leftFirst = best
        ? (this.grid[left * GRID + cell] as number) <= (this.grid[right * GRID + cell] as number)
        : (this.maxFree[left] as number) >= (this.maxFree[right] as number);
      if (leftFirst) {
        stack.push(right, left);
        lows.push(middle, low);
      } else {
        stack.push(left, right);
        lows.push(low, middle);
      }
    }
    return chosen;
  }
}
