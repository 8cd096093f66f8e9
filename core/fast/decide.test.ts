/**
 * decideFast against the plain path (`decide` on the reference state), on clusters big enough for
 * kube's sampling and for the fused scoring of kube's default profile: nodes of a few shapes,
 * filled by pods with and without requests (so non-zero and plain requests differ), some nodes
 * cordoned, and pods to place that do and do not take the fused path.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ClusterEvent, EventDraft } from "../events/events.js";
import { reduceAll } from "../reference/reduce.js";
import { createState } from "../cluster/state.js";
import { defaultSchedulerChoice, decide, type SchedulerChoice } from "../scheduler/policies.js";
import { makeNode, makePod } from "../testing/builders.js";
import { decideFast } from "./decide.js";
import { createFastState } from "./state.js";
import { fastReduceAll } from "./reduce.js";
import { runScenario } from "../engine/engine.js";
import type { Scenario } from "../engine/scenario.js";
import { encodeEvent } from "../log/jsonl.js";
import type { Pod } from "../model/pod.js";

const GPU = "nvidia.com/gpu";
const RUNS = Number(process.env["TIMONEIRO_PROPERTY_RUNS"] ?? 60);

const cluster = fc.record({
  // Some nodes have GPUs (an extended resource, none on the others); fillers and the pod may take some.
  shapes: fc.array(fc.record({ cpu: fc.constantFrom("4", "8", "16"), memory: fc.constantFrom("8Gi", "32Gi"), gpus: fc.constantFrom(0, 0, 1, 4) }), { minLength: 100, maxLength: 160 }),
  fill: fc.array(fc.record({ node: fc.nat(), cpu: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }), memory: fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined }), gpus: fc.constantFrom(0, 0, 0, 1, 2), app: fc.constantFrom(undefined, undefined, undefined, "a", "b"), repels: fc.constantFrom(undefined, undefined, "a", "b") }), { minLength: 50, maxLength: 300 }),
  cordoned: fc.array(fc.nat(), { maxLength: 10 }),
  // Taints the fused path filters by (NoSchedule, NoExecute; the pod may tolerate "dedicated"), and now and then a PreferNoSchedule one (the plain path then).
  tainted: fc.array(fc.record({ node: fc.nat(), key: fc.constantFrom("dedicated", "node.kubernetes.io/unreachable"), effect: fc.constantFrom("NoSchedule" as const, "NoExecute" as const, "NoSchedule" as const, "PreferNoSchedule" as const) }), { maxLength: 40 }),
  pod: fc.record({ cpu: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }), memory: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }), gpus: fc.constantFrom(0, 0, 1, 3, 5), selector: fc.boolean(), tolerates: fc.boolean(), priority: fc.integer({ min: -1, max: 2 }), anti: fc.constantFrom(undefined, undefined, "a", "b") }),
  // Pending pods nominated to nodes (a preemption's room): those of the pod's priority or higher count there.
  // Some labelled app a or b, some of those repelling their app by hostname: InterPodAffinity
  // counts them on their node (kube's AddPod) for a pod that repels or is repelled.
  nominations: fc.array(fc.record({ node: fc.nat(), priority: fc.integer({ min: -1, max: 2 }), cpu: fc.integer({ min: 500, max: 12_000 }), app: fc.constantFrom(undefined, "a", "b"), anti: fc.boolean() }), { maxLength: 6 }),
  start: fc.nat(),
  seed: fc.nat(50),
  // The last few nodes may share the first ones' hostname label (a topology domain of two nodes).
  sharedHostnames: fc.integer({ min: 0, max: 4 }),
});

/** Required anti-affinity against the pods of `app`, by hostname. */
function repelling(app: string): Pick<Pod, "podAntiAffinity"> {
  return { podAntiAffinity: { required: [{ labelSelector: { matchLabels: { app }, matchExpressions: [] }, namespaces: [], topologyKey: "kubernetes.io/hostname", matchLabelKeys: [], mismatchLabelKeys: [] }], preferred: [] } };
}

