/**
 * PodTopologySpread (kube-scheduler v1.35, pkg/scheduler/framework/plugins/podtopologyspread):
 * a pod's `topologySpreadConstraints` keep the pods matching a selector evenly spread over the
 * topology domains (the values of a node label: zones, hostnames …).
 *
 * - PreFilter, for the DoNotSchedule constraints (none: Skip): over **all** nodes, count per
 *   domain the pods matching the constraint's selector in the pod's namespace, terminating pods
 *   left out. A node counts only if it has every constraint's topology key and passes the
 *   constraint's inclusion policies: nodeAffinityPolicy Honor (default) — the pod's nodeSelector
 *   and required node affinity match it; nodeTaintsPolicy Honor (default Ignore) — it has no
 *   NoSchedule/NoExecute taint the pod does not tolerate. A domain with no matching pod still
 *   counts as a domain.
 * - Filter, constraint by constraint, the first failure decides: a node without the topology key
 *   is `UnschedulableAndUnresolvable` ("node(s) didn't match pod topology spread constraints
 *   (missing required label)"); otherwise the skew `count(node's domain) + (1 if the pod matches
 *   its own selector) − minimum` above `maxSkew` is `Unschedulable` ("node(s) didn't match pod
 *   topology spread constraints"). The minimum is the lowest count over the domains, or 0 while
 *   there are fewer domains than `minDomains`.
 * - PreScore, for the ScheduleAnyway constraints (none: Skip): feasible nodes missing a key are
 *   ignored (score 0); the domains are those of the other feasible nodes, counted over all nodes
 *   as above; each constraint weighs `ln(domains + 2)` (for the hostname key, domains = feasible
 *   nodes not ignored).
 * - Score: `round(Σ count(node's domain) · weight + maxSkew − 1)` (lower is better; for the
 *   hostname key the count is the node's own matching pods). NormalizeScore:
 *   `100 · (max + min − score) / max`, truncated; 100 for all when max is 0; ignored nodes 0.
 *
 * Selectors: a constraint without `labelSelector` matches no pod, not even the incoming one;
 * `labelSelector: {}` matches every pod but, as in kube 1.35 (countPodsMatchSelector returns 0
 * for an empty selector), counts none. `matchLabelKeys` adds `key=value` of the incoming pod's
 * labels for each listed key it carries (keys it lacks are ignored; with no selector, nothing).
 *
 * A pod without constraints of its own gets the default ones (`defaults.ts`: with kube's
 * `defaultingType: System`, hostname maxSkew 3 and zone maxSkew 5, ScheduleAnyway, selecting the
 * pods of its Services and controller); then PreScore ignores no node for a missing key (it
 * counts under the empty value).
 */
import type { Node } from "../../../model/node.js";
import type { Pod } from "../../../model/pod.js";
import type { TopologySpreadConstraint, WhenUnsatisfiable } from "../../../model/spread.js";
import { constraintsOf, DEFAULT_SPREAD_ARGS, type SpreadArgs } from "./defaults.js";
import { selectorMatches, type LabelSelector, type SelectorRequirement } from "../../../model/workload.js";
import { MAX_NODE_SCORE } from "../../framework/normalize.js";
import { SKIP, SUCCESS, unresolvable, unschedulable, type CycleState, type NodeInfo, type Plugin, type PodInfo, type PreFilterResult, type Status } from "../../framework/types.js";
import { requiredMatches } from "../nodeaffinity/index.js";
import { toleratedBy } from "../tainttoleration/index.js";

export const POD_TOPOLOGY_SPREAD = "PodTopologySpread";
export const SPREAD_REASON = "node(s) didn't match pod topology spread constraints";
export const SPREAD_LABEL_REASON = `${SPREAD_REASON} (missing required label)`;
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

/** A constraint as the plugin uses it: defaults applied, matchLabelKeys merged. */
export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: SpreadSelector;
  readonly minDomains: number;
  readonly honorAffinity: boolean;
  readonly honorTaints: boolean;
}

/**
 * kube's labels.Selector for a constraint: `nothing` for a nil selector (matches no pod);
 * `requirements` ANDed otherwise; with none it matches every pod but counts none (1.35's quirk).
 */
export interface SpreadSelector {
  readonly nothing: boolean;
  readonly selector: LabelSelector;
}

