/**
 * One run of `timoneiro compare`, in a worker thread: loads the scenario itself (the main thread
 * has already checked it, so diagnostics are not printed twice), sets the seed, runs it under the
 * candidate's scheduler, and hands back the summary and the metrics rows.
 */
import type { Scenario } from "../../core/index.js";
import type { MetricsRow } from "../metrics/metrics.js";
import type { RunSummary } from "../metrics/summary.js";
import { loadRunScenario, schedulerFor, simulate, type RunOptions, type ScenarioSource } from "../cli/run.js";
import { preloadPlugins, scenarioPluginFiles } from "../cli/plugins.js";
import { preloadScenarioTraces } from "../loaders/traces/index.js";
import type { ScenarioScheduler } from "../loaders/scenario.js";
import type { Output } from "../cli/output.js";

export interface Candidate {
  /** The column's name: the policy, or kube with a configuration file's name; `(2)`… when repeated. */
  readonly name: string;
  readonly policy: "kube" | "first-fit" | "best-fit" | "worst-fit";
  readonly config?: string;
}

export interface CompareTask {
  /** The scenario itself (a benchmark's, made in code); else loaded from `scenarioPath` or `source.files`. */
  readonly scenario?: Scenario;
  readonly scenarioPath?: string;
  readonly source: ScenarioSource;
  readonly seed: number;
  readonly candidate: Candidate;
  readonly interval: number;
  /** Out-of-tree plugin modules (`--plugin`) for a kube candidate. */
  readonly plugins?: readonly string[];
}

export interface CompareRun {
  readonly summary: RunSummary;
  readonly rows: readonly MetricsRow[];
}

const SILENT: Output = { print: () => undefined, error: () => undefined };

/** A candidate's scheduler flags: its policy and configuration, and the plugins if it is kube. */
export function candidateScheduler(candidate: Candidate, plugins: readonly string[], validate: ScenarioSource["validate"]): Pick<RunOptions, "policy" | "config" | "plugins" | "validate"> {
  return { policy: candidate.policy, ...(candidate.config !== undefined ? { config: candidate.config } : {}), ...(candidate.policy === "kube" && plugins.length > 0 ? { plugins } : {}), validate };
}

/** One run; its plugin modules must be loaded (`runInWorker` loads them). */
export function runCandidate(task: CompareTask): CompareRun {
  const { loaded, scenario } = task.scenario !== undefined ? { loaded: { scheduler: {} as ScenarioScheduler }, scenario: task.scenario } : loadRunScenario(task.scenarioPath, task.source, SILENT);
  const scheduler = schedulerFor(candidateScheduler(task.candidate, task.plugins ?? [], task.source.validate), loaded.scheduler, SILENT);
  const { summary, rows } = simulate({ ...scenario, seed: task.seed }, scheduler, task.interval, undefined);
  return { summary, rows };
}

/** The worker's task: a thread imports the plugin modules itself (modules do not cross threads), then runs. */
export async function runInWorker(task: CompareTask): Promise<CompareRun> {
  if (task.scenarioPath !== undefined) await preloadScenarioTraces(task.scenarioPath);
  if (task.candidate.policy === "kube") {
    const plugins = [...(task.plugins ?? []), ...(task.scenarioPath !== undefined ? scenarioPluginFiles(task.scenarioPath) : [])];
    if (plugins.length > 0) await preloadPlugins(plugins);
  }
  return runCandidate(task);
}

export default runInWorker;