describe("decideFast equals the plain path", () => {
  it("for kube's default profile (fused scoring) and the classic policies, on 100+ nodes, with nominated pods", () => {
    fc.assert(fc.property(cluster, sameAsPlain), { numRuns: RUNS });
  });

  it("for a pod kept apart by hostname on nodes alike, each holding one small pod (so the refused nodes would often win)", () => {
    // 100–140 nodes of one shape, each with a 100m pod labelled app a, b or nothing, some
    // repelling app a or b; the pod (app a) repels app a. Scores tie but for the hash, so whether
    // a node is refused decides the answer about as often as not.
    const apart = fc.record({
      apps: fc.array(fc.record({ app: fc.constantFrom(undefined, "a", "b"), repels: fc.constantFrom(undefined, undefined, "a", "b") }), { minLength: 100, maxLength: 140 }),
      start: fc.nat(),
      seed: fc.nat(50),
      sharedHostnames: fc.integer({ min: 0, max: 4 }),
    }).map(({ apps, start, seed, sharedHostnames }): Drawn => ({
      shapes: apps.map(() => ({ cpu: "8" as const, memory: "32Gi" as const, gpus: 0 as const })),
      fill: apps.map(({ app, repels }, node) => ({ node, cpu: 100, memory: undefined, gpus: 0 as const, app, repels })),
      cordoned: [], tainted: [], nominations: [], start, seed, sharedHostnames,
      pod: { cpu: 500, memory: undefined, gpus: 0 as const, selector: false, tolerates: false, priority: 0, anti: "a" },
    }));
    fc.assert(fc.property(apart, sameAsPlain), { numRuns: RUNS });
  });

  it("for a pod asking for GPUs (an extended resource) that takes the fused walk: no nominations, selector or affinity", () => {
    const fused = cluster.map((drawn) => ({ ...drawn, nominations: [], pod: { ...drawn.pod, gpus: drawn.pod.gpus === 0 ? 1 : drawn.pod.gpus, selector: false, anti: undefined } }));
    fc.assert(fc.property(fused, sameAsPlain), { numRuns: RUNS });
  });
});

type Drawn = typeof cluster extends fc.Arbitrary<infer T> ? T : never;

/** decideFast on the cluster drawn equals `decide` on the reference state, for each policy. */
function sameAsPlain({ shapes, fill, cordoned, tainted, pod, nominations, start, seed, sharedHostnames }: Drawn): void {
  const hostnames = shapes.length - sharedHostnames;
  const drafts: EventDraft[] = shapes.map(({ cpu, memory, gpus }, index) => ({ type: "NodeJoined", node: `n${index}`, spec: makeNode(`n${index}`, { cpu, memory, ...(gpus > 0 ? { [GPU]: String(gpus) } : {}) }, { labels: { disk: index % 2 === 0 ? "ssd" : "hdd", "kubernetes.io/hostname": `host-${index % hostnames}` } }) }));
  fill.forEach((filler, index) => {
    // (A filler may ask for more GPUs than its node has: it is placed by name, so it is bound anyway.)
    const requests = { ...(filler.cpu !== undefined ? { cpu: `${filler.cpu}m` } : {}), ...(filler.memory !== undefined ? { memory: `${filler.memory}Mi` } : {}), ...(filler.gpus > 0 ? { [GPU]: String(filler.gpus) } : {}) };
    // Some labelled app a or b, some repelling app a or b by hostname (existing pods' anti-affinity).
    const spec = makePod(`fill-${index}`, requests, { nodeName: `n${filler.node % shapes.length}`, ...(filler.app === undefined ? {} : { labels: { app: filler.app } }), ...(filler.repels === undefined ? {} : repelling(filler.repels)) });
    drafts.push({ type: "PodCreated", pod: `default/fill-${index}`, spec });
  });
  for (const which of cordoned) drafts.push({ type: "NodeCordoned", node: `n${which % shapes.length}` });
  const seen = new Set<string>();
  for (const { node, key, effect } of tainted) {
    const name = `n${node % shapes.length}`;
    if (seen.has(`${name}|${key}|${effect}`)) continue;
    seen.add(`${name}|${key}|${effect}`);
    drafts.push({ type: "NodeTainted", node: name, taint: { key, effect } });
  }
  const requests = { ...(pod.cpu !== undefined ? { cpu: `${pod.cpu}m` } : {}), ...(pod.memory !== undefined ? { memory: `${pod.memory}Mi` } : {}), ...(pod.gpus > 0 ? { [GPU]: String(pod.gpus) } : {}) };
  const tolerations = pod.tolerates ? [{ key: "dedicated", operator: "Exists" as const }] : [];
  nominations.forEach((nomination, index) => {
    const labels: Record<string, string> = nomination.app === undefined ? {} : { app: nomination.app };
    drafts.push({ type: "PodCreated", pod: `default/nom-${index}`, spec: makePod(`nom-${index}`, { cpu: `${nomination.cpu}m` }, { priority: nomination.priority, labels, ...(nomination.anti && nomination.app !== undefined ? repelling(nomination.app) : {}) }) });
    drafts.push({ type: "PodNominated", pod: `default/nom-${index}`, node: `n${nomination.node % shapes.length}` });
  });
  drafts.push({ type: "PodCreated", pod: "default/p", spec: makePod("p", requests, { tolerations, priority: pod.priority, ...(pod.selector ? { nodeSelector: { disk: "ssd" } } : {}), ...(pod.anti !== undefined ? { labels: { app: pod.anti }, ...repelling(pod.anti) } : {}) }) });
  const events = drafts.map((draft, index) => ({ ...draft, t: 0, seq: index + 1 }) as ClusterEvent);
  const reference = reduceAll(createState(), events);
  const fast = fastReduceAll(createFastState(), events);
  if (!reference.ok || !fast.ok) throw new Error("setup refused");
  const referenceState = { ...reference.state, nextStartNodeIndex: start % shapes.length };
  const fastState = fastReduceAll(fast.state, [{ type: "PodUnschedulable", pod: "default/p", message: "m", plugins: [], nextStartNodeIndex: start % shapes.length, t: 0, seq: events.length + 1 }]);
  const referenceMoved = reduceAll(referenceState, [{ type: "PodUnschedulable", pod: "default/p", message: "m", plugins: [], nextStartNodeIndex: start % shapes.length, t: 0, seq: events.length + 1 }]);
  if (!fastState.ok || !referenceMoved.ok) throw new Error("setup refused");
  for (const choice of [defaultSchedulerChoice(), { policy: "first-fit" }, { policy: "best-fit" }, { policy: "worst-fit" }] as SchedulerChoice[]) {
    expect(decideFast(fastState.state, "default/p", choice, seed)).toEqual(decide(referenceMoved.state, "default/p", choice, seed));
  }
}

