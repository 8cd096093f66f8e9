/**
 * `KubeSchedulerConfiguration` (kubescheduler.config.k8s.io/v1, v1.35) → profiles Timoneiro runs:
 * kube's defaulting (one profile named default-scheduler; the default plugins; NodeResourcesFit
 * LeastAllocated on cpu and memory …), its merging of the user's plugin sets with the defaults,
 * and its validation, with errors named by field path.
 *
 * Only in-tree plugins can be simulated: a configuration that enables any other plugin, an
 * extender, or plugin arguments Timoneiro does not model is refused with a message saying so.
 */
import { DiagnosticList, type Diagnostic, type FieldPath } from "../../model/diagnostics.js";
import { labelKeyErrors } from "../../model/validation.js";
import type { TopologySpreadConstraint } from "../../model/spread.js";
import { DEFAULT_SPREAD_ARGS, type SpreadArgs } from "../plugins/podtopologyspread/defaults.js";
import { DEFAULT_AFFINITY_ARGS, type InterPodAffinityArgs } from "../plugins/interpodaffinity/index.js";
import { DEFAULT_PREEMPTION_ARGS, type PreemptionArgs } from "../preemption.js";
import { isFilter, isPreFilter, isPreScore, isReserve, isScore, type FilterPlugin, type Profile } from "../framework/types.js";
import { DEFAULT_BALANCED_ARGS, type BalancedAllocationArgs } from "../plugins/balancedallocation/index.js";
import { DEFAULT_FIT_ARGS, type NodeResourcesFitArgs } from "../plugins/noderesourcesfit/index.js";
import type { ResourceSpec, ScoringStrategyType, ShapePoint } from "../plugins/noderesourcesfit/score.js";
import { IN_TREE_PLUGINS, POINT_INTERFACES, isInTreePlugin, pointsOf, type InTreePlugin } from "./in-tree.js";
import { outOfTreePoints, withBundledPlugins, type PluginRegistry } from "./out-of-tree.js";
import { BUNDLED_GPU_PLUGINS, bundledGpuPlugins, FGD_SCORE, OPEN_GPU_SHARE, type GpuPluginArgs } from "../plugins/gpushare/index.js";
import type { TypicalPod } from "../../gpu/frag.js";
import {
  DEFAULT_MULTI_POINT,
  EXTENSION_POINTS,
  REMOVED_PLUGINS,
  buildPlugin,
  expandPoint,
  mergePluginSet,
  scoreWeight,
  type ExtensionPoint,
  type PluginArgs,
  type PluginRef,
  type PluginSet,
  type PluginSets,
} from "./plugins.js";

export const KSC_API_VERSION = "kubescheduler.config.k8s.io/v1";
export const DEFAULT_SCHEDULER_NAME = "default-scheduler";

export interface SchedulerConfiguration {
  readonly percentageOfNodesToScore: number;
  readonly profiles: readonly Profile[];
}

