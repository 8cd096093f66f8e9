/**
 * KubeSchedulerConfiguration v1 → profiles (v1.35): the default profile, kube's merging of the
 * user's plugin sets with the defaults (mergePluginSet, expandMultiPointPlugins,
 * getScoreWeights), pluginConfig for the simulated plugins, and validation errors named by
 * field path.
 */
import { describe, expect, it } from "vitest";
import { formatPath } from "../../model/diagnostics.js";
import type { Pod } from "../../model/pod.js";
import { podRequests } from "../../model/requests.js";
import { makeNode, makePod } from "../../testing/builders.js";
import { cycleState } from "../framework/snapshot.js";
import type { NodeInfo, Profile } from "../framework/types.js";
import { DEFAULT_MULTI_POINT } from "./plugins.js";
import { KSC_API_VERSION, defaultSchedulerConfiguration, profileFor, schedulerConfigurationFrom, type SchedulerConfiguration } from "./ksc.js";

const HEADER = { apiVersion: "kubescheduler.config.k8s.io/v1", kind: "KubeSchedulerConfiguration" };

function build(configuration: Record<string, unknown>, options?: Parameters<typeof schedulerConfigurationFrom>[1]): SchedulerConfiguration {
  const result = schedulerConfigurationFrom({ ...HEADER, ...configuration }, options);
  if (result.value === undefined) throw new Error(result.diagnostics.map((item) => `${formatPath(item.path)}: ${item.message}`).join("\n"));
  return result.value;
}

/** The only profile of a configuration with one profile holding `profile`. */
const profileOf = (profile: Record<string, unknown>): Profile => build({ profiles: [profile] }).profiles[0] as Profile;

/** Error diagnostics as "path: message". */
function errorsOf(configuration: unknown): string[] {
  const result = schedulerConfigurationFrom(configuration);
  return result.diagnostics.filter((item) => item.severity === "error").map((item) => `${formatPath(item.path)}: ${item.message}`);
}

const names = (plugins: readonly { readonly name: string }[]) => plugins.map((plugin) => plugin.name);
const weights = (profile: Profile) => profile.score.map(({ plugin, weight }) => [plugin.name, weight]);
// default_plugins.go's multiPoint order: PodTopologySpread and InterPodAffinity (weight 2 each) come after the volume plugins, before BalancedAllocation.
const DEFAULT_FILTERS = ["NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts", "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity"];
const DEFAULT_WEIGHTS = [["TaintToleration", 3], ["NodeAffinity", 2], ["NodeResourcesFit", 1], ["PodTopologySpread", 2], ["InterPodAffinity", 2], ["NodeResourcesBalancedAllocation", 1], ["ImageLocality", 1]];
const NOT_SIMULATED = ["DefaultBinder", "DynamicResources", "NodeVolumeLimits", "PrioritySort", "SchedulingGates", "VolumeBinding", "VolumeRestrictions", "VolumeZone"];

describe("the default configuration", () => {
  const configuration = defaultSchedulerConfiguration();
  const profile = configuration.profiles[0] as Profile;

  it("has one profile, default-scheduler, with the adaptive percentage", () => {
    expect(configuration.profiles.map((p) => p.schedulerName)).toEqual(["default-scheduler"]);
    expect(configuration.percentageOfNodesToScore).toBe(0);
    expect(profile.percentageOfNodesToScore).toBe(0);
  });

  it("has v1.35's 19 default plugins: 11 simulated, 8 accepted but not simulated", () => {
    expect(DEFAULT_MULTI_POINT.length).toBe(19);
    const simulated = new Set([...names(profile.preFilter), ...names(profile.filter), ...names(profile.preScore), ...profile.score.map(({ plugin }) => plugin.name)]);
    expect([...simulated].sort()).toEqual(["ImageLocality", "NodeAffinity", "NodeName", "NodePorts", "NodeResourcesBalancedAllocation", "NodeResourcesFit", "NodeUnschedulable", "PodTopologySpread", "TaintToleration", "InterPodAffinity"].sort());
    expect([...profile.notSimulated].sort()).toEqual(NOT_SIMULATED);
    // DefaultPreemption runs at postFilter, as the scheduler's own step (preemption.ts), with kube's default arguments.
    expect(profile.preemption).toEqual({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 });
  });

  it("runs the points in kube's order", () => {
    expect(names(profile.preFilter)).toEqual(["NodeAffinity", "NodePorts", "PodTopologySpread", "InterPodAffinity"]);
    expect(names(profile.filter)).toEqual(DEFAULT_FILTERS);
    expect(names(profile.preScore)).toEqual(["TaintToleration", "NodeAffinity", "PodTopologySpread", "InterPodAffinity", "NodeResourcesBalancedAllocation"]);
  });

  it("weighs TaintToleration 3, NodeAffinity 2, NodeResourcesFit 1, PodTopologySpread 2, InterPodAffinity 2, BalancedAllocation 1, ImageLocality 1", () => {
    expect(weights(profile)).toEqual(DEFAULT_WEIGHTS);
    expect(profile.hasScorePlugins).toBe(true);
  });

  it("is what a configuration with only apiVersion and kind gives", () => {
    expect(weights(build({}).profiles[0] as Profile)).toEqual(DEFAULT_WEIGHTS);
    expect(build({ profiles: [] }).profiles.map((p) => p.schedulerName)).toEqual(["default-scheduler"]);
  });
});

