/**
 * A kube-default cycle that found no feasible node, without the framework's per-node objects: the
 * fast engine's twin of `runCycle`'s FailedScheduling outcome and DefaultPreemption's PostFilter
 * (scheduler/preemption.ts), for the pods the fused walk serves (decide.ts: cpu and memory only,
 * no host ports, node selector, node affinity or wanted images) when neither PodTopologySpread
 * nor InterPodAffinity filters them.
 *
 * For such a pod every filter but NodeResourcesFit reads only the node, and passes unless the node
 * is cordoned or has a NoSchedule/NoExecute taint. So:
 *
 * - a node with neither is refused by NodeResourcesFit alone, whose reasons ("Too many pods",
 *   "Insufficient cpu", "Insufficient memory", in that order; UnschedulableAndUnresolvable when
 *   the request exceeds the node's allocatable) come from its columns, with the pods nominated
 *   there of the pod's priority or higher added (their sums are kept per node); the other nodes go
 *   through the profile's filters as the plain path runs them;
 * - the dry run is `preempt`'s on resource sums: a node's pods of lower priority are removed and
 *   put back, most important first, by arithmetic on cpu, memory and the pod count;
 * - the nodes' verdicts are kept (`FailurePass`) for the next pod asking the same (cpu, memory,
 *   priority, cordon toleration): it redoes only the nodes touched since;
 * - a node's dry run is kept (`DryRuns`) under a stamp that changes with anything it reads (the
 *   node's record, the pods nominated there, a pod there starting), for the same tick, priority
 *   and request, when no PodDisruptionBudget exists (their allowances change as pods come and
 *   go), with whether it is a candidate and its scores in typed arrays: a burst of preemptors
 *   alike re-runs only the nodes the last one changed, and picks among the candidates by their
 *   kept scores (`pickKept`, `pickOne`'s order).
 *
 * A pod nominated to a node is left out of the pods nominated there (its own node judged apart
 * from the kept pass), may not preempt again while a pod of lower priority there terminates by
 * preemption, and has its nomination cleared when no candidate is found; its dry runs are not kept.
 *
 * Undefined when a node unexpectedly passes (the caller then takes the plain path). preempt.test.ts
 * compares this with the plain path on 100+ full nodes, including a second preemptor on the same
 * state after the first's preemption (kept verdicts and dry runs reused).
 */
import type { PodState } from "../cluster/state.js";
import { podKey } from "../model/pod.js";
import { fitErrorFromCounts } from "../scheduler/message.js";
import { filterWithNominated, type NominatedRecount } from "../scheduler/framework/schedule.js";
import type { CycleState, FilterPlugin, NodeInfo, Profile } from "../scheduler/framework/types.js";
import type { ClusterView, Decision } from "../scheduler/policies.js";
import {
  candidateOffset, candidateScores, moreImportantFirst, NEVER_MESSAGE, NO_VICTIMS, NOT_HELPFUL, TERMINATING_MESSAGE, numCandidates, pickOne, selectVictims, splitByBudgets, type Candidate,
  type Budget, type PreemptionInput,
} from "../scheduler/preemption.js";
import { affinityFilterState } from "../scheduler/plugins/interpodaffinity/index.js";
import { TOO_MANY_PODS } from "../scheduler/plugins/noderesourcesfit/filter.js";
import { NODE_RESOURCES_FIT } from "../scheduler/plugins/noderesourcesfit/filter.js";
import { toleratesUnschedulable } from "../scheduler/plugins/nodeunschedulable/index.js";
import { NODE_COLUMNS, type DryRuns, type StateView } from "./state.js";
import { EMPTY_SLOT, SPECIAL_SLOT } from "./failure-pass.js";

const TOO_MANY = 1;
const CPU_SHORT = 2;
const MEMORY_SHORT = 4;
/** Set beside the reasons when the request exceeds the node's allocatable cpu or memory. */
const UNRESOLVABLE = 8;

