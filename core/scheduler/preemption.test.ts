/**
 * DefaultPreemption (v1.35): kube's table rows (default_preemption_test.go TestPostFilter,
 * TestDryRunPreemption, TestSelectBestCandidate, TestPodEligibleToPreemptOthers) through the
 * scheduler's decision (`decideOn` with the real default profile's filters), and a whole run:
 * victims deleted with their grace period, the preemptor nominated and then bound there.
 *
 * kube's tests set each node's filter status by hand; here the real filters give them, so each
 * row says which filter refuses what. Conventions as kube's: priorities neg −100, low 0, mid 100,
 * high 1000, veryHigh 10000; requests small 100m, medium 200m, large 300m, veryLarge 500m (cpu);
 * nodes of 500m cpu unless a row says otherwise.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PodState } from "../cluster/state.js";
import type { Node } from "../model/node.js";
import type { Pod, PodKey } from "../model/pod.js";
import { podKey } from "../model/pod.js";
import { podRequests } from "../model/requests.js";
import { makeNode, makePod } from "../testing/builders.js";
import { runScenario } from "../engine/engine.js";
import type { NodeInfo, PodInfo, Profile } from "./framework/types.js";
import { byNominatedNode, clusterViewOf, decide, decideOn, defaultSchedulerChoice, nominatedRecount, nominatedView, type ClusterView, type Decision } from "./policies.js";
import { numCandidates, preempt, type Budget } from "./preemption.js";
import { defaultSchedulerConfiguration } from "./config/ksc.js";
import { cycleState, nodeInfos, ownersOf } from "./framework/snapshot.js";
import type { ClusterEvent, EventDraft } from "../events/events.js";
import { reduceAll } from "../reference/reduce.js";
import { createState, type ClusterState } from "../cluster/state.js";
import { createFastState, type FastState } from "../fast/state.js";
import { fastReduceAll } from "../fast/reduce.js";
import { decideFast } from "../fast/decide.js";
import { runCycle, runPreFilter } from "./framework/schedule.js";

const NEG = -100;
const LOW = 0;
const MID = 100;
const HIGH = 1000;
const VERY_HIGH = 10000;
const SMALL = "100m";
const MEDIUM = "200m";
const LARGE = "300m";
const VERY_LARGE = "500m";

interface Placed { readonly name: string; readonly node: string; readonly priority: number; readonly cpu: string; readonly startedAt?: number; readonly labels?: Record<string, string>; readonly terminating?: "preempted" | "deleted" }

function podState(pod: Pod, node: string | undefined, extra: Partial<PodState> = {}): PodState {
  const request = podRequests(pod);
  return {
    pod, createdSeq: 1, createdAt: 0, request, nonZero: { cpu: request["cpu"] ?? 100, memory: request["memory"] ?? 200 * 2 ** 20 }, phase: node === undefined ? "Pending" : "Running",
    ...(node !== undefined ? { node } : {}), holdsResources: node !== undefined, restartCount: 0, ...extra,
  } as PodState;
}

/** A cluster of `nodes` holding `placed`; the view preemption reads; decideOn for `preemptor`. */
function decideFor(preemptor: PodState, nodes: readonly Node[], placed: readonly Placed[], budgets: readonly Budget[] = []): Decision {
  const states = new Map<PodKey, PodState>();
  for (const item of placed) {
    const pod = makePod(item.name, { cpu: item.cpu }, { priority: item.priority, labels: item.labels ?? {} });
    states.set(podKey(pod), podState(pod, item.node, {
      ...(item.startedAt !== undefined ? { startedAt: item.startedAt } : {}),
      ...(item.terminating !== undefined ? { deletionDeadline: 100 } : {}),
      ...(item.terminating === "preempted" ? { disruption: { reason: "PreemptionByScheduler", message: "default-scheduler: preempting to accommodate a higher priority pod", at: 1 } } : {}),
    }));
  }
  states.set(podKey(preemptor.pod), preemptor);
  const infos: NodeInfo[] = nodes.map((node) => {
    const here = [...states.values()].filter((state) => state.node === node.name && state.holdsResources);
    const pods: PodInfo[] = here.map((state) => ({ pod: state.pod, terminating: state.deletionDeadline !== undefined }));
    const requested: Record<string, number> = {};
    for (const state of here) for (const [name, amount] of Object.entries(state.request)) requested[name] = (requested[name] ?? 0) + amount;
    return { node, requested, nonZeroRequested: { cpu: requested["cpu"] ?? 0, memory: 0 }, podCount: here.length, usedPorts: [], pods };
  });
  const held = [...states.values()].filter((state) => state.holdsResources).map((state) => state.pod.priority);
  const view: ClusterView = { podOf: (key) => states.get(key), nominatedTo: () => [], anyNominated: false, budgets: () => budgets, now: 50, lowestHeldPriority: Math.min(...held) };
  return decideOn(preemptor, infos, 0, defaultSchedulerChoice(), 1, undefined, view);
}

