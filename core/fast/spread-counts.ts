/**
 * PodTopologySpread's counts kept incrementally (the fast engine's accelerator): for each selector
 * a spread constraint has asked about (with its namespace), how many pods matching it each node
 * holds, not counting terminating pods — what kube's PreFilter counts from every pod of every
 * node in each cycle.
 *
 * A selector is registered the first time a cycle asks for it (one pass over the pods), then kept
 * as pods start and stop counting: bound to a node (`hold`), freed from it (`release`), or
 * deleted while holding resources (terminating). Such a change costs one selector test per
 * selector registered in the pod's namespace, plus one map update per topology key asked about.
 * Per topology key the accelerators also keep how many nodes have each value (the domains),
 * updated as nodes join and leave. A cycle's counts per domain then cost O(domains) when every
 * node counts (every node has the keys, and the inclusion policies leave none out), else a pass
 * over the nodes — never over the pods. The plugin's naive count (`countDomains`, a pass over
 * every pod) is the twin the property tests compare this with (`checkAccelerators`).
 */
import type { PodState } from "../cluster/state.js";
import { selectorMatches, type LabelSelector } from "../model/workload.js";
import type { NodeInfo } from "../scheduler/framework/types.js";
import type { Pod } from "../model/pod.js";
import type { Node } from "../model/node.js";
import { MAX_NODE_SCORE } from "../scheduler/framework/normalize.js";
import { HOSTNAME_LABEL, hasAllKeys, includesNode, spreadConstraints, spreadSelectorMatches, type SpreadConstraint } from "../scheduler/plugins/podtopologyspread/index.js";

export interface Registered {
  readonly namespace: string;
  readonly selector: LabelSelector;
  /** Node name → matching pods there. */
  readonly perNode: Map<string, number>;
  /** Per topology key asked about: domain → matching pods on the nodes with that value. */
  readonly perDomain: Map<string, Map<string, number>>;
}

/** Whether a pod counts for spreading on its node: it holds resources there and is not terminating. */
export function countsForSpread(pod: PodState): boolean {
  return pod.holdsResources && pod.node !== undefined && pod.deletionDeadline === undefined;
}

type Labels = Readonly<Record<string, string>>;

function bump(map: Map<string, number>, key: string, delta: number): void {
  const count = (map.get(key) ?? 0) + delta;
  if (count === 0) map.delete(key);
  else map.set(key, count);
}

export class SpreadCounts {
  private readonly registered = new Map<string, Registered>();
  private readonly byNamespace = new Map<string, Registered[]>();
  /** Per topology key asked about: value → how many nodes have it. */
  private readonly domains = new Map<string, Map<string, number>>();
  /** How many nodes the cluster has. */
  nodes = 0;

  /** `labelsOf` gives a node's labels by name; `allNodes` every node's labels (to register a key). */
  constructor(private readonly labelsOf: (node: string) => Labels | undefined, private readonly allNodes: () => Iterable<Labels>) {}

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

