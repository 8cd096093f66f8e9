/**
 * kube-scheduler's in-tree plugins (v1.35): the default profile, which Timoneiro simulates, and
 * how a configured plugin set merges with the defaults and expands into extension points
 * (apis/config/v1/default_plugins.go mergePlugins, runtime/framework.go expandMultiPointPlugins).
 */
import type { Plugin } from "../framework/types.js";
import { POINT_INTERFACES } from "./in-tree.js";
import { newBalancedAllocation, NODE_RESOURCES_BALANCED_ALLOCATION, type BalancedAllocationArgs } from "../plugins/balancedallocation/index.js";
import { IMAGE_LOCALITY, newImageLocality } from "../plugins/imagelocality/index.js";
import { NODE_AFFINITY, newNodeAffinity } from "../plugins/nodeaffinity/index.js";
import { NODE_NAME, newNodeName } from "../plugins/nodename/index.js";
import { NODE_PORTS, newNodePorts } from "../plugins/nodeports/index.js";
import { NODE_RESOURCES_FIT } from "../plugins/noderesourcesfit/filter.js";
import { newNodeResourcesFit, type NodeResourcesFitArgs } from "../plugins/noderesourcesfit/index.js";
import { NODE_UNSCHEDULABLE, newNodeUnschedulable } from "../plugins/nodeunschedulable/index.js";
import { TAINT_TOLERATION, newTaintToleration } from "../plugins/tainttoleration/index.js";
import { POD_TOPOLOGY_SPREAD, newPodTopologySpread } from "../plugins/podtopologyspread/index.js";
import type { SpreadArgs } from "../plugins/podtopologyspread/defaults.js";
import { INTER_POD_AFFINITY, newInterPodAffinity, type InterPodAffinityArgs } from "../plugins/interpodaffinity/index.js";
import type { PreemptionArgs } from "../preemption.js";
import type { GpuPluginArgs } from "../plugins/gpushare/index.js";

/** The extension points a configuration names. */
export const EXTENSION_POINTS = [
  "preEnqueue", "queueSort", "preFilter", "filter", "postFilter", "preScore", "score", "reserve", "permit", "preBind", "bind", "postBind",
] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

export interface PluginRef {
  readonly name: string;
  readonly weight?: number;
}

export interface PluginSet {
  readonly enabled: readonly PluginRef[];
  readonly disabled: readonly PluginRef[];
}

export type PluginSets = Readonly<Record<ExtensionPoint | "multiPoint", PluginSet>>;

/** v1.35's default multiPoint list, in order, with its score weights (DRA is on by default). */
export const DEFAULT_MULTI_POINT: readonly PluginRef[] = [
  { name: "SchedulingGates" }, { name: "PrioritySort" }, { name: "NodeUnschedulable" }, { name: "NodeName" },
  { name: "TaintToleration", weight: 3 }, { name: "NodeAffinity", weight: 2 }, { name: "NodePorts" },
  { name: "NodeResourcesFit", weight: 1 }, { name: "VolumeRestrictions" }, { name: "NodeVolumeLimits" }, { name: "VolumeBinding" },
  { name: "VolumeZone" }, { name: "PodTopologySpread", weight: 2 }, { name: "InterPodAffinity", weight: 2 },
  { name: "DynamicResources" }, { name: "DefaultPreemption" }, { name: "NodeResourcesBalancedAllocation", weight: 1 },
  { name: "ImageLocality", weight: 1 }, { name: "DefaultBinder" },
];

/** Plugins removed from kube-scheduler; a configuration naming one is refused as kube refuses it. */
export const REMOVED_PLUGINS = ["EBSLimits", "GCEPDLimits", "AzureDiskLimits", "CinderLimits", "NodeResourcesLeastAllocated", "NodeResourcesMostAllocated", "RequestedToCapacityRatio", "NodePreferAvoidPods", "NodeLabel", "ServiceAffinity", "SelectorSpread"];

export interface PluginArgs {
  readonly NodeResourcesFit: NodeResourcesFitArgs;
  readonly NodeResourcesBalancedAllocation: BalancedAllocationArgs;
  readonly PodTopologySpread: SpreadArgs;
  readonly InterPodAffinity: InterPodAffinityArgs;
  readonly DefaultPreemption: PreemptionArgs;
  /** The bundled GPU plugins' (plugins/gpushare): Open-Gpu-Share's gpuSelMethod, FGDScore's typicalPods. */
  readonly Gpu: GpuPluginArgs;
}