const preemptor = (priority: number, cpu: string, extra: Partial<Pod> = {}, state: Partial<PodState> = {}): PodState => podState(makePod("preemptor", { cpu }, { priority, ...extra }), undefined, state);
const node = (name: string, cpu = VERY_LARGE, pods = 32): Node => makeNode(name, { cpu, memory: "1Gi", pods: String(pods) });
const victims = (decision: Decision): string[] => (decision.kind === "unschedulable" ? [...(decision.preemption?.victims ?? [])].sort() : []);

describe("numCandidates (calculateNumCandidates): min(max(⌊N·percentage/100⌋, absolute), N)", () => {
  const rows: Array<{ nodes: number; percentage: number; absolute: number; expected: number }> = [
    { nodes: 5, percentage: 10, absolute: 100, expected: 5 }, // max(0, 100) = 100 → capped at 5
    { nodes: 1000, percentage: 10, absolute: 100, expected: 100 }, // max(100, 100)
    { nodes: 2000, percentage: 10, absolute: 100, expected: 200 }, // max(200, 100)
    { nodes: 5, percentage: 40, absolute: 1, expected: 2 }, // ⌊2⌋ = 2
    { nodes: 5, percentage: 0, absolute: 0, expected: 0 },
  ];
  it.each(rows)("$nodes nodes at $percentage percent (absolute $absolute): $expected", ({ nodes, percentage, absolute, expected }) => {
    expect(numCandidates(nodes, { minCandidateNodesPercentage: percentage, minCandidateNodesAbsolute: absolute })).toBe(expected);
  });
});

