/**
 * The free-capacity index gives the plain scan's answers (its naive twin), for first fit from any
 * position, best fit and worst fit, and for counting the slots that hold nodes (select, rank),
 * after any sequence of node changes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CapacityIndex, NaiveCapacityIndex, type SlotCapacity } from "../core/index.js";

const RUNS = Number(process.env["TIMONEIRO_PROPERTY_RUNS"] ?? 200);
const GIB = 2 ** 30;

const capacity: fc.Arbitrary<SlotCapacity | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 8,
    arbitrary: fc.record({
      cpuAllocatable: fc.constantFrom(0, 2000, 4000, 64000),
      memoryAllocatable: fc.constantFrom(0, 4 * GIB, 16 * GIB, 256 * GIB),
      // Below 0: over-committed (a bound pod the kubelet has yet to refuse); a pod requesting none still fits.
      cpuShare: fc.integer({ min: -20, max: 100 }),
      memoryShare: fc.integer({ min: -20, max: 100 }),
      podsFree: fc.integer({ min: 0, max: 3 }),
      cordoned: fc.integer({ min: 0, max: 9 }).map((roll) => roll === 0),
    }).map((draw) => ({
      cpuAllocatable: draw.cpuAllocatable,
      memoryAllocatable: draw.memoryAllocatable,
      cpuFree: Math.floor((draw.cpuAllocatable * draw.cpuShare) / 100),
      memoryFree: Math.floor((draw.memoryAllocatable * draw.memoryShare) / 100),
      podsFree: draw.podsFree,
      schedulable: !draw.cordoned,
    })),
  },
);

type Command =
  | { kind: "set"; slot: number; capacity: SlotCapacity | undefined }
  | { kind: "query"; cpu: number; memory: number; from: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), slot: fc.integer({ min: 0, max: 70 }), capacity }),
  fc.record({
    kind: fc.constant("query" as const),
    cpu: fc.integer({ min: 0, max: 5000 }),
    memory: fc.integer({ min: 0, max: 20 }).map((steps) => steps * 512 * 2 ** 20),
    from: fc.integer({ min: 0, max: 80 }),
  }),
);

describe("CapacityIndex equals its naive twin", () => {
  it("after every change, for every query", () => {
    // `lazy` starts without best-fit bounds and builds them at its first best-fit query, after
    // some changes and first-fit queries (as the fast engine's index does).
    fc.assert(fc.property(fc.array(command, { maxLength: 120, size: "max" }), fc.nat(40), (commands, firstBestFit) => {
      const index = new CapacityIndex();
      const lazy = new CapacityIndex({ bounds: false });
      const naive = new NaiveCapacityIndex();
      commands.forEach((step, position) => {
        if (step.kind === "set") {
          index.set(step.slot, step.capacity);
          lazy.set(step.slot, step.capacity);
          naive.set(step.slot, step.capacity);
          return;
        }
        const first = naive.firstFit(step.cpu, step.memory, step.from);
        expect(index.firstFit(step.cpu, step.memory, step.from)).toBe(first);
        expect(lazy.firstFit(step.cpu, step.memory, step.from)).toBe(first);
        expect(index.bestFit(step.cpu, step.memory)).toBe(naive.bestFit(step.cpu, step.memory));
        expect(index.worstFit(step.cpu, step.memory)).toBe(naive.worstFit(step.cpu, step.memory));
        if (position >= firstBestFit) {
          expect(lazy.bestFit(step.cpu, step.memory)).toBe(naive.bestFit(step.cpu, step.memory));
          expect(lazy.worstFit(step.cpu, step.memory)).toBe(naive.worstFit(step.cpu, step.memory));
        }
        // Node counting: how many, the k-th, and how many before a slot (kube's positions over sparse slots).
        expect(index.occupied).toBe(naive.occupied);
        expect(index.rank(step.from)).toBe(naive.rank(step.from));
        const k = step.from % (naive.occupied + 1);
        expect(index.select(k)).toBe(naive.select(k));
        expect(lazy.select(k)).toBe(naive.select(k));
      });
    }), { numRuns: RUNS });
  });
});
