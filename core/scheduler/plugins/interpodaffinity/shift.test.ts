/**
 * InterPodAffinity's AddPod / RemovePod (`shiftAffinity`, kube's `updateWithPod`) against a
 * rebuild from scratch: the filter's verdict on a node whose pods changed — some removed, as
 * preemption's dry run removes victims, some added, as the nominator adds nominated pods — is the
 * verdict of a fresh PreFilter over the cluster with that node changed (the naive counter reads
 * every pod). Random incoming pods and existing pods with every kind of required and preferred
 * term, over zone, hostname and a key some nodes lack.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Node } from "../../../model/node.js";
import type { Pod } from "../../../model/pod.js";
import type { PodAffinityRules, PodAffinityTerm } from "../../../model/affinity.js";
import { makeNode, makePod } from "../../../testing/builders.js";
import { cycleStateWith } from "../../framework/snapshot.js";
import type { NodeInfo, PodInfo } from "../../framework/types.js";
import { affinityFilterState, newInterPodAffinity, shiftAffinity } from "./index.js";

/**
 * A term over the pods labelled `app`: by zone, hostname or a key some nodes lack; selectors a,
 * b, `{}` and nil; namespaces own, listed, another, `namespaceSelector: {}` and one selecting
 * team=x.
 */
const termArbitrary: fc.Arbitrary<PodAffinityTerm> = fc.record({
  key: fc.constantFrom("topology.kubernetes.io/zone", "kubernetes.io/hostname", "disk"),
  selector: fc.constantFrom("a", "b", "a", "b", "empty", "nil"),
  namespaces: fc.constantFrom("own", "own", "listed", "other", "everything", "labelled"),
}).map((draw): PodAffinityTerm => ({
  ...(draw.selector === "nil" ? {} : { labelSelector: { matchLabels: draw.selector === "empty" ? {} : { app: draw.selector }, matchExpressions: [] } }),
  namespaces: draw.namespaces === "listed" ? ["default"] : draw.namespaces === "other" ? ["elsewhere"] : [],
  ...(draw.namespaces === "everything" ? { namespaceSelector: { matchLabels: {}, matchExpressions: [] } } : {}),
  ...(draw.namespaces === "labelled" ? { namespaceSelector: { matchLabels: { team: "x" }, matchExpressions: [] } } : {}),
  topologyKey: draw.key,
  matchLabelKeys: [],
  mismatchLabelKeys: [],
}));
const rulesArbitrary: fc.Arbitrary<PodAffinityRules> = fc.record({
  required: fc.array(termArbitrary, { maxLength: 2 }),
  preferred: fc.array(fc.record({ weight: fc.integer({ min: 1, max: 100 }), podAffinityTerm: termArbitrary }), { maxLength: 1 }),
});
const podAffinityArbitrary: fc.Arbitrary<Pick<Pod, "podAffinity" | "podAntiAffinity">> = fc.record({
  affinity: fc.option(rulesArbitrary, { nil: undefined }),
  anti: fc.option(rulesArbitrary, { nil: undefined }),
}).map(({ affinity, anti }) => ({ ...(affinity !== undefined ? { podAffinity: affinity } : {}), ...(anti !== undefined ? { podAntiAffinity: anti } : {}) }));

const NODES: readonly Node[] = [
  makeNode("n0", undefined, { labels: { "topology.kubernetes.io/zone": "z1", "kubernetes.io/hostname": "n0", disk: "ssd" } }),
  makeNode("n1", undefined, { labels: { "topology.kubernetes.io/zone": "z1", "kubernetes.io/hostname": "n1" } }),
  makeNode("n2", undefined, { labels: { "topology.kubernetes.io/zone": "z2", "kubernetes.io/hostname": "n2", disk: "ssd" } }),
  makeNode("n3", undefined, { labels: { "kubernetes.io/hostname": "n3", disk: "hdd" } }),
];
const NAMESPACES = new Map<string, Readonly<Record<string, string>>>([["default", { team: "x" }], ["elsewhere", {}]]);

const podSpec = fc.record({
  app: fc.constantFrom("a", "b", undefined),
  namespace: fc.constantFrom("default", "default", "elsewhere"),
  affinity: podAffinityArbitrary,
});
const toPod = (name: string, spec: { app: string | undefined; namespace: string; affinity: Pick<Pod, "podAffinity" | "podAntiAffinity"> }): Pod =>
  makePod(name, { cpu: "100m" }, { labels: spec.app === undefined ? {} : { app: spec.app }, namespace: spec.namespace, ...spec.affinity });

function infos(placed: ReadonlyArray<readonly [number, Pod]>): NodeInfo[] {
  return NODES.map((node, index) => {
    const pods: PodInfo[] = placed.filter(([on]) => on === index).map(([, pod]) => ({ pod, terminating: false }));
    return { node, requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, podCount: pods.length, usedPorts: [], pods };
  });
}

// Fixed, so that the check that enough runs reached the comparison cannot fail by chance (TIMONEIRO_PROPERTY_SEED to vary it).
const SEED = Number(process.env["TIMONEIRO_PROPERTY_SEED"] ?? 1);

describe("InterPodAffinity's AddPod/RemovePod (shiftAffinity) against a recount from scratch", () => {
  it("gives the filter verdict a fresh PreFilter gives on the changed cluster", () => {
    const plugin = newInterPodAffinity();
    let compared = 0;
    fc.assert(
      fc.property(
        podSpec,
        fc.array(fc.tuple(fc.integer({ min: 0, max: NODES.length - 1 }), podSpec), { maxLength: 10 }),
        fc.integer({ min: 0, max: NODES.length - 1 }),
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
        fc.array(podSpec, { maxLength: 3 }),
        (incomingSpec, existingSpecs, target, removeMask, addedSpecs) => {
          const incoming = toPod("incoming", incomingSpec);
          const existing = existingSpecs.map(([on, spec], index) => [on, toPod(`p${index}`, spec)] as const);
          const added = addedSpecs.map((spec, index) => toPod(`q${index}`, spec));
          const before = infos(existing);
          const cycle = cycleStateWith(incoming, { cpu: 100 }, before.length, new Map(), () => before, undefined, () => NAMESPACES);
          if (plugin.preFilter?.(cycle).code !== "Success" || affinityFilterState(cycle) === undefined) return;
          // The target node with some of its pods removed and others added.
          const removed = existing.filter(([on], index) => on === target && removeMask[index] === true).map(([, pod]) => pod);
          const after = infos([...existing.filter(([, pod]) => !removed.includes(pod)), ...added.map((pod) => [target, pod] as const)]);
          const changed = after[target] as NodeInfo;
          shiftAffinity(cycle, changed, removed, added);
          const shifted = plugin.filter?.(cycle, changed);
          // The independent answer: PreFilter over the changed cluster, then Filter on the node.
          const fresh = cycleStateWith(incoming, { cpu: 100 }, after.length, new Map(), () => after, undefined, () => NAMESPACES);
          const recounted = plugin.preFilter?.(fresh).code === "Skip" ? { code: "Success", reasons: [] } : plugin.filter?.(fresh, changed);
          expect(shifted?.code).toBe(recounted?.code);
          expect(shifted?.reasons).toEqual(recounted?.reasons);
          compared++;
        },
      ),
      { numRuns: 600, seed: SEED },
    );
    // The runs must have reached the comparison, not returned early.
    expect(compared).toBeGreaterThan(100);
  });
});
