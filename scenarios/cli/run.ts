/**
 * `timoneiro run [SCENARIO]`: loads a scenario (the built-in seed example by default), runs it
 * with the metrics collector beside it, and prints the first events and the run's summary (or,
 * `-o json`, the summary alone); with `--out DIR` writes events.jsonl, the metrics, summary.json
 * and report.html there. `timoneiro report LOG` rebuilds those from a log.
 */
import { MetricsCollector, metricsCsv, type MetricsRow } from "../metrics/metrics.js";
import { heatmap } from "../report/heatmap.js";
import { reportHtml } from "../report/html.js";
import { formatSummary, runSummary, summaryJson, type RunIdentity, type RunSummary } from "../metrics/summary.js";
import { withTimeZones } from "../loaders/zones.js";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, renameSync, writeFileSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { TRACE_KINDS } from "../loaders/traces/index.js";
import { fileURLToPath } from "node:url";
import { pluginRegistryFor } from "./plugins.js";
import { isWorkload, DEFAULT_START_TIME, DurationError, ENGINE_VERSION, formatRfc3339, LOG_FORMAT, engineOptionsFor, parseDurationSeconds, runScenario, type ClassicPolicy, type ClusterEvent, type ClusterObject, type ClusterState, type EngineKind, type RunResult, type Scenario, type SchedulerChoice } from "../../core/index.js";
import { EventLogWriter, folderProblem, LogFileError, makeFolder, readEventLog } from "../log/files.js";
import { formatDiagnostic, type ValidationMode } from "../loaders/manifests.js";
import { loadScenarioText, type LoadedScenario, type ScenarioScheduler } from "../loaders/scenario.js";
import { loadManifestPaths, terminatingPods, type LoadedInput } from "../loaders/manifests.js";
import { ManifestPathError } from "../loaders/paths.js";
import { loadConfiguration } from "./explain.js";
import { DEFAULT_ROWS, eventsTable, formatTick, moreLine, nodesTable, pendingReasons, podsTable } from "./format.js";
import { InputError, type Output } from "./output.js";
import { RunProgress } from "./progress.js";
import { workloadCount, workloadsTable } from "./workloads.js";

export interface RunOptions {
  readonly out?: string;
  /** The metrics' interval (a duration; default 1m), with `out`. */
  readonly interval?: string;
  readonly validate: ValidationMode;
  /** At most this many events are printed (all are logged). */
  readonly showEvents: number;
  /** Print every event, pod, node and pending reason (implies `tables`). */
  readonly showAll?: boolean;
  /** Print the cluster's tables at the end (the first DEFAULT_ROWS rows of each) after the summary. */
  readonly tables?: boolean;
  /** `json`: print the summary as one JSON document and nothing else on stdout. */
  readonly output?: "text" | "json";
  /** Plain manifests to run instead of a scenario file, with their end tick and seed. */
  readonly files?: readonly string[];
  /** A trace to run instead (`KIND:PATH`, see traceScenario), with its end tick and seed. */
  readonly trace?: string;
  /** Read `-f` folders' sub-folders too (kubectl's -R). */
  readonly recursive?: boolean;
  readonly until?: string;
  readonly seed?: number;
  /** Override the scenario's spec.scheduler. */
  readonly policy?: "kube" | ClassicPolicy;
  readonly config?: string;
  readonly balancedAllocation?: "v1.35" | "v1.36";
  /** Out-of-tree plugin modules (`--plugin`), beside the scenario's spec.scheduler.plugins. */
  readonly plugins?: readonly string[];
  /** Which engine folds the events (both give the same events). */
  readonly engine?: EngineKind;
}

