/**
 * InterPodAffinity (kube-scheduler v1.35, pkg/scheduler/framework/plugins/interpodaffinity):
 * required and preferred pod affinity and anti-affinity between the incoming pod and the pods
 * already on nodes (bound, terminating ones included), by topology domain (the value of a node
 * label). Terms: `terms.ts`.
 *
 * - PreFilter (filtering.go): three counts per topology pair (key, value), each counted at the
 *   existing pod's node and only if that node has the key:
 *   existing pods' required anti-affinity terms that match the incoming pod (one per term);
 *   pods matching **all** the incoming pod's required affinity terms (one per term);
 *   pods matching each of its required anti-affinity terms. Skip when the first is empty and the
 *   pod has no required terms.
 * - Filter, in this order: a node lacking an affinity term's key, or whose pair has no matching
 *   pod for some term, is `UnschedulableAndUnresolvable` ("node(s) didn't match pod affinity
 *   rules") — unless no pod anywhere matches all the terms and the pod matches them itself (the
 *   first pod of a group); a node whose pair holds a pod matching an anti-affinity term is
 *   `Unschedulable` ("node(s) didn't match pod anti-affinity rules"; a node lacking the key
 *   passes); a node with a label pair some existing pod's anti-affinity covers is `Unschedulable`
 *   ("node(s) didn't satisfy existing pods anti-affinity rules").
 * - PreScore (scoring.go): per topology pair, Σ of: the incoming pod's preferred affinity
 *   (+weight) and anti-affinity (−weight) terms per existing pod they match; existing pods'
 *   required affinity terms that match the incoming pod (+hardPodAffinityWeight, if > 0);
 *   existing pods' preferred affinity (+weight) and anti-affinity (−weight) terms that match it.
 *   Skip when nothing was counted, or when `ignorePreferredTermsOfExistingPods` is set and the
 *   pod has no preferred terms.
 * - Score: Σ over the counted keys of the node's pair (may be negative). NormalizeScore:
 *   `trunc(100 · ((s − min) / (max − min)))`, 0 for all when max = min.
 */
import type { Pod } from "../../../model/pod.js";
import { MAX_NODE_SCORE } from "../../framework/normalize.js";
import { SKIP, SUCCESS, unresolvable, unschedulable, type CycleState, type NodeInfo, type Plugin, type PreFilterResult, type Status } from "../../framework/types.js";
import { flattened, hasTerms, matchesAll, termMatches, termsOf, type AffinityTerm, type WeightedAffinityTerm } from "./terms.js";

export const INTER_POD_AFFINITY = "InterPodAffinity";
export const AFFINITY_REASON = "node(s) didn't match pod affinity rules";
export const ANTI_AFFINITY_REASON = "node(s) didn't match pod anti-affinity rules";
export const EXISTING_ANTI_AFFINITY_REASON = "node(s) didn't satisfy existing pods anti-affinity rules";

type Labels = Readonly<Record<string, string>>;

/** InterPodAffinityArgs after defaulting (v1 SetDefaults_InterPodAffinityArgs: weight 1). */
export interface InterPodAffinityArgs {
  readonly hardPodAffinityWeight: number;
  readonly ignorePreferredTermsOfExistingPods: boolean;
}

export const DEFAULT_AFFINITY_ARGS: InterPodAffinityArgs = { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false };

/** kube's topologyToMatchedTermCount, read-only: a count per (key, value); `empty` when it has no entry. */
export interface PairCounts {
  get(key: string, value: string): number;
  readonly empty: boolean;
  /** The sum of every count (counts are never negative: 0 exactly when empty). */
  total(): number;
  /**
   * The topology pairs with a positive count, or undefined when there are more than `limit` (the
   * fast engine's counts offer it, so that its fused walk can find the few nodes they refuse).
   */
  positivePairs?(limit: number): readonly (readonly [key: string, value: string])[] | undefined;
}

/** PreScore's topologyScore, read-only: a node's score from its labels; `empty` when nothing was counted. */
export interface TopologyScore {
  score(labels: Labels): number;
  readonly empty: boolean;
}

