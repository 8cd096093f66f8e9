/**
 * One scheduling cycle under a profile (schedule_one.go, v1.35):
 *
 * 1. PreFilter. A rejection refuses every node with its reasons; Skip drops that plugin's Filter.
 * 2. Filter, walking the nodes in kube's order (the node tree) from `startIndex`, round-robin,
 *    and stopping once `numFeasibleNodesToFind` feasible nodes are found; on each node the
 *    filters run in order and the first that refuses is the node's verdict. The next cycle
 *    starts where this one stopped: (start + nodes processed) mod all nodes.
 *    A filter that returns an Error status ends the cycle with that error.
 * 3. No feasible node: kube's FailedScheduling message. Exactly one: it wins without scoring.
 * 4. PreScore (Skip drops that plugin's Score), Score, NormalizeScore, Σ score × weight.
 * 5. The highest total wins; ties go to the node with the lowest hash(seed, pod, node).
 *
 * Pure: it reads a snapshot and returns the decision with everything an explanation needs.
 */
import { fitErrorMessage, NO_NODES_AVAILABLE } from "../message.js";
import { numFeasibleNodesToFind } from "./sampling.js";
import { MAX_NODE_SCORE } from "./normalize.js";
import { nodeTieHash, tieBreakPrefix, tieBreakRankOf } from "./tiebreak.js";
import { isFilter, type CycleState, type FilterPlugin, type NodeInfo, type Profile, type Status } from "./types.js";

export interface FilterVerdict {
  readonly node: string;
  readonly status: Status;
  /** The plugin that refused the node, if one did. */
  readonly plugin?: string;
}

export interface NodeScore {
  readonly node: string;
  /** Each score plugin's score for the node, after normalization, before weighting. */
  readonly scores: Readonly<Record<string, number>>;
  readonly total: number;
}

export interface CycleResult {
  /** The chosen node, or undefined when none is feasible. */
  readonly selected?: string;
  /** FailedScheduling message when no node is feasible. */
  readonly message?: string;
  /** The plugins that refused nodes (they decide which cluster events requeue the pod). */
  readonly rejectingPlugins: readonly string[];
  /** Every node filtered, in the order visited. */
  readonly verdicts: readonly FilterVerdict[];
  /** Feasible nodes with their scores (empty when one node was feasible: kube skips scoring). */
  readonly scores: readonly NodeScore[];
  readonly nextStartIndex: number;
  /** Whether the cycle ended in an error rather than a verdict (no nodes at all, or a plugin's error). */
  readonly error: boolean;
}

export interface CycleInput {
  readonly profile: Profile;
  readonly cycle: CycleState;
  /** Every node, in kube's order (the node tree). */
  readonly nodes: readonly NodeInfo[];
  readonly startIndex: number;
  readonly seed: number;
  /**
   * The node as the pod's filters see it with the pods nominated there of equal or higher
   * priority (kube's addGENominatedPods), or undefined when there are none: absent, none anywhere.
   */
  readonly nominated?: (node: NodeInfo) => NodeInfo | undefined;
  /** The cycle with a node's nominated pods counted, for the first pass (`filterWithNominated`). */
  readonly recount?: NominatedRecount;
}

/**
 * kube's RunPreFilterExtensionAddPod for the pods nominated to a node: given the node with them
 * added, the cycle (and its filters) with them counted by the plugins whose PreFilter state counts
 * pods (PodTopologySpread, InterPodAffinity); undefined when no such state exists.
 */
export type NominatedRecount = (withNominated: NodeInfo) => { readonly cycle: CycleState; readonly filters: readonly FilterPlugin[] } | undefined;

/**
 * RunFilterPluginsWithNominatedPods: the filters on the node with the equal-or-higher-priority
 * pods nominated there added (and counted by PreFilter's AddPod extensions: `recount`), then, if
 * that passed, on the node as it is — both must pass (so an affinity to a nominated pod does not
 * count, and room held for it is not taken).
 */
export function filterWithNominated(filters: readonly FilterPlugin[], cycle: CycleState, node: NodeInfo, nominated: ((node: NodeInfo) => NodeInfo | undefined) | undefined, recount?: NominatedRecount): FilterVerdict {
  const withNominated = nominated?.(node);
  if (withNominated === undefined) return filterNode(filters, cycle, node);
  const counted = recount?.(withNominated);
  const first = filterNode(counted?.filters ?? filters, counted?.cycle ?? cycle, withNominated);
  return first.plugin !== undefined ? first : filterNode(filters, cycle, node);
}

