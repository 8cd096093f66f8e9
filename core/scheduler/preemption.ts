/**
 * DefaultPreemption (kube-scheduler v1.35, plugins/defaultpreemption and framework/preemption): the
 * PostFilter that runs when no node passed the filters. It looks for a node where deleting pods of
 * lower priority would let the pod in, picks one by kube's ordering, and nominates the pod there;
 * the victims are deleted (with their grace period) and the pod is scheduled in a later cycle,
 * once they are gone. The cycle itself always ends Unschedulable.
 *
 * - Eligibility (PodEligibleToPreemptOthers): `preemptionPolicy: Never` may not preempt ("not
 *   eligible due to preemptionPolicy=Never."); a pod already nominated to a node may not preempt
 *   again while a lower-priority pod there is terminating by preemption ("not eligible due to a
 *   terminating pod on the nominated node."), unless that node is now UnschedulableAndUnresolvable.
 * - Candidates (findCandidates, DryRunPreemption): the nodes the filters refused as plain
 *   `Unschedulable` (not UnschedulableAndUnresolvable), in kube's node order from an offset (kube
 *   draws it at random; here a hash of the seed and the pod, so runs repeat), tried one by one until
 *   at least one candidate violates no PodDisruptionBudget and `numCandidates` =
 *   min(max(⌊N·minCandidateNodesPercentage/100⌋, minCandidateNodesAbsolute), N) are found.
 * - Victims on a node (SelectVictimsOnNode): every pod of lower priority is removed; if the pod
 *   still does not pass the filters, the node is no candidate (its reason goes to the message; with
 *   none of lower priority: "No preemption victims found for incoming pod"). Otherwise the removed
 *   pods are put back one at a time, most important first (higher priority, then started earlier),
 *   those whose loss would breach a PodDisruptionBudget before the others; a pod that fits back is
 *   spared.
 * - The node (pickOneNodeForPreemption): fewest budget violations, then the lowest highest victim
 *   priority, the smallest Σ(priority + 2³¹), the fewest victims, the latest earliest start among
 *   the highest-priority victims; then the first in candidate order (kube: map order).
 * - No candidate: "preemption: 0/N nodes are available: …" — each tried node's reason, every other
 *   node "Preemption is not helpful for scheduling" — and the nomination is cleared.
 *
 * Not simulated: extenders (none run), a preemption's PreFilter AddPod/RemovePod extensions are
 * replaced by re-running PreFilter on the changed snapshot when PodTopologySpread or
 * InterPodAffinity filters the pod (the same counts, computed afresh).
 */
import type { PodState } from "../cluster/state.js";
import type { PodKey } from "../model/pod.js";
import { podKey } from "../model/pod.js";
import { normalizeResources } from "../model/resources.js";
import { fnv1a32, selectorMatches, type LabelSelector } from "../model/workload.js";
import { fitErrorMessage } from "./message.js";
import { filterNode } from "./framework/schedule.js";
import type { CycleState, FilterPlugin, HostPort, NodeInfo, PodInfo, Status } from "./framework/types.js";
import { hostPortsOf } from "./plugins/nodeports/index.js";
import { shiftAffinity } from "./plugins/interpodaffinity/index.js";

/** DefaultPreemptionArgs after defaulting. */
export interface PreemptionArgs {
  readonly minCandidateNodesPercentage: number;
  readonly minCandidateNodesAbsolute: number;
}

export const DEFAULT_PREEMPTION_ARGS: PreemptionArgs = { minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 };

export const NO_VICTIMS = "No preemption victims found for incoming pod";
export const NOT_HELPFUL = "Preemption is not helpful for scheduling";
export const NEVER_MESSAGE = "not eligible due to preemptionPolicy=Never.";
export const TERMINATING_MESSAGE = "not eligible due to a terminating pod on the nominated node.";

/** A PodDisruptionBudget as preemption weighs it: its namespace, selector (nil or `{}` selects nothing here) and disruptions allowed now. */
export interface Budget {
  readonly namespace: string;
  readonly selector: LabelSelector | undefined;
  readonly allowed: number;
}

