/**
 * Scheduling decisions on the fast state, through the free-capacity index: the same answers as
 * `decideOn` (scheduler/policies.ts) over every node, which stays the plain path and the twin the
 * property tests compare this with.
 *
 * The index knows cpu, memory and pod slots. A node it skips would be refused by
 * NodeResourcesFit, so whenever that filter runs for the pod, skipping changes no verdict that
 * matters; every node it offers still goes through all of the profile's filters.
 *
 * - first fit: the index's next fitting node from the last one tried, until one passes;
 * - best / worst fit: the index's answer over all nodes; if a filter refuses it, the plain path;
 * - kube profiles: the sampling walk from `nextStartNodeIndex`, round-robin, asking the index for
 *   the next fitting node instead of visiting each; `processed` counts skipped nodes too, so the
 *   next start is kube's. Then kube's scoring over the feasible nodes found.
 * Whenever no node is feasible the plain path runs (kube's message needs every node's verdict),
 * except for the pods of the fused walk below: their verdicts, message and preemption come from
 * the columns (preempt.ts). A nominated pod is first tried on its node, as evaluateNominatedNode.
 * A PreFilter that rejects or narrows the nodes, a profile without NodeResourcesFit, or one with a
 * plugin lacking its PreFilter or PreScore state (kube's errors), takes the plain path too.
 */
import type { PodKey } from "../model/pod.js";
import type { NodeState, PodState } from "../cluster/state.js";
import type { ResourceList } from "../model/resources.js";
import { filterWithNominated, runPreFilter, selectHost, type NominatedRecount } from "../scheduler/framework/schedule.js";
import { numFeasibleNodesToFind } from "../scheduler/framework/sampling.js";
import { cycleStateWith, wantedImages } from "../scheduler/framework/snapshot.js";
import type { CycleState, FilterPlugin, NodeInfo, Profile } from "../scheduler/framework/types.js";
import { POD_TOPOLOGY_SPREAD, spreadFilterState, useDomainCounter } from "../scheduler/plugins/podtopologyspread/index.js";
import { affinityAllows, affinityFilterState, INTER_POD_AFFINITY, shiftAffinity, useAffinityCounter, type AffinityFilterState } from "../scheduler/plugins/interpodaffinity/index.js";
import { HOSTNAME_LABEL } from "../model/manifest.js";
import { nominatedAbove } from "../scheduler/preemption.js";
import { keptSpreadRaw, normalizedSpreadScore, type KeptSoft } from "./spread-counts.js";
import { MAX_NODE_SCORE } from "../scheduler/framework/normalize.js";
import { tieBreakPrefix, tieBreakRankOf } from "../scheduler/framework/tiebreak.js";
import { isKubeDefaultProfile } from "../scheduler/config/ksc.js";
import { NODE_AFFINITY } from "../scheduler/plugins/nodeaffinity/index.js";
import { NODE_NAME } from "../scheduler/plugins/nodename/index.js";
import { NODE_PORTS, hostPortsOf } from "../scheduler/plugins/nodeports/index.js";
import { NODE_UNSCHEDULABLE, toleratesUnschedulable } from "../scheduler/plugins/nodeunschedulable/index.js";
import { TAINT_TOLERATION, toleratedBy } from "../scheduler/plugins/tainttoleration/index.js";
import type { Node, Taint, Toleration } from "../model/node.js";
import { NODE_RESOURCES_FIT } from "../scheduler/plugins/noderesourcesfit/filter.js";
import { decideOn, FILTER_PROFILE, nominatedView, profileOf, type ClusterView, type Decision, type SchedulerChoice } from "../scheduler/policies.js";
import { NODE_COLUMNS, type StateView } from "./state.js";
import { fitWithNominated, fusedUnschedulable } from "./preempt.js";
import type { CapacityIndex } from "../state/capacity-index.js";

