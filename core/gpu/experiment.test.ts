/**
 * The FGD experiment: a small run worked out by hand, the analysis' bucketing worked out by
 * hand, and the experiment (typed arrays, scores kept per node and pod shape, fragmentation kept
 * incrementally) against a naive twin written here that recomputes everything for every pod.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { typicalPods } from "./frag.js";
import { fgdByArrived, fgdWorkload, median, roundHalfEven, runFgdExperiment } from "./experiment.js";
import type { GpuNodeSpec, GpuPodSpec } from "./model.js";
import { naiveFgdExperiment } from "./naive.js";
import { GPU_POLICIES } from "./policies.js";
import { SeededRandom } from "./random.js";

function pod(name: string, cpuMilli: number, gpuCount: number, gpuMilli: number, gpuModels: readonly string[] = [], memoryMib = 1000): GpuPodSpec {
  return { name, cpuMilli, memoryMib, gpuCount, gpuMilli, gpuModels, qos: "LS", creation: 0 };
}

// a: 16 cores and one card; b: 64 cores and two cards (3000 milli-GPU in all).
const NODES: GpuNodeSpec[] = [
  { name: "a", cpuMilli: 16_000, memoryMib: 64_000, gpus: 1, model: "T4" },
  { name: "b", cpuMilli: 64_000, memoryMib: 256_000, gpus: 2, model: "T4" },
];
// Three pods of 8 cores and 600m of a card: 1800 of 3000 submitted; the clones go up to 1.3 × 3000 = 3900:
// 2400, 3000, 3600 (the next would make 4200) — six pods.
const PODS = [pod("p1", 8000, 1, 600), pod("p2", 8000, 1, 600), pod("p3", 8000, 1, 600)];

describe("a run worked out by hand", () => {
  for (const policy of ["BestFit", "DotProduct", "GpuPacking", "GpuClustering"] as const) {
    it(`${policy}: a first, then b's two cards, then nothing fits`, () => {
      // Pod 1: BestFit a = 100 × (1 − (8000/128000 × ½ + 400/8000 × ½)) = 94, b = 100 × (1 − (56000/128000 × ½ + 1400/8000 × ½)) = 69;
      // DotProduct a = 99, b = 97; GpuPacking a (1 free card) 32, b (2) 31; GpuClustering a 25 × 7000/8000 + 25 = 46, b 25 × 6000/8000 + 25 = 43.
      // Pod 2: a's card has 400 left < 600: b only, its tightest card (both free: card 0). Pod 3: b's card 1. Pods 4–6 fit nowhere.
      const run = runFgdExperiment(NODES, PODS, { policy, seed: 1 });
      expect(run.pods).toBe(6);
      expect(run.failed).toBe(3);
      expect(run.capacityMilli).toBe(3000);
      expect([...run.arrivedMilli]).toEqual([600, 1200, 1800, 2400, 3000, 3600]);
      expect([...run.allocatedMilli]).toEqual([600, 1200, 1800, 1800, 1800, 1800]);
      // The one typical pod (8 cores, 600m): a after pod 1 has 400 idle it cannot use (400); b after pod 2 has
      // card 1 free for it, card 0's 400 is fragment (800 in all); after pod 3 both of b's 400s are (1200).
      expect([...run.fragMilli]).toEqual([400, 800, 1200, 1200, 1200, 1200]);
      expect([...run.idleMilli]).toEqual([2400, 1800, 1200, 1200, 1200, 1200]);
    });
  }

  it("the analysis files each pod under its arrived percentage (half to even) and averages; an empty x takes x − 1 … x + 1", () => {
    const run = runFgdExperiment(NODES, PODS, { policy: "BestFit", seed: 1 });
    const byArrived = fgdByArrived(run);
    // capacity 3000: 1% is 30 milli. Pod 1 arrived 600 → 20%: allocated 600 / 30 = 20%, fragment 400 / 30 = 13.33%, 400 of 2400 idle = 16.67%
    expect(byArrived.get(20)).toEqual({ gpuAllocation: 20, fragAmount: 13.33, fragRatio: 16.67 });
    // 21% has no pod: 20–22 → pod 1 again; 30% has none within one point
    expect(byArrived.get(21)).toEqual(byArrived.get(20));
    expect(byArrived.has(30)).toBe(false);
    // pod 5 arrived 3000 → 100%: 1800 / 30 = 60%, 1200 / 30 = 40%, 1200 of 1200 idle = 100%
    expect(byArrived.get(100)).toEqual({ gpuAllocation: 60, fragAmount: 40, fragRatio: 100 });
    expect([roundHalfEven(2.5), roundHalfEven(3.5), roundHalfEven(0.125, 2), roundHalfEven(0.375, 2), roundHalfEven(2.51)]).toEqual([2, 4, 0.12, 0.38, 3]);
    expect([median([3, 1, 2]), median([4, 1, 3, 2])]).toEqual([2, 2.5]);
  });

  it("the workload: the trace shuffled, then clones while the next one's milli per card still fits under the target", () => {
    const random = new SeededRandom(5);
    const pods = [pod("x", 1000, 1, 500), pod("y", 1000, 2, 1000), pod("z", 1000, 0, 0)];
    // 2500 submitted of capacity 4000: target 1.3 × 4000 = 5200; clones until total + clone's milli per card > 5200
    const workload = fgdWorkload(pods, 4000, 1.3, random);
    expect(workload.slice(0, 3).map((p) => p.name).sort()).toEqual(["x", "y", "z"]);
    let total = 2500;
    for (const clone of workload.slice(3)) {
      expect(clone.name).toMatch(/^[xyz]-tuned-\d+$/);
      expect(total + clone.gpuMilli).toBeLessThanOrEqual(5200);
      total += clone.gpuMilli * clone.gpuCount;
    }
    // ended because a draw would not fit: the room left is under 1000 (the largest milli per card)
    expect(5200 - total).toBeLessThan(1000);
  });
});

const MODELS = ["T4", "V100M16"];
const nodeArbitrary = fc.record({
  cpuMilli: fc.constantFrom(8000, 16_000, 32_000, 96_000),
  memoryMib: fc.constantFrom(8000, 64_000, 256_000),
  gpus: fc.integer({ min: 0, max: 4 }),
  model: fc.constantFrom(...MODELS),
});
// Few shapes, so that the kept scores are reused; all four kinds of request.
const shapeArbitrary = fc.oneof(
  fc.record({ cpuMilli: fc.constantFrom(1000, 4000, 12_000), gpuCount: fc.constant(0), gpuMilli: fc.constant(0) }),
  fc.record({ cpuMilli: fc.constantFrom(1000, 4000), gpuCount: fc.constant(1), gpuMilli: fc.constantFrom(250, 500, 800) }),
  fc.record({ cpuMilli: fc.constantFrom(2000, 8000), gpuCount: fc.constantFrom(1, 2, 4), gpuMilli: fc.constant(1000) }),
);
const podArbitrary = fc.record({ shape: shapeArbitrary, memoryMib: fc.constantFrom(500, 4000, 30_000), models: fc.constantFrom([], [], ["T4"], ["V100M16", "T4"]) });

describe("the experiment against its naive twin", () => {
  it("every policy, random clusters and workloads: the same rows", () => {
    fc.assert(
      fc.property(
        fc.array(nodeArbitrary, { minLength: 1, maxLength: 6 }),
        fc.array(podArbitrary, { minLength: 1, maxLength: 25 }),
        fc.constantFrom(...GPU_POLICIES),
        fc.integer({ min: 0, max: 1000 }),
        (nodeRows, podRows, policy, seed) => {
          const nodes: GpuNodeSpec[] = nodeRows.map((row, i) => ({ name: `node-${i}`, ...row, model: row.gpus > 0 ? row.model : "" }));
          const pods = podRows.map((row, i) => pod(`pod-${String(i).padStart(2, "0")}`, row.shape.cpuMilli, row.shape.gpuCount, row.shape.gpuMilli, row.shape.gpuCount > 0 ? row.models : [], row.memoryMib));
          const typical = typicalPods(pods);
          const fast = runFgdExperiment(nodes, pods, { policy, seed, typical });
          const naive = naiveFgdExperiment(nodes, pods, { policy, seed, typical });
          expect([fast.pods, fast.failed]).toEqual([naive.pods, naive.failed]);
          expect([...fast.arrivedMilli]).toEqual([...naive.arrivedMilli]);
          expect([...fast.allocatedMilli]).toEqual([...naive.allocatedMilli]);
          expect([...fast.idleMilli]).toEqual([...naive.idleMilli]);
          // kept incrementally (a sum updated per placement) against summed afresh: equal up to rounding
          fast.fragMilli.forEach((value, i) => expect(value).toBeCloseTo(naive.fragMilli[i] as number, 6));
        },
      ),
      { numRuns: 300 },
    );
  });
});