const NOTHING: SpreadSelector = { nothing: true, selector: { matchLabels: {}, matchExpressions: [] } };

export function spreadSelectorMatches(selector: SpreadSelector, labels: Readonly<Record<string, string>>): boolean {
  return !selector.nothing && selectorMatches(selector.selector, labels);
}

/** An empty selector (`{}`, nothing merged into it): it matches every pod but counts none (kube 1.35). */
export function isEmptySelector(selector: SpreadSelector): boolean {
  if (selector.nothing) return false;
  for (const _key in selector.selector.matchLabels) return false;
  return selector.selector.matchExpressions.length === 0;
}

/** The pod's own constraints of one kind (filterTopologySpreadConstraints), in their order. */
export function spreadConstraints(pod: Pick<Pod, "labels" | "topologySpreadConstraints">, action: WhenUnsatisfiable): SpreadConstraint[] {
  return toSpreadConstraints((pod.topologySpreadConstraints ?? []).filter((constraint) => constraint.whenUnsatisfiable === action), pod.labels);
}

/**
 * The constraints the plugin uses for `action` (the pod's own, or the defaults with its
 * DefaultSelector) and whether a node must have every key to count (`requireAllTopologies`).
 */
export function resolvedConstraints(pod: Pod, action: WhenUnsatisfiable, args: SpreadArgs, selector: (() => LabelSelector | undefined) | undefined): { constraints: SpreadConstraint[]; requireAll: boolean } {
  const { constraints, requireAllTopologies } = constraintsOf(pod, action, args, selector);
  return { constraints: toSpreadConstraints(constraints, pod.labels), requireAll: requireAllTopologies };
}

function toSpreadConstraints(list: readonly TopologySpreadConstraint[], labels: Readonly<Record<string, string>>): SpreadConstraint[] {
  const result: SpreadConstraint[] = [];
  for (const constraint of list) {
    result.push({
      maxSkew: constraint.maxSkew,
      topologyKey: constraint.topologyKey,
      selector: selectorOf(constraint, labels),
      minDomains: constraint.minDomains ?? 1,
      honorAffinity: (constraint.nodeAffinityPolicy ?? "Honor") === "Honor",
      honorTaints: (constraint.nodeTaintsPolicy ?? "Ignore") === "Honor",
    });
  }
  return result;
}

function selectorOf(constraint: TopologySpreadConstraint, podLabels: Readonly<Record<string, string>>): SpreadSelector {
  const written = constraint.labelSelector;
  if (written === undefined) return NOTHING;
  const picked: Record<string, string> = {};
  let any = false;
  for (const key of constraint.matchLabelKeys) {
    if (Object.hasOwn(podLabels, key)) {
      picked[key] = podLabels[key] as string;
      any = true;
    }
  }
  if (!any) return { nothing: false, selector: written };
  // mergeLabelSetWithSelector: the pod's key=value pairs ANDed with the written requirements.
  const fromLabels: SelectorRequirement[] = Object.entries(written.matchLabels).map(([key, value]) => ({ key, operator: "In", values: [value] }));
  return { nothing: false, selector: { matchLabels: picked, matchExpressions: [...fromLabels, ...written.matchExpressions] } };
}

/** Whether the node has every constraint's topology key (nodeLabelsMatchSpreadConstraints). */
export function hasAllKeys(labels: Readonly<Record<string, string>>, constraints: readonly SpreadConstraint[]): boolean {
  for (const constraint of constraints) if (!Object.hasOwn(labels, constraint.topologyKey)) return false;
  return true;
}

/** matchNodeInclusionPolicies: whether the node's pods count for this constraint. */
export function includesNode(constraint: SpreadConstraint, pod: Pod, node: Node): boolean {
  if (constraint.honorAffinity && !requiredMatches(pod, node)) return false;
  if (constraint.honorTaints) {
    for (const taint of node.taints) if (taint.effect !== "PreferNoSchedule" && !toleratedBy(taint, pod.tolerations)) return false;
  }
  return true;
}

/** countPodsMatchSelector: the node's non-terminating pods in `namespace` matching the selector. */
export function countMatching(pods: readonly PodInfo[] | undefined, selector: SpreadSelector, namespace: string): number {
  if (pods === undefined || selector.nothing || isEmptySelector(selector)) return 0;
  let count = 0;
  for (const { pod, terminating } of pods) {
    if (!terminating && pod.namespace === namespace && selectorMatches(selector.selector, pod.labels)) count++;
  }
  return count;
}