/** A simulated plugin, built with its arguments; undefined for the in-tree plugins Timoneiro accepts but does not simulate. */
export function buildPlugin(name: string, args: PluginArgs): Plugin | undefined {
  switch (name) {
    case NODE_UNSCHEDULABLE: return newNodeUnschedulable();
    case NODE_NAME: return newNodeName();
    case TAINT_TOLERATION: return newTaintToleration();
    case NODE_AFFINITY: return newNodeAffinity();
    case NODE_PORTS: return newNodePorts();
    case NODE_RESOURCES_FIT: return newNodeResourcesFit(args.NodeResourcesFit);
    case NODE_RESOURCES_BALANCED_ALLOCATION: return newBalancedAllocation(args.NodeResourcesBalancedAllocation);
    case IMAGE_LOCALITY: return newImageLocality();
    case POD_TOPOLOGY_SPREAD: return newPodTopologySpread(args.PodTopologySpread);
    case INTER_POD_AFFINITY: return newInterPodAffinity(args.InterPodAffinity);
    default: return undefined;
  }
}

/**
 * mergePluginSet: defaults in their order, minus the disabled ones ("*" drops them all); a
 * default the user re-declares keeps its slot but takes the user's entry (and weight); the user's
 * other plugins are appended in their order.
 */
export function mergePluginSet(defaults: PluginSet, custom: PluginSet): PluginSet {
  const disabled = new Set([...custom.disabled, ...defaults.disabled].map((plugin) => plugin.name));
  const customByName = new Map(custom.enabled.map((plugin, index) => [plugin.name, { plugin, index }]));
  const replaced = new Set<number>();
  const enabled: PluginRef[] = [];
  if (!disabled.has("*")) {
    for (const plugin of defaults.enabled) {
      if (disabled.has(plugin.name)) continue;
      const replacement = customByName.get(plugin.name);
      if (replacement !== undefined) replaced.add(replacement.index);
      enabled.push(replacement?.plugin ?? plugin);
    }
  }
  custom.enabled.forEach((plugin, index) => {
    if (!replaced.has(index)) enabled.push(plugin);
  });
  return { enabled, disabled: [...custom.disabled, ...defaults.disabled] };
}

/**
 * The plugins at one point: those enabled at the point that also appear in multiPoint first (in
 * the point's order), then multiPoint's (in its order, unless disabled at the point; none if the
 * point disables "*"), then the point's other plugins.
 * @throws Error naming a plugin listed twice in multiPoint.
 */
export function expandPoint(point: ExtensionPoint, sets: PluginSets, implementsPoint: (name: string) => boolean): string[] {
  const atPoint = sets[point];
  const enabledAtPoint = atPoint.enabled.map((plugin) => plugin.name);
  const disabledAtPoint = new Set(atPoint.disabled.map((plugin) => plugin.name));
  const overrides: string[] = [];
  const fromMultiPoint: string[] = [];
  if (!disabledAtPoint.has("*")) {
    for (const { name } of sets.multiPoint.enabled) {
      if (!implementsPoint(name) || disabledAtPoint.has(name)) continue;
      if (enabledAtPoint.includes(name)) {
        overrides.push(name);
        continue;
      }
      if (fromMultiPoint.includes(name)) throw new Error(`plugin ${JSON.stringify(name)} already registered as ${JSON.stringify(POINT_INTERFACES[point])}`);
      fromMultiPoint.push(name);
    }
  }
  const orderedOverrides = enabledAtPoint.filter((name) => overrides.includes(name));
  const rest = enabledAtPoint.filter((name) => !overrides.includes(name));
  return [...orderedOverrides, ...fromMultiPoint, ...rest];
}

/** Score weights: the score point's entry first, then multiPoint's; none or 0 means 1. */
export function scoreWeight(name: string, sets: PluginSets): number {
  const entry = [...sets.score.enabled, ...sets.multiPoint.enabled].find((plugin) => plugin.name === name);
  return entry?.weight === undefined || entry.weight === 0 ? 1 : entry.weight;
}
