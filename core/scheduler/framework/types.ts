/**
 * The scheduling framework's extension points (kube-scheduler's framework/interface.go, v1.35),
 * narrowed to what Timoneiro simulates. A scheduling cycle for one pod runs:
 *
 *   PreFilter → Filter (each node, until enough feasible nodes are found) → [PostFilter]
 *   → PreScore → Score → NormalizeScore → weighted sum → the highest total wins
 *   → Reserve → Bind (the engine's PodBound event)
 *
 * Plugins are plain objects with a `name` and the methods of the points they implement; they keep
 * no state between cycles. Per-pod precomputation lives in a typed `CycleState`, per-node facts in
 * a `NodeInfo`; both are built fresh for each cycle from the cluster state.
 */
import type { Node } from "../../model/node.js";
import type { Pod, PodKey } from "../../model/pod.js";
import type { ResourceList } from "../../model/resources.js";
import type { LabelSelector } from "../../model/workload.js";

/** A plugin's verdict (kube's `Code`). */
export type StatusCode = "Success" | "Unschedulable" | "UnschedulableAndUnresolvable" | "Skip" | "Error";

export interface Status {
  readonly code: StatusCode;
  /** Constant reason strings, e.g. "Insufficient cpu"; a node may fail for several. */
  readonly reasons: readonly string[];
}

export const SUCCESS: Status = { code: "Success", reasons: [] };
export const SKIP: Status = { code: "Skip", reasons: [] };

export function unschedulable(...reasons: string[]): Status {
  return { code: "Unschedulable", reasons };
}

export function unresolvable(...reasons: string[]): Status {
  return { code: "UnschedulableAndUnresolvable", reasons };
}

/** A host port a container opens on its node. */
export interface HostPort {
  readonly ip: string;
  readonly protocol: string;
  readonly port: number;
}

/** A pod on a node as plugins that count pods see it (PodTopologySpread). */
export interface PodInfo {
  readonly pod: Pod;
  /** Deleted and in its grace period (`metadata.deletionTimestamp` set): spreading ignores it. */
  readonly terminating: boolean;
  /** The GPU cards it holds (`PodBound.gpus`), when it was bound to cards. */
  readonly gpus?: readonly number[];
}

/** What the plugins know about one node during a cycle (kube's NodeInfo). */
export interface NodeInfo {
  readonly node: Node;
  /** Σ requests of the pods holding resources here. */
  readonly requested: ResourceList;
  /** The same with kube's non-zero defaults for scoring: 100m cpu, 200Mi memory per container without a request. */
  readonly nonZeroRequested: { readonly cpu: number; readonly memory: number };
  readonly podCount: number;
  /** Host ports used by the pods here. */
  readonly usedPorts: readonly HostPort[];
  /** The pods holding resources here (absent in hand-built NodeInfos: none). */
  readonly pods?: readonly PodInfo[];
}

