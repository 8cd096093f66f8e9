/**
 * PodTopologySpread's counts kept incrementally (the fast engine's accelerator): for each selector
 * a spread constraint has asked about (with its namespace), how many pods matching it each node
 * holds, per value of each topology key asked about, and in all — not counting terminating pods —
 * what kube's PreFilter and PreScore count from every pod of every node in each cycle.
 *
 * The first registration builds an index of the counting pods by `key=value` label pair (one
 * pass over the pods). A selector is registered from the pods carrying its anchor pair (a
 * matchLabels entry or a one-value `In`; without one, from all counting pods), then kept as pods
 * start and stop counting: bound to a node (`hold`), freed from it (`release`), or deleted while
 * holding resources (terminating). Such a change costs a map update per label of the pod, and one
 * selector test per selector anchored on one of its pairs (or without an anchor in its namespace).
 * Per topology key the accelerators also keep how many nodes have each value (the domains),
 * updated as nodes join and leave. A cycle's counts per domain then cost O(domains) when every
 * node counts (no inclusion policy leaves one out, and every node has the keys where they are
 * required), else a pass over the nodes — never over the pods. For the fused kernel, `keptSpread`
 * reads a pod's constraints (its own, or kube's System defaults) straight from the kept counts,
 * and `keptSpreadRaw` scores them over the feasible nodes. The plugin's naive count
 * (`countDomains`, a pass over every pod) is the twin the tests compare all this with
 * (`checkAccelerators`, `spread-counts.test.ts`).
 */
import type { PodState } from "../cluster/state.js";
import { selectorMatches, type LabelSelector } from "../model/workload.js";
import type { NodeInfo } from "../scheduler/framework/types.js";
import type { Pod } from "../model/pod.js";
import type { Node } from "../model/node.js";
import { MAX_NODE_SCORE } from "../scheduler/framework/normalize.js";
import { HOSTNAME_LABEL, hasAllKeys, includesNode, isEmptySelector, resolvedConstraints, spreadSelectorMatches, type SpreadConstraint } from "../scheduler/plugins/podtopologyspread/index.js";
import { DEFAULT_SPREAD_ARGS, ZONE_LABEL } from "../scheduler/plugins/podtopologyspread/defaults.js";

export interface Registered {
  /** The pods' namespace, or `*`: any namespace (inter-pod affinity's `namespaceSelector: {}`). */
  readonly namespace: string;
  readonly selector: LabelSelector;
  /** Node name → matching pods there. */
  readonly perNode: Map<string, number>;
  /** Per topology key asked about: domain → matching pods on the nodes with that value. */
  readonly perDomain: Map<string, Map<string, number>>;
  /** Matching pods in all. */
  total: number;
}

/** Whether a pod counts for spreading on its node: it holds resources there and is not terminating. */
export function countsForSpread(pod: PodState): boolean {
  return pod.holdsResources && pod.node !== undefined && pod.deletionDeadline === undefined;
}

/** Whether a pod counts for inter-pod affinity on its node: it holds resources there, terminating or not. */
export function countsForAffinity(pod: PodState): boolean {
  return pod.holdsResources && pod.node !== undefined;
}

/** The namespace of a Registered entry that matches pods of every namespace. */
export const ANY_NAMESPACE = "*";

type Labels = Readonly<Record<string, string>>;

function bump(map: Map<string, number>, key: string, delta: number): void {
  const count = (map.get(key) ?? 0) + delta;
  if (count === 0) map.delete(key);
  else map.set(key, count);
}

/** A counting pod as the label index holds it. */
interface Counting {
  readonly pod: Pod;
  readonly node: string;
}

const pairKey = (namespace: string, key: string, value: string): string => `${namespace}\u0000${key}\u0000${value}`;

/**
 * A `key=value` pair every pod the selector matches must carry (a matchLabels entry, or an `In`
 * with one value): the pair the selector is indexed by. Undefined when it has none.
 */
function anchorOf(selector: LabelSelector): [string, string] | undefined {
  for (const key in selector.matchLabels) return [key, selector.matchLabels[key] as string];
  for (const requirement of selector.matchExpressions) {
    if (requirement.operator === "In" && requirement.values.length === 1) return [requirement.key, requirement.values[0] as string];
  }
  return undefined;
}

