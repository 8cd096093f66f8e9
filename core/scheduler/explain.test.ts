/**
 * explainPod on a small cluster under kube's default profile: each node's verdict and reasons,
 * each score plugin's normalized score and the weighted total, worked out by hand.
 *
 *   node-a  4 cpu / 8Gi, has the pod's image (800 MiB)
 *   node-b  4 cpu / 8Gi, disk=ssd, PreferNoSchedule taint spot, holds a pod of 1500m / 2Gi
 *   node-c  1 cpu / 1Gi, cordoned
 *   node-d  4 cpu / 8Gi, NoSchedule taint dedicated=db, runs "pinned" (bound by spec.nodeName)
 *
 * The pod "web" asks 500m / 512Mi and prefers disk=ssd (weight 50).
 */
import { describe, expect, it } from "vitest";
import type { ClusterEvent, EventDraft } from "../events/events.js";
import { podKey, type Pod } from "../model/pod.js";
import { reduceAll } from "../reference/reduce.js";
import { createState, type ClusterState } from "../cluster/state.js";
import { makeNode, makePod } from "../testing/builders.js";
import { defaultSchedulerConfiguration, schedulerConfigurationFrom, type SchedulerConfiguration } from "./config/ksc.js";
import { ExplainError, explainPod, type Explanation, type NodeExplanation } from "./explain.js";

const MIB = 1024 * 1024;

const nodes = [
  makeNode("node-a", { cpu: "4", memory: "8Gi" }, { images: { "example/app:1": 800 * MIB } }),
  makeNode("node-b", { cpu: "4", memory: "8Gi" }, { labels: { disk: "ssd" }, taints: [{ key: "spot", effect: "PreferNoSchedule" }] }),
  makeNode("node-c", { cpu: "1", memory: "1Gi" }, { unschedulable: true }),
  makeNode("node-d", { cpu: "4", memory: "8Gi" }, { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] }),
];
const resident = makePod("resident", { cpu: "1500m", memory: "2Gi" });
const prefersSsd = { preferred: [{ weight: 50, preference: { matchExpressions: [{ key: "disk", operator: "In" as const, values: ["ssd"] }], matchFields: [] } }] };
const web = makePod("web", { cpu: "500m", memory: "512Mi" }, { nodeAffinity: prefersSsd });
const pending: Pod[] = [
  web,
  makePod("huge", { cpu: "8" }),
  makePod("picky", { cpu: "500m" }, { nodeSelector: { disk: "ssd" } }),
  makePod("packed", { cpu: "500m", memory: "512Mi" }, { nodeAffinity: prefersSsd, schedulerName: "packer" }),
  makePod("stranger", { cpu: "100m" }, { schedulerName: "other-scheduler" }),
  makePod("pinned", { cpu: "100m" }, { nodeName: "node-d" }),
];

function clusterState(): ClusterState {
  const drafts: EventDraft[] = [
    ...nodes.map((node): EventDraft => ({ type: "NodeJoined", node: node.name, spec: node })),
    { type: "PodCreated", pod: podKey(resident), spec: resident },
    { type: "PodBound", pod: podKey(resident), node: "node-b" },
    ...pending.map((pod): EventDraft => ({ type: "PodCreated", pod: podKey(pod), spec: pod })),
  ];
  const result = reduceAll(createState(), drafts.map((draft, index) => ({ ...draft, t: 0, seq: index + 1 }) as ClusterEvent));
  if (!result.ok) throw new Error(result.rejection.message);
  return result.state;
}

const state = clusterState();
const explain = (key: string, configuration: SchedulerConfiguration = defaultSchedulerConfiguration()): Explanation => explainPod(state, state.nodeTree, configuration, key, 1);
const byNode = (explanation: Explanation) => Object.fromEntries(explanation.nodes.map((node) => [node.node, node])) as Record<string, NodeExplanation>;