/** NodeResourcesFit's reasons for each combination of failed checks, in kube's order. */
const REASONS: readonly (readonly string[])[] = Array.from({ length: 8 }, (_, mask) => [
  ...(mask & TOO_MANY ? [TOO_MANY_PODS] : []),
  ...(mask & CPU_SHORT ? ["Insufficient cpu"] : []),
  ...(mask & MEMORY_SHORT ? ["Insufficient memory"] : []),
]);

/** NodeResourcesFit's checks for a pod asking `cpu` and `memory` (insufficientResources in cluster/fit.ts): the failed ones, 0 if it fits. */
function fitMask(cpu: number, memory: number, cpuAllocatable: number, memoryAllocatable: number, cpuUsed: number, memoryUsed: number, pods: number, podsAllocatable: number): number {
  let mask = 0;
  if (pods + 1 > podsAllocatable) mask |= TOO_MANY;
  if (cpu > 0 && cpu > cpuAllocatable - cpuUsed) mask |= cpu > cpuAllocatable ? CPU_SHORT | UNRESOLVABLE : CPU_SHORT;
  if (memory > 0 && memory > memoryAllocatable - memoryUsed) mask |= memory > memoryAllocatable ? MEMORY_SHORT | UNRESOLVABLE : MEMORY_SHORT;
  return mask;
}

function countReasons(counts: Map<string, number>, reasons: Iterable<string>, times = 1): void {
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + times);
}

export interface FusedFailureInput {
  readonly state: StateView;
  readonly pod: PodState;
  readonly cycle: CycleState;
  readonly filters: readonly FilterPlugin[];
  readonly profile: Profile;
  readonly start: number;
  readonly seed: number;
  /** kube's addGENominatedPods for the pod (undefined: no pod is nominated anywhere). */
  readonly nominated: ((node: NodeInfo) => NodeInfo | undefined) | undefined;
  /** InterPodAffinity's AddPod for the nominated pods (`shiftAffinity`), when it filters the pod and pods are nominated. */
  readonly recount?: NominatedRecount;
}

/** The input with the id of the pod when it is nominated to a node (−1 otherwise): it is left out of the pods nominated there. */
type FailureRun = FusedFailureInput & { readonly self: number };