describe("plugin sets merged with the defaults", () => {
  const rows: Array<{ name: string; plugins: Record<string, unknown>; check: (profile: Profile) => void }> = [
    {
      name: "multiPoint.disabled drops a plugin from every point",
      plugins: { multiPoint: { disabled: [{ name: "TaintToleration" }] } },
      check: (profile) => {
        expect(names(profile.filter)).toEqual(["NodeUnschedulable", "NodeName", "NodeAffinity", "NodePorts", "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity"]);
        expect(names(profile.preScore)).toEqual(["NodeAffinity", "PodTopologySpread", "InterPodAffinity", "NodeResourcesBalancedAllocation"]);
        expect(weights(profile)).toEqual(DEFAULT_WEIGHTS.slice(1));
      },
    },
    {
      name: "multiPoint.disabled \"*\" drops every default; only the user's plugins remain, unweighted ones at 1",
      plugins: { multiPoint: { enabled: [{ name: "PrioritySort" }, { name: "DefaultBinder" }, { name: "NodeResourcesFit" }], disabled: [{ name: "*" }] } },
      check: (profile) => {
        expect(names(profile.preFilter)).toEqual([]);
        expect(names(profile.filter)).toEqual(["NodeResourcesFit"]);
        expect(weights(profile)).toEqual([["NodeResourcesFit", 1]]);
        expect([...profile.notSimulated].sort()).toEqual(["DefaultBinder", "PrioritySort"]);
      },
    },
    {
      name: "a default re-declared in multiPoint keeps its place and takes the user's weight",
      plugins: { multiPoint: { enabled: [{ name: "ImageLocality", weight: 5 }] } },
      check: (profile) => expect(weights(profile)).toEqual([...DEFAULT_WEIGHTS.slice(0, 6), ["ImageLocality", 5]]),
    },
    {
      name: "a default re-declared in multiPoint without a weight gets 1, not its default",
      plugins: { multiPoint: { enabled: [{ name: "TaintToleration" }] } },
      check: (profile) => expect(weights(profile)).toEqual([["TaintToleration", 1], ...DEFAULT_WEIGHTS.slice(1)]),
    },
    {
      name: "score.enabled overrides the weight and goes first at the score point",
      plugins: { score: { enabled: [{ name: "NodeResourcesFit", weight: 5 }] } },
      check: (profile) => expect(weights(profile)).toEqual([["NodeResourcesFit", 5], ["TaintToleration", 3], ["NodeAffinity", 2], ["PodTopologySpread", 2], ["InterPodAffinity", 2], ["NodeResourcesBalancedAllocation", 1], ["ImageLocality", 1]]),
    },
    {
      // getScoreWeights reads score.enabled first: nil → 0 → 1, the multiPoint weight 3 is never seen
      name: "the gotcha: score.enabled without a weight gives weight 1, not the default 3",
      plugins: { score: { enabled: [{ name: "TaintToleration" }] } },
      check: (profile) => expect(weights(profile)).toEqual([["TaintToleration", 1], ...DEFAULT_WEIGHTS.slice(1)]),
    },
    {
      name: "a weight of 0 means 1",
      plugins: { score: { enabled: [{ name: "NodeAffinity", weight: 0 }] } },
      check: (profile) => expect(weights(profile)).toEqual([["NodeAffinity", 1], ["TaintToleration", 3], ["NodeResourcesFit", 1], ["PodTopologySpread", 2], ["InterPodAffinity", 2], ["NodeResourcesBalancedAllocation", 1], ["ImageLocality", 1]]),
    },
    {
      name: "disabled at one point only: its other points stay",
      plugins: { filter: { disabled: [{ name: "NodePorts" }] } },
      check: (profile) => {
        expect(names(profile.filter)).toEqual(["NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity"]);
        expect(names(profile.preFilter)).toEqual(["NodeAffinity", "NodePorts", "PodTopologySpread", "InterPodAffinity"]);
      },
    },
    {
      name: "enabled at one point: it moves first there",
      plugins: { filter: { enabled: [{ name: "NodeResourcesFit" }] } },
      check: (profile) => expect(names(profile.filter)).toEqual(["NodeResourcesFit", "NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts", "PodTopologySpread", "InterPodAffinity"]),
    },
    {
      name: "score.disabled \"*\": no Score plugins at all, filters unchanged",
      plugins: { score: { disabled: [{ name: "*" }] } },
      check: (profile) => {
        expect(profile.score).toEqual([]);
        expect(profile.hasScorePlugins).toBe(false);
        expect(names(profile.filter)).toEqual(DEFAULT_FILTERS);
      },
    },
    {
      // VolumeBinding still scores in kube
      name: "simulated Score plugins disabled, kube's others remain: still a scoring profile",
      plugins: { score: { disabled: DEFAULT_WEIGHTS.map(([name]) => ({ name })) } },
      check: (profile) => {
        expect(profile.score).toEqual([]);
        expect(profile.hasScorePlugins).toBe(true);
      },
    },
  ];
  it.each(rows)("$name", ({ plugins, check }) => {
    check(profileOf({ plugins }));
  });
});