export class SpreadCounts {
  /** The fused kernel's reading of the System defaults, per DefaultSelector (see `keptSpread`). */
  readonly keptDefaults = new WeakMap<LabelSelector, { readonly namespace: string; readonly spread: KeptSpread }>();
  private readonly registered = new Map<string, Registered>();
  /** The same entries by selector object (a Deployment's pods share theirs), per namespace. */
  private readonly bySelector = new WeakMap<LabelSelector, Map<string, Registered>>();
  /** Registered selectors by their anchor pair (`pairKey`), and those without one by namespace. */
  private readonly anchored = new Map<string, Registered[]>();
  private readonly unanchored = new Map<string, Registered[]>();
  /**
   * The counting pods by each `key=value` label pair (`pairKey`), by pod key; built when the
   * first selector is registered (a pass over the pods), kept from then on.
   */
  private byLabel: Map<string, Map<string, Counting>> | undefined;
  /** Every counting pod, by pod key (once `byLabel` is built). */
  private readonly counting = new Map<string, Counting>();
  /** Per topology key asked about: value → how many nodes have it. */
  private readonly domains = new Map<string, Map<string, number>>();
  /** How many nodes the cluster has. */
  nodes = 0;
  /** Whether some entry matches pods of any namespace (then each change also looks those up). */
  private anyNamespace = false;

  /**
   * `labelsOf` gives a node's labels by name; `allNodes` every node's labels (to register a key);
   * `counts` which pods count (spreading's, by default; inter-pod affinity counts terminating pods too).
   */
  constructor(private readonly labelsOf: (node: string) => Labels | undefined, private readonly allNodes: () => Iterable<Labels>, private readonly counts: (pod: PodState) => boolean = countsForSpread) {}

  /** A node joined (`after`) or left (`before`); a node leaves only once its pods have stopped counting. */
  nodeChanged(before: Labels | undefined, after: Labels | undefined): void {
    if (before !== undefined) this.nodes--;
    if (after !== undefined) this.nodes++;
    for (const [key, values] of this.domains) {
      const old = before?.[key];
      const now = after?.[key];
      if (old !== undefined) bump(values, old, -1);
      if (now !== undefined) bump(values, now, 1);
    }
  }

  /** A counting pod (the constructor's `counts`) starts (+1) or stops (−1) counting on `node`. */
  changed(pod: Pod, node: string, delta: 1 | -1): void {
    const byLabel = this.byLabel;
    if (byLabel === undefined) return;
    const podKey = `${pod.namespace}/${pod.name}`;
    const counting = { pod, node };
    if (delta > 0) this.counting.set(podKey, counting);
    else this.counting.delete(podKey);
    for (const key in pod.labels) {
      const pair = pairKey(pod.namespace, key, pod.labels[key] as string);
      if (delta > 0) {
        let pods = byLabel.get(pair);
        if (pods === undefined) byLabel.set(pair, (pods = new Map()));
        pods.set(podKey, counting);
      } else {
        const pods = byLabel.get(pair);
        pods?.delete(podKey);
        if (pods?.size === 0) byLabel.delete(pair);
      }
      for (const entry of this.anchored.get(pair) ?? []) this.count(entry, pod, node, delta);
      if (this.anyNamespace) for (const entry of this.anchored.get(pairKey(ANY_NAMESPACE, key, pod.labels[key] as string)) ?? []) this.count(entry, pod, node, delta);
    }
    for (const entry of this.unanchored.get(pod.namespace) ?? []) this.count(entry, pod, node, delta);
    if (this.anyNamespace) for (const entry of this.unanchored.get(ANY_NAMESPACE) ?? []) this.count(entry, pod, node, delta);
  }

  private count(entry: Registered, pod: Pod, node: string, delta: number): void {
    if (!selectorMatches(entry.selector, pod.labels)) return;
    bump(entry.perNode, node, delta);
    entry.total += delta;
    if (entry.perDomain.size === 0) return;
    const labels = this.labelsOf(node);
    for (const [key, counts] of entry.perDomain) {
      const value = labels?.[key];
      if (value !== undefined) bump(counts, value, delta);
    }
  }

  /** The selectors registered, with their per-node counts (for the checks). */
  entries(): Iterable<Readonly<Registered>> {
    return this.registered.values();
  }

  /** The topology keys asked about. */
  keys(): Iterable<string> {
    return this.domains.keys();
  }