/** The scheduler for a run: the CLI's flags over the scenario's spec.scheduler over kube's default profile. */
export function schedulerFor(options: Pick<RunOptions, "policy" | "config" | "balancedAllocation" | "validate" | "plugins">, fromScenario: ScenarioScheduler, output: Output): { choice: SchedulerChoice; description: string } {
  const plugins = [...(options.plugins ?? []), ...(fromScenario.plugins ?? [])];
  const policy = options.policy ?? (options.config !== undefined || (options.plugins ?? []).length > 0 ? "kube" : fromScenario.policy) ?? "kube";
  if (policy !== "kube") {
    if (options.config !== undefined) throw new InputError(`--config goes with --policy kube, not ${policy}`);
    if ((options.plugins ?? []).length > 0) throw new InputError(`--plugin goes with --policy kube, not ${policy}`);
    return { choice: { policy }, description: policy };
  }
  const config = options.config ?? fromScenario.config;
  const formula = options.balancedAllocation ?? fromScenario.balancedAllocation ?? "v1.35";
  const registry = pluginRegistryFor(plugins);
  const configuration = loadConfiguration(config, { balancedAllocationFormula: formula, ...(registry !== undefined ? { plugins: registry } : {}) }, options.validate, output);
  const profiles = configuration.profiles.map((profile) => profile.schedulerName).join(", ");
  const base = config === undefined ? "default profile" : `profiles ${profiles} from ${config}`;
  const withPlugins = registry === undefined ? "" : config === undefined ? ` + out-of-tree ${[...registry.keys()].join(", ")} (at every point each implements)` : ` (out-of-tree: ${[...registry.keys()].join(", ")})`;
  return { choice: { policy: "kube", configuration }, description: `kube-scheduler v1.35 ${base}${withPlugins}${formula === "v1.36" ? ", BalancedAllocation v1.36" : ""}` };
}

/** The package's root folder, found from this module's location (source or dist). */
export function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, "package.json"))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error("cannot find the package root");
    folder = parent;
  }
  return folder;
}

export const BUILT_IN_EXAMPLE = "examples/seed-example.yaml";

/**
 * A scenario made of plain manifests (`run -f nodes.yaml -f pods/`): their nodes join and their
 * pods are created at tick 0, in file order; no timeline.
 */
function scenarioFromManifests(paths: readonly string[], options: ScenarioSource, output: Output): LoadedScenario {
  const input = readManifests(paths, options.recursive ?? false, options.validate, output);
  const loaded = input.manifests;
  if (loaded.nodes.length === 0 && loaded.pods.length === 0 && loaded.workloads.length === 0) {
    const ignored = loaded.objects.length;
    throw new InputError(`${input.files.join(", ")}: no Nodes, Pods or workloads to run` + (ignored > 0 ? ` (${ignored} object(s) read, none of them simulated; see the warnings above)` : " (no objects at all)"));
  }
  let untilSeconds: number;
  try {
    untilSeconds = parseDurationSeconds(options.until ?? "1h");
  } catch (error) {
    if (error instanceof DurationError) throw new InputError(`--until: ${error.message}`);
    throw error;
  }
  return {
    scenario: {
      name: "manifests",
      seed: options.seed ?? 1,
      untilSeconds,
      options: { fitBy: "requests" },
      nodes: loaded.nodes,
      objects: [...loaded.priorityClasses.map(({ value }): ClusterObject => ({ kind: "PriorityClass", ...value })), ...loaded.workloads.map((entry) => entry.value), ...loaded.policies.map((entry) => entry.value)],
      pods: loaded.pods,
      // Pods already being deleted (metadata.deletionTimestamp): deleted at once, terminating for their grace period.
      timeline: terminatingPods(loaded).map(({ pod, gracePeriodSeconds }) => ({ at: 0, action: "deletePod" as const, pod, gracePeriodSeconds })),
    },
    scheduler: {},
    diagnostics: [],
    hash: input.hash,
  };
}