describe("pluginConfig", () => {
  // An empty 4 cpu / 8Gi node; the pod asks 1 cpu and 2Gi: 25% of each.
  const node: NodeInfo = { node: makeNode("node-1", { cpu: "4", memory: "8Gi" }), requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, podCount: 0, usedPorts: [] };
  const pod: Pod = makePod("p", { cpu: "1", memory: "2Gi" });
  const scoreOf = (profile: Profile, plugin: string) => profile.score.find((entry) => entry.plugin.name === plugin)?.plugin.score(cycleState(pod, podRequests(pod), [node]), node);
  const fit = (args: Record<string, unknown>) => ({ pluginConfig: [{ name: "NodeResourcesFit", args }] });

  const rows: Array<{ name: string; profile: Record<string, unknown>; plugin: string; expected: number }> = [
    // (4000 − 1000) × 100 / 4000 = 75 and (8Gi − 2Gi) × 100 / 8Gi = 75 → 75
    { name: "no pluginConfig: LeastAllocated", profile: {}, plugin: "NodeResourcesFit", expected: 75 },
    // 1000 × 100 / 4000 = 25 for both → 25
    { name: "NodeResourcesFit MostAllocated", profile: fit({ scoringStrategy: { type: "MostAllocated" } }), plugin: "NodeResourcesFit", expected: 25 },
    // utilization 25 on shape {0:0, 50:10} → 0 + 100 × 25 / 50 = 50, both → Round(50) = 50
    {
      name: "NodeResourcesFit RequestedToCapacityRatio with its shape",
      profile: fit({ scoringStrategy: { type: "RequestedToCapacityRatio", requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 50, score: 10 }] } } }),
      plugin: "NodeResourcesFit",
      expected: 50,
    },
    // cpu only, weight 0 → 1: 75
    { name: "a resource weight of 0 is defaulted to 1", profile: fit({ scoringStrategy: { type: "LeastAllocated", resources: [{ name: "cpu", weight: 0 }] } }), plugin: "NodeResourcesFit", expected: 75 },
    // v1.35: 0.25 and 0.25 → 100
    { name: "BalancedAllocation: v1.35 by default", profile: {}, plugin: "NodeResourcesBalancedAllocation", expected: 100 },
  ];
  it.each(rows)("$name", ({ profile, plugin, expected }) => {
    expect(scoreOf(profileOf(profile), plugin)).toBe(expected);
  });

  it("BalancedAllocation with the v1.36 option: no change in balance scores 75", () => {
    // without the pod 100, with it 100 → 50 + (50 + 0) / 2 = 75
    expect(scoreOf(build({}, { balancedAllocationFormula: "v1.36" }).profiles[0] as Profile, "NodeResourcesBalancedAllocation")).toBe(75);
  });

  it("accepts the arguments of default plugins it does not simulate", () => {
    expect(errorsOf({ ...HEADER, profiles: [{ pluginConfig: [{ name: "PodTopologySpread", args: { defaultingType: "List" } }, { name: "DefaultPreemption", args: {} }] }] })).toEqual([]);
  });
});

