/**
 * PodDisruptionBudgets, the Eviction API and kubectl drain, through the engine on both engines.
 * Expected values are worked out by hand from disruption.go, eviction.go and kubectl's drain
 * package (the tables in disruption.ts and drain.ts). Pods start as they are bound (no image pull).
 */
import { describe, expect, it } from "vitest";
import type { RunResult } from "../engine/engine.js";
import type { TimelineAction } from "../engine/scenario.js";
import { DEFAULT_OPTIONS } from "../cluster/state.js";
import type { ClusterObject } from "../model/objects.js";
import { disruptionBudgetFromManifest } from "../model/policy.js";
import { workloadFromManifest, type Workload } from "../model/workload.js";
import { makeNode, makePod, makeWorkload, runOnBothEngines } from "../testing/builders.js";
import { DEFAULT_DRAIN, goDuration, type DrainOptions } from "./drain.js";

function budget(name: string, spec: Record<string, unknown>): ClusterObject {
  const converted = disruptionBudgetFromManifest({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name, namespace: "default" }, spec });
  if (converted.value === undefined) throw new Error(JSON.stringify(converted.diagnostics));
  return converted.value;
}

function daemonSet(name: string): Workload {
  const converted = workloadFromManifest({
    apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name, namespace: "default" },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "agent", image: "agent:1", resources: { requests: { cpu: "100m" } } }] } } },
  });
  if (converted.value === undefined) throw new Error(JSON.stringify(converted.diagnostics));
  return converted.value;
}

/** `web`: a Deployment of `replicas`, each pod Ready 20 s after it starts. */
const web = (replicas: number) => makeWorkload("Deployment", "web", replicas, { cpu: "1" }, { template: { metadata: { labels: { app: "web" }, annotations: { "sim.timoneiro.dev/ready-after": "20s" } }, spec: { containers: [{ name: "app", image: "app:1", resources: { requests: { cpu: "1" } } }] } } });

function run(objects: ClusterObject[], untilSeconds: number, timeline: TimelineAction[] = [], nodes = 1): RunResult {
  const cluster = Array.from({ length: nodes }, (_, index) => makeNode(`n${index + 1}`, { cpu: "8", memory: "16Gi" }));
  return runOnBothEngines({ name: "pdb", seed: 1, untilSeconds, options: DEFAULT_OPTIONS, nodes: cluster, pods: [], objects, timeline });
}

const statusOf = (result: RunResult, name = "web") => {
  const status = result.state.objects[`PodDisruptionBudget/default/${name}`]?.status;
  return status === undefined ? undefined : { current: status.currentHealthy, desired: status.desiredHealthy, expected: status.expectedPods, allowed: status.disruptionsAllowed, reason: status.conditions[0]?.reason };
};

