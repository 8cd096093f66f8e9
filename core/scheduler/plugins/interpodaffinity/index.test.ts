/**
 * InterPodAffinity (v1.35): kube's own table rows (filtering_test.go TestRequiredAffinitySingleNode,
 * TestRequiredAffinityMultipleNodes, TestGetTPMapMatchingIncomingAffinityAntiAffinity;
 * scoring_test.go TestPreferredAffinity, TestPreferredAffinityWithHardPodAffinitySymmetricWeight),
 * rewritten with the expected numbers worked by hand beside each row.
 *
 * Conventions as kube's tests: kube's namespace "" is "default" here; `Aff(sel, key)` is one
 * required podAffinity term, `Anti(sel, key)` one required podAntiAffinity term. The Namespace
 * objects are kube's test informers': subteam1.team1 and subteam2.team1 labelled team=team1,
 * subteam1.team2 and subteam2.team2 labelled team=team2.
 */
import { describe, expect, it } from "vitest";
import type { Node } from "../../../model/node.js";
import type { Pod } from "../../../model/pod.js";
import type { PodAffinityRules, PodAffinityTerm } from "../../../model/affinity.js";
import type { LabelSelector, SelectorRequirement } from "../../../model/workload.js";
import { makeNode, makePod } from "../../../testing/builders.js";
import { cycleStateWith } from "../../framework/snapshot.js";
import type { NodeInfo, PodInfo, StatusCode } from "../../framework/types.js";
import { AFFINITY_REASON, ANTI_AFFINITY_REASON, EXISTING_ANTI_AFFINITY_REASON, affinityFilterState, newInterPodAffinity, normalizeAffinityScores, type InterPodAffinityArgs } from "./index.js";

const NAMESPACES = new Map<string, Record<string, string>>([
  ["subteam1.team1", { team: "team1" }],
  ["subteam2.team1", { team: "team1" }],
  ["subteam1.team2", { team: "team2" }],
  ["subteam2.team2", { team: "team2" }],
]);

const req = (key: string, operator: SelectorRequirement["operator"], values: string[] = []): SelectorRequirement => ({ key, operator, values });
const sel = (...requirements: SelectorRequirement[]): LabelSelector => ({ matchLabels: {}, matchExpressions: requirements });
const In = (key: string, ...values: string[]) => req(key, "In", values);
const NotIn = (key: string, ...values: string[]) => req(key, "NotIn", values);
const Exists = (key: string) => req(key, "Exists");
const DoesNotExist = (key: string) => req(key, "DoesNotExist");