export interface SchedulerOptions {
  /** NodeResourcesBalancedAllocation's formula: v1.35's (default) or v1.36's. */
  readonly balancedAllocationFormula: "v1.35" | "v1.36";
  /** Out-of-tree plugins a profile may enable by name, beside kube's in-tree ones (out-of-tree.ts). */
  readonly plugins?: PluginRegistry;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = { balancedAllocationFormula: "v1.35" };

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(value: Json): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const EMPTY_SET: PluginSet = { enabled: [], disabled: [] };
const KNOWN_TOP_LEVEL = new Set(["apiVersion", "kind", "parallelism", "leaderElection", "clientConnection", "healthzBindAddress", "metricsBindAddress",
  "enableProfiling", "enableContentionProfiling", "percentageOfNodesToScore", "podInitialBackoffSeconds", "podMaxBackoffSeconds", "profiles",
  "extenders", "delayCacheUntilActive"]);
const SCORING_TYPES: readonly ScoringStrategyType[] = ["LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"];
const ACCEPTED_ARGS = new Set(["DefaultPreemptionArgs", "InterPodAffinityArgs", "PodTopologySpreadArgs", "VolumeBindingArgs", "NodeAffinityArgs", "DynamicResourcesArgs"]);

/** The default configuration: one profile, kube's default plugins. */
export function defaultSchedulerConfiguration(options: SchedulerOptions = DEFAULT_SCHEDULER_OPTIONS): SchedulerConfiguration {
  const result = schedulerConfigurationFrom({ apiVersion: KSC_API_VERSION, kind: "KubeSchedulerConfiguration" }, options);
  if (result.value === undefined) throw new Error("the default scheduler configuration does not build");
  return result.value;
}

/** Profiles built with kube's default plugins, weights and arguments (any scheduler name or percentage). */
const KUBE_DEFAULT_PROFILES = new WeakSet<Profile>();

/** Whether the profile is kube's default set of plugins, weights and arguments (BalancedAllocation v1.35). */
export function isKubeDefaultProfile(profile: Profile): boolean {
  return KUBE_DEFAULT_PROFILES.has(profile);
}

/** Reads a KubeSchedulerConfiguration object (parsed from YAML or JSON). */
export function schedulerConfigurationFrom(value: Json, given: SchedulerOptions = DEFAULT_SCHEDULER_OPTIONS): { value?: SchedulerConfiguration; diagnostics: readonly Diagnostic[] } {
  const options: SchedulerOptions = { ...given, plugins: withBundledPlugins(given.plugins) };
  const out = new DiagnosticList();
  if (!isObject(value)) {
    out.error([], "a KubeSchedulerConfiguration must be an object");
    return { diagnostics: out.items };
  }
  if (value["kind"] !== "KubeSchedulerConfiguration") out.error(["kind"], `expected "KubeSchedulerConfiguration", got ${JSON.stringify(value["kind"])}`);
  if (value["apiVersion"] !== KSC_API_VERSION) {
    const version = String(value["apiVersion"]);
    const removed = /^kubescheduler\.config\.k8s\.io\/v1beta[123]$/.test(version);
    out.error(["apiVersion"], removed
      ? `${version} is not served by kube-scheduler v1.35 (the beta versions were removed by v1.29); write apiVersion ${KSC_API_VERSION}`
      : `must be ${JSON.stringify(KSC_API_VERSION)}, got ${JSON.stringify(value["apiVersion"])}`);
  }
  for (const key of Object.keys(value)) {
    if (!KNOWN_TOP_LEVEL.has(key)) out.unknownField([key], `unknown field "${key}" in KubeSchedulerConfiguration`);
  }
  const extenders = value["extenders"];
  if (Array.isArray(extenders) && extenders.length > 0) out.error(["extenders"], "scheduler extenders (HTTP webhooks) cannot be simulated");
  for (const [field, expected] of [["podInitialBackoffSeconds", 1], ["podMaxBackoffSeconds", 10]] as const) {
    const configured = value[field];
    if (configured !== undefined && configured !== expected) out.error([field], `only kube's default (${expected}) is simulated`);
  }
  const percentage = readPercentage(value["percentageOfNodesToScore"], ["percentageOfNodesToScore"], out) ?? 0;

  const profileValues = value["profiles"] === undefined || value["profiles"] === null ? [{}] : value["profiles"];
  if (!Array.isArray(profileValues)) {
    out.error(["profiles"], "must be a list of profiles");
    return { diagnostics: out.items };
  }
  const list = profileValues.length === 0 ? [{}] : profileValues;
  const profiles: Profile[] = [];
  const names = new Map<string, number>();
  list.forEach((profileValue, index) => {
    const path: FieldPath = ["profiles", index];
    if (!isObject(profileValue)) {
      out.error(path, "a profile must be an object");
      return;
    }
    let name = profileValue["schedulerName"];
    if (name === undefined && list.length === 1) name = DEFAULT_SCHEDULER_NAME;
    if (typeof name !== "string" || name === "") {
      out.error([...path, "schedulerName"], "required: every profile of several needs a schedulerName");
      return;
    }
    const earlier = names.get(name);
    if (earlier !== undefined) out.error([...path, "schedulerName"], `duplicate value ${JSON.stringify(name)} (also profiles[${earlier}].schedulerName)`);
    names.set(name, index);
    const profilePercentage = readPercentage(profileValue["percentageOfNodesToScore"], [...path, "percentageOfNodesToScore"], out);
    const profile = buildProfile(name, profileValue, path, profilePercentage ?? percentage, options, out);
    if (profile !== undefined) profiles.push(profile);
    // Kube's default plugins, weights and arguments: the fast engine may score these with its fused kernel.
    const untouched = (field: string) => profileValue[field] === undefined || profileValue[field] === null;
    if (profile !== undefined && untouched("plugins") && untouched("pluginConfig") && options.balancedAllocationFormula === "v1.35") KUBE_DEFAULT_PROFILES.add(profile);
  });
  return out.hasErrors ? { diagnostics: out.items } : { value: { percentageOfNodesToScore: percentage, profiles }, diagnostics: out.items };
}

function readPercentage(value: Json, path: FieldPath, out: DiagnosticList): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 100) {
    out.error(path, `${JSON.stringify(value)} not in valid range [0-100]`);
    return undefined;
  }
  return value;
}

function readPluginSet(value: Json, path: FieldPath, options: SchedulerOptions, out: DiagnosticList): PluginSet {
  if (value === undefined || value === null) return EMPTY_SET;
  if (!isObject(value)) {
    out.error(path, "must be an object with enabled and disabled lists");
    return EMPTY_SET;
  }
  const refs = (field: "enabled" | "disabled"): PluginRef[] => {
    const items = value[field];
    if (items === undefined || items === null) return [];
    if (!Array.isArray(items)) {
      out.error([...path, field], "must be a list of {name, weight}");
      return [];
    }
    return items.flatMap((item, index) => {
      const itemPath = [...path, field, index];
      if (!isObject(item) || typeof item["name"] !== "string") {
        out.error(itemPath, "must be {name: <plugin>, weight: <integer>}");
        return [];
      }
      const name = item["name"];
      if (field === "enabled") checkPluginName(name, [...itemPath, "name"], options, out);
      else if (name !== "*" && !isInTreePlugin(name) && options.plugins?.has(name) !== true) {
        // kube ignores a disabled plugin it does not know; say so rather than fail.
        out.warning([...itemPath, "name"], `${JSON.stringify(name)} is not a plugin of kube-scheduler v1.35: disabling it has no effect`);
      }
      const weight = item["weight"];
      if (weight !== undefined && weight !== null && (typeof weight !== "number" || !Number.isInteger(weight) || weight < 0)) {
        out.error([...itemPath, "weight"], `${JSON.stringify(weight)} is not a valid weight: a whole number, 0 or more`);
        return [];
      }
      return [typeof weight === "number" ? { name, weight } : { name }];
    });
  };
  for (const key of Object.keys(value)) if (key !== "enabled" && key !== "disabled") out.unknownField([...path, key], `unknown field "${key}" in PluginSet`);
  return { enabled: refs("enabled"), disabled: refs("disabled") };
}

