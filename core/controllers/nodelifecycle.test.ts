/**
 * Node failure, tick by tick, through the engine on both engines (their logs must be equal). Every
 * expected tick is worked out by hand from kube's constants (nodelifecycle.ts, tainteviction.ts,
 * podgc.ts): nodes join at 0, so kubelets renew their lease at 0, 10, 20 …; the lifecycle
 * controller's passes run at multiples of 5; the grace period is 50 s; a zone taints 0.1 node/s;
 * DefaultTolerationSeconds gives every pod 300 s; PodGC passes run at multiples of 20.
 */
import { describe, expect, it } from "vitest";
import type { RunResult } from "../engine/engine.js";
import type { TimelineAction } from "../engine/scenario.js";
import type { ClusterEvent } from "../events/events.js";
import { DEFAULT_OPTIONS } from "../cluster/state.js";
import type { Node } from "../model/node.js";
import { workloadFromManifest, type Workload } from "../model/workload.js";
import { makeNode, makePod, makeWorkload, runOnBothEngines } from "../testing/builders.js";
import { computeZoneState, lastHeartbeat } from "./nodelifecycle.js";
import { withDefaultTolerationSeconds } from "../model/manifest.js";
import { disruptionBudgetFromManifest, serviceFromManifest, type Service } from "../model/policy.js";
import type { ClusterObject } from "../model/objects.js";
import { serviceEndpoints } from "./endpoints.js";
import { minTolerationSeconds } from "./tainteviction.js";

function daemonSet(name: string): Workload {
  const converted = workloadFromManifest({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: "default" },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "agent", image: "agent:1", resources: { requests: { cpu: "100m" } } }] } } },
  });
  if (converted.value === undefined) throw new Error(JSON.stringify(converted.diagnostics));
  return converted.value;
}

function run(nodes: Node[], objects: ClusterObject[], untilSeconds: number, timeline: TimelineAction[]): RunResult {
  return runOnBothEngines({ name: "failure", seed: 1, untilSeconds, options: DEFAULT_OPTIONS, nodes, pods: [], objects, timeline });
}

const nodes3 = () => ["n1", "n2", "n3"].map((name) => makeNode(name, { cpu: "4", memory: "8Gi" }));

/** The golden cluster: web (a Deployment of 6), db (a StatefulSet of 3, OrderedReady), agent (a DaemonSet). */
const golden = () => [makeWorkload("Deployment", "web", 6, { cpu: "500m" }), makeWorkload("StatefulSet", "db", 3, { cpu: "250m" }, { serviceName: "db" }), daemonSet("agent")];