/** One scheduling cycle for `key`, as `decide` gives on the reference state. */
export function decideFast(state: StateView, key: PodKey, choice: SchedulerChoice, seed: number): Decision {
  const pod = state.pod(key);
  if (pod === undefined) throw new Error(`decide: no pod ${key}`);
  // Nodes sit in the index's slots, in kube's order; a position in kube's list is a rank among them.
  const slots = state.nodeSlots();
  const index = state.capacityIndex();
  const start = state.nextStartNodeIndex;
  const infoAt = (slot: number): NodeInfo => state.nodeInfo(slots[slot] as number);
  let infos: NodeInfo[] | undefined;
  const allInfos = (): NodeInfo[] => (infos ??= state.nodeOrder().map((id) => state.nodeInfo(id)));
  const spread = pod.pod.topologySpreadConstraints;
  const hardSpread = spread !== undefined && spread.some((constraint) => constraint.whenUnsatisfiable === "DoNotSchedule");
  const cache = state.failureCache();
  // Per scheduler choice: two configurations may filter differently.
  const scheduler = choice.policy === "kube" ? choice.configuration : choice.policy;
  // Whether a failure is kept for pods alike, and under which signature (worked out once).
  let kept: { readonly cacheable: boolean; readonly preempts: boolean; readonly signature: string } | undefined;
  const failureKey = (): { readonly cacheable: boolean; readonly preempts: boolean; readonly signature: string } => {
    if (kept !== undefined) return kept;
    // Hard spreading's and inter-pod affinity's verdicts depend on where other pods are, which the
    // cache does not follow. (Nominations it follows: they clear it. A nominated pod's own is left
    // out at its node: not cached.) A pod that may preempt (a pod of lower priority runs) is
    // cached only when its preemption found no candidate (below).
    const preempts = choice.policy === "kube" && profileOf(choice, pod).preemption !== undefined && pod.pod.preemptionPolicy !== "Never" && state.anyHeldBelow(pod.pod.priority);
    const cacheable = !hardSpread && !(choice.policy === "kube" && profileOf(choice, pod).outOfTree !== undefined) && !(choice.policy === "kube" && profileOf(choice, pod).hardDefaultSpreading === true) &&
      pod.pod.podAffinity === undefined && pod.pod.podAntiAffinity === undefined && !state.affinityTouches(pod.pod) &&
      pod.nominatedNode === undefined;
    // A cycle that placed no pod gives the same answer for a pod alike while the nodes are the same.
    kept = { cacheable, preempts, signature: cacheable ? failureSignature(pod, start) : "" };
    return kept;
  };
  const knownFailure = (): Decision | undefined => {
    if (!cache.anyFailures(scheduler)) return undefined;
    const { cacheable, signature } = failureKey();
    return cacheable ? cache.cachedFailure(scheduler, signature) : undefined;
  };
  const plain = (fast?: () => Decision | undefined): Decision => {
    const cached = knownFailure();
    if (cached !== undefined) return cached;
    const decision = fast?.() ?? decideOn(pod, allInfos(), start, choice, seed, state.spreadOwners(), state.clusterView());
    const { cacheable, preempts, signature } = failureKey();
    // A preemption that found no candidate (no victims, nothing nominated) depends only on the
    // nodes, the nominations and what the signature holds (the pod's request, priority and
    // policy; the candidates' random offset matters only when there are candidates): a pod alike
    // gets the same message. One that made room changed the cluster: not kept.
    const keep = !preempts || (decision.kind === "unschedulable" && decision.preemption === undefined && decision.clearNomination === undefined);
    if (decision.kind === "unschedulable" && cacheable && keep) cache.rememberFailure(scheduler, signature, decision);
    return decision;
  };
  const count = index.occupied;
  if (count === 0) return plain();
  // A pod alike failed against these nodes and nominations: the same failure, before any walk.
  const known = knownFailure();
  if (known !== undefined) return known;
  // Pods nominated to a node (of this pod's priority or higher) count there while it is filtered.
  // (Only kube's profiles nominate; the classic policies have no nominator.)
  const nominated = choice.policy === "kube" && state.anyNominated() ? nominatedView(pod, state.clusterView()) : undefined;

  const profile = choice.policy === "kube" ? profileOf(choice, pod) : FILTER_PROFILE;
  if (profile.missingState.length > 0) return plain(); // kube's errors for a plugin without its state
  const cycle = cycleStateWith(pod.pod, pod.request, count, state.imageNodeCounts(), allInfos, () => state.defaultSpreadSelector(pod.pod), () => state.namespaceLabels());
  useDomainCounter(cycle, state.spreadCounter());
  useAffinityCounter(cycle, state.affinityCounter());
  const preFiltered = runPreFilter(profile, cycle);
  if ("rejectedBy" in preFiltered || preFiltered.nodeNames !== undefined) return plain();
  const filters = preFiltered.filters;
  if (!filters.some((plugin) => plugin.name === NODE_RESOURCES_FIT)) return plain();
  // With pods nominated somewhere, PodTopologySpread's and InterPodAffinity's filters count them on
  // their nodes (kube's AddPod extensions). PodTopologySpread's recount: the plain path. So too
  // InterPodAffinity's, but in kube's default profile's fused walk, which shifts its state
  // (`shiftAffinity`) on the nodes with pods nominated there.
  if (nominated !== undefined && (spreadFilterState(cycle) !== undefined || (affinityFilterState(cycle) !== undefined && !isKubeDefaultProfile(profile)))) return plain();
  const recount = nominated !== undefined && affinityFilterState(cycle) !== undefined ? nominatedShift(state, pod, cycle) : undefined;
  if (pod.nominatedNode !== undefined) {
    // evaluateNominatedNode: a nominated pod is tried on its node first (after PreFilter) and bound
    // there without scoring if it passes.
    const node = choice.policy === "kube" ? state.nodeInfoNamed(pod.nominatedNode) : undefined;
    if (node !== undefined && filterWithNominated(filters, cycle, node, nominated, recount).plugin === undefined) return { kind: "bind", node: node.node.name, nextStartNodeIndex: start };
    // Then a cycle over all nodes as for any pod: kube's default profile's fused walk (the pod is
    // left out of the pods nominated to its node, as addGENominatedPods does).
    if (!isKubeDefaultProfile(profile)) return plain();
  }

  const { cpu, memory } = indexRequest(pod);
  const feasibleAt = (slot: number): NodeInfo | undefined => {
    const info = infoAt(slot);
    return filterWithNominated(filters, cycle, info, nominated, recount).plugin === undefined ? info : undefined;
  };
  const bind = (info: NodeInfo, nextStartNodeIndex: number): Decision => ({ kind: "bind", node: info.node.name, nextStartNodeIndex });

  if (choice.policy === "first-fit") {
    for (let slot = index.firstFit(cpu, memory, 0); slot >= 0; slot = index.firstFit(cpu, memory, slot + 1)) {
      const info = feasibleAt(slot);
      if (info !== undefined) return bind(info, start);
    }
    return plain();
  }
  if (choice.policy === "best-fit" || choice.policy === "worst-fit") {
    const slot = choice.policy === "best-fit" ? index.bestFit(cpu, memory) : index.worstFit(cpu, memory);
    const info = slot >= 0 ? feasibleAt(slot) : undefined;
    return info !== undefined ? bind(info, start) : plain();
  }

  // kube: sample round-robin from the start (the slot at that position), skipping what cannot fit.
  const first = index.select(start % count);
  if (isKubeDefaultProfile(profile)) {
    const fused = fusedKubeDefault(state, pod, cycle, slots, first, start, seed, profile, filters, nominated);
    // (Only this walk handles nominated pods with inter-pod affinity; the plain path otherwise.)
    if (fused === undefined && recount !== undefined) return plain();
    // No node passed: the failure (and preemption) from the columns, when only the node's own
    // filters and NodeResourcesFit can refuse the pod.
    if (fused === NONE_FEASIBLE) return plain(() => fusedUnschedulable({ state, pod, cycle, filters, profile, start, seed, nominated, ...(recount !== undefined ? { recount } : {}) }));
    if (fused === NONE_FEASIBLE_PLAIN) return plain();
    if (fused !== undefined) return fused;
  }
  if (recount !== undefined) return plain();
  const wanted = profile.hasScorePlugins ? numFeasibleNodesToFind(count, profile.percentageOfNodesToScore) : 1;
  const feasible: NodeInfo[] = [];
  const stopped = sampleRoundRobin(index, cpu, memory, first, (slot) => {
    const info = feasibleAt(slot);
    if (info !== undefined) feasible.push(info);
    return feasible.length === wanted;
  });
  const nextStartNodeIndex = (start + processed(index, stopped, first)) % count;
  if (feasible.length === 0) return plain();
  if (feasible.length === 1) return bind(feasible[0] as NodeInfo, nextStartNodeIndex);
  const host = selectHost(profile, cycle, feasible, seed, false);
  // A user's plugin scored out of range: the cycle's error, as the plain path gives it.
  return host.error === undefined ? { kind: "bind", node: host.selected, nextStartNodeIndex } : plain();
}