/** Whether a profile may name the plugin: an in-tree one, or one of the run's out-of-tree plugins. */
function isKnownPlugin(name: string, options: SchedulerOptions): boolean {
  return isInTreePlugin(name) || options.plugins?.has(name) === true;
}

function checkPluginName(name: string, path: FieldPath, options: SchedulerOptions, out: DiagnosticList): void {
  if (options.plugins?.has(name) === true) return;
  if (REMOVED_PLUGINS.includes(name)) {
    out.error(path, `plugin ${JSON.stringify(name)} was removed from kube-scheduler; it is not in v1.35`);
  } else if (!isInTreePlugin(name)) {
    const users = [...(options.plugins?.keys() ?? [])].filter((plugin) => !BUNDLED_GPU_PLUGINS.includes(plugin));
    const registered = users.length === 0 ? "none is registered" : `registered: ${users.join(", ")}`;
    out.error(path, `${JSON.stringify(name)} is not an in-tree plugin of kube-scheduler v1.35, nor one Timoneiro bundles (${BUNDLED_GPU_PLUGINS.join(", ")}), nor an out-of-tree plugin of this run (${registered}); write it as a plugin module and register it with --plugin FILE (out-of-tree plugins such as scheduler-plugins' need their own code)`);
  }
}

function buildProfile(name: string, value: JsonObject, path: FieldPath, percentage: number, options: SchedulerOptions, out: DiagnosticList): Profile | undefined {
  const pluginsValue = value["plugins"];
  const custom: Record<string, PluginSet> = {};
  if (isObject(pluginsValue)) {
    for (const [key, setValue] of Object.entries(pluginsValue)) {
      if (key !== "multiPoint" && !(EXTENSION_POINTS as readonly string[]).includes(key)) {
        out.unknownField([...path, "plugins", key], `unknown field "${key}" in Plugins (an extension point such as filter, score or multiPoint)`);
        continue;
      }
      custom[key] = readPluginSet(setValue, [...path, "plugins", key], options, out);
    }
  } else if (pluginsValue !== undefined && pluginsValue !== null) {
    out.error([...path, "plugins"], "must be an object of extension points");
  }
  const sets = Object.fromEntries(["multiPoint", ...EXTENSION_POINTS].map((point) => {
    const defaults = point === "multiPoint" ? { enabled: DEFAULT_MULTI_POINT, disabled: [] } : EMPTY_SET;
    return [point, mergePluginSet(defaults, custom[point] ?? EMPTY_SET)];
  })) as unknown as PluginSets;

  const args = readPluginConfig(value["pluginConfig"], [...path, "pluginConfig"], options, out);
  const built = new Map<string, ReturnType<typeof buildPlugin>>();
  const pluginFor = (pluginName: string) => {
    if (!built.has(pluginName)) built.set(pluginName, BUNDLED_GPU_PLUGINS.includes(pluginName) ? bundledGpuPlugins(args.Gpu).get(pluginName) : options.plugins?.get(pluginName) ?? buildPlugin(pluginName, args));
    return built.get(pluginName);
  };
  // Which points a plugin may be enabled at is kube's table, never the shape of our plugin objects;
  // an out-of-tree plugin's are the methods it has (kube's type assertions).
  const outOfTree = (pluginName: string) => (isInTreePlugin(pluginName) ? undefined : options.plugins?.get(pluginName));
  const pointsOfPlugin = (pluginName: string): readonly ExtensionPoint[] => {
    const user = outOfTree(pluginName);
    return user !== undefined ? outOfTreePoints(user) : pointsOf(pluginName);
  };
  const implementsPoint = (pluginName: string, point: ExtensionPoint) => pointsOfPlugin(pluginName).includes(point);
  for (const point of EXTENSION_POINTS) {
    const seen = new Set<string>();
    sets[point].enabled.forEach((plugin, index) => {
      const namePath = [...path, "plugins", point, "enabled", index, "name"];
      if (!isKnownPlugin(plugin.name, options)) return; // refused when read
      if (!implementsPoint(plugin.name, point)) {
        const implemented = pointsOfPlugin(plugin.name).map((name) => POINT_INTERFACES[name].replace(/Plugin$/, "")).join(", ");
        out.error(namePath, `plugin ${JSON.stringify(plugin.name)} does not extend ${POINT_INTERFACES[point]} plugin (kube-scheduler v1.35 refuses the profile; ${plugin.name} implements ${implemented})`);
      } else if (seen.has(plugin.name)) {
        out.error(namePath, `plugin ${JSON.stringify(plugin.name)} already registered as ${JSON.stringify(POINT_INTERFACES[point])}`);
      }
      seen.add(plugin.name);
    });
  }
  const expanded = new Map<ExtensionPoint, string[]>();
  const at = (point: ExtensionPoint): string[] => {
    const known = expanded.get(point);
    if (known !== undefined) return known;
    let names: string[] = [];
    try {
      names = expandPoint(point, sets, (pluginName) => implementsPoint(pluginName, point));
    } catch (error) {
      out.error([...path, "plugins", "multiPoint"], (error as Error).message);
    }
    expanded.set(point, names);
    return names;
  };
  // Plugins that do not implement a point were refused above (kube stops at the first such error).
  const queueSort = at("queueSort").filter((pluginName) => implementsPoint(pluginName, "queueSort"));
  if (queueSort.length !== 1) {
    out.error([...path, "plugins", "queueSort"], `only one queue sort plugin required for profile with scheduler name ${JSON.stringify(name)}, but got ${queueSort.length}`);
  }
  if (at("bind").length === 0) out.error([...path, "plugins", "bind"], `at least one bind plugin is needed for profile with scheduler name ${JSON.stringify(name)}`);
  for (const gated of new Set(EXTENSION_POINTS.flatMap((point) => at(point)).filter((pluginName) => IN_TREE_PLUGINS[pluginName]?.gate !== undefined))) {
    const gate = (IN_TREE_PLUGINS[gated] as InTreePlugin).gate as string;
    out.warning([...path, "plugins"], `${gated} works only with the ${gate} feature gate, alpha and off by default in kube-scheduler v1.35: it has no effect here`);
  }

  // The plugins at each point that Timoneiro simulates and that do something there.
  const simulatedAt = (point: ExtensionPoint) => at(point).flatMap((pluginName) => {
    const plugin = pluginFor(pluginName);
    return plugin === undefined ? [] : [plugin];
  });
  const preFilterNames = new Set(at("preFilter"));
  const preScoreNames = new Set(at("preScore"));
  const missingState: string[] = [];
  // kube accepts a plugin at filter without its preFilter; one whose Filter reads its PreFilter's
  // state then fails every cycle that reaches it (runtime/framework.go RunFilterPlugins).
  const filter = simulatedAt("filter").filter(isFilter).map((plugin): FilterPlugin => {
    const failure = IN_TREE_PLUGINS[plugin.name]?.filterWithoutPreFilter;
    if (failure === undefined || preFilterNames.has(plugin.name)) return plugin;
    missingState.push(plugin.name);
    out.warning([...path, "plugins", "filter"], `${plugin.name} is enabled at filter but not at preFilter: kube-scheduler v1.35 accepts this profile, but every scheduling cycle that reaches ${plugin.name}'s Filter fails with "running ${JSON.stringify(plugin.name)} filter plugin: ${failure}" and the pod backs off and retries; enable it at preFilter too`);
    return { name: plugin.name, filter: () => ({ code: "Error", reasons: [failure] }) };
  });
  let scoreError: string | undefined;
  for (const pluginName of at("score")) {
    const failure = IN_TREE_PLUGINS[pluginName]?.scoreWithoutPreScore;
    if (failure === undefined || preScoreNames.has(pluginName) || pluginFor(pluginName) === undefined) continue;
    missingState.push(pluginName);
    scoreError ??= `running Score plugins: plugin ${JSON.stringify(pluginName)} failed with: ${failure}`;
    out.warning([...path, "plugins", "score"], `${pluginName} is enabled at score but not at preScore: kube-scheduler v1.35 accepts this profile, but every scheduling cycle that scores two or more nodes fails with "${scoreError}" and the pod backs off and retries; enable it at preScore too`);
  }
  // FGD measures fragmentation against the workload's typical pods: the profile must name them.
  if (args.Gpu.typical === undefined && (at("score").includes(FGD_SCORE) || (args.Gpu.selection === FGD_SCORE && at("reserve").includes(OPEN_GPU_SHARE)))) {
    out.error([...path, "pluginConfig"], "FGDScore measures fragmentation against the workload's typical pods: name them in its args, pluginConfig: [{name: FGDScore, args: {typicalPods: [{milliCpu, milliGpu, gpuNumber, gpuType?, percentage}, …]}}] (`timoneiro bench fgd --trace DIR --typical-pods` prints a trace's)");
  }
  const outOfTreeNames = [...new Set(EXTENSION_POINTS.flatMap((point) => at(point)).filter((pluginName) => outOfTree(pluginName) !== undefined))];
  // DefaultPreemption is simulated by the scheduler itself (preemption.ts), not as a plugin object.
  const notSimulated = [...new Set(EXTENSION_POINTS.flatMap((point) => at(point)).filter((pluginName) => pluginFor(pluginName) === undefined && pluginName !== "DefaultPreemption"))];
  return {
    schedulerName: name,
    preFilter: simulatedAt("preFilter").filter(isPreFilter),
    filter,
    preScore: simulatedAt("preScore").filter(isPreScore),
    score: simulatedAt("score").filter(isScore).map((plugin) => ({ plugin, weight: scoreWeight(plugin.name, sets) })),
    hasScorePlugins: at("score").length > 0,
    percentageOfNodesToScore: percentage,
    notSimulated,
    missingState,
    ...(scoreError !== undefined ? { scoreError } : {}),
    ...(at("postFilter").includes("DefaultPreemption") ? { preemption: args.DefaultPreemption } : {}),
    ...(simulatedAt("reserve").some(isReserve) ? { reserve: simulatedAt("reserve").filter(isReserve) } : {}),
    ...(outOfTreeNames.length > 0 ? { outOfTree: outOfTreeNames } : {}),
    ...(args.PodTopologySpread.defaultingType === "List" && args.PodTopologySpread.defaultConstraints.some((constraint) => constraint.whenUnsatisfiable === "DoNotSchedule") && at("filter").includes("PodTopologySpread")
      ? { hardDefaultSpreading: true as const }
      : {}),
  };
}

