/**
 * `timoneiro bench fgd`: the FGD paper's experiment (core/gpu/experiment.ts) for each policy and
 * seed, in worker threads, and per policy the median over the seeds of GPU allocation and
 * fragmentation at each whole arrived-workload percentage — beside their simulator's expected
 * results (data/fgd-expected/) when the trace is theirs (openb_pod_list_default on the GPU
 * nodes, inflated to 130%).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { GPU_POLICIES, median, typicalPods, type FgdPoint, type GpuPodSpec, type GpuPolicy } from "../../core/index.js";
import { runOnPool, seedsOf, workerFile } from "../compare/compare.js";
import { RunProgress } from "../cli/progress.js";
import { InputError, type Output } from "../cli/output.js";
import { folderProblem, makeFolder } from "../log/files.js";
import { packageRoot } from "../cli/run.js";
import { TraceError } from "../loaders/traces/csv.js";
import { readOpenbNodes, readOpenbPods } from "../loaders/traces/openb.js";
import { fgdHtml } from "./html.js";
import type { FgdTask, FgdTaskResult } from "./worker.js";

export interface FgdOptions {
  /** The folder of the openb trace. */
  readonly trace?: string;
  readonly nodes?: string;
  readonly pods?: string;
  readonly policies?: string;
  readonly seeds?: string;
  readonly inflation?: number;
  readonly threads?: number;
  readonly output: "table" | "json";
  readonly out?: string;
  /** Print FGDScore's pluginConfig with the trace's typical pods instead of running. */
  readonly typicalPods?: boolean;
}

/** Their names (the expected results' `sc_policy`) for ours. */
const THEIR_NAMES: Readonly<Record<GpuPolicy, string>> = { Random: "01-Random", DotProduct: "02-DotProd", GpuClustering: "03-GpuClustering", GpuPacking: "04-GpuPacking", BestFit: "05-BestFit", FGD: "06-FGD" };

/** `--policies`: names from GPU_POLICIES (any case; DotProd for DotProduct), comma-separated. */
export function policiesOf(text: string | undefined): GpuPolicy[] {
  if (text === undefined) return [...GPU_POLICIES];
  const wanted: GpuPolicy[] = [];
  for (const raw of text.split(",")) {
    const name = raw.trim().toLowerCase();
    const policy = GPU_POLICIES.find((candidate) => candidate.toLowerCase() === name || THEIR_NAMES[candidate].slice(3).toLowerCase() === name);
    if (policy === undefined) throw new InputError(`--policies: unknown policy ${JSON.stringify(raw.trim())}; valid: ${GPU_POLICIES.join(", ")} (comma-separated)`);
    if (!wanted.includes(policy)) wanted.push(policy);
  }
  return wanted;
}

/** Per policy: the medians over the seeds at each arrived %, the seconds per seed, the failed pods. */
export interface FgdPolicyResult {
  readonly arrived: Record<string, FgdPoint>;
  /** Seconds of each seed's run, in the seeds' order. */
  readonly seconds: number[];
  /** Pods tried and failed, the median over the seeds. */
  readonly pods: number;
  readonly failed: number;
  /** Their simulator's medians over seeds 42–51, when the trace is theirs. */
  readonly expected?: Record<string, FgdPoint>;
}

export interface FgdResult {
  readonly nodes: number;
  readonly gpus: number;
  readonly tracePods: number;
  readonly seeds: readonly number[];
  readonly inflation: number;
  readonly policies: Record<string, FgdPolicyResult>;
}