/** The filters kube's default profile runs for a pod without host ports. */
const PLAIN_FILTERS = new Set([NODE_UNSCHEDULABLE, NODE_NAME, TAINT_TOLERATION, NODE_AFFINITY, NODE_RESOURCES_FIT]);

/** The fused walk found no feasible node (`_PLAIN`: with PodTopologySpread's or InterPodAffinity's filter, or an extended resource, in play: the plain path says why). */
const NONE_FEASIBLE = "none";
const NONE_FEASIBLE_PLAIN = "none, plain";

/**
 * Kube's default profile for the most common case, without the plugin framework's per-node
 * objects: a pod asking for cpu and memory (other resources, such as GPUs, only while no pod is
 * nominated anywhere), with no host ports, node selector or node affinity, whose images no node
 * lists, in a cluster where no node has a PreferNoSchedule taint. Then every node the index offers
 * passes NodeName and NodeAffinity, and NodeResourcesFit unless an extended resource is short
 * there (checked from the node's record); only
 * NodeUnschedulable, and TaintToleration on a node with a NoSchedule or NoExecute taint (its
 * column says which), can refuse it — and PodTopologySpread, for the pod's own DoNotSchedule
 * constraints, from the kept counts, and InterPodAffinity, for required terms (the pod's own and
 * existing pods' anti-affinity), from its PreFilter state. TaintToleration, NodeAffinity and ImageLocality score every
 * node alike, so the ranking is NodeResourcesFit's LeastAllocated plus BalancedAllocation (v1.35),
 * each weight 1, computed here in kube's integer arithmetic, plus PodTopologySpread's score (×2)
 * for its ScheduleAnyway constraints or kube's System defaults, computed over the feasible nodes
 * once the walk ends (`bestWithSpread`); ties by the same hash. Spreading takes this path only
 * when every node counts for each constraint (`keptSpread`); inter-pod affinity only when its
 * PreScore would skip (no preferred term of the pod's, no scored term of another pod reaches it).
 * Undefined when the case does not apply; NONE_FEASIBLE when no node passed (the failure then
 * comes from the columns, preempt.ts), NONE_FEASIBLE_PLAIN when spreading, inter-pod affinity
 * or another resource filtered too (the plain path). The property tests compare it with the plain path on clusters of
 * 100+ nodes.
 */