  /** A counting pod (`countsForSpread`) starts (+1) or stops (−1) counting on `node`. */
  changed(pod: Pod, node: string, delta: 1 | -1): void {
    const entries = this.byNamespace.get(pod.namespace);
    if (entries === undefined) return;
    for (const entry of entries) {
      if (!selectorMatches(entry.selector, pod.labels)) continue;
      bump(entry.perNode, node, delta);
      if (entry.perDomain.size === 0) continue;
      const labels = this.labelsOf(node);
      for (const [key, counts] of entry.perDomain) {
        const value = labels?.[key];
        if (value !== undefined) bump(counts, value, delta);
      }
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

  /** The registered selector, registering it (a pass over `pods`) the first time. */
  entry(namespace: string, selector: LabelSelector, pods: () => Iterable<PodState>): Registered {
    const key = JSON.stringify([namespace, selector.matchLabels, selector.matchExpressions]);
    let entry = this.registered.get(key);
    if (entry === undefined) {
      entry = { namespace, selector, perNode: new Map(), perDomain: new Map() };
      for (const pod of pods()) {
        if (pod.pod.namespace !== namespace || !countsForSpread(pod) || !selectorMatches(selector, pod.pod.labels)) continue;
        bump(entry.perNode, pod.node as string, 1);
      }
      this.registered.set(key, entry);
      let list = this.byNamespace.get(namespace);
      if (list === undefined) this.byNamespace.set(namespace, (list = []));
      list.push(entry);
    }
    return entry;
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
 * over the nodes that have every constraint's key and pass the constraint's inclusion policies.
 * When every node has every key and each constraint includes every node (its pod has no node
 * selector or required affinity to honor, and no taint is to be honored or none exists), the
 * counts per domain are read as kept, in O(domains); otherwise a pass over the nodes adds up the
 * per-node counts.
 */
export function domainCounts(counts: SpreadCounts, pods: () => Iterable<PodState>, pod: Pod, constraints: readonly SpreadConstraint[], nodes: () => readonly NodeInfo[], anyTainted: boolean): Map<string, number>[] {
  const entries = constraints.map((constraint) => {
    const { selector } = constraint;
    // A nil selector matches nothing and an empty one counts nothing (kube 1.35).
    if (selector.nothing || (Object.keys(selector.selector.matchLabels).length === 0 && selector.selector.matchExpressions.length === 0)) return undefined;
    return counts.entry(pod.namespace, selector.selector, pods);
  });
  const selects = Object.keys(pod.nodeSelector).length > 0 || pod.nodeAffinity?.required !== undefined;
  const everyNode = constraints.every((constraint) => {
    let withKey = 0;
    for (const nodesWithValue of counts.keyDomains(constraint.topologyKey).values()) withKey += nodesWithValue;
    return withKey === counts.nodes && !(constraint.honorAffinity && selects) && !(constraint.honorTaints && anyTainted);
  });
  if (everyNode) {
    return constraints.map((constraint, index) => {
      const entry = entries[index];
      const kept = entry === undefined ? NONE : counts.perDomain(entry, constraint.topologyKey);
      const result = new Map<string, number>();
      for (const domain of counts.keyDomains(constraint.topologyKey).keys()) result.set(domain, kept.get(domain) ?? 0);
      return result;
    });
  }
  const perNode = entries.map((entry) => entry?.perNode ?? NONE);
  const result = constraints.map(() => new Map<string, number>());
  for (const info of nodes()) {
    const labels = info.node.labels;
    if (!hasAllKeys(labels, constraints)) continue;
    for (let index = 0; index < constraints.length; index++) {
      const constraint = constraints[index] as SpreadConstraint;
      if (!includesNode(constraint, pod, info.node)) continue;
      const domain = labels[constraint.topologyKey] as string;
      const map = result[index] as Map<string, number>;
      map.set(domain, (map.get(domain) ?? 0) + ((perNode[index] as ReadonlyMap<string, number>).get(info.node.name) ?? 0));
    }
  }
  return result;
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
}

/**
 * The pod's constraints read from the kept counts, for the fused kernel: undefined unless every
 * node counts for each of them (every node has every key, and the inclusion policies leave no
 * node out) — then PreFilter's domains are all of a key's values, PreScore ignores no node, and
 * each node's verdict and score need only its own labels.
 */
export function keptSpread(counts: SpreadCounts, pods: () => Iterable<PodState>, pod: Pod, anyTainted: boolean): { hard: KeptHard[]; soft: KeptSoft[] } | undefined {
  const hard = spreadConstraints(pod, "DoNotSchedule");
  const soft = spreadConstraints(pod, "ScheduleAnyway");
  const selects = Object.keys(pod.nodeSelector).length > 0 || pod.nodeAffinity?.required !== undefined;
  for (const constraint of [...hard, ...soft]) {
    let withKey = 0;
    for (const nodesWithValue of counts.keyDomains(constraint.topologyKey).values()) withKey += nodesWithValue;
    if (withKey !== counts.nodes || (constraint.honorAffinity && selects) || (constraint.honorTaints && anyTainted)) return undefined;
  }
  const entryOf = (constraint: SpreadConstraint): Registered | undefined => {
    const { selector } = constraint;
    if (selector.nothing || (Object.keys(selector.selector.matchLabels).length === 0 && selector.selector.matchExpressions.length === 0)) return undefined;
    return counts.entry(pod.namespace, selector.selector, pods);
  };
  return {
    hard: hard.map((constraint) => {
      const entry = entryOf(constraint);
      const kept = entry === undefined ? NONE : counts.perDomain(entry, constraint.topologyKey);
      const domains = counts.keyDomains(constraint.topologyKey);
      let minimum = domains.size < constraint.minDomains ? 0 : Number.MAX_SAFE_INTEGER;
      if (minimum !== 0) for (const domain of domains.keys()) minimum = Math.min(minimum, kept.get(domain) ?? 0);
      return { key: constraint.topologyKey, maxSkew: constraint.maxSkew, counts: kept, minimum, self: spreadSelectorMatches(constraint.selector, pod.labels) ? 1 : 0 };
    }),
    soft: soft.map((constraint) => {
      const entry = entryOf(constraint);
      const hostname = constraint.topologyKey === HOSTNAME_LABEL;
      const kept = entry === undefined ? NONE : hostname ? entry.perNode : counts.perDomain(entry, constraint.topologyKey);
      return { key: constraint.topologyKey, hostname, maxSkew: constraint.maxSkew, counts: kept };
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
  const weights = soft.map((constraint) => {
    if (constraint.hostname) return Math.log(feasible.length + 2);
    const domains = new Set<string>();
    for (const node of feasible) domains.add(node.labels[constraint.key] as string);
    return Math.log(domains.size + 2);
  });
  const raw = feasible.map((node) => {
    let score = 0;
    soft.forEach((constraint, index) => {
      const count = constraint.counts.get(constraint.hostname ? node.name : (node.labels[constraint.key] as string)) ?? 0;
      score += count * (weights[index] as number) + (constraint.maxSkew - 1);
    });
    return Math.round(score);
  });
  let minimum = Number.MAX_SAFE_INTEGER;
  let maximum = 0;
  for (const score of raw) {
    if (score < minimum) minimum = score;
    if (score > maximum) maximum = score;
  }
  return raw.map((score) => (maximum === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (maximum + minimum - score)) / maximum)));
}
