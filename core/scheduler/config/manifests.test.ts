/**
 * Every real KubeSchedulerConfiguration in shared/manifests (a document of that kind, or one
 * shipped as a string in a ConfigMap's data) either builds, or is refused with an error naming
 * the field and the culprit: out-of-tree plugins by name, removed beta apiVersions by version.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { formatPath } from "../../model/diagnostics.js";
import type { Pod } from "../../model/pod.js";
import { podRequests } from "../../model/requests.js";
import { makeNode, makePod } from "../../testing/builders.js";
import { cycleState } from "../framework/snapshot.js";
import type { NodeInfo, Profile } from "../framework/types.js";
import { schedulerConfigurationFrom, type SchedulerConfiguration } from "./ksc.js";

const MANIFESTS = join(import.meta.dirname, "../../../../shared/manifests");

/** YAML and JSON files under MANIFESTS (relative paths) whose text mentions KubeSchedulerConfiguration. */
function filesMentioningKsc(folder = ""): string[] {
  return readdirSync(join(MANIFESTS, folder)).flatMap((entry) => {
    const relative = folder === "" ? entry : `${folder}/${entry}`;
    if (statSync(join(MANIFESTS, relative)).isDirectory()) return filesMentioningKsc(relative);
    if (!/\.(ya?ml|json)$/.test(entry)) return [];
    return readFileSync(join(MANIFESTS, relative), "utf8").includes("KubeSchedulerConfiguration") ? [relative] : [];
  });
}

const isKsc = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && (value as Record<string, unknown>)["kind"] === "KubeSchedulerConfiguration";

/** The configurations in a YAML text: KubeSchedulerConfiguration documents, and those inside ConfigMaps' data. */
function configurationsIn(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text).flatMap((document) => {
    const value: unknown = document.toJS();
    if (isKsc(value)) return [value];
    const data = (value as { kind?: unknown; data?: Record<string, unknown> } | null)?.kind === "ConfigMap" ? (value as { data?: Record<string, unknown> }).data : undefined;
    return Object.values(data ?? {}).flatMap((embedded) => (typeof embedded === "string" ? configurationsIn(embedded) : []));
  });
}

type Expectation =
  | { readonly builds: (configuration: SchedulerConfiguration) => void }
  | { readonly refused: ReadonlyArray<readonly [path: string, message: RegExp]> };

const outOfTree = (name: string) => new RegExp(`^"${name}" is not an in-tree plugin of kube-scheduler v1\\.35`);
const removedVersion = (version: string) => new RegExp(`^kubescheduler\\.config\\.k8s\\.io/${version} is not served by kube-scheduler v1\\.35.*write apiVersion kubescheduler\\.config\\.k8s\\.io/v1$`);

/** Score of `plugin` in the only profile for `pod` on an empty `node`. */
function scoreOf(configuration: SchedulerConfiguration, plugin: string, pod: Pod, nodeSpec: ReturnType<typeof makeNode>): number | undefined {
  const node: NodeInfo = { node: nodeSpec, requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, podCount: 0, usedPorts: [] };
  const profile = configuration.profiles[0] as Profile;
  return profile.score.find((entry) => entry.plugin.name === plugin)?.plugin.score(cycleState(pod, podRequests(pod), [node]), node);
}

const intelNode = makeNode("node-1", { cpu: "4", memory: "8Gi", "intel.com/foo": "4", "intel.com/bar": "4" });
const intelPod = makePod("p", { cpu: "1", memory: "2Gi", "intel.com/foo": "1", "intel.com/bar": "3" });