/** Reads `-f` paths for a command, printing every diagnostic; errors stop it (exit 2). */
export function readManifests(paths: readonly string[], recursive: boolean, validate: ValidationMode, output: Output, outcome = "nothing was run"): LoadedInput {
  let input: LoadedInput;
  try {
    input = loadManifestPaths(paths, { validate, recursive });
  } catch (error) {
    if (error instanceof ManifestPathError) throw new InputError(error.message);
    throw error;
  }
  for (const diagnostic of input.manifests.diagnostics) output.error(formatDiagnostic(diagnostic));
  const errors = input.manifests.diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
  if (errors > 0) throw new InputError(`${input.files.join(", ")}: ${errors} error(s); ${outcome}`);
  return input;
}

/** What a run is given: the scenario (file or -f manifests) and the flags that change it. */
export type ScenarioSource = Pick<RunOptions, "files" | "recursive" | "until" | "seed" | "validate" | "trace">;

/**
 * Loads a run's scenario: a scenario file (the built-in example without one) or `-f` manifests;
 * diagnostics go to `output`, errors stop it (exit 2).
 */
/**
 * `--trace KIND:PATH` as a scenario: for google-2011, PATH is the trace's folder (its
 * machine_events/ and task_events/ hold the .csv.gz parts; the first of each is read); the
 * machines are the cluster, the tasks the workloads, with the loader's defaults (a 1.0 machine
 * is 32 cpu and 128Gi). For openb, PATH is the folder of the CSVs: the whole cluster's node
 * list (openb_node_list_all_node.csv; else the GPU nodes') and the default pod list; for
 * alibaba-2017 its server_event.csv and batch_task.csv (instanceScale 0.01: its tasks hold
 * 11.9 million instances); for alibaba-2018 its machine_meta.csv
 * (machines only: the run has no workloads). The scenario form
 * (spec.cluster.trace, spec.workloads.trace) takes every option.
 */
export function traceScenario(trace: string, options: Pick<ScenarioSource, "until" | "seed">): { text: string; file: string; value: Record<string, unknown> } {
  const colon = trace.indexOf(":");
  const kind = colon < 0 ? "" : trace.slice(0, colon);
  const path = colon < 0 ? trace : trace.slice(colon + 1);
  if (!(TRACE_KINDS as readonly string[]).includes(kind)) throw new InputError(`--trace ${trace}: give KIND:PATH, KIND one of ${TRACE_KINDS.join(", ")} (e.g. google-2011:traces/google-2011)`);
  const partOf = (folder: string): string => {
    let names: string[];
    try {
      names = readdirSync(join(path, folder)).filter((name) => /\.csv(\.gz)?$/.test(name)).sort();
    } catch {
      throw new InputError(`--trace ${trace}: ${join(path, folder)} is not a folder of .csv or .csv.gz parts (a google-2011 trace folder holds machine_events/ and task_events/)`);
    }
    if (names.length === 0) throw new InputError(`--trace ${trace}: ${join(path, folder)} holds no .csv or .csv.gz part`);
    return join(folder, names[0] as string);
  };
  // openb: the folder's whole-cluster node list (else its GPU nodes, as CSV or YAML) and its default pod list (else the first); the Alibaba tables by name.
  const openbPart = (wanted: readonly string[], pattern: RegExp, what: string): string => {
    let names: string[];
    try {
      names = readdirSync(path).sort();
    } catch {
      throw new InputError(`--trace ${trace}: ${path} is not a folder (a folder of the trace's CSV tables)`);
    }
    const found = wanted.find((name) => names.includes(name)) ?? names.find((name) => pattern.test(name));
    if (found === undefined) throw new InputError(`--trace ${trace}: ${path} holds no ${what} (${wanted.join(", ")})`);
    return found;
  };
  const parts: { cluster: string; workloads?: string } = kind === "openb"
    ? {
        cluster: openbPart(["openb_node_list_all_node.csv", "openb_node_list_gpu_node.csv", "openb_node_list_gpu_node.yaml"], /^openb_node_list_.*\.(csv|ya?ml)$/, "node list"),
        workloads: openbPart(["openb_pod_list_default.csv"], /^openb_pod_list_.*\.csv$/, "pod list"),
      }
    : kind === "alibaba-2017"
      ? { cluster: openbPart(["server_event.csv"], /^server_event.*\.csv$/, "machine table"), workloads: openbPart(["batch_task.csv"], /^batch_task.*\.csv$/, "task table") }
      : kind === "alibaba-2018"
        ? { cluster: openbPart(["machine_meta.csv"], /^machine_meta.*\.csv$/, "machine table") }
        : { cluster: partOf("machine_events"), workloads: partOf("task_events") };
  const value = {
    apiVersion: "timoneiro.dev/v1",
    kind: "Scenario",
    metadata: { name: `${kind} ${basename(resolve(path))}` },
    spec: {
      seed: options.seed ?? 1,
      ...(options.until !== undefined ? { until: options.until } : {}),
      cluster: { trace: { kind, path: parts.cluster } },
      // alibaba-2017's tasks hold 11.9 million instances: a hundredth of each task's (at least one) by default.
      ...(parts.workloads !== undefined ? { workloads: { trace: { kind, path: parts.workloads, ...(kind === "alibaba-2017" ? { instanceScale: 0.01 } : {}) } } } : {}),
    },
  };
  return { text: JSON.stringify(value), file: join(path, "(trace)"), value };
}