/** The cycle's FailedScheduling decision and, if the profile preempts, DefaultPreemption's outcome (see the file's comment). */
export function fusedUnschedulable(input: FusedFailureInput): Decision | undefined {
  const { state, pod, cycle, filters, profile, nominated } = input;
  // A pod nominated to a node: kube leaves it out of the pods nominated there while it is filtered
  // (addGENominatedPods). The kept pass is shared by the pods alike and counts it there, so that one
  // slot is judged for this pod apart (below) and logged as touched, so that the pods
  // alike redo it.
  let self = -1;
  let ownSlot = -1;
  if (pod.nominatedNode !== undefined) {
    const nodeId = state.nodeIdOf(pod.nominatedNode);
    const slot = nodeId === undefined ? undefined : state.slotOf(nodeId);
    if (slot === undefined || state.nodeSlots()[slot] !== nodeId) return undefined; // its node is gone: the plain path
    self = state.podIdOf(podKey(pod.pod)) as number;
    ownSlot = slot;
  }
  const cpu = pod.request["cpu"] ?? 0;
  const memory = pod.request["memory"] ?? 0;
  const priority = pod.pod.priority;
  const toleratesCordon = toleratesUnschedulable(pod.pod.tolerations);
  const slots = state.nodeSlots();
  const columns = state.nodeColumns();
  const count = state.capacityIndex().occupied;
  const view = state.clusterView();

  // Every node's verdict, in kube's order, kept from the last pass for a pod alike where the node
  // did not change: NodeResourcesFit's mask from the columns, or "special" (cordoned or tainted:
  // the profile's filters judge it below, each time).
  const verdictAt = (slot: number): number => {
    const id = slots[slot];
    if (id === undefined) return EMPTY_SLOT;
    const base = slot * NODE_COLUMNS;
    if ((columns[base + 6] === 1 && !toleratesCordon) || columns[base + 8] === 1) return SPECIAL_SLOT;
    // With the pods nominated there (of the pod's priority or higher) first; fitting with them, it fits without.
    if (columns[base + 13] === 0 || (columns[base + 14] as number) >= priority) {
      // None nominated there, or all of them count: the sums in the columns.
      return fitMask(cpu, memory, columns[base] as number, columns[base + 1] as number, (columns[base + 4] as number) + (columns[base + 11] as number), (columns[base + 5] as number) + (columns[base + 12] as number), (columns[base + 9] as number) + (columns[base + 13] as number), columns[base + 10] as number);
    }
    return fitWithNominated(state, pod, slot, id, -1);
  };
  const keep = (slot: number, verdict: number) => pass.set(slot, verdict, verdict > 0 && (verdict & UNRESOLVABLE) === 0);
  const key = `${cpu}|${memory}|${priority}|${toleratesCordon}`;
  const { pass, touched } = state.failurePasses().use(key, slots.length, count);
  if (touched === undefined) {
    pass.start(key, slots.length);
    for (let slot = 0; slot < slots.length; slot++) keep(slot, verdictAt(slot));
  } else {
    for (const id of touched) {
      const slot = state.slotOf(id);
      if (slot !== undefined) keep(slot, verdictAt(slot));
    }
  }
  // The pod's own node, judged with the pod left out of the pods nominated there; the pods alike
  // redo it at their next pass (it is logged as touched).
  if (ownSlot >= 0) {
    const own = pass.masks[ownSlot] === SPECIAL_SLOT ? SPECIAL_SLOT : fitWithNominated(state, pod, ownSlot, slots[ownSlot] as number, self);
    keep(ownSlot, own);
    state.failurePasses().touched(slots[ownSlot] as number);
  }
  // InterPodAffinity (after NodeResourcesFit in kube's order) judges the nodes that fit: each time,
  // as the special ones (its verdict depends on where other pods are).
  const affinity = affinityFilterState(cycle) !== undefined;
  if ((pass.counts[0] as number) > 0 && !affinity) return undefined; // a node fits after all: the plain path
  const counts = new Map<string, number>();
  const plugins = new Set<string>();
  const judge = (slot: number): boolean => {
    const verdict = filterWithNominated(filters, cycle, state.nodeInfo(slots[slot] as number), nominated, input.recount);
    if (verdict.plugin === undefined) return false;
    plugins.add(verdict.plugin);
    countReasons(counts, new Set(verdict.status.reasons));
    pass.mark(slot, verdict.status.code === "Unschedulable");
    return true;
  };
  for (const slot of pass.specials) if (!judge(slot)) return undefined;
  if ((pass.counts[0] as number) > 0) {
    const masks = pass.masks;
    for (let slot = 0; slot < masks.length; slot++) if (masks[slot] === 0 && !judge(slot)) return undefined;
  }
  for (let mask = 1; mask < 16; mask++) {
    const nodes = pass.counts[mask] as number;
    if (nodes === 0) continue;
    plugins.add(NODE_RESOURCES_FIT);
    countReasons(counts, REASONS[mask & 7] as readonly string[], nodes);
  }
  const message = fitErrorFromCounts(count, counts);
  const failed = { kind: "unschedulable", message, plugins: [...plugins].sort(), nextStartNodeIndex: (input.start + count) % count } as const;

  const args = profile.preemption;
  if (args === undefined) return failed;
  if (pod.pod.preemptionPolicy === "Never") return { ...failed, message: `${message} preemption: ${NEVER_MESSAGE}` };
  // PodEligibleToPreemptOthers: not again while a pod of lower priority on its node (still worth a
  // preemption) is terminating by preemption.
  if (ownSlot >= 0 && pass.potentialAt(ownSlot) && preemptedBelow(state, view, pod, slots[ownSlot] as number)) return { ...failed, message: `${message} preemption: ${TERMINATING_MESSAGE}` };
  const run: FailureRun = { ...input, self };
  // No candidate: each tried node's reasons, every other node "not helpful" (counted only then).
  const failures = new Map<string, number>();
  const triedIds: number[] = [];
  let tried = 0;
  const noCandidate = (kept?: ReadonlyMap<readonly string[], number>): Decision => {
    // Counted per list of reasons (the dry runs share a few lists), then each list once: the
    // pass's kept ones, and those of the nodes tried this time that it does not keep.
    const lists = new Map<readonly string[], number>(kept);
    for (const id of triedIds) {
      const reasons = reasonsOf(id);
      lists.set(reasons, (lists.get(reasons) ?? 0) + 1);
    }
    for (const [reasons, times] of lists) countReasons(failures, reasons, times);
    if (tried < count) failures.set(NOT_HELPFUL, (failures.get(NOT_HELPFUL) ?? 0) + count - tried);
    return { ...failed, message: `${message} preemption: ${fitErrorFromCounts(count, failures)}`, ...(self >= 0 ? { clearNomination: true as const } : {}) };
  };
  const potential = pass.potentialCount();
  if (potential === 0) return noCandidate();
  if (!(view.lowestHeldPriority < pod.pod.priority)) {
    failures.set(NO_VICTIMS, potential);
    tried = potential;
    return noCandidate();
  }
  const wanted = numCandidates(potential, args);
  const offset = candidateOffset(input.seed, pod, potential);
  const budgets = view.budgets();
  // The same question as last time on an unchanged node has the same answer (budgets change as
  // pods come and go: with any, no reuse; nor with inter-pod affinity, whose verdict reads other
  // nodes' pods).
  const kept = budgets.length === 0 && !affinity && self < 0 ? state.dryRunCache() : undefined;
  // With inter-pod affinity the dry run is SelectVictimsOnNode's, filters and all, on the node.
  const plainInput: PreemptionInput | undefined = affinity ? {
    args, preemptor: pod, filters, cycle, nodes: [], statuses: new Map(), podOf: view.podOf, nominatedTo: view.nominatedTo, budgets, seed: input.seed, now: view.now,
    ...(nominated !== undefined ? { nominated } : {}),
  } : undefined;
  // Candidates by node id; the outcomes worked out now when none can be kept.
  const clean: number[] = [];
  const violating: number[] = [];
  const fresh = new Map<number, DryRun>();
  const now = view.now;
  // The nodes worth a preemption in kube's order, from the offset-th, round the end, stepping over
  // those whose dry run the pass keeps as hopeless (`FailurePass`): no candidates, counted from the
  // pass's totals if none is found. A dry run is kept so when NodeResourcesFit alone decides it (no
  // pod of lower priority, or no fit with all of them gone): that reads only the node and the
  // pass's key, and NodeResourcesFit runs before InterPodAffinity, so it holds for every pod of the
  // key until the node is touched. With inter-pod affinity a dry run that gets further may fail on
  // other nodes' pods: such a node is not kept.
  const visits = pass.openCount();
  let slot = visits > 0 ? pass.nextOpen(pass.kth(offset)) : -1;
  for (let index = 0; index < visits; index++) {
    if (index > 0) slot = pass.nextOpen(slot + 1);
    const id = slots[slot] as number;
    let status = kept === undefined ? 0 : kept.status(id, now, priority, cpu, memory);
    if (status === 0) {
      let outcome: DryRun;
      if (plainInput === undefined) outcome = dryRun(run, view, budgets, slot, id, cpu, memory);
      else {
        const early = hopelessOn(run, view, slot, id, cpu, memory);
        if (early !== undefined) {
          pass.markHopeless(slot, early.reasons);
          continue;
        }
        outcome = selectVictims(plainInput, state.nodeInfo(id));
      }
      status = "reasons" in outcome ? 1 : 2;
      if (kept !== undefined) kept.set(id, now, priority, cpu, memory, outcome, "reasons" in outcome ? undefined : outcome.scores);
      else fresh.set(id, outcome);
    }
    if (status === 1) {
      if (plainInput === undefined) pass.markHopeless(slot, reasonsOf(id));
      else triedIds.push(id);
      continue;
    }
    const violations = kept !== undefined ? -kept.score(id, 0) : (fresh.get(id) as Candidate).violations;
    const list = violations === 0 ? clean : violating;
    if (list.length < wanted) list.push(id);
    if (clean.length > 0 && clean.length + violating.length >= wanted) break;
  }
  const candidates = [...clean, ...violating];
  // No candidate: every node worth a preemption was tried, the kept ones counted from the totals.
  if (candidates.length === 0) {
    tried = potential;
    return noCandidate(pass.hopelessReasons);
  }
  const best = (kept?.outcome(pickKept(candidates, kept)) ?? pickOne(candidates.map((id) => fresh.get(id) as Candidate), now)) as Candidate;
  const clear = view.nominatedTo(best.node).filter((other) => other.pod.priority < pod.pod.priority).map((other) => podKey(other.pod));
  return { ...failed, preemption: { node: best.node, victims: best.victims.map((victim) => podKey(victim.pod)), clear } };

  /** The reasons of a node whose dry run found no candidate. */
  function reasonsOf(id: number): readonly string[] {
    return ((kept?.outcome(id) ?? fresh.get(id)) as { reasons: readonly string[] }).reasons;
  }
}