function fusedKubeDefault(state: StateView, pod: PodState, cycle: CycleState, slots: readonly (number | undefined)[], first: number, start: number, seed: number, profile: Profile, filters: readonly FilterPlugin[], nominated: ((node: NodeInfo) => NodeInfo | undefined) | undefined): Decision | typeof NONE_FEASIBLE | typeof NONE_FEASIBLE_PLAIN | undefined {
  // Other resources the pod asks for (extended resources such as GPUs, ephemeral-storage,
  // hugepages): NodeResourcesFit checks each on every node the index offers (kube scores only cpu
  // and memory by default). Nominated pods' share of them is not in the columns: the plugin path.
  let others: string[] | undefined;
  for (const name in cycle.request) if (name !== "cpu" && name !== "memory" && (cycle.request[name] as number) > 0) (others ??= []).push(name);
  if (others !== undefined && nominated !== undefined) return undefined;
  if (cycle.hostPorts.length > 0) return undefined;
  const spec = pod.pod;
  for (const _label in spec.nodeSelector) return undefined;
  if (spec.nodeAffinity !== undefined && (spec.nodeAffinity.required !== undefined || spec.nodeAffinity.preferred.length > 0)) return undefined;
  for (const image of wantedImages(spec)) if (cycle.imageNodeCounts.get(image) !== undefined) return undefined;
  if (state.anyNodePreferTainted()) return undefined;
  // InterPodAffinity: its filter is read here from its PreFilter state (the node's labels against
  // the kept counts); a pod its score could touch — preferred terms of its own, or another pod's
  // term PreScore counts — takes the plugin path.
  if ((spec.podAffinity?.preferred.length ?? 0) > 0 || (spec.podAntiAffinity?.preferred.length ?? 0) > 0 || state.affinityTouches(spec, true)) return undefined;
  const affinity = affinityFilterState(cycle);
  const refused = affinity === undefined ? undefined : markRefusedByHostname(state, affinity);
  // NodeResourcesFit with the pods nominated to a node added (the only filter here they change).
  const fit = nominated === undefined ? undefined : filters.find((plugin) => plugin.name === NODE_RESOURCES_FIT);
  // The pod's id when it is nominated itself (it is left out of the pods nominated to its node).
  const self = pod.nominatedNode !== undefined ? (state.podIdOf(cycle.podKey) as number) : -1;
  // The filters left after PreFilter (PodTopologySpread's skips a pod without hard constraints).
  for (const plugin of filters) if (!PLAIN_FILTERS.has(plugin.name) && plugin.name !== NODE_PORTS && plugin.name !== POD_TOPOLOGY_SPREAD && plugin.name !== INTER_POD_AFFINITY) return undefined;
  // Spread constraints — the pod's own, or kube's System defaults for a pod of a Service or
  // controller — when every node counts for each of them (then a node's verdict and score need
  // only its labels and the kept counts); otherwise the plugin path.
  const spread = state.keptSpread(spec);
  if (spread === undefined) return undefined;
  const { hard, soft } = spread;

  const index = state.capacityIndex();
  const cpu = pod.request["cpu"] ?? 0;
  const memory = pod.request["memory"] ?? 0;
  const nonZeroCpu = pod.nonZero.cpu;
  const nonZeroMemory = pod.nonZero.memory;
  const balanced = cpu !== 0 || memory !== 0; // BalancedAllocation's PreScore skips a pod requesting neither
  const toleratesCordon = toleratesUnschedulable(spec.tolerations);
  const count = index.occupied;
  const wanted = numFeasibleNodesToFind(count, profile.percentageOfNodesToScore);
  const rankPrefix = tieBreakPrefix(seed, cycle.podKey);
  let found = 0;
  let best = -1;
  let bestTotal = -1;
  let bestRank = 0;
  let scored = 0;
  const columns = state.nodeColumns();
  const view = state.clusterView();
  const stopped = sampleRoundRobin(index, cpu, memory, first, (slot) => {
    const base = slot * NODE_COLUMNS;
    if (columns[base + 6] === 1 && !toleratesCordon) return false;
    // TaintToleration's filter, on the nodes with a taint it looks at (node(s) had untolerated taint(s)).
    if (columns[base + 8] === 1 && !toleratesTaints(state.nodeById(slots[slot] as number).node.taints, spec.tolerations)) return false;
    // With pods nominated there (of this pod's priority or higher), kube filters the node with them
    // added first: NodeResourcesFit, and InterPodAffinity with its state shifted (AddPod).
    if (fit !== undefined && columns[base + 13] !== 0) {
      // Without inter-pod affinity only NodeResourcesFit reads them: from their sums, the pod itself left out.
      if (affinity === undefined && fitWithNominated(state, pod, slot, slots[slot] as number, self) !== 0) return false;
      const withNominated = affinity === undefined ? undefined : (nominated as (node: NodeInfo) => NodeInfo | undefined)(state.nodeInfo(slots[slot] as number));
      if (withNominated !== undefined) {
        if (fit.filter(cycle, withNominated).code !== "Success") return false;
        if (affinity !== undefined) {
          const shifted = shiftNominated(cycle, pod, view, withNominated);
          if (shifted !== undefined && !affinityAllows(shifted, spec, withNominated.node.labels)) return false;
        }
      }
    }
    // InterPodAffinity's filter, from its PreFilter state (a pod it skipped has none): the nodes
    // marked before the walk, or each node's labels against the counts.
    if (affinity !== undefined && (refused !== undefined ? refusedStamps[slot] === refused : !affinityAllows(affinity, spec, state.nodeById(slots[slot] as number).node.labels))) return false;
    // PodTopologySpread's filter: the node's domain count + self − minimum ≤ maxSkew, constraint by constraint.
    if (hard.length > 0) {
      const labels = state.nodeById(slots[slot] as number).node.labels;
      for (const constraint of hard) {
        if ((constraint.counts.get(labels[constraint.key] as string) ?? 0) + constraint.self - constraint.minimum > constraint.maxSkew) return false;
      }
    }
    if (others !== undefined && !fitsOthers(state.nodeById(slots[slot] as number), cycle.request, others)) return false;
    const cpuAllocatable = columns[base] as number;
    const memoryAllocatable = columns[base + 1] as number;
    // NodeResourcesFit, LeastAllocated over cpu and memory (weight 1 each), non-zero requests.
    let fitSum = 0;
    let fitWeights = 0;
    if (cpuAllocatable !== 0) {
      const requested = (columns[base + 2] as number) + nonZeroCpu;
      fitSum += requested > cpuAllocatable ? 0 : Math.trunc(((cpuAllocatable - requested) * MAX_NODE_SCORE) / cpuAllocatable);
      fitWeights += 1;
    }
    if (memoryAllocatable !== 0) {
      const requested = (columns[base + 3] as number) + nonZeroMemory;
      fitSum += requested > memoryAllocatable ? 0 : Math.trunc(((memoryAllocatable - requested) * MAX_NODE_SCORE) / memoryAllocatable);
      fitWeights += 1;
    }
    let total = fitWeights === 0 ? 0 : Math.trunc(fitSum / fitWeights);
    if (balanced) {
      // BalancedAllocation v1.35 over cpu and memory, plain requests.
      let fractions = 0;
      let f0 = 0;
      let f1 = 0;
      if (cpuAllocatable !== 0) {
        f0 = Math.min(((columns[base + 4] as number) + cpu) / cpuAllocatable, 1);
        fractions++;
      }
      if (memoryAllocatable !== 0) {
        const fraction = Math.min(((columns[base + 5] as number) + memory) / memoryAllocatable, 1);
        if (fractions === 0) f0 = fraction;
        else f1 = fraction;
        fractions++;
      }
      const std = fractions === 2 ? Math.abs((f0 - f1) / 2) : 0;
      total += Math.trunc((1 - std) * MAX_NODE_SCORE);
    }
    if (soft.length > 0) {
      // PodTopologySpread's score needs every feasible node's raw score first (NormalizeScore).
      if (scored === scoredSlots.length) growScored();
      scoredSlots[scored] = slot;
      scoredTotals[scored] = total;
      scored++;
    } else if (total >= bestTotal) {
      const rank = tieBreakRankOf(rankPrefix, columns[base + 7] as number);
      if (total > bestTotal || rank < bestRank) {
        best = slot;
        bestTotal = total;
        bestRank = rank;
      }
    }
    found++;
    return found === wanted;
  });
  // InterPodAffinity's verdicts on the nodes that fit are worked out again by the failure (preempt.ts).
  if (found === 0) return hard.length === 0 && others === undefined ? NONE_FEASIBLE : NONE_FEASIBLE_PLAIN;
  if (soft.length > 0) best = bestWithSpread(state, soft, scored, profile, rankPrefix, columns);
  return { kind: "bind", node: state.nodeById(slots[best] as number).node.name, nextStartNodeIndex: (start + processed(index, stopped, first)) % count };
}