/** PreFilter's state: per constraint, the matching pods per eligible domain and their minimum. */
export interface SpreadFilterState {
  readonly constraints: readonly SpreadConstraint[];
  readonly counts: readonly ReadonlyMap<string, number>[];
}

/**
 * The counts PreFilter builds, from every node (the naive way: a pass over every pod). The fast
 * engine keeps the same counts incrementally and hands them in instead (`SpreadCounts`). With
 * `requireAll` false (System defaults, in PreScore) a node missing a key is not left out: it
 * counts under the empty value.
 */
export function countDomains(pod: Pod, constraints: readonly SpreadConstraint[], nodes: readonly NodeInfo[], requireAll = true): Map<string, number>[] {
  const counts = constraints.map(() => new Map<string, number>());
  for (const info of nodes) {
    const labels = info.node.labels;
    if (requireAll && !hasAllKeys(labels, constraints)) continue;
    constraints.forEach((constraint, index) => {
      if (!includesNode(constraint, pod, info.node)) return;
      const domain = labels[constraint.topologyKey] ?? "";
      const map = counts[index] as Map<string, number>;
      map.set(domain, (map.get(domain) ?? 0) + countMatching(info.pods, constraint.selector, pod.namespace));
    });
  }
  return counts;
}

/** The lowest count over the domains, or 0 while there are fewer than `minDomains` (minMatchNum). */
export function minimumCount(counts: ReadonlyMap<string, number>, minDomains: number): number {
  if (counts.size < minDomains) return 0;
  let minimum = Number.MAX_SAFE_INTEGER;
  for (const count of counts.values()) if (count < minimum) minimum = count;
  return minimum;
}

interface FilterCycle {
  readonly constraints: readonly SpreadConstraint[];
  readonly counts: readonly ReadonlyMap<string, number>[];
  readonly minimums: readonly number[];
  readonly selfMatches: readonly number[];
}

interface ScoreCycle {
  readonly constraints: readonly SpreadConstraint[];
  readonly ignored: ReadonlySet<string>;
  /** Per constraint: domain → count (empty for the hostname key, counted per node in Score). */
  readonly counts: readonly ReadonlyMap<string, number>[];
  readonly weights: readonly number[];
}

/**
 * Where a cycle's counts come from: by default a pass over the cycle's nodes; an engine that keeps
 * them incrementally passes its own (it must give `countDomains`'s answer).
 */
export type DomainCounter = (pod: Pod, constraints: readonly SpreadConstraint[], nodes: () => readonly NodeInfo[], requireAll: boolean) => Map<string, number>[];

const naiveCounter: DomainCounter = (pod, constraints, nodes, requireAll) => countDomains(pod, constraints, nodes(), requireAll);

// Per-cycle state, by cycle (kube's CycleState store): the plugin itself keeps nothing between cycles.
const filterStates = new WeakMap<CycleState, FilterCycle>();
const scoreStates = new WeakMap<CycleState, ScoreCycle>();
const counters = new WeakMap<CycleState, DomainCounter>();

/** Hands a cycle the engine's own domain counts (the fast engine's incremental ones). */
export function useDomainCounter(cycle: CycleState, counter: DomainCounter): void {
  counters.set(cycle, counter);
}

/** The PreFilter state of a cycle, for explanations and tests. */
export function spreadFilterState(cycle: CycleState): SpreadFilterState | undefined {
  return filterStates.get(cycle);
}