/** Whether a pod of lower priority than `pod` on node `id` is terminating by preemption (PodEligibleToPreemptOthers). */
function preemptedBelow(state: StateView, view: ClusterView, pod: PodState, id: number): boolean {
  for (const key of state.nodeById(id).pods) {
    const other = view.podOf(key);
    if (other === undefined || other.pod.priority >= pod.pod.priority) continue;
    if (other.deletionDeadline !== undefined && other.disruption?.reason === "PreemptionByScheduler") return true;
  }
  return false;
}

/** `pickOne` over kept candidates, from their scores in the typed arrays: the first whose scores are greatest in lexicographic order. */
function pickKept(ids: readonly number[], kept: DryRuns): number {
  let best = ids[0] as number;
  for (let index = 1; index < ids.length; index++) {
    const id = ids[index] as number;
    for (let criterion = 0; criterion < 5; criterion++) {
      const score = kept.score(id, criterion);
      const bestScore = kept.score(best, criterion);
      if (score === bestScore) continue;
      if (score > bestScore) best = id;
      break;
    }
  }
  return best;
}

interface Added {
  readonly cpu: number;
  readonly memory: number;
  readonly pods: number;
}

const NONE_ADDED: Added = { cpu: 0, memory: 0, pods: 0 };

/**
 * What the pods nominated to node `id` of `pod`'s priority or higher request, the pod of id `self`
 * left out (−1: none): kube's addGENominatedPods as sums (`nominatedAbove`).
 */
