/**
 * One scheduling cycle (schedule_one.go, v1.35) under kube's default profile: the first failing
 * filter gives a node's verdict, PreFilter Skip drops a filter, sampling stops once enough
 * feasible nodes are found and moves the next start, one feasible node wins unscored, score ties
 * go to the lowest hash rank, and the FailedScheduling message counts reasons.
 */
import { describe, expect, it } from "vitest";
import type { Node } from "../../model/node.js";
import type { Pod } from "../../model/pod.js";
import { podRequests } from "../../model/requests.js";
import { makeContainer, makeNode, makePod } from "../../testing/builders.js";
import { defaultSchedulerConfiguration, schedulerConfigurationFrom } from "../config/ksc.js";
import { NO_NODES_AVAILABLE } from "../message.js";
import { runCycle, runPreFilter, type CycleResult } from "./schedule.js";
import { cycleState } from "./snapshot.js";
import { tieBreakRank } from "./tiebreak.js";
import type { NodeInfo, Profile } from "./types.js";

const DEFAULT_PROFILE = defaultSchedulerConfiguration().profiles[0] as Profile;

/** An empty node's NodeInfo (no pods), as the snapshot builds it. */
const empty = (node: Node): NodeInfo => ({ node, requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, podCount: 0, usedPorts: [] });
const name = (index: number) => `n-${String(index).padStart(4, "0")}`;
const cordoned = (nodeName: string) => empty(makeNode(nodeName, undefined, { unschedulable: true }));

function cycle(pod: Pod, nodes: readonly NodeInfo[], startIndex = 0, profile: Profile = DEFAULT_PROFILE, seed = 1): CycleResult {
  return runCycle({ profile, cycle: cycleState(pod, podRequests(pod), nodes), nodes, startIndex, seed });
}

function profileFrom(configuration: Record<string, unknown>): Profile {
  const result = schedulerConfigurationFrom({ apiVersion: "kubescheduler.config.k8s.io/v1", kind: "KubeSchedulerConfiguration", ...configuration });
  if (result.value === undefined) throw new Error(JSON.stringify(result.diagnostics));
  return result.value.profiles[0] as Profile;
}

describe("runCycle: filtering", () => {
  it("each node's verdict is its first failing filter, and the message counts one reason per node", () => {
    const pod = makePod("p", { cpu: "500m" }, { nodeSelector: { disk: "ssd" } });
    const small = { cpu: "100m", memory: "1Gi" };
    const taint = [{ key: "dedicated", effect: "NoSchedule" as const }];
    const nodes = [
      // cordoned, tainted, unlabelled and small: NodeUnschedulable runs first
      empty(makeNode("everything-wrong", small, { unschedulable: true, taints: taint })),
      // tainted, unlabelled and small: TaintToleration runs before NodeAffinity and NodeResourcesFit
      empty(makeNode("tainted", small, { taints: taint })),
      // unlabelled and small: NodeAffinity before NodeResourcesFit
      empty(makeNode("unlabelled", small)),
      // only small
      empty(makeNode("small", small, { labels: { disk: "ssd" } })),
    ];
    const result = cycle(pod, nodes);
    expect(result.verdicts.map((verdict) => [verdict.node, verdict.plugin, verdict.status.code, verdict.status.reasons])).toEqual([
      ["everything-wrong", "NodeUnschedulable", "UnschedulableAndUnresolvable", ["node(s) were unschedulable"]],
      ["tainted", "TaintToleration", "UnschedulableAndUnresolvable", ["node(s) had untolerated taint(s)"]],
      ["unlabelled", "NodeAffinity", "UnschedulableAndUnresolvable", ["node(s) didn't match Pod's node affinity/selector"]],
      // 500m > 100m allocatable: unresolvable
      ["small", "NodeResourcesFit", "UnschedulableAndUnresolvable", ["Insufficient cpu"]],
    ]);
    // sorted as strings: "1 I…" < "1 n…"; then "didn't" < "had" < "were"
    expect(result.message).toBe(
      "0/4 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint(s), 1 node(s) were unschedulable.",
    );
    expect(result.rejectingPlugins).toEqual(["NodeAffinity", "NodeResourcesFit", "NodeUnschedulable", "TaintToleration"]);
    expect(result.selected).toBeUndefined();
    expect(result.error).toBe(false);
  });

  it("the same reason on several nodes is counted once per node", () => {
    const nodes = [cordoned("a"), cordoned("b"), empty(makeNode("c", { cpu: "100m", memory: "1Gi" }))];
    expect(cycle(makePod("p", { cpu: "500m" }), nodes).message).toBe("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) were unschedulable.");
  });

  it("no nodes at all is an error with kube's message", () => {
    expect(cycle(makePod("p"), [])).toMatchObject({ message: NO_NODES_AVAILABLE, error: true, verdicts: [], rejectingPlugins: [] });
  });

  const hostPort = makePod("p", {}, { containers: [makeContainer("web", { cpu: "100m" }, { ports: [{ containerPort: 80, protocol: "TCP", hostPort: 80 }] })] });
  const preFilterRows: Array<{ name: string; pod: Pod; filters: string[] }> = [
    // NodeAffinity (no selector, no required affinity) and NodePorts (no host ports) return Skip
    { name: "a plain pod skips NodeAffinity's and NodePorts' filters", pod: makePod("p", { cpu: "100m" }), filters: ["NodeUnschedulable", "NodeName", "TaintToleration", "NodeResourcesFit"] },
    { name: "a nodeSelector keeps NodeAffinity's filter", pod: makePod("p", {}, { nodeSelector: { zone: "a" } }), filters: ["NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodeResourcesFit"] },
    { name: "a host port keeps NodePorts' filter", pod: hostPort, filters: ["NodeUnschedulable", "NodeName", "TaintToleration", "NodePorts", "NodeResourcesFit"] },
  ];
  it.each(preFilterRows)("PreFilter: $name", ({ pod, filters }) => {
    const result = runPreFilter(DEFAULT_PROFILE, cycleState(pod, podRequests(pod), []));
    expect("filters" in result ? result.filters.map((plugin) => plugin.name) : result).toEqual(filters);
  });
});

