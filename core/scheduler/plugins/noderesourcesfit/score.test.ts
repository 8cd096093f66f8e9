/**
 * NodeResourcesFit's scoring strategies against kube-scheduler v1.35's integer arithmetic
 * (noderesources/least_allocated.go, most_allocated.go, requested_to_capacity_ratio.go,
 * resource_allocation.go). Every expected score is worked out by hand in the row's comment; "/"
 * there truncates, as Go's int64 division does.
 *
 * Units: cpu in millicores, memory in bytes. 1Gi = 1073741824, 2Gi = 2147483648,
 * 8Gi = 8589934592, 200Mi = 209715200, 512Mi = 536870912.
 */
import { describe, expect, it } from "vitest";
import type { Node } from "../../../model/node.js";
import type { Pod } from "../../../model/pod.js";
import { podRequests } from "../../../model/requests.js";
import { makeContainer, makeNode, makePod, makeNodeInfos } from "../../../testing/builders.js";
import { cycleState } from "../../framework/snapshot.js";
import type { NodeInfo } from "../../framework/types.js";
import { brokenLinear, fitScore, leastRequestedScore, mostRequestedScore, type ScoringStrategy, type ShapePoint } from "./score.js";


/** The score of `pod` on the only node of `nodes` (with `placed` pods there) under `strategy`. */
function scoreOn(strategy: ScoringStrategy, pod: Pod, node: Node, placed: readonly Pod[] = []): number {
  const infos = makeNodeInfos([node], placed.map((other) => [other, node.name] as const));
  return fitScore(strategy, cycleState(pod, podRequests(pod), infos), infos[0] as NodeInfo);
}

const least = (resources = [{ name: "cpu", weight: 1 }, { name: "memory", weight: 1 }]): ScoringStrategy => ({ type: "LeastAllocated", resources });
const most = (resources = [{ name: "cpu", weight: 1 }, { name: "memory", weight: 1 }]): ScoringStrategy => ({ type: "MostAllocated", resources });
const ratio = (shape: ShapePoint[], resources = [{ name: "cpu", weight: 1 }, { name: "memory", weight: 1 }]): ScoringStrategy => ({
  type: "RequestedToCapacityRatio",
  resources,
  shape,
});
const RISING: ShapePoint[] = [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }];
const FALLING: ShapePoint[] = [{ utilization: 0, score: 10 }, { utilization: 30, score: 0 }];

describe("per-resource scores", () => {
  const rows: Array<{ name: string; actual: () => number; expected: number }> = [
    // (4000 − 1600) × 100 / 4000 = 240000 / 4000 = 60
    { name: "least: the share left free", actual: () => leastRequestedScore(1600, 4000), expected: 60 },
    // (3 − 1) × 100 / 3 = 200 / 3 = 66.67 → 66
    { name: "least truncates", actual: () => leastRequestedScore(1, 3), expected: 66 },
    { name: "least: over capacity scores 0", actual: () => leastRequestedScore(5000, 4000), expected: 0 },
    { name: "least: no capacity scores 0", actual: () => leastRequestedScore(0, 0), expected: 0 },
    // 1600 × 100 / 4000 = 40
    { name: "most: the share requested", actual: () => mostRequestedScore(1600, 4000), expected: 40 },
    // 1 × 100 / 3 = 33.3 → 33
    { name: "most truncates", actual: () => mostRequestedScore(1, 3), expected: 33 },
    // requested capped at capacity: 4000 × 100 / 4000
    { name: "most: over capacity is capped at 100", actual: () => mostRequestedScore(5000, 4000), expected: 100 },
    { name: "most: no capacity scores 0", actual: () => mostRequestedScore(10, 0), expected: 0 },
  ];
  it.each(rows)("$name", ({ actual, expected }) => {
    expect(actual()).toBe(expected);
  });
});