function nominatedSums(state: StateView, pod: PodState, id: number, self: number): Added {
  const on = state.nominatedOn(id);
  if (on === undefined) return NONE_ADDED;
  if (on.lowestPriority >= pod.pod.priority && !on.ids.has(self)) return on;
  let cpu = 0;
  let memory = 0;
  let pods = 0;
  for (const other of on.ids) {
    if (other === self) continue;
    const nominated = state.podById(other) as PodState;
    if (nominated.pod.priority < pod.pod.priority) continue;
    cpu += nominated.request["cpu"] ?? 0;
    memory += nominated.request["memory"] ?? 0;
    pods++;
  }
  return { cpu, memory, pods };
}

/** A dry run that found no victims that help, and why. */
type Hopeless = { readonly reasons: readonly string[] };
type DryRun = Candidate | Hopeless;

/**
 * NodeResourcesFit's mask for `pod` on node `id` at `slot` with the pods nominated there of its
 * priority or higher added, the pod of id `self` left out (−1: none), from the columns and their
 * sums (amounts are whole numbers: a sum does not depend on the order it is taken in).
 */
export function fitWithNominated(state: StateView, pod: PodState, slot: number, id: number, self: number): number {
  const columns = state.nodeColumns();
  const base = slot * NODE_COLUMNS;
  const added = nominatedSums(state, pod, id, self);
  return fitMask(pod.request["cpu"] ?? 0, pod.request["memory"] ?? 0, columns[base] as number, columns[base + 1] as number, (columns[base + 4] as number) + added.cpu, (columns[base + 5] as number) + added.memory, (columns[base + 9] as number) + added.pods, columns[base + 10] as number);
}