export interface PreemptionInput {
  readonly args: PreemptionArgs;
  readonly preemptor: PodState;
  readonly filters: readonly FilterPlugin[];
  readonly cycle: CycleState;
  /** Every node in kube's order. */
  readonly nodes: readonly NodeInfo[];
  /** The main cycle's verdict per node (a node without one was UnschedulableAndUnresolvable). */
  readonly statuses: ReadonlyMap<string, Status>;
  readonly podOf: (key: PodKey) => PodState | undefined;
  /** The node with the pods nominated there of priority ≥ the preemptor's added (absent: none). */
  readonly nominated?: (node: NodeInfo) => NodeInfo | undefined;
  /** The pods nominated to a node (to clear those of lower priority than the preemptor). */
  readonly nominatedTo: (node: string) => readonly PodState[];
  readonly budgets: readonly Budget[];
  readonly seed: number;
  /** The current tick: a pod not started yet counts as starting now. */
  readonly now: number;
  /** False when no pod holding resources has a lower priority than the preemptor: every node then has no victim (no need to look). */
  readonly anyVictims?: boolean;
  /** A fresh cycle over changed nodes, for PodTopologySpread (its PreFilter counts other pods; InterPodAffinity's state is shifted instead). */
  readonly recount?: (nodes: readonly NodeInfo[]) => { cycle: CycleState; filters: readonly FilterPlugin[] } | undefined;
}

export type PreemptionOutcome =
  | { readonly kind: "nominated"; readonly node: string; readonly victims: readonly PodKey[]; readonly clear: readonly PodKey[] }
  /** `clear`: the nomination is cleared (no candidate); otherwise it stays as it is. */
  | { readonly kind: "failed"; readonly message: string; readonly clear: boolean };

export interface Candidate {
  readonly node: string;
  readonly victims: readonly PodState[];
  readonly violations: number;
  /** `candidateScores`, when worked out already (a kept dry run). */
  readonly scores?: readonly number[];
}

const priorityOf = (pod: PodState): number => pod.pod.priority;

/** GetPodStartTime: its start, or now for a pod not started. */
const startOf = (pod: PodState, now: number): number => pod.startedAt ?? now;

/** MoreImportantPod: higher priority first, then the one that started earlier. */
export function moreImportantFirst(now: number): (a: PodState, b: PodState) => number {
  return (a, b) => priorityOf(b) - priorityOf(a) || startOf(a, now) - startOf(b, now);
}

/** DefaultPreemption's PostFilter for a pod no node accepted. */
export function preempt(input: PreemptionInput): PreemptionOutcome {
  const { preemptor, nodes, statuses } = input;
  const eligibility = notEligible(input);
  if (eligibility !== undefined) return { kind: "failed", message: eligibility, clear: false };
  const potential = nodes.filter((info) => statuses.get(info.node.name)?.code === "Unschedulable");
  const failures = new Map<string, readonly string[]>();
  const noCandidate = (): PreemptionOutcome => ({ kind: "failed", message: fitErrorMessage(nodes.length, failures, NOT_HELPFUL), clear: true });
  if (potential.length === 0) return noCandidate();
  if (input.anyVictims === false) {
    for (const info of potential) failures.set(info.node.name, [NO_VICTIMS]);
    return noCandidate();
  }
  const wanted = numCandidates(potential.length, input.args);
  const offset = candidateOffset(input.seed, preemptor, potential.length);
  const clean: Candidate[] = [];
  const violating: Candidate[] = [];
  for (let index = 0; index < potential.length; index++) {
    const info = potential[(offset + index) % potential.length] as NodeInfo;
    const result = selectVictims(input, info);
    if ("reasons" in result) {
      failures.set(info.node.name, result.reasons);
      continue;
    }
    const list = result.violations === 0 ? clean : violating;
    if (list.length < wanted) list.push(result);
    if (clean.length > 0 && clean.length + violating.length >= wanted) break;
  }
  const candidates = [...clean, ...violating];
  if (candidates.length === 0) return noCandidate();
  const best = candidates.length === 1 ? (candidates[0] as Candidate) : pickOne(candidates, input.now);
  const clear = input.nominatedTo(best.node).filter((pod) => priorityOf(pod) < priorityOf(preemptor)).map((pod) => podKey(pod.pod));
  return { kind: "nominated", node: best.node, victims: best.victims.map((pod) => podKey(pod.pod)), clear };
}