export function loadRunScenario(scenarioPath: string | undefined, options: ScenarioSource, output: Output): { loaded: LoadedScenario; scenario: Scenario; shownPath: string } {
  const files = options.files ?? [];
  if (files.length > 0 && scenarioPath !== undefined) throw new InputError("give either a scenario file or -f manifests, not both");
  if (options.trace !== undefined) {
    if (files.length > 0 || scenarioPath !== undefined) throw new InputError("give a scenario file, -f manifests or --trace, one of them");
    const trace = traceScenario(options.trace, options);
    const loaded = loadScenarioText(trace.text, trace.file, { validate: options.validate });
    // Said of the flag, not of the scenario made from it.
    for (const diagnostic of loaded.diagnostics) output.error(`--trace ${options.trace}: ${diagnostic.severity}: ${diagnostic.message}`);
    if (loaded.scenario === undefined) throw new InputError(`--trace ${options.trace}: the trace has errors; nothing was run`);
    return { loaded, scenario: loaded.scenario, shownPath: `trace ${options.trace}` };
  }
  if (files.length === 0 && options.trace === undefined && (options.until !== undefined || options.seed !== undefined)) {
    throw new InputError("--until and --seed go with -f manifests or --trace; a scenario file sets spec.until and spec.seed");
  }
  const path = scenarioPath ?? join(packageRoot(), BUILT_IN_EXAMPLE);
  const shownPath = files.length > 0 ? files.join(", ") : (scenarioPath ?? "(built-in) " + BUILT_IN_EXAMPLE);
  let loaded: LoadedScenario;
  if (files.length > 0) {
    loaded = scenarioFromManifests(files, options, output);
  } else {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      throw new InputError(`cannot read scenario ${scenarioPath}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error)}`);
    }
    loaded = loadScenarioText(text, scenarioPath ?? BUILT_IN_EXAMPLE, { validate: options.validate });
  }
  for (const diagnostic of loaded.diagnostics) output.error(formatDiagnostic(diagnostic));
  const scenario = loaded.scenario;
  if (scenario === undefined) {
    const errors = loaded.diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
    throw new InputError(`${shownPath}: ${errors} error(s); nothing was run`);
  }
  return { loaded, scenario, shownPath };
}

