/**
 * The fast engine's kept spreading counts and the fused kernel's spreading arithmetic against the
 * PodTopologySpread plugin run on the reference state (its naive pass over every node's pods):
 * per hard constraint, the counts per domain and the minimum PreFilter computes; per soft
 * constraint set, the normalized scores of any set of feasible nodes. Clusters with every node
 * labelled by zone and hostname (the case the fused kernel handles), pods of two apps bound
 * about, some of them terminating.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ClusterEvent, EventDraft } from "../events/events.js";
import type { TopologySpreadConstraint } from "../model/spread.js";
import type { LabelSelector } from "../model/workload.js";
import { reduceAll } from "../reference/reduce.js";
import { createState } from "../cluster/state.js";
import { cycleState, nodeInfos, ownersOf } from "../scheduler/framework/snapshot.js";
import { newPodTopologySpread, spreadFilterState } from "../scheduler/plugins/podtopologyspread/index.js";
import { makeNode, makePod, makeWorkload, runOnBothEngines } from "../testing/builders.js";
import type { Scenario } from "../engine/scenario.js";
import type { Service } from "../model/policy.js";
import { createFastState } from "./state.js";
import { fastReduceAll } from "./reduce.js";
import { keptSpreadRaw, keptSpreadScores, normalizedSpreadScore } from "./spread-counts.js";
import type { NodeInfo } from "../scheduler/framework/types.js";

const RUNS = Number(process.env["TIMONEIRO_PROPERTY_RUNS"] ?? 100);
const SELECTORS: Record<string, LabelSelector | undefined> = {
  web: { matchLabels: { app: "web" }, matchExpressions: [] },
  notDb: { matchLabels: {}, matchExpressions: [{ key: "app", operator: "NotIn", values: ["db"] }] },
  nil: undefined,
  empty: { matchLabels: {}, matchExpressions: [] },
};

const cases = fc.record({
  nodes: fc.integer({ min: 1, max: 20 }),
  zones: fc.integer({ min: 1, max: 4 }),
  pods: fc.array(fc.record({ node: fc.nat(19), app: fc.constantFrom("web", "web", "db", "other"), namespace: fc.constantFrom("default", "default", "other"), terminating: fc.boolean() }), { maxLength: 60 }),
  constraints: fc.array(fc.record({ key: fc.constantFrom("topology.kubernetes.io/zone", "kubernetes.io/hostname"), hard: fc.boolean(), maxSkew: fc.integer({ min: 1, max: 3 }), selector: fc.constantFrom(...Object.keys(SELECTORS)), minDomains: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }) }), { minLength: 1, maxLength: 3 }),
  feasible: fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
  // Now and then the pod has no constraints of its own: kube's System defaults, with the selector
  // of its ReplicaSet (app=web) and of a Service selecting it (tier=front), or of neither.
  defaults: fc.constantFrom("own", "own", "replicaset", "service", "both", "neither"),
  zoned: fc.boolean(),
});

describe("kept spreading counts and the fused arithmetic equal the plugin's", () => {
  it("counts and minimum per hard constraint, normalized scores per set of feasible nodes", () => {
    let scored = 0;
    fc.assert(fc.property(cases, ({ nodes, zones, pods, constraints, feasible, defaults, zoned }) => {
      // Under the System defaults a node may lack the zone (it then counts under ""); with the pod's own constraints every node has it.
      const drafts: EventDraft[] = Array.from({ length: nodes }, (_, index): EventDraft => ({
        type: "NodeJoined", node: `n${index}`,
        spec: makeNode(`n${index}`, { cpu: "64", memory: "256Gi" }, { labels: { ...(defaults === "own" || zoned || index % 2 === 0 ? { "topology.kubernetes.io/zone": `zone-${index % zones}` } : {}), "kubernetes.io/hostname": `n${index}` } }),
      }));
      const replicaSet = makeWorkload("ReplicaSet", "web", 1);
      if (defaults === "replicaset" || defaults === "both") drafts.push({ type: "ObjectApplied", kind: "ReplicaSet", object: "default/web", spec: replicaSet });
      if (defaults === "service" || defaults === "both") {
        const frontend: Service = { kind: "Service", namespace: "default", name: "front", labels: {}, selector: { tier: "front" }, type: "ClusterIP", ports: [], publishNotReadyAddresses: false, manifest: {} };
        drafts.push({ type: "ObjectApplied", kind: "Service", object: "default/front", spec: frontend });
      }
      pods.forEach((pod, index) => {
        const key = `${pod.namespace}/f${index}`;
        drafts.push({ type: "PodCreated", pod: key, spec: makePod(`f${index}`, {}, { namespace: pod.namespace, nodeName: `n${pod.node % nodes}`, labels: { app: pod.app, ...(index % 3 === 0 ? { tier: "front" } : {}) } }) });
        if (pod.terminating) drafts.push({ type: "PodDeleted", pod: key, gracePeriodSeconds: 30 });
      });
      const unique = constraints.filter((item, index) => constraints.findIndex((other) => other.key === item.key && other.hard === item.hard) === index);
      const spread: TopologySpreadConstraint[] = unique.map((item) => {
        const selector = SELECTORS[item.selector];
        return {
          maxSkew: item.maxSkew, topologyKey: item.key, whenUnsatisfiable: item.hard ? "DoNotSchedule" : "ScheduleAnyway",
          ...(selector !== undefined ? { labelSelector: selector } : {}),
          ...(item.hard && item.minDomains !== undefined ? { minDomains: item.minDomains } : {}),
          matchLabelKeys: [],
        };
      });
      const incoming = defaults === "own"
        ? makePod("p", { cpu: "100m" }, { labels: { app: "web" }, topologySpreadConstraints: spread })
        : makePod("p", { cpu: "100m" }, { labels: { app: "web", tier: "front" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", controller: true }] });
      drafts.push({ type: "PodCreated", pod: "default/p", spec: incoming });
      const events = drafts.map((draft, index) => ({ ...draft, t: 0, seq: index + 1 }) as ClusterEvent);
      const reference = reduceAll(createState(), events);
      const fast = fastReduceAll(createFastState(), events);
      if (!reference.ok || !fast.ok) throw new Error("setup refused");

      const kept = fast.state.keptSpread(incoming);
      expect(kept).toBeDefined();
      const all = nodeInfos(reference.state, reference.state.nodeTree);
      const plugin = newPodTopologySpread();
      const cycle = cycleState(incoming, { cpu: 100 }, all, ownersOf(reference.state));
      plugin.preFilter?.(cycle);
      const filterState = spreadFilterState(cycle);
      expect((kept?.hard ?? []).map((item) => [...item.counts].sort())).toEqual(
        (filterState?.counts ?? []).map((counts) => [...counts].filter(([, count]) => count > 0).sort()),
      );
      const minimums = (filterState?.constraints ?? []).map((constraint, index) => {
        const counts = filterState?.counts[index] as ReadonlyMap<string, number>;
        return counts.size < constraint.minDomains ? 0 : Math.min(...counts.values());
      });
      expect(kept?.hard.map((item) => item.minimum)).toEqual(minimums);

      const chosen = all.filter((_, index) => feasible[index]);
      if (chosen.length === 0 || (kept?.soft.length ?? 0) === 0) return;
      scored++;
      plugin.preScore?.(cycle, chosen);
      const expected = chosen.map((info) => plugin.score?.(cycle, info) as number);
      plugin.normalizeScore?.(cycle, chosen, expected);
      expect(keptSpreadScores(chosen.map((info) => info.node), kept?.soft ?? [])).toEqual(expected);
      // The fused kernel reads the zone as a small integer per slot: the same scores that way.
      const names = [...new Set(chosen.flatMap((info) => info.node.labels["topology.kubernetes.io/zone"] ?? []))].reverse();
      const raw = new Float64Array(chosen.length);
      const zoneId = (index: number) => names.indexOf((chosen[index] as NodeInfo).node.labels["topology.kubernetes.io/zone"] ?? "\u0000");
      const { minimum, maximum } = keptSpreadRaw((index) => (chosen[index] as NodeInfo).node.name, (index, key) => (chosen[index] as NodeInfo).node.labels[key], chosen.length, kept?.soft ?? [], raw, { idAt: zoneId, names });
      expect(Array.from(raw, (score) => normalizedSpreadScore(score, minimum, maximum))).toEqual(expected);
    }), { numRuns: RUNS * 3 });
    expect(scored).toBeGreaterThan(0);
  });
});

describe("the fused kernel's reading of the default constraints follows the cluster", () => {
  it("zoned nodes joining while a Deployment's pods wait: both engines give the same events", () => {
    // Two unzoned 1-cpu nodes hold 4 of the 8 pods (500m each); the other 4 wait. At 60 s four
    // zoned nodes join (no Service or ReplicaSet changes): the waiting pods are now scored by zone
    // too, in both engines.
    const plain = (name: string) => makeNode(name, { cpu: "1", memory: "32Gi" });
    const zoned = (name: string, zone: string) => makeNode(name, { cpu: "8", memory: "32Gi" }, { labels: { "topology.kubernetes.io/zone": zone } });
    const scenario: Scenario = {
      name: "zones-join", seed: 3, untilSeconds: 400, options: { fitBy: "requests" },
      nodes: [plain("n1"), plain("n2")], pods: [], objects: [makeWorkload("Deployment", "web", 8, { cpu: "500m" })],
      timeline: [
        { at: 60, action: "addNode", node: zoned("z1", "zone-a") },
        { at: 60, action: "addNode", node: zoned("z2", "zone-a") },
        { at: 60, action: "addNode", node: zoned("z3", "zone-a") },
        { at: 60, action: "addNode", node: zoned("z4", "zone-b") },
      ],
    };
    const run = runOnBothEngines(scenario);
    const late = run.events.filter((event): event is Extract<typeof event, { type: "PodBound" }> => event.type === "PodBound" && event.t >= 60);
    // the four waiting pods, on the zoned nodes (the first two are full)
    expect(late).toHaveLength(4);
    expect(late.every((event) => event.node.startsWith("z"))).toBe(true);
  });
});
