/**
 * The DaemonSet controller, rule by rule (daemon_controller.go, update.go, util/daemonset_util.go),
 * through the engine on both engines (their logs must be equal), with the expected ticks worked
 * out by hand beside each row.
 */
import { describe, expect, it } from "vitest";
import type { RunResult } from "../engine/engine.js";
import type { Scenario, TimelineAction } from "../engine/scenario.js";
import type { ClusterEvent } from "../events/events.js";
import { DEFAULT_OPTIONS, type PodState } from "../cluster/state.js";
import type { Node } from "../model/node.js";
import { strategicMerge } from "../model/patch.js";
import { workloadFromManifest, type Workload } from "../model/workload.js";
import { makeNode, runOnBothEngines } from "../testing/builders.js";
import { daemonSetStatus, shouldRunOn } from "./daemonset.js";

function daemonSet(spec: Record<string, unknown> = {}, template: Record<string, unknown> = {}): Workload {
  const converted = workloadFromManifest({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "agent", namespace: "default" },
    spec: {
      selector: { matchLabels: { app: "agent" } },
      template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "agent", image: "agent:1", resources: { requests: { cpu: "100m" } } }], ...template } },
      ...spec,
    },
  });
  if (converted.value === undefined) throw new Error(JSON.stringify(converted.diagnostics));
  return converted.value;
}

const node = (name: string, overrides: Partial<Node> = {}) => makeNode(name, { cpu: "4", memory: "8Gi", pods: "110" }, overrides);

function run(objects: Workload[], nodes: Node[], timeline: TimelineAction[] = [], untilSeconds = 600): RunResult {
  const scenario: Scenario = { name: "ds", seed: 3, untilSeconds, options: DEFAULT_OPTIONS, nodes, pods: [], objects, timeline };
  return runOnBothEngines(scenario);
}

const podNodes = (result: RunResult) => Object.values(result.state.pods).map((pod) => pod.node ?? "<none>").sort();
const of = <T extends ClusterEvent["type"]>(events: readonly ClusterEvent[], type: T) => events.filter((event): event is Extract<ClusterEvent, { type: T }> => event.type === type);

describe("DaemonSet: one pod on each node that should run one (NodeShouldRunDaemonPod)", () => {
  it("every node; a node with an untolerated NoSchedule taint gets none; a node joining later gets one as it joins", () => {
    const tainted = node("gpu", { taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] });
    const result = run([daemonSet()], [node("a"), node("b"), tainted], [{ at: 60, action: "addNode", node: node("c") }]);
    expect(podNodes(result)).toEqual(["a", "b", "c"]);
    const created = of(result.events, "PodCreated").map((event) => event.t);
    expect(created).toEqual([0, 0, 60]);
  });

  it("a nodeSelector limits it to the matching nodes", () => {
    const result = run([daemonSet({}, { nodeSelector: { role: "edge" } })], [node("a", { labels: { role: "edge" } }), node("b")]);
    expect(podNodes(result)).toEqual(["a"]);
  });

  it("a cordoned node still gets one: every daemon pod tolerates node.kubernetes.io/unschedulable", () => {
    const result = run([daemonSet()], [node("a", { unschedulable: true })]);
    expect(podNodes(result)).toEqual(["a"]);
  });

  it("the pod carries kube's daemon tolerations and a required node affinity for its node alone", () => {
    const result = run([daemonSet({}, { hostNetwork: true, tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 }] })], [node("a")]);
    const pod = Object.values(result.state.pods)[0] as PodState;
    expect(pod.pod.tolerations).toEqual([
      // The template's own not-ready toleration is replaced by the daemon one (no tolerationSeconds: forever).
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
      { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" },
    ]);
    expect(pod.pod.nodeAffinity?.required).toEqual([{ matchExpressions: [], matchFields: [{ key: "metadata.name", operator: "In", values: ["a"] }] }]);
    expect(pod.pod.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.pod.labels["controller-revision-hash"]).toMatch(/^[4-9bcdf]+$/);
  });

  it("shouldRun / shouldContinueRunning: an untolerated NoSchedule taint keeps a running pod, an untolerated NoExecute one removes it", () => {
    const ds = daemonSet();
    expect(shouldRunOn(ds, node("a"))).toEqual([true, true]);
    expect(shouldRunOn(ds, node("a", { taints: [{ key: "k", effect: "NoSchedule" }] }))).toEqual([false, true]);
    expect(shouldRunOn(ds, node("a", { taints: [{ key: "k", effect: "NoExecute" }] }))).toEqual([false, false]);
    expect(shouldRunOn(ds, node("a", { taints: [{ key: "k", effect: "PreferNoSchedule" }] }))).toEqual([true, true]);
    // The daemon tolerations cover the node lifecycle's taints.
    expect(shouldRunOn(ds, node("a", { taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }] }))).toEqual([true, true]);
    expect(shouldRunOn(daemonSet({}, { nodeName: "b" }), node("a"))).toEqual([false, false]);
  });
});