describe("DefaultPreemptionArgs (ValidateDefaultPreemptionArgs, v1.35)", () => {
  const ARGS = "profiles[0].pluginConfig[0].args";
  const preemptionArgs = (args: Record<string, unknown>) => ({ ...HEADER, profiles: [{ pluginConfig: [{ name: "DefaultPreemption", args }] }] });
  const rows: Array<{ name: string; args: Record<string, unknown>; errors: string[] }> = [
    { name: "kube's defaults written out (10, 100) are valid", args: { minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 }, errors: [] },
    { name: "0% with an absolute of 1 is valid", args: { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 1 }, errors: [] },
    { name: "a percentage of 101", args: { minCandidateNodesPercentage: 101 }, errors: [`${ARGS}.minCandidateNodesPercentage: Invalid value: 101: not in valid range [0, 100]`] },
    { name: "a negative percentage", args: { minCandidateNodesPercentage: -1 }, errors: [`${ARGS}.minCandidateNodesPercentage: Invalid value: -1: not in valid range [0, 100]`] },
    { name: "a negative absolute", args: { minCandidateNodesAbsolute: -1 }, errors: [`${ARGS}.minCandidateNodesAbsolute: Invalid value: -1: not in valid range [0, inf)`] },
    {
      name: "both 0: one error on each",
      args: { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 },
      errors: [
        `${ARGS}.minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute`,
        `${ARGS}.minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage`,
      ],
    },
  ];
  it.each(rows)("$name", ({ args, errors }) => {
    expect(errorsOf(preemptionArgs(args))).toEqual(errors);
  });
});

describe("InterPodAffinityArgs (ValidateInterPodAffinityArgs, v1.35)", () => {
  const ARGS = "profiles[0].pluginConfig[0].args";
  const affinityArgs = (args: Record<string, unknown>) => ({ ...HEADER, profiles: [{ pluginConfig: [{ name: "InterPodAffinity", args }] }] });
  const rows: Array<{ name: string; args: Record<string, unknown>; errors: string[] }> = [
    { name: "hardPodAffinityWeight 10 is valid", args: { hardPodAffinityWeight: 10 }, errors: [] },
    { name: "0 is valid (existing pods' required terms then score nothing)", args: { hardPodAffinityWeight: 0, ignorePreferredTermsOfExistingPods: true }, errors: [] },
    { name: "-1 is out of range", args: { hardPodAffinityWeight: -1 }, errors: [`${ARGS}.hardPodAffinityWeight: Invalid value: -1: not in valid range [0, 100]`] },
    { name: "101 is out of range", args: { hardPodAffinityWeight: 101 }, errors: [`${ARGS}.hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]`] },
  ];
  it.each(rows)("$name", ({ args, errors }) => {
    expect(errorsOf(affinityArgs(args))).toEqual(errors);
  });
});

