import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic, loadManifestText, type LoadedManifests } from "./manifests.js";

const MANIFESTS = join(import.meta.dirname, "../../../shared/manifests");

function manifestFiles(): string[] {
  return readdirSync(MANIFESTS)
    .filter((folder) => statSync(join(MANIFESTS, folder)).isDirectory())
    .flatMap((folder) => readdirSync(join(MANIFESTS, folder)).map((file) => `${folder}/${file}`))
    .sort();
}

function load(relative: string, validate: "warn" | "strict" | "ignore" = "warn"): LoadedManifests {
  return loadManifestText(readFileSync(join(MANIFESTS, relative), "utf8"), relative, { validate });
}

describe("every file in shared/manifests is loaded, or ignored or refused with a clear message", () => {
  const files = manifestFiles();

  it("finds the corpus", () => {
    expect(files.length).toBeGreaterThanOrEqual(70);
  });

  it.each(files)("%s", (file) => {
    const result = load(file);
    expect(result.objects.length, "every file holds at least one object").toBeGreaterThan(0);
    for (const object of result.objects) {
      if (object.outcome === "loaded") continue;
      // An object that is not loaded has a diagnostic at its file, saying why.
      const explained = result.diagnostics.some((diagnostic) => diagnostic.file === file && diagnostic.line >= object.line);
      expect(explained, `${file}:${object.line} ${object.kind} ${object.outcome} without a message`).toBe(true);
    }
    for (const diagnostic of result.diagnostics) {
      expect(diagnostic.line).toBeGreaterThan(0);
      expect(diagnostic.message.length).toBeGreaterThan(10);
    }
    const loadedCount = result.objects.filter((object) => object.outcome === "loaded").length;
    expect(result.nodes.length + result.pods.length + result.priorityClasses.length + result.workloads.length + result.policies.length).toBe(loadedCount);
  });
});

describe("what the corpus exercises", () => {
  it("loads the 1213 OpenB GPU nodes with their extended resources", () => {
    const result = load("kubernetes-scheduler-simulator/openb_node_list_gpu_node.yaml");
    expect(result.nodes).toHaveLength(1213);
    expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === "error")).toEqual([]);
    const first = result.nodes[0];
    expect(first?.allocatable["cpu"]).toBe(64_000);
    expect(Object.keys(first?.allocatable ?? {}).some((name) => name.startsWith("alibabacloud.com/"))).toBe(true);
  });

  it("warns about miscased fields at their line, with a suggestion", () => {
    const result = load("kubernetes/pod-with-node-inclusion-policy.yaml");
    expect(result.pods).toHaveLength(1);
    const texts = result.diagnostics.map(formatDiagnostic);
    expect(texts).toContainEqual(expect.stringMatching(
      /^kubernetes\/pod-with-node-inclusion-policy\.yaml:\d+: warning: spec\.topologySpreadConstraints\[0\]\.NodeAffinityPolicy: unknown field "NodeAffinityPolicy" in TopologySpreadConstraint \(did you mean "nodeAffinityPolicy"\?\)$/,
    ));
    const text = readFileSync(join(MANIFESTS, "kubernetes/pod-with-node-inclusion-policy.yaml"), "utf8").split("\n");
    const warning = result.diagnostics.find((diagnostic) => diagnostic.path.endsWith("NodeAffinityPolicy"));
    expect(text[(warning?.line ?? 0) - 1]).toContain("NodeAffinityPolicy");
  });

  it("--validate=strict refuses a pod with unknown fields; ignore drops the warnings", () => {
    const strict = load("kubernetes/pod-with-node-inclusion-policy.yaml", "strict");
    expect(strict.pods).toHaveLength(0);
    expect(strict.objects[0]?.outcome).toBe("refused");
    expect(strict.diagnostics.every((diagnostic) => diagnostic.severity === "error")).toBe(true);
    const ignore = load("kubernetes/pod-with-node-inclusion-policy.yaml", "ignore");
    expect(ignore.pods).toHaveLength(1);
    expect(ignore.diagnostics).toEqual([]);
  });

  it("refuses a numeric toleration operator: its feature gate is off in v1.35", () => {
    const result = load("kubernetes-website/pod-with-numeric-toleration.yaml");
    expect(result.pods).toHaveLength(0);
    expect(result.diagnostics.map(formatDiagnostic).join("\n")).toMatch(/operator Gt needs the TaintTolerationComparisonOperators feature gate/);
  });

  it("refuses removed API versions and the legacy scheduler Policy, saying what to use", () => {
    expect(formatDiagnostic(load("kubernetes-website/cronjob.yaml").diagnostics[0]!)).toMatch(/batch\/v1beta1: removed in Kubernetes v1\.25; use batch\/v1/);
    expect(formatDiagnostic(load("kubernetes-examples/scheduler-policy-config.json").diagnostics[0]!)).toMatch(/KubeSchedulerConfiguration/);
  });

  it("reads JSON, and v1 Lists item by item", () => {
    const pod = load("kubernetes-examples/mongo-pod.json");
    expect(pod.pods.map((p) => p.name)).toEqual(["mongo"]);
    const list = load("kubernetes/multi-resource-list.json");
    expect(list.objects.map((object) => object.kind)).toEqual(["Service", "ReplicationController"]);
    expect(list.diagnostics.every((diagnostic) => diagnostic.path.startsWith("items["))).toBe(true);
  });

  it("reads KYAML flow style with an unquoted extended-resource key", () => {
    const result = load("kubernetes-website/extended-resource-pod.yaml");
    expect(result.pods[0]?.containers[0]?.requests["example.com/dongle"]).toBe(3);
  });

  it("reads pod-level resources and applies them to the request", () => {
    const result = load("kubernetes-website/pod-level-resources.yaml");
    expect(result.pods[0]?.resources?.requests).toEqual({ cpu: 1000, memory: 100 * 2 ** 20 });
    expect(result.pods[0]?.resources?.limits).toEqual({ cpu: 1000, memory: 200 * 2 ** 20 });
  });

  it("keeps gated pods out of scheduling but loads them", () => {
    const result = load("kubernetes-website/pod-with-scheduling-gates.yaml");
    expect(result.pods[0]?.schedulingGates.length).toBe(2);
  });

  it("names a pod with only generateName the same way every time", () => {
    const first = load("kubernetes/pod-high-priority-large-cpu.yaml").pods[0]?.name;
    const second = load("kubernetes/pod-high-priority-large-cpu.yaml").pods[0]?.name;
    expect(first).toMatch(/^[a-z-]+[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(second).toBe(first);
  });

  it("warns that a node without status offers nothing", () => {
    const result = load("kwok/fake-node.yaml");
    expect(result.nodes).toHaveLength(1);
    expect(result.diagnostics.map((diagnostic) => diagnostic.message).join()).toMatch(/no status\.capacity/);
  });
});

