/**
 * Which KubeSchedulerConfigurations kube-scheduler v1.35 accepts, point by point, and what a
 * profile that enables a plugin at some of its points only does — tested through the public
 * surface (schedulerConfigurationFrom, explainPod, runScenario), against kube's source.
 */
import { describe, expect, it } from "vitest";
import type { ClusterEvent, EventDraft } from "../../events/events.js";
import { runScenario } from "../../engine/engine.js";
import { podKey, type Pod } from "../../model/pod.js";
import { reduceAll } from "../../reference/reduce.js";
import { createState, type ClusterState } from "../../cluster/state.js";
import { makeNode, makePod } from "../../testing/builders.js";
import { explainPod } from "../explain.js";
import { formatPath } from "../../model/diagnostics.js";
import { EXTENSION_POINTS, type ExtensionPoint } from "./plugins.js";
import { KSC_API_VERSION, schedulerConfigurationFrom, type SchedulerConfiguration } from "./ksc.js";

/**
 * kube v1.35's in-tree plugins and the points each implements, copied by hand from the
 * `var _ fwk.XPlugin = &T{}` lines of pkg/scheduler/framework/plugins/<dir>/<file> (written out
 * again here, independently of in-tree.ts, so that a change to either shows):
 */
const KUBE_V135: Readonly<Record<string, readonly ExtensionPoint[]>> = {
  PrioritySort: ["queueSort"], //                          queuesort/priority_sort.go
  SchedulingGates: ["preEnqueue"], //                      schedulinggates/scheduling_gates.go
  NodeUnschedulable: ["filter"], //                        nodeunschedulable/node_unschedulable.go
  NodeName: ["filter"], //                                 nodename/node_name.go
  TaintToleration: ["filter", "preScore", "score"], //     tainttoleration/taint_toleration.go
  NodeAffinity: ["preFilter", "filter", "preScore", "score"], // nodeaffinity/node_affinity.go
  NodePorts: ["preFilter", "filter"], //                   nodeports/node_ports.go
  NodeResourcesFit: ["preFilter", "filter", "preScore", "score"], // noderesources/fit.go
  NodeResourcesBalancedAllocation: ["preScore", "score"], // noderesources/balanced_allocation.go
  ImageLocality: ["score"], //                             imagelocality/image_locality.go
  VolumeRestrictions: ["preFilter", "filter"], //          volumerestrictions/volume_restrictions.go
  NodeVolumeLimits: ["preFilter", "filter"], //            nodevolumelimits/csi.go
  VolumeBinding: ["preFilter", "filter", "preScore", "score", "reserve", "preBind"], // volumebinding/volume_binding.go
  VolumeZone: ["preFilter", "filter"], //                  volumezone/volume_zone.go
  PodTopologySpread: ["preFilter", "filter", "preScore", "score"], // podtopologyspread/plugin.go
  InterPodAffinity: ["preFilter", "filter", "preScore", "score"], // interpodaffinity/plugin.go
  DynamicResources: ["preEnqueue", "preFilter", "filter", "postFilter", "score", "reserve", "preBind"], // dynamicresources/dynamicresources.go
  DefaultPreemption: ["preEnqueue", "postFilter"], //      defaultpreemption/default_preemption.go
  DefaultBinder: ["bind"], //                              defaultbinder/default_binder.go
  GangScheduling: ["preEnqueue", "reserve", "permit"], //  gangscheduling/gangscheduling.go (alpha gate)
  NodeDeclaredFeatures: ["preFilter", "filter"], //        nodedeclaredfeatures/nodedeclaredfeatures.go (alpha gate)
};

const INTERFACE: Readonly<Record<ExtensionPoint, string>> = {
  preEnqueue: "PreEnqueuePlugin", queueSort: "QueueSortPlugin", preFilter: "PreFilterPlugin", filter: "FilterPlugin",
  postFilter: "PostFilterPlugin", preScore: "PreScorePlugin", score: "ScorePlugin", reserve: "ReservePlugin",
  permit: "PermitPlugin", preBind: "PreBindPlugin", bind: "BindPlugin", postBind: "PostBindPlugin",
};

type Points = Partial<Record<ExtensionPoint, string[]>>;

/** A profile with multiPoint disabled ("*"), PrioritySort at queueSort, DefaultBinder at bind, and `points`. */
function profileWith(points: Points): unknown {
  const plugins: Record<string, unknown> = {
    multiPoint: { disabled: [{ name: "*" }] },
    queueSort: { enabled: [{ name: "PrioritySort" }] },
    bind: { enabled: [{ name: "DefaultBinder" }] },
  };
  for (const [point, names] of Object.entries(points)) {
    const kept = point === "queueSort" ? ["PrioritySort"] : point === "bind" ? ["DefaultBinder"] : [];
    plugins[point] = { enabled: [...new Set([...kept, ...names])].map((name) => ({ name })) };
  }
  return { apiVersion: KSC_API_VERSION, kind: "KubeSchedulerConfiguration", profiles: [{ plugins }] };
}

