/**
 * Traces as a scenario's nodes or workloads:
 *
 *   spec:
 *     cluster:   {trace: {kind: google-2011, path: machine_events/part-00000-of-00001.csv.gz}}
 *     workloads: {trace: {kind: google-2011, path: task_events/part-00000-of-00500.csv.gz}}
 *
 *   spec:
 *     cluster:   {trace: {kind: openb, path: openb_node_list_gpu_node.csv}}   (or the Node .yaml)
 *     workloads: {trace: {kind: openb, path: openb_pod_list_default.csv}}
 *
 * with, beside `kind` and `path` (relative to the scenario file): `window: {from, until}`
 * (durations after the trace's start), `timeScale` (2: twice as fast) and `sample` (the share of
 * tasks kept, 0 < sample ≤ 1); for google-2011 `machineCpu` (a cpu quantity, default "32": a
 * machine whose normalised CPUs are 1.0); for google-2011 and the Alibaba 2017/2018 traces
 * `machineMemory` (default 128Gi: the memory of a machine whose normalised memory is 1.0); for
 * openb `multiply` (each pod submitted that many times: the trace is a sample of the cluster's
 * load); for alibaba-2017 `instanceScale` (the share of each task's instances kept).
 *
 * Reading a trace streams it (asynchronously); the scenario loader is synchronous. So the CLI
 * reads the traces a scenario names before loading it (`preloadScenarioTraces`, from its
 * preAction hook) and the loader takes them from here (`loadedTrace`); a program that loads a
 * scenario itself calls `preloadScenarioTraces(file)` first.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { cpuMillis, memoryBytes, parseDurationSeconds, podFromManifest, type Pod } from "../../../core/index.js";
import { readGoogleMachines, readGoogleTasks, TraceError, type Google2011Options, type MachinesRead, type TasksRead } from "./google-2011.js";
import { openbMachines, openbWorkloads, readOpenbNodes, readOpenbPods, type OpenbOptions } from "./openb.js";
import { readAlibaba2017Machines, readAlibaba2017Tasks, readAlibaba2018Machines, type AlibabaOptions } from "./alibaba.js";

export { TraceError } from "./google-2011.js";

export const TRACE_KINDS = ["google-2011", "openb", "alibaba-2017", "alibaba-2018"] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];

export interface TraceSpec {
  readonly kind: TraceKind;
  /** Absolute. */
  readonly path: string;
  /** As written (for messages). */
  readonly file: string;
  readonly options: Google2011Options & OpenbOptions & AlibabaOptions;
}