/** `t type subject detail` for the events about nodes and about the pods on `node` (those it held at `at`), plus every PodCreated after `from`. */
function story(result: RunResult, node: string, from: number): string[] {
  const events = result.events;
  const onNode = new Set<string>();
  for (const event of events) if (event.type === "PodBound" && event.node === node) onNode.add(event.pod);
  return events.flatMap((event: ClusterEvent) => {
    if (event.t < from) return [];
    const pod = "pod" in event ? event.pod.replace(/^default\//, "").replace(/-[0-9a-f]{6,10}-[a-z0-9]{5}$/, "-x").replace(/^agent-[a-z0-9]{5}$/, "agent-x") : "";
    switch (event.type) {
      case "KubeletStopped": case "KubeletStarted": case "NodeRemoved": return [`${event.t} ${event.type} ${event.node}`];
      case "NodeConditionChanged": return [`${event.t} Ready=${event.status} ${event.node}`];
      case "NodeTainted": case "NodeUntainted": return [`${event.t} ${event.type} ${event.node} ${event.taint.key.replace("node.kubernetes.io/", "")}:${event.taint.effect}`];
      case "PodReadyChanged": return onNode.has(event.pod) ? [`${event.t} ${event.ready ? "ready" : "not ready"} ${pod}`] : [];
      case "PodEvicted": return [`${event.t} evicted ${pod} (${event.reason})`];
      case "PodDeleted": return [`${event.t} deleted ${pod} grace ${event.gracePeriodSeconds}`];
      case "PodFailed": return onNode.has(event.pod) ? [`${event.t} failed ${pod}`] : [];
      case "ResourcesFreed": return event.node === node ? [`${event.t} freed ${pod}`] : [];
      case "PodCreated": return [`${event.t} created ${pod}`];
      case "PodBound": return [`${event.t} bound ${pod} to ${event.node}`];
      default: return [];
    }
  });
}

describe("the chain's arithmetic", () => {
  it("the last lease renewal before the kubelet stops (renewals every 10 s from the join; one due at the stop itself does not happen)", () => {
    expect(lastHeartbeat(0, 60, 10)).toBe(50);
    expect(lastHeartbeat(0, 55, 10)).toBe(50);
    expect(lastHeartbeat(3, 60, 10)).toBe(53);
    expect(lastHeartbeat(7, 7, 10)).toBe(7); // failed as it joined: its registration is its last word
  });

  it("ComputeZoneState: Full when none is Ready; Partial when more than 2 and at least 55% are not; else Normal", () => {
    expect(computeZoneState(3, 3, 0.55)).toBe("FullDisruption");
    expect(computeZoneState(4, 3, 0.55)).toBe("PartialDisruption"); // 3 > 2, 0.75 ≥ 0.55
    expect(computeZoneState(6, 3, 0.55)).toBe("Normal"); // 0.5 < 0.55
    expect(computeZoneState(3, 2, 0.55)).toBe("Normal"); // only 2
    expect(computeZoneState(0, 0, 0.55)).toBe("Normal");
  });

  it("getMinTolerationTime: an untolerated taint (undefined: at once), forever (−1), 0 for ≤ 0, else the least", () => {
    const unreachable = { key: "node.kubernetes.io/unreachable", effect: "NoExecute" as const };
    const oos = { key: "node.kubernetes.io/out-of-service", effect: "NoExecute" as const };
    expect(minTolerationSeconds([unreachable], [])).toBeUndefined();
    expect(minTolerationSeconds([unreachable], [{ key: unreachable.key, operator: "Exists", effect: "NoExecute" }])).toBe(-1);
    expect(minTolerationSeconds([unreachable], [{ key: unreachable.key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }, { operator: "Exists", tolerationSeconds: 60 }])).toBe(60);
    expect(minTolerationSeconds([unreachable, oos], [{ key: unreachable.key, operator: "Exists", tolerationSeconds: 300 }])).toBeUndefined();
    expect(minTolerationSeconds([unreachable], [{ operator: "Exists", tolerationSeconds: -5 }])).toBe(0);
  });
});

describe("a node fails: the golden table (3 nodes; web ×6, db ×3 OrderedReady, agent on each node; failNode n2 at 60 s)", () => {
  // Where the pods are before the failure: kube's default profile spreads web 2/2/2 and db 1/1/1
  // (LeastAllocated and BalancedAllocation favour the emptiest node); agent has one pod per node.
  const failAt: TimelineAction = { at: 60, action: "failNode", node: "n2" };

  it("n2 holds 2 web pods, 1 db pod and 1 agent pod when it fails", () => {
    const result = run(nodes3(), golden(), 59, []);
    const names = result.state.nodes["n2"]?.pods.map((key) => key.replace(/^default\//, "").replace(/-[0-9a-f]{6,10}-[a-z0-9]{5}$/, "-x").replace(/^agent-[a-z0-9]{5}$/, "agent-x")).sort();
    expect(names?.filter((name) => name === "web-x")).toHaveLength(2);
    expect(names?.filter((name) => name.startsWith("db-"))).toHaveLength(1);
    expect(names?.filter((name) => name === "agent-x")).toHaveLength(1);
  });

  it("recoverNode at 600 s: each tick as kube's controllers make it", () => {
    const result = run(nodes3(), golden(), 600, [failAt, { at: 600, action: "recoverNode", node: "n2" }]);
    const db = result.state.nodes["n2"]?.pods.find((key) => key.startsWith("default/db-"))?.slice("default/".length) ?? "";
    expect(story(result, "n2", 60).filter((line) => !line.includes("bound") || line.includes("web") || line.includes("db"))).toEqual([
      "60 KubeletStopped n2",
      // Last renewal 50; probe 50; the first pass after 50 + 50 = 100 is 105.
      "105 Ready=Unknown n2",
      "105 NodeTainted n2 unreachable:NoSchedule", // doNoScheduleTaintingPass, at once
      // MarkPodsNotReady, name order: agent, db, web, web
      "105 not ready agent-x", `105 not ready ${db}`, "105 not ready web-x", "105 not ready web-x",
      // The next pass (110) reads Unknown, queues n2; the zone has a token: tainted at once.
      "110 NodeTainted n2 unreachable:NoExecute",
      // 110 + 300 s (DefaultTolerationSeconds); agent tolerates it forever (DaemonSet tolerations).
      `410 evicted ${db} (TaintManagerEviction)`, `410 deleted ${db} grace 30`,
      "410 evicted web-x (TaintManagerEviction)", "410 deleted web-x grace 30",
      "410 evicted web-x (TaintManagerEviction)", "410 deleted web-x grace 30",
      // The ReplicaSet replaces both at once, on n1 and n3 (n2 is tainted NoSchedule).
      "410 created web-x", "410 created web-x", "410 bound web-x to n3", "410 bound web-x to n1",
      // db's pod stays Terminating (no kubelet to confirm): the StatefulSet waits, nothing frees it.
      "600 KubeletStarted n2",
      "600 Ready=True n2",
      "600 NodeUntainted n2 unreachable:NoSchedule",
      "600 ready agent-x", // its kubelet reports it Ready again
      // Grace periods ended at 440: the kubelet finishes the terminations now.
      `600 freed ${db}`, "600 freed web-x", "600 freed web-x",
      "600 NodeUntainted n2 unreachable:NoExecute", // the pass at 600 reads Ready=True
      // db's ordinal is free: the StatefulSet makes it again; n2 is schedulable again.
      `600 created ${db}`, `600 bound ${db} to n2`,
    ]);
  });

  it("with a PodDisruptionBudget (web, minAvailable 5) and a Service (web): the budget drops to 0 allowed at 105 s and is ignored by the taint eviction at 410 s; the Service loses n2's two endpoints from 105 s to 410 s", () => {
    const pdb = disruptionBudgetFromManifest({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "web", namespace: "default" }, spec: { minAvailable: 5, selector: { matchLabels: { app: "web" } } } }).value as ClusterObject;
    const service = serviceFromManifest({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] } }).value as Service;
    const result = run(nodes3(), [...golden(), pdb, service], 600, [failAt]);
    // The budget's status over time: minAvailable 5 as a number, so expected = the pods it selects.
    const budget = result.events.flatMap((event) => (event.type === "WorkloadStatusChanged" && event.kind === "PodDisruptionBudget" ? [`${event.t} ${event.status.currentHealthy}/${event.status.desiredHealthy} of ${event.status.expectedPods}, allowed ${event.status.disruptionsAllowed}`] : []));
    expect(budget).toEqual([
      "0 0/5 of 6, allowed 0", // the controllers' round at 0: six pods made, none started yet
      "0 6/5 of 6, allowed 1", // the next round, after the scheduler: all six Ready as they start
      "105 4/5 of 6, allowed 0", // n2's two not Ready
      // 410: taint eviction ignores budgets: both deleted (terminating: not healthy, still
      // selected); two new pods made (4 of 8), then Ready as they start (6 of 8).
      "410 4/5 of 8, allowed 0",
      "410 6/5 of 8, allowed 1",
    ]);
    // Endpoints from the engine's state at a few ticks: n2's pods drop out at 105 and come back as replacements at 410.
    const ready = (until: number) => serviceEndpoints(service, Object.values(run(nodes3(), [...golden(), pdb, service], until, [failAt]).state.pods)).filter((endpoint) => endpoint.ready).length;
    expect([ready(104), ready(105), ready(409), ready(410)]).toEqual([6, 4, 4, 6]);
  });

  it("the Deployment counts availability from readiness: 6, then 4 at 105 s, 6 again when the replacements start at 410 s", () => {
    const available = (until: number) => run(nodes3(), golden(), until, [failAt]).state.objects["Deployment/default/web"]?.status?.availableReplicas;
    expect(available(104)).toBe(6);
    expect(available(105)).toBe(4);
    expect(available(409)).toBe(4);
    expect(available(410)).toBe(6);
  });

  it("removeNode at 500 s: PodGC deletes the orphans after its quarantine (pass at 500, +40 s = 540), and the StatefulSet makes its pod again", () => {
    const result = run(nodes3(), golden(), 600, [failAt, { at: 500, action: "removeNode", node: "n2" }]);
    const lines = story(result, "n2", 500);
    const db = lines.find((line) => line.startsWith("540 evicted db-"))?.split(" ")[2] ?? "";
    expect(lines).toEqual([
      "500 NodeRemoved n2",
      // Name order: agent, db, web, web; each not terminal is marked Failed first.
      "540 evicted agent-x (DeletionByPodGC)", "540 failed agent-x", "540 deleted agent-x grace 0",
      `540 evicted ${db} (DeletionByPodGC)`, `540 failed ${db}`, `540 deleted ${db} grace 0`,
      "540 evicted web-x (DeletionByPodGC)", "540 failed web-x", "540 deleted web-x grace 0",
      "540 evicted web-x (DeletionByPodGC)", "540 failed web-x", "540 deleted web-x grace 0",
      `540 created ${db}`, expect.stringMatching(new RegExp(`^540 bound ${db} to n[13]$`)), // n1 and n3 hold the same: the tie is the seed's
    ]);
    expect(db).toMatch(/^db-[0-2]$/);
    expect(Object.keys(result.state.pods).filter((key) => result.state.pods[key]?.orphaned === true)).toEqual([]);
  });

  it("an out-of-service taint at 200 s: pods that do not tolerate it are evicted at once, and PodGC force-deletes the Terminating ones at its pass (200)", () => {
    const result = run(nodes3(), golden(), 300, [failAt, { at: 200, action: "taint", node: "n2", taint: { key: "node.kubernetes.io/out-of-service", value: "nodeshutdown", effect: "NoExecute" } }]);
    const lines = story(result, "n2", 200).filter((line) => !line.includes("created") && !line.includes("bound"));
    const db = lines.find((line) => line.includes("evicted db-"))?.split(" ")[2] ?? "";
    expect(lines).toEqual([
      "200 NodeTainted n2 out-of-service:NoExecute",
      "200 evicted agent-x (TaintManagerEviction)", "200 deleted agent-x grace 30",
      `200 evicted ${db} (TaintManagerEviction)`, `200 deleted ${db} grace 30`,
      "200 evicted web-x (TaintManagerEviction)", "200 deleted web-x grace 30",
      "200 evicted web-x (TaintManagerEviction)", "200 deleted web-x grace 30",
      // gcTerminating: n2 is not Ready and out of service.
      "200 failed agent-x", "200 deleted agent-x grace 0", "200 freed agent-x",
      `200 failed ${db}`, `200 deleted ${db} grace 0`, `200 freed ${db}`,
      "200 failed web-x", "200 deleted web-x grace 0", "200 freed web-x",
      "200 failed web-x", "200 deleted web-x grace 0", "200 freed web-x",
    ]);
    // db's ordinal is free at once: made again on another node.
    expect(result.events.some((event) => event.type === "PodBound" && event.t === 200 && event.pod === `default/${db}` && event.node !== "n2")).toBe(true);
  });
});

