import { describe, expect, it } from "vitest";
import { CapacityIndex, MEMORY_LEVELS, NaiveCapacityIndex, leftAfter, type SlotCapacity } from "./capacity-index.js";

const GIB = 2 ** 30;
const node = (cpuFree: number, memoryFree: number, fields: Partial<SlotCapacity> = {}): SlotCapacity => ({
  cpuFree, memoryFree, podsFree: 110, cpuAllocatable: 64_000, memoryAllocatable: 256 * GIB, schedulable: true, ...fields,
});

function both(nodes: readonly (SlotCapacity | undefined)[]): [CapacityIndex, NaiveCapacityIndex] {
  const index = new CapacityIndex();
  const naive = new NaiveCapacityIndex();
  nodes.forEach((capacity, slot) => {
    index.set(slot, capacity);
    naive.set(slot, capacity);
  });
  return [index, naive];
}

describe("CapacityIndex: answers", () => {
  const nodes = [
    node(1000, 64 * GIB), // 0: little cpu
    node(8000, 2 * GIB), // 1: little memory
    node(8000, 64 * GIB, { schedulable: false }), // 2: cordoned
    node(8000, 64 * GIB, { podsFree: 0 }), // 3: full of pods
    node(6000, 32 * GIB), // 4: fits a 4-cpu 8Gi pod, tighter
    undefined, // 5: empty slot
    node(32_000, 128 * GIB), // 6: fits, loosest
  ];
  const [index] = both(nodes);

  it.each([
    ["first fit skips nodes short of cpu, of memory, cordoned, full, and empty slots", () => index.firstFit(4000, 8 * GIB), 4],
    ["first fit from a position wraps nothing: it looks at and after it", () => index.firstFit(4000, 8 * GIB, 5), 6],
    ["nothing fits: -1", () => index.firstFit(40_000, 8 * GIB), -1],
    // left after: node 4 (6000−4000)/64000 + (32−8)/256 = 0.03125 + 0.09375 = 0.125; node 6 (28000/64000) + (120/256) = 0.90625
    ["best fit takes the tightest", () => index.bestFit(4000, 8 * GIB), 4],
    ["worst fit takes the loosest", () => index.worstFit(4000, 8 * GIB), 6],
  ])("%s", (_name, query, expected) => {
    expect(query()).toBe(expected);
  });

  it("computes the left-over the classic policies compare", () => {
    expect(leftAfter(node(6000, 32 * GIB), 4000, 8 * GIB)).toBeCloseTo(0.125, 12);
  });

  it("has 16 memory levels: any (over-committed nodes included), then 64Mi doubling", () => {
    expect(MEMORY_LEVELS).toHaveLength(16);
    expect(MEMORY_LEVELS[0]).toBe(-Infinity);
    expect(MEMORY_LEVELS[1]).toBe(64 * 2 ** 20);
    expect(MEMORY_LEVELS[15]).toBe(2 ** 40);
  });
});

describe("CapacityIndex: the skyline keeps cpu and memory of one node together", () => {
  // A packed cluster where every node has either spare cpu or spare memory, never both, and one
  // node at the end has both. Separate per-dimension maxima would pass every subtree; the skyline
  // passes only the path to the last node.
  const count = 1024;
  const nodes = Array.from({ length: count }, (_, slot) =>
    slot === count - 1 ? node(4000, 16 * GIB) : slot % 2 === 0 ? node(4000, 1 * GIB) : node(500, 16 * GIB));
  const [index, naive] = both(nodes);

  it("finds the one node, as the scan does", () => {
    expect(index.firstFit(2000, 8 * GIB)).toBe(naive.firstFit(2000, 8 * GIB));
    expect(index.firstFit(2000, 8 * GIB)).toBe(count - 1);
  });

  it("visits about 2 × log2(n) tree nodes, not n", () => {
    index.visits = 0;
    index.firstFit(2000, 8 * GIB);
    expect(index.visits).toBeLessThanOrEqual(2 * Math.log2(count) + 2);
  });

  it("best fit prunes too", () => {
    index.visits = 0;
    expect(index.bestFit(2000, 8 * GIB)).toBe(count - 1);
    expect(index.visits).toBeLessThanOrEqual(4 * Math.log2(count) + 4);
  });
});

