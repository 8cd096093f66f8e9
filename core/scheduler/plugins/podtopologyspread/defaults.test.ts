/**
 * PodTopologySpread's default constraints (v1.35): helper.DefaultSelector's rules, and kube's own
 * rows for them (scoring_test.go TestPodTopologySpreadScore "system defaulting, nodes don't have
 * zone, pods match service"; TestPreScoreStateEmptyNodes "system default constraints and a
 * replicaset"), rewritten with the numbers worked by hand.
 */
import { describe, expect, it } from "vitest";
import type { Node } from "../../../model/node.js";
import type { Pod } from "../../../model/pod.js";
import type { Service } from "../../../model/policy.js";
import type { OwnerReference, Workload } from "../../../model/workload.js";
import { makeNode, makePod, makeWorkload } from "../../../testing/builders.js";
import { cycleState } from "../../framework/snapshot.js";
import type { NodeInfo, PodInfo } from "../../framework/types.js";
import { constraintsOf, defaultSelector, DEFAULT_SPREAD_ARGS, SYSTEM_DEFAULT_CONSTRAINTS, type SpreadOwners } from "./defaults.js";
import { HOSTNAME_LABEL, newPodTopologySpread } from "./index.js";

const service = (name: string, selector: Record<string, string> | undefined, namespace = "default"): Service => ({
  kind: "Service", namespace, name, labels: {}, ...(selector !== undefined ? { selector } : {}), type: "ClusterIP", ports: [], publishNotReadyAddresses: false, manifest: {},
});
const owners = (services: Service[], workloads: Workload[] = []): SpreadOwners => ({
  services: (namespace) => services.filter((item) => item.namespace === namespace),
  workload: (kind, namespace, name) => workloads.find((item) => item.kind === kind && item.namespace === namespace && item.name === name),
});
const owned = (apiVersion: string, kind: string, name: string, controller = true): OwnerReference[] => [{ apiVersion, kind, name, controller }];
const podWith = (labels: Record<string, string>, ownerReferences?: OwnerReference[]): Pod => makePod("p", { cpu: "100m" }, { labels, ...(ownerReferences ? { ownerReferences } : {}) });

