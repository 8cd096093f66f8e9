/**
 * The mutable scheduler the trace lines are measured against (bench/mutable-scheduler.ts): its
 * decisions worked by hand on three nodes, and the same decisions as the fast engine's log on
 * generated clusters of 100+ nodes (kube's sampling and rotating start).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultSchedulerChoice, runScenario, type ClusterEvent, type EventDraft, type Node, type Pod, type Scenario, type Taint } from "../core/index.js";
import { feasibleToFind, replayMutable } from "./mutable-scheduler.js";
import { makePods } from "./workload.js";

const GI = 2 ** 30;
const GPU = "nvidia.com/gpu";

function node(name: string, cpu: number, memoryGi: number, more: Partial<Node> = {}, gpus = 0): Node {
  const allocatable = { cpu, memory: memoryGi * GI, pods: 110, ...(gpus > 0 ? { [GPU]: gpus } : {}) };
  return { name, labels: { "kubernetes.io/hostname": name }, annotations: {}, taints: [], unschedulable: false, capacity: allocatable, allocatable, ready: "True", ...more };
}

function pod(name: string, requests: Record<string, number>, more: Partial<Pod> = {}): Pod {
  const [base] = makePods(1, 1) as [Pod];
  return { ...base, name, containers: [{ ...(base.containers[0] as Pod["containers"][number]), requests }], ...more };
}

/** Required anti-affinity against pods labelled `label=value`, by hostname. */
function repelling(label: string, value: string): Pick<Pod, "podAntiAffinity"> {
  return { podAntiAffinity: { required: [{ labelSelector: { matchLabels: { [label]: value }, matchExpressions: [] }, namespaces: [], topologyKey: "kubernetes.io/hostname", matchLabelKeys: [], mismatchLabelKeys: [] }], preferred: [] } };
}

function log(drafts: EventDraft[]): ClusterEvent[] {
  return drafts.map((draft, index) => ({ ...draft, t: 0, seq: index + 1 }) as ClusterEvent);
}

describe("the mutable scheduler's decisions, by hand", () => {
  // Nodes a (4 cpu, 8Gi), b (8 cpu, 8Gi), c (8 cpu, 16Gi); the pod asks for 2 cpu and 2Gi.
  // LeastAllocated, then BalancedAllocation (|cpu fraction − memory fraction| / 2 off 100):
  //   a: cpu 2000/4000 left → 50, memory 6/8 → 75, mean 62 (62.5 cut); fractions .5 and .25 → 87 (87.5 cut): 149
  //   b: 75 and 75 → 75; .25 and .25 → 100: 175
  //   c: 75 and 14/16 → 87 (87.5 cut), mean 81; .25 and .125 → 93 (93.75 cut): 174
  // so b, then c, then a.
  const taint: Taint = { key: "dedicated", effect: "NoSchedule" };
  const p = pod("p", { cpu: 2000, memory: 2 * GI }, { labels: { app: "web" } });
  const rows: { name: string; nodes: Node[]; before?: EventDraft[]; pod?: Pod; expected: string }[] = [
    { name: "the best total", nodes: [node("a", 4000, 8), node("b", 8000, 8), node("c", 8000, 16)], expected: "b" },
    { name: "b cordoned", nodes: [node("a", 4000, 8), node("b", 8000, 8, { unschedulable: true }), node("c", 8000, 16)], expected: "c" },
    { name: "b cordoned, c tainted NoSchedule", nodes: [node("a", 4000, 8), node("b", 8000, 8, { unschedulable: true }), node("c", 8000, 16, { taints: [taint] })], expected: "a" },
    { name: "c's taint tolerated", nodes: [node("a", 4000, 8), node("b", 8000, 8, { unschedulable: true }), node("c", 8000, 16, { taints: [taint] })], pod: { ...p, tolerations: [{ key: "dedicated", operator: "Exists" }] }, expected: "c" },
    { name: "only a has a GPU", nodes: [node("a", 4000, 8, {}, 1), node("b", 8000, 8), node("c", 8000, 16)], pod: pod("p", { cpu: 2000, memory: 2 * GI, [GPU]: 1 }), expected: "a" },
    {
      // b is bigger here (16 cpu, 16Gi) and q (nothing requested: 100m and 200Mi when scoring) is
      // placed there by name (no cycle). b would win: cpu 13900/16000 left → 86, memory
      // (16384 − 2048 − 200)/16384 → 86, mean 86; .125 and .125 → 100: 186 over c's 174. The pod
      // repels q's job, so c.
      name: "the pod's anti-affinity", nodes: [node("a", 4000, 8), node("b", 16_000, 16), node("c", 8000, 16)],
      before: [{ type: "PodCreated", pod: "default/q", spec: pod("q", {}, { labels: { job: "1" }, nodeName: "b" }) }, { type: "PodBound", pod: "default/q", node: "b" }],
      pod: { ...p, ...repelling("job", "1") }, expected: "c",
    },
    {
      // r, placed on c by name, repels app=web; b is cordoned.
      name: "another pod's anti-affinity", nodes: [node("a", 4000, 8), node("b", 8000, 8, { unschedulable: true }), node("c", 8000, 16)],
      before: [{ type: "PodCreated", pod: "default/r", spec: pod("r", {}, { ...repelling("app", "web"), nodeName: "c" }) }, { type: "PodBound", pod: "default/r", node: "c" }],
      expected: "a",
    },
  ];
  for (const row of rows) {
    it(`${row.name}: ${row.expected}`, () => {
      const spec = row.pod ?? p;
      const drafts: EventDraft[] = [
        ...row.nodes.map((joined): EventDraft => ({ type: "NodeJoined", node: joined.name, spec: joined })),
        ...(row.before ?? []),
        { type: "PodCreated", pod: `default/${spec.name}`, spec },
      ];
      expect(replayMutable(log([...drafts, { type: "PodBound", pod: `default/${spec.name}`, node: row.expected }]), 1)).toEqual({ compared: 1, unmodelled: 0, disagreements: 0 });
      // Another node in the log is a disagreement.
      const other = row.nodes.find((candidate) => candidate.name !== row.expected) as Node;
      const wrong = replayMutable(log([...drafts, { type: "PodBound", pod: `default/${spec.name}`, node: other.name }]), 1);
      expect(wrong.disagreements).toBe(1);
      expect(wrong.first).toBe(`default/${spec.name}: the log bound it to ${other.name} (next start 0); here ${row.expected} wins (next start 0)`);
    });
  }

  it("a pod that fits nowhere: the log's failure agrees", () => {
    const drafts: EventDraft[] = [
      { type: "NodeJoined", node: "a", spec: node("a", 1000, 8) },
      { type: "PodCreated", pod: "default/big", spec: pod("big", { cpu: 2000 }) },
      { type: "PodUnschedulable", pod: "default/big", message: "0/1 nodes are available: 1 Insufficient cpu.", plugins: ["NodeResourcesFit"] },
    ];
    expect(replayMutable(log(drafts), 1)).toEqual({ compared: 1, unmodelled: 0, disagreements: 0 });
  });

  it("looks for kube's number of feasible nodes (numFeasibleNodesToFind)", () => {
    // below 100 nodes: all; 150 → 49% = 73, at least 100; 1000 → 42% = 420; 5000 → 10% = 500; 12,477 → 5% = 623
    expect([50, 150, 1000, 5000, 12_477].map(feasibleToFind)).toEqual([50, 100, 420, 500, 623]);
  });
});

