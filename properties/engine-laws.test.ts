/**
 * Laws of both engines' runs, over random clusters and timelines. Bounded here; set
 * TIMONEIRO_PROPERTY_RUNS for long runs. A failing case prints its seed and path: commit it
 * below as a regression.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  awaitingAdmission,
  checkInvariants,
  createState,
  overcommittedNodes,
  reduce,
  runScenario,
  serializeState,
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


const RUNS = Number(process.env["TIMONEIRO_PROPERTY_RUNS"] ?? 150);

/** Replays the run's events one at a time through the reference reducer, checking the laws after each; returns the broken ones. */
function lawsBroken(scenario: Scenario, engine: EngineKind): string[] {
  const run = runScenario(scenario, { engine });
  const broken: string[] = [];
  let state: ClusterState = createState(scenario.options);
  const sealed: Array<[ClusterState, string]> = [];
  const freed = new Map<string, number>();
  let previous: ClusterEvent | undefined;

  run.events.forEach((event, index) => {
    const where = `after event ${event.seq} (${event.type})`;
    if (event.seq !== index + 1) broken.push(`${where}: seq ${event.seq} should be ${index + 1}`);
    if (previous !== undefined && event.t < previous.t) broken.push(`${where}: time went back from ${previous.t} to ${event.t}`);
    if (event.t > scenario.untilSeconds) broken.push(`${where}: tick ${event.t} is after the end ${scenario.untilSeconds}`);

    const result = reduce(state, event);
    if (!result.ok) {
      broken.push(`${where}: the reducer rejects the engine's own event: ${result.rejection.message}`);
      return;
    }
    state = result.state;
    broken.push(...checkInvariants(state).map((law) => `${where}: ${law}`));

    // The scheduler never over-commits a node; only a manifest-bound pod the kubelet has not
    // admitted yet (or has just refused, before its ResourcesFreed) can.
    for (const over of overcommittedNodes(state)) {
      const node = over.slice(0, over.indexOf(":"));
      const excused = Object.values(state.pods).some((pod) =>
        pod.node === node && (awaitingAdmission(pod) || (pod.pod.nodeName !== undefined && pod.phase === "Failed" && pod.holdsResources)));
      if (!excused) broken.push(`${where}: node over-committed: ${over}`);
    }

    // Resources are freed once per pod life, and a pod that ends frees them in the same tick.
    if (event.type === "PodCreated") freed.delete(event.pod);
    if (event.type === "ResourcesFreed") {
      freed.set(event.pod, (freed.get(event.pod) ?? 0) + 1);
      if ((freed.get(event.pod) ?? 0) > 1) broken.push(`${where}: resources of ${event.pod} freed twice`);
    }
    if (previous !== undefined && (previous.type === "PodSucceeded" || previous.type === "PodFailed") && state.pods[previous.pod]?.holdsResources) {
      broken.push(`${where}: ${previous.pod} ended without freeing its resources right away`);
    }

    // A pod the scheduler placed never shares a topology domain with a pod its required
    // anti-affinity selects, nor with a pod whose required anti-affinity selects it.
    if (event.type === "PodBound" && state.pods[event.pod]?.pod.nodeName === undefined) {
      broken.push(...antiAffinityBroken(state, event.pod).map((law) => `${where}: ${law}`));
      broken.push(...skewBroken(state, event.pod).map((law) => `${where}: ${law}`));
    }

    if (index % 7 === 0) sealed.push([state, serializeState(state)]);
    previous = event;
  });

  // Replay equals the live run; sealed states never changed afterwards.
  if (serializeState(state) !== serializeState(run.state)) broken.push("replaying the events does not rebuild the live final state");
  for (const [old, text] of sealed) {
    if (serializeState(old) !== text) broken.push(`a sealed state at seq ${old.seq} changed after later events`);
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
      expect(lawsBroken(scenario, engine)).toEqual([]);
    }), { numRuns: RUNS });
  });

  it("the same scenario gives the same events, byte for byte", () => {
    fc.assert(fc.property(scenarioArbitrary, (scenario) => {
      expect(JSON.stringify(runScenario(scenario, { engine }).events)).toBe(JSON.stringify(runScenario(scenario, { engine }).events));
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