/** The trace's files: `--nodes`/`--pods`, else in `--trace DIR` the GPU nodes' list (CSV, else YAML) and the default pod list. */
function traceFiles(options: FgdOptions): { nodes: string; pods: string } {
  const folder = options.trace;
  const pick = (given: string | undefined, names: readonly string[], flag: string): string => {
    if (given !== undefined) {
      if (!existsSync(given)) throw new InputError(`${flag} ${given}: no such file`);
      return given;
    }
    if (folder === undefined) throw new InputError(`bench fgd needs the openb trace (Alibaba's cluster-trace-gpu-v2023): --trace DIR, the folder holding ${names[0]} and openb_pod_list_default.csv (or ${flag} FILE)`);
    const found = names.map((name) => join(folder, name)).find((path) => existsSync(path));
    if (found === undefined) throw new InputError(`--trace ${folder}: no ${names.join(" or ")} there (the folder of Alibaba's cluster-trace-gpu-v2023 CSVs)`);
    return found;
  };
  return {
    nodes: pick(options.nodes, ["openb_node_list_gpu_node.csv", "openb_node_list_gpu_node.yaml"], "--nodes"),
    pods: pick(options.pods, ["openb_pod_list_default.csv"], "--pods"),
  };
}

/** Their expected results for the default trace: policy → arrived % → the medians over their seeds. */
export function expectedResults(): Map<GpuPolicy, Record<string, FgdPoint>> {
  const folder = join(packageRoot(), "data", "fgd-expected");
  const table = (name: string) => {
    const lines = readFileSync(join(folder, `analysis_${name}_discrete_openb_pod_list_default.csv`), "utf8").trim().split("\n");
    const header = (lines[0] as string).split(",");
    return lines.slice(1).map((line) => {
      const cells = line.split(",");
      return { policy: cells[header.indexOf("sc_policy")] as string, values: new Map(header.map((column, i) => [column, cells[i] as string])) };
    });
  };
  const allocation = table("allo");
  const amount = table("frag");
  const ratio = table("frag_ratio");
  const result = new Map<GpuPolicy, Record<string, FgdPoint>>();
  for (const policy of GPU_POLICIES) {
    const rows = (list: typeof allocation) => list.filter((row) => row.policy === THEIR_NAMES[policy]);
    const points: Record<string, FgdPoint> = {};
    for (let x = 0; x <= 130; x++) {
      const column = (list: typeof allocation) => rows(list).map((row) => row.values.get(String(x)) ?? "").filter((cell) => cell !== "").map(Number);
      const [a, f, r] = [column(allocation), column(amount), column(ratio)];
      if (a.length === 0 || f.length === 0 || r.length === 0) continue;
      points[String(x)] = { gpuAllocation: median(a), fragAmount: median(f), fragRatio: median(r) };
    }
    result.set(policy, points);
  }
  return result;
}