describe("explainPod", () => {
  const explanation = explain("default/web");
  const node = byNode(explanation);

  it("names the pod, its profile and the weights", () => {
    expect(explanation.pod).toBe("default/web");
    expect(explanation.profile).toBe("default-scheduler");
    expect(explanation.weights).toEqual({ TaintToleration: 3, NodeAffinity: 2, NodeResourcesFit: 1, PodTopologySpread: 2, InterPodAffinity: 2, NodeResourcesBalancedAllocation: 1, ImageLocality: 1 });
  });

  const verdictRows: Array<{ name: string; node: string; feasible: boolean; plugin?: string; reasons: string[] }> = [
    { name: "node-a is feasible", node: "node-a", feasible: true, reasons: [] },
    { name: "node-b is feasible (a PreferNoSchedule taint does not filter)", node: "node-b", feasible: true, reasons: [] },
    { name: "node-c is refused by NodeUnschedulable, the first filter", node: "node-c", feasible: false, plugin: "NodeUnschedulable", reasons: ["node(s) were unschedulable"] },
    { name: "node-d is refused by TaintToleration", node: "node-d", feasible: false, plugin: "TaintToleration", reasons: ["node(s) had untolerated taint(s)"] },
  ];
  it.each(verdictRows)("$name", ({ node: name, feasible, plugin, reasons }) => {
    expect(node[name]).toMatchObject({ feasible, evaluated: true, reasons });
    expect(node[name]?.plugin).toBe(plugin);
  });

  it("scores each feasible node per plugin, as kube's arithmetic gives", () => {
    // TaintToleration: untolerated PreferNoSchedule counts a 0, b 1 → reversed: a 100, b 100 − 100 = 0.
    // NodeAffinity: a 0, b 50 → normalized: a 0, b 100.
    // NodeResourcesFit (LeastAllocated, non-zero requests):
    //   a: cpu (4000 − 500) × 100 / 4000 = 87.5 → 87; memory (8Gi − 512Mi) × 100 / 8Gi = 93.75 → 93; (87 + 93) / 2 = 90
    //   b: cpu 1500 + 500 = 2000 → 50; memory 2Gi + 512Mi → 68.75 → 68; (50 + 68) / 2 = 59
    // NodeResourcesBalancedAllocation (v1.35):
    //   a: 500/4000 = 0.125, 512Mi/8Gi = 0.0625 → std 0.03125 → 96.875 → 96
    //   b: 2000/4000 = 0.5, 2.5Gi/8Gi = 0.3125 → std 0.09375 → 90.625 → 90
    // ImageLocality: 800 MiB on 1 of 4 nodes → 200 MiB = 209715200; one container, max 1000 MiB:
    //   a: 100 × (209715200 − 24117248) / (1048576000 − 24117248) = 18559795200 / 1024458752 = 18.1 → 18; b: 0
    expect(node["node-a"]?.scores).toEqual({ TaintToleration: 100, NodeAffinity: 0, NodeResourcesFit: 90, NodeResourcesBalancedAllocation: 96, ImageLocality: 18 });
    expect(node["node-b"]?.scores).toEqual({ TaintToleration: 0, NodeAffinity: 100, NodeResourcesFit: 59, NodeResourcesBalancedAllocation: 90, ImageLocality: 0 });
  });

  it("totals Σ score × weight and picks the highest", () => {
    // a: 100·3 + 0·2 + 90 + 96 + 18 = 504; b: 0·3 + 100·2 + 59 + 90 + 0 = 349
    expect(node["node-a"]?.total).toBe(504);
    expect(node["node-b"]?.total).toBe(349);
    expect(explanation.selected).toBe("node-a");
    expect(explanation.message).toBeNull();
    expect(explanation.scored).toBe(true);
  });

  it("lists refused nodes with no scores and a total of 0", () => {
    expect(node["node-c"]).toMatchObject({ scores: {}, total: 0 });
  });

  it("names the default plugins it does not simulate", () => {
    expect(explanation.notSimulated).not.toContain("PodTopologySpread");
    expect(explanation.notSimulated).not.toContain("InterPodAffinity");
    expect(explanation.notSimulated).not.toContain("DefaultPreemption");
    expect(explanation.notSimulated).toContain("VolumeBinding");
  });
});

