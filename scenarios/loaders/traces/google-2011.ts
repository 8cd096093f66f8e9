/**
 * Google cluster-data 2011 (clusterdata-2011-2; schema in its schema.csv) as a scenario's nodes,
 * pods and timeline: `machine_events` and `task_events` files, gzipped CSV or plain, read a line
 * at a time (a large file is never held whole as text).
 *
 * Time: the trace counts microseconds, and starts at 600 s; time 0 means "before the trace
 * started". A row's tick is max(0, time / 10^6 − 600), divided by `timeScale`; `window` keeps
 * the rows whose tick (before scaling) lies in [from, until).
 *
 * Machines (`machine_events`: time, machine ID, event type, platform, CPUs, memory):
 * - ADD (0): a node `machine-<id>` of CPUs × `machineCpu` millicores and memory × `machineMemory`
 *   bytes (the trace normalises both so that the largest machine is 1.0); at tick 0 it is one of
 *   the cluster's nodes, later an `addNode`;
 * - REMOVE (1): `removeNode` (its pods are orphaned, as when a Node object is deleted);
 * - UPDATE (2): a capacity change, which Timoneiro's nodes cannot make (counted, said once) —
 *   but a machine ADDed with blank CPUs or memory (32 in the 2011 table) joins at the first
 *   UPDATE that gives both;
 *
 * Tasks (`task_events`: time, missing info, job ID, task index, machine ID, event type, user,
 * scheduling class, priority, CPU request, memory request, disk request, different machines
 * restriction). A task (job, index) is a pod `job-<job>-<index>`; a task submitted again after an
 * EVICT, FAIL, KILL or LOST is a new pod `job-<job>-<index>-<n>` (Borg resubmits it):
 * - SUBMIT (0): the pod is created then, with the row's requests (CPU × machineCpu, memory ×
 *   machineMemory; a blank request: none) and `spec.priority` = the Borg priority (0–11);
 * - SCHEDULE (1) … FINISH (4): the pod runs that long once started (sim.timoneiro.dev/duration)
 *   and Succeeds;
 * - SCHEDULE … FAIL (3): it fails that long after starting (fail-after, exit code 1);
 * - KILL (5), EVICT (2), LOST (6): the pod is deleted at that tick (grace 0) — the user killed it,
 *   or Borg took it away; a task with no end in the file runs to the end of the run;
 * - UPDATE_PENDING (7), UPDATE_RUNNING (8): request changes, not simulated (counted);
 * - different machines restriction = 1: its job's tasks repel each other by hostname (required
 *   pod anti-affinity on the label google.com/job).
 * Borg places tasks itself; here the scheduler under test does, so SCHEDULE's machine is not used.
 */
import type { Node, Pod, TimelineAction } from "../../../core/index.js";
import { integer, rows, sampled, TraceError } from "./csv.js";

export { TraceError } from "./csv.js";

export interface Google2011Options {
  /** Millicores of a machine whose normalised CPUs are 1.0. */
  readonly machineCpu: number;
  /** Bytes of a machine whose normalised memory is 1.0. */
  readonly machineMemory: number;
  /** Keep rows whose tick (seconds after the trace's start) lies in [from, until). */
  readonly window?: { readonly from: number; readonly until: number };
  /** Divide every tick by this (2: twice as fast). */
  readonly timeScale?: number;
  /** Keep this share of the tasks (0 < sample ≤ 1), chosen by a hash of (job, index): the same ones every time. */
  readonly sample?: number;
}