describe("validation", () => {
  const fitArgs = (args: Record<string, unknown>) => ({ ...HEADER, profiles: [{ pluginConfig: [{ name: "NodeResourcesFit", args }] }] });
  const ratio = (shape: unknown) => fitArgs({ scoringStrategy: { type: "RequestedToCapacityRatio", requestedToCapacityRatio: { shape } } });
  const ARGS = "profiles[0].pluginConfig[0].args";
  const SHAPE = `${ARGS}.scoringStrategy.requestedToCapacityRatio.shape`;

  const rows: Array<{ name: string; configuration: unknown; error: string }> = [
    { name: "percentageOfNodesToScore above 100", configuration: { ...HEADER, percentageOfNodesToScore: 101 }, error: "percentageOfNodesToScore: 101 not in valid range [0-100]" },
    { name: "a profile's percentageOfNodesToScore below 0", configuration: { ...HEADER, profiles: [{ percentageOfNodesToScore: -1 }] }, error: "profiles[0].percentageOfNodesToScore: -1 not in valid range [0-100]" },
    {
      name: "an unsupported scoring strategy type",
      configuration: fitArgs({ scoringStrategy: { type: "Balanced" } }),
      error: `${ARGS}.scoringStrategy.type: Unsupported value: "Balanced": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"`,
    },
    {
      name: "a shape whose utilization repeats (must strictly increase)",
      configuration: ratio([{ utilization: 0, score: 0 }, { utilization: 50, score: 5 }, { utilization: 50, score: 10 }]),
      error: `${SHAPE}[2].utilization: 50: values must be sorted in increasing order`,
    },
    { name: "a shape that goes back", configuration: ratio([{ utilization: 50, score: 0 }, { utilization: 10, score: 10 }]), error: `${SHAPE}[1].utilization: 10: values must be sorted in increasing order` },
    { name: "a shape score above 10", configuration: ratio([{ utilization: 0, score: 0 }, { utilization: 100, score: 11 }]), error: `${SHAPE}[1].score: 11 not in valid range [0, 10]` },
    { name: "a shape utilization above 100", configuration: ratio([{ utilization: 101, score: 0 }]), error: `${SHAPE}[0].utilization: 101 not in valid range [0, 100]` },
    { name: "an empty shape", configuration: ratio([]), error: `${SHAPE}: Required value: at least one point must be specified` },
    {
      name: "RequestedToCapacityRatio without its settings",
      configuration: fitArgs({ scoringStrategy: { type: "RequestedToCapacityRatio" } }),
      error: `${ARGS}.scoringStrategy.requestedToCapacityRatio: Required value: must be specified when type is RequestedToCapacityRatio`,
    },
    {
      name: "ratio settings with another strategy",
      configuration: fitArgs({ scoringStrategy: { type: "MostAllocated", requestedToCapacityRatio: { shape: [] } } }),
      error: `${ARGS}.scoringStrategy.requestedToCapacityRatio: Forbidden: must be nil when type is not RequestedToCapacityRatio`,
    },
    {
      name: "a resource weight above 100",
      configuration: fitArgs({ scoringStrategy: { type: "LeastAllocated", resources: [{ name: "cpu", weight: 101 }] } }),
      error: `${ARGS}.scoringStrategy.resources[0].weight: resource weight of cpu not in valid range (0, 100]`,
    },
    {
      name: "a negative resource weight",
      configuration: fitArgs({ scoringStrategy: { type: "MostAllocated", resources: [{ name: "memory", weight: -1 }] } }),
      error: `${ARGS}.scoringStrategy.resources[0].weight: resource weight of memory not in valid range (0, 100]`,
    },
    {
      name: "a BalancedAllocation resource weight other than 1",
      configuration: { ...HEADER, profiles: [{ pluginConfig: [{ name: "NodeResourcesBalancedAllocation", args: { resources: [{ name: "cpu", weight: 2 }] } }] }] },
      error: `${ARGS}.resources[0].weight: must be 1`,
    },
    { name: "an ignored resource group with a slash", configuration: fitArgs({ ignoredResourceGroups: ["nvidia.com/gpu"] }), error: `${ARGS}.ignoredResourceGroups[0]: resource group name can't contain '/'` },
    {
      name: "two pluginConfig entries for one plugin",
      configuration: { ...HEADER, profiles: [{ pluginConfig: [{ name: "NodeResourcesFit", args: {} }, { name: "NodeResourcesFit", args: {} }] }] },
      error: 'profiles[0].pluginConfig[1].name: duplicate value "NodeResourcesFit"',
    },
    {
      name: "two profiles with one name",
      configuration: { ...HEADER, profiles: [{ schedulerName: "a" }, { schedulerName: "a" }] },
      error: 'profiles[1].schedulerName: duplicate value "a" (also profiles[0].schedulerName)',
    },
    { name: "a second profile without a name", configuration: { ...HEADER, profiles: [{ schedulerName: "a" }, {}] }, error: "profiles[1].schedulerName: required: every profile of several needs a schedulerName" },
    {
      name: "a plugin weight below 0",
      configuration: { ...HEADER, profiles: [{ plugins: { score: { enabled: [{ name: "ImageLocality", weight: -2 }] } } }] },
      error: "profiles[0].plugins.score.enabled[0].weight: -2 is not a valid weight: a whole number, 0 or more",
    },
    {
      name: "an out-of-tree plugin, refused by name",
      configuration: { ...HEADER, profiles: [{ plugins: { multiPoint: { enabled: [{ name: "Coscheduling" }] } } }] },
      error:
        'profiles[0].plugins.multiPoint.enabled[0].name: "Coscheduling" is not an in-tree plugin of kube-scheduler v1.35, nor one Timoneiro bundles (Open-Gpu-Share, BestFitScore, DotProductScore, GpuClusteringScore, GpuPackingScore, FGDScore), nor an out-of-tree plugin of this run (none is registered); write it as a plugin module and register it with --plugin FILE (out-of-tree plugins such as scheduler-plugins\' need their own code)',
    },
    {
      name: "a removed plugin",
      configuration: { ...HEADER, profiles: [{ plugins: { score: { enabled: [{ name: "NodeResourcesLeastAllocated" }] } } }] },
      error: 'profiles[0].plugins.score.enabled[0].name: plugin "NodeResourcesLeastAllocated" was removed from kube-scheduler; it is not in v1.35',
    },
    {
      name: "arguments for an unknown plugin",
      configuration: { ...HEADER, profiles: [{ pluginConfig: [{ name: "Trimaran", args: {} }] }] },
      error:
        'profiles[0].pluginConfig[0].name: "Trimaran" is not an in-tree plugin of kube-scheduler v1.35, nor one Timoneiro bundles (Open-Gpu-Share, BestFitScore, DotProductScore, GpuClusteringScore, GpuPackingScore, FGDScore), nor an out-of-tree plugin of this run (none is registered); write it as a plugin module and register it with --plugin FILE (out-of-tree plugins such as scheduler-plugins\' need their own code)',
    },
    {
      name: "a plugin listed twice in multiPoint",
      configuration: { ...HEADER, profiles: [{ plugins: { multiPoint: { enabled: [{ name: "ImageLocality" }, { name: "ImageLocality" }] } } }] },
      // runtime/framework.go expandMultiPointPlugins: "plugin %q already registered as %q" (the point's interface).
      error: 'profiles[0].plugins.multiPoint: plugin "ImageLocality" already registered as "ScorePlugin"',
    },
    {
      name: "no queue sort plugin",
      configuration: { ...HEADER, profiles: [{ plugins: { queueSort: { disabled: [{ name: "*" }] } } }] },
      // runtime/framework.go NewFramework.
      error: 'profiles[0].plugins.queueSort: only one queue sort plugin required for profile with scheduler name "default-scheduler", but got 0',
    },
    {
      name: "no bind plugin",
      configuration: { ...HEADER, profiles: [{ plugins: { bind: { disabled: [{ name: "DefaultBinder" }] } } }] },
      error: 'profiles[0].plugins.bind: at least one bind plugin is needed for profile with scheduler name "default-scheduler"',
    },
    {
      name: "scheduler-enforced node affinity",
      configuration: { ...HEADER, profiles: [{ pluginConfig: [{ name: "NodeAffinity", args: { addedAffinity: {} } }] }] },
      error: `${ARGS}.addedAffinity: scheduler-enforced node affinity (addedAffinity) is not simulated yet`,
    },
    {
      name: "extenders",
      configuration: { ...HEADER, extenders: [{ urlPrefix: "http://127.0.0.1:8888", filterVerb: "filter" }] },
      error: "extenders: scheduler extenders (HTTP webhooks) cannot be simulated",
    },
    { name: "another kind", configuration: { apiVersion: HEADER.apiVersion, kind: "Policy" }, error: 'kind: expected "KubeSchedulerConfiguration", got "Policy"' },
    { name: "not an object", configuration: [], error: ": a KubeSchedulerConfiguration must be an object" },
  ];
  it.each(rows)("$name", ({ configuration, error }) => {
    expect(errorsOf(configuration)).toContain(error);
  });

  const versionRows = ["v1beta1", "v1beta2", "v1beta3"].map((version) => ({ version }));
  it.each(versionRows)("the removed apiVersion $version is refused, naming the version and what to write", ({ version }) => {
    const errors = errorsOf({ ...HEADER, apiVersion: `kubescheduler.config.k8s.io/${version}` });
    expect(errors.length).toBe(1);
    expect(errors[0]).toMatch(new RegExp(`^apiVersion: kubescheduler\\.config\\.k8s\\.io/${version} .*write apiVersion kubescheduler\\.config\\.k8s\\.io/v1$`));
  });

  it("an unknown field is a warning, and the configuration still builds", () => {
    const result = schedulerConfigurationFrom({ ...HEADER, profiles: [{ plugins: { filters: { enabled: [] } } }], colour: "blue" });
    expect(result.value).toBeDefined();
    expect(result.diagnostics.map((item) => [item.severity, formatPath(item.path), item.unknownField])).toEqual([
      ["warning", "colour", true],
      ["warning", "profiles[0].plugins.filters", true],
    ]);
  });
});