/** Where the dry run starts among `potential` nodes (kube: at random; here a hash of the seed and the pod). */
export function candidateOffset(seed: number, preemptor: PodState, potential: number): number {
  return fnv1a32(`${seed}\u0000${podKey(preemptor.pod)}\u0000preemption`) % potential;
}

/** PodEligibleToPreemptOthers: why the pod may not preempt, if it may not. */
function notEligible(input: PreemptionInput): string | undefined {
  const { preemptor } = input;
  if (preemptor.pod.preemptionPolicy === "Never") return NEVER_MESSAGE;
  const nominated = preemptor.nominatedNode;
  if (nominated === undefined) return undefined;
  // A node without a verdict counts as UnschedulableAndUnresolvable (kube's absent status): the
  // nominated node became hopeless, so the pod may preempt elsewhere.
  const status = input.statuses.get(nominated);
  if (status === undefined || status.code === "UnschedulableAndUnresolvable") return undefined;
  const info = input.nodes.find((node) => node.node.name === nominated);
  for (const { pod } of info?.pods ?? []) {
    const state = input.podOf(podKey(pod));
    if (state === undefined || priorityOf(state) >= priorityOf(preemptor)) continue;
    if (state.deletionDeadline !== undefined && state.disruption?.reason === "PreemptionByScheduler") return TERMINATING_MESSAGE;
  }
  return undefined;
}

/** calculateNumCandidates. */
export function numCandidates(nodes: number, args: PreemptionArgs): number {
  let count = Math.floor((nodes * args.minCandidateNodesPercentage) / 100);
  if (count < args.minCandidateNodesAbsolute) count = args.minCandidateNodesAbsolute;
  return Math.min(count, nodes);
}

/** The node as it would be with `removed` gone and `added` there (requests, pod count, host ports, pods). */
/** A node's requests with `removed` pods' taken off and `added` pods' put on (a new object; zeros kept). */
function shiftedRequests(requested: Readonly<Record<string, number>>, removed: readonly PodState[], added: readonly PodState[]): Record<string, number> {
  const sums: Record<string, number> = { ...requested };
  for (const pod of removed) for (const name in pod.request) sums[name] = (sums[name] ?? 0) - (pod.request[name] as number);
  for (const pod of added) for (const name in pod.request) sums[name] = (sums[name] ?? 0) + (pod.request[name] as number);
  return sums;
}

/** The pods nominated to `node` that count while `pod` is filtered: of its priority or higher, itself left out (addGENominatedPods). */
export function nominatedAbove(pod: PodState, nominatedTo: (node: string) => readonly PodState[], node: string): PodState[] {
  const key = podKey(pod.pod);
  return nominatedTo(node).filter((other) => podKey(other.pod) !== key && priorityOf(other) >= priorityOf(pod));
}

export function adjustedNode(info: NodeInfo, removed: readonly PodState[], added: readonly PodState[], podOf: (key: PodKey) => PodState | undefined): NodeInfo {
  const gone = new Set<string>();
  for (const pod of removed) gone.add(podKey(pod.pod));
  const sums = shiftedRequests(info.requested, removed, added);
  const nonZero = { ...info.nonZeroRequested };
  for (const pod of removed) {
    nonZero.cpu -= pod.nonZero.cpu;
    nonZero.memory -= pod.nonZero.memory;
  }
  for (const pod of added) {
    nonZero.cpu += pod.nonZero.cpu;
    nonZero.memory += pod.nonZero.memory;
  }
  const requested = removed.length > 0 ? normalizeResources(sums) : sums;
  // The pod list and host ports are built only if a plugin reads them (most filters read the sums).
  let pods: PodInfo[] | undefined;
  let usedPorts: HostPort[] | undefined;
  const podsNow = (): PodInfo[] => (pods ??= [...(info.pods ?? []).filter(({ pod }) => !gone.has(podKey(pod))), ...added.map((pod) => (pod.gpus === undefined ? { pod: pod.pod, terminating: pod.deletionDeadline !== undefined } : { pod: pod.pod, terminating: pod.deletionDeadline !== undefined, gpus: pod.gpus }))]);
  return {
    node: info.node,
    requested,
    nonZeroRequested: nonZero,
    podCount: info.podCount - removed.length + added.length,
    get usedPorts(): HostPort[] {
      usedPorts ??= podsNow().flatMap(({ pod }) => hostPortsOf(podOf(podKey(pod))?.pod ?? pod));
      return usedPorts;
    },
    get pods(): PodInfo[] {
      return podsNow();
    },
  };
}