describe("explainPod outcomes", () => {
  it("no feasible node: kube's FailedScheduling message, nothing selected", () => {
    const explanation = explain("default/huge");
    // a, b: 8000m > 4000m (Insufficient cpu); c: cordoned; d: tainted. Sorted: "1 …had" < "1 …were" < "2 …"
    // Preemption's part: 8000m is above a and b's allocatable, which NodeResourcesFit calls
    // UnschedulableAndUnresolvable, as it does the cordon and the taint: no node is worth trying.
    expect(explanation.message).toBe("0/4 nodes are available: 1 node(s) had untolerated taint(s), 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.");
    expect(explanation.selected).toBeNull();
    expect(explanation.scored).toBe(false);
    expect(byNode(explanation)["node-a"]).toMatchObject({ feasible: false, plugin: "NodeResourcesFit", reasons: ["Insufficient cpu"] });
  });

  it("exactly one feasible node: chosen without scoring", () => {
    const explanation = explain("default/picky");
    // a lacks disk=ssd (NodeAffinity); c cordoned; d tainted (TaintToleration runs before NodeAffinity)
    expect(explanation.nodes.map((node) => [node.node, node.plugin ?? null])).toEqual([
      ["node-a", "NodeAffinity"],
      ["node-b", null],
      ["node-c", "NodeUnschedulable"],
      ["node-d", "TaintToleration"],
    ]);
    expect(explanation.selected).toBe("node-b");
    expect(explanation.scored).toBe(false);
    expect(byNode(explanation)["node-b"]).toMatchObject({ scores: {}, total: 0 });
  });

  it("a pod is explained under its own profile", () => {
    const result = schedulerConfigurationFrom({
      apiVersion: "kubescheduler.config.k8s.io/v1",
      kind: "KubeSchedulerConfiguration",
      profiles: [{ schedulerName: "default-scheduler" }, { schedulerName: "packer", pluginConfig: [{ name: "NodeResourcesFit", args: { scoringStrategy: { type: "MostAllocated" } } }] }],
    });
    const explanation = explain("default/packed", result.value as SchedulerConfiguration);
    expect(explanation.profile).toBe("packer");
    // MostAllocated: a: cpu 500 × 100 / 4000 = 12.5 → 12, memory 512Mi/8Gi → 6.25 → 6; (12 + 6) / 2 = 9
    //                b: cpu 2000 → 50, memory 2.5Gi/8Gi → 31.25 → 31; (50 + 31) / 2 = 40.5 → 40
    const node = byNode(explanation);
    expect([node["node-a"]?.scores["NodeResourcesFit"], node["node-b"]?.scores["NodeResourcesFit"]]).toEqual([9, 40]);
    // a: 300 + 0 + 9 + 96 + 18 = 423; b: 0 + 200 + 40 + 90 + 0 = 330
    expect([node["node-a"]?.total, node["node-b"]?.total]).toEqual([423, 330]);
  });

  const errorRows: Array<{ name: string; key: string; message: RegExp }> = [
    { name: "a pod for a scheduler the configuration lacks", key: "default/stranger", message: /asks for scheduler "other-scheduler", and the configuration has no such profile \(it has "default-scheduler"\)/ },
    { name: "a pod that names its node", key: "default/pinned", message: /names its node \(spec\.nodeName: node-d\): it skips the scheduler/ },
    { name: "a pod that does not exist", key: "default/ghost", message: /no pod default\/ghost/ },
  ];
  it.each(errorRows)("refuses $name with an ExplainError", ({ key, message }) => {
    expect(() => explain(key)).toThrow(ExplainError);
    expect(() => explain(key)).toThrow(message);
  });
});