describe("runCycle: sampling", () => {
  const pod = makePod("p", { cpu: "100m" });
  const cluster = (size: number, isCordoned: (index: number) => boolean = () => false) =>
    Array.from({ length: size }, (_, index) => (isCordoned(index) ? cordoned(name(index)) : empty(makeNode(name(index)))));
  const withPercentage = (percentage: number) => profileFrom({ profiles: [{ percentageOfNodesToScore: percentage }] });

  const rows: Array<{ name: string; nodes: NodeInfo[]; start: number; profile?: Profile; evaluated: number; feasible: number; first: string; next: number }> = [
    // < 100 nodes: all of them
    { name: "50 nodes: every node is filtered", nodes: cluster(50), start: 7, evaluated: 50, feasible: 50, first: name(7), next: (7 + 50) % 50 },
    // 150 nodes → 100 to find; all feasible: 100 processed, next (0 + 100) % 150 = 100
    { name: "150 nodes: stops after 100 feasible", nodes: cluster(150), start: 0, evaluated: 100, feasible: 100, first: name(0), next: 100 },
    // from 120: 120..149 then 0..69; next (120 + 100) % 150 = 70
    { name: "the walk wraps round from the start index", nodes: cluster(150), start: 120, evaluated: 100, feasible: 100, first: name(120), next: 70 },
    // every 5th node (0, 5, 10 …) refused: nodes 0..124 hold 125 − 25 = 100 feasible; next (0 + 125) % 150 = 125
    { name: "refused nodes count as processed", nodes: cluster(150, (index) => index % 5 === 0), start: 0, evaluated: 125, feasible: 100, first: name(0), next: 125 },
    // the notes' example: 1000 nodes → 42% → 420 to find; the first 30 refused: 450 processed, next 450
    { name: "1000 nodes: 420 feasible and 30 refused, the next cycle starts at 450", nodes: cluster(1000, (index) => index < 30), start: 0, evaluated: 450, feasible: 420, first: name(0), next: 450 },
    // explicit 30% of 1000 = 300
    { name: "a profile's percentageOfNodesToScore", nodes: cluster(1000), start: 900, profile: withPercentage(30), evaluated: 300, feasible: 300, first: name(900), next: (900 + 300) % 1000 },
    // 150 nodes, only 10 feasible: every node is visited, next (40 + 150) % 150 = 40
    { name: "too few feasible nodes: every node is visited once", nodes: cluster(150, (index) => index >= 10), start: 40, evaluated: 150, feasible: 10, first: name(40), next: 40 },
  ];
  it.each(rows)("$name", ({ nodes, start, profile, evaluated, feasible, first, next }) => {
    const result = cycle(pod, nodes, start, profile);
    expect(result.verdicts.length).toBe(evaluated);
    expect(result.verdicts.filter((verdict) => verdict.plugin === undefined).length).toBe(feasible);
    expect(result.scores.length).toBe(feasible);
    expect(result.verdicts[0]?.node).toBe(first);
    expect(result.nextStartIndex).toBe(next);
  });
});