/**
 * The feasible slots' totals with PodTopologySpread's normalized score (`keptSpreadRaw`,
 * `normalizedSpreadScore`: the arithmetic `keptSpreadScores` gives the tests) times its weight
 * added; the best total wins, ties by the same hash.
 */
function bestWithSpread(state: StateView, soft: readonly KeptSoft[], count: number, profile: Profile, rankPrefix: number, columns: Float64Array): number {
  const weight = profile.score.find(({ plugin }) => plugin.name === POD_TOPOLOGY_SPREAD)?.weight ?? 0;
  const baseTotals = scoredTotals;
  if (rawScratch.length < count) rawScratch = new Float64Array(Math.max(count, 2 * rawScratch.length));
  const raw = rawScratch;
  const nodes = state.nodesBySlot();
  const { ids, names } = state.zoneIdsBySlot();
  const { minimum, maximum } = keptSpreadRaw(
    (index) => (nodes[scoredSlots[index] as number] as Node).name,
    (index, key) => (nodes[scoredSlots[index] as number] as Node).labels[key],
    count, soft, raw,
    // The zone (kube's default key) is read from its own column of small integers.
    { idAt: (index) => ids[scoredSlots[index] as number] as number, names },
  );
  let best = -1;
  let bestTotal = -1;
  let bestRank = 0;
  for (let index = 0; index < count; index++) {
    const slot = scoredSlots[index] as number;
    const total = (baseTotals[index] as number) + normalizedSpreadScore(raw[index] as number, minimum, maximum) * weight;
    if (total < bestTotal) continue;
    const rank = tieBreakRankOf(rankPrefix, columns[slot * NODE_COLUMNS + 7] as number);
    if (total > bestTotal || rank < bestRank) {
      best = slot;
      bestTotal = total;
      bestRank = rank;
    }
  }
  return best;
}

