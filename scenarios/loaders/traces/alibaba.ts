/**
 * Alibaba's cluster traces of 2017 and 2018 (alibaba/clusterdata, cluster-trace-v2017 and
 * cluster-trace-v2018; schema in v2017's schema.csv), read a chunk at a time.
 *
 * 2017 `server_event.csv` (timestamp, machine id, event type, event detail, CPUs, normalised
 * memory, normalised disk; no header): an `add` is a node `machine-<id>` of CPUs × 1000
 * millicores (the table gives whole CPUs) and memory × `machineMemory` bytes — at or before time 0
 * one of the cluster's nodes, later an `addNode`; a `remove` is a `removeNode`; `softerror` and
 * `harderror` (a machine's agent check or hardware failing, with no recovery time in the table)
 * are counted, not simulated.
 *
 * 2017 `batch_task.csv` (create time, end time, job id, task id, instances, status, CPUs per
 * instance × 100, normalised memory per instance; a header line in this copy): each task's
 * instances are pods `job-<job>-task-<task>-<n>` (the header line is optional), created at the task's creation, requesting
 * plan_cpu / 100 cores and plan_mem × `machineMemory` (blank: none); a Terminated task's
 * instances run end − create seconds once started and Succeed, a Failed one's fail after that
 * long, a Running or Waiting one's run on (the table ends first). The instances' own times are in
 * batch_instance.csv, not in the trace here: all of a task's instances are submitted together, so
 * expect queueing. `instanceScale` keeps that share of each task's instances (at least one).
 *
 * 2018 `machine_meta.csv` (machine id, timestamp, failure domain 1 and 2, CPUs, memory 0–100,
 * status; no header): a node per machine from its first USING row (IMPORT_INSTALLING rows are a
 * machine not yet in service), CPUs × 1000 millicores, memory / 100 × `machineMemory`, its failure
 * domains as labels. Its task tables are not in the trace here.
 *
 * Times are seconds; a row's tick is max(0, time − window.from) / timeScale.
 */
import type { Node, Pod, TimelineAction } from "../../../core/index.js";
import { integer, rows, sampled, TraceError } from "./csv.js";
import type { MachinesRead, TasksRead } from "./google-2011.js";

export interface AlibabaOptions {
  /** Bytes of a machine whose normalised memory is 1.0 (2018: 100). */
  readonly machineMemory: number;
  readonly window?: { readonly from: number; readonly until: number };
  readonly timeScale?: number;
  /** Keep this share of the tasks, chosen by a hash of (job, task). */
  readonly sample?: number;
  /** Keep this share of each task's instances (at least one). */
  readonly instanceScale?: number;
}

/** More pods than this is refused (use sample or instanceScale): a run holds each pod as an object. */
export const MAX_TRACE_PODS = 2_000_000;

function tickOf(time: number, options: AlibabaOptions): number | undefined {
  if (options.window !== undefined && (time < options.window.from || time >= options.window.until)) return undefined;
  return Math.floor(Math.max(0, time - (options.window?.from ?? 0)) / (options.timeScale ?? 1));
}