const FIELDS = ["kind", "path", "machineCpu", "machineMemory", "window", "timeScale", "sample", "multiply", "instanceScale"];
/** The fields that belong to some kinds only. */
const ONLY: Readonly<Record<string, readonly TraceKind[]>> = { machineCpu: ["google-2011"], machineMemory: ["google-2011", "alibaba-2017", "alibaba-2018"], multiply: ["openb"], instanceScale: ["alibaba-2017"] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A scenario's `trace:` value read: the spec, or the problems, each with the field it is about
 * (relative to the trace object). `folder` is the scenario file's.
 */
export function traceSpecOf(value: unknown, folder: string): { spec?: TraceSpec; problems: { field: string[]; message: string }[] } {
  const problems: { field: string[]; message: string }[] = [];
  if (!isRecord(value)) return { problems: [{ field: [], message: `a trace is {kind: ${TRACE_KINDS.join(" | ")}, path, window?, timeScale?, sample?, machineCpu?, machineMemory?, multiply?, instanceScale?}` }] };
  for (const key of Object.keys(value)) if (!FIELDS.includes(key)) problems.push({ field: [key], message: `unknown field "${key}" in a trace (${FIELDS.join(", ")})` });
  const kind = value["kind"];
  if (!TRACE_KINDS.includes(kind as TraceKind)) problems.push({ field: ["kind"], message: `must be one of ${TRACE_KINDS.join(", ")}, got ${JSON.stringify(kind)}` });
  else for (const [key, only] of Object.entries(ONLY)) if (value[key] !== undefined && !only.includes(kind as TraceKind)) problems.push({ field: [key], message: `${key} applies to ${only.join(" and ")} traces, not ${String(kind)}` });
  const path = value["path"];
  if (typeof path !== "string" || path === "") problems.push({ field: ["path"], message: "required: the trace file, relative to the scenario file" });
  const quantity = (field: string, fallback: number, parse: (text: string) => number, example: string): number => {
    const raw = value[field];
    if (raw === undefined) return fallback;
    try {
      const amount = parse(String(raw));
      if (amount > 0) return amount;
    } catch {
      // reported below
    }
    problems.push({ field: [field], message: `must be a positive quantity such as ${example}, got ${JSON.stringify(raw)}` });
    return fallback;
  };
  const machineCpu = quantity("machineCpu", 32_000, cpuMillis, '"32" or "64000m"');
  const machineMemory = quantity("machineMemory", 128 * 2 ** 30, memoryBytes, '"128Gi"');
  let window: { from: number; until: number } | undefined;
  if (value["window"] !== undefined) {
    const raw = value["window"];
    try {
      if (!isRecord(raw)) throw new Error("not an object");
      const from = parseDurationSeconds((raw["from"] ?? 0) as string | number);
      const until = parseDurationSeconds(raw["until"] as string | number);
      if (!(until > from)) throw new Error("until before from");
      window = { from, until };
    } catch {
      problems.push({ field: ["window"], message: `must be {from: <duration>, until: <duration>} after the trace's start, with until after from, got ${JSON.stringify(raw)}` });
    }
  }
  const timeScale = value["timeScale"];
  if (timeScale !== undefined && !(typeof timeScale === "number" && timeScale > 0)) problems.push({ field: ["timeScale"], message: `must be a number above 0 (2: twice as fast), got ${JSON.stringify(timeScale)}` });
  const sample = value["sample"];
  if (sample !== undefined && !(typeof sample === "number" && sample > 0 && sample <= 1)) problems.push({ field: ["sample"], message: `must be a share of the tasks, above 0 and at most 1, got ${JSON.stringify(sample)}` });
  const instanceScale = value["instanceScale"];
  if (instanceScale !== undefined && !(typeof instanceScale === "number" && instanceScale > 0 && instanceScale <= 1)) problems.push({ field: ["instanceScale"], message: `must be a share of each task's instances, above 0 and at most 1, got ${JSON.stringify(instanceScale)}` });
  const multiply = value["multiply"];
  if (multiply !== undefined && !(typeof multiply === "number" && Number.isInteger(multiply) && multiply >= 1 && multiply <= 1000)) problems.push({ field: ["multiply"], message: `must be a whole number of copies of each pod, 1 to 1000, got ${JSON.stringify(multiply)}` });
  if (problems.length > 0 || typeof path !== "string") return { problems };
  return {
    spec: {
      kind: kind as TraceKind,
      path: isAbsolute(path) ? path : join(folder, path),
      file: path,
      options: { machineCpu, machineMemory, ...(window !== undefined ? { window } : {}), ...(typeof timeScale === "number" ? { timeScale } : {}), ...(typeof sample === "number" ? { sample } : {}), ...(typeof multiply === "number" ? { multiply } : {}), ...(typeof instanceScale === "number" ? { instanceScale } : {}) },
    },
    problems,
  };
}

/** What a trace gave: machines for a cluster, tasks for workloads. */
export type TraceRead = { readonly part: "machines"; readonly read: MachinesRead } | { readonly part: "tasks"; readonly read: TasksRead };

const cache = new Map<string, TraceRead | { readonly error: string }>();

function keyOf(spec: TraceSpec, part: "machines" | "tasks"): string {
  return JSON.stringify([spec.kind, resolve(spec.path), part, spec.options]);
}

/** A pod as the manifest loader makes one (kube's defaults), for the traces' tasks to copy. */
function taskTemplate(image: string): Pod {
  const converted = podFromManifest({ apiVersion: "v1", kind: "Pod", metadata: { name: "task", namespace: "default" }, spec: { restartPolicy: "Never", containers: [{ name: "task", image }] } });
  if (converted.value === undefined) throw new Error("the trace's pod template does not convert");
  return converted.value;
}

/** Reads a trace (once per process), keeping what it gave or the error (a bad row, a missing file). */
export async function preloadTrace(spec: TraceSpec, part: "machines" | "tasks"): Promise<void> {
  const key = keyOf(spec, part);
  if (cache.has(key)) return;
  try {
    let read: TraceRead;
    if (spec.kind === "openb") {
      read = part === "machines"
        ? { part, read: openbMachines(await readOpenbNodes(spec.path, spec.file)) }
        : { part, read: openbWorkloads(await readOpenbPods(spec.path, spec.file), spec.options, taskTemplate("openb-task")) };
    } else if (spec.kind === "alibaba-2017") {
      if (part === "machines") {
        const machines = await readAlibaba2017Machines(spec.path, spec.file, spec.options);
        read = { part, read: { ...machines, ...(machines.errors > 0 ? { warnings: [`${machines.errors} softerror/harderror row(s) (a machine's agent check or hardware failing, with no recovery time) are not simulated`] } : {}) } };
      } else read = { part, read: await readAlibaba2017Tasks(spec.path, spec.file, spec.options, taskTemplate("alibaba-batch-task")) };
    } else if (spec.kind === "alibaba-2018") {
      if (part === "tasks") throw new TraceError(spec.file, 1, 1, "alibaba-2018 gives machines only (machine_meta.csv): its task tables are not part of this trace; use it under spec.cluster.trace");
      read = { part, read: await readAlibaba2018Machines(spec.path, spec.file, spec.options) };
    } else {
      read = part === "machines"
        ? { part, read: await readGoogleMachines(spec.path, spec.file, spec.options) }
        : { part, read: await readGoogleTasks(spec.path, spec.file, spec.options, taskTemplate("borg-task")) };
    }
    cache.set(key, read);
  } catch (error) {
    if (error instanceof TraceError) cache.set(key, { error: error.message });
    else if ((error as NodeJS.ErrnoException).code === "ENOENT") cache.set(key, { error: `${spec.file}: no such trace file (${spec.path})` });
    else if ((error as NodeJS.ErrnoException).code === "Z_DATA_ERROR" || (error as NodeJS.ErrnoException).code === "Z_BUF_ERROR") cache.set(key, { error: `${spec.file}: not gzip data (${(error as Error).message}); a trace file is .csv or .csv.gz` });
    else throw error;
  }
}

/** A trace `preloadTrace` read: what it gave, or the error message. */
export function loadedTrace(spec: TraceSpec, part: "machines" | "tasks"): TraceRead | { readonly error: string } {
  return cache.get(keyOf(spec, part)) ?? { error: `${spec.file}: the trace was not read (traces load through the timoneiro command, or call preloadScenarioTraces first)` };
}

/** The traces a scenario file names (`spec.cluster.trace`, `spec.workloads.trace`), read before it is loaded; a file that does not parse names none. */
export async function preloadScenarioTraces(file: string): Promise<void> {
  let value: unknown;
  try {
    const text = readFileSync(file, "utf8");
    // A large scenario is parsed here only if it can name a trace at all.
    if (!text.includes("trace")) return;
    value = parseYaml(text);
  } catch {
    return;
  }
  await preloadScenarioTraceValue(value, dirname(file));
}

/** The same for a scenario document already parsed, whose paths are relative to `folder`. */
export async function preloadScenarioTraceValue(value: unknown, folder: string): Promise<void> {
  const spec = isRecord(value) && isRecord(value["spec"]) ? value["spec"] : {};
  const wanted: [unknown, "machines" | "tasks"][] = [
    [isRecord(spec["cluster"]) ? spec["cluster"]["trace"] : undefined, "machines"],
    [isRecord(spec["workloads"]) ? spec["workloads"]["trace"] : undefined, "tasks"],
  ];
  for (const [raw, part] of wanted) {
    if (raw === undefined) continue;
    const { spec: trace } = traceSpecOf(raw, folder);
    if (trace !== undefined) await preloadTrace(trace, part);
  }
}