/** Per-pod facts computed once per cycle (kube's CycleState, typed). */
export interface CycleState {
  readonly podKey: PodKey;
  readonly pod: Pod;
  /** The pod's request as the node counts it (requests, or limits with `fitBy: limits`). */
  readonly request: ResourceList;
  /** The pod's request with the non-zero defaults, for NodeResourcesFit's scoring. */
  readonly nonZeroRequest: ResourceList;
  /** Host ports the pod wants. */
  readonly hostPorts: readonly HostPort[];
  /** How many nodes the cluster has (ImageLocality spreads image scores by it). */
  readonly allNodes: number;
  /** How many nodes list each image (ImageLocality). */
  readonly imageNodeCounts: ReadonlyMap<string, number>;
  /**
   * Every node in kube's order, for plugins whose PreFilter and PreScore look across the cluster
   * (PodTopologySpread counts pods per topology domain); absent in hand-built cycles: none.
   */
  readonly allNodeInfos?: () => readonly NodeInfo[];
  /**
   * The pod's DefaultSelector (its Services' and controller's selectors) for PodTopologySpread's
   * default constraints, computed when asked; absent in hand-built cycles: none.
   */
  readonly defaultSpreadSelector?: () => LabelSelector | undefined;
  /**
   * The labels of the cluster's Namespace objects by name (InterPodAffinity's namespaceSelector);
   * absent in hand-built cycles: no Namespace object.
   */
  readonly namespaces?: () => ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/** A PreFilter verdict; `nodeNames` narrows the cycle to those nodes (kube's PreFilterResult). */
export interface PreFilterResult extends Status {
  readonly nodeNames?: ReadonlySet<string>;
}

/**
 * Runs before filtering; may reject the pod outright (then every node is refused with its
 * reasons), Skip its Filter, or narrow the nodes worth filtering (the others are refused with
 * "node(s) didn't satisfy plugin(s) [Name]").
 */
export interface PreFilterPlugin {
  readonly name: string;
  preFilter(cycle: CycleState): PreFilterResult;
}

/** Whether the pod may run on this node. Must not depend on other nodes. */
export interface FilterPlugin {
  readonly name: string;
  filter(cycle: CycleState, node: NodeInfo): Status;
}

/** Runs once before scoring with the feasible nodes; Skip means this plugin's Score does not run. */
export interface PreScorePlugin {
  readonly name: string;
  preScore(cycle: CycleState, nodes: readonly NodeInfo[]): Status;
}

/**
 * Scores a feasible node. Scores are integers; after `normalizeScore` (if any) they must lie in
 * [0, 100]. The profile multiplies each by the plugin's weight and sums them.
 */
export interface ScorePlugin {
  readonly name: string;
  score(cycle: CycleState, node: NodeInfo): number;
  /** Rescales the scores of all feasible nodes in place (same order as `nodes`). */
  normalizeScore?(cycle: CycleState, nodes: readonly NodeInfo[], scores: number[]): void;
}

/**
 * Runs when no node is feasible, with every node's verdict; may nominate a node by evicting
 * lower-priority pods (DefaultPreemption). No PostFilter plugin is simulated yet: a pod no node
 * accepts stays unschedulable.
 */
export interface PostFilterPlugin {
  readonly name: string;
  postFilter(cycle: CycleState, verdicts: ReadonlyMap<string, Status>): { readonly status: Status; readonly nominatedNode?: string };
}

/**
 * Binds the pod to the chosen node. In Timoneiro binding is the `PodBound` event the engine
 * emits, which the reducer refuses if the pod does not fit (a scheduler bug); DefaultBinder is the
 * only binder, so no Bind plugin object is needed.
 */
export interface BindPlugin {
  readonly name: string;
  bind(cycle: CycleState, node: string): Status;
}

/** Any plugin: the points it implements are the methods it has. */
/** What Reserve decided for the chosen node: the GPU cards the pod takes there (Open-Gpu-Share), by device number. */
export interface ReserveResult {
  readonly gpus?: readonly number[];
}

/**
 * Runs once a node is chosen, before binding (kube's Reserve): claims what the node gives the pod
 * beyond its resource sums — the GPU cards, which the engine writes into `PodBound.gpus`. The
 * node's resources themselves are taken by the PodBound event; binding never fails afterwards,
 * so nothing is unreserved.
 */
export interface ReservePlugin {
  readonly name: string;
  reserve(cycle: CycleState, node: NodeInfo): ReserveResult;
}

export type Plugin = { readonly name: string } & Partial<PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & ReservePlugin>;

export function isPreFilter(plugin: Plugin): plugin is PreFilterPlugin {
  return typeof plugin.preFilter === "function";
}
export function isFilter(plugin: Plugin): plugin is FilterPlugin {
  return typeof plugin.filter === "function";
}
export function isPreScore(plugin: Plugin): plugin is PreScorePlugin {
  return typeof plugin.preScore === "function";
}
export function isReserve(plugin: Plugin): plugin is ReservePlugin {
  return typeof plugin.reserve === "function";
}
export function isScore(plugin: Plugin): plugin is ScorePlugin {
  return typeof plugin.score === "function";
}

/** A profile after configuration: its plugins at each point, in order, and score weights. */
export interface Profile {
  readonly schedulerName: string;
  readonly preFilter: readonly PreFilterPlugin[];
  readonly filter: readonly FilterPlugin[];
  readonly preScore: readonly PreScorePlugin[];
  readonly score: readonly { readonly plugin: ScorePlugin; readonly weight: number }[];
  /** Whether kube's profile has any Score plugin, simulated or not (kube's `hasScoring`); without one it takes the first feasible node. */
  readonly hasScorePlugins: boolean;
  /** The profile's or the configuration's; 0 means kube's adaptive percentage. */
  readonly percentageOfNodesToScore: number;
  /** Default plugins accepted but not simulated (volumes, DRA, inter-pod affinity …), for explanations. */
  readonly notSimulated: readonly string[];
  /**
   * Plugins enabled at filter (score) without their preFilter (preScore) whose kube code then
   * fails for want of that point's state: their Filter returns an Error status, and `scoreError`
   * is the error of a cycle that scores. Empty for every profile kube's defaults build.
   */
  readonly missingState: readonly string[];
  /** kube's error for every cycle that reaches Score, when a score plugin lacks its PreScore state. */
  readonly scoreError?: string;
  /**
   * Set when PodTopologySpread filters with default constraints (`defaultingType: List` with a
   * DoNotSchedule one): a pod's verdicts then depend on where other pods are even without
   * constraints of its own.
   */
  readonly hardDefaultSpreading?: true;
  /** Reserve plugins that claim something (Open-Gpu-Share's GPU cards); absent: none. */
  readonly reserve?: readonly ReservePlugin[];
  /** DefaultPreemption's arguments when it runs at postFilter (kube's default profile: 10%, 100). */
  readonly preemption?: { readonly minCandidateNodesPercentage: number; readonly minCandidateNodesAbsolute: number };
  /**
   * The user's out-of-tree plugins the profile runs (config/out-of-tree.ts). Their verdicts may
   * read anything of the pod and the node, so no engine caches a failure for a pod alike.
   */
  readonly outOfTree?: readonly string[];
}