function readPluginConfig(value: Json, path: FieldPath, options: SchedulerOptions, out: DiagnosticList): PluginArgs {
  let fit: NodeResourcesFitArgs = DEFAULT_FIT_ARGS;
  let balanced: BalancedAllocationArgs = { ...DEFAULT_BALANCED_ARGS, formula: options.balancedAllocationFormula };
  let spread: SpreadArgs = DEFAULT_SPREAD_ARGS;
  let affinity: InterPodAffinityArgs = DEFAULT_AFFINITY_ARGS;
  let preemption: PreemptionArgs = DEFAULT_PREEMPTION_ARGS;
  let selection: GpuPluginArgs["selection"] = "best";
  let typical: TypicalPod[] | undefined;
  const gpuArgs = (): GpuPluginArgs => (typical === undefined ? { selection } : { selection, typical });
  if (value === undefined || value === null) return { NodeResourcesFit: fit, NodeResourcesBalancedAllocation: balanced, PodTopologySpread: spread, InterPodAffinity: affinity, DefaultPreemption: preemption, Gpu: gpuArgs() };
  if (!Array.isArray(value)) {
    out.error(path, "must be a list of {name, args}");
    return { NodeResourcesFit: fit, NodeResourcesBalancedAllocation: balanced, PodTopologySpread: spread, InterPodAffinity: affinity, DefaultPreemption: preemption, Gpu: gpuArgs() };
  }
  const seen = new Set<string>();
  value.forEach((entry, index) => {
    const entryPath = [...path, index];
    if (!isObject(entry) || typeof entry["name"] !== "string") {
      out.error(entryPath, "must be {name: <plugin>, args: {...}}");
      return;
    }
    const name = entry["name"];
    if (seen.has(name)) out.error([...entryPath, "name"], `duplicate value ${JSON.stringify(name)}`);
    seen.add(name);
    const args = isObject(entry["args"]) ? entry["args"] : {};
    const argsPath = [...entryPath, "args"];
    if (name === "NodeResourcesFit") fit = readFitArgs(args, argsPath, out);
    else if (name === "NodeResourcesBalancedAllocation") balanced = { resources: readBalancedResources(args["resources"], [...argsPath, "resources"], out), formula: options.balancedAllocationFormula };
    else if (name === "PodTopologySpread") spread = readSpreadArgs(args, argsPath, out);
    else if (name === "InterPodAffinity") affinity = readAffinityArgs(args, argsPath, out);
    else if (name === "DefaultPreemption") preemption = readPreemptionArgs(args, argsPath, out);
    else if (name === "NodeAffinity" && args["addedAffinity"] !== undefined) out.error([...argsPath, "addedAffinity"], "scheduler-enforced node affinity (addedAffinity) is not simulated yet");
    else if (name === OPEN_GPU_SHARE) selection = readGpuShareArgs(args, argsPath, out);
    else if (name === FGD_SCORE) typical = readFgdArgs(args, argsPath, out);
    else if (options.plugins?.has(name) === true && !isInTreePlugin(name)) {
      if (Object.keys(args).length > 0) {
        out.error(argsPath, BUNDLED_GPU_PLUGINS.includes(name)
          ? `${name} (bundled with Timoneiro) takes no args: it scores as their plugin with its defaults`
          : `Timoneiro passes no args to out-of-tree plugins: set ${name}'s parameters in its module`);
      }
    } else if (!ACCEPTED_ARGS.has(`${name}Args`)) checkPluginName(name, [...entryPath, "name"], options, out);
  });
  return { NodeResourcesFit: fit, NodeResourcesBalancedAllocation: balanced, PodTopologySpread: spread, InterPodAffinity: affinity, DefaultPreemption: preemption, Gpu: gpuArgs() };
}

