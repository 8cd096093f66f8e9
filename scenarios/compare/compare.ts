/**
 * `timoneiro compare SCENARIO --policy kube,first-fit,best-fit [--config a.yaml …] [--seeds 1..5]`:
 * the same scenario under each candidate scheduler, for each seed, in worker threads; one table
 * with the candidates as columns and the summary's figures as rows (median and range over seeds).
 *
 * Common random numbers: everything random in a run (generated names, tie-breaks) is a hash of
 * (seed, the object), never a draw from a shared stream, so the same seed gives every candidate
 * the same arrivals, durations and failures; only the placements differ. The results are put
 * together in task order, so they do not depend on how many threads ran them.
 */
import { availableParallelism } from "node:os";
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Tinypool } from "tinypool";
import { formatTick, table } from "../cli/format.js";
import { InputError, type Output } from "../cli/output.js";
import { RunProgress } from "../cli/progress.js";
import { folderProblem, makeFolder } from "../log/files.js";
import { intervalOf, loadRunScenario, packageRoot, schedulerFor, type ScenarioSource } from "../cli/run.js";
import { candidateScheduler } from "./worker.js";
import type { RunSummary } from "../metrics/summary.js";
import { compareHtml } from "./html.js";
import type { Candidate, CompareRun, CompareTask } from "./worker.js";

export interface CompareOptions {
  readonly source: ScenarioSource;
  readonly policies: readonly string[];
  readonly configs: readonly string[];
  /** Out-of-tree plugin modules for the kube candidates. */
  readonly plugins?: readonly string[];
  readonly seeds?: string;
  readonly threads?: number;
  readonly output: "table" | "json";
  readonly out?: string;
  readonly interval?: string;
}

const POLICIES = ["kube", "first-fit", "best-fit", "worst-fit"] as const;

/** The candidates, in the order given: each `--policy` (comma lists allowed), then each `--config` (kube with that file); a name given again gets ` (2)`, ` (3)` … */
export function candidatesOf(policies: readonly string[], configs: readonly string[]): Candidate[] {
  const wanted: { name: string; policy: Candidate["policy"]; config?: string }[] = [];
  for (const list of policies) {
    for (const raw of list.split(",")) {
      const policy = raw.trim();
      if (!(POLICIES as readonly string[]).includes(policy)) throw new InputError(`--policy: unknown policy ${JSON.stringify(policy)}; valid: ${POLICIES.join(", ")} (comma-separated, e.g. --policy kube,first-fit,best-fit)`);
      wanted.push({ name: policy, policy: policy as Candidate["policy"] });
    }
  }
  for (const config of configs) wanted.push({ name: `kube:${basename(config)}`, policy: "kube", config });
  if (wanted.length === 0) throw new InputError("nothing to compare: give --policy kube,first-fit,… and/or --config FILE (each is a column)");
  const seen = new Map<string, number>();
  return wanted.map((candidate) => {
    const count = (seen.get(candidate.name) ?? 0) + 1;
    seen.set(candidate.name, count);
    return { ...candidate, name: count === 1 ? candidate.name : `${candidate.name} (${count})` };
  });
}

/** `--seeds`: `4`, `1..5` or `1,3,7` (whole numbers). */
export function seedsOf(text: string): number[] {
  const bad = () => new InputError(`--seeds: ${JSON.stringify(text)} is not a seed list; valid: 4, 1..5 or 1,3,7 (whole numbers from 0 to ${Number.MAX_SAFE_INTEGER})`);
  const whole = (part: string) => {
    if (!/^\s*\d+\s*$/.test(part)) throw bad();
    const value = Number(part);
    if (!Number.isSafeInteger(value)) throw bad();
    return value;
  };
  const range = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(text);
  if (range !== null) {
    const from = whole(range[1] as string);
    const to = whole(range[2] as string);
    if (to < from || to - from >= 1000) throw new InputError(`--seeds: ${JSON.stringify(text)}: the range must go upwards and hold at most 1000 seeds`);
    return Array.from({ length: to - from + 1 }, (_, index) => from + index);
  }
  const seeds = text.split(",").map(whole);
  if (new Set(seeds).size !== seeds.length) throw new InputError(`--seeds: ${JSON.stringify(text)} names a seed twice`);
  return seeds;
}

