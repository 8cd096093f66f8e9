/**
 * How the engine decides where a pod goes: a kube-scheduler profile (the default: kube's default
 * profile, or the profiles of a KubeSchedulerConfiguration), or a classic bin-packing policy that
 * takes the global answer over every feasible node:
 *
 * - `first-fit`: the first feasible node in the scheduler's node order (kube's node tree: join
 *   order, zones interleaved — the order bins were opened in, as classic first fit has it);
 * - `best-fit`: the tightest — least cpu and memory left over, as a sum of the fractions of
 *   allocatable left (cpu + memory) after placing the pod, in steps of 2^-20 (`leftOverKey`);
 *   ties to the earliest in that order;
 * - `worst-fit`: the loosest — most left over; ties the same way.
 *
 * Feasibility is the same for all: the default profile's filters (NodeUnschedulable, NodeName,
 * TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit), with kube's messages.
 */
import type { PodKey } from "../model/pod.js";
import type { ClusterState, PodState } from "../cluster/state.js";
import { defaultSchedulerConfiguration, profileFor, type SchedulerConfiguration } from "./config/ksc.js";
import { filterNode, filterWithNominated, narrow, refuse, runCycle, runPreFilter, type NominatedRecount } from "./framework/schedule.js";
import { adjustedNode, nominatedAbove, preempt, type Budget } from "./preemption.js";
import { affinityFilterState, shiftAffinity } from "./plugins/interpodaffinity/index.js";
import { spreadFilterState } from "./plugins/podtopologyspread/index.js";
import { cycleState, nodeInfos, ownersOf } from "./framework/snapshot.js";
import type { SpreadOwners } from "./plugins/podtopologyspread/defaults.js";
import type { CycleState, FilterPlugin, NodeInfo, Profile } from "./framework/types.js";
import { NO_NODES_AVAILABLE } from "./message.js";
import { leftOverKey } from "../state/capacity-index.js";
import { insufficientResources, NODE_RESOURCES_FIT } from "./plugins/noderesourcesfit/filter.js";

export type ClassicPolicy = "first-fit" | "best-fit" | "worst-fit";
export const CLASSIC_POLICIES: readonly ClassicPolicy[] = ["first-fit", "best-fit", "worst-fit"];

export type SchedulerChoice =
  | { readonly policy: "kube"; readonly configuration: SchedulerConfiguration }
  | { readonly policy: ClassicPolicy };

/** kube's default profile. */
export function defaultSchedulerChoice(): SchedulerChoice {
  return { policy: "kube", configuration: defaultSchedulerConfiguration() };
}

/** The scheduler names a choice serves (pods for other schedulers wait). */
export function schedulerNamesOf(choice: SchedulerChoice): string[] {
  return choice.policy === "kube" ? choice.configuration.profiles.map((profile) => profile.schedulerName) : ["default-scheduler"];
}

export type Decision =
  | {
    readonly kind: "bind";
    readonly node: string;
    readonly nextStartNodeIndex: number;
    /** The pod does not fit there: the profile runs no NodeResourcesFit filter, and the kubelet will refuse it. */
    readonly overcommits?: true;
  }
  | {
    readonly kind: "unschedulable";
    readonly message: string;
    readonly plugins: readonly string[];
    readonly nextStartNodeIndex: number;
    /** DefaultPreemption made room: the node the pod is nominated to, the victims there, and lower-priority pods whose nomination to it is cleared. */
    readonly preemption?: { readonly node: string; readonly victims: readonly PodKey[]; readonly clear: readonly PodKey[] };
    /** No preemption could help: the pod's nomination, if any, is cleared. */
    readonly clearNomination?: true;
  };

/** What the nominator and DefaultPreemption read of the cluster besides the nodes. */
export interface ClusterView {
  readonly podOf: (key: PodKey) => PodState | undefined;
  /** The pods nominated to a node (not bound yet), in creation order. */
  readonly nominatedTo: (node: string) => readonly PodState[];
  /** Whether any pod is nominated to any node. */
  readonly anyNominated: boolean;
  /** The PodDisruptionBudgets with the disruptions each allows now. */
  readonly budgets: () => readonly Budget[];
  /** The current tick. */
  readonly now: number;
  /** The lowest priority among pods holding resources (none: +∞): below it no pod can be a victim. */
  readonly lowestHeldPriority: number;
}