/** Their dimExtMethod and normMethod (utils.go), which the card choices and scores bundled here do not read: accepted, checked. */
const DIM_EXT = ["share", "merge", "divide", "extend"];
const NORM = ["max", "node", "pod"];

function checkIgnoredGpuArgs(args: JsonObject, path: FieldPath, out: DiagnosticList): void {
  if (args["dimExtMethod"] !== undefined && !DIM_EXT.includes(String(args["dimExtMethod"]))) out.error([...path, "dimExtMethod"], `must be one of ${DIM_EXT.join(", ")}, got ${JSON.stringify(args["dimExtMethod"])}`);
  if (args["normMethod"] !== undefined && !NORM.includes(String(args["normMethod"]))) out.error([...path, "normMethod"], `must be one of ${NORM.join(", ")}, got ${JSON.stringify(args["normMethod"])}`);
}

/** Open-Gpu-Share's args: `gpuSelMethod` best (the tightest card) or FGDScore; dimExtMethod, normMethod as theirs (no effect here). */
function readGpuShareArgs(args: JsonObject, path: FieldPath, out: DiagnosticList): GpuPluginArgs["selection"] {
  for (const key of Object.keys(args)) if (!["gpuSelMethod", "dimExtMethod", "normMethod"].includes(key)) out.error([...path, key], `unknown field "${key}" in Open-Gpu-Share's args (gpuSelMethod, dimExtMethod, normMethod)`);
  checkIgnoredGpuArgs(args, path, out);
  const method = args["gpuSelMethod"] ?? "best";
  if (method !== "best" && method !== FGD_SCORE) {
    out.error([...path, "gpuSelMethod"], `Timoneiro picks a share's card as best (the tightest card) or FGDScore (FGD's choice, with FGDScore's typicalPods); got ${JSON.stringify(method)}`);
    return "best";
  }
  return method;
}