describe("RequestedToCapacityRatio's broken-linear function (shape scores × 10)", () => {
  const THREE_POINTS: ShapePoint[] = [{ utilization: 0, score: 0 }, { utilization: 50, score: 10 }, { utilization: 100, score: 0 }];
  const OFFSET: ShapePoint[] = [{ utilization: 20, score: 2 }, { utilization: 80, score: 8 }];
  const rows: Array<{ name: string; shape: ShapePoint[]; utilization: number; expected: number }> = [
    // 0 + (100 − 0) × (43 − 0) / (100 − 0) = 4300 / 100 = 43
    { name: "a rising line through (0,0) and (100,100) is the identity", shape: RISING, utilization: 43, expected: 43 },
    // {0:0, 30:10} → 0 + 100 × 10 / 30 = 1000 / 30 = 33.3 → 33
    { name: "a rising segment truncates down", shape: [{ utilization: 0, score: 0 }, { utilization: 30, score: 10 }], utilization: 10, expected: 33 },
    // 100 + (0 − 100) × (10 − 0) / 30 = 100 + (−1000 / 30 = −33.3 → −33, toward zero) = 67, not 66
    { name: "a falling segment truncates the drop toward zero, so the score rounds up", shape: FALLING, utilization: 10, expected: 67 },
    { name: "at the first point: its score", shape: FALLING, utilization: 0, expected: 100 },
    // i = 1: 100 + (−100 × 30) / 30 = 0
    { name: "at the last point: its score", shape: FALLING, utilization: 30, expected: 0 },
    { name: "past the last point: the last score", shape: FALLING, utilization: 50, expected: 0 },
    { name: "before the first point: the first score", shape: OFFSET, utilization: 10, expected: 20 },
    // 20 + (80 − 20) × (50 − 20) / (80 − 20) = 20 + 1800 / 60 = 50
    { name: "between two points not at the origin", shape: OFFSET, utilization: 50, expected: 50 },
    { name: "past the last point not at 100: the last score", shape: OFFSET, utilization: 90, expected: 80 },
    // segment (0,0)→(50,100): 0 + 100 × 33 / 50 = 3300 / 50 = 66
    { name: "three points: on the rising half", shape: THREE_POINTS, utilization: 33, expected: 66 },
    // segment (50,100)→(100,0): 100 + (−100 × 25) / 50 = 100 − 50 = 50
    { name: "three points: on the falling half", shape: THREE_POINTS, utilization: 75, expected: 50 },
  ];
  it.each(rows)("$name", ({ shape, utilization, expected }) => {
    expect(brokenLinear(shape, utilization)).toBe(expected);
  });
});