/** What PreScore counts, given the incoming pod's flattened preferred terms. */
export interface ScoreQuery {
  readonly pod: Pod;
  readonly namespaceLabels: Labels | undefined;
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  readonly hardPodAffinityWeight: number;
}

/**
 * Where a cycle's counts come from: by default a pass over every pod of every node (`naiveCounter`);
 * an engine that keeps them incrementally passes its own, which must give the same answers.
 */
export interface AffinityCounter {
  /** Existing pods' required anti-affinity terms matching the incoming pod. */
  existingAntiAffinity(pod: Pod, namespaceLabels: Labels | undefined): PairCounts;
  /** Pods matching all of `terms`, counted once per term at its key. */
  affinity(terms: readonly AffinityTerm[]): PairCounts;
  /** Pods matching each of `terms`, at its key. */
  antiAffinity(terms: readonly AffinityTerm[]): PairCounts;
  topologyScore(query: ScoreQuery): TopologyScore;
}

const pair = (key: string, value: string): string => `${key}\u0000${value}`;

/** A PairCounts kept in a map, as kube's is. */
export class PairMap implements PairCounts {
  readonly map = new Map<string, number>();
  add(labels: Labels, key: string, delta: number): void {
    const value = labels[key];
    if (value === undefined) return;
    const name = pair(key, value);
    const count = (this.map.get(name) ?? 0) + delta;
    if (count === 0) this.map.delete(name);
    else this.map.set(name, count);
  }
  get(key: string, value: string): number {
    return this.map.get(pair(key, value)) ?? 0;
  }
  get empty(): boolean {
    return this.map.size === 0;
  }
  total(): number {
    let sum = 0;
    for (const count of this.map.values()) sum += count;
    return sum;
  }
}

/**
 * A PairCounts with the changes of pods added to or removed from one node (kube's AddPod and
 * RemovePod, `updateWithPod`, on a copy of the PreFilter state): the base's counts plus the deltas
 * at that node's topology pairs. A pair brought to 0 no longer counts, as kube deletes it.
 */
class ShiftedPairs implements PairCounts {
  private readonly deltas = new Map<string, number>();
  private emptyNow: boolean | undefined;
  constructor(private readonly base: PairCounts) {}
  shift(labels: Labels, key: string, delta: number): void {
    const value = labels[key];
    if (value === undefined) return;
    const name = pair(key, value);
    this.deltas.set(name, (this.deltas.get(name) ?? 0) + delta);
  }
  get(key: string, value: string): number {
    return this.base.get(key, value) + (this.deltas.get(pair(key, value)) ?? 0);
  }
  get empty(): boolean {
    this.emptyNow ??= this.total() === 0;
    return this.emptyNow;
  }
  total(): number {
    let sum = this.base.total();
    for (const delta of this.deltas.values()) sum += delta;
    return sum;
  }
}

/** A TopologyScore kept as kube keeps it: key → value → score. */
export class ScoreMap implements TopologyScore {
  readonly byKey = new Map<string, Map<string, number>>();
  add(labels: Labels, key: string, weight: number): void {
    const value = labels[key];
    if (value === undefined) return;
    let values = this.byKey.get(key);
    if (values === undefined) this.byKey.set(key, (values = new Map()));
    values.set(value, (values.get(value) ?? 0) + weight);
  }
  score(labels: Labels): number {
    let score = 0;
    for (const [key, values] of this.byKey) {
      const value = labels[key];
      if (value !== undefined) score += values.get(value) ?? 0;
    }
    return score;
  }
  get empty(): boolean {
    return this.byKey.size === 0;
  }
}