/** One row of the comparison: a figure read off each run's summary. */
interface Figure {
  readonly name: string;
  /** How to show a value: a count, seconds (as a duration), a percentage, or an amount. */
  readonly kind: "count" | "seconds" | "percent" | "decimal";
  /** Which way is better, for the verdict; none when neither is. */
  readonly better?: "lower" | "higher";
  readonly read: (summary: RunSummary) => number | null;
}

const spanTotal = (spans: readonly (readonly [number, number])[]) => spans.reduce((sum, [from, to]) => sum + (to - from), 0);
const share = (summary: RunSummary, resource: string, peak: boolean): number | null => {
  const figures = summary.allocation[resource];
  if (figures === undefined) return null;
  if (peak) return figures.peakShare * 100;
  return figures.meanAllocatable > 0 ? (figures.meanRequested / figures.meanAllocatable) * 100 : null;
};

export const FIGURES: readonly Figure[] = [
  { name: "pods bound", kind: "count", read: (s) => s.pods.bound },
  { name: "still pending at the end", kind: "count", better: "lower", read: (s) => s.waitingAtEnd.pods },
  { name: "pods failed", kind: "count", read: (s) => s.pods.failed },
  { name: "pending (peak)", kind: "count", better: "lower", read: (s) => s.pending.peak },
  { name: "pending (mean)", kind: "decimal", better: "lower", read: (s) => s.pending.mean },
  { name: "time pods waited for a node", kind: "seconds", better: "lower", read: (s) => spanTotal(s.unschedulable) },
  { name: "failed scheduling attempts", kind: "count", better: "lower", read: (s) => s.attempts.unschedulable },
  { name: "latency p50", kind: "seconds", better: "lower", read: (s) => s.latency.p50 },
  { name: "latency p90", kind: "seconds", better: "lower", read: (s) => s.latency.p90 },
  { name: "latency p99", kind: "seconds", better: "lower", read: (s) => s.latency.p99 },
  { name: "latency max", kind: "seconds", better: "lower", read: (s) => s.latency.max },
  { name: "cpu allocated (mean)", kind: "percent", read: (s) => share(s, "cpu", false) },
  { name: "memory allocated (mean)", kind: "percent", read: (s) => share(s, "memory", false) },
  { name: "cpu allocated (peak)", kind: "percent", read: (s) => share(s, "cpu", true) },
  { name: "memory allocated (peak)", kind: "percent", read: (s) => share(s, "memory", true) },
  { name: "nodes in use (peak)", kind: "count", better: "lower", read: (s) => s.nodes.peakInUse },
  { name: "nodes in use (mean)", kind: "decimal", better: "lower", read: (s) => s.nodes.meanInUse },
  { name: "stranded cpu (mean, millicores)", kind: "decimal", better: "lower", read: (s) => s.fragmentation["cpu"] ?? null },
  { name: "stranded memory (mean, MiB)", kind: "decimal", better: "lower", read: (s) => (s.fragmentation["memory"] === undefined ? null : (s.fragmentation["memory"] as number) / 2 ** 20) },
  { name: "evictions", kind: "count", read: (s) => Object.values(s.evictions).reduce((sum, count) => sum + count, 0) },
  { name: "Service time below desired (Σ Services)", kind: "seconds", better: "lower", read: (s) => Object.values(s.services).reduce((sum, service) => sum + spanTotal(service.belowDesired), 0) },
];

export interface Spread {
  readonly median: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** One value per seed, in the seeds' order. */
  readonly values: readonly (number | null)[];
}