describe("bad input names the file, line and field", () => {
  const rows: Array<[string, string, RegExp]> = [
    ["a YAML syntax error", "apiVersion: v1\nkind: Pod\nmetadata: [oops\n", /^bad\.yaml:\d+: error: not valid YAML or JSON/],
    ["a bad quantity", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: i\n    resources:\n      requests: {cpu: 1KB}\n",
      /^bad\.yaml:9: error: spec\.containers\[0\]\.resources\.requests\.cpu: invalid quantity "1KB": unknown suffix "KB"/],
    ["a typo that would request nothing", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: i\n    resource:\n      requests: {cpu: 1}\n",
      /^bad\.yaml:8: warning: spec\.containers\[0\]\.resource: unknown field "resource" in Container \(did you mean "resources"\?\)$/],
    ["two containers on one port", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: i, ports: [{containerPort: 8080}]}\n  - {name: b, image: i, ports: [{containerPort: 8080}]}\n",
      /^bad\.yaml:7: error: spec\.containers\[1\]\.ports\[0\]\.containerPort: port 8080\/TCP is already exposed by container "a".*"a" and "b" cannot both expose it$/],
    ["a misspelt resource name", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: i\n    resources:\n      requests: {cpu: 1, memroy: 1Gi}\n",
      /^bad\.yaml:9: error: spec\.containers\[0\]\.resources\.requests\.memroy: "memroy" must be a standard resource type .* did you mean "memory"\?$/],
    ["a bare extended resource name", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: i, resources: {limits: {gpu: 1}}}\n",
      /spec\.containers\[0\]\.resources\.limits\.gpu: "gpu" must be a standard resource type \(cpu, memory, ephemeral-storage, hugepages-<size>\) or fully qualified \(example\.com\/name\)$/],
    ["half an extended resource", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: i, resources: {limits: {nvidia.com/gpu: \"0.5\"}}}\n",
      /nvidia\.com\/gpu must be a whole number, got "0\.5"/],
    ["a missing kind", "apiVersion: v1\nmetadata: {name: p}\n", /^bad\.yaml:1: error: kind: required/],
    ["an unknown kind", "apiVersion: v1\nkind: Poddd\nmetadata: {name: p}\n", /^bad\.yaml:1: error: apiVersion: unknown kind "Poddd"/],
  ];
  it.each(rows)("%s", (_name, text, expected) => {
    const result = loadManifestText(text, "bad.yaml");
    expect(result.diagnostics.map(formatDiagnostic)).toContainEqual(expect.stringMatching(expected));
  });
});

describe("YAML features people use", () => {
  it("applies merge keys (<<: *anchor) as kubectl does", () => {
    const text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: i\n    resources:\n      requests: &res {cpu: 250m, memory: 64Mi}\n      limits:\n        <<: *res\n        cpu: \"1\"\n";
    const result = loadManifestText(text, "merge.yaml");
    expect(result.diagnostics).toEqual([]);
    expect(result.pods[0]?.containers[0]?.limits).toEqual({ cpu: 1000, memory: 64 * 2 ** 20 });
  });
});