/** bestWithSpread's raw scores, and the fused walk's feasible slots and their other scores, reused from cycle to cycle. */
let rawScratch = new Float64Array(1024);
let scoredSlots = new Int32Array(1024);
let scoredTotals = new Float64Array(1024);

function growScored(): void {
  const slots = new Int32Array(2 * scoredSlots.length);
  slots.set(scoredSlots);
  scoredSlots = slots;
  const totals = new Float64Array(2 * scoredTotals.length);
  totals.set(scoredTotals);
  scoredTotals = totals;
}

/**
 * kube's sampling walk, with the index skipping nodes that cannot fit: the slots that may fit,
 * round-robin from slot `first`, each passed to `visit` until it returns true. The slot it
 * stopped at, or −1 when it went all the way round.
 */
function sampleRoundRobin(index: CapacityIndex, cpu: number, memory: number, first: number, visit: (slot: number) => boolean): number {
  for (let from = first, wrapped = false; ;) {
    let slot = index.firstFit(cpu, memory, from);
    if (wrapped && slot >= first) slot = -1;
    if (slot < 0) {
      if (wrapped || first === 0) return -1;
      wrapped = true;
      from = 0;
      continue;
    }
    if (visit(slot)) return slot;
    from = slot + 1;
  }
}

/** Nodes kube counts as processed: from slot `first` up to where the walk stopped, or all of them when it went round. */
function processed(index: CapacityIndex, stopped: number, first: number): number {
  const count = index.occupied;
  return stopped < 0 ? count : ((index.rank(stopped) - index.rank(first) + count) % count) + 1;
}