/** FGDScore's args: `typicalPods`, a list of {milliCpu, milliGpu, gpuNumber, gpuType?, percentage} (their TargetPod). */
function readFgdArgs(args: JsonObject, path: FieldPath, out: DiagnosticList): TypicalPod[] | undefined {
  for (const key of Object.keys(args)) if (!["typicalPods", "dimExtMethod", "normMethod"].includes(key)) out.error([...path, key], `unknown field "${key}" in FGDScore's args (typicalPods, dimExtMethod, normMethod)`);
  checkIgnoredGpuArgs(args, path, out);
  const list = args["typicalPods"];
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.length === 0) {
    out.error([...path, "typicalPods"], "must be a non-empty list of {milliCpu, milliGpu, gpuNumber, gpuType?, percentage}");
    return undefined;
  }
  const typical: TypicalPod[] = [];
  list.forEach((entry, index) => {
    const at = [...path, "typicalPods", index];
    const whole = (value: unknown, max: number) => typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && value <= max;
    if (!isObject(entry) || !whole(entry["milliCpu"], 10_000_000) || !whole(entry["milliGpu"], 1000) || !whole(entry["gpuNumber"], 64) || !(typeof entry["percentage"] === "number" && entry["percentage"] > 0 && entry["percentage"] <= 1) || (entry["gpuType"] !== undefined && typeof entry["gpuType"] !== "string")) {
      out.error(at, `a typical pod is {milliCpu: whole ≥ 0, milliGpu: 0–1000 (of each card), gpuNumber: 0–64, gpuType?: "V100M16|V100M32", percentage: above 0, at most 1}, got ${JSON.stringify(entry)}`);
      return;
    }
    const gpuCount = entry["gpuNumber"] as number;
    const gpuMilli = gpuCount === 0 ? 0 : (entry["milliGpu"] as number);
    typical.push({ cpuMilli: entry["milliCpu"] as number, gpuCount, gpuMilli, gpuModels: String(entry["gpuType"] ?? "").split("|").filter((model) => model !== ""), weight: entry["percentage"] as number, count: 0 });
  });
  return typical;
}

/**
 * DefaultPreemptionArgs, validated as ValidateDefaultPreemptionArgs does (validation_pluginargs.go,
 * v1.35; defaults 10 and 100): `minCandidateNodesPercentage` within [0, 100],
 * `minCandidateNodesAbsolute` at least 0, not both 0.
 */
function readPreemptionArgs(args: JsonObject, path: FieldPath, out: DiagnosticList): PreemptionArgs {
  const percentage = args["minCandidateNodesPercentage"] ?? 10;
  const absolute = args["minCandidateNodesAbsolute"] ?? 100;
  const percentagePath = [...path, "minCandidateNodesPercentage"];
  const absolutePath = [...path, "minCandidateNodesAbsolute"];
  const integer = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value);
  if (!integer(percentage)) out.error(percentagePath, `Invalid value: ${JSON.stringify(percentage)}: must be an integer`);
  else if (percentage < 0 || percentage > 100) out.error(percentagePath, `Invalid value: ${percentage}: not in valid range [0, 100]`);
  if (!integer(absolute)) out.error(absolutePath, `Invalid value: ${JSON.stringify(absolute)}: must be an integer`);
  else if (absolute < 0) out.error(absolutePath, `Invalid value: ${absolute}: not in valid range [0, inf)`);
  if (percentage === 0 && absolute === 0) {
    out.error(percentagePath, "Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute");
    out.error(absolutePath, "Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage");
  }
  return {
    minCandidateNodesPercentage: integer(percentage) ? percentage : DEFAULT_PREEMPTION_ARGS.minCandidateNodesPercentage,
    minCandidateNodesAbsolute: integer(absolute) ? absolute : DEFAULT_PREEMPTION_ARGS.minCandidateNodesAbsolute,
  };
}