function amount(fields: readonly string[], index: number, name: string, file: string, line: number, max: number): number | undefined {
  const text = fields[index] ?? "";
  if (text === "") return undefined;
  const value = Number(text);
  if (!/^\d*\.?\d+(e-?\d+)?$/i.test(text) || !(value >= 0 && value <= max)) throw new TraceError(file, line, index + 1, `${name} must be a number from 0 to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

function machine(name: string, cpus: number, memory: number, labels: Record<string, string> = {}): Node {
  const allocatable = { cpu: cpus * 1000, memory: Math.round(memory), pods: 110 };
  return { name, labels: { ...labels, "kubernetes.io/hostname": name }, annotations: {}, taints: [], unschedulable: false, capacity: allocatable, allocatable, ready: "True" };
}

/** 2017 `server_event.csv` → the nodes at tick 0 and the machines added and removed later. */
export async function readAlibaba2017Machines(path: string, file: string, options: AlibabaOptions): Promise<MachinesRead & { readonly errors: number }> {
  const nodes: Node[] = [];
  const actions: TimelineAction[] = [];
  const present = new Set<number>();
  let errors = 0;
  for await (const chunk of rows(path, file, 7, "server_event", "schema.csv")) for (const { fields, line } of chunk) {
    const time = integer(fields, 0, "timestamp", file, line) as number;
    const id = integer(fields, 1, "machine id", file, line) as number;
    const type = fields[2] as string;
    if (!["add", "remove", "softerror", "harderror"].includes(type)) throw new TraceError(file, line, 3, `event type must be add, remove, softerror or harderror, got ${JSON.stringify(type)}`);
    const tick = tickOf(time, options);
    if (tick === undefined) continue;
    const name = `machine-${id}`;
    if (type === "softerror" || type === "harderror") {
      errors++;
      continue;
    }
    if (type === "remove") {
      if (present.delete(id)) actions.push({ at: tick, action: "removeNode", node: name });
      continue;
    }
    const cpus = integer(fields, 4, "number of cpus", file, line) as number;
    if (cpus <= 0) throw new TraceError(file, line, 5, `an add must give the machine's CPUs (above 0), got ${cpus}`);
    const memory = amount(fields, 5, "normalized memory", file, line, 1);
    if (memory === undefined || memory === 0) throw new TraceError(file, line, 6, "an add must give the machine's normalized memory (above 0)");
    if (present.has(id)) continue; // added twice without a removal: the first stands
    present.add(id);
    const node = machine(name, cpus, memory * options.machineMemory);
    if (tick === 0) nodes.push(node);
    else actions.push({ at: tick, action: "addNode", node });
  }
  return { nodes, actions, updates: 0, errors };
}

const STATUSES = ["Terminated", "Failed", "Running", "Waiting"];

/** 2017 `batch_task.csv` → pods: see the file's comment. `template` is a pod as the manifest loader makes one. */
export async function readAlibaba2017Tasks(path: string, file: string, options: AlibabaOptions, template: Pod): Promise<TasksRead> {
  const pods: Pod[] = [];
  const actions: TimelineAction[] = [];
  let tasks = 0;
  let total = 0;
  let lastTick = 0;
  let backwards = 0;
  const header = ["task_create_time", " task_end_time", " job_id", " task_id", "number_of_instances", " status", " number_of_cpus_requested_per_instance_in_the_task", "normalized_memory_requested_per_instance_in_the_task"];
  for await (const chunk of rows(path, file, 8, "batch_task", "schema.csv", header, true)) for (const { fields, line } of chunk) {
    const created = integer(fields, 0, "task create time", file, line) as number;
    const ended = integer(fields, 1, "task end time", file, line) as number;
    const job = integer(fields, 2, "job id", file, line) as number;
    const task = integer(fields, 3, "task id", file, line) as number;
    const instances = integer(fields, 4, "number of instances", file, line) as number;
    if (instances < 1) throw new TraceError(file, line, 5, `number of instances must be at least 1, got ${instances}`);
    const status = fields[5] as string;
    if (!STATUSES.includes(status)) throw new TraceError(file, line, 6, `status must be one of ${STATUSES.join(", ")}, got ${JSON.stringify(status)}`);
    const cpu = integer(fields, 6, "cpus requested per instance", file, line, true);
    if (cpu !== undefined && cpu < 0) throw new TraceError(file, line, 7, `cpus requested per instance must not be negative (100 = 1 core), got ${cpu}`);
    const memory = amount(fields, 7, "normalized memory requested per instance", file, line, 1);
    tasks++;
    const tick = tickOf(created, options);
    if (tick === undefined) continue;
    if (options.sample !== undefined && options.sample < 1 && !sampled(`${job}/${task}`, options.sample)) continue;
    const kept = options.instanceScale === undefined ? instances : Math.max(1, Math.round(instances * options.instanceScale));
    total += kept;
    if (total > MAX_TRACE_PODS) throw new TraceError(file, line, 5, `the tasks so far hold over ${MAX_TRACE_PODS.toLocaleString("en-US")} instances, more pods than a run holds: keep a share with sample (of the tasks) or instanceScale (of each task's instances), e.g. instanceScale: 0.1`);
    if (ended < created) backwards++;
    const ran = Math.floor(Math.max(0, ended - created) / (options.timeScale ?? 1));
    const sim = status === "Terminated" ? { durationSeconds: ran } : status === "Failed" ? { failAfterSeconds: ran, exitCode: 1 } : {};
    const requests: Record<string, number> = {};
    if (cpu !== undefined && cpu > 0) requests["cpu"] = cpu * 10;
    if (memory !== undefined && memory > 0) requests["memory"] = Math.max(1, Math.round(memory * options.machineMemory));
    const labels = { "alibaba.com/job": String(job), "alibaba.com/task": String(task) };
    for (let n = 0; n < kept; n++) {
      const pod: Pod = { ...template, name: `job-${job}-task-${task}-${n}`, labels, containers: [{ ...(template.containers[0] as Pod["containers"][number]), requests, limits: {} }], sim };
      if (tick === 0) pods.push(pod);
      else actions.push({ at: tick, action: "createPod", pod });
    }
    lastTick = Math.max(lastTick, tick + (status === "Terminated" || status === "Failed" ? ran : 0));
  }
  actions.sort((a, b) => a.at - b.at);
  const warnings = backwards > 0 ? [`${backwards} task(s) end before they are created: they run for 0 s`] : [];
  return { pods, actions, tasks, updates: 0, lastTick, warnings };
}