  /** The values of a topology key with how many nodes have each (for the checks, and the counts' domains). */
  keyDomains(key: string): ReadonlyMap<string, number> {
    let values = this.domains.get(key);
    if (values === undefined) {
      values = new Map();
      for (const labels of this.allNodes()) {
        const value = labels[key];
        if (value !== undefined) bump(values, value, 1);
      }
      this.domains.set(key, values);
    }
    return values;
  }

  /**
   * The registered selector, registering it the first time: its matching pods are found among
   * those carrying its anchor pair (or, without one, among all counting pods). The first
   * registration builds the label index from `pods` (one pass).
   */
  entry(namespace: string, selector: LabelSelector, pods: () => Iterable<PodState>): Registered {
    const known = this.bySelector.get(selector)?.get(namespace);
    if (known !== undefined) return known;
    const key = JSON.stringify([namespace, selector.matchLabels, selector.matchExpressions]);
    let entry = this.registered.get(key);
    if (entry === undefined) {
      const byLabel = this.labelIndex(pods);
      entry = { namespace, selector, perNode: new Map(), perDomain: new Map(), total: 0 };
      const anchor = anchorOf(selector);
      const any = namespace === ANY_NAMESPACE;
      if (any) this.anyNamespace = true;
      const candidates = anchor === undefined || any ? this.counting.values() : (byLabel.get(pairKey(namespace, anchor[0], anchor[1]))?.values() ?? []);
      for (const { pod, node } of candidates) {
        if ((!any && pod.namespace !== namespace) || !selectorMatches(selector, pod.labels)) continue;
        bump(entry.perNode, node, 1);
        entry.total++;
      }
      this.registered.set(key, entry);
      const listKey = anchor === undefined ? namespace : pairKey(namespace, anchor[0], anchor[1]);
      const lists = anchor === undefined ? this.unanchored : this.anchored;
      let list = lists.get(listKey);
      if (list === undefined) lists.set(listKey, (list = []));
      list.push(entry);
    }
    let byNamespace = this.bySelector.get(selector);
    if (byNamespace === undefined) this.bySelector.set(selector, (byNamespace = new Map()));
    byNamespace.set(namespace, entry);
    return entry;
  }

  private labelIndex(pods: () => Iterable<PodState>): Map<string, Map<string, Counting>> {
    if (this.byLabel !== undefined) return this.byLabel;
    const byLabel = new Map<string, Map<string, Counting>>();
    for (const record of pods()) {
      if (!this.counts(record)) continue;
      const pod = record.pod;
      const counting = { pod, node: record.node as string };
      const podKey = `${pod.namespace}/${pod.name}`;
      this.counting.set(podKey, counting);
      for (const key in pod.labels) {
        const pair = pairKey(pod.namespace, key, pod.labels[key] as string);
        let list = byLabel.get(pair);
        if (list === undefined) byLabel.set(pair, (list = new Map()));
        list.set(podKey, counting);
      }
    }
    this.byLabel = byLabel;
    return byLabel;
  }

  /** An entry's matching pods per value of `key`, kept from then on. */
  perDomain(entry: Registered, key: string): ReadonlyMap<string, number> {
    let counts = entry.perDomain.get(key);
    if (counts === undefined) {
      counts = new Map();
      for (const [node, count] of entry.perNode) {
        const value = this.labelsOf(node)?.[key];
        if (value !== undefined) bump(counts, value, count);
      }
      entry.perDomain.set(key, counts);
    }
    return counts;
  }
}

const NONE: ReadonlyMap<string, number> = new Map();

/**
 * `countDomains`'s answer from the registered counts: per constraint, domain → matching pods,
 * over the nodes that have every constraint's key (or, with `requireAll` false, every node, one
 * without a key under the empty value) and pass the constraint's inclusion policies. When each
 * constraint includes every node (its pod has no node selector or required affinity to honor,
 * and no taint is to be honored or none exists) and no node is left out for a missing key, the
 * counts per domain are read as kept, in O(domains); otherwise a pass over the nodes adds up the
 * per-node counts.
 */