describe("the disruption controller's arithmetic (disruption.go getExpectedPodCount, countHealthyPods)", () => {
  const rows: { name: string; replicas: number; spec: Record<string, unknown>; expected: ReturnType<typeof statusOf> }[] = [
    // 10 replicas, maxUnavailable 30%: ⌈3.0⌉ = 3 → desired 7; 10 healthy → 3 allowed.
    { name: "maxUnavailable 30% of 10", replicas: 10, spec: { maxUnavailable: "30%" }, expected: { current: 10, desired: 7, expected: 10, allowed: 3, reason: "SufficientPods" } },
    // 3 replicas, maxUnavailable 50%: ⌈1.5⌉ = 2 → desired 1; 2 allowed.
    { name: "maxUnavailable 50% of 3 rounds up", replicas: 3, spec: { maxUnavailable: "50%" }, expected: { current: 3, desired: 1, expected: 3, allowed: 2, reason: "SufficientPods" } },
    // 3 replicas, minAvailable 50%: ⌈1.5⌉ = 2 → 1 allowed.
    { name: "minAvailable 50% of 3 rounds up", replicas: 3, spec: { minAvailable: "50%" }, expected: { current: 3, desired: 2, expected: 3, allowed: 1, reason: "SufficientPods" } },
    // minAvailable as a number: expected is the pods selected (3).
    { name: "minAvailable 3 of 3: none allowed", replicas: 3, spec: { minAvailable: 3 }, expected: { current: 3, desired: 3, expected: 3, allowed: 0, reason: "InsufficientPods" } },
    { name: "maxUnavailable 0", replicas: 3, spec: { maxUnavailable: 0 }, expected: { current: 3, desired: 3, expected: 3, allowed: 0, reason: "InsufficientPods" } },
    { name: "neither: nothing allowed", replicas: 3, spec: {}, expected: { current: 3, desired: 0, expected: 0, allowed: 0, reason: "InsufficientPods" } },
  ];
  it.each(rows)("$name", ({ replicas, spec, expected }) => {
    expect(statusOf(run([web(replicas), budget("web", { ...spec, selector: { matchLabels: { app: "web" } } })], 30, [], 2))).toEqual(expected);
  });

  it("a budget applied before its workload finds the ReplicaSet made later; the workload deleted, it counts nothing", () => {
    const objects = [budget("web", { minAvailable: 2, selector: { matchLabels: { app: "web" } } }), web(3)];
    expect(statusOf(run(objects, 30, [], 2))).toMatchObject({ current: 3, desired: 2, expected: 3, allowed: 1 });
    // Deleted at 40 (background): its pods terminate for 30 s, then are gone: 0 expected, nothing allowed.
    const deleted = run(objects, 100, [{ at: 40, action: "deleteObject", kind: "Deployment", object: "default/web", propagation: "Background" }], 2);
    expect(statusOf(deleted)).toMatchObject({ current: 0, expected: 0, allowed: 0 });
  });

  it("pods not yet Ready are not healthy: at 10 s (Ready at 20 s) 0 of 3, at 20 s all 3", () => {
    const objects = [web(3), budget("web", { minAvailable: 2, selector: { matchLabels: { app: "web" } } })];
    expect(statusOf(run(objects, 10))).toMatchObject({ current: 0, allowed: 0 });
    expect(statusOf(run(objects, 20))).toMatchObject({ current: 3, allowed: 1 });
  });

  it("a DaemonSet has no scale subresource: a percentage budget over its pods fails to sync (SyncFailed, nothing allowed)", () => {
    const result = run([daemonSet("agent"), budget("agent", { maxUnavailable: "50%", selector: { matchLabels: { app: "agent" } } })], 5);
    const status = result.state.objects["PodDisruptionBudget/default/agent"]?.status;
    expect(status?.disruptionsAllowed).toBe(0);
    expect(status?.conditions[0]).toMatchObject({ type: "DisruptionAllowed", status: "False", reason: "SyncFailed" });
    expect(status?.conditions[0]?.message).toMatch(/^found no controllers for pod "agent-[a-z0-9]{5}"$/);
  });
});