/** The medians over the seeds, per policy. */
export function fgdResultOf(policies: readonly GpuPolicy[], seeds: readonly number[], results: readonly FgdTaskResult[], header: Pick<FgdResult, "nodes" | "gpus" | "tracePods" | "inflation">, expected?: Map<GpuPolicy, Record<string, FgdPoint>>): FgdResult {
  const byPolicy: Record<string, FgdPolicyResult> = {};
  for (const policy of policies) {
    const runs = results.filter((result) => result.policy === policy);
    const arrived: Record<string, FgdPoint> = {};
    for (let x = 0; x <= 130; x++) {
      const points = runs.map((run) => run.arrived[String(x)]).filter((point): point is FgdPoint => point !== undefined);
      // A percentage some seed did not reach is left out (their analysis leaves such a cell blank).
      if (points.length !== runs.length || points.length === 0) continue;
      arrived[String(x)] = {
        gpuAllocation: round2(median(points.map((p) => p.gpuAllocation))),
        fragAmount: round2(median(points.map((p) => p.fragAmount))),
        fragRatio: round2(median(points.map((p) => p.fragRatio))),
      };
    }
    const theirs = expected?.get(policy);
    byPolicy[policy] = {
      arrived,
      seconds: runs.map((run) => Math.round(run.seconds * 1000) / 1000),
      pods: median(runs.map((run) => run.pods)),
      failed: median(runs.map((run) => run.failed)),
      ...(theirs !== undefined ? { expected: theirs } : {}),
    };
  }
  return { ...header, seeds, policies: byPolicy };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

const SHOWN = [50, 70, 80, 90, 100, 110, 120, 130];

/** The table: each policy at 100% arrived (against theirs), then allocation and fragmentation across the arrived workload. */
export function fgdTable(result: FgdResult): string[] {
  const lines: string[] = [];
  const names = Object.keys(result.policies);
  const width = Math.max(8, ...names.map((name) => name.length)) + 2;
  const cell = (value: number | undefined, digits = 2) => (value === undefined ? "-" : value.toFixed(digits));
  const withExpected = names.some((name) => result.policies[name]?.expected !== undefined);
  lines.push(`At 100% arrived (GPU request submitted = the cluster's GPUs), median over ${result.seeds.length} seed(s)${withExpected ? "; theirs: their simulator's expected results, median over seeds 42–51" : ""}:`);
  lines.push("");
  const head = ["GPU alloc %", ...(withExpected ? ["theirs"] : []), "frag %", ...(withExpected ? ["theirs"] : []), "frag/idle %", ...(withExpected ? ["theirs"] : []), "failed pods", "s per seed"];
  const pad = (text: string, i: number) => text.padStart(i === head.length - 2 ? 18 : 12);
  lines.push("policy".padEnd(width) + head.map(pad).join(""));
  for (const name of names) {
    const policy = result.policies[name] as FgdPolicyResult;
    const ours = policy.arrived["100"];
    const theirs = policy.expected?.["100"];
    const cells = [
      cell(ours?.gpuAllocation), ...(withExpected ? [cell(theirs?.gpuAllocation)] : []),
      cell(ours?.fragAmount), ...(withExpected ? [cell(theirs?.fragAmount)] : []),
      cell(ours?.fragRatio), ...(withExpected ? [cell(theirs?.fragRatio)] : []),
      `${Math.round(policy.failed).toLocaleString("en-US")} of ${Math.round(policy.pods).toLocaleString("en-US")}`,
      cell(median(policy.seconds), 3),
    ];
    lines.push(name.padEnd(width) + cells.map(pad).join(""));
  }
  for (const [title, pick] of [["GPU allocation (% of the cluster's milli-GPU) by arrived workload:", (p: FgdPoint) => p.gpuAllocation], ["Fragmentation (% of the cluster's milli-GPU) by arrived workload:", (p: FgdPoint) => p.fragAmount]] as const) {
    lines.push("");
    lines.push(title);
    lines.push("arrived".padEnd(width) + SHOWN.map((x) => `${x}%`.padStart(8)).join(""));
    for (const name of names) {
      const policy = result.policies[name] as FgdPolicyResult;
      lines.push(name.padEnd(width) + SHOWN.map((x) => cell(policy.arrived[String(x)] === undefined ? undefined : pick(policy.arrived[String(x)] as FgdPoint)).padStart(8)).join(""));
    }
  }
  const ranking = (pick: (policy: FgdPolicyResult) => FgdPoint | undefined) => names.filter((name) => pick(result.policies[name] as FgdPolicyResult) !== undefined).sort((a, b) => (pick(result.policies[a] as FgdPolicyResult)?.gpuAllocation ?? 0) - (pick(result.policies[b] as FgdPolicyResult)?.gpuAllocation ?? 0));
  lines.push("");
  lines.push(`Ranking by GPU allocation at 100%: ${ranking((policy) => policy.arrived["100"]).join(" < ")}`);
  if (withExpected) lines.push(`Theirs:                            ${ranking((policy) => policy.expected?.["100"]).join(" < ")}`);
  return lines;
}

/** FGDScore's pluginConfig for a trace: its typical pods (core/gpu/frag.ts), as a KubeSchedulerConfiguration profile takes them. */
export function typicalPodsConfig(pods: readonly GpuPodSpec[], file: string): string[] {
  const typical = typicalPods(pods);
  const covered = typical.reduce((sum, pod) => sum + pod.count, 0);
  return [
    `# FGDScore's typical pods of ${file}: ${typical.length} shapes, ${((100 * covered) / Math.max(1, pods.length)).toFixed(2)}% of its ${pods.length} pods`,
    "# (paste under a profile of a KubeSchedulerConfiguration that enables FGDScore)",
    "pluginConfig:",
    "  - name: FGDScore",
    "    args:",
    "      typicalPods:",
    ...typical.map((pod) => `        - {milliCpu: ${pod.cpuMilli}, milliGpu: ${pod.gpuMilli}, gpuNumber: ${pod.gpuCount}, ${pod.gpuModels.length > 0 ? `gpuType: ${JSON.stringify(pod.gpuModels.join("|"))}, ` : ""}percentage: ${pod.weight}}`),
  ];
}

export async function fgdCommand(options: FgdOptions, output: Output): Promise<void> {
  const policies = policiesOf(options.policies);
  const seeds = seedsOf(options.seeds ?? "42..51");
  const inflation = options.inflation ?? 1.3;
  if (!(inflation > 0 && inflation <= 10)) throw new InputError(`--inflation: must be above 0 and at most 10 (1.3: submit until the GPU request is 130% of the cluster's), got ${inflation}`);
  const files = traceFiles(options);
  // Read once here: a bad file is reported before a thread starts, with the trace's figures for the header.
  let header: Pick<FgdResult, "nodes" | "gpus" | "tracePods" | "inflation">;
  try {
    const nodes = await readOpenbNodes(files.nodes, files.nodes);
    const pods = await readOpenbPods(files.pods, files.pods);
    if (options.typicalPods === true) {
      for (const line of typicalPodsConfig(pods, files.pods)) output.print(line);
      return;
    }
    const gpus = nodes.reduce((sum, node) => sum + node.gpus, 0);
    if (gpus === 0) throw new InputError(`${files.nodes}: no node has a GPU: the experiment needs GPU nodes`);
    header = { nodes: nodes.length, gpus, tracePods: pods.length, inflation };
  } catch (error) {
    if (error instanceof TraceError) throw new InputError(error.message);
    throw error;
  }
  if (options.out !== undefined) {
    try {
      makeFolder(options.out);
    } catch (error) {
      throw new InputError(`--out ${options.out}: cannot make the folder: ${folderProblem(error)}`);
    }
  }
  const tasks: FgdTask[] = policies.flatMap((policy) => seeds.map((seed) => ({ nodes: { path: files.nodes, file: files.nodes }, pods: { path: files.pods, file: files.pods }, policy, seed, inflation })));
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), tasks.length));
  output.error(`bench fgd: ${header.nodes} nodes (${header.gpus} GPUs), ${header.tracePods} trace pods submitted up to ${Math.round(inflation * 100)}% of the GPUs; ${policies.length} polic${policies.length === 1 ? "y" : "ies"} × ${seeds.length} seed(s) = ${tasks.length} run(s) on ${threads} thread(s)`);
  const progress = new RunProgress(tasks.length, process.stderr, Date.now, "runs");
  const started = Date.now();
  const results = await runOnPool<FgdTask, FgdTaskResult>(workerFile(import.meta.url, join("scenarios", "fgd")), tasks, threads, (done) => progress.update(done));
  progress.stop();
  const theirs = basename(files.pods) === "openb_pod_list_default.csv" && header.nodes === 1213 && header.gpus === 6212 && inflation === 1.3 ? expectedResults() : undefined;
  const result = fgdResultOf(policies, seeds, results, header, theirs);
  output.error(`bench fgd: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (options.out !== undefined) {
    const put = (name: string, text: string) => {
      const path = join(options.out as string, name);
      writeFileSync(`${path}.partial`, text);
      renameSync(`${path}.partial`, path);
    };
    put("fgd.json", JSON.stringify(result, null, 2) + "\n");
    put("fgd.html", fgdHtml(result));
    output.error(`bench fgd: fgd.json and fgd.html written to ${options.out}`);
  }
  if (options.output === "json") {
    output.print(JSON.stringify(result, null, 2));
    return;
  }
  output.print(`FGD experiment: ${header.nodes} nodes, ${header.gpus} GPUs; ${header.tracePods} trace pods shuffled, then clones until ${Math.round(inflation * 100)}% of the GPUs is asked for; each pod tried once; seeds ${seeds.join(", ")}.`);
  output.print("");
  for (const line of fgdTable(result)) output.print(line);
}