export function domainCounts(counts: SpreadCounts, pods: () => Iterable<PodState>, pod: Pod, constraints: readonly SpreadConstraint[], nodes: () => readonly NodeInfo[], anyTainted: boolean, requireAll = true): Map<string, number>[] {
  const entries = constraints.map((constraint) => entryOf(counts, pods, pod, constraint));
  if (everyNodeCounts(counts, pod, constraints, anyTainted, requireAll)) {
    return constraints.map((constraint, index) => {
      const entry = entries[index];
      const kept = entry === undefined ? NONE : counts.perDomain(entry, constraint.topologyKey);
      const result = new Map<string, number>();
      let withKey = 0;
      let counted = 0;
      for (const [domain, nodesWithValue] of counts.keyDomains(constraint.topologyKey)) {
        const count = kept.get(domain) ?? 0;
        result.set(domain, count);
        withKey += nodesWithValue;
        counted += count;
      }
      // Nodes without the key (only when they are not left out) count under "".
      if (withKey < counts.nodes) result.set("", (result.get("") ?? 0) + (entry?.total ?? 0) - counted);
      return result;
    });
  }
  const perNode = entries.map((entry) => entry?.perNode ?? NONE);
  const result = constraints.map(() => new Map<string, number>());
  for (const info of nodes()) {
    const labels = info.node.labels;
    if (requireAll && !hasAllKeys(labels, constraints)) continue;
    for (let index = 0; index < constraints.length; index++) {
      const constraint = constraints[index] as SpreadConstraint;
      if (!includesNode(constraint, pod, info.node)) continue;
      const domain = labels[constraint.topologyKey] ?? "";
      const map = result[index] as Map<string, number>;
      map.set(domain, (map.get(domain) ?? 0) + ((perNode[index] as ReadonlyMap<string, number>).get(info.node.name) ?? 0));
    }
  }
  return result;
}

/** The registered entry of a constraint's selector; undefined for a nil selector (matches nothing) or an empty one (counts nothing, kube 1.35). */
function entryOf(counts: SpreadCounts, pods: () => Iterable<PodState>, pod: Pod, constraint: SpreadConstraint): Registered | undefined {
  const { selector } = constraint;
  if (selector.nothing || isEmptySelector(selector)) return undefined;
  return counts.entry(pod.namespace, selector.selector, pods);
}

/** Whether every node counts for each constraint: none left out for a missing key (when keys are required) or by an inclusion policy. */
function everyNodeCounts(counts: SpreadCounts, pod: Pod, constraints: readonly SpreadConstraint[], anyTainted: boolean, requireAll: boolean): boolean {
  const selects = Object.keys(pod.nodeSelector).length > 0 || pod.nodeAffinity?.required !== undefined;
  return constraints.every((constraint) => {
    if ((constraint.honorAffinity && selects) || (constraint.honorTaints && anyTainted)) return false;
    if (!requireAll) return true;
    let withKey = 0;
    for (const nodesWithValue of counts.keyDomains(constraint.topologyKey).values()) withKey += nodesWithValue;
    return withKey === counts.nodes;
  });
}

/** A DoNotSchedule constraint as the fused kernel checks it: the node's domain count + self − minimum ≤ maxSkew. */
export interface KeptHard {
  readonly key: string;
  readonly maxSkew: number;
  readonly counts: ReadonlyMap<string, number>;
  readonly minimum: number;
  readonly self: number;
}

/** A ScheduleAnyway constraint as the fused kernel scores it: per domain (or, for the hostname key, per node) the matching pods. */
export interface KeptSoft {
  readonly key: string;
  readonly hostname: boolean;
  readonly maxSkew: number;
  /** Domain → matching pods, or node name → matching pods for the hostname key. */
  readonly counts: ReadonlyMap<string, number>;
  /** The key's values with how many nodes have each (live), and how many nodes there are: how many domains the feasible nodes can show at most. */
  readonly values?: ReadonlyMap<string, number>;
  readonly spread?: SpreadCounts;
}

/**
 * The pod's constraints read from the kept counts, for the fused kernel (kube's default profile:
 * System defaulting, so a pod without constraints of its own gets the soft defaults with its
 * DefaultSelector): undefined unless every node counts for each of them — none left out by an
 * inclusion policy, and, for the pod's own constraints, every node has every key. Then
 * PreFilter's domains are all of a key's values, PreScore ignores no node, and each node's
 * verdict and score need only its own labels.
 */