/** Column `index` as a normalised amount in [0, 1]; blank: undefined. */
function fraction(fields: readonly string[], index: number, name: string, file: string, line: number): number | undefined {
  const text = fields[index] ?? "";
  if (text === "") return undefined;
  const value = Number(text);
  if (!/^\d*\.?\d+(e-?\d+)?$/i.test(text) || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new TraceError(file, line, index + 1, `${name} must be a normalised amount from 0 to 1, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** The trace's tick for a time in microseconds, or undefined outside the window. */
function tickOf(micros: number, options: Google2011Options): number | undefined {
  const tick = micros === 0 ? 0 : Math.max(0, Math.floor(micros / 1e6) - 600);
  if (options.window !== undefined && (tick < options.window.from || tick >= options.window.until)) return undefined;
  const from = options.window?.from ?? 0;
  return Math.floor((tick - from) / (options.timeScale ?? 1));
}

export interface MachinesRead {
  readonly nodes: Node[];
  readonly actions: TimelineAction[];
  /** Machine UPDATE rows (capacity changes), not simulated. */
  readonly updates: number;
  /** What the scenario loader should say about it. */
  readonly warnings?: readonly string[];
}

function machineNode(id: number, cpus: number, memory: number, options: Google2011Options): Node {
  const name = `machine-${id}`;
  const allocatable = { cpu: Math.round(cpus * options.machineCpu), memory: Math.round(memory * options.machineMemory), pods: 110 };
  return { name, labels: { "kubernetes.io/hostname": name }, annotations: {}, taints: [], unschedulable: false, capacity: allocatable, allocatable, ready: "True" };
}

/** `machine_events` → the nodes at tick 0 and the machines added and removed later. */
export async function readGoogleMachines(path: string, file: string, options: Google2011Options): Promise<MachinesRead> {
  const nodes: Node[] = [];
  const actions: TimelineAction[] = [];
  const present = new Set<number>();
  // Added without CPUs or memory (the schema allows blanks): they join at the first row that gives both.
  const waiting = new Set<number>();
  let updates = 0;
  for await (const chunk of rows(path, file, 6, "machine_events", "schema.csv")) for (const { fields, line } of chunk) {
    const time = integer(fields, 0, "time", file, line) as number;
    const id = integer(fields, 1, "machine ID", file, line) as number;
    const type = integer(fields, 2, "event type", file, line) as number;
    if (type < 0 || type > 2) throw new TraceError(file, line, 3, `event type must be 0 (ADD), 1 (REMOVE) or 2 (UPDATE), got ${type}`);
    const tick = tickOf(time, options);
    if (tick === undefined) continue;
    if (type === 1) {
      waiting.delete(id);
      if (present.delete(id)) actions.push({ at: tick, action: "removeNode", node: `machine-${id}` });
      continue;
    }
    const cpus = fraction(fields, 4, "CPUs", file, line);
    const memory = fraction(fields, 5, "memory", file, line);
    if (type === 2 && !waiting.has(id)) {
      updates++;
      continue;
    }
    if (cpus === undefined || memory === undefined) {
      if (!present.has(id)) waiting.add(id);
      continue;
    }
    waiting.delete(id);
    if (present.has(id)) continue; // added twice without a removal: the first stands
    present.add(id);
    const node = machineNode(id, cpus, memory, options);
    if (tick === 0) nodes.push(node);
    else actions.push({ at: tick, action: "addNode", node });
  }
  return { nodes, actions, updates };
}

export interface TasksRead {
  /** Pods created at tick 0. */
  readonly pods: Pod[];
  /** Later creations and the deletions (KILL, EVICT, LOST), in tick order. */
  readonly actions: TimelineAction[];
  /** Tasks read (before sampling), and UPDATE rows not simulated. */
  readonly tasks: number;
  readonly updates: number;
  /** The tick of the last row kept (its end: a run of the trace lasts that long). */
  readonly lastTick: number;
  /** What the scenario loader should say about it. */
  readonly warnings?: readonly string[];
}

/** One incarnation of a task, while its events are read. */
interface Incarnation {
  readonly name: string;
  readonly job: number;
  readonly submitted: number;
  cpu?: number;
  memory?: number;
  priority: number;
  spread: boolean;
  started?: number;
  ended?: { readonly tick: number; readonly type: number };
}

/** `task_events` → pods: see the file's comment. `template` is a pod as the manifest loader makes one (defaults, tolerations). */
export async function readGoogleTasks(path: string, file: string, options: Google2011Options, template: Pod): Promise<TasksRead> {
  const live = new Map<string, Incarnation>();
  const counts = new Map<string, number>();
  const done: Incarnation[] = [];
  let tasks = 0;
  let updates = 0;
  let lastTick = 0;
  for await (const chunk of rows(path, file, 13, "task_events", "schema.csv")) for (const { fields, line } of chunk) {
    const time = integer(fields, 0, "time", file, line) as number;
    const job = integer(fields, 2, "job ID", file, line) as number;
    const index = integer(fields, 3, "task index", file, line) as number;
    const type = integer(fields, 5, "event type", file, line) as number;
    if (type < 0 || type > 8) throw new TraceError(file, line, 6, `event type must be 0–8 (SUBMIT … UPDATE_RUNNING), got ${type}`);
    const priority = integer(fields, 8, "priority", file, line) as number;
    const cpu = fraction(fields, 9, "CPU request", file, line);
    const memory = fraction(fields, 10, "memory request", file, line);
    const restriction = integer(fields, 12, "different machines restriction", file, line, true);
    const tick = tickOf(time, options);
    const key = `${job}/${index}`;
    if (!counts.has(key)) {
      counts.set(key, 0);
      tasks++;
    }
    if (options.sample !== undefined && options.sample < 1 && !sampled(`${job}/${index}`, options.sample)) continue;
    if (tick === undefined) continue;
    if (tick > lastTick) lastTick = tick;
    const current = live.get(key);
    if (type === 7 || type === 8) {
      updates++;
      continue;
    }
    if (type === 0) {
      if (current !== undefined) continue; // submitted again while pending: the first stands
      const n = (counts.get(key) as number) + 1;
      counts.set(key, n);
      live.set(key, { name: n === 1 ? `job-${job}-${index}` : `job-${job}-${index}-${n}`, job, submitted: tick, ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}), priority, spread: restriction === 1 });
      continue;
    }
    if (current === undefined) continue; // an event for a task submitted before the window
    if (current.cpu === undefined && cpu !== undefined) current.cpu = cpu;
    if (current.memory === undefined && memory !== undefined) current.memory = memory;
    if (type === 1) {
      current.started ??= tick;
      continue;
    }
    current.ended = { tick, type };
    done.push(current);
    live.delete(key);
  }
  for (const incarnation of live.values()) done.push(incarnation);

  const pods: Pod[] = [];
  const actions: TimelineAction[] = [];
  for (const task of done) {
    const pod = podFor(task, options, template);
    if (task.submitted === 0) pods.push(pod);
    else actions.push({ at: task.submitted, action: "createPod", pod });
    const ended = task.ended;
    if (ended !== undefined && (ended.type === 2 || ended.type === 5 || ended.type === 6)) {
      actions.push({ at: Math.max(ended.tick, task.submitted), action: "deletePod", pod: `default/${task.name}`, gracePeriodSeconds: 0 });
    }
  }
  // Creations before deletions at a tick; the sort is stable, so each keeps the trace's order.
  actions.sort((a, b) => a.at - b.at || rank(a) - rank(b));
  return { pods, actions, tasks, updates, lastTick };
}

function rank(action: TimelineAction): number {
  return action.action === "createPod" ? 0 : 1;
}

function podFor(task: Incarnation, options: Google2011Options, template: Pod): Pod {
  const requests: Record<string, number> = {};
  if (task.cpu !== undefined && task.cpu > 0) requests["cpu"] = Math.max(1, Math.round(task.cpu * options.machineCpu));
  if (task.memory !== undefined && task.memory > 0) requests["memory"] = Math.max(1, Math.round(task.memory * options.machineMemory));
  const ended = task.ended;
  const ran = ended !== undefined && task.started !== undefined ? Math.max(0, ended.tick - task.started) : undefined;
  const sim = ran === undefined ? {} : ended?.type === 4 ? { durationSeconds: ran } : ended?.type === 3 ? { failAfterSeconds: ran, exitCode: 1 } : {};
  const job = String(task.job);
  return {
    ...template,
    name: task.name,
    labels: { "google.com/job": job },
    containers: [{ ...(template.containers[0] as Pod["containers"][number]), requests, limits: {} }],
    priority: task.priority,
    sim,
    ...(task.spread ? { podAntiAffinity: { required: [{ labelSelector: { matchLabels: { "google.com/job": job }, matchExpressions: [] }, namespaces: [], topologyKey: "kubernetes.io/hostname", matchLabelKeys: [], mismatchLabelKeys: [] }], preferred: [] } } : {}),
  };
}
