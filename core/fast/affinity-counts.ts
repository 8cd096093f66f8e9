/**
 * InterPodAffinity's counts kept incrementally (the fast engine's accelerator), so that a cycle
 * never looks at every pod (kube's PreFilter and PreScore do: `naiveCounter` in the plugin is
 * that way, and the twin the tests compare this with):
 *
 * - **the terms pods on nodes carry**, grouped: pods whose terms are the same (kind, namespaces,
 *   selectors, topology key, weight — a Deployment's or StatefulSet's replicas) share one group,
 *   which keeps how many such terms each domain of its key holds. Updated when a pod with terms
 *   starts or stops holding resources on a node (one map update per term). A cycle tests each
 *   group's term against the incoming pod once: O(groups), not O(pods);
 * - **the pods the incoming pod's terms select**: a second `SpreadCounts` (terminating pods
 *   count, as they do for kube's inter-pod affinity), whose registered selectors keep their
 *   matching pods per node and per domain. A term over several namespaces reads one entry per
 *   namespace (they are disjoint); `namespaceSelector: {}` one entry over every namespace. The
 *   required affinity terms, which count only pods matching all of them, register their
 *   conjunction.
 *
 * The counter's answers are views over the kept maps (no copy per cycle): a topology pair's count
 * is a sum over the few maps for its key.
 */
import type { PodState } from "../cluster/state.js";
import type { Pod } from "../model/pod.js";
import type { LabelSelector, SelectorRequirement } from "../model/workload.js";
import type { AffinityCounter, PairCounts, ScoreQuery, TopologyScore } from "../scheduler/plugins/interpodaffinity/index.js";
import { hasTerms, isEverything, termMatches, termsOf, type AffinityTerm } from "../scheduler/plugins/interpodaffinity/terms.js";
import { ANY_NAMESPACE, SpreadCounts } from "./spread-counts.js";

type Labels = Readonly<Record<string, string>>;
type Counts = ReadonlyMap<string, number>;

export type TermKind = "requiredAffinity" | "requiredAntiAffinity" | "preferredAffinity" | "preferredAntiAffinity";

/** The terms of one kind that pods on nodes carry, alike. */
export interface TermGroup {
  readonly kind: TermKind;
  readonly term: AffinityTerm;
  readonly weight: number;
  /** Node name → terms held there. */
  readonly perNode: Map<string, number>;
  /** Value of the term's topology key → terms held on nodes with it (nodes without the key hold none here). */
  readonly perDomain: Map<string, number>;
}

function bump(map: Map<string, number>, key: string, delta: number): void {
  const count = (map.get(key) ?? 0) + delta;
  if (count === 0) map.delete(key);
  else map.set(key, count);
}

const KINDS: readonly TermKind[] = ["requiredAffinity", "requiredAntiAffinity", "preferredAffinity", "preferredAntiAffinity"];

/**
 * A kind's groups filed for lookup by the incoming pod: under one `key=value` of the selector's
 * matchLabels (a pod matches only if it carries that label), or unfiled (no matchLabels, or a nil
 * selector). Replicas of thousands of jobs each select their own job's label, so a cycle tries
 * the few groups filed under the pod's labels instead of every group.
 */
interface GroupIndex {
  readonly byLabel: Map<string, TermGroup[]>;
  readonly unfiled: TermGroup[];
}