describe("runCycle: choosing", () => {
  it("exactly one feasible node is chosen without scoring", () => {
    const result = cycle(makePod("p", { cpu: "100m" }), [cordoned("a"), empty(makeNode("b")), cordoned("c")]);
    expect(result.selected).toBe("b");
    expect(result.scores).toEqual([]);
    expect(result.nextStartIndex).toBe(0);
  });

  it("a plugin whose PreScore says Skip is not scored", () => {
    // best effort (BalancedAllocation skips), no preferred affinity (NodeAffinity skips)
    const result = cycle(makePod("p"), [empty(makeNode("a")), empty(makeNode("b"))]);
    expect(Object.keys(result.scores[0]?.scores ?? {})).toEqual(["TaintToleration", "NodeResourcesFit", "ImageLocality"]);
  });

  it("the weighted total decides", () => {
    // b has an untolerated PreferNoSchedule taint: TaintToleration a 100, b 0 (× 3); the rest are equal
    const nodes = [empty(makeNode("b", undefined, { taints: [{ key: "spot", effect: "PreferNoSchedule" }] })), empty(makeNode("a"))];
    const result = cycle(makePod("p", { cpu: "100m" }), nodes);
    expect(result.selected).toBe("a");
    const [b, a] = result.scores;
    expect((a?.total ?? 0) - (b?.total ?? 0)).toBe(300);
  });

  describe("ties", () => {
    const pod = makePod("p", { cpu: "100m" });
    const nodes = ["node-a", "node-b", "node-c"].map((nodeName) => empty(makeNode(nodeName)));
    const lowestRank = (seed: number) => [...nodes.map((node) => node.node.name)].sort((x, y) => tieBreakRank(seed, "default/p", x) - tieBreakRank(seed, "default/p", y))[0];
    const seeds = Array.from({ length: 32 }, (_, seed) => seed);

    it.each(seeds)("seed %i: equal totals go to the node with the lowest hash rank", (seed) => {
      const result = cycle(pod, nodes, 0, DEFAULT_PROFILE, seed);
      expect(new Set(result.scores.map((score) => score.total)).size).toBe(1);
      expect(result.selected).toBe(lowestRank(seed));
    });

    it("the choice does not depend on the order the nodes are walked in", () => {
      for (const seed of seeds) expect(cycle(pod, [...nodes].reverse(), 0, DEFAULT_PROFILE, seed).selected).toBe(cycle(pod, nodes, 0, DEFAULT_PROFILE, seed).selected);
    });

    it("different seeds spread ties over the tied nodes", () => {
      expect(new Set(seeds.map((seed) => cycle(pod, nodes, 0, DEFAULT_PROFILE, seed).selected)).size).toBe(3);
    });

    it("the rank hashes seed, pod and node with separators", () => {
      expect(tieBreakRank(1, "default/p", "node-a")).toBe(tieBreakRank(1, "default/p", "node-a"));
      expect(tieBreakRank(1, "default/p", "node-a")).not.toBe(tieBreakRank(2, "default/p", "node-a"));
      expect(tieBreakRank(1, "a", "bc")).not.toBe(tieBreakRank(1, "ab", "c"));
      const rank = tieBreakRank(7, "default/p", "node-a");
      expect(Number.isInteger(rank) && rank >= 0 && rank < 2 ** 32).toBe(true);
    });
  });

  it("a profile with no score plugins looks for one feasible node and takes the first (hasScoring)", () => {
    // kube: numNodesToFind = 1 when the profile has no score plugins; the walk from index 1 stops at b
    const profile = profileFrom({ profiles: [{ plugins: { score: { disabled: [{ name: "*" }] } } }] });
    const result = cycle(makePod("p", { cpu: "100m" }), [empty(makeNode("a")), empty(makeNode("b")), empty(makeNode("c"))], 1, profile);
    expect(result.selected).toBe("b");
    expect(result.verdicts.map((verdict) => verdict.node)).toEqual(["b"]);
    expect(result.nextStartIndex).toBe(2);
  });
});

describe("runCycle: NodeAffinity's PreFilter narrows the nodes (metadata.name matchFields)", () => {
  const nodes = ["a", "b", "c"].map((nodeName) => empty(makeNode(nodeName)));
  const byName = (...names: string[][]): Pod => makePod("p", { cpu: "100m" }, {
    nodeAffinity: { required: names.map((values) => ({ matchExpressions: [], matchFields: [{ key: "metadata.name", operator: "In" as const, values }] })), preferred: [] },
  });

  it("filters only the named node; the others are refused as kube words it", () => {
    const result = cycle(byName(["b"]), nodes);
    expect(result.selected).toBe("b");
    expect(result.verdicts.filter((verdict) => verdict.plugin !== undefined).map((verdict) => `${verdict.node}: ${verdict.status.reasons.join()}`)).toEqual([
      "a: node(s) didn't satisfy plugin(s) [NodeAffinity]",
      "c: node(s) didn't satisfy plugin(s) [NodeAffinity]",
    ]);
  });

  it("counts the left-out nodes in the FailedScheduling message", () => {
    const result = cycle(byName(["z"]), nodes);
    expect(result.message).toBe("0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  });

  it("refuses terms that contradict each other before filtering", () => {
    const contradictory = makePod("p", {}, {
      nodeAffinity: { required: [{ matchExpressions: [], matchFields: [
        { key: "metadata.name", operator: "In", values: ["a"] },
        { key: "metadata.name", operator: "In", values: ["b"] },
      ] }], preferred: [] },
    });
    expect(cycle(contradictory, nodes).message).toBe("0/3 nodes are available: 3 pod affinity terms conflict.");
  });

  it("terms unite: a or c", () => {
    const result = cycle(byName(["a"], ["c"]), nodes);
    expect(result.verdicts.filter((verdict) => verdict.plugin === undefined).map((verdict) => verdict.node).sort()).toEqual(["a", "c"]);
  });
});