describe("DaemonSet: rolling update (update.go)", () => {
  const nodes = [node("n1"), node("n2"), node("n3"), node("n4")];
  const update = (ds: Workload, at: number, patch: unknown): TimelineAction => {
    const converted = workloadFromManifest(strategicMerge(ds.manifest, patch) as Record<string, unknown>);
    return { at, action: "update", kind: "DaemonSet", object: "default/agent", workload: converted.value as Workload, setsReplicas: false };
  };
  const NEW_IMAGE = { spec: { template: { spec: { containers: [{ name: "agent", image: "agent:2" }] } } } };

  it("maxUnavailable 1: one node at a time, each old pod deleted once the previous node's new pod is up (30 s grace)", () => {
    // t=100: n1's old pod deleted (1 unavailable). t=130 it is gone: manage creates n1's new pod, which starts at once;
    // the update step runs in the next sync (manage did something): n2's old pod deleted at 130. Then 160 (n3), 190 (n4).
    const ds = daemonSet();
    const result = run([ds], nodes, [update(ds, 100, NEW_IMAGE)]);
    const deleted = of(result.events, "PodDeleted").map((event) => event.t);
    expect(deleted).toEqual([100, 130, 160, 190]);
    expect(of(result.events, "PodCreated").filter((event) => event.t >= 100).map((event) => event.t)).toEqual([130, 160, 190, 220]);
    expect(Object.values(result.state.pods).every((pod) => pod.pod.containers[0]?.image === "agent:2")).toBe(true);
  });

  it("maxUnavailable 50% of 3 nodes rounds up to 2: two nodes at a time", () => {
    const ds = daemonSet({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "50%" } } });
    const result = run([ds], nodes.slice(0, 3), [update(ds, 100, NEW_IMAGE)]);
    expect(of(result.events, "PodDeleted").map((event) => event.t)).toEqual([100, 100, 130]);
  });

  it("maxSurge 1 (maxUnavailable 0): the new pod starts beside the old one, which goes once the new one is available", () => {
    // t=100: a new pod on n1 (surge 1); it starts at once and is available, so the old one is deleted in the next sync,
    // and the next node's new pod is created then: one node per round, all at t=100.
    const ds = daemonSet({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    const result = run([ds], nodes.slice(0, 2), [update(ds, 100, NEW_IMAGE)]);
    const story = result.events.filter((event) => event.t === 100 && (event.type === "PodCreated" || event.type === "PodDeleted")).map((event) => event.type);
    expect(story).toEqual(["PodCreated", "PodDeleted", "PodCreated", "PodDeleted"]);
    // Never fewer than 2 pods holding resources on the 2 nodes while it ran (no unavailability).
    expect(podNodes(result)).toEqual(["n1", "n2"]);
  });

  it("OnDelete: nothing is replaced until a pod is deleted", () => {
    const ds = daemonSet({ updateStrategy: { type: "OnDelete" } });
    const result = run([ds], nodes.slice(0, 2), [update(ds, 100, NEW_IMAGE)]);
    expect(of(result.events, "PodDeleted")).toEqual([]);
  });
});

describe("daemonSetStatus (updateDaemonSetStatus)", () => {
  it("counts nodes: desired, current, misscheduled, and the oldest pod's readiness and revision", () => {
    const ds = daemonSet({}, { nodeSelector: { role: "edge" } });
    const result = run([ds], [node("a", { labels: { role: "edge" } }), node("b", { labels: { role: "edge" } }), node("c")], [], 10);
    const pods = Object.values(result.state.pods);
    const nodes = Object.values(result.state.nodes).map((record) => record.node);
    // 2 edge nodes: both should run one and have one, running and up to date; c has none and should not.
    expect(daemonSetStatus(ds, nodes, pods, 10)).toEqual({
      desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 2, numberUnavailable: 0,
    });
    // Relabel a so it no longer matches: its pod is misscheduled (counted on the node's side), one fewer desired.
    const moved = nodes.map((item) => (item.name === "a" ? { ...item, labels: {} } : item));
    expect(daemonSetStatus(ds, moved, pods, 10)).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 1 });
  });
});