/** A run with its metrics: the engine's result, the metrics rows and the summary (and the collector, for the heat map). */
export function simulate(scenario: Scenario, scheduler: { choice: SchedulerChoice; description: string }, interval: number, engine: EngineKind | undefined, onEvent?: (event: ClusterEvent) => void): { result: RunResult; rows: MetricsRow[]; summary: RunSummary; metrics: MetricsCollector } {
  const metrics = new MetricsCollector(interval, scenario.options.fitBy);
  const result = runScenario(withTimeZones(scenario, scenario.startTime ?? DEFAULT_START_TIME), {
    ...(engine !== undefined ? { engine } : {}),
    onEvent: (event) => {
      onEvent?.(event);
      metrics.onEvent(event);
    },
  }, scheduler.choice);
  const rows = metrics.finish(scenario.untilSeconds);
  const identity: RunIdentity = {
    scenario: scenario.name,
    seed: scenario.seed,
    scheduler: scheduler.description,
    engine: `timoneiro ${ENGINE_VERSION}`,
    startTime: formatRfc3339(scenario.startTime ?? DEFAULT_START_TIME),
    events: result.log.size,
  };
  return { result, rows, summary: runSummary(identity, interval, metrics.totals()), metrics };
}

export function runCommand(scenarioPath: string | undefined, options: RunOptions, output: Output): void {
  const { loaded, scenario, shownPath } = loadRunScenario(scenarioPath, options, output);
  const scheduler = schedulerFor(options, loaded.scheduler, output);
  // Checked before anything is written.
  const interval = intervalOf(options.interval, scenario.untilSeconds);
  let writer: EventLogWriter | undefined;
  let logPath: string | undefined;
  if (options.out !== undefined) {
    try {
      makeFolder(options.out);
      logPath = join(options.out, "events.jsonl");
      writer = new EventLogWriter(logPath, {
        format: LOG_FORMAT,
        engine: `timoneiro ${ENGINE_VERSION}`,
        scenario: scenario.name,
        scenarioHash: loaded.hash,
        seed: scenario.seed,
        tick: "1s",
        untilSeconds: scenario.untilSeconds,
        options: engineOptionsFor(scenario, scheduler.choice),
        scheduler: scheduler.description,
        startTime: formatRfc3339(scenario.startTime ?? DEFAULT_START_TIME),
      });
    } catch (error) {
      throw new InputError(`--out ${options.out}: cannot write events.jsonl into ${resolve(options.out)}: ${folderProblem(error)}`);
    }
  }
  const events: ClusterEvent[] = [];
  const json = options.output === "json";
  const showEvents = json ? 0 : options.showEvents;
  const progress = new RunProgress(scenario.untilSeconds);
  const { result, rows, summary, metrics } = simulate(scenario, scheduler, interval, options.engine, (event) => {
    if (events.length < showEvents) events.push(event);
    writer?.write(event);
    progress.onEvent(event.t);
  });
  progress.stop();
  writer?.close();
  if (options.out !== undefined) writeResults(options.out, rows, summary, metrics, output);
  for (const notice of result.notices) output.error(`warning: at ${formatTick(notice.t)}: ${notice.message}`);
  if (json) {
    output.print(summaryJson(summary).trimEnd());
    return;
  }

  output.print(`Scenario ${JSON.stringify(scenario.name)} from ${shownPath}: seed ${scenario.seed}, from ${formatRfc3339(scenario.startTime ?? DEFAULT_START_TIME)} until ${formatTick(scenario.untilSeconds)}, ` +
    `${scenario.nodes.length} node(s), ${scenario.pods.length} pod(s), ` +
    `${(scenario.objects ?? []).filter((object) => isWorkload(object)).length} workload(s), ${policyCount(scenario.objects ?? [])}${scenario.timeline.length} timeline action(s); scheduler: ${scheduler.description}`);
  output.print("");
  if (events.length > 0) output.print(eventsTable(events, scenario.options.fitBy));
  if (result.log.size > events.length) {
    output.print(`… ${(result.log.size - events.length).toLocaleString("en-US")} more event(s)` + (logPath ? ` in ${logPath}` : "; use --out DIR to keep them all"));
  }
  output.print("");
  for (const line of formatSummary(summary)) output.print(line);
  if (logPath !== undefined) {
    output.print("");
    output.print(`${result.log.size} events written to ${logPath}; metrics.csv, metrics.json, summary.json and report.html beside it`);
  }
  if (options.tables !== true && options.showAll !== true) return;
  printTables(result.state, scenario.untilSeconds, options.showAll === true, logPath, output);
}