describe("decideFast equals the plain path for pods that spread (the fused kernel reads the kept counts)", () => {
  // 3–12 or 100+ nodes of various sizes in three zones, each labelled with its zone and hostname;
  // web pods (asking for nothing) piled on some nodes, so counts per node and per zone differ a
  // lot, and db pods (1500m) about; then a web pod with one or two constraints by zone or
  // hostname, hard or soft, maxSkew 1–3.
  const spreadCase = fc.record({
    // small clusters, where most nodes hold some of the app, or 100+ nodes, where kube samples
    nodes: fc.oneof(fc.integer({ min: 3, max: 12 }), fc.integer({ min: 100, max: 140 })),
    // node sizes vary, so a big node with pods of the app may still outscore a small empty one
    sizes: fc.array(fc.constantFrom("2", "4", "8", "16", "32"), { minLength: 140, maxLength: 140 }),
    piles: fc.array(fc.record({ node: fc.nat(12), count: fc.integer({ min: 1, max: 6 }), app: fc.constantFrom("web", "web", "db") }), { minLength: 1, maxLength: 30 }),
    constraints: fc.array(fc.record({ key: fc.constantFrom("topology.kubernetes.io/zone", "kubernetes.io/hostname"), hard: fc.boolean(), maxSkew: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 2 }),
    cpu: fc.integer({ min: 100, max: 1500 }),
    start: fc.nat(),
    seed: fc.nat(50),
  });
  it("hard and soft, by zone and hostname, on small clusters and on 100+ nodes", () => {
    let decided = 0;
    fc.assert(fc.property(spreadCase, ({ nodes, sizes, piles, constraints, cpu, start, seed }) => {
      const drafts: EventDraft[] = Array.from({ length: nodes }, (_, index): EventDraft => ({
        type: "NodeJoined", node: `n${index}`,
        spec: makeNode(`n${index}`, { cpu: sizes[index] as string, memory: "32Gi" }, { labels: { "topology.kubernetes.io/zone": `zone-${index % 3}`, "kubernetes.io/hostname": `n${index}` } }),
      }));
      let filler = 0;
      for (const pile of piles) {
        for (let copy = 0; copy < pile.count; copy++) {
          const name = `fill-${filler++}`;
          // web pods ask for nothing (so spreading, not resources, tells their nodes apart); db pods for 1500m
          drafts.push({ type: "PodCreated", pod: `default/${name}`, spec: makePod(name, pile.app === "web" ? {} : { cpu: "1500m" }, { nodeName: `n${pile.node % nodes}`, labels: { app: pile.app } }) });
        }
      }
      const unique = constraints.filter((item, index) => constraints.findIndex((other) => other.key === item.key && other.hard === item.hard) === index);
      const spread = unique.map((item) => ({
        maxSkew: item.maxSkew, topologyKey: item.key, whenUnsatisfiable: item.hard ? "DoNotSchedule" as const : "ScheduleAnyway" as const,
        labelSelector: { matchLabels: { app: "web" }, matchExpressions: [] }, matchLabelKeys: [],
      }));
      drafts.push({ type: "PodCreated", pod: "default/p", spec: makePod("p", { cpu: `${cpu}m`, memory: "1Gi" }, { labels: { app: "web" }, topologySpreadConstraints: spread }) });
      const events = drafts.map((draft, index) => ({ ...draft, t: 0, seq: index + 1 }) as ClusterEvent);
      const moved = { type: "PodUnschedulable", pod: "default/p", message: "m", plugins: [], nextStartNodeIndex: start % nodes, t: 0, seq: events.length + 1 } as ClusterEvent;
      const reference = reduceAll(createState(), [...events, moved]);
      const fast = fastReduceAll(createFastState(), [...events, moved]);
      if (!reference.ok || !fast.ok) throw new Error("setup refused");
      const expected = decide(reference.state, "default/p", defaultSchedulerChoice(), seed);
      if (expected.kind === "bind") decided++;
      expect(decideFast(fast.state, "default/p", defaultSchedulerChoice(), seed)).toEqual(expected);
    }), { numRuns: RUNS * 2 });
    expect(decided).toBeGreaterThan(0);
  });
});

describe("cycles that placed no pod, cached for pods alike while the nodes stay the same", () => {
  // 3 nodes of 2 cpu; 60 replicas-like pods of 1500m (one fits per node) in two shapes, some with a
  // toleration; nodes change under them: a pod finishes, a node joins, one is cordoned and
  // uncordoned, one tainted. Every FailedScheduling outcome must be the one the reference
  // engine computes from scratch (it keeps no cache).
  const nodes = [makeNode("n1", { cpu: "2", memory: "8Gi" }), makeNode("n2", { cpu: "2", memory: "8Gi" }), makeNode("n3", { cpu: "2", memory: "8Gi" }, { taints: [{ key: "dedicated", effect: "NoSchedule" }] })];
  const pods = Array.from({ length: 60 }, (_, index) => makePod(`p-${index}`, { cpu: index % 2 === 0 ? "1500m" : "1" }, {
    restartPolicy: "Never",
    sim: index % 7 === 0 ? { durationSeconds: 20 } : {},
    tolerations: index % 3 === 0 ? [{ key: "dedicated", operator: "Exists" }] : [],
  }));
  const scenario: Scenario = {
    name: "failures", seed: 1, untilSeconds: 900, options: { fitBy: "requests" }, nodes, pods,
    timeline: [
      { at: 30, action: "addNode", node: makeNode("n4", { cpu: "4", memory: "8Gi" }) },
      { at: 40, action: "cordon", node: "n1" },
      { at: 400, action: "uncordon", node: "n1" },
      { at: 500, action: "deletePod", pod: "default/p-1", gracePeriodSeconds: 0 },
    ],
  };

  it.each(["kube", "first-fit", "best-fit"] as const)("under %s: the fast engine's events equal the reference's, byte for byte", (policy) => {
    const choice: SchedulerChoice = policy === "kube" ? defaultSchedulerChoice() : { policy };
    const fast = runScenario(scenario, { engine: "fast" }, choice).events.map(encodeEvent);
    const reference = runScenario(scenario, { engine: "reference" }, choice).events.map(encodeEvent);
    expect(fast.filter((line) => line.includes("PodUnschedulable")).length).toBeGreaterThan(50);
    expect(fast).toEqual(reference);
  });
});

describe("a failure kept for pods alike is dropped when a nomination changes", () => {
  // n1 has 2 cpu; x (priority 10, 1500m) is nominated there, so a and b (priority 0, 1 cpu each,
  // alike) do not fit: 1500m + 1000m > 2000m. Once x's nomination is cleared, b fits on n1 (1000m ≤
  // 2000m): a failure kept from a's cycle must not answer for b.
  const drafts: EventDraft[] = [
    { type: "NodeJoined", node: "n1", spec: makeNode("n1", { cpu: "2", memory: "8Gi" }, { labels: { "kubernetes.io/hostname": "n1" } }) },
    { type: "PodCreated", pod: "default/x", spec: makePod("x", { cpu: "1500m" }, { priority: 10 }) },
    { type: "PodNominated", pod: "default/x", node: "n1" },
    { type: "PodCreated", pod: "default/a", spec: makePod("a", { cpu: "1" }) },
    { type: "PodCreated", pod: "default/b", spec: makePod("b", { cpu: "1" }) },
  ];
  const stamped = (list: readonly EventDraft[], from: number): ClusterEvent[] => list.map((draft, index) => ({ ...draft, t: 0, seq: from + index + 1 }) as ClusterEvent);

  it("b binds to n1 after x's nomination is cleared, as the reference says", () => {
    const choice = defaultSchedulerChoice();
    const events = stamped(drafts, 0);
    const fast = fastReduceAll(createFastState(), events);
    const reference = reduceAll(createState(), events);
    if (!fast.ok || !reference.ok) throw new Error("setup refused");
    const failed = decideFast(fast.state, "default/a", choice, 1);
    expect(failed.kind).toBe("unschedulable");
    expect(failed).toEqual(decide(reference.state, "default/a", choice, 1));
    // b alike, nothing changed: the kept failure, equal to the reference's.
    expect(decideFast(fast.state, "default/b", choice, 1)).toEqual(failed);
    const cleared = stamped([{ type: "PodNominated", pod: "default/x", node: "" }], events.length);
    const fastAfter = fastReduceAll(fast.state, cleared);
    const referenceAfter = reduceAll(reference.state, cleared);
    if (!fastAfter.ok || !referenceAfter.ok) throw new Error("refused");
    const bound = decideFast(fastAfter.state, "default/b", choice, 1);
    expect(bound).toEqual({ kind: "bind", node: "n1", nextStartNodeIndex: 0 });
    expect(bound).toEqual(decide(referenceAfter.state, "default/b", choice, 1));
  });
});

describe("a preempting pod's failure is kept for pods alike only when its preemption found no candidate", () => {
  const choice = defaultSchedulerChoice();
  const stateWith = (drafts: EventDraft[]) => {
    const events = drafts.map((draft, index) => ({ ...draft, t: 0, seq: index + 1 }) as ClusterEvent);
    const fast = fastReduceAll(createFastState(), events);
    const reference = reduceAll(createState(), events);
    if (!fast.ok || !reference.ok) throw new Error("setup refused");
    return { fast: fast.state, reference: reference.state };
  };
  const high = (name: string): EventDraft => ({ type: "PodCreated", pod: `default/${name}`, spec: makePod(name, { cpu: "3" }, { priority: 10 }) });

  it("no candidate: n1 (2 cpu) cannot hold 3 cpu at all, and on n2 (4 cpu) only `mid` (priority 20, 2 cpu) runs — h2 gets h1's kept answer", () => {
    const { fast, reference } = stateWith([
      { type: "NodeJoined", node: "n1", spec: makeNode("n1", { cpu: "2", memory: "8Gi" }) },
      { type: "NodeJoined", node: "n2", spec: makeNode("n2", { cpu: "4", memory: "8Gi" }) },
      { type: "PodCreated", pod: "default/low", spec: makePod("low", { cpu: "1500m" }, { priority: 0, nodeName: "n1" }) },
      { type: "PodCreated", pod: "default/mid", spec: makePod("mid", { cpu: "2" }, { priority: 20, nodeName: "n2" }) },
      high("h1"), high("h2"),
    ]);
    const first = decideFast(fast, "default/h1", choice, 1);
    expect(first).toEqual(decide(reference, "default/h1", choice, 1));
    if (first.kind !== "unschedulable") throw new Error("h1 should fail");
    expect(first.preemption).toBeUndefined();
    expect(first.message).toBe("0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.");
    const second = decideFast(fast, "default/h2", choice, 1);
    expect(second).toBe(first); // the kept decision itself
    expect(second).toEqual(decide(reference, "default/h2", choice, 1));
  });

  it("a candidate: n1 (4 cpu) runs `low` (priority 0, 2 cpu), the victim — h2's preemption is its own", () => {
    const { fast, reference } = stateWith([
      { type: "NodeJoined", node: "n1", spec: makeNode("n1", { cpu: "4", memory: "8Gi" }) },
      { type: "PodCreated", pod: "default/low", spec: makePod("low", { cpu: "2" }, { priority: 0, nodeName: "n1" }) },
      high("h1"), high("h2"),
    ]);
    const first = decideFast(fast, "default/h1", choice, 1);
    expect(first).toEqual(decide(reference, "default/h1", choice, 1));
    expect(first.kind === "unschedulable" ? first.preemption : undefined).toEqual({ node: "n1", victims: ["default/low"], clear: [] });
    const second = decideFast(fast, "default/h2", choice, 1);
    expect(second).not.toBe(first); // worked out again, not kept
    expect(second).toEqual(decide(reference, "default/h2", choice, 1));
  });
});

describe("a pod nominated to a node counts there for inter-pod affinity (kube's AddPod), in the fused walk as in the plain path", () => {
  // Three nodes of 4 cpu / 8Gi; fill-1 (1 cpu) on n1, fill-2 (2 cpu) on n2, n0 empty; `nom` (app=a,
  // priority 0, 500m) nominated to n0; `p` (100m, priority 0) to place. Scores by hand (v1.35,
  // LeastAllocated + BalancedAllocation; memory is the non-zero default 200MB per pod):
  //   n0: fit (trunc(3900·100/4000)=97 + 97)/2 = 97, balanced trunc((1 − 0.025/2)·100) = 98 → 195
  //   n1: fit (trunc(2900·100/4000)=72 + 95)/2 = 83, balanced trunc((1 − 0.275/2)·100) = 86 → 169
  //   n2: fit (trunc(1900·100/4000)=47 + 95)/2 = 71, balanced trunc((1 − 0.525/2)·100) = 73 → 144
  // (memory: trunc((8Gi − 2·200MB)·100/8Gi) = 95 on n1 and n2, 97 on n0 with p alone.)
  const place = (pSpec: Partial<Pod>, nomSpec: Partial<Pod>): { fast: string; reference: string } => {
    const drafts: EventDraft[] = [0, 1, 2].map((index) => ({ type: "NodeJoined", node: `n${index}`, spec: makeNode(`n${index}`, { cpu: "4", memory: "8Gi" }, { labels: { "kubernetes.io/hostname": `n${index}` } }) }));
    drafts.push({ type: "PodCreated", pod: "default/fill-1", spec: makePod("fill-1", { cpu: "1000m" }, { nodeName: "n1" }) });
    drafts.push({ type: "PodCreated", pod: "default/fill-2", spec: makePod("fill-2", { cpu: "2000m" }, { nodeName: "n2" }) });
    drafts.push({ type: "PodCreated", pod: "default/nom", spec: makePod("nom", { cpu: "500m" }, { priority: 0, labels: { app: "a" }, ...nomSpec }) });
    drafts.push({ type: "PodNominated", pod: "default/nom", node: "n0" });
    drafts.push({ type: "PodCreated", pod: "default/p", spec: makePod("p", { cpu: "100m" }, { priority: 0, labels: { app: "a" }, ...pSpec }) });
    const events = drafts.map((draft, index) => ({ ...draft, t: 0, seq: index + 1 }) as ClusterEvent);
    const reference = reduceAll(createState(), events);
    const fast = fastReduceAll(createFastState(), events);
    if (!reference.ok || !fast.ok) throw new Error("setup refused");
    const name = (decision: ReturnType<typeof decide>): string => (decision.kind === "bind" ? decision.node : decision.message);
    return { fast: name(decideFast(fast.state, "default/p", defaultSchedulerChoice(), 1)), reference: name(decide(reference.state, "default/p", defaultSchedulerChoice(), 1)) };
  };

  it("p repelling app=a by hostname: n0, where nom (app=a) counts, fails anti-affinity; n1 scores best of the rest", () => {
    expect(place(repelling("a"), {})).toEqual({ fast: "n1", reference: "n1" });
  });

  it("nom repelling app=a, p without terms: PreFilter skips the plugin (no pod on a node repels p), so kube never adds nom: n0", () => {
    expect(place({}, repelling("a"))).toEqual({ fast: "n0", reference: "n0" });
  });
});