/** The counts from every pod of every node: kube's way, and the twin the fast engine's counts are tested against. */
export function naiveCounter(nodes: () => readonly NodeInfo[]): AffinityCounter {
  return {
    existingAntiAffinity(pod, namespaceLabels) {
      const counts = new PairMap();
      for (const info of nodes()) {
        for (const { pod: existing } of info.pods ?? []) {
          for (const term of termsOf(existing).requiredAntiAffinity) if (termMatches(term, pod, namespaceLabels)) counts.add(info.node.labels, term.topologyKey, 1);
        }
      }
      return counts;
    },
    affinity(terms) {
      const counts = new PairMap();
      for (const info of nodes()) {
        for (const { pod: existing } of info.pods ?? []) {
          if (matchesAll(terms, existing)) for (const term of terms) counts.add(info.node.labels, term.topologyKey, 1);
        }
      }
      return counts;
    },
    antiAffinity(terms) {
      const counts = new PairMap();
      for (const info of nodes()) {
        for (const { pod: existing } of info.pods ?? []) {
          for (const term of terms) if (termMatches(term, existing, undefined)) counts.add(info.node.labels, term.topologyKey, 1);
        }
      }
      return counts;
    },
    topologyScore(query) {
      const scores = new ScoreMap();
      const own = query.preferredAffinity.length > 0 || query.preferredAntiAffinity.length > 0;
      for (const info of nodes()) {
        const labels = info.node.labels;
        // processExistingPod: a node without labels adds nothing.
        let anyLabel = false;
        for (const _key in labels) {
          anyLabel = true;
          break;
        }
        if (!anyLabel) continue;
        for (const { pod: existing } of info.pods ?? []) {
          if (!own && !hasTerms(existing)) continue;
          for (const { term, weight } of query.preferredAffinity) if (termMatches(term, existing, undefined)) scores.add(labels, term.topologyKey, weight);
          for (const { term, weight } of query.preferredAntiAffinity) if (termMatches(term, existing, undefined)) scores.add(labels, term.topologyKey, -weight);
          const terms = termsOf(existing);
          if (query.hardPodAffinityWeight > 0) {
            for (const term of terms.requiredAffinity) if (termMatches(term, query.pod, query.namespaceLabels)) scores.add(labels, term.topologyKey, query.hardPodAffinityWeight);
          }
          for (const { term, weight } of terms.preferredAffinity) if (termMatches(term, query.pod, query.namespaceLabels)) scores.add(labels, term.topologyKey, weight);
          for (const { term, weight } of terms.preferredAntiAffinity) if (termMatches(term, query.pod, query.namespaceLabels)) scores.add(labels, term.topologyKey, -weight);
        }
      }
      return scores;
    },
  };
}

/** PreFilter's state (kube's preFilterState), for Filter, explanations and tests. */
export interface AffinityFilterState {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly existingAntiAffinityCounts: PairCounts;
  readonly affinityCounts: PairCounts;
  readonly antiAffinityCounts: PairCounts;
}

const filterStates = new WeakMap<CycleState, AffinityFilterState>();
const scoreStates = new WeakMap<CycleState, TopologyScore>();
const counters = new WeakMap<CycleState, AffinityCounter>();

/** Hands a cycle the engine's own counts (the fast engine's incremental ones). */
export function useAffinityCounter(cycle: CycleState, counter: AffinityCounter): void {
  counters.set(cycle, counter);
}

/** The PreFilter state of a cycle, for explanations and tests. */
export function affinityFilterState(cycle: CycleState): AffinityFilterState | undefined {
  return filterStates.get(cycle);
}

/**
 * Nodes as preemption's dry run and the nominator see them (a pod's victims removed, the pods
 * nominated there added), with the PreFilter state kube's AddPod and RemovePod extensions leave
 * for filtering that node: Filter reads it instead of the cycle's.
 */
const shiftedStates = new WeakMap<NodeInfo, { readonly cycle: CycleState; readonly state: AffinityFilterState }>();

/**
 * InterPodAffinity's AddPod / RemovePod (v1.35 filtering.go `updateWithPod`): the cycle's PreFilter
 * state with `removed` taken off and `added` put on the node of `node`, kept for Filter on `node`
 * (the node as changed). Nothing when PreFilter skipped the plugin (kube skips the extensions
 * then too). Each pod p changes, at the node's value of each key:
 * - existing anti-affinity: p's required anti-affinity terms that match the incoming pod (with
 *   the labels of the incoming pod's namespace);
 * - affinity: each of the incoming pod's required affinity terms, if p matches all of them;
 * - anti-affinity: each of the incoming pod's required anti-affinity terms that p matches.
 * O(the changed pods' terms), where a recount would read every pod of the cluster. Returns the
 * state Filter will read for `node` (PreFilter's when nothing changed; undefined when skipped).
 */