/** The cluster at the end, as tables (`--tables`, `--show-all`): workloads, pods, why pods wait, nodes. */
function printTables(state: ClusterState, until: number, all: boolean, logPath: string | undefined, output: Output): void {
  const rows = all ? Number.POSITIVE_INFINITY : DEFAULT_ROWS;
  const hint = (resource: string) => logPath !== undefined
    ? `timoneiro get ${resource} --log ${logPath} lists them all (or run with --show-all)`
    : `run with --show-all, or with --out DIR and then timoneiro get ${resource} --log DIR/events.jsonl`;
  // Workloads first (a person asks "are my Deployments ready?" before "which pods?"); ReplicaSets only when no Deployment owns them.
  for (const [resource, title, onlyUnowned] of [["deployments", "Deployments", false], ["replicasets", "ReplicaSets", true], ["replicationcontrollers", "ReplicationControllers", false], ["statefulsets", "StatefulSets", false], ["daemonsets", "DaemonSets", false], ["cronjobs", "CronJobs", false], ["jobs", "Jobs", false]] as const) {
    const text = workloadCount(state, resource) === 0 ? undefined : workloadsTable(state, resource, until, false, rows, onlyUnowned);
    if (text === undefined || text.startsWith("No ")) continue;
    output.print("");
    output.print(`${title} at ${formatTick(until)}:`);
    output.print(text);
  }
  const podCount = Object.keys(state.pods).length;
  output.print("");
  output.print(`Pods at ${formatTick(until)}:`);
  output.print(podsTable(state, false, rows));
  if (podCount > rows) output.print(moreLine(podCount - rows, "pods", hint("pods")));
  const pending = pendingReasons(state, all ? Number.POSITIVE_INFINITY : 5);
  if (pending.length > 0) {
    output.print("");
    output.print("Pending:");
    for (const line of pending) output.print(`  ${line}`);
  }
  const nodeCount = Object.keys(state.nodes).length;
  output.print("");
  output.print(`Nodes at ${formatTick(until)}:`);
  output.print(nodesTable(state, rows));
  if (nodeCount > rows) output.print(moreLine(nodeCount - rows, "nodes", hint("nodes")));
}

/** "1 PodDisruptionBudget(s), 2 Service(s), " when there are any. */
function policyCount(objects: readonly ClusterObject[]): string {
  const budgets = objects.filter((object) => object.kind === "PodDisruptionBudget").length;
  const services = objects.filter((object) => object.kind === "Service").length;
  return (budgets > 0 ? `${budgets} PodDisruptionBudget(s), ` : "") + (services > 0 ? `${services} Service(s), ` : "");
}

/** `--interval`: whole seconds, at least 1 (default 1 minute). */
export function intervalOf(text: string | undefined, untilSeconds: number): number {
  if (text === undefined) return defaultInterval(untilSeconds);
  let seconds: number;
  try {
    seconds = parseDurationSeconds(text);
  } catch (error) {
    if (!(error instanceof DurationError)) throw error;
    throw new InputError(`--interval: ${error.message}`);
  }
  if (seconds < 1) throw new InputError(`--interval: must be at least 1s, got ${JSON.stringify(text)}`);
  return seconds;
}

/** metrics.csv, metrics.json, summary.json and report.html beside events.jsonl (each written whole, then renamed into place). */
/**
 * metrics.json, as `JSON.stringify({intervalSeconds, rows}, null, 2)` writes it, a row at a time:
 * a long run's rows (a trace of months at 1m) make more text than one string holds.
 */