function dryRun(input: FailureRun, view: ClusterView, budgets: readonly Budget[], slot: number, id: number, cpu: number, memory: number): DryRun {
  const { state, pod } = input;
  const record = state.nodeById(id);
  const name = record.node.name;
  const priority = pod.pod.priority;
  const hopeless = hopelessOn(input, view, slot, id, cpu, memory);
  if (hopeless !== undefined) return hopeless;
  const now = view.now;
  // The pods of lower priority, most important first (MoreImportantPod: higher priority, then
  // earlier start), by insertion: a node holds few of them.
  const lower: PodState[] = [];
  let freedCpu = 0;
  let freedMemory = 0;
  for (const key of record.pods) {
    const other = view.podOf(key);
    if (other === undefined || other.pod.priority >= priority) continue;
    let at = lower.length;
    while (at > 0 && moreImportant(other, lower[at - 1] as PodState, now)) at--;
    lower.splice(at, 0, other);
    freedCpu += other.request["cpu"] ?? 0;
    freedMemory += other.request["memory"] ?? 0;
  }
  if (lower.length === 0) return NO_VICTIMS_RESULT;
  // The pods nominated there of the preemptor's priority or higher count as placed.
  const added = input.nominated === undefined ? NONE_ADDED : nominatedSums(state, pod, id, input.self);
  const columns = state.nodeColumns();
  const base = slot * NODE_COLUMNS;
  const cpuAllocatable = columns[base] as number;
  const memoryAllocatable = columns[base + 1] as number;
  const cpuUsed = (columns[base + 4] as number) + added.cpu;
  const memoryUsed = (columns[base + 5] as number) + added.memory;
  const pods = (columns[base + 9] as number) + added.pods;
  const podsAllocatable = columns[base + 10] as number;
  let removed = lower.length;
  const all = fitMask(cpu, memory, cpuAllocatable, memoryAllocatable, cpuUsed - freedCpu, memoryUsed - freedMemory, pods - removed, podsAllocatable) & 7;
  if (all !== 0) return { reasons: REASONS[all] as readonly string[] };
  // Put back one at a time, those whose loss breaches a budget first: a pod that fits back is spared.
  const { violating, clean } = budgets.length === 0 ? { violating: NO_PODS, clean: lower } : splitByBudgets(lower, budgets);
  const victims: PodState[] = [];
  let violations = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (const other of pass === 0 ? violating : clean) {
      const otherCpu = other.request["cpu"] ?? 0;
      const otherMemory = other.request["memory"] ?? 0;
      if ((fitMask(cpu, memory, cpuAllocatable, memoryAllocatable, cpuUsed - freedCpu + otherCpu, memoryUsed - freedMemory + otherMemory, pods - removed + 1, podsAllocatable) & 7) === 0) {
        freedCpu -= otherCpu;
        freedMemory -= otherMemory;
        removed--;
      } else {
        victims.push(other);
        if (pass === 0) violations++;
      }
    }
  }
  if (violating.length > 0 && clean.length > 0) victims.sort(moreImportantFirst(now));
  // Scored once: the same outcome may be kept and weighed again by later preemptors.
  const candidate = { node: name, victims, violations };
  return { ...candidate, scores: candidateScores(candidate, now) };
}

