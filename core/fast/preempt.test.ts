/**
 * The fast engine's failure and preemption from the columns (preempt.ts) against the plain path
 * (`decide` on the reference state: runCycle's verdicts and `preempt` over every NodeInfo), on
 * clusters of 100+ full nodes: pods of priorities −1..2 started at different ticks, pod limits of
 * 2–6 (so "Too many pods"), cordoned and tainted nodes, pods nominated to nodes, preemptors that
 * do not fit anywhere, some asking more than any node has (UnschedulableAndUnresolvable) or with
 * `preemptionPolicy: Never`, PodDisruptionBudgets over some pods. Then a second preemptor after the first's preemption is applied, on
 * the same fast state: its verdicts and dry runs reuse the first's where a node did not change
 * (the kept pass and outcomes, when it asks the same), and must still agree with the reference,
 * which computes everything afresh. Then the first preemptor again, nominated while its victims
 * terminate (left out of the pods nominated to its node, not eligible to preempt again), and once
 * more with its node cordoned (eligible; its nomination cleared if no candidate is found).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ClusterEvent, EventDraft } from "../events/events.js";
import { reduceAll } from "../reference/reduce.js";
import { createState, type ClusterState } from "../cluster/state.js";
import { defaultSchedulerChoice, decide, type Decision } from "../scheduler/policies.js";
import { makeNode, makePod } from "../testing/builders.js";
import { decideFast } from "./decide.js";
import { createFastState, type FastState } from "./state.js";
import { fastReduceAll } from "./reduce.js";
import { disruptionBudgetFromManifest } from "../model/policy.js";
import type { ClusterObject } from "../model/objects.js";
import type { Pod } from "../model/pod.js";

// 15 by default: each run builds 100–140 nodes and 500–700 pods through both reducers (about 0.6 s on
// this machine); 60 ran past the 30 s test timeout here. Long runs: TIMONEIRO_PROPERTY_RUNS.
const RUNS = Number(process.env["TIMONEIRO_PROPERTY_RUNS"] ?? 15);
// Fixed, so that the check below that every case came up cannot fail by chance (TIMONEIRO_PROPERTY_SEED to vary it).
const SEED = Number(process.env["TIMONEIRO_PROPERTY_SEED"] ?? 1);

const preemptor = fc.record({
  cpu: fc.integer({ min: 1000, max: 4500 }),
  memory: fc.option(fc.integer({ min: 100, max: 9000 }), { nil: undefined }),
  priority: fc.integer({ min: -1, max: 3 }),
  never: fc.integer({ min: 0, max: 9 }).map((draw) => draw === 0),
  tolerates: fc.boolean(),
  // Labelled app a or b and repelling its app by hostname (required anti-affinity), as a Google
  // 2011 task with the different-machines restriction: InterPodAffinity filters it.
  anti: fc.constantFrom(undefined, "a", "b"),
});

const cluster = fc.record({
  nodes: fc.array(fc.record({ cpu: fc.constantFrom("2", "4"), memory: fc.constantFrom("4Gi", "8Gi"), pods: fc.integer({ min: 2, max: 6 }) }), { minLength: 100, maxLength: 140 }),
  // Round-robin over the nodes: about five pods each, most nodes full.
  fill: fc.array(fc.record({
    cpu: fc.integer({ min: 300, max: 1500 }),
    memory: fc.option(fc.integer({ min: 100, max: 3000 }), { nil: undefined }),
    priority: fc.integer({ min: -1, max: 2 }),
    startedAt: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    app: fc.constantFrom(undefined, "a", "b"),
    // With an app: repelling that app by hostname (existing pods' anti-affinity).
    anti: fc.integer({ min: 0, max: 3 }).map((draw) => draw === 0),
  }), { minLength: 500, maxLength: 700 }),
  // PodDisruptionBudgets over apps a and b, each allowing 0–2 disruptions (none: the kept dry runs are used).
  budgets: fc.array(fc.record({ app: fc.constantFrom("a", "b"), allowed: fc.integer({ min: 0, max: 2 }) }), { maxLength: 2 }),
  cordoned: fc.array(fc.nat(), { maxLength: 8 }),
  tainted: fc.array(fc.record({ node: fc.nat(), effect: fc.constantFrom("NoSchedule" as const, "NoExecute" as const) }), { maxLength: 8 }),
  nominations: fc.array(fc.record({ node: fc.nat(), priority: fc.integer({ min: -1, max: 3 }), cpu: fc.integer({ min: 100, max: 3000 }), app: fc.constantFrom(undefined, "a", "b") }), { maxLength: 12 }),
  first: preemptor,
  second: preemptor,
  // The second preemptor asks what the first asked (the kept verdicts are updated, not redone).
  alike: fc.boolean(),
  start: fc.nat(),
  seed: fc.nat(50),
});

type Case = typeof cluster extends fc.Arbitrary<infer T> ? T : never;

function events(drafts: readonly EventDraft[], from: number, t: number): ClusterEvent[] {
  return drafts.map((draft, index) => ({ ...draft, t, seq: from + index + 1 }) as ClusterEvent);
}

function setup(input: Case): { reference: ClusterState; fast: FastState; seq: number } {
  const { nodes, fill, cordoned, tainted, nominations, budgets } = input;
  const name = (index: number) => `n${index % nodes.length}`;
  const atZero: EventDraft[] = nodes.map((shape, index) => ({ type: "NodeJoined", node: `n${index}`, spec: makeNode(`n${index}`, { cpu: shape.cpu, memory: shape.memory, pods: String(shape.pods) }, { labels: { "kubernetes.io/hostname": `n${index}` } }) }));
  fill.forEach((filler, index) => {
    const requests = { cpu: `${filler.cpu}m`, ...(filler.memory !== undefined ? { memory: `${filler.memory}Mi` } : {}) };
    atZero.push({ type: "PodCreated", pod: `default/fill-${index}`, spec: makePod(`fill-${index}`, requests, { nodeName: name(index), priority: filler.priority, labels: filler.app === undefined ? {} : { app: filler.app }, ...(filler.anti && filler.app !== undefined ? repelling(filler.app) : {}) }) });
  });
  for (const which of new Set(cordoned.map(name))) atZero.push({ type: "NodeCordoned", node: which });
  const seen = new Set<string>();
  for (const { node, effect } of tainted) {
    if (seen.has(`${name(node)}|${effect}`)) continue;
    seen.add(`${name(node)}|${effect}`);
    atZero.push({ type: "NodeTainted", node: name(node), taint: { key: "dedicated", effect } });
  }
  budgets.forEach((budget, index) => {
    const converted = disruptionBudgetFromManifest({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: `pdb-${index}`, namespace: "default" }, spec: { minAvailable: 1, selector: { matchLabels: { app: budget.app } } } });
    atZero.push({ type: "ObjectApplied", kind: "PodDisruptionBudget", object: `default/pdb-${index}`, spec: converted.value as ClusterObject });
    atZero.push({ type: "WorkloadStatusChanged", kind: "PodDisruptionBudget", object: `default/pdb-${index}`, status: { replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 0, conditions: [], disruptionsAllowed: budget.allowed } });
  });
  const all = events(atZero, 0, 0);
  // Pods start at ticks 1–4 (the victims' order: earlier started, more important); some never do.
  for (let t = 1; t <= 4; t++) {
    const started: EventDraft[] = [];
    fill.forEach((filler, index) => { if (filler.startedAt === t) started.push({ type: "PodStarted", pod: `default/fill-${index}`, node: name(index) }); });
    all.push(...events(started, all.length, t));
  }
  const pending: EventDraft[] = [];
  nominations.forEach((nomination, index) => {
    pending.push({ type: "PodCreated", pod: `default/nom-${index}`, spec: makePod(`nom-${index}`, { cpu: `${nomination.cpu}m` }, { priority: nomination.priority, labels: nomination.app === undefined ? {} : { app: nomination.app } }) });
    pending.push({ type: "PodNominated", pod: `default/nom-${index}`, node: name(nomination.node) });
  });
  all.push(...events(pending, all.length, 5));
  const reference = reduceAll(createState(), all);
  const fast = fastReduceAll(createFastState(), all);
  if (!reference.ok || !fast.ok) throw new Error(`setup refused: ${reference.ok ? "" : reference.rejection.message} ${fast.ok ? "" : fast.rejection.message}`);
  return { reference: reference.state, fast: fast.state, seq: all.length };
}

/** Both states with `drafts` applied at tick 5. */
function apply(states: { reference: ClusterState; fast: FastState; seq: number }, drafts: readonly EventDraft[]): { reference: ClusterState; fast: FastState; seq: number } {
  const more = events(drafts, states.seq, 5);
  const reference = reduceAll(states.reference, more);
  const fast = fastReduceAll(states.fast, more);
  if (!reference.ok || !fast.ok) throw new Error(`refused: ${reference.ok ? "" : reference.rejection.message} ${fast.ok ? "" : fast.rejection.message}`);
  return { reference: reference.state, fast: fast.state, seq: states.seq + more.length };
}

