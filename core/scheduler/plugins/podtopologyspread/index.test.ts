/**
 * PodTopologySpread (v1.35): kube's own table rows (filtering_test.go TestPreFilterState,
 * TestSingleConstraint, TestMultipleConstraints; scoring_test.go TestPodTopologySpreadScore),
 * rewritten here with the expected numbers worked by hand beside each row.
 *
 * Conventions as kube's tests: `foo` is the selector `foo Exists`, `bar` is `bar Exists`; the
 * incoming pod and the existing pods are in one namespace unless a row says otherwise; Z4 is
 * node-a, node-b in zone1 and node-x, node-y in zone2, each labelled `node: <its name>`.
 */
import { describe, expect, it } from "vitest";
import type { Node, Taint, Toleration } from "../../../model/node.js";
import type { Pod } from "../../../model/pod.js";
import type { TopologySpreadConstraint } from "../../../model/spread.js";
import type { LabelSelector } from "../../../model/workload.js";
import { makeNode, makePod } from "../../../testing/builders.js";
import { cycleState } from "../../framework/snapshot.js";
import type { NodeInfo, PodInfo, StatusCode } from "../../framework/types.js";
import { HOSTNAME_LABEL, newPodTopologySpread, spreadFilterState, SPREAD_LABEL_REASON, SPREAD_REASON } from "./index.js";

const plugin = newPodTopologySpread();
const exists = (...keys: string[]): LabelSelector => ({ matchLabels: {}, matchExpressions: keys.map((key) => ({ key, operator: "Exists" as const, values: [] })) });
const FOO = exists("foo");
const BAR = exists("bar");
const UNSCHEDULABLE_TAINT: Taint = { key: "node.kubernetes.io/unschedulable", value: "", effect: "NoSchedule" };