describe("the cycle's outcome and message (TestPostFilter)", () => {
  it("P1 a full node (1 pod slot) with a pod of priority 0: a high pod preempts it and is nominated; the message is the filters' only", () => {
    const decision = decideFor(preemptor(HIGH, SMALL), [node("n1", VERY_LARGE, 1)], [{ name: "p1", node: "n1", priority: LOW, cpu: SMALL }]);
    expect(decision).toMatchObject({ kind: "unschedulable", message: "0/1 nodes are available: 1 Too many pods.", preemption: { node: "n1", victims: ["default/p1"] } });
  });

  it("P2 the same with a preemptor of equal priority: no victim", () => {
    const decision = decideFor(preemptor(LOW, SMALL), [node("n1", VERY_LARGE, 1)], [{ name: "p1", node: "n1", priority: LOW, cpu: SMALL }]);
    expect(decision).toMatchObject({ message: "0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod." });
    expect(decision).not.toHaveProperty("preemption");
  });

  it("P3 a node refused as UnschedulableAndUnresolvable (cordoned) is no candidate", () => {
    const cordoned = { ...node("n1", VERY_LARGE, 1), unschedulable: true };
    const decision = decideFor(preemptor(HIGH, SMALL), [cordoned], [{ name: "p1", node: "n1", priority: LOW, cpu: SMALL }]);
    expect(decision).toMatchObject({ message: "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling." });
  });

  it("P4 of two full nodes, the one whose pod has the lower priority: n2", () => {
    const decision = decideFor(preemptor(MID, SMALL), [node("n1", VERY_LARGE, 1), node("n2", VERY_LARGE, 1)], [
      { name: "p1", node: "n1", priority: HIGH, cpu: SMALL },
      { name: "p2", node: "n2", priority: LOW, cpu: SMALL },
    ]);
    // n1's only pod outranks the preemptor: no victim there; n2's goes.
    expect(decision).toMatchObject({ preemption: { node: "n2", victims: ["default/p2"] } });
  });

  it("P5 both nodes breach a budget once: the lowest highest victim priority decides (n1 1000, n2 100 → n2)", () => {
    const budgets: Budget[] = [
      { namespace: "default", selector: { matchLabels: { budget: "violating" }, matchExpressions: [] }, allowed: 0 },
      { namespace: "default", selector: { matchLabels: { budget: "non-violating" }, matchExpressions: [] }, allowed: 2 ** 31 - 1 },
    ];
    // As kube's row, n1 holds two pods on one slot. n1: p2 (its budget allows 0: violating) is tried
    // back first: 1 + the preemptor = 2 > 1, it goes, 1 violation; p1 (budget not breached) back: 2 > 1,
    // goes. n2: p3 goes, 1 violation. Violations tie (1, 1); highest victim priority n1 1000, n2 100.
    const decision = decideFor(preemptor(VERY_HIGH, SMALL), [node("n1", VERY_LARGE, 1), node("n2", VERY_LARGE, 1)], [
      { name: "p1", node: "n1", priority: HIGH, cpu: SMALL, labels: { budget: "non-violating" } },
      { name: "p2", node: "n1", priority: LOW, cpu: SMALL, labels: { budget: "violating" } },
      { name: "p3", node: "n2", priority: MID, cpu: SMALL, labels: { budget: "violating" } },
    ], budgets);
    expect(decision).toMatchObject({ preemption: { node: "n2", victims: ["default/p3"] } });
  });

  it("P6 removing every lower-priority pod still leaves too little cpu: the filter's reason, per node", () => {
    // Each node: a high pod of 300m stays (equal priority), a low one of 100m goes: 300 + 300 > 500 still.
    const decision = decideFor(preemptor(HIGH, LARGE), [node("n1"), node("n2")], [
      { name: "p1", node: "n1", priority: HIGH, cpu: LARGE },
      { name: "p2", node: "n1", priority: LOW, cpu: SMALL },
      { name: "p3", node: "n2", priority: HIGH, cpu: LARGE },
      { name: "p4", node: "n2", priority: LOW, cpu: SMALL },
    ]);
    expect(decision).toMatchObject({ message: "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 Insufficient cpu." });
  });

  it("P6' a request above the node's allocatable is UnschedulableAndUnresolvable (NodeResourcesFit, v1.35): no node is worth a preemption", () => {
    const decision = decideFor(preemptor(HIGH, LARGE), [node("n1", "200m"), node("n2", "200m")], [
      { name: "p1", node: "n1", priority: LOW, cpu: "0" },
      { name: "p2", node: "n2", priority: LOW, cpu: "0" },
    ]);
    expect(decision).toMatchObject({ message: "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling." });
  });

  it("P7 one node too small even empty, two whose pods outrank the preemptor", () => {
    const decision = decideFor(preemptor(HIGH, LARGE), [node("n1", VERY_LARGE, 1), node("n2", "200m"), node("n3", VERY_LARGE, 1)], [
      { name: "p1", node: "n1", priority: HIGH, cpu: SMALL },
      { name: "p2", node: "n2", priority: LOW, cpu: SMALL },
      { name: "p3", node: "n3", priority: HIGH, cpu: SMALL },
    ]);
    // n1, n3: full (Too many pods), only an equal-priority pod there; n2: 300m > 200m allocatable,
    // UnschedulableAndUnresolvable, not tried.
    expect(decision).toMatchObject({ message: "0/3 nodes are available: 1 Insufficient cpu, 2 Too many pods. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod." });
  });
});