export function shiftAffinity(cycle: CycleState, node: NodeInfo, removed: readonly Pod[], added: readonly Pod[]): AffinityFilterState | undefined {
  const base = filterStates.get(cycle);
  if (base === undefined || (removed.length === 0 && added.length === 0)) return base;
  const labels = node.node.labels;
  const namespaceLabels = namespaceLabelsOf(cycle);
  const existing = new ShiftedPairs(base.existingAntiAffinityCounts);
  const affinity = new ShiftedPairs(base.affinityCounts);
  const anti = new ShiftedPairs(base.antiAffinityCounts);
  const update = (pod: Pod, delta: number): void => {
    for (const term of termsOf(pod).requiredAntiAffinity) if (termMatches(term, cycle.pod, namespaceLabels)) existing.shift(labels, term.topologyKey, delta);
    if (matchesAll(base.requiredAffinity, pod)) for (const term of base.requiredAffinity) affinity.shift(labels, term.topologyKey, delta);
    for (const term of base.requiredAntiAffinity) if (termMatches(term, pod, undefined)) anti.shift(labels, term.topologyKey, delta);
  };
  for (const pod of removed) update(pod, -1);
  for (const pod of added) update(pod, 1);
  const state = { ...base, existingAntiAffinityCounts: existing, affinityCounts: affinity, antiAffinityCounts: anti };
  shiftedStates.set(node, { cycle, state });
  return state;
}

/** The state Filter reads for `node` in `cycle`: a shifted one, or PreFilter's. */
function filterStateFor(cycle: CycleState, node: NodeInfo): AffinityFilterState | undefined {
  const shifted = shiftedStates.get(node);
  return shifted !== undefined && shifted.cycle === cycle ? shifted.state : filterStates.get(cycle);
}

const NO_NAMESPACES: ReadonlyMap<string, Labels> = new Map();

function counterOf(cycle: CycleState): AffinityCounter {
  return counters.get(cycle) ?? naiveCounter(cycle.allNodeInfos ?? (() => []));
}

/** The labels of the pod's Namespace object (GetNamespaceLabelsSnapshot: none when it has no object). */
function namespaceLabelsOf(cycle: CycleState): Labels | undefined {
  return cycle.namespaces?.().get(cycle.pod.namespace);
}