describe("DefaultSelector (helper/spread.go)", () => {
  const rs = makeWorkload("ReplicaSet", "web", 1, undefined, { selector: { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "Exists" }] }, template: { metadata: { labels: { app: "web", tier: "front" } }, spec: { containers: [{ name: "app", image: "app:1" }] } } });
  const rc = makeWorkload("ReplicationController", "old", 1);
  const rows: Array<{ name: string; pod: Pod; owners: SpreadOwners; selector: unknown }> = [
    { name: "no Service, no controller: empty (no default constraint)", pod: podWith({ app: "web" }), owners: owners([]), selector: undefined },
    { name: "a Service selecting the pod: its selector", pod: podWith({ app: "web", tier: "front" }), owners: owners([service("web", { app: "web" })]), selector: { matchLabels: { app: "web" }, matchExpressions: [] } },
    { name: "a Service that does not select the pod is left out", pod: podWith({ app: "web" }), owners: owners([service("db", { app: "db" })]), selector: undefined },
    { name: "a Service in another namespace is left out", pod: podWith({ app: "web" }), owners: owners([service("web", { app: "web" }, "other")]), selector: undefined },
    { name: "a Service without a selector is left out", pod: podWith({ app: "web" }), owners: owners([service("manual", undefined)]), selector: undefined },
    {
      name: "two Services: their selectors merged",
      pod: podWith({ app: "web", tier: "front" }),
      owners: owners([service("b", { tier: "front" }), service("a", { app: "web" })]),
      selector: { matchLabels: { app: "web", tier: "front" }, matchExpressions: [] },
    },
    {
      name: "an apps/v1 ReplicaSet controller: its selector's requirements ANDed",
      pod: podWith({ app: "web", tier: "front" }, owned("apps/v1", "ReplicaSet", "web")),
      owners: owners([], [rs]),
      selector: { matchLabels: {}, matchExpressions: [{ key: "app", operator: "In", values: ["web"] }, { key: "tier", operator: "Exists", values: [] }] },
    },
    { name: "a ReplicaSet that does not exist: nothing from it", pod: podWith({ app: "web" }, owned("apps/v1", "ReplicaSet", "gone")), owners: owners([], [rs]), selector: undefined },
    { name: "an owner that is not the controller: nothing from it", pod: podWith({ app: "web" }, owned("apps/v1", "ReplicaSet", "web", false)), owners: owners([], [rs]), selector: undefined },
    { name: "a Deployment is not one of the kinds read", pod: podWith({ app: "web" }, owned("apps/v1", "Deployment", "web")), owners: owners([], [rs]), selector: undefined },
    { name: "a ReplicaSet under another API version is not read", pod: podWith({ app: "web" }, owned("extensions/v1beta1", "ReplicaSet", "web")), owners: owners([], [rs]), selector: undefined },
    {
      name: "a v1 ReplicationController: its selector merged into the Services'",
      pod: podWith({ app: "old", zone: "a" }, owned("v1", "ReplicationController", "old")),
      owners: owners([service("old", { zone: "a" })], [rc]),
      selector: { matchLabels: { zone: "a", app: "old" }, matchExpressions: [] },
    },
  ];
  it.each(rows)("$name", ({ pod, owners: lookup, selector }) => {
    expect(defaultSelector(pod, lookup)).toEqual(selector);
  });

  it("System defaults: hostname maxSkew 3 and zone maxSkew 5, ScheduleAnyway only", () => {
    const pod = podWith({ app: "web" });
    const selector = { matchLabels: { app: "web" }, matchExpressions: [] };
    expect(constraintsOf(pod, "DoNotSchedule", DEFAULT_SPREAD_ARGS, () => selector).constraints).toEqual([]);
    const soft = constraintsOf(pod, "ScheduleAnyway", DEFAULT_SPREAD_ARGS, () => selector);
    expect(soft.requireAllTopologies).toBe(false);
    expect(soft.constraints.map((item) => [item.topologyKey, item.maxSkew, item.labelSelector])).toEqual([[HOSTNAME_LABEL, 3, selector], ["topology.kubernetes.io/zone", 5, selector]]);
    expect(SYSTEM_DEFAULT_CONSTRAINTS.every((item) => item.whenUnsatisfiable === "ScheduleAnyway")).toBe(true);
  });

  it("a pod with constraints of its own never gets the defaults", () => {
    const pod = makePod("p", {}, { labels: { app: "web" }, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" }, matchExpressions: [] }, matchLabelKeys: [] }] });
    expect(constraintsOf(pod, "ScheduleAnyway", DEFAULT_SPREAD_ARGS, () => ({ matchLabels: { app: "web" }, matchExpressions: [] })).constraints).toEqual([]);
  });
});