describe("fitScore", () => {
  // The research notes' worked example: 4 cpu / 8Gi; the pods there hold 1500m / 2Gi.
  const node = makeNode("node-1", { cpu: "4", memory: "8Gi" });
  const resident = makePod("resident", { cpu: "1500m", memory: "2Gi" });
  // No cpu request (→ 100m when scoring), 512Mi memory. With the pod: cpu 1600, memory 2Gi + 512Mi = 2684354560.
  const pod = makePod("p", { memory: "512Mi" });
  const gpuNode = makeNode("node-1", { cpu: "4", memory: "8Gi", "nvidia.com/gpu": "4" });
  const withGpu = [{ name: "cpu", weight: 1 }, { name: "memory", weight: 1 }, { name: "nvidia.com/gpu", weight: 5 }];

  const rows: Array<{ name: string; strategy: ScoringStrategy; pod: Pod; node: Node; placed?: Pod[]; expected: number }> = [
    // cpu (4000 − 1600) × 100 / 4000 = 60; memory (8589934592 − 2684354560) × 100 / 8589934592 = 68.75 → 68;
    // (60 + 68) / 2 = 64
    { name: "LeastAllocated: the notes' worked example", strategy: least(), pod, node, placed: [resident], expected: 64 },
    // cpu 1600 × 100 / 4000 = 40; memory 2684354560 × 100 / 8589934592 = 31.25 → 31; (40 + 31) / 2 = 35.5 → 35
    { name: "MostAllocated: the notes' worked example, the average truncated", strategy: most(), pod, node, placed: [resident], expected: 35 },
    // (60 × 3 + 68 × 1) / (3 + 1) = 248 / 4 = 62
    { name: "LeastAllocated weighs resources", strategy: least([{ name: "cpu", weight: 3 }, { name: "memory", weight: 1 }]), pod, node, placed: [resident], expected: 62 },
    // (40 × 1 + 31 × 3) / 4 = 133 / 4 = 33.25 → 33
    { name: "MostAllocated weighs resources", strategy: most([{ name: "cpu", weight: 1 }, { name: "memory", weight: 3 }]), pod, node, placed: [resident], expected: 33 },
    // gpu not requested: left out, not scored as 100 ((60 + 68 + 100 × 5) / 7 would be 89); (60 + 68) / 2 = 64
    { name: "an extended resource the pod does not request is left out of the average", strategy: least(withGpu), pod, node: gpuNode, placed: [resident], expected: 64 },
    // gpu (4 − 1) × 100 / 4 = 75; (60 × 1 + 68 × 1 + 75 × 5) / 7 = 503 / 7 = 71.86 → 71
    {
      name: "an extended resource the pod requests counts with its weight",
      strategy: least(withGpu),
      pod: makePod("p", { memory: "512Mi", "nvidia.com/gpu": "1" }),
      node: gpuNode,
      placed: [resident],
      expected: 71,
    },
    // the node has no gpu: allocatable 0, left out → (60 + 68) / 2 = 64
    {
      name: "a resource the node does not have is left out of the average",
      strategy: least(withGpu),
      pod: makePod("p", { memory: "512Mi", "nvidia.com/gpu": "1" }),
      node,
      placed: [resident],
      expected: 64,
    },
    // ephemeral-storage is not a scalar resource: unrequested it still counts, (10Gi − 0) × 100 / 10Gi = 100;
    // (60 + 68 + 100) / 3 = 228 / 3 = 76
    {
      name: "ephemeral-storage counts even when the pod does not request it",
      strategy: least([{ name: "cpu", weight: 1 }, { name: "memory", weight: 1 }, { name: "ephemeral-storage", weight: 1 }]),
      pod,
      node: makeNode("node-1", { cpu: "4", memory: "8Gi", "ephemeral-storage": "10Gi" }),
      placed: [resident],
      expected: 76,
    },
    // … but not on a node without it (allocatable 0): (60 + 68) / 2 = 64
    {
      name: "ephemeral-storage on a node without it is left out",
      strategy: least([{ name: "cpu", weight: 1 }, { name: "memory", weight: 1 }, { name: "ephemeral-storage", weight: 1 }]),
      pod,
      node,
      placed: [resident],
      expected: 64,
    },
    { name: "nothing left to score: 0", strategy: least([{ name: "nvidia.com/gpu", weight: 1 }]), pod, node, expected: 0 },

    // Non-zero defaults. A pod with no request counts 100m and 200Mi: cpu (1000 − 100) × 100 / 1000 = 90;
    // memory (1073741824 − 209715200) × 100 / 1073741824 = 80.47 → 80; (90 + 80) / 2 = 85
    { name: "a container without requests counts 100m cpu and 200Mi memory", strategy: least(), pod: makePod("p"), node: makeNode("node-1", { cpu: "1", memory: "1Gi" }), expected: 85 },
    // explicit zeros stay zero: (1000 − 0) × 100 / 1000 = 100 for both
    {
      name: "an explicit request of 0 stays 0",
      strategy: least(),
      pod: makePod("p", { cpu: "0", memory: "0" }),
      node: makeNode("node-1", { cpu: "1", memory: "1Gi" }),
      expected: 100,
    },
    // C1 cpu 500m, C2 nothing: cpu 500 + 100 = 600, memory 200Mi + 200Mi = 400Mi = 419430400.
    // cpu (2000 − 600) × 100 / 2000 = 70; memory (2147483648 − 419430400) × 100 / 2147483648 = 80.47 → 80; 150 / 2 = 75
    {
      name: "the defaults apply per container",
      strategy: least(),
      pod: makePod("p", {}, { containers: [makeContainer("c1", { cpu: "500m" }), makeContainer("c2")] }),
      node: makeNode("node-1", { cpu: "2", memory: "2Gi" }),
      expected: 75,
    },
    // the notes' example: C1 {cpu 500m}, C2 {}, init I1 {cpu 2}: cpu max(500 + 100, 2000) = 2000,
    // memory max(200Mi + 200Mi, 200Mi) = 400Mi. Most: cpu 2000 × 100 / 4000 = 50;
    // memory 419430400 × 100 / 2147483648 = 19.53 → 19; (50 + 19) / 2 = 34.5 → 34
    {
      name: "init containers get the defaults too, and count by their maximum",
      strategy: most(),
      pod: makePod("p", {}, { containers: [makeContainer("c1", { cpu: "500m" }), makeContainer("c2")], initContainers: [makeContainer("i1", { cpu: "2" })] }),
      node: makeNode("node-1", { cpu: "4", memory: "2Gi" }),
      expected: 34,
    },
    // the node's NonZeroRequested: the resident without requests counts 100m / 200Mi. cpu 100 + 200 = 300 →
    // (1000 − 300) × 100 / 1000 = 70; memory 200Mi + 100Mi = 314572800 → 759169024 × 100 / 1073741824 = 70.7 → 70.
    // (Plain Requested would give 80 and 90.)
    {
      name: "the node counts its pods with the non-zero defaults too",
      strategy: least(),
      pod: makePod("p", { cpu: "200m", memory: "100Mi" }),
      node: makeNode("node-1", { cpu: "1", memory: "1Gi" }),
      placed: [makePod("resident")],
      expected: 70,
    },
    // 100m cpu node holding a pod without requests: cpu 100 + 100 = 200 > 100 → 0;
    // memory 400Mi → (1073741824 − 419430400) × 100 / 1073741824 = 60.9 → 60; (0 + 60) / 2 = 30
    {
      name: "LeastAllocated: over capacity by the defaults scores 0 for that resource",
      strategy: least(),
      pod: makePod("p"),
      node: makeNode("node-1", { cpu: "100m", memory: "1Gi" }),
      placed: [makePod("resident")],
      expected: 30,
    },
    // cpu capped: 100; memory 419430400 × 100 / 1073741824 = 39.06 → 39; 139 / 2 = 69.5 → 69
    {
      name: "MostAllocated: over capacity by the defaults scores 100 for that resource",
      strategy: most(),
      pod: makePod("p"),
      node: makeNode("node-1", { cpu: "100m", memory: "1Gi" }),
      placed: [makePod("resident")],
      expected: 69,
    },

    // RequestedToCapacityRatio, the notes' example on an 8 cpu / 16Gi node: cpu 3500 × 100 / 8000 = 43.75 → 43 → 43;
    // memory 6Gi × 100 / 16Gi = 37.5 → 37 → 37; Round((43 + 37) / 2) = Round(40) = 40
    {
      name: "RequestedToCapacityRatio: the notes' worked example",
      strategy: ratio(RISING),
      pod: makePod("p", { cpu: "3500m", memory: "6Gi" }),
      node: makeNode("node-1", { cpu: "8", memory: "16Gi" }),
      expected: 40,
    },
    // (43 × 3 + 37 × 1) / 4 = 166 / 4 = 41.5 → math.Round → 42 (truncation would give 41)
    {
      name: "RequestedToCapacityRatio rounds half away from zero (math.Round)",
      strategy: ratio(RISING, [{ name: "cpu", weight: 3 }, { name: "memory", weight: 1 }]),
      pod: makePod("p", { cpu: "3500m", memory: "6Gi" }),
      node: makeNode("node-1", { cpu: "8", memory: "16Gi" }),
      expected: 42,
    },
    // cpu 100 × 100 / 1000 = 10 → 67 (falling shape); memory 512Mi × 100 / 1Gi = 50 → past 30 → 0, dropped:
    // Round(67 / 1) = 67, not Round(67 / 2) = 34
    {
      name: "RequestedToCapacityRatio leaves resources that score 0 out of the average",
      strategy: ratio(FALLING),
      pod: makePod("p", { cpu: "100m", memory: "512Mi" }),
      node: makeNode("node-1", { cpu: "1", memory: "1Gi" }),
      expected: 67,
    },
    // cpu 50 → 0, memory 50 → 0: both dropped, weight sum 0 → 0
    {
      name: "RequestedToCapacityRatio with every resource at 0 scores 0",
      strategy: ratio(FALLING),
      pod: makePod("p", { cpu: "500m", memory: "512Mi" }),
      node: makeNode("node-1", { cpu: "1", memory: "1Gi" }),
      expected: 0,
    },
    // cpu 200 > 100 → utilization 100 → 100; memory 419430400 × 100 / 1073741824 = 39.06 → 39 → 39;
    // Round((100 + 39) / 2) = Round(69.5) = 70
    {
      name: "RequestedToCapacityRatio: over capacity is utilization 100",
      strategy: ratio(RISING),
      pod: makePod("p"),
      node: makeNode("node-1", { cpu: "100m", memory: "1Gi" }),
      placed: [makePod("resident")],
      expected: 70,
    },
    // intel.com/foo 1 of 4 → 25 → 25, weight 3; intel.com/bar 6 of 8 → 75 → 75, weight 5;
    // cpu and memory not configured. (25 × 3 + 75 × 5) / 8 = 450 / 8 = 56.25 → 56
    {
      name: "RequestedToCapacityRatio on extended resources with weights (the bin-packing docs' setup)",
      strategy: ratio(RISING, [{ name: "intel.com/foo", weight: 3 }, { name: "intel.com/bar", weight: 5 }]),
      pod: makePod("p", { "intel.com/foo": "1", "intel.com/bar": "6" }),
      node: makeNode("node-1", { cpu: "4", memory: "8Gi", "intel.com/foo": "4", "intel.com/bar": "8" }),
      expected: 56,
    },
  ];

  it.each(rows)("$name", ({ strategy, pod: incoming, node: target, placed, expected }) => {
    expect(scoreOn(strategy, incoming, target, placed)).toBe(expected);
  });
});