describe("zones: how fast nodes are tainted", () => {
  const zoned = (zone: string, count: number) => Array.from({ length: count }, (_, index) => makeNode(`${zone}${index + 1}`, { cpu: "4", memory: "8Gi" }, { labels: { "topology.kubernetes.io/zone": zone } }));
  const tainted = (result: RunResult) => result.events.filter((event) => event.type === "NodeTainted" && event.taint.effect === "NoExecute").map((event) => `${event.t} ${(event as { node: string }).node}`);
  const fail = (names: string[], at = 60): TimelineAction[] => names.map((node) => ({ at, action: "failNode", node }));

  it("a whole zone fails while another is fine: FullDisruption, tainted at 0.1 node/s: 110, 120, 130", () => {
    const result = run([...zoned("a", 3), ...zoned("b", 3)], [], 200, fail(["a1", "a2", "a3"]));
    expect(tainted(result)).toEqual(["110 a1", "120 a2", "130 a3"]);
  });

  it("3 of a zone of 4 fail: PartialDisruption in a zone of 50 or fewer: never tainted NoExecute (NoSchedule at once)", () => {
    const result = run([...zoned("a", 4), ...zoned("b", 2)], [], 1000, fail(["a1", "a2", "a3"]));
    expect(tainted(result)).toEqual([]);
    expect(result.events.filter((event) => event.type === "NodeTainted").map((event) => `${event.t} ${(event as { node: string }).node}`)).toEqual(["105 a1", "105 a2", "105 a3"]);
  });

  it("3 of a zone of 60 fail (Normal: 3/60 < 0.55), taints at 110, 120, 130; 35 of 60 fail at once (PartialDisruption, over 50 nodes): one node per 100 s", () => {
    expect(tainted(run([...zoned("a", 60), ...zoned("b", 1)], [], 200, fail(["a1", "a2", "a3"])))).toEqual(["110 a1", "120 a2", "130 a3"]);
    const names = Array.from({ length: 35 }, (_, index) => `a${index + 1}`);
    // At 105 the zone turns Partial (35/60 ≥ 0.55) and gets the rate 0.01; the old bucket had a
    // token, so the new one starts full (SwapLimiter drains it only when the old had none):
    // 110 a1 (name order), then one every 100 s: 210 a10, 310 a11 …
    expect(tainted(run([...zoned("a", 60), ...zoned("b", 1)], [], 320, fail(names)))).toEqual(["110 a1", "210 a10", "310 a11"]);
  });

  it("every zone fully disrupted: master disruption mode, no NoExecute taint; one node back at 300 s leaves it, the other tainted 10 s later (the new bucket starts empty)", () => {
    const result = run(zoned("a", 2), [], 700, [...fail(["a1", "a2"]), { at: 300, action: "recoverNode", node: "a1" }]);
    // 105: both Unknown, the only zone Full: master disruption mode (rate 0). 300: a1 Ready; the pass
    // at 300 leaves the mode, the zone is Normal again with a new bucket of 0.1 that starts empty
    // (the old limiter never had a token): a2 is tainted at 310, its pods evicted at 610.
    expect(tainted(result)).toEqual(["310 a2"]);
    expect(result.events.filter((event) => event.type === "NodeTainted").map((event) => `${event.t} ${(event as { node: string }).node} ${(event as { taint: { effect: string } }).taint.effect}`))
      .toEqual(["105 a1 NoSchedule", "105 a2 NoSchedule", "310 a2 NoExecute"]);
  });

  it("a one-node cluster never evicts: its only zone is fully disrupted, which is master disruption mode", () => {
    const result = run([makeNode("solo")], [makeWorkload("Deployment", "web", 2)], 1000, fail(["solo"]));
    expect(result.events.filter((event) => event.type === "PodEvicted")).toEqual([]);
  });
});

