/**
 * Each exported law can fail: a scheduler built to break it, on a scenario worked out by hand,
 * gives the finding; a sound one gives none.
 */
import { describe, expect, it } from "vitest";
import { KSC_API_VERSION, outOfTreeRegistry, schedulerConfigurationFrom, type Node, type Plugin, type Pod, type Scenario, type SchedulerChoice } from "../core/index.js";
import { LAWS, RunCache, lawsFor } from "./laws.js";

const GiB = 2 ** 30;

function node(name: string): Node {
  const allocatable = { cpu: 2000, memory: 4 * GiB, pods: 110 };
  return { name, labels: { "kubernetes.io/hostname": name }, annotations: {}, taints: [], unschedulable: false, capacity: allocatable, allocatable, ready: "True" };
}

function pod(name: string): Pod {
  return {
    namespace: "default", name, labels: {}, annotations: {}, containers: [{ name: "app", image: "app", ports: [], requests: { cpu: 500 }, limits: {} }], initContainers: [],
    restartPolicy: "Always", priority: 0, schedulerName: "default-scheduler", nodeSelector: {}, tolerations: [], schedulingGates: [], terminationGracePeriodSeconds: 30, sim: {},
  };
}

/** kube's default profile plus one out-of-tree plugin (multiPoint). */
function withPlugin(plugin: Plugin): SchedulerChoice {
  const built = outOfTreeRegistry([plugin], () => plugin.name);
  if (built.registry === undefined) throw new Error(built.problems.join("; "));
  const result = schedulerConfigurationFrom({ apiVersion: KSC_API_VERSION, kind: "KubeSchedulerConfiguration", profiles: [{ plugins: { multiPoint: { enabled: [{ name: plugin.name }] } } }] }, { balancedAllocationFormula: "v1.35", plugins: built.registry });
  if (result.value === undefined) throw new Error("refused");
  return { policy: "kube", configuration: result.value };
}

// One node of 2 cpu and one pod of 500m: room to spare.
const scenario: Scenario = { name: "one", seed: 1, untilSeconds: 30, options: { fitBy: "requests" }, nodes: [node("node-a")], pods: [pod("web")], timeline: [] };

describe("work-conservation", () => {
  it("catches a filter that refuses a pod there is room for", () => {
    const refuseAll: Plugin = { name: "RefuseAll", filter: () => ({ code: "Unschedulable", reasons: ["node(s) refused"] }) };
    const subject = { scenario, scheduler: withPlugin(refuseAll) };
    // A user's filter makes no such promise: the law does not apply by default…
    expect(lawsFor(subject)).not.toContain("work-conservation");
    // …and asked anyway, it names the node with room (500m of 2 cpu free).
    expect(LAWS["work-conservation"]?.check(subject, new RunCache(subject))[0]).toBe('event 3 at 0s (PodUnschedulable default/web): left pending although node-a had room for it ("0/1 nodes are available: 1 node(s) refused. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.")');
  });

  it("applies with a user's Score-only plugin (it ranks, it does not refuse)", () => {
    const ranker: Plugin = { name: "Ranker", score: () => 50 };
    expect(lawsFor({ scenario, scheduler: withPlugin(ranker) })).toContain("work-conservation");
  });

  it("holds for kube's default profile and applies to it", () => {
    const subject = { scenario };
    expect(lawsFor(subject)).toContain("work-conservation");
    expect(LAWS["work-conservation"]?.check(subject, new RunCache(subject))).toEqual([]);
  });
});

describe("adding-capacity", () => {
  it("catches a filter that reads how many nodes there are", () => {
    // Accepts a node only while the cluster has one node: with a copy of node-a added, none passes.
    const lonely: Plugin = { name: "Lonely", filter: (cycle) => (cycle.allNodes === 1 ? { code: "Success", reasons: [] } : { code: "Unschedulable", reasons: ["node(s) are not alone"] }) };
    const subject = { scenario, scheduler: withPlugin(lonely) };
    expect(LAWS["adding-capacity"]?.check(subject, new RunCache(subject))).toEqual([
      "event 3 at 0s (PodBound default/web): with a copy of node-a added, default/web can no longer be placed: 0/2 nodes are available: 2 node(s) are not alone. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
    ]);
  });

  it("holds for kube's default profile", () => {
    const subject = { scenario: { ...scenario, nodes: [node("node-a"), node("node-b")], pods: [pod("web"), pod("api"), pod("db")] } };
    expect(LAWS["adding-capacity"]?.check(subject, new RunCache(subject))).toEqual([]);
  });
});

describe("backoff-as-kubernetes", () => {
  it("holds: 1, 2, 4, 8, then 10 s", () => {
    expect(LAWS["backoff-as-kubernetes"]?.check({ scenario }, new RunCache({ scenario }))).toEqual([]);
  });
});