function configuration(points: Points): SchedulerConfiguration {
  const result = schedulerConfigurationFrom(profileWith(points));
  if (result.value === undefined) throw new Error(result.diagnostics.map((item) => item.message).join("; "));
  return result.value;
}

describe("every in-tree plugin at every point, one at a time: accepted exactly where kube v1.35 implements it", () => {
  const cases = Object.keys(KUBE_V135).flatMap((plugin) => EXTENSION_POINTS.map((point) => [plugin, point] as const));
  it.each(cases)("%s at %s", (plugin, point) => {
    const result = schedulerConfigurationFrom(profileWith({ [point]: [plugin] }));
    const errors = result.diagnostics.filter((item) => item.severity === "error").map((item) => `${formatPath(item.path)}: ${item.message}`);
    if ((KUBE_V135[plugin] as readonly ExtensionPoint[]).includes(point)) {
      expect(errors).toEqual([]);
    } else {
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`^profiles\\[0\\]\\.plugins\\.${point}\\.enabled\\[\\d\\]\\.name: plugin "${plugin}" does not extend ${INTERFACE[point]} plugin`));
    }
  });

  it("covers kube's whole registry, and no plugin implements PostBind", () => {
    expect(Object.keys(KUBE_V135)).toHaveLength(21);
    expect(Object.values(KUBE_V135).some((points) => points.includes("postBind"))).toBe(false);
  });
});

/**
 *   small  1 cpu / 100Gi, empty
 *   big    10 cpu / 1Gi, running "resident" (7 cpu, 900Mi)
 * "web" asks 2 cpu / 100Mi: it fits on big only.
 */
const nodes = [makeNode("small", { cpu: "1", memory: "100Gi" }), makeNode("big", { cpu: "10", memory: "1Gi" })];
const resident = makePod("resident", { cpu: "7", memory: "900Mi" }, { nodeName: "big" });
const web = makePod("web", { cpu: "2", memory: "100Mi" });

function stateOf(pods: readonly Pod[]): ClusterState {
  const drafts: EventDraft[] = [
    ...nodes.map((node): EventDraft => ({ type: "NodeJoined", node: node.name, spec: node })),
    ...pods.map((pod): EventDraft => ({ type: "PodCreated", pod: podKey(pod), spec: pod })),
  ];
  const result = reduceAll(createState(), drafts.map((draft, index) => ({ ...draft, t: 0, seq: index + 1 }) as ClusterEvent));
  if (!result.ok) throw new Error(result.rejection.message);
  return result.state;
}