/** What the index is asked for: the pod's cpu and memory (0 when it requests none). */
function indexRequest(pod: PodState): { cpu: number; memory: number } {
  return { cpu: pod.request["cpu"] ?? 0, memory: pod.request["memory"] ?? 0 };
}

/**
 * What a scheduling cycle's filters read of a pod — its scheduler name, what it requests, its node
 * selector and required node affinity, its tolerations, its host ports, its node name — and the
 * sampling start: two pods with one signature get the same verdict on every node of the same
 * cluster, so the same FailedScheduling outcome. (Scoring reads more — the pod's name breaks
 * ties — but a cycle that placed no pod scored nothing.)
 */
function failureSignature(pod: PodState, start: number): string {
  // The pod's part, worked out once per pod (its spec and request do not change; the retries of
  // a waiting pod ask again and again).
  let own = podSignatures.get(pod.pod);
  if (own === undefined || own.request !== pod.request) podSignatures.set(pod.pod, (own = { request: pod.request, text: podSignature(pod) }));
  return `${start}\u0000${own.text}`;
}

/** failureSignature's pod part, per pod spec, with the request it was worked out for. */
const podSignatures = new WeakMap<PodState["pod"], { readonly request: PodState["request"]; readonly text: string }>();

function podSignature(pod: PodState): string {
  const spec = pod.pod;
  return JSON.stringify([
    spec.schedulerName,
    // Preemption's message depends on the pod's priority and policy.
    spec.priority,
    spec.preemptionPolicy ?? null,
    Object.entries(pod.request).sort(),
    Object.entries(spec.nodeSelector).sort(),
    spec.nodeAffinity?.required ?? null,
    spec.tolerations,
    hostPortsOf(spec),
    spec.nodeName ?? null,
  ]);
}

