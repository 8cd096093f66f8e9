/**
 * Laws of both engines' runs, over random clusters and timelines. Bounded here; set
 * TIMONEIRO_PROPERTY_RUNS for long runs. A failing case prints its seed and path: once fixed,
 * keep it as a scenario file under properties/regressions/ (docs/properties.md), which
 * regressions.test.ts runs against every law.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createState,
  reduce,
  runScenario,
  type ClusterEvent,
  type ClusterState,
  type EngineKind,
  type Pod,
  type PodAffinityTerm,
  type Scenario,
  resolvedSelector,
  selectorMatches,
  countMatching,
  hasAllKeys,
  includesNode,
  spreadConstraints,
} from "../core/index.js";
import { scenarioArbitrary } from "./arbitraries.js";
import { LAWS, RunCache, lawsBroken } from "./laws.js";


const RUNS = Number(process.env["TIMONEIRO_PROPERTY_RUNS"] ?? 150);

/** The exported laws (timoneiro/properties) that hold for every scheduler, read from this engine's run. */
const RUN_LAWS = ["ordered-log", "no-overcommit", "state-invariants", "freed-once", "replay-equals-live", "checkpoint-plus-rest"];

/**
 * kube's placement laws for the scenario's pods, replayed through the reference reducer: hard
 * anti-affinity and DoNotSchedule spreading after each placement, and kube's message on every pod
 * left unschedulable.
 */
function placementLawsBroken(scenario: Scenario, engine: EngineKind): string[] {
  const run = runScenario(scenario, { engine });
  const broken: string[] = [];
  let state: ClusterState = createState(scenario.options);
  for (const event of run.events) {
    const result = reduce(state, event);
    if (!result.ok) return [`event ${event.seq}: refused: ${result.rejection.message}`];
    state = result.state;
    // A pod the scheduler placed never shares a topology domain with a pod its required
    // anti-affinity selects, nor with a pod whose required anti-affinity selects it.
    if (event.type === "PodBound" && state.pods[event.pod]?.pod.nodeName === undefined) {
      const where = `after event ${event.seq} (${event.type})`;
      broken.push(...antiAffinityBroken(state, event.pod).map((law) => `${where}: ${law}`));
      broken.push(...skewBroken(state, event.pod).map((law) => `${where}: ${law}`));
    }
  }
  // Pending pods the scheduler tried carry kube's message.
  for (const pod of Object.values(state.pods)) {
    if (pod.reason === "Unschedulable" && !/^0\/\d+ nodes are available: .+\.$|^no nodes available to schedule pods$/.test(pod.message ?? "")) {
      broken.push(`pod ${pod.pod.name}: unexpected FailedScheduling message ${JSON.stringify(pod.message)}`);
    }
  }
  return broken;
}

/** Whether `term` (carried by a pod in `ownNamespace` labelled `ownLabels`) selects `pod`; no Namespace objects exist in these runs. */
function selects(term: PodAffinityTerm, ownNamespace: string, ownLabels: Readonly<Record<string, string>>, pod: Pod): boolean {
  const everyNamespace = term.namespaceSelector !== undefined && Object.keys(term.namespaceSelector.matchLabels).length === 0 && term.namespaceSelector.matchExpressions.length === 0;
  const listed = term.namespaces.length === 0 && term.namespaceSelector === undefined ? [ownNamespace] : term.namespaces;
  if (!everyNamespace && !listed.includes(pod.namespace)) return false;
  const selector = resolvedSelector(term, ownLabels);
  return selector !== undefined && selectorMatches(selector, pod.labels);
}

/** The anti-affinity law for the pod just bound: the pods in the same domain of each required anti-affinity term's key. */
function antiAffinityBroken(state: ClusterState, key: string): string[] {
  const placed = state.pods[key] as ClusterState["pods"][string];
  const labelsOf = (node: string) => state.nodes[node]?.node.labels ?? {};
  const here = labelsOf(placed.node as string);
  const broken: string[] = [];
  for (const other of Object.values(state.pods)) {
    if (other === placed || !other.holdsResources || other.node === undefined) continue;
    const there = labelsOf(other.node);
    for (const term of placed.pod.podAntiAffinity?.required ?? []) {
      const domain = here[term.topologyKey];
      if (domain !== undefined && there[term.topologyKey] === domain && selects(term, placed.pod.namespace, placed.pod.labels, other.pod)) {
        broken.push(`${key} was placed on ${placed.node} in ${term.topologyKey}=${domain} with ${other.pod.name}, which its anti-affinity selects`);
      }
    }
    for (const term of other.pod.podAntiAffinity?.required ?? []) {
      const domain = there[term.topologyKey];
      if (domain !== undefined && here[term.topologyKey] === domain && selects(term, other.pod.namespace, other.pod.labels, placed.pod)) {
        broken.push(`${key} was placed on ${placed.node} in ${term.topologyKey}=${domain} with ${other.pod.name}, whose anti-affinity selects it`);
      }
    }
  }
  return broken;
}