export function keptSpread(counts: SpreadCounts, pods: () => Iterable<PodState>, pod: Pod, anyTainted: boolean, selector: () => LabelSelector | undefined): KeptSpread | undefined {
  if (pod.topologySpreadConstraints === undefined) {
    // System defaults: soft, no node left out for a missing key, every node included unless the
    // pod's node selector or required affinity is honored. The same for every pod with this
    // DefaultSelector (the counts it holds are live), so kept per selector.
    const chosen = selector();
    if (chosen === undefined) return NO_SPREAD;
    for (const _key in pod.nodeSelector) return undefined;
    if (pod.nodeAffinity?.required !== undefined) return undefined;
    const known = counts.keptDefaults.get(chosen);
    if (known !== undefined && known.namespace === pod.namespace) return known.spread;
    const spread = keptOf(counts, pods, pod, anyTainted, () => chosen);
    if (spread !== undefined) counts.keptDefaults.set(chosen, { namespace: pod.namespace, spread });
    return spread;
  }
  return keptOf(counts, pods, pod, anyTainted, selector);
}

export interface KeptSpread {
  readonly hard: readonly KeptHard[];
  readonly soft: readonly KeptSoft[];
}

const NO_SPREAD: KeptSpread = { hard: [], soft: [] };

function keptOf(counts: SpreadCounts, pods: () => Iterable<PodState>, pod: Pod, anyTainted: boolean, selector: () => LabelSelector | undefined): KeptSpread | undefined {
  const hard = resolvedConstraints(pod, "DoNotSchedule", DEFAULT_SPREAD_ARGS, selector);
  const soft = resolvedConstraints(pod, "ScheduleAnyway", DEFAULT_SPREAD_ARGS, selector);
  if (!everyNodeCounts(counts, pod, hard.constraints, anyTainted, hard.requireAll) || !everyNodeCounts(counts, pod, soft.constraints, anyTainted, soft.requireAll)) return undefined;
  return {
    hard: hard.constraints.map((constraint) => {
      const entry = entryOf(counts, pods, pod, constraint);
      const kept = entry === undefined ? NONE : counts.perDomain(entry, constraint.topologyKey);
      const domains = counts.keyDomains(constraint.topologyKey);
      let minimum = domains.size < constraint.minDomains ? 0 : Number.MAX_SAFE_INTEGER;
      if (minimum !== 0) for (const domain of domains.keys()) minimum = Math.min(minimum, kept.get(domain) ?? 0);
      return { key: constraint.topologyKey, maxSkew: constraint.maxSkew, counts: kept, minimum, self: spreadSelectorMatches(constraint.selector, pod.labels) ? 1 : 0 };
    }),
    soft: soft.constraints.map((constraint) => {
      const entry = entryOf(counts, pods, pod, constraint);
      const hostname = constraint.topologyKey === HOSTNAME_LABEL;
      const kept = entry === undefined ? NONE : hostname ? entry.perNode : counts.perDomain(entry, constraint.topologyKey);
      return { key: constraint.topologyKey, hostname, maxSkew: constraint.maxSkew, counts: kept, values: counts.keyDomains(constraint.topologyKey), spread: counts };
    }),
  };
}

/**
 * PodTopologySpread's PreScore, Score and NormalizeScore for the fused kernel, over the feasible
 * nodes when none is ignored (every node has every key): each constraint weighs ln(domains among
 * the feasible nodes + 2) (for the hostname key, feasible nodes + 2); a node's raw score is
 * round(Σ count · weight + maxSkew − 1), normalized to 100·(max + min − raw)/max, truncated (100
 * when max is 0). The plugin's own path is the twin the tests compare this with.
 */
export function keptSpreadScores(feasible: readonly Pick<Node, "name" | "labels">[], soft: readonly KeptSoft[]): number[] {
  const raw = new Float64Array(feasible.length);
  const { minimum, maximum } = keptSpreadRaw((index) => (feasible[index] as Pick<Node, "name">).name, (index, key) => (feasible[index] as Pick<Node, "labels">).labels[key], feasible.length, soft, raw);
  return Array.from(raw, (score) => normalizedSpreadScore(score, minimum, maximum));
}

const domainsSeen = new Set<string>();

/**
 * The raw scores (`round(Σ count · weight + maxSkew − 1)`) of `count` feasible nodes into `raw`,
 * with their minimum and maximum (the maximum starts at 0, as kube's does): the fused kernel's
 * allocation-free core of `keptSpreadScores`.
 */