/** satisfyPodAffinity. */
function satisfiesAffinity(state: AffinityFilterState, pod: Pod, labels: Labels): boolean {
  let podsExist = true;
  for (const term of state.requiredAffinity) {
    const value = labels[term.topologyKey];
    if (value === undefined) return false;
    if (state.affinityCounts.get(term.topologyKey, value) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group that selects itself: no pod anywhere matches all its terms yet.
  return state.affinityCounts.empty && matchesAll(state.requiredAffinity, pod);
}

/** satisfyPodAntiAffinity: a node lacking a term's key passes. */
function satisfiesAntiAffinity(state: AffinityFilterState, labels: Labels): boolean {
  if (state.antiAffinityCounts.empty) return true;
  for (const term of state.requiredAntiAffinity) {
    const value = labels[term.topologyKey];
    if (value !== undefined && state.antiAffinityCounts.get(term.topologyKey, value) > 0) return false;
  }
  return true;
}

/** satisfyExistingPodsAntiAffinity: any of the node's label pairs covered. */
function satisfiesExisting(state: AffinityFilterState, labels: Labels): boolean {
  const counts = state.existingAntiAffinityCounts;
  if (counts.empty) return true;
  for (const key in labels) if (counts.get(key, labels[key] as string) > 0) return false;
  return true;
}

/** Filter's verdict from the node's labels alone: whether the node passes all three checks (the fused kernel's reading of it). */
export function affinityAllows(state: AffinityFilterState, pod: Pod, labels: Labels): boolean {
  return satisfiesAffinity(state, pod, labels) && satisfiesAntiAffinity(state, labels) && satisfiesExisting(state, labels);
}

export function newInterPodAffinity(args: InterPodAffinityArgs = DEFAULT_AFFINITY_ARGS): Plugin {
  return {
    name: INTER_POD_AFFINITY,

    preFilter(cycle: CycleState): PreFilterResult {
      const pod = cycle.pod;
      const terms = termsOf(pod);
      const counter = counterOf(cycle);
      const existingAntiAffinityCounts = counter.existingAntiAffinity(pod, namespaceLabelsOf(cycle));
      if (existingAntiAffinityCounts.empty && terms.requiredAffinity.length === 0 && terms.requiredAntiAffinity.length === 0) return SKIP;
      const namespaces = cycle.namespaces?.() ?? NO_NAMESPACES;
      const requiredAffinity = terms.requiredAffinity.map((term) => flattened(term, namespaces));
      const requiredAntiAffinity = terms.requiredAntiAffinity.map((term) => flattened(term, namespaces));
      const none = new PairMap();
      filterStates.set(cycle, {
        requiredAffinity,
        requiredAntiAffinity,
        existingAntiAffinityCounts,
        affinityCounts: requiredAffinity.length === 0 ? none : counter.affinity(requiredAffinity),
        antiAffinityCounts: requiredAntiAffinity.length === 0 ? none : counter.antiAffinity(requiredAntiAffinity),
      });
      return SUCCESS;
    },

    filter(cycle: CycleState, info: NodeInfo): Status {
      const state = filterStateFor(cycle, info);
      if (state === undefined) return { code: "Error", reasons: [`error reading "PreFilter${INTER_POD_AFFINITY}" from cycleState: not found`] };
      const labels = info.node.labels;
      if (!satisfiesAffinity(state, cycle.pod, labels)) return unresolvable(AFFINITY_REASON);
      if (!satisfiesAntiAffinity(state, labels)) return unschedulable(ANTI_AFFINITY_REASON);
      if (!satisfiesExisting(state, labels)) return unschedulable(EXISTING_ANTI_AFFINITY_REASON);
      return SUCCESS;
    },

    preScore(cycle: CycleState): Status {
      const terms = termsOf(cycle.pod);
      const own = terms.preferredAffinity.length > 0 || terms.preferredAntiAffinity.length > 0;
      if (args.ignorePreferredTermsOfExistingPods && !own) return SKIP;
      const namespaces = own ? (cycle.namespaces?.() ?? NO_NAMESPACES) : NO_NAMESPACES;
      const weighted = ({ term, weight }: WeightedAffinityTerm): WeightedAffinityTerm => ({ term: flattened(term, namespaces), weight });
      const scores = counterOf(cycle).topologyScore({
        pod: cycle.pod,
        namespaceLabels: namespaceLabelsOf(cycle),
        preferredAffinity: terms.preferredAffinity.map(weighted),
        preferredAntiAffinity: terms.preferredAntiAffinity.map(weighted),
        hardPodAffinityWeight: args.hardPodAffinityWeight,
      });
      if (scores.empty) return SKIP;
      scoreStates.set(cycle, scores);
      return SUCCESS;
    },

    score(cycle: CycleState, info: NodeInfo): number {
      return scoreStates.get(cycle)?.score(info.node.labels) ?? 0;
    },

    normalizeScore(cycle: CycleState, _nodes: readonly NodeInfo[], scores: number[]): void {
      if (scoreStates.get(cycle)?.empty !== false) return;
      normalizeAffinityScores(scores);
    },
  };
}

/** NormalizeScore: `trunc(100 · ((s − min) / (max − min)))` — the division first, as kube's float64 order — and 0 for all when max = min. */
export function normalizeAffinityScores(scores: number[]): void {
  let minimum = Number.MAX_SAFE_INTEGER;
  let maximum = Number.MIN_SAFE_INTEGER;
  for (const score of scores) {
    if (score > maximum) maximum = score;
    if (score < minimum) minimum = score;
  }
  const difference = maximum - minimum;
  for (let index = 0; index < scores.length; index++) {
    scores[index] = difference > 0 ? Math.trunc(MAX_NODE_SCORE * (((scores[index] as number) - minimum) / difference)) : 0;
  }
}
