/**
 * Commands that read a log: `replay LOG`, `get RESOURCE --log LOG [--at T]` and `describe`.
 */
import { parseDurationSeconds, DurationError } from "../../core/index.js";
import { LogFileError, readEventLog, replayLog, type ReadLog } from "../log/files.js";
import { describeNode, describePod } from "./describe.js";
import { DEFAULT_ROWS, eventsTable, formatTick, moreLine, nodesJson, nodesTable, pendingReasons, podsJson, podsTable } from "./format.js";
import { InputError, type Output } from "./output.js";
import { WORKLOAD_ALIASES, describeWorkload, workloadsJson, workloadsTable } from "./workloads.js";

export type OutputFormat = "table" | "wide" | "json";

function readLog(file: string, output: Output): ReadLog {
  try {
    const log = readEventLog(file);
    if (log.truncatedLine !== undefined) {
      output.error(`warning: ${file}:${log.truncatedLine}: truncated last line left out (the run that wrote it stopped mid-write); ${log.events.length} complete events read`);
    }
    return log;
  } catch (error) {
    if (error instanceof LogFileError) throw new InputError(error.message);
    throw error;
  }
}

function parseAt(at: string | undefined): number {
  if (at === undefined) return Number.POSITIVE_INFINITY;
  try {
    return parseDurationSeconds(at);
  } catch (error) {
    if (error instanceof DurationError) throw new InputError(`--at: ${error.message}`);
    throw error;
  }
}

function replay(file: string, log: ReadLog, at: number) {
  try {
    return replayLog(log, file, at);
  } catch (error) {
    if (error instanceof LogFileError) throw new InputError(error.message);
    throw error;
  }
}

/** `timoneiro replay LOG`: rebuilds the final state from the log and shows it (a screenful of each table unless `showAll`). */
export function replayCommand(file: string, output: Output, showAll = false): void {
  const log = readLog(file, output);
  const state = replay(file, log, Number.POSITIVE_INFINITY);
  const last = log.events[log.events.length - 1];
  const end = log.truncatedLine === undefined ? log.header.untilSeconds : (last?.t ?? 0);
  output.print(`Replayed ${log.events.length} events of scenario ${JSON.stringify(log.header.scenario)} (seed ${log.header.seed}, ${log.header.engine}) up to ${formatTick(end)}` +
    (log.header.scheduler ? `; scheduler: ${log.header.scheduler}` : ""));
  const rows = showAll ? Number.POSITIVE_INFINITY : DEFAULT_ROWS;
  const podCount = Object.keys(state.pods).length;
  const nodeCount = Object.keys(state.nodes).length;
  output.print("");
  output.print(podsTable(state, false, rows));
  if (podCount > rows) output.print(moreLine(podCount - rows, "pods", `timoneiro get pods --log ${file} lists them all (or replay --show-all)`));
  const pending = pendingReasons(state, showAll ? Number.POSITIVE_INFINITY : 5);
  if (pending.length > 0) {
    output.print("");
    output.print("Pending:");
    for (const line of pending) output.print(`  ${line}`);
  }
  output.print("");
  output.print(nodesTable(state, rows));
  if (nodeCount > rows) output.print(moreLine(nodeCount - rows, "nodes", `timoneiro get nodes --log ${file} lists them all (or replay --show-all)`));
}

const RESOURCES = ["pods", "nodes", "events"] as const;
const ALIASES: Readonly<Record<string, (typeof RESOURCES)[number]>> = {
  pod: "pods", pods: "pods", po: "pods", node: "nodes", nodes: "nodes", no: "nodes", event: "events", events: "events", ev: "events",
};

/** The tick a command looks at: `--at`, or the run's end (the last event's tick if the log stops early). */
function lookedAt(log: ReadLog, at: number): number {
  const last = log.events[log.events.length - 1];
  const end = log.truncatedLine === undefined ? log.header.untilSeconds : (last?.t ?? 0);
  return Math.min(at, end);
}

const ALL_RESOURCES = [...RESOURCES, "deployments", "replicasets", "replicationcontrollers", "statefulsets", "daemonsets", "priorityclasses"];

/** `timoneiro get pods|nodes|events|deployments|replicasets|replicationcontrollers|priorityclasses --log LOG [--at T] [-o table|wide|json]` */
export function getCommand(resource: string, options: { log?: string; at?: string; output: OutputFormat }, output: Output): void {
  const kind = ALIASES[resource];
  const workloads = WORKLOAD_ALIASES[resource];
  if (kind === undefined && workloads === undefined) throw new InputError(`unknown resource type ${JSON.stringify(resource)}: use one of ${ALL_RESOURCES.join(", ")}`);
  if (options.log === undefined) throw new InputError("--log is required: the events.jsonl of a run (timoneiro run --out DIR writes DIR/events.jsonl)");
  const at = parseAt(options.at);
  const log = readLog(options.log, output);
  if (Number.isFinite(at) && at > log.header.untilSeconds) {
    output.error(`warning: --at ${options.at} is after the run's end (${formatTick(log.header.untilSeconds)}): showing the end`);
  }
  if (workloads !== undefined) {
    const state = replay(options.log, log, at);
    if (options.output === "json") output.print(JSON.stringify(workloadsJson(state, workloads), null, 2));
    else output.print(workloadsTable(state, workloads, lookedAt(log, at), options.output === "wide"));
    return;
  }
  if (kind === "events") {
    const events = log.events.filter((event) => event.t <= at);
    if (options.output === "json") output.print(JSON.stringify(events, null, 2));
    else output.print(eventsTable(events, log.header.options.fitBy));
    return;
  }
  const state = replay(options.log, log, at);
  if (kind === undefined) return;
  if (options.output === "json") {
    output.print(JSON.stringify(kind === "pods" ? podsJson(state) : nodesJson(state), null, 2));
    return;
  }
  output.print(kind === "pods" ? podsTable(state, options.output === "wide") : nodesTable(state));
}

/** `timoneiro describe pod|node|deployment|replicaset|replicationcontroller|priorityclass NAME --log LOG [--at T] [-n NAMESPACE]` */
export function describeCommand(resource: string, name: string, options: { log?: string; at?: string; namespace: string }, output: Output): void {
  const kind = ALIASES[resource];
  const workloads = WORKLOAD_ALIASES[resource];
  if (kind !== "pods" && kind !== "nodes" && workloads === undefined) throw new InputError(`cannot describe ${JSON.stringify(resource)}: use pod, node, deployment, replicaset, replicationcontroller, statefulset, daemonset or priorityclass`);
  if (options.log === undefined) throw new InputError("--log is required: the events.jsonl of a run (timoneiro run --out DIR writes DIR/events.jsonl)");
  const at = parseAt(options.at);
  const log = readLog(options.log, output);
  const state = replay(options.log, log, at);
  const events = log.events.filter((event) => event.t <= at);
  if (workloads !== undefined) {
    for (const line of describeWorkload(state, events, workloads, name, options.namespace, lookedAt(log, at))) output.print(line);
    return;
  }
  const lines = kind === "pods" ? describePod(state, events, name, options.namespace) : describeNode(state, events, name);
  for (const line of lines) output.print(line);
}