function term(selector: LabelSelector | undefined, topologyKey: string, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm {
  return { ...(selector !== undefined ? { labelSelector: selector } : {}), namespaces: [], topologyKey, matchLabelKeys: [], mismatchLabelKeys: [], ...extra };
}
const rules = (required: PodAffinityTerm[], preferred: [number, PodAffinityTerm][] = []): PodAffinityRules => ({ required, preferred: preferred.map(([weight, podAffinityTerm]) => ({ weight, podAffinityTerm })) });

interface Spec { readonly labels?: Record<string, string>; readonly namespace?: string; readonly affinity?: PodAffinityRules; readonly anti?: PodAffinityRules }
function pod(name: string, spec: Spec = {}): Pod {
  return makePod(name, { cpu: "100m" }, {
    labels: spec.labels ?? {},
    namespace: spec.namespace ?? "default",
    ...(spec.affinity !== undefined ? { podAffinity: spec.affinity } : {}),
    ...(spec.anti !== undefined ? { podAntiAffinity: spec.anti } : {}),
  });
}

const node = (name: string, labels: Record<string, string>): Node => makeNode(name, undefined, { labels });
function infos(nodes: readonly Node[], existing: ReadonlyArray<readonly [string, Pod]>): NodeInfo[] {
  return nodes.map((spec) => {
    const pods: PodInfo[] = existing.filter(([on]) => on === spec.name).map(([, placed]) => ({ pod: placed, terminating: false }));
    return { node: spec, requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, podCount: pods.length, usedPorts: [], pods };
  });
}
const cycleFor = (incoming: Pod, all: readonly NodeInfo[]) => cycleStateWith(incoming, { cpu: 100 }, all.length, new Map(), () => all, undefined, () => NAMESPACES);

const VERDICTS: Readonly<Record<string, [StatusCode, string | undefined]>> = {
  ok: ["Success", undefined],
  "UU-aff": ["UnschedulableAndUnresolvable", AFFINITY_REASON],
  "U-anti": ["Unschedulable", ANTI_AFFINITY_REASON],
  "U-exist": ["Unschedulable", EXISTING_ANTI_AFFINITY_REASON],
};

/** PreFilter over the nodes, then Filter on each: kube's verdict name per node, or ["Skip"]. */
function filterAll(incoming: Pod, nodes: readonly Node[], existing: ReadonlyArray<readonly [string, Pod]>): string[] {
  const plugin = newInterPodAffinity({ hardPodAffinityWeight: 0, ignorePreferredTermsOfExistingPods: false });
  const all = infos(nodes, existing);
  const cycle = cycleFor(incoming, all);
  const pre = plugin.preFilter?.(cycle);
  if (pre?.code === "Skip") return ["Skip"];
  expect(pre?.code).toBe("Success");
  return all.map((info) => {
    const status = plugin.filter?.(cycle, info);
    const name = Object.entries(VERDICTS).find(([, [code, reason]]) => code === status?.code && (reason === undefined ? status?.reasons.length === 0 : status?.reasons[0] === reason))?.[0];
    return name ?? `${status?.code} ${status?.reasons.join(",")}`;
  });
}

describe("Filter, one node (TestRequiredAffinitySingleNode)", () => {
  // node1 {region: r1, zone: z11}; P0 is {service: securityscan} on node1 unless a row says otherwise.
  const node1 = [node("node1", { region: "r1", zone: "z11" })];
  const P0 = pod("p0", { labels: { service: "securityscan" } });
  const S1 = { security: "S1" };
  const serviceIn = sel(In("service", "securityscan", "value2"));
  const rows: Array<{ id: string; incoming: Pod; existing: Array<[string, Pod]>; expected: string }> = [
    { id: "F1 no affinity, no pods: nothing to check", incoming: pod("p"), existing: [], expected: "Skip" },
    { id: "F2 affinity matches P0 in region r1", incoming: pod("p", { labels: S1, affinity: rules([term(serviceIn, "region")]) }), existing: [["node1", P0]], expected: "ok" },
    { id: "F3 NotIn matches P0 (its value is not listed)", incoming: pod("p", { labels: S1, affinity: rules([term(sel(NotIn("service", "securityscan3", "value3")), "region")]) }), existing: [["node1", P0]], expected: "ok" },
    {
      id: "F4 the term's namespace lists only DiffNameSpace; the pod in ns is not counted, and the node lacks the key \"\"",
      incoming: pod("p", { labels: S1, affinity: rules([term(serviceIn, "", { namespaces: ["DiffNameSpace"] })]) }),
      existing: [["node1", pod("p0", { labels: { service: "securityscan" }, namespace: "ns" })]],
      expected: "UU-aff",
    },
    { id: "F5 no pod matches (antivirusscan), key \"\" missing", incoming: pod("p", { labels: { service: "securityscan" }, affinity: rules([term(sel(In("service", "antivirusscan", "value2")), "")]) }), existing: [["node1", P0]], expected: "UU-aff" },
    {
      id: "F6 two terms: P0 matches the first, not the second (securityscan2): no pod matches all",
      incoming: pod("p", { labels: S1, affinity: rules([term(sel(Exists("service"), DoesNotExist("wrongkey")), "region"), term(sel(In("service", "securityscan2"), NotIn("service", "WrongValue")), "region")]) }),
      existing: [["node1", P0]],
      expected: "UU-aff",
    },
    {
      id: "F7 two terms P0 both matches",
      incoming: pod("p", { labels: S1, affinity: rules([term(sel(Exists("service"), DoesNotExist("wrongkey")), "region"), term(sel(In("service", "securityscan"), NotIn("service", "WrongValue")), "region")]) }),
      existing: [["node1", P0]],
      expected: "ok",
    },
    {
      id: "F8 affinity satisfied; P0's anti-affinity (antivirusscan) does not match the pod",
      incoming: pod("p", { labels: S1, affinity: rules([term(serviceIn, "region")]), anti: rules([term(sel(In("service", "antivirusscan", "value2")), "node")]) }),
      existing: [["node1", pod("p0", { labels: { service: "securityscan" }, anti: rules([term(sel(In("service", "antivirusscan", "value2")), "node")]) })]],
      expected: "ok",
    },
    {
      id: "F9 the pod's own anti-affinity matches P0 in zone z11",
      incoming: pod("p", { labels: S1, affinity: rules([term(serviceIn, "region")]), anti: rules([term(serviceIn, "zone")]) }),
      existing: [["node1", P0]],
      expected: "U-anti",
    },
    {
      id: "F10 P0's anti-affinity (zone) matches the pod",
      incoming: pod("p", { labels: { service: "securityscan" }, affinity: rules([term(serviceIn, "region")]), anti: rules([term(sel(In("service", "antivirusscan", "value2")), "node")]) }),
      existing: [["node1", pod("p0", { labels: { service: "securityscan" }, anti: rules([term(serviceIn, "zone")]) })]],
      expected: "U-exist",
    },
    {
      id: "F11 the only match is on node2, outside the snapshot; the pod does not match its own NotIn term",
      incoming: pod("p", { labels: { service: "securityscan" }, affinity: rules([term(sel(NotIn("service", "securityscan", "value2")), "region")]) }),
      existing: [["node2", P0]],
      expected: "UU-aff",
    },
    { id: "F12 no affinity of its own; P0's anti-affinity matches it", incoming: pod("p", { labels: { service: "securityscan" } }), existing: [["node1", pod("p0", { labels: { service: "securityscan" }, anti: rules([term(serviceIn, "zone")]) })]], expected: "U-exist" },
    { id: "F13 P0's anti-affinity is NotIn its labels: nothing counted", incoming: pod("p", { labels: { service: "securityscan" } }), existing: [["node1", pod("p0", { labels: { service: "securityscan" }, anti: rules([term(sel(NotIn("service", "securityscan", "value2")), "zone")]) })]], expected: "Skip" },
    {
      id: "F14 the pod's anti-affinity (security) matches; its own check comes before the existing pod's",
      incoming: pod("p", { labels: { service: "securityscan" }, anti: rules([term(sel(Exists("service")), "region"), term(sel(Exists("security")), "region")]) }),
      existing: [["node1", pod("p0", { labels: S1, anti: rules([term(sel(Exists("security")), "zone")]) })]],
      expected: "U-anti",
    },
    {
      id: "F15 the existing pod's second anti term (security) matches the pod",
      incoming: pod("p", { labels: S1, anti: rules([term(sel(Exists("security")), "zone")]) }),
      existing: [["node1", pod("p0", { labels: { service: "securityscan" }, anti: rules([term(sel(Exists("service")), "zone"), term(sel(Exists("security")), "zone")]) })]],
      expected: "U-exist",
    },
    {
      id: "F16 namespaceSelector team In [team1] takes subteam1.team1",
      incoming: pod("p", { labels: S1, affinity: rules([term(serviceIn, "region", { namespaceSelector: sel(In("team", "team1")) })]) }),
      existing: [["node1", pod("p0", { labels: { service: "securityscan" }, namespace: "subteam1.team1" })]],
      expected: "ok",
    },
    {
      id: "F17 … but not subteam1.team2",
      incoming: pod("p", { labels: S1, affinity: rules([term(serviceIn, "region", { namespaceSelector: sel(In("team", "team1")) })]) }),
      existing: [["node1", pod("p0", { labels: { service: "securityscan" }, namespace: "subteam1.team2" })]],
      expected: "UU-aff",
    },
    {
      id: "F18 anti-affinity with namespaceSelector team1 covers subteam2.team1",
      incoming: pod("p", { namespace: "subteam1.team1", labels: S1, anti: rules([term(serviceIn, "zone", { namespaceSelector: sel(In("team", "team1")) })]) }),
      existing: [["node1", pod("p0", { labels: { service: "securityscan" }, namespace: "subteam2.team1" })]],
      expected: "U-anti",
    },
    {
      id: "F19 namespaceSelector {} covers every namespace",
      incoming: pod("p", { namespace: "subteam1.team1", labels: S1, anti: rules([term(serviceIn, "zone", { namespaceSelector: sel() })]) }),
      existing: [["node1", pod("p0", { labels: { service: "securityscan" }, namespace: "subteam2.team1" })]],
      expected: "U-anti",
    },
    {
      id: "F20 team1's selector does not cover subteam1.team2",
      incoming: pod("p", { namespace: "subteam1.team1", labels: S1, anti: rules([term(serviceIn, "zone", { namespaceSelector: sel(In("team", "team1")) })]) }),
      existing: [["node1", pod("p0", { labels: { service: "securityscan" }, namespace: "subteam1.team2" })]],
      expected: "ok",
    },
  ];
  it.each(rows)("$id", ({ incoming, existing, expected }) => {
    const verdicts = filterAll(incoming, node1, existing);
    expect(verdicts).toEqual(expected === "Skip" ? ["Skip"] : [expected]);
  });
});

describe("Filter, several nodes (TestRequiredAffinityMultipleNodes)", () => {
  const china = [node("node1", { region: "China" }), node("node2", { region: "China", az: "az1" }), node("node3", { region: "India" })];
  const abc = [node("nodeA", { region: "r1", zone: "z1", hostname: "nodeA" }), node("nodeB", { region: "r1", zone: "z2", hostname: "nodeB" })];
  const abcSameZone = [node("nodeA", { region: "r1", zone: "z1", hostname: "nodeA" }), node("nodeB", { region: "r1", zone: "z1", hostname: "nodeB" })];
  const empty = { foo: "", bar: "" };
  const rows: Array<{ id: string; nodes: Node[]; existing: Array<[string, Pod]>; incoming: Pod; expected: string[] }> = [
    { id: "M1 region China holds a foo=bar pod; India does not", nodes: china, existing: [["node1", pod("p1", { labels: { foo: "bar" } })]], incoming: pod("p", { affinity: rules([term(sel(In("foo", "bar")), "region")]) }), expected: ["ok", "ok", "UU-aff"] },
    {
      id: "M2 the first pod of its group: p1 misses the second term, the counts are empty and the pod matches both itself",
      nodes: [node("nodeA", { zone: "az1", hostname: "h1" }), node("nodeB", { zone: "az2", hostname: "h2" })],
      existing: [["nodeA", pod("p1", { labels: { foo: "bar" } })]],
      incoming: pod("p", { labels: { foo: "bar", service: "securityscan" }, affinity: rules([term(sel(In("foo", "bar")), "zone"), term(sel(In("service", "securityscan")), "zone")]) }),
      expected: ["ok", "ok"],
    },
    {
      id: "M3 as M2 but the nodes lack the key `zone`: a missing affinity key fails even the first pod",
      nodes: [node("nodeA", { zoneLabel: "az1", hostname: "h1" }), node("nodeB", { zoneLabel: "az2", hostname: "h2" })],
      existing: [["nodeA", pod("p1", { labels: { foo: "bar" } })]],
      incoming: pod("p", { labels: { foo: "bar", service: "securityscan" }, affinity: rules([term(sel(In("foo", "bar")), "zone"), term(sel(In("service", "securityscan")), "zone")]) }),
      expected: ["UU-aff", "UU-aff"],
    },
    {
      id: "M4 anti-affinity by region: both nodes are in r1",
      nodes: [node("nodeA", { region: "r1", hostname: "nodeA" }), node("nodeB", { region: "r1", hostname: "nodeB" })],
      existing: [["nodeA", pod("p1", { labels: { foo: "abc" } })]],
      incoming: pod("p", { anti: rules([term(sel(In("foo", "abc")), "region")]) }),
      expected: ["U-anti", "U-anti"],
    },
    {
      id: "M5 two anti terms: the region one alone refuses both",
      nodes: abc,
      existing: [["nodeA", pod("p1", { labels: { foo: "abc", service: "securityscan" } })]],
      incoming: pod("p", { anti: rules([term(sel(In("foo", "abc")), "region"), term(sel(In("service", "securityscan")), "zone")]) }),
      expected: ["U-anti", "U-anti"],
    },
    { id: "M6 anti by region: China refused, India fine", nodes: china, existing: [["node1", pod("p1", { labels: { foo: "abc" } })]], incoming: pod("p", { anti: rules([term(sel(In("foo", "abc")), "region")]) }), expected: ["U-anti", "U-anti", "ok"] },
    {
      id: "M7 nodeC's pod in NS2 repels foo=123 only in its own namespace",
      nodes: china,
      existing: [["node1", pod("p1", { labels: { foo: "bar" }, namespace: "NS1" })], ["node3", pod("p2", { namespace: "NS2", anti: rules([term(sel(In("foo", "123")), "region")]) })]],
      incoming: pod("p", { namespace: "NS1", labels: { foo: "123" }, anti: rules([term(sel(In("foo", "bar")), "region")]) }),
      expected: ["U-anti", "U-anti", "ok"],
    },
    {
      id: "M8 an existing anti term on a key no node has counts nothing: Skip",
      nodes: abcSameZone,
      existing: [["nodeA", pod("p1", { anti: rules([term(sel(Exists("foo")), "invalid-node-label")]) })]],
      incoming: pod("p", { labels: { foo: "" } }),
      expected: ["Skip"],
    },
    {
      id: "M9 the pod's own anti term on a key no node has passes everywhere",
      nodes: abcSameZone,
      existing: [["nodeA", pod("p1", { labels: { foo: "" } })]],
      incoming: pod("p", { anti: rules([term(sel(Exists("foo")), "invalid-node-label")]) }),
      expected: ["ok", "ok"],
    },
    {
      id: "M10 two existing pods on nodeA: zone z1 and region r1 covered, so both nodes",
      nodes: abc,
      existing: [["nodeA", pod("p1", { anti: rules([term(sel(Exists("foo")), "zone")]) })], ["nodeA", pod("p2", { anti: rules([term(sel(Exists("bar")), "region")]) })]],
      incoming: pod("p", { labels: empty }),
      expected: ["U-exist", "U-exist"],
    },
    {
      id: "M11 foo on nodeA (zone z1), bar on nodeB (region r1): both refused by the pod's own terms",
      nodes: abc,
      existing: [["nodeA", pod("p1", { labels: { foo: "" } })], ["nodeB", pod("p2", { labels: { bar: "" } })]],
      incoming: pod("p", { anti: rules([term(sel(Exists("foo")), "zone"), term(sel(Exists("bar")), "region")]) }),
      expected: ["U-anti", "U-anti"],
    },
    {
      id: "M12 an existing pod's terms: the invalid key counts nothing, zone z1 refuses nodeA only",
      nodes: abc,
      existing: [["nodeA", pod("p1", { anti: rules([term(sel(Exists("foo")), "invalid-node-label"), term(sel(Exists("bar")), "zone")]) })]],
      incoming: pod("p", { labels: empty }),
      expected: ["U-exist", "ok"],
    },
    {
      id: "M13 the pod's own terms: the same, refusing nodeA",
      nodes: abc,
      existing: [["nodeA", pod("p1", { labels: empty })]],
      incoming: pod("p", { anti: rules([term(sel(Exists("foo")), "invalid-node-label"), term(sel(Exists("bar")), "zone")]) }),
      expected: ["U-anti", "ok"],
    },
    {
      id: "M14 zones z1 and z2 covered by existing pods, z3 free",
      nodes: [...abc, node("nodeC", { region: "r1", zone: "z3", hostname: "nodeC" })],
      existing: [
        ["nodeA", pod("p1", { anti: rules([term(sel(Exists("foo")), "zone"), term(sel(Exists("labelA")), "zone")]) })],
        ["nodeB", pod("p2", { anti: rules([term(sel(Exists("bar")), "zone"), term(sel(Exists("labelB")), "zone")]) })],
      ],
      incoming: pod("p", { labels: empty }),
      expected: ["U-exist", "U-exist", "ok"],
    },
    {
      id: "M15 one pod matches both affinity terms, both nodes share its region and zone",
      nodes: abcSameZone,
      existing: [["nodeA", pod("p1", { labels: empty })]],
      incoming: pod("p", { affinity: rules([term(sel(Exists("foo")), "region"), term(sel(Exists("bar")), "zone")]) }),
      expected: ["ok", "ok"],
    },
    {
      id: "M16 foo and bar on different pods: no pod matches both terms",
      nodes: abc,
      existing: [["nodeA", pod("p1", { labels: { foo: "" } })], ["nodeB", pod("p2", { labels: { bar: "" } })]],
      incoming: pod("p", { affinity: rules([term(sel(Exists("foo")), "region"), term(sel(Exists("bar")), "zone")]) }),
      expected: ["UU-aff", "UU-aff"],
    },
  ];
  it.each(rows)("$id", ({ nodes, existing, incoming, expected }) => {
    expect(filterAll(incoming, nodes, existing)).toEqual(expected);
  });
});

describe("PreFilter's counts (TestGetTPMapMatchingIncomingAffinityAntiAffinity)", () => {
  const nodeA = [node("nodeA", { hostname: "nodeA" })];
  const aff = (key: string) => term(sel(Exists(key)), "hostname");
  const rows: Array<{ id: string; existing: Record<string, string>; incoming: Pod; affinity: number; anti: number }> = [
    { id: "aaa: one affinity and one anti match", existing: { aaa: "" }, incoming: pod("p", { affinity: rules([aff("aaa")]), anti: rules([aff("aaa")]) }), affinity: 1, anti: 1 },
    { id: "aaa, bbb: the pod matches both affinity terms, one count per term → 2", existing: { aaa: "", bbb: "" }, incoming: pod("p", { affinity: rules([aff("aaa"), aff("bbb")]), anti: rules([aff("aaa")]) }), affinity: 2, anti: 1 },
    { id: "aaa only: it misses bbb, so no affinity count; one anti term matches", existing: { aaa: "" }, incoming: pod("p", { affinity: rules([aff("aaa"), aff("bbb")]), anti: rules([aff("aaa"), aff("bbb")]) }), affinity: 0, anti: 1 },
    { id: "bbb: matches neither", existing: { bbb: "" }, incoming: pod("p", { affinity: rules([aff("aaa")]), anti: rules([aff("aaa")]) }), affinity: 0, anti: 0 },
  ];
  it.each(rows)("$id", ({ existing, incoming, affinity, anti }) => {
    const all = infos(nodeA, [["nodeA", pod("existing", { labels: existing })]]);
    const cycle = cycleFor(incoming, all);
    newInterPodAffinity().preFilter?.(cycle);
    const state = affinityFilterState(cycle);
    expect(state?.affinityCounts.get("hostname", "nodeA")).toBe(affinity);
    expect(state?.affinityCounts.empty).toBe(affinity === 0);
    expect(state?.antiAffinityCounts.get("hostname", "nodeA")).toBe(anti);
  });
});

describe("Score and NormalizeScore (TestPreferredAffinity)", () => {
  const S1 = { security: "S1" };
  const S2 = { security: "S2" };
  const stayWithS1InRegion = rules([], [[5, term(sel(In("security", "S1")), "region")]]);
  const stayWithS2InRegion = rules([], [[6, term(sel(In("security", "S2")), "region")]]);
  const affinity3 = rules([], [[8, term(sel(NotIn("security", "S1"), In("security", "S2")), "region")], [2, term(sel(Exists("security"), DoesNotExist("wrongkey")), "region")]]);
  const hardAffinity = rules([term(sel(In("security", "S1", "value2")), "region"), term(sel(Exists("security"), DoesNotExist("wrongkey")), "region")]);
  const awayFromS1InAz = rules([], [[5, term(sel(In("security", "S1")), "az")]]);
  const awayFromS2InAz = rules([], [[5, term(sel(In("security", "S2")), "az")]]);
  const stayS1AwayS2 = { affinity: rules([], [[8, term(sel(In("security", "S1")), "region")]]), anti: rules([], [[5, term(sel(In("security", "S2")), "az")]]) };
  const nsTerm = term(sel(In("security", "S1")), "region", { namespaces: ["subteam2.team2"], namespaceSelector: sel(In("team", "team1")) });
  const China = { region: "China" };
  const India = { region: "India" };
  const az1 = { az: "az1" };
  const az2 = { az: "az2" };
  const ChinaAz1 = { region: "China", az: "az1" };
  const nodes = (...labels: Record<string, string>[]) => labels.map((set, index) => node(`n${index + 1}`, set));
  let made = 0;
  const at = (index: number, spec: Spec): [string, Pod] => [`n${index}`, pod(`e${++made}`, spec)];

  const rows: Array<{ id: string; incoming: Pod; existing: Array<[string, Pod]>; nodes: Node[]; expected: number[] | "Skip"; args?: Partial<InterPodAffinityArgs> }> = [
    { id: "S1 no terms anywhere: Skip", incoming: pod("p", { labels: S1 }), existing: [], nodes: nodes(China, India, az1), expected: "Skip" },
    // China +5 (n1's S1): raw 5, 0, 0 → 100, 0, 0
    { id: "S2 preferred S1 in region", incoming: pod("p", { labels: S1, affinity: stayWithS1InRegion }), existing: [at(1, { labels: S1 }), at(2, { labels: S2 }), at(3, { labels: S1 })], nodes: nodes(China, India, az1), expected: [100, 0, 0] },
    // China +5 for n1 and n2 (both China): 5, 5, 0
    { id: "S3 two China nodes share the region's score", incoming: pod("p", { affinity: stayWithS1InRegion }), existing: [at(1, { labels: S1 })], nodes: nodes(China, ChinaAz1, India), expected: [100, 100, 0] },
    // China: 4 S2 pods × 6 = 24; India: 2 × 6 = 12 → (24−12)/12 = 100, 0
    { id: "S4 preferred S2: China 24, India 12", incoming: pod("p", { labels: S1, affinity: stayWithS2InRegion }), existing: [at(1, { labels: S2 }), at(1, { labels: S2 }), at(2, { labels: S2 }), at(3, { labels: S2 }), at(4, { labels: S2 }), at(5, { labels: S2 })], nodes: nodes(China, India, China, China, India), expected: [100, 0, 100, 100, 0] },
    // China: n1's S1 matches only the w2 term → 2; India: n2's S2 both → 8 + 2 = 10; az1 none → 100·(2/10) = 20
    { id: "S5 two preferred terms counted independently", incoming: pod("p", { labels: S1, affinity: affinity3 }), existing: [at(1, { labels: S1 }), at(2, { labels: S2 }), at(3, { labels: S1 })], nodes: nodes(China, India, az1), expected: [20, 100, 0] },
    // n2's preferred S2 in region matches the S2 pod: India +6
    { id: "S6 an existing pod's preferred term attracts", incoming: pod("p", { labels: S2 }), existing: [at(1, { labels: S1, affinity: stayWithS1InRegion }), at(2, { labels: S2, affinity: stayWithS2InRegion })], nodes: nodes(China, India, az1), expected: [0, 100, 0] },
    // n1's term covers team1 namespaces: the pod's ns subteam1.team1 is team1 → China +5; n2's covers only its own namespace
    { id: "S7 an existing pod's namespaceSelector is matched with the incoming namespace's labels", incoming: pod("p", { namespace: "subteam1.team1", labels: S1 }), existing: [at(1, { labels: S1, affinity: rules([], [[5, nsTerm]]) }), at(2, { labels: S2, affinity: stayWithS2InRegion })], nodes: nodes(China, India, az1), expected: [100, 0, 0] },
    // China −5: −5, 0, 0 → 0, 100, 100
    { id: "S8 the same as anti-affinity repels", incoming: pod("p", { namespace: "subteam1.team1", labels: S1 }), existing: [at(1, { labels: S1, anti: rules([], [[5, nsTerm]]) }), at(2, { labels: S2, affinity: stayWithS2InRegion })], nodes: nodes(China, India, az1), expected: [0, 100, 100] },
    // each required term +1 (hardPodAffinityWeight 1): China 2, India 2, az1 0
    { id: "S9 existing pods' required affinity scores hardPodAffinityWeight per term", incoming: pod("p", { labels: S1 }), existing: [at(1, { labels: S1, affinity: hardAffinity }), at(2, { labels: S2, affinity: hardAffinity })], nodes: nodes(China, India, az1), expected: [100, 100, 0] },
    // az1 −5; n2 has no az
    { id: "S10 preferred anti S1 in az", incoming: pod("p", { labels: S1, anti: awayFromS1InAz }), existing: [at(1, { labels: S1 }), at(2, { labels: S2 })], nodes: nodes(az1, China), expected: [0, 100] },
    // az1 −10
    { id: "S11 two S1 pods in az1", incoming: pod("p", { labels: S1, anti: awayFromS1InAz }), existing: [at(1, { labels: S1 }), at(1, { labels: S1 }), at(2, { labels: S2 })], nodes: nodes(az1, India), expected: [0, 100] },
    // n1's anti S2 in az repels the S2 pod from az1 (−5); n2's anti S1 does not match it
    { id: "S12 existing pods' preferred anti-affinity", incoming: pod("p", { labels: S2 }), existing: [at(1, { labels: S1, anti: awayFromS2InAz }), at(2, { labels: S2, anti: awayFromS1InAz })], nodes: nodes(az1, az2), expected: [0, 100] },
    // China: 5 S1 pods × 8 = 40; India: 2 × 8 = 16; no S2 pod for the anti term → (40−16)/24
    { id: "S13 affinity and anti-affinity together", incoming: pod("p", { labels: S1, ...stayS1AwayS2 }), existing: [at(1, { labels: S1 }), at(1, { labels: S1 }), at(2, { labels: S1 }), at(3, { labels: S1 }), at(3, { labels: S1 }), at(4, { labels: S1 }), at(5, { labels: S1 })], nodes: nodes(ChinaAz1, India, China, China, India), expected: [100, 0, 100, 100, 0] },
    // China +8 (n1's S1), az1 −5 (n2's S2), India +8 (n3's preferred S1 in region matches the pod), az2 −5 (n4's anti S1 in az): min −5, max 8
    { id: "S14 the pod's terms and existing pods' terms add up", incoming: pod("p", { labels: S1, ...stayS1AwayS2 }), existing: [at(1, { labels: S1 }), at(2, { labels: S2 }), at(3, stayS1AwayS2), at(4, { anti: awayFromS1InAz })], nodes: nodes(China, az1, India, az2), expected: [100, 0, 100, 0] },
    // both China: 8 and 8 → max = min → 0 for all
    { id: "S15 equal scores normalize to 0, not 100", incoming: pod("p", { labels: S1 }), existing: [at(1, { labels: S1 }), at(2, stayS1AwayS2)], nodes: nodes(China, China), expected: [0, 0] },
    // the flattened term covers subteam2.team2 and both team1 namespaces: China 2 × 5 = 10 (subteam1.team2 is not covered), India 5
    {
      id: "S16 the pod's namespaceSelector resolved with the Namespace objects",
      incoming: pod("p", { namespace: "subteam1.team1", labels: S1, affinity: rules([], [[5, nsTerm]]) }),
      existing: [at(1, { namespace: "subteam1.team1", labels: S1 }), at(1, { namespace: "subteam1.team1", labels: S1 }), at(1, { namespace: "subteam1.team2", labels: S1 }), at(2, { namespace: "subteam2.team1", labels: S1 })],
      nodes: nodes(China, India),
      expected: [100, 0],
    },
    // subteam2.team2 is listed: China 3 × 5 = 15, India 5
    {
      id: "S17 listed namespaces and selected ones together",
      incoming: pod("p", { namespace: "subteam1.team1", labels: S1, affinity: rules([], [[5, nsTerm]]) }),
      existing: [at(1, { namespace: "subteam1.team1", labels: S1 }), at(1, { namespace: "subteam1.team1", labels: S1 }), at(1, { namespace: "subteam2.team2", labels: S1 }), at(2, { namespace: "subteam2.team1", labels: S1 })],
      nodes: nodes(China, India),
      expected: [100, 0],
    },
    // China −10, India −5 → 0, 100
    {
      id: "S18 the same as anti-affinity",
      incoming: pod("p", { namespace: "subteam1.team1", labels: S1, anti: rules([], [[5, nsTerm]]) }),
      existing: [at(1, { namespace: "subteam1.team1", labels: S1 }), at(1, { namespace: "subteam1.team1", labels: S1 }), at(1, { namespace: "subteam1.team2", labels: S1 }), at(2, { namespace: "subteam2.team1", labels: S1 })],
      nodes: nodes(China, India),
      expected: [0, 100],
    },
    { id: "S19 ignorePreferredTermsOfExistingPods, no terms of its own: Skip", incoming: pod("p", { labels: S2 }), existing: [at(1, { labels: S1, ...stayS1AwayS2 }), at(2, { labels: S2, affinity: stayWithS2InRegion })], nodes: nodes(China, India), expected: "Skip", args: { ignorePreferredTermsOfExistingPods: true } },
    // n1's affinity S1 misses the S2 pod and its anti S2 term has no az on China; n2 +6
    { id: "S20 the same with the flag off", incoming: pod("p", { labels: S2 }), existing: [at(1, { labels: S1, ...stayS1AwayS2 }), at(2, { labels: S2, affinity: stayWithS2InRegion })], nodes: nodes(China, India), expected: [0, 100] },
    { id: "S21 no nodes, no pods: Skip", incoming: pod("p", { labels: S2 }), existing: [], nodes: [], expected: "Skip" },
  ];
  it.each(rows)("$id", ({ incoming, existing, nodes: list, expected, args }) => {
    const plugin = newInterPodAffinity({ hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false, ...args });
    const all = infos(list, existing);
    const cycle = cycleFor(incoming, all);
    const status = plugin.preScore?.(cycle, all);
    if (expected === "Skip") {
      expect(status?.code).toBe("Skip");
      return;
    }
    expect(status?.code).toBe("Success");
    const scores = all.map((info) => plugin.score?.(cycle, info) as number);
    plugin.normalizeScore?.(cycle, all, scores);
    expect(scores).toEqual(expected);
  });
});

describe("hardPodAffinityWeight (TestPreferredAffinityWithHardPodAffinitySymmetricWeight)", () => {
  // Existing pods on node1 (China) and node2 (India), no labels, each with the required term
  // service In [S1], namespaces ["default", "subteam2.team2"], namespaceSelector team In [team1], region.
  const hard = { affinity: rules([term(sel(In("service", "S1")), "region", { namespaces: ["default", "subteam2.team2"], namespaceSelector: sel(In("team", "team1")) })]) };
  const nodes = [node("node1", { region: "China" }), node("node2", { region: "India" }), node("node3", { az: "az1" })];
  const existing: Array<[string, Pod]> = [["node1", pod("e1", hard)], ["node2", pod("e2", hard)]];
  const rows: Array<{ id: string; namespace: string; weight: number; expected: number[] | "Skip" }> = [
    // +1 in China and in India: 1, 1, 0
    { id: "H1 own namespace (listed), weight 1", namespace: "default", weight: 1, expected: [100, 100, 0] },
    { id: "H2 weight 0: existing pods' required terms are not scored: Skip", namespace: "default", weight: 0, expected: "Skip" },
    { id: "H3 subteam1.team2: neither listed nor team1: Skip", namespace: "subteam1.team2", weight: 1, expected: "Skip" },
    { id: "H4 subteam1.team1: selected by team In [team1]", namespace: "subteam1.team1", weight: 1, expected: [100, 100, 0] },
    { id: "H5 subteam2.team2: listed", namespace: "subteam2.team2", weight: 1, expected: [100, 100, 0] },
  ];
  it.each(rows)("$id", ({ namespace, weight, expected }) => {
    const plugin = newInterPodAffinity({ hardPodAffinityWeight: weight, ignorePreferredTermsOfExistingPods: false });
    const all = infos(nodes, existing);
    const cycle = cycleFor(pod("p", { namespace, labels: { service: "S1" } }), all);
    const status = plugin.preScore?.(cycle, all);
    if (expected === "Skip") {
      expect(status?.code).toBe("Skip");
      return;
    }
    const scores = all.map((info) => plugin.score?.(cycle, info) as number);
    plugin.normalizeScore?.(cycle, all, scores);
    expect(scores).toEqual(expected);
  });
});

describe("normalizeAffinityScores: Go's float64 order, division first", () => {
  const rows: Array<{ id: string; scores: number[]; expected: number[] }> = [
    // 100 · (29/100) = 28.999999999999996 → 28, not 29; 100 · (57/100) = 56.99999999999999 → 56
    { id: "29 and 57 of 100 truncate to 28 and 56", scores: [0, 29, 57, 100], expected: [0, 28, 56, 100] },
    // min −5, max 8, diff 13: 0, 100·(5/13) = 38.46 → 38, 100
    { id: "negative scores shift by the minimum", scores: [-5, 0, 8], expected: [0, 38, 100] },
    { id: "all equal: 0 everywhere", scores: [7, 7], expected: [0, 0] },
  ];
  it.each(rows)("$id", ({ scores, expected }) => {
    const copy = [...scores];
    normalizeAffinityScores(copy);
    expect(copy).toEqual(expected);
  });
});