/** The pods nominated to each node, in the order given, looked up by node. */
export function byNominatedNode(nominated: readonly PodState[]): (node: string) => readonly PodState[] {
  const byNode = new Map<string, PodState[]>();
  for (const pod of nominated) {
    const node = pod.nominatedNode as string;
    let list = byNode.get(node);
    if (list === undefined) byNode.set(node, (list = []));
    list.push(pod);
  }
  return (node) => byNode.get(node) ?? [];
}

/** A reference state's view (passes over its pods and objects: the naive way). */
export function clusterViewOf(state: ClusterState): ClusterView {
  const nominated = Object.values(state.pods).filter((pod) => pod.nominatedNode !== undefined && pod.node === undefined).sort((a, b) => a.createdSeq - b.createdSeq);
  return {
    podOf: (key) => state.pods[key],
    nominatedTo: byNominatedNode(nominated),
    anyNominated: nominated.length > 0,
    budgets: () => Object.values(state.objects).flatMap((record) => (record.object.kind === "PodDisruptionBudget"
      ? [{ namespace: record.object.namespace, selector: record.object.selector, allowed: record.status?.disruptionsAllowed ?? 0 }]
      : [])),
    now: state.t,
    lowestHeldPriority: Object.values(state.pods).reduce((lowest, pod) => (pod.holdsResources && pod.pod.priority < lowest ? pod.pod.priority : lowest), Number.POSITIVE_INFINITY),
  };
}

/** kube's addGENominatedPods for `pod`: a node with the pods of equal or higher priority nominated there added (undefined: none). */
export function nominatedView(pod: PodState, view: ClusterView): ((node: NodeInfo) => NodeInfo | undefined) | undefined {
  if (!view.anyNominated) return undefined;
  return (node) => {
    if (view.nominatedTo(node.node.name).length === 0) return undefined;
    const added = nominatedAbove(pod, view.nominatedTo, node.node.name);
    return added.length === 0 ? undefined : adjustedNode(node, [], added, view.podOf);
  };
}

/** One scheduling cycle for `key` at the current state. */
export function decide(state: ClusterState, key: PodKey, choice: SchedulerChoice, seed: number): Decision {
  const pod: PodState | undefined = state.pods[key];
  if (pod === undefined) throw new Error(`decide: no pod ${key}`);
  return decideOn(pod, nodeInfos(state, state.nodeTree), state.nextStartNodeIndex, choice, seed, ownersOf(state), clusterViewOf(state));
}

/** The profile that schedules `pod` under a kube choice. */
export function profileOf(choice: SchedulerChoice & { policy: "kube" }, pod: PodState): Profile {
  const profile = profileFor(choice.configuration, pod.pod.schedulerName);
  if (profile === undefined) throw new Error(`decide: no profile for scheduler ${pod.pod.schedulerName}`);
  return profile;
}

/**
 * One scheduling cycle over a snapshot: every node's NodeInfo in kube's order and the sampling
 * start. Both engines' plain path; the fast engine's indexed paths must give the same answers.
 */