const NO_PODS: readonly PodState[] = [];

/**
 * A node's pods by priority, lowest first, with the cpu and memory they request summed from the
 * lowest up (`cpu[i]`: the i lowest pods' cpu); `exact` when every request is a whole number (then
 * a sum does not depend on the order it is taken in). Kept per node until it is touched
 * (`DryRuns.memo`): in a full cluster most nodes stay as they were from one failed cycle to the
 * next. (Not per record: a batch changes the records it made in place.)
 */
interface PrioritySums {
  readonly priorities: readonly number[];
  readonly cpu: readonly number[];
  readonly memory: readonly number[];
  readonly exact: boolean;
}

function prioritySumsOf(state: StateView, id: number, view: ClusterView): PrioritySums {
  return state.dryRunCache().memo(id, () => {
    const held: PodState[] = [];
    const pods = state.nodeById(id).pods;
    for (const key of pods) {
      const other = view.podOf(key);
      if (other !== undefined) held.push(other);
    }
    held.sort((a, b) => a.pod.priority - b.pod.priority);
    const cpu = [0];
    const memory = [0];
    let exact = true;
    for (const other of held) {
      const podCpu = other.request["cpu"] ?? 0;
      const podMemory = other.request["memory"] ?? 0;
      if (!Number.isInteger(podCpu) || !Number.isInteger(podMemory)) exact = false;
      cpu.push((cpu[cpu.length - 1] as number) + podCpu);
      memory.push((memory[memory.length - 1] as number) + podMemory);
    }
    return { priorities: held.map((other) => other.pod.priority), cpu, memory, exact };
  });
}

/**
 * The dry run's outcome when it is decided before any victim is chosen: no pod of lower priority
 * on the node (no victims), or the pod does not fit even with all of them gone (NodeResourcesFit's
 * reasons, with the pods nominated there of its priority or higher counted). Read from the kept
 * sums: O(log pods). Undefined when victims must be chosen.
 */
function hopelessOn(input: FailureRun, view: ClusterView, slot: number, id: number, cpu: number, memory: number): Hopeless | undefined {
  const { state, pod } = input;
  const priority = pod.pod.priority;
  const sums = prioritySumsOf(state, id, view);
  // How many pods have a priority below the preemptor's.
  let low = 0;
  let high = sums.priorities.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sums.priorities[middle] as number) < priority) low = middle + 1;
    else high = middle;
  }
  const below = low;
  if (below === 0) return NO_VICTIMS_RESULT;
  if (!sums.exact) return undefined;
  const added = input.nominated === undefined ? NONE_ADDED : nominatedSums(state, pod, id, input.self);
  const columns = state.nodeColumns();
  const base = slot * NODE_COLUMNS;
  const all = fitMask(cpu, memory, columns[base] as number, columns[base + 1] as number,
    (columns[base + 4] as number) + added.cpu - (sums.cpu[below] as number), (columns[base + 5] as number) + added.memory - (sums.memory[below] as number),
    (columns[base + 9] as number) + added.pods - below, columns[base + 10] as number) & 7;
  return all !== 0 ? { reasons: REASONS[all] as readonly string[] } : undefined;
}
const NO_VICTIMS_RESULT = { reasons: [NO_VICTIMS] } as const;

/** MoreImportantPod (`moreImportantFirst`'s order): strictly before `b`. */
function moreImportant(a: PodState, b: PodState, now: number): boolean {
  if (a.pod.priority !== b.pod.priority) return a.pod.priority > b.pod.priority;
  return (a.startedAt ?? now) < (b.startedAt ?? now);
}