/**
 * InterPodAffinityArgs (v1: `hardPodAffinityWeight` defaults to 1), validated as
 * ValidateInterPodAffinityArgs does (validation_pluginargs.go, v1.35): the weight within [0, 100]
 * (`hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]`);
 * `ignorePreferredTermsOfExistingPods` is a boolean, not otherwise checked.
 */
function readAffinityArgs(args: JsonObject, path: FieldPath, out: DiagnosticList): InterPodAffinityArgs {
  const weight = args["hardPodAffinityWeight"] ?? DEFAULT_AFFINITY_ARGS.hardPodAffinityWeight;
  const ignore = args["ignorePreferredTermsOfExistingPods"] ?? false;
  if (typeof weight !== "number" || !Number.isSafeInteger(weight)) out.error([...path, "hardPodAffinityWeight"], `Invalid value: ${JSON.stringify(weight)}: must be an integer`);
  else if (weight < 0 || weight > 100) out.error([...path, "hardPodAffinityWeight"], `Invalid value: ${weight}: not in valid range [0, 100]`);
  if (typeof ignore !== "boolean") out.error([...path, "ignorePreferredTermsOfExistingPods"], `Invalid value: ${JSON.stringify(ignore)}: must be true or false`);
  return {
    hardPodAffinityWeight: typeof weight === "number" && Number.isSafeInteger(weight) ? weight : DEFAULT_AFFINITY_ARGS.hardPodAffinityWeight,
    ignorePreferredTermsOfExistingPods: ignore === true,
  };
}

/**
 * PodTopologySpreadArgs, validated as ValidatePodTopologySpreadArgs does
 * (pkg/scheduler/apis/config/validation/validation_pluginargs.go, v1.35): `defaultingType`
 * System (the default) or List; System with `defaultConstraints` is invalid; each default
 * constraint needs maxSkew > 0, a topologyKey that is a label name, a whenUnsatisfiable, no
 * labelSelector, and a (topologyKey, whenUnsatisfiable) pair of its own. A List's constraints
 * keep their minDomains and inclusion policies; their selector is each pod's DefaultSelector.
 */
function readSpreadArgs(args: JsonObject, path: FieldPath, out: DiagnosticList): SpreadArgs {
  const type = args["defaultingType"] ?? "System";
  const constraints = Array.isArray(args["defaultConstraints"]) ? args["defaultConstraints"] : [];
  if (args["defaultConstraints"] !== undefined && args["defaultConstraints"] !== null && !Array.isArray(args["defaultConstraints"])) {
    out.error([...path, "defaultConstraints"], "must be a list of topology spread constraints");
  }
  if (type !== "System" && type !== "List") out.error([...path, "defaultingType"], `Unsupported value: ${JSON.stringify(type)}: supported values: "List", "System"`);
  else if (type === "System" && constraints.length > 0) out.error([...path, "defaultingType"], `Invalid value: "System": when .defaultConstraints are not empty`);
  const seen = new Set<string>();
  const defaults: TopologySpreadConstraint[] = [];
  constraints.forEach((item, index) => {
    const at = [...path, "defaultConstraints", index];
    const constraint = isObject(item) ? item : {};
    const maxSkew = constraint["maxSkew"] ?? 0;
    if (typeof maxSkew !== "number" || !Number.isSafeInteger(maxSkew) || maxSkew <= 0) out.error([...at, "maxSkew"], `Invalid value: ${JSON.stringify(maxSkew)}: not in valid range (0, inf)`);
    const key = constraint["topologyKey"] ?? "";
    if (key === "") out.error([...at, "topologyKey"], "Required value: can not be empty");
    else if (typeof key !== "string") out.error([...at, "topologyKey"], `Invalid value: ${JSON.stringify(key)}: must be a label name`);
    else for (const message of labelKeyErrors(key)) out.error([...at, "topologyKey"], `Invalid value: ${JSON.stringify(key)}: ${message}`);
    const action = constraint["whenUnsatisfiable"] ?? "";
    if (action === "") out.error([...at, "whenUnsatisfiable"], "Required value: can not be empty");
    else if (action !== "DoNotSchedule" && action !== "ScheduleAnyway") out.error([...at, "whenUnsatisfiable"], `Unsupported value: ${JSON.stringify(action)}: supported values: "DoNotSchedule", "ScheduleAnyway"`);
    if (constraint["labelSelector"] !== undefined && constraint["labelSelector"] !== null) out.error([...at, "labelSelector"], "Forbidden: constraint must not define a selector, as they deduced for each pod");
    const pair = `{${String(key)}, ${String(action)}}`;
    if (seen.has(pair)) out.error([...path, "defaultConstraints", index], `Duplicate value: ${JSON.stringify(pair)}`);
    seen.add(pair);
    const minDomains = constraint["minDomains"];
    const policy = (field: string) => (constraint[field] === "Honor" || constraint[field] === "Ignore" ? { [field]: constraint[field] } : {});
    if (typeof maxSkew === "number" && typeof key === "string" && (action === "DoNotSchedule" || action === "ScheduleAnyway")) {
      defaults.push({
        maxSkew, topologyKey: key, whenUnsatisfiable: action, matchLabelKeys: [],
        ...(typeof minDomains === "number" ? { minDomains } : {}),
        ...policy("nodeAffinityPolicy"), ...policy("nodeTaintsPolicy"),
      });
    }
  });
  return { defaultingType: type === "List" ? "List" : "System", defaultConstraints: defaults };
}