/** Filters that read only the node itself, never the pods on it. */
const NODE_ONLY_FILTERS = new Set(["NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity"]);

/**
 * NodeResourcesFit, when it is the last filter and every other reads only the node (NodePorts too
 * when the pod opens no host port): then whether the pod fits once pods are removed is a question
 * of the node's sums alone.
 */
function sumsOnly(filters: readonly FilterPlugin[], cycle: CycleState): FilterPlugin | undefined {
  const last = filters[filters.length - 1];
  if (last?.name !== "NodeResourcesFit") return undefined;
  for (let index = 0; index < filters.length - 1; index++) {
    const name = (filters[index] as FilterPlugin).name;
    if (!NODE_ONLY_FILTERS.has(name) && !(name === "NodePorts" && cycle.hostPorts.length === 0)) return undefined;
  }
  return last;
}

/** The node as NodeResourcesFit reads it: its requests and pod count with `removed` gone and `added` there. */
function sumsNode(info: NodeInfo, removed: readonly PodState[], added: readonly PodState[]): NodeInfo {
  const requested = shiftedRequests(info.requested, removed, added);
  return { node: info.node, requested, nonZeroRequested: info.nonZeroRequested, podCount: info.podCount - removed.length + added.length, usedPorts: [], pods: [] };
}

/** SelectVictimsOnNode: the victims and how many of them breach a budget, or why the node cannot help. */
export function selectVictims(input: PreemptionInput, info: NodeInfo): Candidate | { reasons: readonly string[] } {
  const { preemptor, podOf, now } = input;
  const potential: PodState[] = [];
  for (const { pod } of info.pods ?? []) {
    const state = podOf(podKey(pod));
    if (state !== undefined && priorityOf(state) < priorityOf(preemptor)) potential.push(state);
  }
  if (potential.length === 0) return { reasons: [NO_VICTIMS] };
  // RunFilterPluginsWithNominatedPods on the node without `removed`: with the nominated pods of
  // equal or higher priority added, then (if that passed) without them.
  const nominated = input.nominated === undefined ? [] : nominatedAbove(preemptor, input.nominatedTo, info.node.name);
  const fit = input.recount === undefined ? sumsOnly(input.filters, input.cycle) : undefined;
  if (fit !== undefined) {
    // The other filters read only the node: their verdict is the same with or without the victims.
    for (const plugin of input.filters) {
      if (plugin === fit) break;
      const status = plugin.filter(input.cycle, info);
      if (status.code !== "Success") return { reasons: status.reasons };
    }
  }
  const passes = (removed: readonly PodState[]): { ok: boolean; reasons: readonly string[] } => {
    if (fit !== undefined) {
      // NodeResourcesFit alone, on the node's sums (with the nominated pods: fitting with them, it fits without).
      const status = fit.filter(input.cycle, sumsNode(info, removed, nominated));
      return { ok: status.code === "Success", reasons: status.reasons };
    }
    const changed = adjustedNode(info, removed, [], podOf);
    // kube's RemovePod for the victims, AddPod for the nominated pods: InterPodAffinity's state
    // shifted for this node; PodTopologySpread's recounted.
    const gone = removed.map((pod) => pod.pod);
    shiftAffinity(input.cycle, changed, gone, []);
    let cycle = input.cycle;
    let filters = input.filters;
    const fresh = input.recount?.(input.nodes.map((node) => (node.node.name === info.node.name ? changed : node)));
    if (fresh !== undefined) ({ cycle, filters } = fresh);
    if (nominated.length > 0) {
      // The nominated pods counted by the recount too (kube's AddPod in addGENominatedPods).
      const withNominated = adjustedNode(info, removed, nominated, podOf);
      shiftAffinity(input.cycle, withNominated, gone, nominated.map((pod) => pod.pod));
      const counted = input.recount?.(input.nodes.map((node) => (node.node.name === info.node.name ? withNominated : node)));
      const first = filterNode(counted?.filters ?? filters, counted?.cycle ?? cycle, withNominated);
      if (first.plugin !== undefined) return { ok: false, reasons: first.status.reasons };
    }
    const verdict = filterNode(filters, cycle, changed);
    return { ok: verdict.plugin === undefined, reasons: verdict.status.reasons };
  };
  const all = passes(potential);
  if (!all.ok) return { reasons: all.reasons };
  const ordered = [...potential].sort(moreImportantFirst(now));
  const { violating, clean } = splitByBudgets(ordered, input.budgets);
  const victims: PodState[] = [];
  let removed = [...potential];
  let violations = 0;
  const reprieve = (pod: PodState): boolean => {
    const without = removed.filter((other) => other !== pod);
    if (passes(without).ok) {
      removed = without;
      return true;
    }
    victims.push(pod);
    return false;
  };
  for (const pod of violating) if (!reprieve(pod)) violations++;
  for (const pod of clean) reprieve(pod);
  if (violating.length > 0 && clean.length > 0) victims.sort(moreImportantFirst(now));
  return { node: info.node.name, victims, violations };
}