describe("the mutable scheduler decides as the fast engine's log says", () => {
  const RUNS = Number(process.env["TIMONEIRO_PROPERTY_RUNS"] ?? 15);
  // 100–140 nodes (kube samples 100 of them and rotates its start), some with GPUs, some cordoned
  // or tainted; pods arriving over time, some asking for GPUs, some tolerating the taint, some of
  // a job whose pods keep apart by hostname, some too big for any node; each runs a while.
  const drawn = fc.record({
    nodes: fc.array(fc.record({ cpu: fc.constantFrom(4000, 8000), memoryGi: fc.constantFrom(8, 16), gpus: fc.constantFrom(0, 0, 2), cordoned: fc.constantFrom(false, false, false, false, false, false, false, false, false, true), tainted: fc.constantFrom(false, false, false, true) }), { minLength: 100, maxLength: 140 }),
    pods: fc.array(fc.record({ at: fc.integer({ min: 0, max: 60 }), cpu: fc.integer({ min: 0, max: 5000 }), memoryGi: fc.integer({ min: 0, max: 9 }), gpus: fc.constantFrom(0, 0, 0, 1, 2), tolerates: fc.boolean(), job: fc.constantFrom(undefined, undefined, "1", "2"), seconds: fc.integer({ min: 1, max: 40 }) }), { minLength: 50, maxLength: 400 }),
    seed: fc.nat(1000),
  });
  it("on every cycle: node and next start", () => {
    fc.assert(fc.property(drawn, ({ nodes, pods, seed }) => {
      const scenario: Scenario = {
        name: "mutable", seed, untilSeconds: 200, options: { fitBy: "requests" },
        nodes: nodes.map((shape, index) => node(`n${index}`, shape.cpu, shape.memoryGi, { unschedulable: shape.cordoned, taints: shape.tainted ? [{ key: "dedicated", effect: "NoSchedule" }] : [] }, shape.gpus)),
        pods: [],
        timeline: pods.map((drawnPod, index) => ({
          at: drawnPod.at,
          action: "createPod" as const,
          pod: pod(`p${index}`, { ...(drawnPod.cpu > 0 ? { cpu: drawnPod.cpu } : {}), ...(drawnPod.memoryGi > 0 ? { memory: drawnPod.memoryGi * GI } : {}), ...(drawnPod.gpus > 0 ? { [GPU]: drawnPod.gpus } : {}) }, {
            sim: { durationSeconds: drawnPod.seconds },
            tolerations: drawnPod.tolerates ? [{ key: "dedicated", operator: "Exists" }] : [],
            ...(drawnPod.job !== undefined ? { labels: { job: drawnPod.job }, ...repelling("job", drawnPod.job) } : {}),
          }),
        })),
      };
      const run = runScenario(scenario, {}, defaultSchedulerChoice());
      const agreement = replayMutable([...run.log], seed);
      expect(agreement.first).toBeUndefined();
      expect(agreement.compared).toBe([...run.log].filter((event) => event.type === "PodUnschedulable" || event.type === "PodBound").length);
    }), { numRuns: RUNS });
  }, 120_000);
});
