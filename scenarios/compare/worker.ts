/**
 * One run of `timoneiro compare`, in a worker thread: loads the scenario itself (the main thread
 * has already checked it, so diagnostics are not printed twice), sets the seed, runs it under the
 * candidate's scheduler, and hands back the summary and the metrics rows.
 */
import type { Scenario } from "../../core/index.js";
import type { MetricsRow } from "../metrics/metrics.js";
import type { RunSummary } from "../metrics/summary.js";
import { loadRunScenario, schedulerFor, simulate, type ScenarioSource } from "../cli/run.js";
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
}

export interface CompareRun {
  readonly summary: RunSummary;
  readonly rows: readonly MetricsRow[];
}

const SILENT: Output = { print: () => undefined, error: () => undefined };

export function runCandidate(task: CompareTask): CompareRun {
  const { loaded, scenario } = task.scenario !== undefined ? { loaded: { scheduler: {} }, scenario: task.scenario } : loadRunScenario(task.scenarioPath, task.source, SILENT);
  const scheduler = schedulerFor({ policy: task.candidate.policy, ...(task.candidate.config !== undefined ? { config: task.candidate.config } : {}), validate: task.source.validate }, loaded.scheduler, SILENT);
  const { summary, rows } = simulate({ ...scenario, seed: task.seed }, scheduler, task.interval, undefined);
  return { summary, rows };
}

export default runCandidate;