/**
 * filterPodsWithPDBViolation: each budget's allowed disruptions spent in order over the pods it
 * selects (a nil or empty selector selects none here; an unlabelled pod matches no budget); a pod
 * that takes one below zero breaches it.
 */
export function splitByBudgets(pods: readonly PodState[], budgets: readonly Budget[]): { violating: PodState[]; clean: PodState[] } {
  const allowed = budgets.map((budget) => budget.allowed);
  const violating: PodState[] = [];
  const clean: PodState[] = [];
  for (const pod of pods) {
    let breached = false;
    const labels = pod.pod.labels;
    if (Object.keys(labels).length > 0) {
      budgets.forEach((budget, index) => {
        const selector = budget.selector;
        if (budget.namespace !== pod.pod.namespace || selector === undefined) return;
        if (Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0) return;
        if (!selectorMatches(selector, labels)) return;
        allowed[index] = (allowed[index] as number) - 1;
        if ((allowed[index] as number) < 0) breached = true;
      });
    }
    (breached ? violating : clean).push(pod);
  }
  return { violating, clean };
}

/**
 * pickOneNodeForPreemption's criteria for one candidate, each the higher the better: fewest budget
 * violations, lowest highest victim priority, smallest Σ(priority + 2³¹), fewest victims, latest
 * earliest start among the highest-priority victims.
 */
export function candidateScores(candidate: Candidate, now: number): readonly number[] {
  return [
    -candidate.violations,
    -priorityOf(candidate.victims[0] as PodState),
    -candidate.victims.reduce((sum, pod) => sum + priorityOf(pod) + 2 ** 31, 0),
    -candidate.victims.length,
    earliestStart(candidate.victims, now),
  ];
}

/**
 * pickOneNodeForPreemption: criterion by criterion, the candidates with the best score stay (in
 * order), then the first — that is, the first candidate whose scores are greatest in
 * lexicographic order: one pass.
 */
export function pickOne(candidates: readonly Candidate[], now: number): Candidate {
  let best = candidates[0] as Candidate;
  let bestScores = best.scores ?? candidateScores(best, now);
  for (let index = 1; index < candidates.length; index++) {
    const candidate = candidates[index] as Candidate;
    const scores = candidate.scores ?? candidateScores(candidate, now);
    for (let criterion = 0; criterion < 5; criterion++) {
      const score = scores[criterion] as number;
      const bestScore = bestScores[criterion] as number;
      if (score === bestScore) continue;
      if (score > bestScore) {
        best = candidate;
        bestScores = scores;
      }
      break;
    }
  }
  return best;
}

/** GetEarliestPodStartTime: among the victims of the highest priority, the earliest start. */
function earliestStart(victims: readonly PodState[], now: number): number {
  if (victims.length === 0) return -Infinity;
  const highest = Math.max(...victims.map(priorityOf));
  return Math.min(...victims.filter((pod) => priorityOf(pod) === highest).map((pod) => startOf(pod, now)));
}