export function keptSpreadRaw(nameAt: (index: number) => string, labelAt: (index: number, key: string) => string | undefined, count: number, soft: readonly KeptSoft[], raw: Float64Array, zones?: ZoneIds): { minimum: number; maximum: number } {
  raw.fill(0, 0, count);
  for (const constraint of soft) {
    // A key no node has (now: the counts are live) scores nothing anywhere: Score skips a node
    // without the key. Only System defaults reach here with one, as the zone on unzoned clusters.
    if (constraint.values !== undefined && constraint.values.size === 0) continue;
    if (zones !== undefined && constraint.key === ZONE_LABEL) {
      addZoneTerms(zones, count, constraint, raw);
      continue;
    }
    let weight: number;
    if (constraint.hostname) weight = Math.log(count + 2);
    else {
      // A node without the key (System defaults only) counts as the domain "". Once every value
      // the cluster has (and "" if some node lacks the key) is seen, the rest cannot add one.
      let possible = Number.MAX_SAFE_INTEGER;
      if (constraint.values !== undefined && constraint.spread !== undefined) {
        let withKey = 0;
        for (const nodes of constraint.values.values()) withKey += nodes;
        possible = constraint.values.size + (withKey < constraint.spread.nodes ? 1 : 0);
      }
      domainsSeen.clear();
      for (let index = 0; index < count && domainsSeen.size < possible; index++) domainsSeen.add(labelAt(index, constraint.key) ?? "");
      weight = Math.log(domainsSeen.size + 2);
    }
    const base = constraint.maxSkew - 1;
    for (let index = 0; index < count; index++) {
      const domain = labelAt(index, constraint.key);
      if (domain === undefined) continue; // no score for a key the node lacks
      raw[index] = (raw[index] as number) + (constraint.counts.get(constraint.hostname ? nameAt(index) : domain) ?? 0) * weight + base;
    }
  }
  let minimum = Number.MAX_SAFE_INTEGER;
  let maximum = 0;
  for (let index = 0; index < count; index++) {
    const score = Math.round(raw[index] as number);
    raw[index] = score;
    if (score < minimum) minimum = score;
    if (score > maximum) maximum = score;
  }
  return { minimum, maximum };
}

/** The feasible nodes' zones as small integers (−1: no zone label) and the names they stand for. */
export interface ZoneIds {
  readonly idAt: (index: number) => number;
  readonly names: readonly string[];
}

let zoneSeen = new Uint8Array(64);
let zoneTerms = new Float64Array(64);

/**
 * The zone constraint's terms by zone id: the same arithmetic as the general loop of
 * `keptSpreadRaw` (weight ln(zones among the feasible nodes, "" for a node without one, + 2);
 * count · weight + maxSkew − 1 for a node with a zone), with an array read per node instead of a
 * label and a map lookup.
 */
function addZoneTerms(zones: ZoneIds, count: number, constraint: KeptSoft, raw: Float64Array): void {
  const names = zones.names;
  if (zoneSeen.length < names.length + 1) {
    zoneSeen = new Uint8Array(2 * (names.length + 1));
    zoneTerms = new Float64Array(2 * (names.length + 1));
  }
  zoneSeen.fill(0, 0, names.length + 1);
  // At most the zones the cluster has now, and "" if some node has none: once all are seen, stop.
  let possible = names.length + 1;
  if (constraint.values !== undefined && constraint.spread !== undefined) {
    let withKey = 0;
    for (const nodes of constraint.values.values()) withKey += nodes;
    possible = constraint.values.size + (withKey < constraint.spread.nodes ? 1 : 0);
  }
  let seen = 0;
  for (let index = 0; index < count && seen < possible; index++) {
    const slot = zones.idAt(index) + 1;
    if (zoneSeen[slot] === 0) {
      zoneSeen[slot] = 1;
      seen++;
    }
  }
  const weight = Math.log(seen + 2);
  const base = constraint.maxSkew - 1;
  for (let id = 0; id < names.length; id++) zoneTerms[id] = (constraint.counts.get(names[id] as string) ?? 0) * weight + base;
  for (let index = 0; index < count; index++) {
    const id = zones.idAt(index);
    if (id >= 0) raw[index] = (raw[index] as number) + (zoneTerms[id] as number);
  }
}

/** NormalizeScore: `100 · (max + min − raw) / max`, truncated; 100 when max is 0. */
export function normalizedSpreadScore(raw: number, minimum: number, maximum: number): number {
  return maximum === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (maximum + minimum - raw)) / maximum);
}