/** `file#n`: the n-th configuration found in the file. */
const EXPECTED: Record<string, Expectation> = {
  "kube-scheduler-simulator/scheduler.yaml#0": {
    builds: (configuration) => expect(configuration.profiles.map((profile) => profile.schedulerName)).toEqual(["default-scheduler"]),
  },
  // The FGD simulator's: Open-Gpu-Share and FGDScore are bundled (plugins/gpushare), its Simon binder is not; FGDScore's
  // typical pods come from their simulator's workload, which a configuration must name here.
  "kubernetes-scheduler-simulator/test-scheduler-config.yaml#0": {
    refused: [
      ["apiVersion", removedVersion("v1beta1")],
      ["profiles[0].plugins.bind.enabled[0].name", outOfTree("Simon")],
      ["profiles[0].pluginConfig", /^FGDScore measures fragmentation against the workload's typical pods: name them in its args/],
    ],
  },
  "kubernetes-website/config.md__multipoint-hierarchy.yaml#0": {
    refused: [
      ["profiles[0].plugins.multiPoint.enabled[0].name", outOfTree("CustomQueueSort")],
      ["profiles[0].plugins.multiPoint.enabled[1].name", outOfTree("CustomPlugin1")],
      ["profiles[0].plugins.score.enabled[0].name", outOfTree("DefaultPlugin2")],
    ],
  },
  "kubernetes-website/config.md__v1beta2-equivalent.yaml#0": {
    refused: [
      ["apiVersion", removedVersion("v1beta2")],
      ["profiles[0].plugins.queueSort.enabled[0].name", outOfTree("CustomQueueSort")],
    ],
  },
  "kubernetes-website/my-scheduler.yaml#0": { refused: [["apiVersion", removedVersion("v1beta2")]] },
  "kubernetes-website/resource-bin-packing.md__MostAllocated.yaml#0": {
    // cpu 1/4 = 25, memory 2Gi/8Gi = 25 (weights 1); foo 1/4 = 25, bar 3/4 = 75 (weights 3):
    // (25 + 25 + 75 + 225) / 8 = 350 / 8 = 43.75 → 43
    builds: (configuration) => expect(scoreOf(configuration, "NodeResourcesFit", intelPod, intelNode)).toBe(43),
  },
  "kubernetes-website/resource-bin-packing.md__RequestedToCapacityRatio.yaml#0": {
    // only foo and bar (weights 3) on shape {0:0, 100:10}: foo 25 → 25, bar 75 → 75; Round((75 + 225) / 6) = 50
    builds: (configuration) => expect(scoreOf(configuration, "NodeResourcesFit", intelPod, intelNode)).toBe(50),
  },
  "kubernetes-website/topology-spread-constraints.md__default-constraints.yaml#0": {
    // valid List arguments (maxSkew 1 > 0, a label-name key, ScheduleAnyway, no selector): the
    // plugin is simulated with them as its default constraints
    builds: (configuration) => {
      expect(configuration.profiles[0]?.notSimulated).not.toContain("PodTopologySpread");
      expect(configuration.profiles[0]?.preScore.map((plugin) => plugin.name)).toContain("PodTopologySpread");
    },
  },
  "kwok/podgroup-scheduler-config.yaml#0": {
    refused: [
      ["profiles[0].plugins.multiPoint.enabled[0].name", outOfTree("Coscheduling")],
      ["profiles[0].plugins.queueSort.enabled[0].name", outOfTree("Coscheduling")],
    ],
  },
  "kwok/scheduler-config.yaml#0": {
    builds: (configuration) => expect(configuration.profiles.map((profile) => profile.schedulerName)).toEqual(["default-scheduler"]),
  },
  "scheduler-plugins/coscheduling__scheduler-config.yaml#0": {
    refused: [
      ["profiles[0].plugins.multiPoint.enabled[0].name", outOfTree("Coscheduling")],
      ["profiles[0].pluginConfig[0].name", outOfTree("Coscheduling")],
    ],
  },
  "scheduler-plugins/deployment__scheduler-config.yaml#0": { refused: [["profiles[0].plugins.score.enabled[0].name", outOfTree("Peaks")]] },
  "scheduler-plugins/networktopology__scheduler-config.yaml#0": {
    refused: [
      ["profiles[0].plugins.multiPoint.enabled[0].name", outOfTree("NetworkOverhead")],
      ["profiles[0].plugins.queueSort.enabled[0].name", outOfTree("TopologicalSort")],
    ],
  },
  "scheduler-plugins/nodemetadata__scheduler-config.yaml#0": { refused: [["profiles[0].plugins.score.enabled[0].name", outOfTree("NodeMetadata")]] },
  "scheduler-plugins/nodemetadata__scheduler-config.yaml#1": { refused: [["profiles[0].plugins.score.enabled[0].name", outOfTree("NodeMetadata")]] },
  "scheduler-plugins/nodemetadata__scheduler-config.yaml#2": { refused: [["profiles[0].plugins.score.enabled[0].name", outOfTree("NodeMetadata")]] },
  "scheduler-plugins/nodemetadata__scheduler-config.yaml#3": { refused: [["profiles[0].plugins.score.enabled[0].name", outOfTree("NodeMetadata")]] },
  "scheduler-plugins/noderesources__scheduler-config.yaml#0": { refused: [["profiles[0].plugins.score.enabled[0].name", outOfTree("NodeResourcesAllocatable")]] },
  "scheduler-plugins/scheduler-configmap.yaml#0": { refused: [["profiles[0].plugins.multiPoint.enabled[0].name", outOfTree("NodeResourceTopologyMatch")]] },
  "scheduler-plugins/trimaran__scheduler-config.yaml#0": {
    refused: [
      ["apiVersion", removedVersion("v1beta3")],
      ["profiles[0].plugins.score.enabled[0].name", outOfTree("TargetLoadPacking")],
    ],
  },
};

const found = filesMentioningKsc().flatMap((file) =>
  configurationsIn(readFileSync(join(MANIFESTS, file), "utf8")).map((value, index) => ({ key: `${file}#${index}`, value })),
);

describe("real KubeSchedulerConfigurations in shared/manifests", () => {
  it("every configuration found has an expected outcome, and every expected one is found", () => {
    expect(found.map(({ key }) => key).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(found)("$key", ({ key, value }) => {
    const expectation = EXPECTED[key] as Expectation;
    const result = schedulerConfigurationFrom(value);
    const errors = result.diagnostics.filter((item) => item.severity === "error").map((item) => ({ path: formatPath(item.path), message: item.message }));
    if ("builds" in expectation) {
      expect(errors).toEqual([]);
      expectation.builds(result.value as SchedulerConfiguration);
      return;
    }
    expect(result.value).toBeUndefined();
    for (const [path, message] of expectation.refused) {
      expect(errors.some((error) => error.path === path && message.test(error.message)), `${path}: ${message} in ${JSON.stringify(errors, null, 1)}`).toBe(true);
    }
  });
});