function createPreemptor(name: string, spec: Case["first"], start: number): EventDraft[] {
  const requests = { cpu: `${spec.cpu}m`, ...(spec.memory !== undefined ? { memory: `${spec.memory}Mi` } : {}) };
  const tolerations = spec.tolerates ? [{ key: "dedicated", operator: "Exists" as const }] : [];
  return [
    { type: "PodCreated", pod: `default/${name}`, spec: makePod(name, requests, { priority: spec.priority, tolerations, ...(spec.never ? { preemptionPolicy: "Never" as const } : {}), ...(spec.anti !== undefined ? { labels: { app: spec.anti }, ...repelling(spec.anti) } : {}) }) },
    { type: "PodUnschedulable", pod: `default/${name}`, message: "m", plugins: [], nextStartNodeIndex: start },
  ];
}

/** Required anti-affinity against the pods of `app`, by hostname. */
function repelling(app: string): Pick<Pod, "podAntiAffinity"> {
  return { podAntiAffinity: { required: [{ labelSelector: { matchLabels: { app }, matchExpressions: [] }, namespaces: [], topologyKey: "kubernetes.io/hostname", matchLabelKeys: [], mismatchLabelKeys: [] }], preferred: [] } };
}

/** What a decision did, for the count of cases covered. */
function outcome(decision: Decision): string {
  if (decision.kind === "bind") return "bound";
  if (decision.preemption !== undefined) return "preempted";
  if (decision.message.includes("terminating pod on the nominated node")) return "terminating";
  if (decision.message.includes("not eligible")) return "never";
  return decision.message.includes("preemption: 0/") ? "no candidate" : "other";
}