function readResourceSpecs(value: Json, path: FieldPath, out: DiagnosticList, weightRule: "fit" | "balanced"): ResourceSpec[] {
  if (!Array.isArray(value) || value.length === 0) return [{ name: "cpu", weight: 1 }, { name: "memory", weight: 1 }];
  const names = new Set<string>();
  return value.flatMap((item, index) => {
    const itemPath = [...path, index];
    if (!isObject(item) || typeof item["name"] !== "string") {
      out.error(itemPath, "must be {name: <resource>, weight: <integer>}");
      return [];
    }
    const name = item["name"];
    if (names.has(name)) out.error([...itemPath, "name"], `duplicate value ${JSON.stringify(name)}`);
    names.add(name);
    const weight = item["weight"] === undefined || item["weight"] === 0 ? 1 : item["weight"];
    if (weightRule === "fit" && (typeof weight !== "number" || !Number.isInteger(weight) || weight <= 0 || weight > 100)) {
      out.error([...itemPath, "weight"], `resource weight of ${name} not in valid range (0, 100]`);
      return [];
    }
    if (weightRule === "balanced" && weight !== 1) {
      out.error([...itemPath, "weight"], "must be 1");
      return [];
    }
    return [{ name, weight: weight as number }];
  });
}

function readBalancedResources(value: Json, path: FieldPath, out: DiagnosticList): ResourceSpec[] {
  return readResourceSpecs(value, path, out, "balanced");
}

function readFitArgs(args: JsonObject, path: FieldPath, out: DiagnosticList): NodeResourcesFitArgs {
  const strings = (field: string): string[] => {
    const list = args[field];
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list) || list.some((item) => typeof item !== "string")) {
      out.error([...path, field], "must be a list of resource names");
      return [];
    }
    return list as string[];
  };
  const ignoredResourceGroups = strings("ignoredResourceGroups");
  ignoredResourceGroups.forEach((group, index) => {
    if (group.includes("/")) out.error([...path, "ignoredResourceGroups", index], "resource group name can't contain '/'");
  });
  const strategyValue = args["scoringStrategy"];
  if (!isObject(strategyValue)) return { ...DEFAULT_FIT_ARGS, ignoredResources: strings("ignoredResources"), ignoredResourceGroups };
  const strategyPath = [...path, "scoringStrategy"];
  const type = (strategyValue["type"] ?? "LeastAllocated") as ScoringStrategyType;
  if (!SCORING_TYPES.includes(type)) {
    out.error([...strategyPath, "type"], `Unsupported value: ${JSON.stringify(type)}: supported values: ${SCORING_TYPES.map((t) => JSON.stringify(t)).join(", ")}`);
  }
  const resources = readResourceSpecs(strategyValue["resources"], [...strategyPath, "resources"], out, "fit");
  let shape: ShapePoint[] | undefined;
  const ratio = strategyValue["requestedToCapacityRatio"];
  if (type === "RequestedToCapacityRatio") {
    if (!isObject(ratio)) out.error([...strategyPath, "requestedToCapacityRatio"], "Required value: must be specified when type is RequestedToCapacityRatio");
    else shape = readShape(ratio["shape"], [...strategyPath, "requestedToCapacityRatio", "shape"], out);
  } else if (ratio !== undefined && ratio !== null) {
    out.error([...strategyPath, "requestedToCapacityRatio"], "Forbidden: must be nil when type is not RequestedToCapacityRatio");
  }
  return { ignoredResources: strings("ignoredResources"), ignoredResourceGroups, scoringStrategy: { type, resources, ...(shape ? { shape } : {}) } };
}

function readShape(value: Json, path: FieldPath, out: DiagnosticList): ShapePoint[] {
  if (!Array.isArray(value) || value.length === 0) {
    out.error(path, "Required value: at least one point must be specified");
    return [];
  }
  const points: ShapePoint[] = [];
  for (const [index, item] of value.entries()) {
    const utilization = isObject(item) ? item["utilization"] : undefined;
    const score = isObject(item) ? item["score"] : undefined;
    if (typeof utilization !== "number" || !Number.isInteger(utilization) || utilization < 0 || utilization > 100) {
      out.error([...path, index, "utilization"], `${JSON.stringify(utilization)} not in valid range [0, 100]`);
      continue;
    }
    if (typeof score !== "number" || !Number.isInteger(score) || score < 0 || score > 10) {
      out.error([...path, index, "score"], `${JSON.stringify(score)} not in valid range [0, 10]`);
      continue;
    }
    const previous = points[points.length - 1];
    if (previous !== undefined && previous.utilization >= utilization) {
      out.error([...path, index, "utilization"], `${utilization}: values must be sorted in increasing order`);
      break;
    }
    points.push({ utilization, score });
  }
  return points;
}

/** The profile a pod is scheduled by (its spec.schedulerName), if the configuration has it. */
export function profileFor(configuration: SchedulerConfiguration, schedulerName: string): Profile | undefined {
  return configuration.profiles.find((profile) => profile.schedulerName === schedulerName);
}
