/**
 * Commands that read a log: `replay LOG`, `get RESOURCE --log LOG [--at T]` and `describe`.
 */
import { ClockError, DEFAULT_START_TIME, parseDurationSeconds, parseRfc3339, DurationError } from "../../core/index.js";
import { LogFileError, readEventLog, replayLog, type ReadLog } from "../log/files.js";
import { describeNode, describePod } from "./describe.js";
import { DEFAULT_ROWS, eventsTable, formatTick, moreLine, nodesJson, nodesTable, pendingReasons, podsJson, podsTable } from "./format.js";
import { InputError, type Output } from "./output.js";
import { describeService, endpointsTable, servicesTable } from "./services.js";
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

/** Whether `--at` gives a time (RFC 3339) rather than a duration since the start. */
function isTime(at: string | undefined): boolean {
  return at !== undefined && /^\d{4}-\d{2}-\d{2}T/i.test(at);
}

function parseAt(at: string | undefined, log?: ReadLog): number {
  if (at === undefined) return Number.POSITIVE_INFINITY;
  // An RFC 3339 time is read against the log's clock: 2026-01-01T00:05:00Z is tick 300 of a run started at midnight.
  if (isTime(at) && log !== undefined) {
    try {
      return Math.max(0, parseRfc3339(at) - startOf(log));
    } catch (error) {
      if (error instanceof ClockError) throw new InputError(`--at: ${error.message}`);
      throw error;
    }
  }
  try {
    return parseDurationSeconds(at);
  } catch (error) {
    if (error instanceof DurationError) throw new InputError(`--at: ${error.message}`);
    throw error;
  }
}

/**
 * The reference state a log holds at `--at` (default: its end), with the run's seed: what
 * `explain --log` schedules a pending pod in.
 */
export function stateFromLog(file: string, at: string | undefined, output: Output): { state: ReturnType<typeof replay>; seed: number; tick: number; scheduler: string | undefined } {
  const early = isTime(at) ? undefined : parseAt(at);
  const log = readLog(file, output);
  const tick = early ?? parseAt(at, log);
  return { state: replay(file, log, tick), seed: log.header.seed, tick: lookedAt(log, tick), scheduler: log.header.scheduler };
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

const RESOURCES = ["pods", "nodes", "events", "services", "endpoints"] as const;
const ALIASES: Readonly<Record<string, (typeof RESOURCES)[number]>> = {
  pod: "pods", pods: "pods", po: "pods", node: "nodes", nodes: "nodes", no: "nodes", event: "events", events: "events", ev: "events",
  service: "services", services: "services", svc: "services", endpoints: "endpoints", ep: "endpoints",
};

/** Tick 0's time in the log (its header's `startTime`; logs from before the scenario clock: the default). */
function startOf(log: ReadLog): number {
  return log.header.startTime === undefined ? DEFAULT_START_TIME : parseRfc3339(log.header.startTime);
}

/** The tick a command looks at: `--at`, or the run's end (the last event's tick if the log stops early). */
function lookedAt(log: ReadLog, at: number): number {
  const last = log.events[log.events.length - 1];
  const end = log.truncatedLine === undefined ? log.header.untilSeconds : (last?.t ?? 0);
  return Math.min(at, end);
}

const ALL_RESOURCES = [...RESOURCES, "deployments", "replicasets", "replicationcontrollers", "statefulsets", "daemonsets", "jobs", "cronjobs", "priorityclasses", "poddisruptionbudgets"];

/** `timoneiro get pods|nodes|events|deployments|replicasets|replicationcontrollers|priorityclasses --log LOG [--at T] [-o table|wide|json]` */
export function getCommand(resource: string, options: { log?: string; at?: string; output: OutputFormat }, output: Output): void {
  const kind = ALIASES[resource];
  const workloads = WORKLOAD_ALIASES[resource];
  if (kind === undefined && workloads === undefined) throw new InputError(`unknown resource type ${JSON.stringify(resource)}: use one of ${ALL_RESOURCES.join(", ")}`);
  if (options.log === undefined) throw new InputError("--log is required: the events.jsonl of a run (timoneiro run --out DIR writes DIR/events.jsonl)");
  // A duration is checked before the log is read; a time, against the log's clock.
  const early = isTime(options.at) ? undefined : parseAt(options.at);
  const log = readLog(options.log, output);
  const at = early ?? parseAt(options.at, log);
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
  if (kind === "services" || kind === "endpoints") {
    if (options.output === "json") throw new InputError(`-o json is not available for ${kind} yet: use -o table or wide`);
    output.print(kind === "services" ? servicesTable(state, lookedAt(log, at), options.output === "wide") : endpointsTable(state, lookedAt(log, at)));
    return;
  }
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
  if (kind !== "pods" && kind !== "nodes" && kind !== "services" && workloads === undefined) throw new InputError(`cannot describe ${JSON.stringify(resource)}: use pod, node, service, deployment, replicaset, replicationcontroller, statefulset, daemonset, job, cronjob, priorityclass or poddisruptionbudget`);
  if (options.log === undefined) throw new InputError("--log is required: the events.jsonl of a run (timoneiro run --out DIR writes DIR/events.jsonl)");
  const early = isTime(options.at) ? undefined : parseAt(options.at);
  const log = readLog(options.log, output);
  const at = early ?? parseAt(options.at, log);
  const state = replay(options.log, log, at);
  const events = log.events.filter((event) => event.t <= at);
  if (workloads !== undefined) {
    for (const line of describeWorkload(state, events, workloads, name, options.namespace, lookedAt(log, at), startOf(log))) output.print(line);
    return;
  }
  const lines = kind === "pods" ? describePod(state, events, name, options.namespace, startOf(log))
    : kind === "services" ? describeService(state, events, name, options.namespace, lookedAt(log, at))
      : describeNode(state, events, name, lookedAt(log, at));
  for (const line of lines) output.print(line);
}