describe("several profiles", () => {
  const configuration = build({
    percentageOfNodesToScore: 20,
    profiles: [
      { schedulerName: "default-scheduler" },
      { schedulerName: "bin-packer", percentageOfNodesToScore: 50, pluginConfig: [{ name: "NodeResourcesFit", args: { scoringStrategy: { type: "MostAllocated" } } }] },
      { schedulerName: "no-taints", plugins: { multiPoint: { disabled: [{ name: "TaintToleration" }] } } },
    ],
  });

  it("keeps each scheduler name, in order", () => {
    expect(configuration.profiles.map((profile) => profile.schedulerName)).toEqual(["default-scheduler", "bin-packer", "no-taints"]);
  });

  it("finds a pod's profile by its schedulerName, or none", () => {
    expect(profileFor(configuration, "bin-packer")?.schedulerName).toBe("bin-packer");
    expect(profileFor(configuration, "other-scheduler")).toBeUndefined();
  });

  it("a profile's percentage overrides the configuration's", () => {
    expect(configuration.profiles.map((profile) => profile.percentageOfNodesToScore)).toEqual([20, 50, 20]);
  });

  it("each profile has its own plugins", () => {
    expect(names(profileFor(configuration, "no-taints")?.filter ?? [])).not.toContain("TaintToleration");
    expect(names(profileFor(configuration, "default-scheduler")?.filter ?? [])).toContain("TaintToleration");
  });
});

