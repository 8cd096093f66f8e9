/**
 * Alibaba's GPU cluster trace of 2023, "openb" (cluster-trace-gpu-v2023, the FGD paper's data):
 * nodes from `openb_node_list_*.csv` (sn,cpu_milli,memory_mib,gpu,model) or from the Node YAML
 * (`openb_node_list_gpu_node.yaml`, kind: Node objects), pods from `openb_pod_list_*.csv`
 * (name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,
 * deletion_time,scheduled_time), read a chunk at a time.
 *
 * The rows become the plain records of `core/gpu` (`GpuNodeSpec`, `GpuPodSpec`); `openbNode` and
 * `openbPod` make Kubernetes objects of them as the trace's own Node YAML writes a node (GPUs as
 * `alibabacloud.com/gpu-count` and `alibabacloud.com/gpu-milli`, the model as the label
 * `alibabacloud.com/gpu-card-model`) and as the FGD simulator writes a pod (the GPU request as the
 * annotations `alibabacloud.com/gpu-count`, `alibabacloud.com/gpu-milli` per card and
 * `alibabacloud.com/gpu-card-model`, the allowed models joined by `|`).
 */
import { parseDocument } from "yaml";
import { formatPath, GPU_COUNT, GPU_MILLI, GPU_MODEL_LABEL, gpuNodeOf, MILLI_PER_GPU, nodeFromManifest, type GpuNodeSpec, type GpuPodSpec, type Node, type Pod, type TimelineAction } from "../../../core/index.js";
import { fileChunks, splitDocuments } from "../documents.js";
import { integer, rows, sampled, TraceError } from "./csv.js";
import type { MachinesRead, TasksRead } from "./google-2011.js";

export const OPENB_NODE_COLUMNS = ["sn", "cpu_milli", "memory_mib", "gpu", "model"] as const;
export const OPENB_POD_COLUMNS = ["name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli", "gpu_spec", "qos", "pod_phase", "creation_time", "deletion_time", "scheduled_time"] as const;

const QOS = ["LS", "BE", "Burstable", "Guaranteed"];
const PHASES = ["Running", "Pending", "Succeeded", "Failed"];

/** A node list, CSV or Node YAML (by the file's extension). */
export async function readOpenbNodes(path: string, file: string): Promise<GpuNodeSpec[]> {
  return /\.ya?ml$/i.test(path) ? readOpenbNodeYaml(path, file) : readOpenbNodeCsv(path, file);
}

async function readOpenbNodeCsv(path: string, file: string): Promise<GpuNodeSpec[]> {
  const nodes: GpuNodeSpec[] = [];
  const names = new Set<string>();
  for await (const chunk of rows(path, file, OPENB_NODE_COLUMNS.length, "node list", `${OPENB_NODE_COLUMNS.join(",")}`, OPENB_NODE_COLUMNS)) for (const { fields, line } of chunk) {
    const name = uniqueName(fields, names, "sn", "node", file, line);
    const cpuMilli = positive(fields, 1, "cpu_milli", file, line);
    const memoryMib = positive(fields, 2, "memory_mib", file, line);
    const gpus = integer(fields, 3, "gpu", file, line) as number;
    if (gpus < 0 || gpus > 64) throw new TraceError(file, line, 4, `gpu must be a number of cards from 0 to 64, got ${gpus}`);
    const model = fields[4] as string;
    if (gpus > 0 && model === "") throw new TraceError(file, line, 5, `model is required for a node with GPUs (P100, T4, V100M16, …)`);
    nodes.push({ name, cpuMilli, memoryMib, gpus, model: gpus > 0 ? model : "" });
  }
  return nodes;
}

/** The Node YAML: its documents one at a time (the file is never held whole). */
async function readOpenbNodeYaml(path: string, file: string): Promise<GpuNodeSpec[]> {
  const nodes: GpuNodeSpec[] = [];
  // The manifest loader's splitter: a document at a time, with the line it starts on.
  for (const slice of splitDocuments(fileChunks(path))) {
    // A slice after the first starts with its `---` line: the document itself starts below it.
    const marked = /^---[^\n]*\n/.exec(slice.text);
    // Without its trailing newlines, an error at the end of a document is put on its last line, not below it.
    const text = (marked === null ? slice.text : slice.text.slice(marked[0].length)).replace(/\s+$/, "");
    const firstLine = marked === null ? slice.firstLine : slice.firstLine + 1;
    if (text.trim() === "") continue;
    const parsed = parseDocument(text);
    if (parsed.errors.length > 0) {
      const error = parsed.errors[0] as { message: string; linePos?: [{ line: number; col: number }] };
      const at = error.linePos?.[0];
      throw new TraceError(file, firstLine + (at?.line ?? 1) - 1, at?.col ?? 1, `not YAML: ${error.message.split("\n")[0]}`);
    }
    const converted = nodeFromManifest(parsed.toJS());
    if (converted.value === undefined) {
      const problem = converted.diagnostics.find((d) => d.severity === "error");
      throw new TraceError(file, firstLine, 1, `not a Node: ${problem === undefined ? "unreadable" : `${formatPath(problem.path)}: ${problem.message}`}`);
    }
    const gpu = gpuNodeOf(converted.value);
    nodes.push({
      name: converted.value.name,
      cpuMilli: converted.value.allocatable["cpu"] ?? 0,
      memoryMib: Math.floor((converted.value.allocatable["memory"] ?? 0) / 2 ** 20),
      gpus: gpu.count,
      model: gpu.model,
    });
  }
  return nodes;
}