/**
 * The spreading law for the pod just bound: for each of its DoNotSchedule constraints, over the
 * domains of the nodes that count (every hard constraint's key, the inclusion policies), the
 * matching pods in its domain minus the fewest in any domain (0 while fewer domains than
 * minDomains) is at most maxSkew.
 */
function skewBroken(state: ClusterState, key: string): string[] {
  const placed = state.pods[key] as ClusterState["pods"][string];
  const constraints = spreadConstraints(placed.pod, "DoNotSchedule");
  if (constraints.length === 0) return [];
  const broken: string[] = [];
  const nodes = Object.values(state.nodes).filter((node) => hasAllKeys(node.node.labels, constraints));
  constraints.forEach((constraint, index) => {
    const counts = new Map<string, number>();
    for (const node of nodes) {
      if (!includesNode(constraint, placed.pod, node.node)) continue;
      const domain = node.node.labels[constraint.topologyKey] as string;
      const pods = node.pods.map((name) => state.pods[name] as ClusterState["pods"][string]).map((pod) => ({ pod: pod.pod, terminating: pod.deletionDeadline !== undefined }));
      counts.set(domain, (counts.get(domain) ?? 0) + countMatching(pods, constraint.selector, placed.pod.namespace));
    }
    const domain = state.nodes[placed.node as string]?.node.labels[constraint.topologyKey];
    if (domain === undefined || !counts.has(domain)) return;
    const minimum = counts.size < constraint.minDomains ? 0 : Math.min(...counts.values());
    const skew = (counts.get(domain) as number) - minimum;
    if (skew > constraint.maxSkew) broken.push(`${key} on ${placed.node} makes ${constraint.topologyKey}=${domain} hold ${counts.get(domain)} matching pods against a minimum of ${minimum}: skew ${skew} > maxSkew ${constraint.maxSkew} (constraint ${index})`);
  });
  return broken;
}

describe.each(["reference", "fast"] as const)("engine laws (%s engine)", (engine) => {
  it("hold after every event of random runs", () => {
    fc.assert(fc.property(scenarioArbitrary, (scenario) => {
      expect(lawsBroken({ scenario, engine }, RUN_LAWS)).toEqual([]);
      expect(placementLawsBroken(scenario, engine)).toEqual([]);
    }), { numRuns: RUNS });
  });

  it("the same scenario gives the same events, byte for byte", () => {
    fc.assert(fc.property(scenarioArbitrary, (scenario) => {
      expect(lawsBroken({ scenario, engine }, ["same-seed-same-log"])).toEqual([]);
    }), { numRuns: Math.ceil(RUNS / 3) });
  });

  it("a run's events are what it reports, in (t, seq) order", () => {
    fc.assert(fc.property(scenarioArbitrary, (scenario) => {
      const seen: ClusterEvent[] = [];
      const run = runScenario(scenario, { engine, onEvent: (event) => seen.push(event) });
      expect(seen).toEqual(run.events);
    }), { numRuns: Math.ceil(RUNS / 3) });
  });
});

describe("the laws themselves", () => {
  it("each law catches what it names: a log with a lost event, a refused replay", () => {
    // A scenario of one node and one pod; the law reads a run whose events were tampered with.
    const scenario: Scenario = { name: "one", seed: 1, untilSeconds: 10, options: { fitBy: "requests" }, nodes: [], pods: [], timeline: [] };
    const runs = new RunCache({ scenario });
    const real = runs.run();
    const events = [
      { seq: 1, t: 0, type: "NodeJoined", node: "n", spec: { name: "n", labels: {}, annotations: {}, taints: [], unschedulable: false, capacity: { cpu: 1000, memory: 2 ** 30, pods: 110 }, allocatable: { cpu: 1000, memory: 2 ** 30, pods: 110 }, ready: "True" } },
      { seq: 3, t: 20, type: "NodeRemoved", node: "n" },
    ] as unknown as ClusterEvent[];
    Object.defineProperty(real, "events", { value: events });
    expect(LAWS["ordered-log"]?.check({ scenario }, runs)).toEqual([
      "event 3 at 20s (NodeRemoved): seq 3 should be 2",
      "event 3 at 20s (NodeRemoved): after the end (10s)",
    ]);
  });
});
