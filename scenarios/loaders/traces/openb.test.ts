/**
 * The openb (Alibaba GPU 2023) loader: small files written here with every expected record worked
 * out from the rows beside them, bad rows, a scenario of three lines, and the real files of
 * ../shared/traces against the figures its README gives.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { podFromManifest, type Pod } from "../../../core/index.js";
import { loadScenarioText } from "../scenario.js";
import { preloadScenarioTraces } from "./index.js";
import { openbNode, openbWorkloads, readOpenbNodes, readOpenbPods } from "./openb.js";

const NODE_HEADER = "sn,cpu_milli,memory_mib,gpu,model";
const POD_HEADER = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time";
const TEMPLATE = podFromManifest({ apiVersion: "v1", kind: "Pod", metadata: { name: "t", namespace: "default" }, spec: { restartPolicy: "Never", containers: [{ name: "task", image: "openb-task" }] } }).value as Pod;
const SHARED = join(import.meta.dirname, "../../../../shared/traces/alibaba-gpu-v2023");

function write(dir: string, name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

describe("openb nodes", () => {
  it("CSV and Node YAML give the same nodes; Kubernetes nodes as the trace's YAML writes them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openb-"));
    const csv = write(dir, "nodes.csv", [NODE_HEADER, "openb-node-0000,64000,262144,2,P100", "openb-node-0001,32000,131072,0,"]);
    const yaml = write(dir, "nodes.yaml", [
      "apiVersion: v1", "kind: Node", "metadata:", "  labels:", "    alibabacloud.com/gpu-card-model: P100", "  name: openb-node-0000", "status:",
      "  allocatable: {alibabacloud.com/gpu-count: '2', alibabacloud.com/gpu-milli: '2000', cpu: 64000m, memory: 262144Mi, pods: '1001'}",
      "---", "apiVersion: v1", "kind: Node", "metadata: {name: openb-node-0001}", "status:", "  allocatable: {cpu: '32', memory: 128Gi, pods: '1001'}",
    ]);
    const expected = [
      { name: "openb-node-0000", cpuMilli: 64_000, memoryMib: 262_144, gpus: 2, model: "P100" },
      { name: "openb-node-0001", cpuMilli: 32_000, memoryMib: 131_072, gpus: 0, model: "" },
    ];
    expect(await readOpenbNodes(csv, "nodes.csv")).toEqual(expected);
    expect(await readOpenbNodes(yaml, "nodes.yaml")).toEqual(expected);
    const node = openbNode(expected[0] as (typeof expected)[number]);
    expect(node.allocatable).toEqual({ cpu: 64_000, memory: 262_144 * 2 ** 20, pods: 1001, "alibabacloud.com/gpu-count": 2, "alibabacloud.com/gpu-milli": 2000 });
    expect(node.labels["alibabacloud.com/gpu-card-model"]).toBe("P100");
  });

  it("a bad row or document names file, line and column", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openb-"));
    await expect(readOpenbNodes(write(dir, "a.csv", ["sn,cpu,memory", "x,1,2"]), "a.csv")).rejects.toThrow(`a.csv:1:1: the first line must be the header "${NODE_HEADER}", got "sn,cpu,memory"`);
    await expect(readOpenbNodes(write(dir, "b.csv", [NODE_HEADER, "n1,64000,262144,2,P100", "n2,64000,262144,2"]), "b.csv")).rejects.toThrow(`b.csv:3:5: a node list row has 5 columns (${NODE_HEADER}), this one has 4`);
    await expect(readOpenbNodes(write(dir, "c.csv", [NODE_HEADER, "n1,64000,262144,2,"]), "c.csv")).rejects.toThrow("c.csv:2:5: model is required for a node with GPUs");
    await expect(readOpenbNodes(write(dir, "d.csv", [NODE_HEADER, "n1,0,262144,0,"]), "d.csv")).rejects.toThrow("d.csv:2:2: cpu_milli must be above 0, got 0");
    await expect(readOpenbNodes(write(dir, "e.yaml", ["apiVersion: v1", "kind: Node", "metadata: {name: a}", "---", "apiVersion: v1", "kind: Node", "metadata: {name: [b"]), "e.yaml")).rejects.toThrow(/^e\.yaml:7:\d+: not YAML/);
  });
});

describe("openb pods", () => {
  const rows = [
    POD_HEADER,
    "openb-pod-0000,12000,16384,1,1000,,LS,Running,0,100,0", //          a whole card, 0 → 100
    "openb-pod-0001,6000,12288,1,460,,BE,Running,50,400,50", //           460m of a card, 50 → 400
    "openb-pod-0002,88000,327680,8,1000,V100M16|V100M32,LS,Pending,70,90,", // eight cards of two models, pending
    "openb-pod-0003,4000,8192,0,0,,Burstable,Running,300,,300", //        cpu only, never deleted
  ];

  it("records as the rows give them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openb-"));
    const pods = await readOpenbPods(write(dir, "pods.csv", rows), "pods.csv");
    expect(pods).toEqual([
      { name: "openb-pod-0000", cpuMilli: 12_000, memoryMib: 16_384, gpuCount: 1, gpuMilli: 1000, gpuModels: [], qos: "LS", creation: 0, deletion: 100 },
      { name: "openb-pod-0001", cpuMilli: 6000, memoryMib: 12_288, gpuCount: 1, gpuMilli: 460, gpuModels: [], qos: "BE", creation: 50, deletion: 400 },
      { name: "openb-pod-0002", cpuMilli: 88_000, memoryMib: 327_680, gpuCount: 8, gpuMilli: 1000, gpuModels: ["V100M16", "V100M32"], qos: "LS", creation: 70, deletion: 90 },
      { name: "openb-pod-0003", cpuMilli: 4000, memoryMib: 8192, gpuCount: 0, gpuMilli: 0, gpuModels: [], qos: "Burstable", creation: 300 },
    ]);
  });

  it("as workloads: created and deleted at their times, scaled; the GPU request as annotations and milli in all; multiply and window", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openb-"));
    const specs = await readOpenbPods(write(dir, "pods.csv", rows), "pods.csv");
    const read = openbWorkloads(specs, { timeScale: 10 }, TEMPLATE);
    // tick = ⌊seconds / 10⌋: pod 0 at 0 (a pod of the start), deleted at 10; pod 1 5 → 40; pod 2 7 → 9; pod 3 30, never deleted
    expect(read.pods.map((pod) => pod.name)).toEqual(["openb-pod-0000"]);
    expect(read.actions.map((action) => [action.at, action.action, action.action === "createPod" ? action.pod.name : "pod" in action ? action.pod : ""])).toEqual([
      [5, "createPod", "openb-pod-0001"], [7, "createPod", "openb-pod-0002"], [9, "deletePod", "default/openb-pod-0002"],
      [10, "deletePod", "default/openb-pod-0000"], [30, "createPod", "openb-pod-0003"], [40, "deletePod", "default/openb-pod-0001"],
    ]);
    expect(read.lastTick).toBe(40);
    const shared = read.actions.find((action) => action.action === "createPod" && action.pod.name === "openb-pod-0001");
    const pod = shared?.action === "createPod" ? shared.pod : undefined;
    expect(pod?.containers[0]?.requests).toEqual({ cpu: 6000, memory: 12_288 * 2 ** 20, "alibabacloud.com/gpu-milli": 460 });
    expect(pod?.containers[0]?.limits).toEqual({ "alibabacloud.com/gpu-milli": 460 });
    expect(pod?.annotations).toMatchObject({ "alibabacloud.com/gpu-count": "1", "alibabacloud.com/gpu-milli": "460" });
    const eight = read.actions.find((action) => action.action === "createPod" && action.pod.name === "openb-pod-0002");
    expect(eight?.action === "createPod" ? eight.pod.annotations["alibabacloud.com/gpu-card-model"] : undefined).toBe("V100M16|V100M32");
    // 8 × 1000 milli in all
    expect(eight?.action === "createPod" ? eight.pod.containers[0]?.requests["alibabacloud.com/gpu-milli"] : undefined).toBe(8000);
    expect(read.warnings).toEqual(["1 pod(s) share a GPU card (gpu_milli < 1000): kube's default profile checks a node's milli-GPU in all (alibabacloud.com/gpu-milli); a profile with the bundled Open-Gpu-Share plugin places them card by card (examples/gpu-sharing.ksc.yaml)"]);
    // window [50, 301): pods 1, 2, 3, ticks from 50; two copies of each
    const windowed = openbWorkloads(specs, { window: { from: 50, until: 301 }, multiply: 2 }, TEMPLATE);
    expect(windowed.pods.map((p) => p.name)).toEqual(["openb-pod-0001", "openb-pod-0001-1"]);
    expect(windowed.actions.filter((action) => action.action === "createPod").map((action) => [action.at, action.action === "createPod" ? action.pod.name : ""])).toEqual([
      [20, "openb-pod-0002"], [20, "openb-pod-0002-1"], [250, "openb-pod-0003"], [250, "openb-pod-0003-1"],
    ]);
  });

  it("a bad row names file, line and column", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openb-"));
    const bad = async (row: string) => readOpenbPods(write(dir, "p.csv", [POD_HEADER, row]), "p.csv");
    await expect(bad("p0,12000,16384,1,1500,,LS,Running,0,100,0")).rejects.toThrow("p.csv:2:5: gpu_milli must be the share of each card, 1 to 1000, for a pod with GPUs, got 1500");
    await expect(bad("p0,12000,16384,2,500,,LS,Running,0,100,0")).rejects.toThrow("p.csv:2:5: gpu_milli must be 1000 for a pod with several GPUs");
    await expect(bad("p0,12000,16384,1,1000,,Gold,Running,0,100,0")).rejects.toThrow('p.csv:2:7: qos must be one of LS, BE, Burstable, Guaranteed, got "Gold"');
    await expect(bad("p0,12000,16384,1,1000,,LS,Running,500,100,0")).rejects.toThrow("p.csv:2:10: deletion_time 100 is before creation_time 500");
    await expect(bad("p0,12k,16384,1,1000,,LS,Running,0,100,0")).rejects.toThrow('p.csv:2:2: cpu_milli must be a whole number, got "12k"');
  });
});

describe("a scenario of three lines", () => {
  it("cluster and workloads from the trace; a field of the other kind is an error naming it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openb-"));
    write(dir, "nodes.csv", [NODE_HEADER, "n1,64000,262144,2,P100"]);
    write(dir, "pods.csv", [POD_HEADER, "p0,12000,16384,1,1000,,LS,Running,0,100,0"]);
    const file = write(dir, "replay.yaml", ["apiVersion: timoneiro.dev/v1", "kind: Scenario", "spec: {cluster: {trace: {kind: openb, path: nodes.csv}}, workloads: {trace: {kind: openb, path: pods.csv}}}"]);
    await preloadScenarioTraces(file);
    const loaded = loadScenarioText((await import("node:fs")).readFileSync(file, "utf8"), file, { validate: "warn" });
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(loaded.scenario?.nodes.map((node) => node.name)).toEqual(["n1"]);
    expect(loaded.scenario?.pods.map((pod) => pod.name)).toEqual(["p0"]);
    // the run lasts until the last deletion, and a second
    expect(loaded.scenario?.untilSeconds).toBe(101);
    const wrong = write(dir, "wrong.yaml", ["apiVersion: timoneiro.dev/v1", "kind: Scenario", "spec: {cluster: {trace: {kind: openb, path: nodes.csv, machineCpu: '32'}}}"]);
    await preloadScenarioTraces(wrong);
    const refused = loadScenarioText((await import("node:fs")).readFileSync(wrong, "utf8"), wrong, { validate: "warn" });
    expect(refused.diagnostics.map((d) => d.message)).toContain("machineCpu applies to google-2011 traces, not openb");
  });
});

describe.runIf(existsSync(SHARED))("the real trace (../shared/traces/alibaba-gpu-v2023)", () => {
  it("the README's figures: 1,523 nodes (6,212 GPUs, 125,514 cores), 1,213 GPU nodes as CSV and YAML alike, 8,152 pods", async () => {
    const all = await readOpenbNodes(join(SHARED, "openb_node_list_all_node.csv"), "all.csv");
    expect([all.length, all.reduce((sum, node) => sum + node.gpus, 0), all.reduce((sum, node) => sum + node.cpuMilli, 0) / 1000]).toEqual([1523, 6212, 125_514]);
    const csv = await readOpenbNodes(join(SHARED, "openb_node_list_gpu_node.csv"), "gpu.csv");
    const yaml = await readOpenbNodes(join(SHARED, "openb_node_list_gpu_node.yaml"), "gpu.yaml");
    expect(csv.length).toBe(1213);
    expect(yaml).toEqual(csv);
    const pods = await readOpenbPods(join(SHARED, "openb_pod_list_default.csv"), "pods.csv");
    // 1,088 cpu-only, 6,989 one-GPU (3,078 sharing), 75 multi-GPU
    expect([pods.length, pods.filter((p) => p.gpuCount === 0).length, pods.filter((p) => p.gpuCount === 1).length, pods.filter((p) => p.gpuCount === 1 && p.gpuMilli < 1000).length, pods.filter((p) => p.gpuCount > 1).length]).toEqual([8152, 1088, 6989, 3078, 75]);
  });
});