describe("NodeResourcesFit at some of its points", () => {
  it("at preScore and score only (no filter): scores as kube's LeastAllocated, so web goes where it does not fit", () => {
    const explanation = explainPod(stateOf([resident, web]), stateOf([]).nodeTree, configuration({ preScore: ["NodeResourcesFit"], score: ["NodeResourcesFit"] }), "default/web", 1);
    // small: cpu 2000m > 1000m → 0; memory (100Gi − 100Mi) × 100 / 100Gi = 99.90… → 99; (0 + 99) / 2 = 49.
    // big:   cpu 7000 + 2000 = 9000m of 10000m → (1000 × 100) / 10000 = 10;
    //        memory 900Mi + 100Mi = 1000Mi of 1024Mi → 24 × 100 / 1024 = 2.34… → 2; (10 + 2) / 2 = 6.
    expect(explanation.nodes.map((node) => [node.node, node.feasible, node.scores["NodeResourcesFit"]])).toEqual([["small", true, 49], ["big", true, 6]]);
    expect(explanation.selected).toBe("small");
  });

  it("at preScore and score only: kube binds web to small anyway, and the kubelet refuses it (OutOfcpu)", () => {
    const run = runScenario({ name: "fit-scores-only", seed: 1, untilSeconds: 10, options: { fitBy: "requests" }, nodes, pods: [resident, web], timeline: [] },
      {}, { policy: "kube", configuration: configuration({ preScore: ["NodeResourcesFit"], score: ["NodeResourcesFit"] }) });
    const webEvents = run.events.filter((event) => "pod" in event && event.pod === "default/web").map((event) => {
      const { t: _t, seq: _seq, ...rest } = event;
      return rest;
    });
    expect(webEvents.slice(1)).toEqual([
      { type: "PodBound", pod: "default/web", node: "small", overcommits: true },
      { type: "PodFailed", pod: "default/web", reason: "OutOfcpu", message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 2000, used: 0, capacity: 1000" },
      { type: "ResourcesFreed", pod: "default/web", node: "small" },
    ]);
  });

  it("at preFilter and filter only (no score): filters as kube does, and with no score plugin takes the first feasible node", () => {
    const explanation = explainPod(stateOf([resident, web]), stateOf([]).nodeTree, configuration({ preFilter: ["NodeResourcesFit"], filter: ["NodeResourcesFit"] }), "default/web", 1);
    expect(explanation.nodes.map((node) => [node.node, node.feasible, node.reasons])).toEqual([["small", false, ["Insufficient cpu"]], ["big", true, []]]);
    expect(explanation.selected).toBe("big");
    expect(explanation.scored).toBe(false);
  });

  it("at filter without preFilter: accepted, with a warning; every cycle fails with kube's error and the pod backs off", () => {
    const result = schedulerConfigurationFrom(profileWith({ filter: ["NodeResourcesFit"] }));
    expect(result.value).toBeDefined();
    expect(result.diagnostics.map((item) => item.message)).toContainEqual(expect.stringMatching(/^NodeResourcesFit is enabled at filter but not at preFilter: kube-scheduler v1.35 accepts this profile/));
    const message = 'running "NodeResourcesFit" filter plugin: error reading "PreFilterNodeResourcesFit" from cycleState: not found';
    const explanation = explainPod(stateOf([resident, web]), stateOf([]).nodeTree, result.value as SchedulerConfiguration, "default/web", 1);
    expect(explanation).toMatchObject({ selected: null, message, error: true });
    const run = runScenario({ name: "fit-filter-only", seed: 1, untilSeconds: 6, options: { fitBy: "requests" }, nodes, pods: [resident, web], timeline: [] },
      {}, { policy: "kube", configuration: result.value as SchedulerConfiguration });
    // No rejecting plugin: the backoff queue, not the unschedulable pool. Backoff 1 s then 2 s,
    // each released in the first whole-second window after it expires: 0, 0 + 1 + 1 = 2, 2 + 2 + 1 = 5.
    const attempts = run.events.flatMap((event) => (event.type === "PodUnschedulable" ? [[event.t, event.message, event.plugins]] : []));
    expect(attempts).toEqual([[0, message, []], [2, message, []], [5, message, []]]);
    // kube's PodScheduled condition for an error, not a verdict.
    expect(run.state.pods["default/web"]).toMatchObject({ phase: "Pending", reason: "SchedulerError", message });
  });
});

describe("NodeResourcesBalancedAllocation at score without preScore", () => {
  it("scores a best-effort pod 0 on every node, as kube's Score does without its PreScore state (balanced_allocation.go)", () => {
    const bestEffort = makePod("idle");
    const explanation = explainPod(stateOf([bestEffort]), stateOf([]).nodeTree, configuration({ score: ["NodeResourcesBalancedAllocation"] }), "default/idle", 1);
    expect(explanation.nodes.map((node) => node.scores["NodeResourcesBalancedAllocation"])).toEqual([0, 0]);
  });

  it("with preScore too, its PreScore skips the best-effort pod: no score at all", () => {
    const bestEffort = makePod("idle");
    const explanation = explainPod(stateOf([bestEffort]), stateOf([]).nodeTree, configuration({ preScore: ["NodeResourcesBalancedAllocation"], score: ["NodeResourcesBalancedAllocation"] }), "default/idle", 1);
    expect(explanation.nodes.map((node) => node.scores["NodeResourcesBalancedAllocation"])).toEqual([undefined, undefined]);
  });
});

describe("TaintToleration at score without preScore", () => {
  it("fails every cycle that scores two nodes or more with kube's error", () => {
    const result = schedulerConfigurationFrom(profileWith({ score: ["TaintToleration"] }));
    expect(result.value).toBeDefined();
    const explanation = explainPod(stateOf([web]), stateOf([]).nodeTree, result.value as SchedulerConfiguration, "default/web", 1);
    expect(explanation).toMatchObject({
      selected: null,
      error: true,
      message: 'running Score plugins: plugin "TaintToleration" failed with: failed to read "PreScoreTaintToleration" from cycleState: not found',
    });
  });

  it("with preScore too, scores as usual", () => {
    const explanation = explainPod(stateOf([web]), stateOf([]).nodeTree, configuration({ preScore: ["TaintToleration"], score: ["TaintToleration"] }), "default/web", 1);
    expect(explanation.error).toBe(false);
    expect(explanation.nodes.map((node) => node.scores["TaintToleration"])).toEqual([100, 100]);
  });
});