export function writeMetricsJson(path: string, intervalSeconds: number, rows: readonly MetricsRow[]): void {
  const partial = `${path}.partial`;
  const fd = openSync(partial, "w");
  try {
    let chunk = `{\n  "intervalSeconds": ${JSON.stringify(intervalSeconds)},\n  "rows": [`;
    rows.forEach((row, index) => {
      chunk += `${index > 0 ? "," : ""}\n    ${JSON.stringify(row, null, 2).replace(/\n/g, "\n    ")}`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = "";
      }
    });
    writeSync(fd, `${chunk}${rows.length > 0 ? "\n  " : ""}]\n}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
}

export function writeResults(folder: string, rows: readonly MetricsRow[], summary: RunSummary, metrics: MetricsCollector, output: Output): void {
  const put = (name: string, text: string) => {
    const path = join(folder, name);
    writeFileSync(`${path}.partial`, text);
    renameSync(`${path}.partial`, path);
  };
  put("metrics.csv", metricsCsv(rows));
  writeMetricsJson(join(folder, "metrics.json"), summary.intervalSeconds, rows);
  put("summary.json", summaryJson(summary));
  put("report.html", reportHtml({ summary, rows, heatmap: heatmap(metrics.nodeTraces(), summary.until + 1) }));
  output.error(`metrics: ${rows.length} interval(s) of ${formatTick(summary.intervalSeconds)} written to ${join(folder, "metrics.csv")}, metrics.json, summary.json and report.html`);
}

/** Steps for a run without `--interval`: 1m, or the first that keeps it within MAX_DEFAULT_INTERVALS. */
const DEFAULT_INTERVALS = [60, 300, 900, 3600, 21_600, 86_400];
export const MAX_DEFAULT_INTERVALS = 10_000;

/**
 * The metrics' interval of a run lasting `untilSeconds` when none is given: 1m, or for a long run
 * (a trace of months) the first of 5m, 15m, 1h, 6h, 1d that keeps it within 10,000 intervals —
 * from the run's end alone, so `report LOG` picks what `run` picked.
 */
export function defaultInterval(untilSeconds: number): number {
  return DEFAULT_INTERVALS.find((step) => (untilSeconds + 1) / step <= MAX_DEFAULT_INTERVALS) ?? 86_400;
}

/** `timoneiro report LOG [--out DIR] [--interval 1m]`: a run's results rebuilt from its log alone — the files `run --out` wrote beside it, and its summary printed. */
export function reportCommand(file: string, options: { out?: string; interval?: string }, output: Output): void {
  if (options.interval !== undefined) intervalOf(options.interval, 0); // a bad --interval is refused before the log is read
  let log: ReturnType<typeof readEventLog>;
  try {
    log = readEventLog(file);
  } catch (error) {
    if (error instanceof LogFileError) throw new InputError(error.message);
    throw error;
  }
  if (log.truncatedLine !== undefined) output.error(`warning: ${file}:${log.truncatedLine}: truncated last line left out; ${log.events.length} complete events read`);
  const folder = options.out ?? dirname(file);
  try {
    makeFolder(folder);
  } catch (error) {
    throw new InputError(`--out ${folder}: cannot make the folder: ${folderProblem(error)}`);
  }
  const interval = intervalOf(options.interval, log.header.untilSeconds);
  const collector = new MetricsCollector(interval, log.header.options.fitBy);
  for (const event of log.events) collector.onEvent(event);
  const until = log.truncatedLine === undefined ? log.header.untilSeconds : (log.events.at(-1)?.t ?? 0);
  const rows = collector.finish(until);
  const identity: RunIdentity = {
    scenario: log.header.scenario,
    seed: log.header.seed,
    scheduler: log.header.scheduler ?? "(not recorded)",
    engine: log.header.engine,
    startTime: log.header.startTime ?? formatRfc3339(DEFAULT_START_TIME),
    events: log.events.length,
  };
  const summary = runSummary(identity, interval, collector.totals());
  writeResults(folder, rows, summary, collector, output);
  output.print(`Run ${JSON.stringify(identity.scenario)} (seed ${identity.seed}; scheduler: ${identity.scheduler}), from ${file}:`);
  output.print("");
  for (const line of formatSummary(summary)) output.print(line);
}