describe("victims on a node (TestDryRunPreemption)", () => {
  it("D1 the more important pod is tried back first and does not fit (300 + 300 > 500); the less important one then does (100 + 300)", () => {
    const decision = decideFor(preemptor(HIGH, LARGE), [node("n1")], [
      { name: "p1.1", node: "n1", priority: LOW, cpu: SMALL },
      { name: "p1.2", node: "n1", priority: MID, cpu: LARGE },
    ]);
    expect(victims(decision)).toEqual(["default/p1.2"]);
  });

  it("D2 the high pod is no victim (equal priority); of the rest, p1.1 comes back (100 + 100 + 300 = 500), p1.3 and p1.2 do not", () => {
    const decision = decideFor(preemptor(HIGH, LARGE), [node("n1")], [
      { name: "p1.1", node: "n1", priority: MID, cpu: SMALL },
      { name: "p1.2", node: "n1", priority: LOW, cpu: SMALL },
      { name: "p1.3", node: "n1", priority: MID, cpu: MEDIUM },
      { name: "p1.4", node: "n1", priority: HIGH, cpu: SMALL },
    ]);
    expect(victims(decision)).toEqual(["default/p1.2", "default/p1.3"]);
  });

  it("D3 with start times, the older of two low pods (p1.2, t=4) is tried back before p1.1 (t=5): p1.1 goes", () => {
    const decision = decideFor(preemptor(HIGH, LARGE), [node("n1")], [
      { name: "p1.1", node: "n1", priority: LOW, cpu: SMALL, startedAt: 5 },
      { name: "p1.2", node: "n1", priority: LOW, cpu: SMALL, startedAt: 4 },
      { name: "p1.3", node: "n1", priority: MID, cpu: MEDIUM, startedAt: 3 },
      { name: "p1.4", node: "n1", priority: HIGH, cpu: SMALL, startedAt: 2 },
    ]);
    // p1.3 (mid) first: 100 + 200 + 300 > 500, goes; p1.2: 100 + 100 + 300 = 500 stays; p1.1: goes.
    expect(victims(decision)).toEqual(["default/p1.1", "default/p1.3"]);
  });

  it("D5 a budget allowing 1 disruption: both pods must go for a 500m pod, the second breaches it", () => {
    const budgets: Budget[] = [{ namespace: "default", selector: { matchLabels: { app: "foo" }, matchExpressions: [] }, allowed: 1 }];
    const decision = decideFor(preemptor(HIGH, VERY_LARGE), [node("n1")], [
      { name: "p1.1", node: "n1", priority: MID, cpu: MEDIUM, labels: { app: "foo" } },
      { name: "p1.2", node: "n1", priority: MID, cpu: MEDIUM, labels: { app: "foo" } },
    ], budgets);
    expect(victims(decision)).toEqual(["default/p1.1", "default/p1.2"]);
  });
});