/** A pod list. */
export async function readOpenbPods(path: string, file: string): Promise<GpuPodSpec[]> {
  const pods: GpuPodSpec[] = [];
  const names = new Set<string>();
  for await (const chunk of rows(path, file, OPENB_POD_COLUMNS.length, "pod list", `${OPENB_POD_COLUMNS.join(",")}`, OPENB_POD_COLUMNS)) for (const { fields, line } of chunk) {
    const name = uniqueName(fields, names, "name", "pod", file, line);
    const cpuMilli = integer(fields, 1, "cpu_milli", file, line) as number;
    const memoryMib = integer(fields, 2, "memory_mib", file, line) as number;
    if (cpuMilli < 0) throw new TraceError(file, line, 2, `cpu_milli must not be negative, got ${cpuMilli}`);
    if (memoryMib < 0) throw new TraceError(file, line, 3, `memory_mib must not be negative, got ${memoryMib}`);
    const gpuCount = integer(fields, 3, "num_gpu", file, line) as number;
    if (gpuCount < 0 || gpuCount > 64) throw new TraceError(file, line, 4, `num_gpu must be a number of cards from 0 to 64, got ${gpuCount}`);
    const gpuMilli = integer(fields, 4, "gpu_milli", file, line) as number;
    if (gpuCount > 0 && (gpuMilli < 1 || gpuMilli > 1000)) throw new TraceError(file, line, 5, `gpu_milli must be the share of each card, 1 to 1000, for a pod with GPUs, got ${gpuMilli}`);
    if (gpuCount > 1 && gpuMilli !== 1000) throw new TraceError(file, line, 5, `gpu_milli must be 1000 for a pod with several GPUs (only a one-GPU pod shares a card), got ${gpuMilli}`);
    const spec = fields[5] as string;
    const gpuModels = spec === "" ? [] : spec.split("|");
    if (gpuModels.some((model) => model === "")) throw new TraceError(file, line, 6, `gpu_spec must be GPU models separated by '|', got ${JSON.stringify(spec)}`);
    const qos = fields[6] as string;
    if (!QOS.includes(qos)) throw new TraceError(file, line, 7, `qos must be one of ${QOS.join(", ")}, got ${JSON.stringify(qos)}`);
    const phase = fields[7] as string;
    if (!PHASES.includes(phase)) throw new TraceError(file, line, 8, `pod_phase must be one of ${PHASES.join(", ")}, got ${JSON.stringify(phase)}`);
    const creation = integer(fields, 8, "creation_time", file, line) as number;
    const deletion = integer(fields, 9, "deletion_time", file, line, true);
    if (deletion !== undefined && deletion < creation) throw new TraceError(file, line, 10, `deletion_time ${deletion} is before creation_time ${creation}`);
    integer(fields, 10, "scheduled_time", file, line, true);
    pods.push({ name, cpuMilli, memoryMib, gpuCount, gpuMilli: gpuCount > 0 ? gpuMilli : 0, gpuModels, qos, creation, ...(deletion !== undefined ? { deletion } : {}) });
  }
  return pods;
}

/** The row's first column: a name kube accepts (lower-case letters, digits, '-', '.'), not seen before in the file. */
function uniqueName(fields: readonly string[], names: Set<string>, column: string, what: string, file: string, line: number): string {
  const name = fields[0] as string;
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) throw new TraceError(file, line, 1, `${column} must be a ${what} name (lower-case letters, digits, '-' and '.'), got ${JSON.stringify(name)}`);
  if (names.has(name)) throw new TraceError(file, line, 1, `${what} ${name} is listed twice`);
  names.add(name);
  return name;
}

function positive(fields: readonly string[], index: number, name: string, file: string, line: number): number {
  const value = integer(fields, index, name, file, line) as number;
  if (value <= 0) throw new TraceError(file, line, index + 1, `${name} must be above 0, got ${value}`);
  return value;
}

/** The options of an openb trace in a scenario. */
export interface OpenbOptions {
  /** Keep pods created in [from, until) seconds after the trace's start. */
  readonly window?: { readonly from: number; readonly until: number };
  /** Divide every tick by this (2: twice as fast). */
  readonly timeScale?: number;
  /** Keep this share of the pods (0 < sample ≤ 1), chosen by a hash of the name: the same ones every time. */
  readonly sample?: number;
  /** Submit each pod this many times (copies named NAME-1, NAME-2, … beside the original): the trace is a sample of the cluster's load. */
  readonly multiply?: number;
}

/** The labels every openb node carries in the trace's Node YAML. */
const OS_LABELS = { "beta.kubernetes.io/os": "linux", "kubernetes.io/os": "linux" };