/** The median (the mean of the middle two for an even count), the least and the most of the values that exist. */
export function spread(values: readonly (number | null)[]): Spread {
  const known = values.filter((value): value is number => value !== null).sort((a, b) => a - b);
  if (known.length === 0) return { median: null, min: null, max: null, values };
  const middle = Math.floor(known.length / 2);
  const median = known.length % 2 === 1 ? (known[middle] as number) : ((known[middle - 1] as number) + (known[middle] as number)) / 2;
  return { median: round(median), min: round(known[0] as number), max: round(known[known.length - 1] as number), values: values.map((value) => (value === null ? null : round(value))) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function show(kind: Figure["kind"], value: number | null): string {
  if (value === null) return "-";
  if (kind === "seconds") return formatTick(Math.round(value));
  if (kind === "percent") return `${Math.round(value * 10) / 10}%`;
  if (kind === "decimal") return String(Math.round(value * 100) / 100);
  return value.toLocaleString("en-US");
}

export interface Comparison {
  readonly scenario: string;
  readonly seeds: readonly number[];
  readonly candidates: readonly Candidate[];
  /** Per figure, per candidate (by name): the spread over the seeds. */
  readonly figures: readonly { readonly name: string; readonly kind: Figure["kind"]; readonly better?: "lower" | "higher"; readonly candidates: Readonly<Record<string, Spread>> }[];
  /** Every run's summary, candidate by candidate, seed by seed. */
  readonly runs: readonly { readonly candidate: string; readonly seed: number; readonly summary: RunSummary }[];
}

export function comparisonOf(scenario: string, candidates: readonly Candidate[], seeds: readonly number[], runs: readonly CompareRun[]): Comparison {
  const runOf = (candidate: number, seed: number) => runs[candidate * seeds.length + seed] as CompareRun;
  return {
    scenario,
    seeds,
    candidates,
    figures: FIGURES.map((figure) => ({
      name: figure.name,
      kind: figure.kind,
      ...(figure.better !== undefined ? { better: figure.better } : {}),
      candidates: Object.fromEntries(candidates.map((candidate, c) => [candidate.name, spread(seeds.map((_, s) => figure.read(runOf(c, s).summary)))])),
    })),
    runs: candidates.flatMap((candidate, c) => seeds.map((seed, s) => ({ candidate: candidate.name, seed, summary: runOf(c, s).summary }))),
  };
}

/** The table: figures as rows, candidates as columns; `median [min–max]` over several seeds. */
export function comparisonTable(comparison: Comparison): string {
  const several = comparison.seeds.length > 1;
  const rows = comparison.figures.map((figure) => [figure.name, ...comparison.candidates.map((candidate) => {
    const cell = figure.candidates[candidate.name] as Spread;
    const median = show(figure.kind, cell.median);
    // A range only when it shows: seeds that differ below the shown precision read as one value.
    const [least, most] = [show(figure.kind, cell.min), show(figure.kind, cell.max)];
    return several && least !== most ? `${median} [${least}–${most}]` : median;
  })]);
  return table(["FIGURE", ...comparison.candidates.map((candidate) => candidate.name)], rows);
}

/** Which candidate packs tightest (fewest nodes in use on average) and which keeps pods waiting least — the two questions a comparison is for. */
export function comparisonVerdict(comparison: Comparison): string[] {
  if (comparison.candidates.length < 2) return [];
  const figure = (name: string) => comparison.figures.find((entry) => entry.name === name) as Comparison["figures"][number];
  const best = (name: string) => {
    const entry = figure(name);
    const values = comparison.candidates.map((candidate) => ({ name: candidate.name, value: (entry.candidates[candidate.name] as Spread).median })).filter((item): item is { name: string; value: number } => item.value !== null);
    if (values.length === 0) return undefined;
    const least = Math.min(...values.map((item) => item.value));
    const most = Math.max(...values.map((item) => item.value));
    return { entry, least, most, winners: values.filter((item) => item.value === least).map((item) => item.name), worst: values.find((item) => item.value === most) as { name: string } };
  };
  const lines: string[] = [];
  const packing = best("nodes in use (mean)");
  if (packing !== undefined) {
    lines.push(packing.least === packing.most
      ? `Packing: the same for all (${show("decimal", packing.least)} node(s) in use on average).`
      : `Packs tightest: ${packing.winners.join(", ")} (${show("decimal", packing.least)} node(s) in use on average, against ${show("decimal", packing.most)} for ${packing.worst.name}).`);
  }
  const waiting = best("pending (mean)");
  const time = figure("time pods waited for a node");
  if (waiting !== undefined) {
    const waited = (name: string) => show("seconds", (time.candidates[name] as Spread).median);
    lines.push(waiting.least === waiting.most
      ? `Waiting: the same for all (${show("decimal", waiting.least)} pods pending on average).`
      : `Least waiting: ${waiting.winners.join(", ")} (${show("decimal", waiting.least)} pods pending on average, pods waited ${waited(waiting.winners[0] as string)}; ${waiting.worst.name}: ${show("decimal", waiting.most)}, ${waited(waiting.worst.name)}).`);
  }
  return lines;
}

/**
 * Where a worker's compiled module is: beside the module at `here` (its import.meta.url) once
 * built; run from the sources (tests), in dist under `folder` (e.g. scenarios/compare).
 */
export function workerFile(here: string, folder: string): string {
  const beside = fileURLToPath(new URL("./worker.js", here));
  if (existsSync(beside)) return beside;
  const built = join(packageRoot(), "dist", folder, "worker.js");
  if (existsSync(built)) return built;
  throw new Error(`the worker of ${folder} is not built (${built}): run npm run build`);
}

/** Runs every task on a pool of `threads` threads of the worker module `filename`; the results in the tasks' order. */
export async function runOnPool<Task, Result>(filename: string, tasks: readonly Task[], threads: number, onDone?: (done: number) => void): Promise<Result[]> {
  const pool = new Tinypool({ filename, minThreads: threads, maxThreads: threads, idleTimeout: 0 });
  let done = 0;
  try {
    return await Promise.all(tasks.map(async (task) => {
      const result = (await pool.run(task)) as Result;
      onDone?.(++done);
      return result;
    }));
  } finally {
    await pool.destroy();
  }
}

/** Runs every comparison run on a pool of `threads` worker threads; the results in the tasks' order. */
export function runTasks(tasks: readonly CompareTask[], threads: number, onDone?: (done: number) => void): Promise<CompareRun[]> {
  return runOnPool<CompareTask, CompareRun>(workerFile(import.meta.url, join("scenarios", "compare")), tasks, threads, onDone);
}

export async function compareCommand(scenarioPath: string | undefined, options: CompareOptions, output: Output): Promise<void> {
  const candidates = candidatesOf(options.policies, options.configs);
  // Everything is checked here, before a thread starts: the scenario, each configuration, the seeds, the interval.
  const { loaded, scenario } = loadRunScenario(scenarioPath, options.source, output);
  const plugins = options.plugins ?? [];
  for (const candidate of candidates) schedulerFor(candidateScheduler(candidate, plugins, options.source.validate), loaded.scheduler, output);
  const seeds = options.seeds === undefined ? [scenario.seed] : seedsOf(options.seeds);
  const interval = intervalOf(options.interval, scenario.untilSeconds);
  if (options.out !== undefined) {
    try {
      makeFolder(options.out);
    } catch (error) {
      throw new InputError(`--out ${options.out}: cannot make the folder: ${folderProblem(error)}`);
    }
  }
  const tasks: CompareTask[] = candidates.flatMap((candidate) => seeds.map((seed) => ({
    ...(scenarioPath !== undefined ? { scenarioPath } : {}),
    source: options.source,
    seed,
    candidate,
    interval,
    ...(plugins.length > 0 ? { plugins } : {}),
  })));
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), tasks.length));
  output.error(`compare: ${candidates.length} candidate(s) × ${seeds.length} seed(s) = ${tasks.length} run(s) of ${JSON.stringify(scenario.name)} on ${threads} thread(s)`);
  const progress = new RunProgress(tasks.length, process.stderr, Date.now, "runs");
  const runs = await runTasks(tasks, threads, (done) => progress.update(done));
  progress.stop();
  const comparison = comparisonOf(scenario.name, candidates, seeds, runs);
  if (options.out !== undefined) {
    const put = (name: string, text: string) => {
      const path = join(options.out as string, name);
      writeFileSync(`${path}.partial`, text);
      renameSync(`${path}.partial`, path);
    };
    put("compare.json", JSON.stringify(comparison, null, 2) + "\n");
    put("compare.html", compareHtml(comparison, candidates.map((_, c) => runs[c * seeds.length] as CompareRun)));
    output.error(`compare: compare.json and compare.html written to ${options.out}`);
  }
  if (options.output === "json") {
    output.print(JSON.stringify(comparison, null, 2));
    return;
  }
  output.print(`Scenario ${JSON.stringify(scenario.name)}, ${seeds.length === 1 ? `seed ${seeds[0]}` : `seeds ${seeds.join(", ")} (median [least–most])`}, 0s–${formatTick(scenario.untilSeconds)}:`);
  output.print("");
  output.print(comparisonTable(comparison));
  const verdict = comparisonVerdict(comparison);
  if (verdict.length > 0) output.print("");
  for (const line of verdict) output.print(line);
}