describe("the node chosen (TestSelectBestCandidate): a 500m preemptor of high priority, every lower pod on a node must go", () => {
  const three = [node("n1"), node("n2"), node("n3")];
  const pods = (spec: ReadonlyArray<[string, number, number?]>): Placed[] => spec.map(([where, priority, startedAt], index) => ({ name: `p${index}`, node: where, priority, cpu: SMALL, ...(startedAt !== undefined ? { startedAt } : {}) }));
  const rows: Array<{ id: string; placed: Placed[]; chosen: string; preemptor?: number; nodes?: Node[] }> = [
    { id: "S1 lowest highest victim priority: n3 (low, low)", placed: pods([["n1", MID], ["n1", MID], ["n2", MID], ["n2", LOW], ["n3", LOW], ["n3", LOW]]), chosen: "n3" },
    { id: "S2 equal highest (mid): smallest Σ(priority + 2³¹): n2 (mid + low)", placed: pods([["n1", MID], ["n1", MID], ["n2", MID], ["n2", LOW], ["n3", MID], ["n3", MID]]), chosen: "n2" },
    // n1: 4 victims, n2: 2, n3: 3 — each term is ≥ 0 after + 2³¹, so fewer victims weigh less
    { id: "S3 the sum counts each victim's 2³¹: n2 (mid, neg)", placed: pods([["n1", MID], ["n1", NEG], ["n1", MID], ["n1", NEG], ["n2", MID], ["n2", NEG], ["n3", MID], ["n3", NEG], ["n3", LOW]]), chosen: "n2" },
    // raw sums n1 −100, n2 0, n3 0; adjusted: n1 3·2³¹ − 100 > n2 2·2³¹
    { id: "S4 the adjusted sum, not the raw one (which would pick n1): n2", placed: pods([["n1", MID], ["n1", NEG], ["n1", NEG], ["n2", MID], ["n2", NEG], ["n3", MID], ["n3", NEG], ["n3", LOW]]), chosen: "n2" },
    { id: "S6 equal victims: the latest earliest start (2, 3, 1): n2", placed: pods([["n1", MID, 2], ["n1", MID, 2], ["n2", MID, 3], ["n2", MID, 3], ["n3", MID, 1], ["n3", MID, 1]]), chosen: "n2" },
    { id: "S7 earliest start per node 2, 1, 3: n3", placed: pods([["n1", MID, 4], ["n1", MID, 2], ["n2", MID, 5], ["n2", MID, 1], ["n3", MID, 3], ["n3", MID, 6]]), chosen: "n3" },
    { id: "S8 only the highest-priority victims' starts count (2, 6, 5): n2", placed: pods([["n1", LOW, 4], ["n1", MID, 2], ["n2", MID, 6], ["n2", LOW, 1], ["n3", LOW, 3], ["n3", MID, 5]]), chosen: "n2" },
  ];
  it.each(rows)("$id", ({ placed, chosen }) => {
    const decision = decideFor(preemptor(HIGH, VERY_LARGE), three, placed);
    expect(decision.kind === "unschedulable" ? decision.preemption?.node : undefined).toBe(chosen);
  });
});

describe("who may preempt (TestPodEligibleToPreemptOthers)", () => {
  const full = [node("n1", VERY_LARGE, 1)];
  it("E3 preemptionPolicy Never: not eligible, the nomination kept", () => {
    const decision = decideFor(preemptor(HIGH, SMALL, { preemptionPolicy: "Never" }), full, [{ name: "p1", node: "n1", priority: LOW, cpu: SMALL }]);
    expect(decision).toMatchObject({ message: "0/1 nodes are available: 1 Too many pods. preemption: not eligible due to preemptionPolicy=Never." });
    expect(decision).not.toHaveProperty("clearNomination");
  });

  it("E4 nominated to n1, where a lower-priority pod is terminating by preemption: not eligible", () => {
    const decision = decideFor(preemptor(HIGH, SMALL, {}, { nominatedNode: "n1" }), full, [{ name: "p1", node: "n1", priority: LOW, cpu: SMALL, terminating: "preempted" }]);
    expect(decision).toMatchObject({ message: "0/1 nodes are available: 1 Too many pods. preemption: not eligible due to a terminating pod on the nominated node." });
  });

  it("E5 … but a pod terminating for another reason does not block: it preempts again (the terminating pod is still a victim)", () => {
    const decision = decideFor(preemptor(HIGH, SMALL, {}, { nominatedNode: "n1" }), full, [{ name: "p1", node: "n1", priority: LOW, cpu: SMALL, terminating: "deleted" }]);
    expect(decision).toMatchObject({ preemption: { node: "n1", victims: ["default/p1"] } });
  });
});