export function newPodTopologySpread(args: SpreadArgs = DEFAULT_SPREAD_ARGS): Plugin {
  return {
    name: POD_TOPOLOGY_SPREAD,

    preFilter(cycle: CycleState): PreFilterResult {
      const { constraints } = resolvedConstraints(cycle.pod, "DoNotSchedule", args, cycle.defaultSpreadSelector);
      if (constraints.length === 0) return SKIP;
      const counter = counters.get(cycle) ?? naiveCounter;
      const counts = counter(cycle.pod, constraints, cycle.allNodeInfos ?? (() => []), true);
      filterStates.set(cycle, {
        constraints,
        counts,
        minimums: constraints.map((constraint, index) => minimumCount(counts[index] as Map<string, number>, constraint.minDomains)),
        selfMatches: constraints.map((constraint) => (spreadSelectorMatches(constraint.selector, cycle.pod.labels) ? 1 : 0)),
      });
      return SUCCESS;
    },

    filter(cycle: CycleState, info: NodeInfo): Status {
      const state = filterStates.get(cycle);
      if (state === undefined) return { code: "Error", reasons: [`reading "PreFilter${POD_TOPOLOGY_SPREAD}" from cycleState: not found`] };
      const labels = info.node.labels;
      for (let index = 0; index < state.constraints.length; index++) {
        const constraint = state.constraints[index] as SpreadConstraint;
        const domain = labels[constraint.topologyKey];
        if (domain === undefined) return unresolvable(SPREAD_LABEL_REASON);
        const matching = (state.counts[index] as ReadonlyMap<string, number>).get(domain) ?? 0;
        const skew = matching + (state.selfMatches[index] as number) - (state.minimums[index] as number);
        if (skew > constraint.maxSkew) return unschedulable(SPREAD_REASON);
      }
      return SUCCESS;
    },

    preScore(cycle: CycleState, feasible: readonly NodeInfo[]): Status {
      const { constraints, requireAll } = resolvedConstraints(cycle.pod, "ScheduleAnyway", args, cycle.defaultSpreadSelector);
      if (constraints.length === 0) return SKIP;
      if (cycle.allNodes === 0) return SKIP;
      const all = (): readonly NodeInfo[] => cycle.allNodeInfos?.() ?? feasible;
      const ignored = new Set<string>();
      const counts = constraints.map(() => new Map<string, number>());
      for (const info of feasible) {
        if (requireAll && !hasAllKeys(info.node.labels, constraints)) {
          ignored.add(info.node.name);
          continue;
        }
        constraints.forEach((constraint, index) => {
          if (constraint.topologyKey !== HOSTNAME_LABEL) (counts[index] as Map<string, number>).set(info.node.labels[constraint.topologyKey] ?? "", 0);
        });
      }
      const weights = constraints.map((constraint, index) => {
        const size = constraint.topologyKey === HOSTNAME_LABEL ? feasible.length - ignored.size : (counts[index] as Map<string, number>).size;
        return Math.log(size + 2);
      });
      // Counted over all nodes (those with every key, by each constraint's inclusion policies), for
      // the domains of the feasible nodes only.
      const totals = (counters.get(cycle) ?? naiveCounter)(cycle.pod, constraints, all, requireAll);
      counts.forEach((map, index) => {
        const total = totals[index] as ReadonlyMap<string, number>;
        for (const domain of map.keys()) map.set(domain, total.get(domain) ?? 0);
      });
      scoreStates.set(cycle, { constraints, ignored, counts, weights });
      return SUCCESS;
    },

    score(cycle: CycleState, info: NodeInfo): number {
      const state = scoreStates.get(cycle);
      if (state === undefined || state.ignored.has(info.node.name)) return 0;
      let score = 0;
      state.constraints.forEach((constraint, index) => {
        const domain = info.node.labels[constraint.topologyKey];
        if (domain === undefined) return;
        const count = constraint.topologyKey === HOSTNAME_LABEL
          ? countMatching(info.pods, constraint.selector, cycle.pod.namespace)
          : ((state.counts[index] as ReadonlyMap<string, number>).get(domain) ?? 0);
        score += count * (state.weights[index] as number) + (constraint.maxSkew - 1);
      });
      return Math.round(score);
    },

    normalizeScore(cycle: CycleState, nodes: readonly NodeInfo[], scores: number[]): void {
      const ignored = scoreStates.get(cycle)?.ignored ?? new Set<string>();
      let minimum = Number.MAX_SAFE_INTEGER;
      let maximum = 0;
      nodes.forEach((info, index) => {
        if (ignored.has(info.node.name)) return;
        const score = scores[index] as number;
        if (score < minimum) minimum = score;
        if (score > maximum) maximum = score;
      });
      nodes.forEach((info, index) => {
        if (ignored.has(info.node.name)) scores[index] = 0;
        else if (maximum === 0) scores[index] = MAX_NODE_SCORE;
        else scores[index] = Math.trunc((MAX_NODE_SCORE * (maximum + minimum - (scores[index] as number))) / maximum);
      });
    },
  };
}