export function decideOn(pod: PodState, nodes: readonly NodeInfo[], start: number, choice: SchedulerChoice, seed: number, owners?: SpreadOwners, view?: ClusterView): Decision {
  if (choice.policy === "kube") {
    const profile = profileOf(choice, pod);
    const cycle = cycleState(pod.pod, pod.request, nodes, owners);
    const nominated = view === undefined ? undefined : nominatedView(pod, view);
    const recount = nominated === undefined ? undefined : nominatedRecount(pod, profile, cycle, nodes, owners);
    const onNominated = nominatedNodeFirst(pod, profile, cycle, nodes, nominated, recount, start);
    if (onNominated !== undefined) return onNominated;
    const result = runCycle({ profile, cycle, nodes, startIndex: start, seed, ...(nominated !== undefined ? { nominated, recount } : {}) });
    if (result.selected !== undefined) {
      const decision = { kind: "bind", node: result.selected, nextStartNodeIndex: result.nextStartIndex } as const;
      // Without NodeResourcesFit's filter kube binds wherever the scores say, fit or not.
      if (profile.filter.some((plugin) => plugin.name === NODE_RESOURCES_FIT)) return decision;
      const chosen = nodes.find((node) => node.node.name === result.selected) as NodeInfo;
      const fits = insufficientResources(pod.request, { allocatable: chosen.node.allocatable, requested: chosen.requested, podCount: chosen.podCount }).length === 0;
      return fits ? decision : { ...decision, overcommits: true };
    }
    const failed = { kind: "unschedulable", message: result.message ?? NO_NODES_AVAILABLE, plugins: result.rejectingPlugins, nextStartNodeIndex: result.nextStartIndex } as const;
    // PostFilter runs for a verdict (not an error, not an empty cluster).
    if (result.error || profile.preemption === undefined || view === undefined) return failed;
    // The filters the dry run runs (unused when no pod of lower priority holds resources).
    const anyVictims = view.lowestHeldPriority < pod.pod.priority;
    const preFiltered = anyVictims ? runPreFilter(profile, cycle) : undefined;
    const filters = preFiltered === undefined || "rejectedBy" in preFiltered ? profile.filter : preFiltered.filters;
    const outcome = preempt({
      args: profile.preemption,
      preemptor: pod,
      filters,
      cycle,
      nodes,
      statuses: new Map(result.verdicts.map((verdict) => [verdict.node, verdict.status])),
      podOf: view.podOf,
      ...(nominated !== undefined ? { nominated } : {}),
      nominatedTo: view.nominatedTo,
      budgets: view.budgets(),
      seed,
      now: view.now,
      anyVictims,
      recount: recounter(pod, profile, cycle, owners),
    });
    if (outcome.kind === "nominated") return { ...failed, preemption: { node: outcome.node, victims: outcome.victims, clear: outcome.clear } };
    return { ...failed, message: `${failed.message} preemption: ${outcome.message}`, ...(outcome.clear && pod.nominatedNode !== undefined ? { clearNomination: true as const } : {}) };
  }
  return decideClassic(pod, nodes, start, choice.policy);
}

/**
 * evaluateNominatedNode: a pod nominated to a node (it preempted pods there) is tried there first,
 * after PreFilter; if that node passes its filters it is bound there without scoring, and the
 * sampling start stays where it was. Otherwise the usual cycle runs.
 */
function nominatedNodeFirst(pod: PodState, profile: Profile, cycle: CycleState, nodes: readonly NodeInfo[], nominated: ((node: NodeInfo) => NodeInfo | undefined) | undefined, recount: NominatedRecount | undefined, start: number): Decision | undefined {
  const name = pod.nominatedNode;
  if (name === undefined) return undefined;
  const node = nodes.find((info) => info.node.name === name);
  if (node === undefined) return undefined;
  const preFiltered = runPreFilter(profile, cycle);
  if ("rejectedBy" in preFiltered || (preFiltered.nodeNames !== undefined && !preFiltered.nodeNames.has(name))) return undefined;
  if (!preFiltered.filters.some((plugin) => plugin.name === NODE_RESOURCES_FIT)) return undefined;
  return filterWithNominated(preFiltered.filters, cycle, node, nominated, recount).plugin === undefined ? { kind: "bind", node: name, nextStartNodeIndex: start } : undefined;
}

/**
 * The pods nominated to a node counted by PodTopologySpread's and InterPodAffinity's PreFilter
 * state (kube's AddPod extensions, run by addGENominatedPods): InterPodAffinity's state shifted
 * by the pods added there (`shiftAffinity`); PodTopologySpread's by PreFilter re-run over the
 * snapshot with that node replaced by the node with its nominated pods. Undefined answers when
 * the cycle has no spreading state (decided once PreFilter has run, at the first node with
 * nominated pods).
 */
export function nominatedRecount(pod: PodState, profile: Profile, cycle: CycleState, nodes: readonly NodeInfo[], owners: SpreadOwners | undefined): NominatedRecount {
  let fresh: ReturnType<typeof recounter> | null = null;
  let byName: Map<string, NodeInfo> | undefined;
  return (withNominated) => {
    if (fresh === null) fresh = recounter(pod, profile, cycle, owners);
    if (affinityFilterState(cycle) !== undefined) {
      byName ??= new Map(nodes.map((node) => [node.node.name, node]));
      const before = new Set((byName.get(withNominated.node.name)?.pods ?? []).map(({ pod: other }) => other));
      shiftAffinity(cycle, withNominated, [], (withNominated.pods ?? []).filter(({ pod: other }) => !before.has(other)).map(({ pod: other }) => other));
    }
    return fresh?.(nodes.map((node) => (node.node.name === withNominated.node.name ? withNominated : node)));
  };
}