describe("a run: a high-priority pod on a full cluster", () => {
  // Two nodes of 1 cpu, each with two 500m pods of priority 0 (bare pods, not recreated). At 10s a
  // 500m pod of priority 1000 arrives: nothing fits, so it preempts one pod (on each node one of
  // the two is spared: 500 + 500 = 1000), is nominated there, and is bound there once the victim's
  // 30 s grace period has ended: at 40s.
  const low = (name: string) => makePod(name, { cpu: "500m" }, { restartPolicy: "Always" });
  const run = runScenario({
    name: "preemption", seed: 1, untilSeconds: 120, options: { fitBy: "requests" },
    nodes: [makeNode("node-1", { cpu: "1", memory: "4Gi" }), makeNode("node-2", { cpu: "1", memory: "4Gi" })],
    pods: [low("low-1"), low("low-2"), low("low-3"), low("low-4")],
    timeline: [{ at: 10, action: "createPod", pod: makePod("urgent", { cpu: "500m" }, { priority: 1000 }) }],
  });
  const at10 = run.events.filter((event) => event.t === 10);

  it("at 10s: FailedScheduling without a preemption part, the nomination, then the victim marked and deleted with its 30 s grace period", () => {
    expect(at10.map((event) => event.type)).toEqual(["PodCreated", "PodUnschedulable", "PodNominated", "PodPreempted", "PodDeleted"]);
    expect(at10[1]).toMatchObject({ pod: "default/urgent", message: "0/2 nodes are available: 2 Insufficient cpu." });
    const nominated = at10[2] as Extract<typeof at10[number], { type: "PodNominated" }>;
    expect(at10[3]).toMatchObject({ node: nominated.node, preemptor: "default/urgent", message: "default-scheduler: preempting to accommodate a higher priority pod" });
    expect(at10[4]).toMatchObject({ gracePeriodSeconds: 30 });
  });

  it("at 40s the victim's resources are freed and the preemptor is bound to its nominated node; its nomination is cleared", () => {
    const nominated = at10[2] as Extract<typeof at10[number], { type: "PodNominated" }>;
    const victim = (at10[3] as Extract<typeof at10[number], { type: "PodPreempted" }>).pod;
    expect(run.events.find((event) => event.type === "ResourcesFreed" && event.pod === victim)?.t).toBe(40);
    expect(run.events.find((event) => event.type === "PodBound" && event.pod === "default/urgent")).toMatchObject({ t: 40, node: nominated.node });
    expect(run.state.pods["default/urgent"]?.nominatedNode).toBeUndefined();
    expect(Object.values(run.state.pods).filter((pod) => pod.node !== undefined).length).toBe(4);
  });
});

