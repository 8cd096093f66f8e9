/**
 * NodeResourcesBalancedAllocation (noderesources/balanced_allocation.go): v1.35's
 * trunc((1 − std) × 100) over the requested/allocatable fractions, and v1.36's change-in-balance
 * formula (PR kubernetes/kubernetes#135573), 50 + (50 + with − without) / 2. Expected scores are
 * worked out by hand; "/" between integers truncates as Go does.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Node } from "../../../model/node.js";
import type { Pod } from "../../../model/pod.js";
import { podRequests } from "../../../model/requests.js";
import { makeNode, makePod, makeNodeInfos } from "../../../testing/builders.js";
import { cycleState } from "../../framework/snapshot.js";
import type { NodeInfo, StatusCode } from "../../framework/types.js";
import { balancedScore, DEFAULT_BALANCED_ARGS, newBalancedAllocation, type BalancedAllocationArgs } from "./index.js";

const GI = 1024 ** 3;


function scoreOn(args: BalancedAllocationArgs, pod: Pod, node: Node, placed: readonly Pod[] = []): number {
  const infos = makeNodeInfos([node], placed.map((other) => [other, node.name] as const));
  return newBalancedAllocation(args).score?.(cycleState(pod, podRequests(pod), infos), infos[0] as NodeInfo) as number;
}

const V135 = DEFAULT_BALANCED_ARGS;
const V136: BalancedAllocationArgs = { ...DEFAULT_BALANCED_ARGS, formula: "v1.36" };
const WITH_GPU: BalancedAllocationArgs = { ...DEFAULT_BALANCED_ARGS, resources: [...DEFAULT_BALANCED_ARGS.resources, { name: "nvidia.com/gpu", weight: 1 }] };

describe("balancedScore (v1.35)", () => {
  const rows: Array<{ name: string; requested: number[]; allocatable: number[]; expected: number }> = [
    // 3000/4000 = 0.75, 2Gi/8Gi = 0.25 → std |0.75 − 0.25| / 2 = 0.25 → 75
    { name: "two resources: std is half the difference", requested: [3000, 2 * GI], allocatable: [4000, 8 * GI], expected: 75 },
    // the notes' example: 0.5 and 0.375 → std 0.0625 → 93.75 → 93
    { name: "two resources: the score is truncated", requested: [2000, 3 * GI], allocatable: [4000, 8 * GI], expected: 93 },
    // 0.5, 0.25, 0.75: mean 0.5, variance (0 + 0.0625 + 0.0625) / 3 = 0.041667, std 0.2041 → 79.59 → 79
    { name: "three resources: the population standard deviation", requested: [2000, 2 * GI, 3], allocatable: [4000, 8 * GI, 4], expected: 79 },
    // 6000/4000 = 1.5 capped to 1; 4Gi/8Gi = 0.5 → std 0.25 → 75 (uncapped it would be 0.5 → 50)
    { name: "a fraction over 1 is capped at 1", requested: [6000, 4 * GI], allocatable: [4000, 8 * GI], expected: 75 },
    { name: "equal fractions are perfectly balanced", requested: [1000, 2 * GI], allocatable: [4000, 8 * GI], expected: 100 },
    // memory has allocatable 0: skipped, one fraction left → std 0
    { name: "a resource with allocatable 0 is skipped; one fraction left scores 100", requested: [2000, 0], allocatable: [4000, 0], expected: 100 },
    // cpu 1, memory 0 → std 0.5 → 50: the lowest two resources can score
    { name: "one resource full and the other empty: 50", requested: [4000, 0], allocatable: [4000, 8 * GI], expected: 50 },
  ];
  it.each(rows)("$name", ({ requested, allocatable, expected }) => {
    expect(balancedScore(requested, allocatable)).toBe(expected);
  });
});

describe("NodeResourcesBalancedAllocation", () => {
  const node = makeNode("node-1", { cpu: "4", memory: "8Gi" });
  const gpuNode = makeNode("node-1", { cpu: "4", memory: "8Gi", "nvidia.com/gpu": "4" });

  const rows: Array<{ name: string; args: BalancedAllocationArgs; pod: Pod; node: Node; placed?: Pod[]; expected: number }> = [
    // plain requests, no 100m/200Mi defaults: cpu 500/1000 = 0.5, memory 0/1Gi = 0 → std 0.25 → 75.
    // (With the defaults it would be cpu 100 + 500 = 600/1000 = 0.6, memory 400Mi/1Gi = 0.39 → std 0.105 → 89.)
    {
      name: "v1.35 uses the plain requests, without non-zero defaults, on both sides",
      args: V135,
      pod: makePod("p", { cpu: "500m" }),
      node: makeNode("node-1", { cpu: "1", memory: "1Gi" }),
      placed: [makePod("resident")],
      expected: 75,
    },
    // gpu configured but not requested: left out → 0.5 and 0.25 → std 0.125 → 87.5 → 87
    // (counted as 0 it would be three fractions 0.5, 0.25, 0 → 79)
    { name: "v1.35 leaves out an extended resource the pod does not request", args: WITH_GPU, pod: makePod("p", { cpu: "2", memory: "2Gi" }), node: gpuNode, expected: 87 },
    // 0.5, 0.25, 3/4 = 0.75 → 79 (see balancedScore)
    { name: "v1.35 with three requested resources", args: WITH_GPU, pod: makePod("p", { cpu: "2", memory: "2Gi", "nvidia.com/gpu": "3" }), node: gpuNode, expected: 79 },
    // without the pod: 1000/4000 = 2Gi/8Gi = 0.25 → 100; with it: 2000/4000 = 0.5, 3Gi/8Gi = 0.375 → 93.
    // 50 + (50 + 93 − 100) / 2 = 50 + 43 / 2 = 50 + 21 = 71
    {
      name: "v1.36: a pod that unbalances a balanced node a little",
      args: V136,
      pod: makePod("p", { cpu: "1", memory: "1Gi" }),
      node,
      placed: [makePod("resident", { cpu: "1", memory: "2Gi" })],
      expected: 71,
    },
    // without: 0, 0 → 100; with: 0.25, 0.25 → 100. 50 + (50 + 0) / 2 = 75
    { name: "v1.36: no change in balance scores 75", args: V136, pod: makePod("p", { cpu: "1", memory: "2Gi" }), node, expected: 75 },
    // without 100; with: 1, 0 → 50. 50 + (50 + 50 − 100) / 2 = 50
    { name: "v1.36: perfectly balanced to perfectly imbalanced scores 50", args: V136, pod: makePod("p", { cpu: "4" }), node, expected: 50 },
    // without: 0.5, 0 → 75; with: 0.5, 0.5 → 100. 50 + (50 + 100 − 75) / 2 = 50 + 75 / 2 = 50 + 37 = 87
    {
      name: "v1.36: a pod that rebalances the node scores high",
      args: V136,
      pod: makePod("p", { memory: "4Gi" }),
      node,
      placed: [makePod("resident", { cpu: "2" })],
      expected: 87,
    },
  ];
  it.each(rows)("$name", ({ args, pod, node: target, placed, expected }) => {
    expect(scoreOn(args, pod, target, placed)).toBe(expected);
  });

  const preScoreRows: Array<{ name: string; args: BalancedAllocationArgs; pod: Pod; code: StatusCode }> = [
    { name: "a best-effort pod is skipped", args: V135, pod: makePod("p"), code: "Skip" },
    { name: "a pod requesting only resources not configured is best effort here", args: V135, pod: makePod("p", { "nvidia.com/gpu": "1" }), code: "Skip" },
    { name: "a pod requesting one configured resource is scored", args: V135, pod: makePod("p", { cpu: "100m" }), code: "Success" },
    { name: "a configured extended resource counts", args: WITH_GPU, pod: makePod("p", { "nvidia.com/gpu": "1" }), code: "Success" },
    { name: "v1.36 skips best-effort pods too", args: V136, pod: makePod("p"), code: "Skip" },
  ];
  it.each(preScoreRows)("$name", ({ args, pod, code }) => {
    const infos = makeNodeInfos([node]);
    expect(newBalancedAllocation(args).preScore?.(cycleState(pod, podRequests(pod), infos), infos).code).toBe(code);
  });
});

describe("the v1.35 score on a node equals balancedScore over the same fractions", () => {
  it("for random nodes and pods, with two and three resources", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 8000 }), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 4 }),
      fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 2 }),
      fc.boolean(),
      (cpu, memoryGi, gpus, podCpu, podMemoryGi, podGpus, withGpu) => {
        const node = makeNode("node-1", { cpu: `${cpu}m`, memory: `${memoryGi}Gi`, ...(gpus > 0 ? { "nvidia.com/gpu": String(gpus) } : {}) });
        const pod = makePod("p", { cpu: `${podCpu}m`, memory: `${podMemoryGi}Gi`, ...(podGpus > 0 ? { "nvidia.com/gpu": String(podGpus) } : {}) });
        const args = withGpu ? WITH_GPU : V135;
        const [allocatable, requested] = [[cpu, memoryGi * GI, gpus], [podCpu, podMemoryGi * GI, podGpus]];
        const counted = args.resources.map((_, index) => index === 2 && podGpus === 0 ? 0 : (allocatable[index] as number));
        // A pod that requests none of the scored resources is best-effort: kube's Score gives it 0 (balanced_allocation.go).
        const bestEffort = requested.slice(0, args.resources.length).every((amount) => amount === 0);
        expect(scoreOn(args, pod, node)).toBe(bestEffort ? 0 : balancedScore(requested.slice(0, args.resources.length), counted.slice(0, args.resources.length)));
      },
    // The case a random run found (a best-effort pod on an empty node), kept.
    ), { examples: [[0, 0, 0, 0, 0, 0, false]] });
  });
});