/** A node of the trace as its Node YAML writes it: cpu, memory, 1001 pods, and its cards. */
export function openbNode(spec: GpuNodeSpec): Node {
  const allocatable: Record<string, number> = { cpu: spec.cpuMilli, memory: spec.memoryMib * 2 ** 20, pods: 1001 };
  if (spec.gpus > 0) {
    allocatable[GPU_COUNT] = spec.gpus;
    allocatable[GPU_MILLI] = spec.gpus * MILLI_PER_GPU;
  }
  const labels: Record<string, string> = { ...(spec.gpus > 0 ? { [GPU_MODEL_LABEL]: spec.model } : {}), ...OS_LABELS, "kubernetes.io/hostname": spec.name };
  return { name: spec.name, labels, annotations: {}, taints: [], unschedulable: false, capacity: allocatable, allocatable, ready: "True" };
}

/** The trace's nodes as a scenario's cluster (all there from the start). */
export function openbMachines(specs: readonly GpuNodeSpec[]): MachinesRead {
  return { nodes: specs.map(openbNode), actions: [], updates: 0 };
}

/**
 * A pod of the trace: requests cpu and memory; its GPU request as the FGD simulator's
 * annotations, and its milli-GPU in all as the extended resource `alibabacloud.com/gpu-milli`
 * (requests = limits, as kube requires of an extended resource), which NodeResourcesFit checks
 * against the node's total; the QoS class as the label `alibabacloud.com/qos`.
 */
export function openbPod(spec: GpuPodSpec, name: string, template: Pod): Pod {
  const requests: Record<string, number> = {};
  if (spec.cpuMilli > 0) requests["cpu"] = spec.cpuMilli;
  if (spec.memoryMib > 0) requests["memory"] = spec.memoryMib * 2 ** 20;
  const limits: Record<string, number> = {};
  const annotations: Record<string, string> = {};
  if (spec.gpuCount > 0) {
    requests[GPU_MILLI] = limits[GPU_MILLI] = spec.gpuCount * spec.gpuMilli;
    annotations[GPU_COUNT] = String(spec.gpuCount);
    annotations[GPU_MILLI] = String(spec.gpuMilli);
    if (spec.gpuModels.length > 0) annotations[GPU_MODEL_LABEL] = spec.gpuModels.join("|");
  }
  return {
    ...template,
    name,
    labels: { "alibabacloud.com/qos": spec.qos },
    annotations: { ...template.annotations, ...annotations },
    containers: [{ ...(template.containers[0] as Pod["containers"][number]), requests, limits }],
  };
}

/**
 * The trace's pods as a scenario's workloads: each created at its creation time and deleted
 * (grace 0) at its deletion time, as the trace's objects were; ticks are seconds after the
 * trace's start (or the window's), divided by `timeScale`.
 */
export function openbWorkloads(specs: readonly GpuPodSpec[], options: OpenbOptions, template: Pod): TasksRead {
  const pods: Pod[] = [];
  const actions: TimelineAction[] = [];
  const deletions: TimelineAction[] = [];
  const from = options.window?.from ?? 0;
  const tickOf = (seconds: number) => Math.floor((seconds - from) / (options.timeScale ?? 1));
  let lastTick = 0;
  const copies = options.multiply ?? 1;
  for (const spec of specs) {
    if (options.window !== undefined && (spec.creation < options.window.from || spec.creation >= options.window.until)) continue;
    if (options.sample !== undefined && options.sample < 1 && !sampled(spec.name, options.sample)) continue;
    const created = tickOf(spec.creation);
    for (let copy = 0; copy < copies; copy++) {
      const name = copy === 0 ? spec.name : `${spec.name}-${copy}`;
      const pod = openbPod(spec, name, template);
      if (created === 0) pods.push(pod);
      else actions.push({ at: created, action: "createPod", pod });
      lastTick = Math.max(lastTick, created);
      if (spec.deletion !== undefined) {
        const deleted = Math.max(created, tickOf(spec.deletion));
        deletions.push({ at: deleted, action: "deletePod", pod: `default/${name}`, gracePeriodSeconds: 0 });
        lastTick = Math.max(lastTick, deleted);
      }
    }
  }
  // Creations before deletions at a tick; each in the trace's order (the sort is stable).
  const timeline = actions.concat(deletions).sort((a, b) => a.at - b.at || rank(a) - rank(b));
  const sharing = specs.filter((spec) => spec.gpuCount === 1 && spec.gpuMilli < MILLI_PER_GPU).length;
  const warnings = sharing === 0 ? [] : [`${sharing} pod(s) share a GPU card (gpu_milli < 1000): kube's default profile checks a node's milli-GPU in all (alibabacloud.com/gpu-milli); a profile with the bundled Open-Gpu-Share plugin places them card by card (examples/gpu-sharing.ksc.yaml)`];
  return { pods, actions: timeline, tasks: specs.length, updates: 0, lastTick, warnings };
}

function rank(action: TimelineAction): number {
  return action.action === "createPod" ? 0 : 1;
}