describe("kubectl drain under a PodDisruptionBudget", () => {
  const drain = (at: number, node: string, options: Partial<DrainOptions> = {}): TimelineAction => ({ at, action: "drain", node, options: { ...DEFAULT_DRAIN, ...options } });
  const story = (result: RunResult) => result.events.flatMap((event) => {
    const pod = "pod" in event ? event.pod.replace(/^default\//, "").replace(/-[0-9a-f]{6,10}-[a-z0-9]{5}$/, "-x").replace(/^agent-[a-z0-9]{5}$/, "agent-x") : "";
    switch (event.type) {
      case "NodeDrainStarted": return [`${event.t} drain ${event.node}${event.warning ? ` (${event.warning.replace(/agent-[a-z0-9]{5}/, "agent-x")})` : ""}`];
      case "NodeCordoned": return [`${event.t} cordoned ${event.node}`];
      case "PodEvicted": return event.reason === "EvictionByEvictionAPI" ? [`${event.t} evicted ${pod}`] : [];
      case "PodEvictionRefused": return [`${event.t} refused ${event.code} ${pod}`];
      case "NodeDrainFinished": return [`${event.t} ${event.drained ? "drained" : "failed"}: ${event.message.replace(/-[0-9a-f]{6,10}-[a-z0-9]{5}/g, "-x").replace(/agent-[a-z0-9]{5}/g, "agent-x")}`];
      default: return [];
    }
  });

  it("web ×2 on n1 and minAvailable 1: the first pod at once, the second refused every 5 s until the first one's replacement is Ready (20 s), then drained once both are gone (grace 30 s)", () => {
    // n2 is cordoned while web's pods are placed, so both go to n1; it is open again before the drain.
    const result = run([web(2), budget("web", { minAvailable: 1, selector: { matchLabels: { app: "web" } } })], 200, [
      { at: 0, action: "cordon", node: "n2" }, { at: 59, action: "uncordon", node: "n2" }, drain(60, "n1"),
    ], 2);
    expect(story(result)).toEqual([
      "0 cordoned n2",
      "60 drain n1", "60 cordoned n1",
      // 2 healthy, 1 desired: 1 allowed. The first goes; the budget is now 0.
      "60 evicted web-x", "60 refused 429 web-x",
      // Its replacement starts at 60 on n2, Ready at 80: 2 healthy again (the evicted one is terminating).
      "65 refused 429 web-x", "70 refused 429 web-x", "75 refused 429 web-x",
      "80 evicted web-x",
      // The second one's grace period ends at 80 + 30.
      "110 drained: node/n1 drained",
    ]);
  });

  it("a DaemonSet's pod stops the drain at once unless ignoreDaemonSets; with it, the warning", () => {
    const refused = story(run([daemonSet("agent")], 20, [drain(10, "n1")]));
    expect(refused).toEqual(["10 drain n1", "10 cordoned n1", "10 failed: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/agent-x"]);
    const ignored = story(run([daemonSet("agent")], 20, [drain(10, "n1", { ignoreDaemonSets: true })]));
    expect(ignored).toEqual(["10 drain n1 (ignoring DaemonSet-managed Pods: default/agent-x)", "10 cordoned n1", "10 drained: node/n1 drained"]);
  });

  it("a pod without a controller: v1.35's doubled 'cannot delete' unless force; with force it is evicted", () => {
    const bare = run([], 60, [{ at: 0, action: "createPod", pod: makePod("solo", { cpu: "1" }) }, drain(10, "n1")]);
    expect(story(bare)).toEqual(["10 drain n1", "10 cordoned n1", "10 failed: cannot delete cannot delete Pods that declare no controller (use --force to override): default/solo"]);
    const forced = run([], 60, [{ at: 0, action: "createPod", pod: makePod("solo", { cpu: "1" }) }, drain(10, "n1", { force: true })]);
    expect(story(forced)).toEqual(["10 drain n1 (deleting Pods that declare no controller: default/solo)", "10 cordoned n1", "10 evicted solo", "40 drained: node/n1 drained"]);
  });

  it("a budget that never allows (minAvailable 2 of 2), timeout 30s: refused at 10, 15 … 40, then the global timeout", () => {
    const result = run([web(2), budget("web", { minAvailable: 2, selector: { matchLabels: { app: "web" } } })], 100, [drain(10, "n1", { timeoutSeconds: 30 })]);
    const lines = story(result);
    expect(lines.filter((line) => line.includes("refused")).map((line) => line.split(" ")[0])).toEqual(["10", "10", "15", "15", "20", "20", "25", "25", "30", "30", "35", "35", "40", "40"]);
    const last = lines.at(-1) as string;
    expect(last.startsWith("40 failed: ")).toBe(true);
    expect(last.match(/global timeout reached: 30s/g)).toHaveLength(2);
    expect(goDuration(120)).toBe("2m0s");
  });

  it("two budgets select the pod: 500, not retried; the drain fails with kube's message", () => {
    const select = { selector: { matchLabels: { app: "web" } }, maxUnavailable: 1 };
    const lines = story(run([web(1), budget("a", select), budget("b", select)], 60, [drain(30, "n1")]));
    expect(lines).toEqual([
      "30 drain n1", "30 cordoned n1", "30 refused 500 web-x",
      '30 failed: error when evicting pods/"web-x" -n "default": This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    ]);
  });
});