function labelPair(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

/** The label a term's group is filed under: its selector's first matchLabels entry. */
function filingLabel(term: AffinityTerm): string | undefined {
  if (term.selector === undefined) return undefined;
  for (const key in term.selector.matchLabels) return labelPair(key, term.selector.matchLabels[key] as string);
  return undefined;
}

/** A group's identity: what makes two pods' terms count alike. */
function groupKey(kind: TermKind, term: AffinityTerm, weight: number): string {
  return JSON.stringify([kind, weight, term.topologyKey, [...term.namespaces].sort(), term.selector ?? null, term.namespaceSelector ?? null]);
}

/** A read-only sum of per-key count maps: a pair's count is Σ over the maps for its key. */
class PairView implements PairCounts {
  private readonly byKey = new Map<string, Counts[]>();
  add(key: string, counts: Counts): void {
    let list = this.byKey.get(key);
    if (list === undefined) this.byKey.set(key, (list = []));
    list.push(counts);
    this.emptyNow = undefined;
  }
  get(key: string, value: string): number {
    const list = this.byKey.get(key);
    if (list === undefined) return 0;
    let sum = 0;
    for (const counts of list) sum += counts.get(value) ?? 0;
    return sum;
  }
  /**
   * Whether every map is empty; worked out once (a view lives for one cycle, during which no pod
   * comes or goes).
   */
  private emptyNow: boolean | undefined;
  get empty(): boolean {
    if (this.emptyNow === undefined) {
      this.emptyNow = true;
      for (const list of this.byKey.values()) for (const counts of list) if (counts.size > 0) this.emptyNow = false;
    }
    return this.emptyNow;
  }
  total(): number {
    let sum = 0;
    for (const list of this.byKey.values()) for (const counts of list) for (const count of counts.values()) sum += count;
    return sum;
  }
  positivePairs(limit: number): readonly (readonly [string, string])[] | undefined {
    // Too many entries: no list at all, without going through them (then at most `limit` pairs).
    let entries = 0;
    for (const list of this.byKey.values()) for (const counts of list) entries += counts.size;
    if (entries > limit) return undefined;
    const pairs: [string, string][] = [];
    for (const [key, list] of this.byKey) {
      for (const counts of list) {
        for (const [value, count] of counts) {
          if (count > 0) pairs.push([key, value]); // (a pair in two maps comes twice: harmless to its readers)
        }
      }
    }
    return pairs;
  }
}

/** A read-only weighted sum of per-key count maps, as PreScore's topologyScore. */
class ScoreView implements TopologyScore {
  private readonly sources: { readonly key: string; readonly weight: number; readonly counts: Counts }[] = [];
  add(key: string, weight: number, counts: Counts): void {
    if (counts.size > 0) this.sources.push({ key, weight, counts });
  }
  score(labels: Labels): number {
    let score = 0;
    for (const { key, weight, counts } of this.sources) {
      const value = labels[key];
      if (value !== undefined) score += weight * (counts.get(value) ?? 0);
    }
    return score;
  }
  get empty(): boolean {
    return this.sources.length === 0;
  }
}

/** The answer when no pod holds terms (and the pod asks nothing): shared, never written. */
const NO_PAIRS: PairCounts = { get: () => 0, empty: true, total: () => 0 };
const NO_SCORE: TopologyScore = { score: () => 0, empty: true };

export class AffinityCounts {
  private cachedCounter: AffinityCounter | undefined;
  private readonly groups = new Map<string, TermGroup>();
  private readonly byKind = new Map<TermKind, TermGroup[]>(KINDS.map((kind) => [kind, []]));
  /** The same groups filed by a label their selector requires (a pod without it cannot match). */
  private readonly indexes = new Map<TermKind, GroupIndex>(KINDS.map((kind) => [kind, { byLabel: new Map(), unfiled: [] }]));
  /** How many pods holding resources carry terms (none: every cycle skips the plugin at once). */
  holders = 0;
  /** The pods the incoming pods' terms select, per node and domain. */
  readonly selected: SpreadCounts;

  constructor(private readonly labelsOf: (node: string) => Labels | undefined, selected: SpreadCounts) {
    this.selected = selected;
  }

  /** The groups of one kind (for the checks). */
  groupsOf(kind: TermKind): readonly TermGroup[] {
    return this.byKind.get(kind) as TermGroup[];
  }

  /** A pod starts (+1) or stops (−1) holding resources on `node` (terminating or not). */
  changed(pod: Pod, node: string, delta: 1 | -1): void {
    this.selected.changed(pod, node, delta);
    if (!hasTerms(pod)) return;
    this.holders += delta;
    const terms = termsOf(pod);
    const labels = this.labelsOf(node);
    for (const term of terms.requiredAffinity) this.hold("requiredAffinity", term, 0, node, labels, delta);
    for (const term of terms.requiredAntiAffinity) this.hold("requiredAntiAffinity", term, 0, node, labels, delta);
    for (const { term, weight } of terms.preferredAffinity) this.hold("preferredAffinity", term, weight, node, labels, delta);
    for (const { term, weight } of terms.preferredAntiAffinity) this.hold("preferredAntiAffinity", term, weight, node, labels, delta);
  }

  private hold(kind: TermKind, term: AffinityTerm, weight: number, node: string, labels: Labels | undefined, delta: number): void {
    const key = groupKey(kind, term, weight);
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { kind, term, weight, perNode: new Map(), perDomain: new Map() };
      this.groups.set(key, group);
      (this.byKind.get(kind) as TermGroup[]).push(group);
      const index = this.indexes.get(kind) as GroupIndex;
      const filed = filingLabel(term);
      if (filed === undefined) index.unfiled.push(group);
      else {
        const list = index.byLabel.get(filed);
        if (list === undefined) index.byLabel.set(filed, [group]);
        else list.push(group);
      }
    }
    bump(group.perNode, node, delta);
    const value = labels?.[term.topologyKey];
    if (value !== undefined) bump(group.perDomain, value, delta);
  }

  /**
   * Whether some pod's term could reach the incoming pod: its filter or its score (`scored`: only
   * the kinds PreScore counts — required affinity when `hardPodAffinityWeight` > 0, preferred
   * affinity and anti-affinity).
   */
  touches(pod: Pod, namespaceLabels: Labels | undefined, hardPodAffinityWeight: number, scored = false): boolean {
    if (this.holders === 0) return false;
    for (const kind of KINDS) {
      if (scored && kind === "requiredAntiAffinity") continue;
      if (kind === "requiredAffinity" && hardPodAffinityWeight <= 0) continue;
      if (this.firstMatching(kind, pod, namespaceLabels) !== undefined) return true;
    }
    return false;
  }

  /**
   * The groups of `kind` held somewhere whose term matches `pod`, each passed to `each`; stops at
   * the first for which it returns true (and returns that group). Only the groups the pod's labels
   * could match are tried: those filed under one of its labels, and those filed under none.
   */
  private firstMatching(kind: TermKind, pod: Pod, namespaceLabels: Labels | undefined, each?: (group: TermGroup) => void): TermGroup | undefined {
    const index = this.indexes.get(kind) as GroupIndex;
    for (const group of index.unfiled) {
      if (group.perNode.size > 0 && termMatches(group.term, pod, namespaceLabels)) {
        if (each === undefined) return group;
        each(group);
      }
    }
    if (index.byLabel.size === 0) return undefined;
    for (const key in pod.labels) {
      const list = index.byLabel.get(labelPair(key, pod.labels[key] as string));
      if (list === undefined) continue;
      for (const group of list) {
        if (group.perNode.size > 0 && termMatches(group.term, pod, namespaceLabels)) {
          if (each === undefined) return group;
          each(group);
        }
      }
    }
    return undefined;
  }

  /** Every pod record of the state that asked last (the accelerators move from state to state). */
  private podsNow: () => Iterable<PodState> = () => [];

  /**
   * The counter a cycle reads (`pods` lists every pod record of the asking state, for a
   * selector's first registration). One object, made once: a cycle costs no allocation here.
   */
  counter(pods: () => Iterable<PodState>): AffinityCounter {
    this.podsNow = pods;
    this.cachedCounter ??= this.newCounter();
    return this.cachedCounter;
  }

  private newCounter(): AffinityCounter {
    const pods = (): Iterable<PodState> => this.podsNow();
    return {
      existingAntiAffinity: (pod, namespaceLabels) => {
        if (this.holders === 0) return NO_PAIRS;
        const view = new PairView();
        this.firstMatching("requiredAntiAffinity", pod, namespaceLabels, (group) => {
          if (group.perDomain.size > 0) view.add(group.term.topologyKey, group.perDomain);
        });
        return view;
      },
      affinity: (terms) => {
        const view = new PairView();
        const all = conjunction(terms);
        if (all === undefined) return view;
        for (const counts of this.entries(all.namespaces, all.selector, pods, terms.map((term) => term.topologyKey))) {
          for (const term of terms) view.add(term.topologyKey, counts.get(term.topologyKey) as Counts);
        }
        return view;
      },
      antiAffinity: (terms) => {
        const view = new PairView();
        for (const term of terms) {
          if (term.selector === undefined) continue;
          for (const counts of this.entries(namespacesOf(term), term.selector, pods, [term.topologyKey])) view.add(term.topologyKey, counts.get(term.topologyKey) as Counts);
        }
        return view;
      },
      topologyScore: (query: ScoreQuery) => {
        if (this.holders === 0 && query.preferredAffinity.length === 0 && query.preferredAntiAffinity.length === 0) return NO_SCORE;
        const view = new ScoreView();
        for (const [list, sign] of [[query.preferredAffinity, 1], [query.preferredAntiAffinity, -1]] as const) {
          for (const { term, weight } of list) {
            if (term.selector === undefined) continue;
            for (const counts of this.entries(namespacesOf(term), term.selector, pods, [term.topologyKey])) view.add(term.topologyKey, sign * weight, counts.get(term.topologyKey) as Counts);
          }
        }
        if (this.holders === 0) return view;
        const existing = (kind: TermKind, weightOf: (group: TermGroup) => number): void => {
          this.firstMatching(kind, query.pod, query.namespaceLabels, (group) => {
            if (group.perDomain.size > 0) view.add(group.term.topologyKey, weightOf(group), group.perDomain);
          });
        };
        if (query.hardPodAffinityWeight > 0) existing("requiredAffinity", () => query.hardPodAffinityWeight);
        existing("preferredAffinity", (group) => group.weight);
        existing("preferredAntiAffinity", (group) => -group.weight);
        return view;
      },
    };
  }

  /** Per namespace of `namespaces` (or every one), the selector's matching pods per domain of each key. */
  private entries(namespaces: readonly string[], selector: LabelSelector, pods: () => Iterable<PodState>, keys: readonly string[]): Map<string, Counts>[] {
    return namespaces.map((namespace) => {
      const entry = this.selected.entry(namespace, selector, pods);
      return new Map(keys.map((key) => [key, this.selected.perDomain(entry, key)]));
    });
  }
}