/**
 * For preemption's dry run and the nominator: when PodTopologySpread filters the pod (its
 * PreFilter counts other pods), a fresh cycle over the changed nodes (kube updates its state with
 * its AddPod/RemovePod extensions; recounting gives the same counts). InterPodAffinity's state is
 * shifted instead (`shiftAffinity`, by the callers), as kube's extensions do, without reading every
 * pod.
 */
function recounter(pod: PodState, profile: Profile, cycle: CycleState, owners: SpreadOwners | undefined): ((nodes: readonly NodeInfo[]) => { cycle: CycleState; filters: readonly FilterPlugin[] } | undefined) | undefined {
  if (spreadFilterState(cycle) === undefined) return undefined;
  // The naive counts over the changed nodes (the kept ones know nothing of the change).
  const naive: SpreadOwners | undefined = owners === undefined ? undefined : { services: (namespace) => owners.services(namespace), workload: (kind, namespace, name) => owners.workload(kind, namespace, name), ...(owners.namespaces !== undefined ? { namespaces: () => (owners.namespaces as () => ReadonlyMap<string, Readonly<Record<string, string>>>)() } : {}) };
  return (nodes) => {
    const fresh = cycleState(pod.pod, pod.request, nodes, naive);
    const preFiltered = runPreFilter(profile, fresh);
    return "rejectedBy" in preFiltered ? undefined : { cycle: fresh, filters: preFiltered.filters };
  };
}

/** The profile whose filters decide feasibility for the classic policies: kube's default. */
export const FILTER_PROFILE: Profile = defaultSchedulerConfiguration().profiles[0] as Profile;

/** Capacity left after placing the pod: the sum of cpu and memory fractions of allocatable (the index's `leftAfter`). */
export function leftover(node: NodeInfo, request: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const resource of ["cpu", "memory"]) {
    const allocatable = node.node.allocatable[resource] ?? 0;
    if (allocatable === 0) continue;
    total += (allocatable - (node.requested[resource] ?? 0) - (request[resource] ?? 0)) / allocatable;
  }
  return total;
}

function decideClassic(pod: PodState, nodes: readonly NodeInfo[], start: number, policy: ClassicPolicy): Decision {
  if (nodes.length === 0) return { kind: "unschedulable", message: NO_NODES_AVAILABLE, plugins: [], nextStartNodeIndex: start };
  const profile = FILTER_PROFILE;
  const cycle = cycleState(pod.pod, pod.request, nodes);
  const preFiltered = runPreFilter(profile, cycle);
  if ("rejectedBy" in preFiltered) {
    const refused = refuse(nodes.length, nodes.map((node) => ({ node: node.node.name, status: preFiltered.status, plugin: preFiltered.rejectedBy })), start);
    return { kind: "unschedulable", message: refused.message ?? "", plugins: refused.rejectingPlugins, nextStartNodeIndex: start };
  }
  const { candidates, absent } = narrow(nodes, preFiltered);
  const verdicts = [...absent];
  let chosen: NodeInfo | undefined;
  let chosenKey = 0;
  for (const node of candidates) {
    const verdict = filterNode(preFiltered.filters, cycle, node);
    verdicts.push(verdict);
    if (verdict.plugin !== undefined) continue;
    if (policy === "first-fit") return { kind: "bind", node: node.node.name, nextStartNodeIndex: start };
    const key = leftOverKey(leftover(node, pod.request));
    if (chosen === undefined || (policy === "best-fit" ? key < chosenKey : key > chosenKey)) {
      chosen = node;
      chosenKey = key;
    }
  }
  if (chosen !== undefined) return { kind: "bind", node: chosen.node.name, nextStartNodeIndex: start };
  const refused = refuse(nodes.length, verdicts, start);
  return { kind: "unschedulable", message: refused.message ?? "", plugins: refused.rejectingPlugins, nextStartNodeIndex: start };
}