/** 2018 `machine_meta.csv` → nodes, each from its first USING row. */
export async function readAlibaba2018Machines(path: string, file: string, options: AlibabaOptions): Promise<MachinesRead> {
  const first = new Map<string, { tick: number; node: Node }>();
  for await (const chunk of rows(path, file, 7, "machine_meta", "machine id, timestamp, failure domain 1, failure domain 2, cpus, memory, status")) for (const { fields, line } of chunk) {
    const id = fields[0] as string;
    if (!/^[a-z0-9_]+$/i.test(id)) throw new TraceError(file, line, 1, `machine id must be letters, digits and _ (m_1), got ${JSON.stringify(id)}`);
    const time = integer(fields, 1, "timestamp", file, line) as number;
    const status = fields[6] as string;
    if (status !== "USING" && status !== "IMPORT_INSTALLING") throw new TraceError(file, line, 7, `status must be USING or IMPORT_INSTALLING, got ${JSON.stringify(status)}`);
    const cpus = integer(fields, 4, "cpus", file, line) as number;
    const memory = amount(fields, 5, "memory", file, line, 100);
    if (status !== "USING" || first.has(id)) continue;
    if (cpus <= 0 || memory === undefined || memory === 0) throw new TraceError(file, line, 5, "a machine in service (USING) must give its CPUs and memory (above 0)");
    const tick = tickOf(time, options);
    if (tick === undefined) continue;
    const name = `machine-${id.replace(/_/g, "-").toLowerCase()}`;
    first.set(id, { tick, node: machine(name, cpus, (memory / 100) * options.machineMemory, { "alibaba.com/failure-domain-1": fields[2] as string, "alibaba.com/failure-domain-2": fields[3] as string }) });
  }
  const nodes: Node[] = [];
  const actions: TimelineAction[] = [];
  for (const { tick, node } of first.values()) {
    if (tick === 0) nodes.push(node);
    else actions.push({ at: tick, action: "addNode", node });
  }
  actions.sort((a, b) => a.at - b.at);
  return { nodes, actions, updates: 0 };
}