describe("schedulerConfigurationFrom: what kube ignores and what it refuses at a point", () => {
  it("disabling a plugin kube does not know is a warning, as kube ignores it", () => {
    const result = schedulerConfigurationFrom({ apiVersion: KSC_API_VERSION, kind: "KubeSchedulerConfiguration", profiles: [{ plugins: { score: { disabled: [{ name: "NodeResourcesLeastAllocated" }] } } }] });
    expect(result.value).toBeDefined();
    expect(result.diagnostics.map((item) => `${item.severity} ${formatPath(item.path)}: ${item.message}`)).toEqual([
      'warning profiles[0].plugins.score.disabled[0].name: "NodeResourcesLeastAllocated" is not a plugin of kube-scheduler v1.35: disabling it has no effect',
    ]);
  });

  it("enabling a plugin at a point it does not implement is an error", () => {
    const result = schedulerConfigurationFrom({ apiVersion: KSC_API_VERSION, kind: "KubeSchedulerConfiguration", profiles: [{ plugins: { score: { enabled: [{ name: "NodeName" }] } } }] });
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((item) => `${formatPath(item.path)}: ${item.message}`)).toContain(
      // runtime/framework.go updatePluginList: "plugin %q does not extend %s plugin", %s the point's interface.
      'profiles[0].plugins.score.enabled[0].name: plugin "NodeName" does not extend ScorePlugin plugin (kube-scheduler v1.35 refuses the profile; NodeName implements Filter)',
    );
  });
});