export function runCycle(input: CycleInput): CycleResult {
  const { profile, cycle, nodes, startIndex, seed } = input;
  const allNodes = nodes.length;
  if (allNodes === 0) {
    return { message: NO_NODES_AVAILABLE, rejectingPlugins: [], verdicts: [], scores: [], nextStartIndex: startIndex, error: true };
  }

  const preFiltered = runPreFilter(profile, cycle);
  if ("rejectedBy" in preFiltered) {
    const verdicts = nodes.map((node) => ({ node: node.node.name, status: preFiltered.status, plugin: preFiltered.rejectedBy }));
    return refuse(allNodes, verdicts, startIndex);
  }
  const filters = preFiltered.filters;
  const { candidates, absent } = narrow(nodes, preFiltered);

  // Filter, round-robin from startIndex, until enough feasible nodes are found.
  // kube (findNodesThatPassFilters): with no Score plugin to rank them, one feasible node is enough.
  const candidateCount = candidates.length;
  const wanted = profile.hasScorePlugins ? numFeasibleNodesToFind(candidateCount, profile.percentageOfNodesToScore) : 1;
  const verdicts: FilterVerdict[] = [...absent];
  const feasible: NodeInfo[] = [];
  let processed = 0;
  for (let offset = 0; offset < candidateCount && feasible.length < wanted; offset++) {
    const node = candidates[(startIndex + offset) % candidateCount] as NodeInfo;
    processed += 1;
    const verdict = filterWithNominated(filters, cycle, node, input.nominated, input.recount);
    verdicts.push(verdict);
    // A filter's error ends the cycle (findNodesThatPassFilters cancels the other nodes); the
    // sampling start stays where it was.
    if (verdict.status.code === "Error") return cycleError(`running ${JSON.stringify(verdict.plugin)} filter plugin: ${verdict.status.reasons.join(", ")}`, verdicts, startIndex);
    if (verdict.plugin === undefined) feasible.push(node);
  }
  const nextStartIndex = (startIndex + processed) % allNodes;
  if (feasible.length === 0) return refuse(allNodes, verdicts, nextStartIndex);
  if (feasible.length === 1) {
    return { selected: (feasible[0] as NodeInfo).node.name, rejectingPlugins: [], verdicts, scores: [], nextStartIndex, error: false };
  }
  // Scoring runs only for two feasible nodes or more; a score plugin without its PreScore state fails it.
  if (profile.scoreError !== undefined) return cycleError(profile.scoreError, verdicts, nextStartIndex);

  const host = selectHost(profile, cycle, feasible, seed);
  if (host.error !== undefined) return cycleError(host.error, verdicts, nextStartIndex);
  return { selected: host.selected, rejectingPlugins: [], verdicts, scores: host.scores, nextStartIndex, error: false };
}

/**
 * PreScore, Score, NormalizeScore and weights over two or more feasible nodes; the best total
 * wins, ties by hash. The per-node breakdown (for explanations) is built only when asked.
 */
export function selectHost(profile: Profile, cycle: CycleState, feasible: readonly NodeInfo[], seed: number, withScores = true): { selected: string; scores: NodeScore[]; error?: string } {
  const skippedScores = new Set<string>();
  for (const plugin of profile.preScore) {
    if (plugin.preScore(cycle, feasible).code === "Skip") skippedScores.add(plugin.name);
  }
  const perPlugin: Record<string, number[]> = {};
  const totals = new Array<number>(feasible.length).fill(0);
  for (const { plugin, weight } of profile.score) {
    if (skippedScores.has(plugin.name)) continue;
    const scores = new Array<number>(feasible.length);
    for (let index = 0; index < feasible.length; index++) scores[index] = plugin.score(cycle, feasible[index] as NodeInfo);
    plugin.normalizeScore?.(cycle, feasible, scores);
    // kube checks every score after NormalizeScore (runtime/framework.go RunScorePlugins); one out
    // of [0, 100] fails the cycle. In-tree plugins never get there; a user's plugin may.
    if (profile.outOfTree !== undefined) for (const score of scores) {
      if (score < 0 || score > MAX_NODE_SCORE) {
        return { selected: "", scores: [], error: `applying score defaultWeights on Score plugins: plugin ${JSON.stringify(plugin.name)} returns an invalid score ${score}, it should in the range of [0, ${MAX_NODE_SCORE}] after normalizing` };
      }
    }
    perPlugin[plugin.name] = scores;
    for (let index = 0; index < feasible.length; index++) totals[index] = (totals[index] as number) + (scores[index] as number) * weight;
  }
  let best = 0;
  const rankPrefix = tieBreakPrefix(seed, cycle.podKey);
  let bestRank = tieBreakRankOf(rankPrefix, nodeTieHash((feasible[0] as NodeInfo).node.name));
  for (let index = 1; index < feasible.length; index++) {
    const total = totals[index] as number;
    const bestTotal = totals[best] as number;
    if (total < bestTotal) continue;
    const rank = tieBreakRankOf(rankPrefix, nodeTieHash((feasible[index] as NodeInfo).node.name));
    if (total > bestTotal || rank < bestRank) {
      best = index;
      bestRank = rank;
    }
  }
  const scores: NodeScore[] = !withScores ? [] : feasible.map((node, index) => ({
    node: node.node.name,
    scores: Object.fromEntries(Object.entries(perPlugin).map(([name, list]) => [name, list[index] as number])),
    total: totals[index] as number,
  }));
  return { selected: (feasible[best] as NodeInfo).node.name, scores };
}