describe("the fast engine's failure and preemption from the columns equal the plain path", () => {
  it("on 100+ full nodes, for a first preemptor and a second one after the first's preemption", () => {
    const seen = new Map<string, number>();
    fc.assert(fc.property(cluster, (input) => {
      const choice = defaultSchedulerChoice();
      let states = apply(setup(input), createPreemptor("p", input.first, input.start % input.nodes.length));
      const first = decideFast(states.fast, "default/p", choice, input.seed);
      expect(first).toEqual(decide(states.reference, "default/p", choice, input.seed));
      seen.set(outcome(first), (seen.get(outcome(first)) ?? 0) + 1);
      if (input.first.anti !== undefined) seen.set(`anti ${outcome(first)}`, (seen.get(`anti ${outcome(first)}`) ?? 0) + 1);
      // Ask again for a second pod before anything changes (the kept dry runs are filled), then
      // apply the first's preemption as the engine emits it, and ask for the second.
      states = apply(states, createPreemptor("q", input.alike ? input.first : input.second, input.start % input.nodes.length));
      expect(decideFast(states.fast, "default/q", choice, input.seed)).toEqual(decide(states.reference, "default/q", choice, input.seed));
      if (first.kind === "unschedulable" && first.preemption !== undefined) {
        const { node, victims } = first.preemption;
        states = apply(states, [
          { type: "PodNominated", pod: "default/p", node },
          ...victims.flatMap((victim): EventDraft[] => [
            { type: "PodPreempted", pod: victim, node, preemptor: "default/p", message: "default-scheduler: preempting to accommodate a higher priority pod" },
            { type: "PodDeleted", pod: victim, gracePeriodSeconds: 30 },
          ]),
        ]);
      }
      const second = decideFast(states.fast, "default/q", choice, input.seed);
      expect(second).toEqual(decide(states.reference, "default/q", choice, input.seed));
      seen.set(`second ${outcome(second)}`, (seen.get(`second ${outcome(second)}`) ?? 0) + 1);
      if (first.kind === "unschedulable" && first.preemption !== undefined) {
        // The first preemptor again, nominated, while its victims terminate: left out of the pods
        // nominated to its node, and not eligible to preempt again while they do.
        const again = decideFast(states.fast, "default/p", choice, input.seed);
        expect(again).toEqual(decide(states.reference, "default/p", choice, input.seed));
        seen.set(`nominated ${outcome(again)}`, (seen.get(`nominated ${outcome(again)}`) ?? 0) + 1);
        // Its node cordoned (UnschedulableAndUnresolvable): eligible again, and its nomination is
        // cleared when no candidate is found.
        states = apply(states, [{ type: "NodeCordoned", node: first.preemption.node }]);
        const cordoned = decideFast(states.fast, "default/p", choice, input.seed);
        expect(cordoned).toEqual(decide(states.reference, "default/p", choice, input.seed));
        seen.set(`cordoned ${outcome(cordoned)}`, (seen.get(`cordoned ${outcome(cordoned)}`) ?? 0) + 1);
      }
    }), { numRuns: RUNS, seed: SEED });
    // The cases this test is for all came up (with the fixed seed: 15 random runs do not always draw a "never").
    for (const kind of ["preempted", "no candidate", "never", "second preempted", "anti preempted", "anti no candidate", "nominated terminating", "cordoned preempted"]) expect(seen.get(kind) ?? 0, `${kind} in ${JSON.stringify([...seen])}`).toBeGreaterThan(0);
  });
});