describe("the dry run on resource sums alone (sumsOnly) against the general one (every filter on an adjusted node)", () => {
  it("gives the same outcome on random full clusters, with nominated pods and budgets", () => {
    const profile = defaultSchedulerConfiguration().profiles[0] as Profile;
    const outcomes = { nominated: 0, failed: 0 };
    fc.assert(fc.property(
      fc.array(fc.record({ cpu: fc.integer({ min: 1, max: 8 }), slots: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: 5 }),
      fc.array(fc.record({ node: fc.nat(4), priority: fc.integer({ min: -2, max: 2 }), cpu: fc.integer({ min: 1, max: 6 }), app: fc.constantFrom("a", "b") }), { maxLength: 14 }),
      fc.array(fc.record({ node: fc.nat(4), priority: fc.integer({ min: -2, max: 3 }), cpu: fc.integer({ min: 1, max: 4 }) }), { maxLength: 3 }),
      fc.record({ priority: fc.integer({ min: -1, max: 3 }), cpu: fc.integer({ min: 1, max: 8 }), allowed: fc.integer({ min: 0, max: 2 }) }),
      (shapes, placed, nominations, incoming) => {
        const nodes = shapes.map((shape, index) => node(`n${index}`, `${shape.cpu * 500}m`, shape.slots));
        const states = new Map<PodKey, PodState>();
        placed.forEach((item, index) => {
          const where = nodes[item.node % nodes.length] as Node;
          const pod = makePod(`p${index}`, { cpu: `${item.cpu * 250}m` }, { priority: item.priority, labels: { app: item.app } });
          states.set(podKey(pod), podState(pod, where.name, { startedAt: index % 3 }));
        });
        const nominated = nominations.map((item, index) => podState(makePod(`nom${index}`, { cpu: `${item.cpu * 250}m` }, { priority: item.priority }), undefined, { nominatedNode: (nodes[item.node % nodes.length] as Node).name }));
        for (const pod of nominated) states.set(podKey(pod.pod), pod);
        const preemptorState = podState(makePod("preemptor", { cpu: `${incoming.cpu * 250}m` }, { priority: incoming.priority }), undefined);
        states.set(podKey(preemptorState.pod), preemptorState);
        const infos: NodeInfo[] = nodes.map((spec) => {
          const here = [...states.values()].filter((state) => state.node === spec.name);
          const requested: Record<string, number> = {};
          for (const state of here) for (const [name, amount] of Object.entries(state.request)) requested[name] = (requested[name] ?? 0) + amount;
          return { node: spec, requested, nonZeroRequested: { cpu: requested["cpu"] ?? 0, memory: 0 }, podCount: here.length, usedPorts: [], pods: here.map((state) => ({ pod: state.pod, terminating: false })) };
        });
        const view: ClusterView = {
          podOf: (key) => states.get(key), nominatedTo: byNominatedNode(nominated), anyNominated: nominated.length > 0,
          budgets: () => [{ namespace: "default", selector: { matchLabels: { app: "a" }, matchExpressions: [] }, allowed: incoming.allowed }], now: 10,
          lowestHeldPriority: Math.min(Infinity, ...placed.map((item) => item.priority)),
        };
        const cycle = cycleState(preemptorState.pod, preemptorState.request, infos);
        const nominatedFilter = nominatedView(preemptorState, view);
        const result = runCycle({ profile, cycle, nodes: infos, startIndex: 0, seed: 1, ...(nominatedFilter !== undefined ? { nominated: nominatedFilter } : {}) });
        if (result.selected !== undefined) return;
        const preFiltered = runPreFilter(profile, cycle);
        if ("rejectedBy" in preFiltered) return;
        const input = {
          args: { minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 }, preemptor: preemptorState, filters: preFiltered.filters, cycle, nodes: infos,
          statuses: new Map(result.verdicts.map((verdict) => [verdict.node, verdict.status])), podOf: view.podOf,
          ...(nominatedFilter !== undefined ? { nominated: nominatedFilter } : {}),
          nominatedTo: view.nominatedTo, budgets: view.budgets(), seed: 1, now: 10,
        };
        // A recount that gives nothing new forces the general path (every filter, adjusted nodes).
        const outcome = preempt(input);
        outcomes[outcome.kind]++;
        expect(outcome).toEqual(preempt({ ...input, recount: () => undefined }));
      },
    ), { numRuns: 300 });
    expect(outcomes.nominated).toBeGreaterThan(20);
    expect(outcomes.failed).toBeGreaterThan(20);
  });
});

/**
 * kube's addGENominatedPods runs each filter plugin's PreFilter AddPod extension for the pods
 * nominated to a node (framework/runtime/framework.go): PodTopologySpread and InterPodAffinity
 * count them there in the first of the two filter passes. Two zones, a and b, two nodes each; one
 * "web" pod already runs in each zone; a web pod of priority 10 is nominated to a1. The new web pod
 * (priority 10, maxSkew 1 by zone, DoNotSchedule) sees zone a at 2 with the nominated one and b at
 * 1: 2 + 1 − 1 = 2 > 1 on a1 and a2 (a1 holds the nominated pod; a2 is in its zone but has none
 * nominated, so only the second pass runs there: a1 is the only node refused). An anti-affinity
 * pod against web by hostname is refused on a1 by the nominated pod alone.
 */
describe("pods nominated to a node count in PodTopologySpread's and InterPodAffinity's filters (addGENominatedPods)", () => {
  const zoned = (name: string, zone: string) => makeNode(name, { cpu: "4", memory: "8Gi" }, { labels: { "topology.kubernetes.io/zone": zone, "kubernetes.io/hostname": name } });
  const web = { app: "web" };
  const spread = [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" as const, labelSelector: { matchLabels: web, matchExpressions: [] }, matchLabelKeys: [] }];
  function stateWith(incoming: Pod): { reference: ClusterState; fast: FastState } {
    const drafts: EventDraft[] = [
      ...["a1", "a2", "b1", "b2"].map((name): EventDraft => ({ type: "NodeJoined", node: name, spec: zoned(name, name[0] as string) })),
      { type: "PodCreated", pod: "default/web-a", spec: makePod("web-a", { cpu: "100m" }, { labels: web, nodeName: "a2" }) },
      { type: "PodCreated", pod: "default/web-b", spec: makePod("web-b", { cpu: "100m" }, { labels: web, nodeName: "b2" }) },
      { type: "PodCreated", pod: "default/web-n", spec: makePod("web-n", { cpu: "100m" }, { labels: web, priority: 10 }) },
      { type: "PodNominated", pod: "default/web-n", node: "a1" },
      { type: "PodCreated", pod: podKey(incoming), spec: incoming },
    ];
    const events = drafts.map((draft, index) => ({ ...draft, t: 0, seq: index + 1 }) as ClusterEvent);
    const reference = reduceAll(createState(), events);
    const fast = fastReduceAll(createFastState(), events);
    if (!reference.ok || !fast.ok) throw new Error("setup refused");
    return { reference: reference.state, fast: fast.state };
  }
  /** Every node's verdict from the plain path's cycle, as `explain` shows them. */
  function refusedBy(state: ClusterState, key: PodKey): Record<string, string> {
    const pod = state.pods[key] as PodState;
    const profile = defaultSchedulerConfiguration().profiles[0] as Profile;
    const nodes = nodeInfos(state, state.nodeTree);
    const cycle = cycleState(pod.pod, pod.request, nodes, ownersOf(state));
    const view = clusterViewOf(state);
    const result = runCycle({ profile, cycle, nodes, startIndex: 0, seed: 1, nominated: nominatedView(pod, view) as NonNullable<ReturnType<typeof nominatedView>>, recount: nominatedRecount(pod, profile, cycle, nodes, ownersOf(state)) });
    return Object.fromEntries(result.verdicts.map((verdict) => [verdict.node, verdict.plugin ?? "ok"]));
  }

  it("spreading: a1, where the nominated web pod sits, is refused by PodTopologySpread; a2 is not (only the second pass runs there)", () => {
    const incoming = makePod("web-new", { cpu: "100m" }, { labels: web, priority: 10, topologySpreadConstraints: spread });
    const { reference, fast } = stateWith(incoming);
    expect(refusedBy(reference, "default/web-new")).toEqual({ a1: "PodTopologySpread", a2: "ok", b1: "ok", b2: "ok" });
    // Both engines decide alike (the fast one takes the plain path for such a pod while pods are nominated).
    for (const seed of [1, 2, 3, 4, 5]) {
      const decision = decide(reference, "default/web-new", defaultSchedulerChoice(), seed);
      expect(decision.kind === "bind" ? decision.node : decision.kind).not.toBe("a1");
      expect(decideFast(fast, "default/web-new", defaultSchedulerChoice(), seed)).toEqual(decision);
    }
  });

  it("… a pod of lower priority counts it too (priority 5 ≤ 10); one of higher priority does not (20 > 10: only pods of equal or higher priority are added)", () => {
    const low = makePod("web-low", { cpu: "100m" }, { labels: web, priority: 5, topologySpreadConstraints: spread });
    expect(refusedBy(stateWith(low).reference, "default/web-low")).toEqual({ a1: "PodTopologySpread", a2: "ok", b1: "ok", b2: "ok" });
    const high = makePod("web-high", { cpu: "100m" }, { labels: web, priority: 20, topologySpreadConstraints: spread });
    expect(refusedBy(stateWith(high).reference, "default/web-high")).toEqual({ a1: "ok", a2: "ok", b1: "ok", b2: "ok" });
  });

  it("anti-affinity by hostname against web: a1 refused by InterPodAffinity for the nominated pod alone", () => {
    const anti = { required: [{ labelSelector: { matchLabels: web, matchExpressions: [] }, namespaces: [], topologyKey: "kubernetes.io/hostname", matchLabelKeys: [], mismatchLabelKeys: [] }], preferred: [] };
    const incoming = makePod("loner", { cpu: "100m" }, { priority: 10, podAntiAffinity: anti });
    const { reference, fast } = stateWith(incoming);
    expect(refusedBy(reference, "default/loner")).toEqual({ a1: "InterPodAffinity", a2: "InterPodAffinity", b1: "ok", b2: "InterPodAffinity" });
    for (const seed of [1, 2, 3]) expect(decideFast(fast, "default/loner", defaultSchedulerChoice(), seed)).toEqual(decide(reference, "default/loner", defaultSchedulerChoice(), seed));
  });
});