/** The namespaces a (flattened) term covers: its names, or every namespace for `namespaceSelector: {}`. */
function namespacesOf(term: AffinityTerm): readonly string[] {
  return term.namespaceSelector !== undefined && isEverything(term.namespaceSelector) ? [ANY_NAMESPACE] : [...term.namespaces];
}

/**
 * The pods matching every term (podMatchesAllAffinityTerms): the namespaces all of them cover and
 * the conjunction of their selectors. Undefined when none can match (a nil selector, or no
 * namespace common to all).
 */
function conjunction(terms: readonly AffinityTerm[]): { namespaces: readonly string[]; selector: LabelSelector } | undefined {
  let namespaces: Set<string> | undefined; // undefined: every namespace so far
  let matchLabels: Readonly<Record<string, string>> | undefined;
  const expressions: SelectorRequirement[] = [];
  for (const term of terms) {
    if (term.selector === undefined) return undefined;
    const covered = namespacesOf(term);
    if (covered[0] !== ANY_NAMESPACE) namespaces = namespaces === undefined ? new Set(covered) : new Set(covered.filter((name) => (namespaces as Set<string>).has(name)));
    if (matchLabels === undefined) matchLabels = term.selector.matchLabels;
    else for (const [key, value] of Object.entries(term.selector.matchLabels)) expressions.push({ key, operator: "In", values: [value] });
    expressions.push(...term.selector.matchExpressions);
  }
  if (terms.length === 0 || (namespaces !== undefined && namespaces.size === 0)) return undefined;
  return { namespaces: namespaces === undefined ? [ANY_NAMESPACE] : [...namespaces], selector: { matchLabels: matchLabels ?? {}, matchExpressions: expressions } };
}