type Mode = "DNS" | "SA";
function sc(maxSkew: number, topologyKey: string, mode: Mode, labelSelector: LabelSelector | undefined, extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint {
  return {
    maxSkew,
    topologyKey,
    whenUnsatisfiable: mode === "DNS" ? "DoNotSchedule" : "ScheduleAnyway",
    ...(labelSelector !== undefined ? { labelSelector } : {}),
    matchLabelKeys: [],
    ...extra,
  };
}

function incoming(labels: Record<string, string>, constraints: TopologySpreadConstraint[], extra: Partial<Pod> = {}): Pod {
  return makePod("p", { cpu: "100m" }, { labels, topologySpreadConstraints: constraints, ...extra });
}

/** An existing pod `name` on a node, with labels, in `namespace` (default "default"). */
interface Existing { readonly name: string; readonly node: string; readonly labels: Record<string, string>; readonly namespace?: string; readonly terminating?: boolean }
const on = (node: string, labels: Record<string, string>, ...names: string[]): Existing[] => names.map((name) => ({ name, node, labels }));
const fooOn = (node: string, ...names: string[]): Existing[] => on(node, { foo: "" }, ...names);

function node(name: string, labels: Record<string, string>, taints: Taint[] = []): Node {
  return makeNode(name, undefined, { labels, taints });
}
const Z4 = [
  node("node-a", { zone: "zone1", node: "node-a" }),
  node("node-b", { zone: "zone1", node: "node-b" }),
  node("node-x", { zone: "zone2", node: "node-x" }),
  node("node-y", { zone: "zone2", node: "node-y" }),
];

function infos(nodes: readonly Node[], existing: readonly Existing[]): NodeInfo[] {
  return nodes.map((spec) => {
    const pods: PodInfo[] = existing.filter((pod) => pod.node === spec.name).map((pod) => ({
      pod: makePod(pod.name, {}, { labels: pod.labels, namespace: pod.namespace ?? "default" }),
      terminating: pod.terminating ?? false,
    }));
    return { node: spec, requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, podCount: pods.length, usedPorts: [], pods };
  });
}

const CODES: Record<string, StatusCode> = { S: "Success", U: "Unschedulable", UU: "UnschedulableAndUnresolvable" };

/** PreFilter over all nodes, then Filter on each: `name code` per node. */
function filterAll(pod: Pod, nodes: readonly Node[], existing: readonly Existing[]): string[] {
  const all = infos(nodes, existing);
  const cycle = cycleState(pod, { cpu: 100 }, all);
  expect(plugin.preFilter?.(cycle).code).toBe("Success");
  return all.map((info) => {
    const status = plugin.filter?.(cycle, info);
    const code = Object.entries(CODES).find(([, value]) => value === status?.code)?.[0];
    if (code === "U") expect(status?.reasons).toEqual([SPREAD_REASON]);
    if (code === "UU") expect(status?.reasons).toEqual([SPREAD_LABEL_REASON]);
    return `${info.node.name} ${code}`;
  });
}

const expectCodes = (codes: string): string[] => codes.split(", ").map((item) => {
  const [name, code] = item.split(" ");
  return `node-${name} ${code}`;
});

describe("PreFilter: matching pods per eligible domain (TestPreFilterState)", () => {
  const P2_PODS = [...fooOn("node-a", "a1", "a2"), ...fooOn("node-b", "b1"), ...fooOn("node-y", "y1", "y2")];
  const rows: Array<{ name: string; pod: Pod; nodes: Node[]; existing: Existing[]; counts: Array<Record<string, number>> }> = [
    { name: "P1 clean cluster with one spreadConstraint", pod: incoming({ foo: "" }, [sc(5, "zone", "DNS", { matchLabels: { foo: "bar" }, matchExpressions: [] })]), nodes: Z4, existing: [], counts: [{ zone1: 0, zone2: 0 }] },
    // zone1: a1 a2 b1 = 3; zone2: y1 y2 = 2
    { name: "P2 normal case with one spreadConstraint", pod: incoming({ foo: "" }, [sc(1, "zone", "DNS", FOO)]), nodes: Z4, existing: P2_PODS, counts: [{ zone1: 3, zone2: 2 }] },
    { name: "P3 normal case with null label selector", pod: incoming({ foo: "" }, [sc(1, "zone", "DNS", undefined)]), nodes: Z4, existing: P2_PODS, counts: [{ zone1: 0, zone2: 0 }] },
    {
      name: "P4 3-zone cluster: zone3 has no pods but is a domain",
      pod: incoming({ foo: "" }, [sc(1, "zone", "DNS", FOO)]),
      nodes: [...Z4, node("node-o", { zone: "zone3", node: "node-o" }), node("node-p", { zone: "zone3", node: "node-p" })],
      existing: P2_PODS,
      counts: [{ zone1: 3, zone2: 2, zone3: 0 }],
    },
    {
      // a2 in ns1 and y1 in ns2 are left out: zone1 a1 b1 = 2, zone2 y2 = 1
      name: "P5 namespace mismatch doesn't count",
      pod: incoming({ foo: "" }, [sc(1, "zone", "DNS", FOO)]),
      nodes: Z4,
      existing: [...fooOn("node-a", "a1"), { name: "a2", node: "node-a", labels: { foo: "" }, namespace: "ns1" }, ...fooOn("node-b", "b1"), { name: "y1", node: "node-y", labels: { foo: "" }, namespace: "ns2" }, ...fooOn("node-y", "y2")],
      counts: [{ zone1: 2, zone2: 1 }],
    },
    {
      name: "P6 normal case with two spreadConstraints",
      pod: incoming({ foo: "" }, [sc(1, "zone", "DNS", FOO), sc(1, "node", "DNS", FOO)]),
      nodes: Z4,
      existing: [...fooOn("node-a", "a1", "a2"), ...fooOn("node-b", "b1"), ...fooOn("node-y", "y1", "y2", "y3", "y4")],
      counts: [{ zone1: 3, zone2: 4 }, { "node-a": 2, "node-b": 1, "node-x": 0, "node-y": 4 }],
    },
    {
      // ScheduleAnyway constraints are not PreFilter's
      name: "P7 soft spreadConstraints should be bypassed",
      pod: incoming({ foo: "" }, [sc(1, "zone", "SA", FOO), sc(1, "zone", "DNS", FOO), sc(1, "node", "SA", FOO), sc(1, "node", "DNS", FOO)]),
      nodes: [Z4[0] as Node, Z4[1] as Node, Z4[3] as Node],
      existing: [...fooOn("node-a", "a1", "a2"), ...fooOn("node-b", "b1"), ...fooOn("node-y", "y1", "y2", "y3", "y4")],
      counts: [{ zone1: 3, zone2: 4 }, { "node-a": 2, "node-b": 1, "node-y": 4 }],
    },
    {
      // nodeAffinityPolicy Honor: node-x (NotIn) is not counted and not a domain
      name: "P8 two spreadConstraints, and with podAffinity",
      pod: incoming({ foo: "" }, [sc(1, "zone", "DNS", FOO), sc(1, "node", "DNS", FOO)], { nodeAffinity: { required: [{ matchExpressions: [{ key: "node", operator: "NotIn", values: ["node-x"] }], matchFields: [] }], preferred: [] } }),
      nodes: Z4,
      existing: [...fooOn("node-a", "a1", "a2"), ...fooOn("node-b", "b1"), ...fooOn("node-y", "y1", "y2", "y3", "y4")],
      counts: [{ zone1: 3, zone2: 4 }, { "node-a": 2, "node-b": 1, "node-y": 4 }],
    },
    ...((): Array<{ name: string; pod: Pod; nodes: Node[]; existing: Existing[]; counts: Array<Record<string, number>> }> => {
      const existing = [...on("node-a", { bar: "" }, "p-a"), ...on("node-b", { bar: "" }, "p-b", "p-c"), ...on("node-c", {}, "p-d")];
      const affinityNodes = [node("node-a", { node: "node-a", foo: "" }), node("node-b", { node: "node-b", foo: "" }), node("node-c", { node: "node-c", bar: "" })];
      const taintNodes = [node("node-a", { node: "node-a" }), node("node-b", { node: "node-b" }), node("node-c", { node: "node-c", bar: "" }, [UNSCHEDULABLE_TAINT])];
      const toleration: Toleration = { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" };
      return [
        { name: "P13 NodeAffinityPolicy honored with labelSelectors", pod: incoming({ foo: "" }, [sc(1, "node", "DNS", BAR)], { nodeSelector: { foo: "" } }), nodes: affinityNodes, existing, counts: [{ "node-a": 1, "node-b": 2 }] },
        { name: "P14 NodeAffinityPolicy ignored with labelSelectors", pod: incoming({ foo: "" }, [sc(1, "node", "DNS", BAR, { nodeAffinityPolicy: "Ignore" })], { nodeSelector: { foo: "" } }), nodes: affinityNodes, existing, counts: [{ "node-a": 1, "node-b": 2, "node-c": 0 }] },
        { name: "P15 NodeTaintsPolicy honored", pod: incoming({ foo: "" }, [sc(1, "node", "DNS", BAR, { nodeTaintsPolicy: "Honor" })]), nodes: taintNodes, existing, counts: [{ "node-a": 1, "node-b": 2 }] },
        { name: "P16 NodeTaintsPolicy honored with tolerated taints", pod: incoming({ foo: "" }, [sc(1, "node", "DNS", BAR, { nodeTaintsPolicy: "Honor" })], { tolerations: [toleration] }), nodes: taintNodes, existing, counts: [{ "node-a": 1, "node-b": 2, "node-c": 0 }] },
        { name: "P17 NodeTaintsPolicy ignored", pod: incoming({ foo: "" }, [sc(1, "node", "DNS", BAR)]), nodes: taintNodes, existing, counts: [{ "node-a": 1, "node-b": 2, "node-c": 0 }] },
      ];
    })(),
    {
      // node-a (no foo label) fails the nodeSelector for both; node-b (tainted) is out of the zone constraint only (taints Honor)
      name: "P18 two node inclusion constraints, zone: honor/ignore, node: honor/ignore",
      pod: incoming({ foo: "" }, [sc(1, "zone", "DNS", FOO), sc(1, "node", "DNS", FOO)], { nodeSelector: { foo: "" } }),
      nodes: [node("node-a", { zone: "zone1", node: "node-a" }), node("node-b", { zone: "zone1", node: "node-b", foo: "" }, [UNSCHEDULABLE_TAINT]), node("node-x", { zone: "zone2", node: "node-x", foo: "" }), node("node-y", { zone: "zone2", node: "node-y" })],
      existing: [...fooOn("node-a", "a1", "a2"), ...fooOn("node-x", "x1"), ...fooOn("node-y", "y1")],
      counts: [{ zone1: 0, zone2: 1 }, { "node-b": 0, "node-x": 1 }],
    },
    {
      // matchLabelKeys [bar] adds bar=a: a2 (zone1) and y1 (zone2) match
      name: "P20 matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty",
      pod: incoming({ foo: "", bar: "a" }, [sc(1, "zone", "DNS", FOO, { matchLabelKeys: ["bar"] })]),
      nodes: Z4,
      existing: [...on("node-a", { foo: "" }, "a1"), ...on("node-a", { foo: "", bar: "a" }, "a2"), ...on("node-b", { foo: "" }, "b1"), ...on("node-y", { foo: "", bar: "a" }, "y1"), ...on("node-y", { bar: "" }, "y2")],
      counts: [{ zone1: 1, zone2: 1 }],
    },
    {
      // {} with matchLabelKeys [foo] becomes foo=a: every pod matches
      name: "P21 matchLabelKeys ANDed with LabelSelector when LabelSelector is empty",
      pod: incoming({ foo: "a" }, [sc(1, "zone", "DNS", { matchLabels: {}, matchExpressions: [] }, { matchLabelKeys: ["foo"] })]),
      nodes: Z4,
      existing: [...on("node-a", { foo: "a" }, "a1", "a2"), ...on("node-b", { foo: "a" }, "b1"), ...on("node-y", { foo: "a" }, "y1", "y2")],
      counts: [{ zone1: 3, zone2: 2 }],
    },
    {
      name: "P22 key in matchLabelKeys is ignored when LabelSelector is nil",
      pod: incoming({ foo: "" }, [sc(1, "zone", "DNS", undefined, { matchLabelKeys: ["bar"] })]),
      nodes: Z4,
      existing: [...on("node-a", { foo: "a" }, "a1", "a2"), ...on("node-b", { foo: "a" }, "b1"), ...on("node-y", { foo: "a" }, "y1", "y2")],
      counts: [{ zone1: 0, zone2: 0 }],
    },
    {
      name: "P23 key in matchLabelKeys is ignored when it isn't in pod.labels",
      pod: incoming({ foo: "" }, [sc(1, "zone", "DNS", FOO, { matchLabelKeys: ["bar"] })]),
      nodes: Z4,
      existing: [...on("node-a", { foo: "a" }, "a1", "a2"), ...on("node-b", { foo: "a" }, "b1"), ...on("node-y", { foo: "a" }, "y1", "y2")],
      counts: [{ zone1: 3, zone2: 2 }],
    },
    {
      // foo: a1 b1 (zone1), y1 (zone2); bar: a1 (zone1), x1 y1 y2 (zone2)
      name: "P24 two spreadConstraints with the same topologyKey",
      pod: incoming({ foo: "", bar: "" }, [sc(1, "zone", "DNS", FOO), sc(1, "zone", "DNS", BAR)]),
      nodes: Z4,
      existing: [...on("node-a", { foo: "", bar: "" }, "a1"), ...on("node-b", { foo: "" }, "b1"), ...on("node-x", { bar: "" }, "x1"), ...on("node-y", { foo: "", bar: "" }, "y1"), ...on("node-y", { bar: "" }, "y2")],
      counts: [{ zone1: 2, zone2: 1 }, { zone1: 1, zone2: 3 }],
    },
  ];
  it.each(rows)("$name", ({ pod, nodes, existing, counts }) => {
    const cycle = cycleState(pod, { cpu: 100 }, infos(nodes, existing));
    expect(plugin.preFilter?.(cycle).code).toBe("Success");
    expect(spreadFilterState(cycle)?.counts.map((map) => Object.fromEntries(map))).toEqual(counts);
  });

  it("P25 skip if not specified (and for ScheduleAnyway only)", () => {
    expect(plugin.preFilter?.(cycleState(incoming({ foo: "" }, []), { cpu: 100 }, infos(Z4, []))).code).toBe("Skip");
    expect(plugin.preFilter?.(cycleState(incoming({ foo: "" }, [sc(1, "zone", "SA", FOO)]), { cpu: 100 }, infos(Z4, []))).code).toBe("Skip");
  });

  it("a terminating pod is not counted", () => {
    const cycle = cycleState(incoming({ foo: "" }, [sc(1, "node", "DNS", FOO)]), { cpu: 100 }, infos(Z4, [{ name: "a1", node: "node-a", labels: { foo: "" }, terminating: true }, ...fooOn("node-b", "b1")]));
    plugin.preFilter?.(cycle);
    expect(Object.fromEntries(spreadFilterState(cycle)?.counts[0] ?? [])).toEqual({ "node-a": 0, "node-b": 1, "node-x": 0, "node-y": 0 });
  });
});

describe("Filter: one constraint (TestSingleConstraint)", () => {
  const FOO_POD = incoming({ foo: "" }, [sc(1, "zone", "DNS", FOO)]);
  const TWO_ONE_ZERO_THREE = [...fooOn("node-a", "a1", "a2"), ...fooOn("node-b", "b1"), ...fooOn("node-y", "y1", "y2", "y3")];
  const rows: Array<{ name: string; pod: Pod; nodes: Node[]; existing: Existing[]; expected: string }> = [
    { name: "F1 no existing pods", pod: FOO_POD, nodes: Z4, existing: [], expected: "a S, b S, x S, y S" },
    { name: "F2 no existing pods, incoming pod doesn't match itself", pod: incoming({ foo: "" }, [sc(1, "zone", "DNS", BAR)]), nodes: Z4, existing: [], expected: "a S, b S, x S, y S" },
    {
      // only x1, y1 count: zone1 0, zone2 2; zone2's nodes: 2 + 1 − 0 = 3 > 1
      name: "F3 existing pods in a different namespace do not count",
      pod: FOO_POD,
      nodes: Z4,
      existing: [{ name: "a1", node: "node-a", labels: { foo: "" }, namespace: "ns1" }, { name: "b1", node: "node-a", labels: { foo: "" }, namespace: "ns2" }, ...fooOn("node-x", "x1"), ...fooOn("node-y", "y1")],
      expected: "a S, b S, x U, y U",
    },
    { name: "F4 existing pods do not match null selector", pod: incoming({ foo: "" }, [sc(1, "zone", "DNS", undefined)]), nodes: Z4, existing: [...fooOn("node-x", "x1"), ...fooOn("node-y", "y1")], expected: "a S, b S, x S, y S" },
    // 3/3: 3 + 1 − 3 = 1 ≤ 1 everywhere
    { name: "F5 pods spread across zones as 3/3, all nodes fit", pod: FOO_POD, nodes: Z4, existing: [...fooOn("node-a", "a1", "a2"), ...fooOn("node-b", "b1"), ...fooOn("node-y", "y1", "y2", "y3")], expected: "a S, b S, x S, y S" },
    {
      // node-b lacks "zone": left out of the counts (zone1 1, zone2 2, min 1) and UU; x, y: 2 + 1 − 1 = 2 > 1
      name: "F6 absence of label 'zone' on node-b",
      pod: FOO_POD,
      nodes: [Z4[0] as Node, node("node-b", { zon: "zone1", node: "node-b" }), Z4[2] as Node, Z4[3] as Node],
      existing: [...fooOn("node-a", "a1"), ...fooOn("node-b", "b1"), ...fooOn("node-x", "x1"), ...fooOn("node-y", "y1")],
      expected: "a S, b UU, x U, y U",
    },
    { name: "F7 all nodes don't have label 'rack'", pod: incoming({ foo: "" }, [sc(1, "rack", "DNS", FOO)]), nodes: [Z4[0] as Node, Z4[2] as Node], existing: [], expected: "a UU, x UU" },
    // per node 2/1/0/3, min 0: a 3, b 2, x 1, y 4 against maxSkew 1
    { name: "F8 2/1/0/3, only node-x fits", pod: incoming({ foo: "" }, [sc(1, "node", "DNS", FOO)]), nodes: Z4, existing: TWO_ONE_ZERO_THREE, expected: "a U, b U, x S, y U" },
    // maxSkew 2: a 3 > 2, b 2, x 1, y 4 > 2
    { name: "F9 2/1/0/3, maxSkew 2", pod: incoming({ foo: "" }, [sc(2, "node", "DNS", FOO)]), nodes: Z4, existing: TWO_ONE_ZERO_THREE, expected: "a U, b S, x S, y U" },
    // pod {bar} doesn't match foo: self 0; a 2 > 1, b 1, x 0, y 3 > 1
    { name: "F10 2/1/0/3, but pod doesn't match itself", pod: incoming({ bar: "" }, [sc(1, "node", "DNS", FOO)]), nodes: Z4, existing: TWO_ONE_ZERO_THREE, expected: "a U, b S, x S, y U" },
    {
      // only a and y count (Honor): {node-a 2, node-y 3}, min 2; a 3 − 2 = 1, y 4 − 2 = 2; b and x (not domains) 0 + 1 − 2 ≤ 1
      name: "F11 incoming pod has nodeAffinity, 2/~1~/~0~/3",
      pod: incoming({ foo: "" }, [sc(1, "node", "DNS", FOO)], { nodeAffinity: { required: [{ matchExpressions: [{ key: "node", operator: "In", values: ["node-a", "node-y"] }], matchFields: [] }], preferred: [] } }),
      nodes: Z4,
      existing: TWO_ONE_ZERO_THREE,
      expected: "a S, b S, x S, y U",
    },
    {
      // p-a is terminating: node-a 0, node-b 1, min 0; a 1, b 2 > 1
      name: "F12 terminating Pods should be excluded",
      pod: incoming({ foo: "" }, [sc(1, "node", "DNS", FOO)]),
      nodes: [node("node-a", { node: "node-a" }), node("node-b", { node: "node-b" })],
      existing: [{ name: "p-a", node: "node-a", labels: { foo: "" }, terminating: true }, ...fooOn("node-b", "p-b")],
      expected: "a S, b U",
    },
    {
      // node-b excluded: zone1 0 (node-a), zone2 1 (y1), min 0; zone2's nodes 1 + 1 = 2 > 1
      name: "F13 incoming pod has nodeAffinity, 0/~2~/0/1",
      pod: incoming({ foo: "" }, [sc(1, "zone", "DNS", FOO)], { nodeAffinity: { required: [{ matchExpressions: [{ key: "node", operator: "NotIn", values: ["node-b"] }], matchFields: [] }], preferred: [] } }),
      nodes: Z4,
      existing: [...fooOn("node-b", "b1", "b2"), ...fooOn("node-y", "y1")],
      expected: "a S, b S, x U, y U",
    },
    ...((): Array<{ name: string; pod: Pod; nodes: Node[]; existing: Existing[]; expected: string }> => {
      const abc = ["node-a", "node-b", "node-c"].map((name) => node(name, { node: name }));
      const existing = [...fooOn("node-a", "a1", "a2"), ...fooOn("node-b", "b1", "b2"), ...fooOn("node-c", "c1")];
      return [
        // 3 domains < minDomains 4: min 0; a, b 2 + 1 = 3 > 2; c 2
        { name: "F14 2/2/1, maxSkew 2, domains(3) < minDomains(4)", pod: incoming({ foo: "" }, [sc(2, "node", "DNS", FOO, { minDomains: 4 })]), nodes: abc, existing, expected: "a U, b U, c S" },
        // min 1: a, b 2 + 1 − 1 = 2 ≤ 2
        { name: "F15 2/2/1, maxSkew 2, domains(3) > minDomains(2)", pod: incoming({ foo: "" }, [sc(2, "node", "DNS", FOO, { minDomains: 2 })]), nodes: abc, existing, expected: "a S, b S, c S" },
      ];
    })(),
    // zone1 2, zone2 1; 2 domains < 3: min 0; zone1 3 > 2, zone2 2
    { name: "F16 zone 2/1, maxSkew 2, domains(2) < minDomains(3)", pod: incoming({ foo: "" }, [sc(2, "zone", "DNS", FOO, { minDomains: 3 })]), nodes: Z4, existing: [...fooOn("node-a", "p1"), ...fooOn("node-b", "p2"), ...fooOn("node-y", "p3")], expected: "a U, b U, x S, y S" },
    { name: "F17 zone 2/1, maxSkew 2, minDomains 1", pod: incoming({ foo: "" }, [sc(2, "zone", "DNS", FOO, { minDomains: 1 })]), nodes: Z4, existing: [...fooOn("node-a", "p1"), ...fooOn("node-b", "p2"), ...fooOn("node-y", "p3")], expected: "a S, b S, x S, y S" },
    ...((): Array<{ name: string; pod: Pod; nodes: Node[]; existing: Existing[]; expected: string }> => {
      const withFoo = ["node-a", "node-b", "node-x"].map((name) => node(name, { node: name, foo: "" }));
      const existing = [...fooOn("node-a", "p-a"), ...fooOn("node-b", "p-b"), ...fooOn("node-y", "p-y")];
      const tainted = [...withFoo, node("node-y", { node: "node-y" }, [UNSCHEDULABLE_TAINT])];
      return [
        // node-y fails the nodeSelector: not counted; {a 1, b 1, x 0}: a, b 2 > 1; node-y 0 + 1 − 0 = 1
        { name: "F18 NodeAffinityPolicy honored with labelSelectors", pod: incoming({ foo: "" }, [sc(1, "node", "DNS", FOO)], { nodeSelector: { foo: "" } }), nodes: [...withFoo, node("node-y", { node: "node-y" })], existing, expected: "a U, b U, x S, y S" },
        // node-y counted: y 1 + 1 − 0 = 2 > 1
        { name: "F19 NodeAffinityPolicy ignored with labelSelectors", pod: incoming({ foo: "" }, [sc(1, "node", "DNS", FOO, { nodeAffinityPolicy: "Ignore" })], { nodeSelector: { foo: "" } }), nodes: [...withFoo, node("node-y", { node: "node-y" })], existing, expected: "a U, b U, x S, y U" },
        { name: "F20 NodeTaintsPolicy honored", pod: incoming({ foo: "" }, [sc(1, "node", "DNS", FOO, { nodeTaintsPolicy: "Honor" })]), nodes: tainted, existing, expected: "a U, b U, x S, y S" },
        { name: "F21 NodeTaintsPolicy ignored", pod: incoming({ foo: "" }, [sc(1, "node", "DNS", FOO)]), nodes: tainted, existing, expected: "a U, b U, x S, y U" },
      ];
    })(),
  ];
  it.each(rows)("$name", ({ pod, nodes, existing, expected }) => {
    expect(filterAll(pod, nodes, existing)).toEqual(expectCodes(expected));
  });
});

describe("Filter: several constraints (TestMultipleConstraints)", () => {
  const ZONE_AND_NODE = incoming({ foo: "" }, [sc(1, "zone", "DNS", FOO), sc(1, "node", "DNS", FOO)]);
  const M5_PODS = [...on("node-a", { foo: "", bar: "" }, "a1"), ...on("node-a", { foo: "" }, "a2"), ...on("node-b", { foo: "", bar: "" }, "b1"), ...on("node-y", { foo: "" }, "y1"), ...on("node-y", { foo: "", bar: "" }, "y2"), ...on("node-y", { foo: "" }, "y3")];
  const rows: Array<{ name: string; pod: Pod; nodes: Node[]; existing: Existing[]; expected: string }> = [
    // zones 3/3 (all pass zone), nodes 2/1/0/3: only x passes the node constraint
    { name: "M1 zone+node, spreads [3/3, 2/1/0/3]", pod: ZONE_AND_NODE, nodes: Z4, existing: [...fooOn("node-a", "a1", "a2"), ...fooOn("node-b", "b1"), ...fooOn("node-y", "y1", "y2", "y3")], expected: "a U, b U, x S, y U" },
    // zones 3/4: zone2 4 + 1 − 3 = 2 > 1 (x, y fail); nodes: a 3, b 2 fail
    { name: "M2 zone+node, spreads [3/4, 2/1/0/4]", pod: ZONE_AND_NODE, nodes: Z4, existing: [...fooOn("node-a", "a1", "a2"), ...fooOn("node-b", "b1"), ...fooOn("node-y", "y1", "y2", "y3", "y4")], expected: "a U, b U, x U, y U" },
    // zone by foo: zone1 1, zone2 0 → zone1 fails; node by bar: y 1 → y fails
    { name: "M3 different selectors, [1/0, 1/0/0/1]", pod: incoming({ foo: "", bar: "" }, [sc(1, "zone", "DNS", FOO), sc(1, "node", "DNS", BAR)]), nodes: Z4, existing: [...on("node-a", { foo: "" }, "a1"), ...on("node-y", { bar: "" }, "y1")], expected: "a U, b U, x S, y U" },
    {
      // zone (honor/honor): a (foo), x (foo) counted; y tainted out, b lacks foo → zone1 1, zone2 0: a, b fail
      // node (ignore/ignore): a 1, b 1, x 0, y 1, min 0 → y 2 > 1 fails
      name: "M4 zone honor/honor, node ignore/ignore",
      pod: incoming({ foo: "" }, [sc(1, "zone", "DNS", FOO, { nodeTaintsPolicy: "Honor" }), sc(1, "node", "DNS", FOO, { nodeAffinityPolicy: "Ignore" })], { nodeSelector: { foo: "" } }),
      nodes: [node("node-a", { zone: "zone1", node: "node-a", foo: "" }), node("node-b", { zone: "zone1", node: "node-b" }), node("node-x", { zone: "zone2", node: "node-x", foo: "" }), node("node-y", { zone: "zone2", node: "node-y", foo: "" }, [UNSCHEDULABLE_TAINT])],
      existing: [...fooOn("node-a", "a1"), ...fooOn("node-b", "b1"), ...fooOn("node-y", "y1")],
      expected: "a U, b U, x S, y U",
    },
    // bar: zone1 2, zone2 1 → zone1 fails; foo: 3/3 passes
    { name: "M5 two Constraints on zone, [3/3, 2/1]", pod: incoming({ foo: "", bar: "" }, [sc(1, "zone", "DNS", BAR), sc(1, "zone", "DNS", FOO)]), nodes: Z4, existing: M5_PODS, expected: "a U, b U, x S, y S" },
    // foo now 3/4: zone2 fails foo
    { name: "M6 two Constraints on zone, [3/4, 2/1]", pod: incoming({ foo: "", bar: "" }, [sc(1, "zone", "DNS", BAR), sc(1, "zone", "DNS", FOO)]), nodes: Z4, existing: [...M5_PODS, ...on("node-y", { foo: "" }, "y4")], expected: "a U, b U, x U, y U" },
  ];
  it.each(rows)("$name", ({ pod, nodes, existing, expected }) => {
    expect(filterAll(pod, nodes, existing)).toEqual(expectCodes(expected));
  });
});

describe("Score (TestPodTopologySpreadScore)", () => {
  /** Scores after NormalizeScore of the candidate nodes; `failed` nodes are in the cluster but not candidates. */
  function scores(pod: Pod, candidates: readonly Node[], failed: readonly Node[], existing: readonly Existing[]): Record<string, number> {
    const all = infos([...candidates, ...failed], existing);
    const feasible = all.slice(0, candidates.length);
    const cycle = cycleState(pod, { cpu: 100 }, all);
    expect(plugin.preScore?.(cycle, feasible).code).toBe("Success");
    const raw = feasible.map((info) => plugin.score?.(cycle, info) as number);
    plugin.normalizeScore?.(cycle, feasible, raw);
    return Object.fromEntries(feasible.map((info, index) => [info.node.name, raw[index] as number]));
  }
  const hosts = (...names: string[]): Node[] => names.map((name) => node(name, { [HOSTNAME_LABEL]: name }));
  const many = (nodeName: string, count: number): Existing[] => Array.from({ length: count }, (_, index) => ({ name: `${nodeName}-${index}`, node: nodeName, labels: { foo: "" } }));
  /** A ScheduleAnyway hostname constraint; `null` for kube's nil selector. */
  const H = (maxSkew: number, selector: LabelSelector | null = FOO, extra: Partial<TopologySpreadConstraint> = {}) => sc(maxSkew, HOSTNAME_LABEL, "SA", selector ?? undefined, extra);
  const ABCD_2103 = [...many("node-a", 2), ...many("node-b", 1), ...many("node-d", 3)];
  const rows: Array<{ name: string; pod: Pod; candidates: Node[]; failed?: Node[]; existing: Existing[]; expected: Record<string, number> }> = [
    { name: "S1 one constraint on node, no existing pods", pod: incoming({ foo: "" }, [H(1)]), candidates: hosts("node-a", "node-b"), existing: [], expected: { "node-a": 100, "node-b": 100 } },
    { name: "S2 only one node is candidate", pod: incoming({ foo: "" }, [H(1)]), candidates: hosts("node-a"), failed: hosts("node-b"), existing: [...many("node-a", 2), ...many("node-b", 1)], expected: { "node-a": 100 } },
    { name: "S3 all nodes have the same number of matching pods", pod: incoming({ foo: "" }, [H(1)]), candidates: hosts("node-a", "node-b"), existing: [...many("node-a", 1), ...many("node-b", 1)], expected: { "node-a": 100, "node-b": 100 } },
    // w = ln(4+2) = 1.7918: raw a 3.58→4, b 1.79→2, c 0, d 5.38→5; 100·(5+0−s)/5 → 20, 60, 100, 0
    { name: "S4 all 4 nodes are candidates (2/1/0/3)", pod: incoming({ foo: "" }, [H(1)]), candidates: hosts("node-a", "node-b", "node-c", "node-d"), existing: ABCD_2103, expected: { "node-a": 20, "node-b": 60, "node-c": 100, "node-d": 0 } },
    { name: "S5 null selector", pod: incoming({ foo: "" }, [H(1, null)]), candidates: hosts("node-a", "node-b", "node-c", "node-d"), existing: ABCD_2103, expected: { "node-a": 100, "node-b": 100, "node-c": 100, "node-d": 100 } },
    // + (maxSkew − 1) = 1: a 5, b 3, c 1, d 6; 100·(7−s)/6 → 33, 66, 100, 16
    { name: "S6 maxSkew=2 (2/1/0/3)", pod: incoming({ foo: "" }, [H(2)]), candidates: hosts("node-a", "node-b", "node-c", "node-d"), existing: ABCD_2103, expected: { "node-a": 33, "node-b": 66, "node-c": 100, "node-d": 16 } },
    // +2: a 4w+2 = 9.17→9, b 7.38→7, c 5.58→6, d 3.79→4; 100·(13−s)/9 → 44, 66, 77, 100
    { name: "S7 maxSkew=3 (4/3/2/1)", pod: incoming({ foo: "" }, [H(3)]), candidates: hosts("node-a", "node-b", "node-c", "node-d"), existing: [...many("node-a", 4), ...many("node-b", 3), ...many("node-c", 2), ...many("node-d", 1)], expected: { "node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100 } },
    // 3 candidates: w = ln5 = 1.609: a 6.44→6, b 3.22→3, x 1.61→2; 100·(8−s)/6 → 33, 83, 100
    { name: "S9 3 of 4 candidates (4/2/1/~3~)", pod: incoming({ foo: "" }, [H(1)]), candidates: hosts("node-a", "node-b", "node-x"), failed: hosts("node-y"), existing: [...many("node-a", 4), ...many("node-b", 2), ...many("node-x", 1), ...many("node-y", 3)], expected: { "node-a": 33, "node-b": 83, "node-x": 100 } },
    {
      // node-b lacks the hostname key: ignored (0); size 3 − 1 = 2, w = ln4 = 1.386: a 5.55→6, x 1.39→1; 100·(7−s)/6 → 16, 100
      name: "S10 one node doesn't match topology key (4/?2?/1/~3~)",
      pod: incoming({ foo: "" }, [H(1)]),
      candidates: [...hosts("node-a"), node("node-b", { n: "node-b" }), ...hosts("node-x")],
      failed: hosts("node-y"),
      existing: [...many("node-a", 4), ...many("node-b", 2), ...many("node-x", 1), ...many("node-y", 3)],
      expected: { "node-a": 16, "node-b": 0, "node-x": 100 },
    },
    {
      // zones counted over all nodes (y included): zone1 6, zone2 4; w = ln4: a, b 8.32→8, x 5.55→6; 100·(14−s)/8 → 75, 75, 100
      name: "S11 one constraint on zone, 3 of 4 candidates",
      pod: incoming({ foo: "" }, [sc(1, "zone", "SA", FOO)]),
      candidates: [node("node-a", { zone: "zone1", [HOSTNAME_LABEL]: "node-a" }), node("node-b", { zone: "zone1", [HOSTNAME_LABEL]: "node-b" }), node("node-x", { zone: "zone2", [HOSTNAME_LABEL]: "node-x" })],
      failed: [node("node-y", { zone: "zone2", [HOSTNAME_LABEL]: "node-y" })],
      existing: [...many("node-a", 4), ...many("node-b", 2), ...many("node-x", 1), ...many("node-y", 3)],
      expected: { "node-a": 75, "node-b": 75, "node-x": 100 },
    },
    {
      // zone: zone1 3, zone2 6 (w ln4); hostname: 2 candidates (w ln4), a 2, x 2
      // a: 3w + 2w = 6.93→7; x: 6w + 2w = 11.09→11; 100·(18−s)/11 → 100, 63
      name: "S12 zone+node, 2 of 4 candidates (2/~1~/2/~4~)",
      pod: incoming({ foo: "" }, [sc(1, "zone", "SA", FOO), H(1)]),
      candidates: [node("node-a", { zone: "zone1", [HOSTNAME_LABEL]: "node-a" }), node("node-x", { zone: "zone2", [HOSTNAME_LABEL]: "node-x" })],
      failed: [node("node-b", { zone: "zone1", [HOSTNAME_LABEL]: "node-b" }), node("node-y", { zone: "zone2", [HOSTNAME_LABEL]: "node-y" })],
      existing: [...many("node-a", 2), ...many("node-b", 1), ...many("node-x", 2), ...many("node-y", 4)],
      expected: { "node-a": 100, "node-x": 63 },
    },
    {
      // foo: zone1 3, zone2 3; bar: zone1 2, zone2 1; w ln4 each: a (3+2)w = 6.93→7, x (3+1)w = 5.55→6; 100·(13−s)/7 → 85, 100
      name: "S13 two Constraints on zone, 2 of 4 candidates",
      pod: incoming({ foo: "", bar: "" }, [sc(1, "zone", "SA", FOO), sc(1, "zone", "SA", BAR)]),
      candidates: [node("node-a", { zone: "zone1" }), node("node-x", { zone: "zone2" })],
      failed: [node("node-b", { zone: "zone1" }), node("node-y", { zone: "zone2" })],
      existing: [...on("node-a", { foo: "", bar: "" }, "a1"), ...on("node-a", { foo: "" }, "a2"), ...on("node-b", { foo: "", bar: "" }, "b1"), ...on("node-y", { foo: "" }, "y1"), ...on("node-y", { foo: "", bar: "" }, "y2"), ...on("node-y", { foo: "" }, "y3")],
      expected: { "node-a": 85, "node-x": 100 },
    },
    ...((): Array<{ name: string; pod: Pod; candidates: Node[]; failed?: Node[]; existing: Existing[]; expected: Record<string, number> }> => {
      const zoned = (name: string, zone: string) => node(name, { zone, [HOSTNAME_LABEL]: name });
      const [a, b, x, y] = [zoned("node-a", "zone1"), zoned("node-b", "zone1"), zoned("node-x", "zone2"), zoned("node-y", "zone2")] as [Node, Node, Node, Node];
      const pod = incoming({ foo: "", bar: "" }, [sc(1, "zone", "SA", FOO), H(1, BAR)]);
      const s14 = [...on("node-a", { foo: "" }, "a1"), ...on("node-b", { foo: "", bar: "" }, "b1"), ...on("node-y", { foo: "" }, "y1"), ...on("node-y", { bar: "" }, "y2")];
      return [
        // zone foo: zone1 2, zone2 1 (w ln4 = 1.386); host bar (w ln6 = 1.792): b 1, y 1
        // a 2.77→3, b 2.77+1.79 = 4.56→5, x 1.39→1, y 1.39+1.79 = 3.18→3; 100·(6−s)/5 → 60, 20, 100, 60
        { name: "S14 zone+node with different selectors", pod, candidates: [a, b, x, y], existing: s14, expected: { "node-a": 60, "node-b": 20, "node-x": 100, "node-y": 60 } },
        // zone foo: zone1 0, zone2 2; bar: b 1, y 1: a 0, b 1.79→2, x 2.77→3, y 2.77+1.79 = 4.56→5; 100·(5−s)/5 → 100, 60, 40, 0
        { name: "S15 ... some nodes have 0 pods", pod, candidates: [a, b, x, y], existing: [...on("node-b", { bar: "" }, "b1"), ...on("node-x", { foo: "" }, "x1"), ...on("node-y", { foo: "", bar: "" }, "y1")], expected: { "node-a": 100, "node-b": 60, "node-x": 40, "node-y": 0 } },
        // 3 candidates: zone w ln4, host w ln5 = 1.609: a 2.77→3, b 2.77+1.61 = 4.38→4, x 1.39→1; 100·(5−s)/4 → 50, 25, 100
        { name: "S16 ... 3 of 4 candidates", pod, candidates: [a, b, x], failed: [y], existing: s14, expected: { "node-a": 50, "node-b": 25, "node-x": 100 } },
      ];
    })(),
    // a1 in ns1 is left out: a 1, b 2 (w ln4): 1.39→1, 2.77→3; 100·(4−s)/3 → 100, 33
    { name: "S17 existing pods in a different namespace do not count", pod: incoming({ foo: "" }, [H(1)]), candidates: hosts("node-a", "node-b"), existing: [{ name: "a1", node: "node-a", labels: { foo: "" }, namespace: "ns1" }, ...many("node-a", 1), ...many("node-b", 2)], expected: { "node-a": 100, "node-b": 33 } },
    // p-a terminating: a 0, b 1 → 0, 1.39→1; 100·(1−s)/1 → 100, 0
    { name: "S18 terminating Pods should be excluded", pod: incoming({ foo: "" }, [H(1)]), candidates: hosts("node-a", "node-b"), existing: [{ name: "p-a", node: "node-a", labels: { foo: "" }, terminating: true }, ...many("node-b", 1)], expected: { "node-a": 100, "node-b": 0 } },
    ...((): Array<{ name: string; pod: Pod; candidates: Node[]; failed?: Node[]; existing: Existing[]; expected: Record<string, number> }> => {
      const abc = ["node-a", "node-b", "node-c"].map((name) => node(name, { node: name }));
      const withFoo = [node("node-a", { node: "node-a", foo: "" }), node("node-b", { node: "node-b", foo: "" }), node("node-c", { node: "node-c" })];
      const tainted = [node("node-a", { node: "node-a" }), node("node-b", { node: "node-b" }), node("node-c", { node: "node-c" }, [UNSCHEDULABLE_TAINT])];
      const existing = [...many("node-a", 2), ...many("node-b", 1), ...many("node-c", 1)];
      return [
        // minDomains plays no part in scoring: key "node" (not hostname) has 3 domains, w ln5: a, b 2w+1 = 4.22→4, c w+1 = 2.61→3; 100·(7−s)/4 → 75, 75, 100
        { name: "S19 minDomains has no effect when ScheduleAnyway", pod: incoming({ foo: "" }, [sc(2, "node", "SA", FOO, { minDomains: 10 })]), candidates: abc, existing: [...many("node-a", 2), ...many("node-b", 2), ...many("node-c", 1)], expected: { "node-a": 75, "node-b": 75, "node-c": 100 } },
        // node-c's pod not counted (fails the nodeSelector): a 2w = 3.22→3, b 1.61→2, c 0; 100·(3−s)/3 → 0, 33, 100
        { name: "S20 NodeAffinityPolicy honored", pod: incoming({ foo: "" }, [sc(1, "node", "SA", FOO)], { nodeSelector: { foo: "" } }), candidates: withFoo, existing, expected: { "node-a": 0, "node-b": 33, "node-c": 100 } },
        // all counted: a 3, b 2, c 2; 100·(5−s)/3 → 66, 100, 100
        { name: "S21 NodeAffinityPolicy ignored", pod: incoming({ foo: "" }, [sc(1, "node", "SA", FOO, { nodeAffinityPolicy: "Ignore" })], { nodeSelector: { foo: "" } }), candidates: withFoo, existing, expected: { "node-a": 66, "node-b": 100, "node-c": 100 } },
        { name: "S22 NodeTaintsPolicy honored", pod: incoming({ foo: "" }, [sc(1, "node", "SA", FOO, { nodeTaintsPolicy: "Honor" })]), candidates: tainted, existing, expected: { "node-a": 0, "node-b": 33, "node-c": 100 } },
        { name: "S23 NodeTaintsPolicy ignored", pod: incoming({ foo: "" }, [sc(1, "node", "SA", FOO)]), candidates: tainted, existing, expected: { "node-a": 66, "node-b": 100, "node-c": 100 } },
      ];
    })(),
    ...((): Array<{ name: string; pod: Pod; candidates: Node[]; failed?: Node[]; existing: Existing[]; expected: Record<string, number> }> => {
      const zoned = (name: string, zone: string) => node(name, { zone, [HOSTNAME_LABEL]: name });
      const nodes = [zoned("node-a", "zone1"), zoned("node-b", "zone1"), zoned("node-c", "zone2"), zoned("node-d", "zone2")];
      const existing = [...on("node-a", { foo: "" }, "a1"), ...on("node-b", { foo: "", bar: "" }, "b1"), ...on("node-c", { foo: "" }, "y1"), ...on("node-c", { bar: "" }, "y2")];
      const empty: LabelSelector = { matchLabels: {}, matchExpressions: [] };
      return [
        // {} + matchLabelKeys [foo] → foo="" (zone: zone1 2, zone2 1); {} + [bar] → bar="" on hosts (b 1, c 1)
        // a 2.77→3, b 2.77+1.79 = 4.56→5, c 1.39+1.79 = 3.18→3, d 1.39→1; 100·(6−s)/5 → 60, 20, 60, 100
        { name: "S25 matchLabelKeys ANDed, LabelSelector empty", pod: incoming({ foo: "", bar: "" }, [sc(1, "zone", "SA", empty, { matchLabelKeys: ["foo"] }), H(1, empty, { matchLabelKeys: ["bar"] })]), candidates: nodes, existing, expected: { "node-a": 60, "node-b": 20, "node-c": 60, "node-d": 100 } },
      ];
    })(),
  ];
  it.each(rows)("$name", ({ pod, candidates, failed, existing, expected }) => {
    expect(scores(pod, candidates, failed ?? [], existing)).toEqual(expected);
  });

  it("PreScore skips a pod without ScheduleAnyway constraints (the default constraints are not applied yet)", () => {
    const all = infos(Z4, []);
    expect(plugin.preScore?.(cycleState(incoming({ foo: "" }, []), { cpu: 100 }, all), all).code).toBe("Skip");
    expect(plugin.preScore?.(cycleState(incoming({ foo: "" }, [sc(1, "zone", "DNS", FOO)]), { cpu: 100 }, all), all).code).toBe("Skip");
  });

  it("`labelSelector: {}` matches the incoming pod but counts no pod (kube 1.35's countPodsMatchSelector)", () => {
    const empty: LabelSelector = { matchLabels: {}, matchExpressions: [] };
    // Filter: counts all 0, self 1: skew 1 ≤ 1 everywhere, even with pods piled on node-a
    expect(filterAll(incoming({ foo: "" }, [sc(1, "node", "DNS", empty)]), Z4, [...fooOn("node-a", "a1", "a2", "a3")])).toEqual(expectCodes("a S, b S, x S, y S"));
  });
});