/**
 * kube's AddPod for InterPodAffinity when the pods nominated to a node are added to it
 * (addGENominatedPods): its state shifted for that node, which Filter then reads.
 */
function nominatedShift(state: StateView, pod: PodState, cycle: CycleState): NominatedRecount {
  const view = state.clusterView();
  return (withNominated) => {
    shiftNominated(cycle, pod, view, withNominated);
    return undefined;
  };
}

/** InterPodAffinity's state for `withNominated`: the cycle's, shifted by the pods nominated there that count for `pod`. */
function shiftNominated(cycle: CycleState, pod: PodState, view: ClusterView, withNominated: NodeInfo): AffinityFilterState | undefined {
  return shiftAffinity(cycle, withNominated, [], nominatedAbove(pod, view.nominatedTo, withNominated.node.name).map((other) => other.pod));
}

/** At most this many topology pairs are marked node by node before the walk (the walk visits hundreds of nodes). */
const MARKED_PAIRS = 128;

/** `refusedStamps[slot] === stamp`: InterPodAffinity refuses the node at `slot` in the cycle given `stamp`. */
let refusedStamps = new Int32Array(1024);
let refusedStamp = 0;

/**
 * InterPodAffinity's filter marked on the nodes it refuses, before the walk, when it has only
 * anti-affinity by hostname to check (a job's pods kept apart, a StatefulSet's replicas) over a
 * few pairs: the pod's own required anti-affinity terms, all by hostname, against the hostnames
 * where pods they select run, and other pods' anti-affinity against it, counted only by hostname.
 * Then a node is refused exactly when its hostname label is one of those (satisfyPodAntiAffinity,
 * satisfyExistingPodsAntiAffinity), found through the hostname index. The stamp the refused slots
 * carry, or undefined when the case does not apply (required affinity, other keys, many pairs):
 * then each node's labels are read against the counts.
 */
function markRefusedByHostname(state: StateView, affinity: AffinityFilterState): number | undefined {
  if (affinity.requiredAffinity.length > 0) return undefined;
  for (const term of affinity.requiredAntiAffinity) if (term.topologyKey !== HOSTNAME_LABEL) return undefined;
  const own = affinity.antiAffinityCounts.empty ? [] : affinity.antiAffinityCounts.positivePairs?.(MARKED_PAIRS);
  const others = affinity.existingAntiAffinityCounts.empty ? [] : affinity.existingAntiAffinityCounts.positivePairs?.(MARKED_PAIRS);
  if (own === undefined || others === undefined || own.length + others.length > MARKED_PAIRS) return undefined;
  for (const [key] of [...own, ...others]) if (key !== HOSTNAME_LABEL) return undefined;
  const slots = state.nodeSlots();
  if (refusedStamps.length < slots.length) refusedStamps = new Int32Array(Math.max(slots.length, 2 * refusedStamps.length));
  if (refusedStamp === 0x7fffffff) {
    refusedStamps.fill(0);
    refusedStamp = 0;
  }
  const stamp = ++refusedStamp;
  for (const pairs of [own, others]) {
    for (const [, value] of pairs) {
      for (const id of state.nodesWithHostname(value) ?? []) {
        const slot = state.slotOf(id);
        if (slot !== undefined) refusedStamps[slot] = stamp;
      }
    }
  }
  return stamp;
}

/** NodeResourcesFit for the resources beyond cpu, memory and pods (`others`, each requested): each within what the node has left. */
function fitsOthers(node: NodeState, request: ResourceList, others: readonly string[]): boolean {
  for (const name of others) if ((request[name] as number) > (node.node.allocatable[name] ?? 0) - (node.requested[name] ?? 0)) return false;
  return true;
}

/** TaintToleration's filter: every NoSchedule and NoExecute taint tolerated. */
function toleratesTaints(taints: readonly Taint[], tolerations: readonly Toleration[]): boolean {
  for (const taint of taints) if (taint.effect !== "PreferNoSchedule" && !toleratedBy(taint, tolerations)) return false;
  return true;
}