describe("CapacityIndex: changes", () => {
  it("follows a node filling up and emptying, and grows its slots", () => {
    const [index, naive] = both([node(4000, 8 * GIB)]);
    expect(index.firstFit(2000, GIB)).toBe(0);
    index.set(0, node(1000, 8 * GIB));
    naive.set(0, node(1000, 8 * GIB));
    expect(index.firstFit(2000, GIB)).toBe(-1);
    index.set(300, node(4000, 8 * GIB));
    naive.set(300, node(4000, 8 * GIB));
    expect(index.firstFit(2000, GIB)).toBe(300);
    expect(naive.firstFit(2000, GIB)).toBe(300);
    index.set(300, undefined);
    expect(index.firstFit(2000, GIB)).toBe(-1);
  });
});

describe("CapacityIndex: regressions found by the property tests", () => {
  it("a node with no allocatable cpu or memory does not loosen best fit's bound (fast-check's shrunk case)", () => {
    // Slot 0 allocates nothing: its zero allocatables once made the subtree's bound drop the
    // request's share, so best fit pruned the subtree holding the tighter slot 1.
    const nodes = [
      node(0, 0, { cpuAllocatable: 0, memoryAllocatable: 0, podsFree: 1 }),
      node(1280, 3 * GIB, { cpuAllocatable: 2000, memoryAllocatable: 4 * GIB, podsFree: 1 }),
      node(1280, 5.12 * GIB, { cpuAllocatable: 64_000, memoryAllocatable: 256 * GIB, podsFree: 1 }),
    ];
    const [index, naive] = both(nodes);
    expect(index.bestFit(1263, 3 * GIB)).toBe(naive.bestFit(1263, 3 * GIB));
    expect(index.bestFit(1263, 3 * GIB)).toBe(1);
  });

  it("a pod requesting no cpu or memory fits an over-committed node, as NodeResourcesFit has it", () => {
    const [index, naive] = both([node(-500, -GIB), node(4000, 8 * GIB, { podsFree: 0 })]);
    expect(index.firstFit(0, 0)).toBe(0);
    expect(naive.firstFit(0, 0)).toBe(0);
    expect(index.firstFit(100, 0)).toBe(-1);
  });
});

describe("CapacityIndex: a pool of identical nodes", () => {
  // Every node leaves the same: all tie, the first wins, and the index proves it without visiting
  // the rest (a subtree after the chosen slot can at best tie).
  const count = 4096;
  const [index, naive] = both(Array.from({ length: count }, () => node(16_000, 160 * GIB)));

  it("best fit takes the first, visiting about log n tree nodes", () => {
    index.visits = 0;
    expect(index.bestFit(500, GIB)).toBe(0);
    expect(naive.bestFit(500, GIB)).toBe(0);
    expect(index.visits).toBeLessThanOrEqual(4 * Math.log2(count) + 4);
  });

  it("worst fit too", () => {
    index.visits = 0;
    expect(index.worstFit(500, GIB)).toBe(0);
    expect(naive.worstFit(500, GIB)).toBe(0);
    expect(index.visits).toBeLessThanOrEqual(4 * Math.log2(count) + 4);
  });

  it("leftovers closer than a step (2^-20) tie, in the index and the scan alike", () => {
    const [close, closeNaive] = both([node(16_000, 160 * GIB), node(16_000, 160 * GIB - 1024)]);
    expect(close.bestFit(500, GIB)).toBe(0);
    expect(closeNaive.bestFit(500, GIB)).toBe(0);
  });
});