describe("scoring with the System defaults", () => {
  const plugin = newPodTopologySpread();
  function infos(nodes: Node[], counts: Record<string, number>): NodeInfo[] {
    return nodes.map((node) => {
      const pods: PodInfo[] = Array.from({ length: counts[node.name] ?? 0 }, (_, index) => ({ pod: makePod(`${node.name}-${index}`, {}, { labels: { foo: "" } }), terminating: false }));
      return { node, requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, podCount: pods.length, usedPorts: [], pods };
    });
  }

  it("S8 system defaulting, nodes don't have zone, pods match service: 44, 66, 77, 100", () => {
    // Service selector {foo: ""} selects the pod: DefaultSelector foo="". No node has a zone, so
    // the zone constraint scores nothing; hostname (maxSkew 3) over 4 feasible nodes, w = ln 6:
    // raw a 4w + 2 = 9.17 → 9, b 7.38 → 7, c 5.58 → 6, d 3.79 → 4; 100·(13 − s)/9 → 44, 66, 77, 100.
    const nodes = ["node-a", "node-b", "node-c", "node-d"].map((name) => makeNode(name, undefined, { labels: { [HOSTNAME_LABEL]: name } }));
    const all = infos(nodes, { "node-a": 4, "node-b": 3, "node-c": 2, "node-d": 1 });
    const pod = makePod("p", { cpu: "100m" }, { labels: { foo: "" } });
    const cycle = cycleState(pod, { cpu: 100 }, all, owners([service("svc", { foo: "" })]));
    expect(plugin.preScore?.(cycle, all).code).toBe("Success");
    const scores = all.map((info) => plugin.score?.(cycle, info) as number);
    plugin.normalizeScore?.(cycle, all, scores);
    expect(scores).toEqual([44, 66, 77, 100]);
  });

  it("no Service or controller selects the pod: PreScore skips (TestPreScoreSkip)", () => {
    const nodes = [makeNode("node-a", undefined, { labels: { [HOSTNAME_LABEL]: "node-a" } })];
    const all = infos(nodes, {});
    expect(plugin.preScore?.(cycleState(makePod("p", {}, { labels: { foo: "" } }), { cpu: 100 }, all, owners([])), all).code).toBe("Skip");
  });

  it("nodes without the zone are not ignored: they count under the empty zone and score no zone term", () => {
    // "system default constraints and a replicaset": nodes a, b in zone mars, c, d unzoned; the
    // zone constraint has domains {mars, ""}: w = ln(2 + 2). With foo pods a 1, c 2 and the
    // hostname weight ln(4 + 2): a = 1·ln6 + 2 + (1·ln4 + 4) = 1.79 + 2 + 1.39 + 4 = 9.18 → 9;
    // b = 0 + 2 + (1·ln4 + 4) = 7.39 → 7; c = 2·ln6 + 2 = 5.58 → 6 (no zone term); d = 2.
    // max 9, min 2: 100·(11 − s)/9 → a 22, b 44, c 55, d 100.
    const zoned = (name: string) => makeNode(name, undefined, { labels: { [HOSTNAME_LABEL]: name, "topology.kubernetes.io/zone": "mars" } });
    const plain = (name: string) => makeNode(name, undefined, { labels: { [HOSTNAME_LABEL]: name } });
    const all = infos([zoned("node-a"), zoned("node-b"), plain("node-c"), plain("node-d")], { "node-a": 1, "node-c": 2 });
    const rs = makeWorkload("ReplicaSet", "rs1", 1, undefined, { selector: { matchExpressions: [{ key: "foo", operator: "Exists" }] }, template: { metadata: { labels: { foo: "tar" } }, spec: { containers: [{ name: "app", image: "app:1" }] } } });
    const pod = makePod("p", { cpu: "100m" }, { labels: { foo: "tar", baz: "sup" }, ownerReferences: owned("apps/v1", "ReplicaSet", "rs1") });
    const cycle = cycleState(pod, { cpu: 100 }, all, owners([], [rs]));
    expect(plugin.preScore?.(cycle, all).code).toBe("Success");
    const scores = all.map((info) => plugin.score?.(cycle, info) as number);
    expect(scores).toEqual([9, 7, 6, 2]);
    plugin.normalizeScore?.(cycle, all, scores);
    expect(scores).toEqual([22, 44, 55, 100]);
  });
});

describe("List defaulting: the configuration's defaultConstraints", () => {
  it("a DoNotSchedule default filters a pod without constraints of its own, with its DefaultSelector", () => {
    // hostname maxSkew 1 over the pods of Service web: node-a 2, node-b 0 → min 0; node-a 2 + 1 > 1.
    const plugin = newPodTopologySpread({ defaultingType: "List", defaultConstraints: [{ maxSkew: 1, topologyKey: HOSTNAME_LABEL, whenUnsatisfiable: "DoNotSchedule", matchLabelKeys: [] }] });
    const nodes = ["node-a", "node-b"].map((name) => makeNode(name, undefined, { labels: { [HOSTNAME_LABEL]: name } }));
    const web = (name: string): PodInfo => ({ pod: makePod(name, {}, { labels: { app: "web" } }), terminating: false });
    const all: NodeInfo[] = nodes.map((node) => {
      const pods = node.name === "node-a" ? [web("w1"), web("w2")] : [];
      return { node, requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, podCount: pods.length, usedPorts: [], pods };
    });
    const pod = makePod("p", { cpu: "100m" }, { labels: { app: "web" } });
    const cycle = cycleState(pod, { cpu: 100 }, all, owners([service("web", { app: "web" })]));
    expect(plugin.preFilter?.(cycle).code).toBe("Success");
    expect(all.map((info) => plugin.filter?.(cycle, info).code)).toEqual(["Unschedulable", "Success"]);
    // Without a Service or controller there is no selector, so no constraint.
    expect(plugin.preFilter?.(cycleState(pod, { cpu: 100 }, all, owners([]))).code).toBe("Skip");
  });
});
