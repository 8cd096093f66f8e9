/**
 * kube-scheduler v1.35's in-tree plugins as kube defines them: the registry
 * (pkg/scheduler/framework/plugins/registry.go, NewInTreeRegistry) and, for each plugin, every
 * extension point it implements — the `var _ fwk.XPlugin = &T{}` lines of its source — whether
 * Timoneiro simulates it or not.
 *
 * This is data taken from kube, not read from our plugin objects: which configurations are
 * accepted must not change when our implementation of a plugin changes shape (a speed-up once
 * removed two methods from our NodeResourcesFit, and valid configurations started to be refused).
 *
 * Two more facts per plugin come from the same sources: what its Filter does when its PreFilter
 * did not run (the profile enables it at filter but not at preFilter) and what its Score does
 * without its PreScore. Most plugins recompute what they need; three read their cycle state and
 * fail with an error, which kube reports for every pod whose cycle reaches them (the profile is
 * accepted all the same).
 */
import type { ExtensionPoint } from "./plugins.js";

export interface InTreePlugin {
  /** Every extension point the plugin implements (EnqueueExtensions, NormalizeScore, SignPlugin are not points a profile names). */
  readonly points: readonly ExtensionPoint[];
  /** Its source file, under pkg/scheduler/framework/plugins/. */
  readonly source: string;
  /** The error its Filter returns without its PreFilter's state (fwk.ErrNotFound wrapped), if it does not recompute it. */
  readonly filterWithoutPreFilter?: string;
  /** The error its Score returns without its PreScore's state, if it does not recompute it. */
  readonly scoreWithoutPreScore?: string;
  /** An alpha feature gate, off by default in v1.35, that the plugin does nothing without. */
  readonly gate?: string;
}

/** kube's framework interface for each point, as its error messages name them (runtime/framework.go updatePluginList). */
export const POINT_INTERFACES: Readonly<Record<ExtensionPoint, string>> = {
  preEnqueue: "PreEnqueuePlugin",
  queueSort: "QueueSortPlugin",
  preFilter: "PreFilterPlugin",
  filter: "FilterPlugin",
  postFilter: "PostFilterPlugin",
  preScore: "PreScorePlugin",
  score: "ScorePlugin",
  reserve: "ReservePlugin",
  permit: "PermitPlugin",
  preBind: "PreBindPlugin",
  bind: "BindPlugin",
  postBind: "PostBindPlugin",
};

/** The v1.35 registry: one row per plugin. No in-tree plugin implements PostBind. */
export const IN_TREE_PLUGINS: Readonly<Record<string, InTreePlugin>> = {
  PrioritySort: { points: ["queueSort"], source: "queuesort/priority_sort.go" },
  SchedulingGates: { points: ["preEnqueue"], source: "schedulinggates/scheduling_gates.go" },
  NodeUnschedulable: { points: ["filter"], source: "nodeunschedulable/node_unschedulable.go" },
  NodeName: { points: ["filter"], source: "nodename/node_name.go" },
  TaintToleration: {
    points: ["filter", "preScore", "score"],
    source: "tainttoleration/taint_toleration.go",
    scoreWithoutPreScore: 'failed to read "PreScoreTaintToleration" from cycleState: not found',
  },
  NodeAffinity: { points: ["preFilter", "filter", "preScore", "score"], source: "nodeaffinity/node_affinity.go" },
  NodePorts: {
    points: ["preFilter", "filter"],
    source: "nodeports/node_ports.go",
    filterWithoutPreFilter: 'reading "PreFilterNodePorts" from cycleState: not found',
  },
  NodeResourcesFit: {
    points: ["preFilter", "filter", "preScore", "score"],
    source: "noderesources/fit.go",
    filterWithoutPreFilter: 'error reading "PreFilterNodeResourcesFit" from cycleState: not found',
  },
  NodeResourcesBalancedAllocation: { points: ["preScore", "score"], source: "noderesources/balanced_allocation.go" },
  ImageLocality: { points: ["score"], source: "imagelocality/image_locality.go" },
  VolumeRestrictions: { points: ["preFilter", "filter"], source: "volumerestrictions/volume_restrictions.go" },
  NodeVolumeLimits: { points: ["preFilter", "filter"], source: "nodevolumelimits/csi.go" },
  VolumeBinding: { points: ["preFilter", "filter", "preScore", "score", "reserve", "preBind"], source: "volumebinding/volume_binding.go" },
  VolumeZone: { points: ["preFilter", "filter"], source: "volumezone/volume_zone.go" },
  PodTopologySpread: { points: ["preFilter", "filter", "preScore", "score"], source: "podtopologyspread/plugin.go" },
  InterPodAffinity: {
    points: ["preFilter", "filter", "preScore", "score"],
    source: "interpodaffinity/plugin.go",
    filterWithoutPreFilter: 'error reading "PreFilterInterPodAffinity" from cycleState: not found',
    scoreWithoutPreScore: 'failed to read "PreScoreInterPodAffinity" from cycleState: not found',
  },
  DynamicResources: { points: ["preEnqueue", "preFilter", "filter", "postFilter", "score", "reserve", "preBind"], source: "dynamicresources/dynamicresources.go" },
  DefaultPreemption: { points: ["preEnqueue", "postFilter"], source: "defaultpreemption/default_preemption.go" },
  DefaultBinder: { points: ["bind"], source: "defaultbinder/default_binder.go" },
  GangScheduling: { points: ["preEnqueue", "reserve", "permit"], source: "gangscheduling/gangscheduling.go", gate: "GangScheduling" },
  NodeDeclaredFeatures: { points: ["preFilter", "filter"], source: "nodedeclaredfeatures/nodedeclaredfeatures.go", gate: "NodeDeclaredFeatures" },
};

/** Whether kube's registry has this plugin. */
export function isInTreePlugin(name: string): boolean {
  return Object.hasOwn(IN_TREE_PLUGINS, name);
}

/** The points an in-tree plugin implements (none for any other name). */
export function pointsOf(name: string): readonly ExtensionPoint[] {
  return isInTreePlugin(name) ? (IN_TREE_PLUGINS[name] as InTreePlugin).points : [];
}