export interface PreFiltered {
  readonly filters: FilterPlugin[];
  /** The nodes PreFilter narrowed the cycle to (intersected across plugins), if any did. */
  readonly nodeNames?: ReadonlySet<string>;
  /** The plugins that narrowed it. */
  readonly narrowedBy: readonly string[];
}

/** PreFilter: the filters that apply to this pod (Skip drops one) and the nodes worth filtering, or the plugin that rejects it outright. */
export function runPreFilter(profile: Profile, cycle: CycleState): PreFiltered | { rejectedBy: string; status: Status } {
  const skipped = new Set<string>();
  let nodeNames: Set<string> | undefined;
  const narrowedBy: string[] = [];
  for (const plugin of profile.preFilter) {
    const result = plugin.preFilter(cycle);
    if (result.code === "Skip") skipped.add(plugin.name);
    else if (result.code !== "Success") return { rejectedBy: plugin.name, status: result };
    else if (result.nodeNames !== undefined) {
      narrowedBy.push(plugin.name);
      nodeNames = nodeNames === undefined ? new Set(result.nodeNames) : new Set([...nodeNames].filter((name) => result.nodeNames?.has(name)));
    }
  }
  return {
    filters: profile.filter.filter((plugin) => isFilter(plugin) && !skipped.has(plugin.name)),
    ...(nodeNames !== undefined ? { nodeNames } : {}),
    narrowedBy,
  };
}

/**
 * The nodes to filter, and verdicts for the nodes PreFilter left out:
 * "node(s) didn't satisfy plugin(s) [NodeAffinity]" (Go's %v of the plugin names).
 */
export function narrow(nodes: readonly NodeInfo[], preFiltered: PreFiltered): { candidates: NodeInfo[]; absent: FilterVerdict[] } {
  const names = preFiltered.nodeNames;
  if (names === undefined) return { candidates: [...nodes], absent: [] };
  const status: Status = { code: "UnschedulableAndUnresolvable", reasons: [`node(s) didn't satisfy plugin(s) [${[...preFiltered.narrowedBy].sort().join(" ")}]`] };
  const plugin = preFiltered.narrowedBy.join(",");
  return {
    candidates: nodes.filter((node) => names.has(node.node.name)),
    absent: nodes.filter((node) => !names.has(node.node.name)).map((node) => ({ node: node.node.name, status, plugin })),
  };
}

/** The filters on one node, in order; the first that refuses gives the verdict. */
export function filterNode(filters: readonly FilterPlugin[], cycle: CycleState, node: NodeInfo): FilterVerdict {
  for (const plugin of filters) {
    const status = plugin.filter(cycle, node);
    if (status.code !== "Success") return { node: node.node.name, status, plugin: plugin.name };
  }
  return { node: node.node.name, status: { code: "Success", reasons: [] } };
}

/**
 * A cycle that ended in an error, not a verdict: kube's FailedScheduling message is the error
 * itself, no preemption runs, and the pod backs off (no rejecting plugin: the reducer sends it to
 * the backoff queue, not the unschedulable pool).
 */
function cycleError(message: string, verdicts: readonly FilterVerdict[], nextStartIndex: number): CycleResult {
  return { message, rejectingPlugins: [], verdicts, scores: [], nextStartIndex, error: true };
}

/** The FailedScheduling outcome for nodes that all refused. */
export function refuse(allNodes: number, verdicts: readonly FilterVerdict[], nextStartIndex: number): CycleResult {
  const reasons = new Map<string, readonly string[]>(verdicts.map((verdict) => [verdict.node, verdict.status.reasons]));
  const plugins = [...new Set(verdicts.flatMap((verdict) => (verdict.plugin === undefined ? [] : [verdict.plugin])))].sort();
  return { message: fitErrorMessage(allNodes, reasons), rejectingPlugins: plugins, verdicts, scores: [], nextStartIndex, error: false };
}