describe("removeNode in the tick its node changed", () => {
  it("the orphans are still found when a pod joined the node in the same tick (the fast engine's batch then owns the node's record)", () => {
    const result = run(nodes3(), golden(), 600, [
      { at: 500, action: "createPod", pod: makePod("extra", { cpu: "100m" }, { nodeName: "n2" }) },
      { at: 500, action: "removeNode", node: "n2" },
    ]);
    // PodGC: the pass at 500 sees them, the quarantine ends at 540: n2's 5 pods (2 web, 1 db, 1 agent, extra) deleted then.
    const deleted = result.events.filter((event) => event.type === "PodDeleted" && event.t === 540).length;
    expect(deleted).toBe(5);
  });
});

describe("more of the node lifecycle controller's paths", () => {
  // Pods made here as the API server would make them: with DefaultTolerationSeconds' two tolerations.
  const admitted = (name: string, node: string) => makePod(name, { cpu: "100m" }, { nodeName: node, tolerations: withDefaultTolerationSeconds([]) });
  const tainting = (result: RunResult) => result.events.filter((event) => event.type === "NodeTainted" || event.type === "NodeUntainted" || event.type === "PodEvicted")
    .map((event) => event.type === "PodEvicted" ? `${event.t} evicted ${event.pod.replace(/-[0-9a-f]{6,10}-[a-z0-9]{5}$/, "-x")}` : `${event.t} ${event.type === "NodeTainted" ? "+" : "-"}${(event as { taint: { key: string; effect: string } }).taint.key.replace("node.kubernetes.io/", "")}:${(event as { taint: { effect: string } }).taint.effect} ${(event as { node: string }).node}`);

  it("a node that joins NotReady (its kubelet reports Ready=False): not-ready:NoSchedule at once, not-ready:NoExecute at the first pass (0), its pod evicted 300 s later", () => {
    const nodes = [makeNode("ok"), makeNode("sick", { cpu: "4", memory: "8Gi" }, { ready: "False" })];
    const result = run(nodes, [], 400, [{ at: 0, action: "createPod", pod: admitted("pinned", "sick") }]);
    expect(tainting(result)).toEqual(["0 +not-ready:NoSchedule sick", "0 +not-ready:NoExecute sick", "300 evicted default/pinned"]);
  });

  it("entering master disruption mode removes the NoExecute taints already there and cancels their evictions", () => {
    // n1 fails at 60: Unknown at 105, tainted at 110, its pod due for eviction at 410. n2 and n3
    // fail at 200: last renewal 190, Unknown at the first pass after 240 (245). Every node of the
    // only zone is then not Ready: master disruption mode at 245 takes n1's NoExecute taint off.
    const nodes = ["n1", "n2", "n3"].map((name) => makeNode(name));
    const result = run(nodes, [], 600, [
      { at: 0, action: "createPod", pod: admitted("on-n1", "n1") },
      { at: 60, action: "failNode", node: "n1" },
      { at: 200, action: "failNode", node: "n2" },
      { at: 200, action: "failNode", node: "n3" },
    ]);
    expect(tainting(result)).toEqual([
      "105 +unreachable:NoSchedule n1",
      "110 +unreachable:NoExecute n1",
      "245 +unreachable:NoSchedule n2",
      "245 +unreachable:NoSchedule n3",
      "245 -unreachable:NoExecute n1",
    ]);
  });
});
