/**
 * Replaying real traces, as `timoneiro run --trace` does (the scenario loader, then the fast
 * engine; reading the files not counted):
 * - `trace/openb/replay`: the whole openb trace (1,523 nodes, 8,152 pods over 149 days) under
 *   kube's default profile, seconds; `…/gpu-sharing` the same with the bundled Open-Gpu-Share and
 *   BestFitScore (examples/gpu-sharing.ksc.yaml: every GPU pod placed card by card);
 * - `trace/openb/replay/vs-reference/<n>n`: the reference engine against the fast one on every
 *   EVERY-th node and pod of the trace (where the reference finishes in seconds), same process,
 *   alternated: reference time ÷ fast time;
 * - `trace/google-2011/replay/sample-0.2`: a fifth of the 2011 shard's tasks on its 12,477
 *   machines, seconds (the whole shard does not finish in minutes: README "Traces");
 * - `trace/google-2011/replay/sample-0.2/vs-reference/<n>n`: the reference engine against the fast
 *   one on every EVERY-th machine and task of that fifth, once (the reference takes minutes);
 * - `…/vs-mutable` (after `trace/openb/replay` and the Google line): the plain mutable scheduler
 *   (bench/mutable-scheduler.ts) replaying the run's log and making every scheduling decision
 *   again, against the fast engine running the scenario, same process, alternated: mutable time ÷
 *   fast time (1 would be the limit's speed). Every decision must agree with the log's; a
 *   disagreement stops the bench.
 * Run as `node dist/bench/trace.js TRACES_DIR REPEATS EVERY GOOGLE(0 or 1)`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runScenario, schedulerConfigurationFrom, type ClusterEvent, type Scenario, type SchedulerChoice } from "../core/index.js";
import { loadScenarioText } from "../scenarios/loaders/scenario.js";
import { preloadScenarioTraceValue } from "../scenarios/loaders/traces/index.js";
import { parse as parseYaml } from "yaml";
import { alternated, median, timeMs, type BenchResult } from "./engine.js";
import { replayMutable } from "./mutable-scheduler.js";

async function traceScenario(spec: Record<string, unknown>, folder: string): Promise<Scenario> {
  const value = { apiVersion: "timoneiro.dev/v1", kind: "Scenario", metadata: { name: "trace" }, spec };
  await preloadScenarioTraceValue(value, folder);
  const loaded = loadScenarioText(JSON.stringify(value), join(folder, "(trace)"), { validate: "warn" });
  if (loaded.scenario === undefined) throw new Error(`the trace does not load: ${loaded.diagnostics.map((d) => d.message).join("; ")}`);
  return loaded.scenario;
}

function seconds(action: () => void): number {
  return timeMs(action) / 1000;
}

function gpuSharing(root: string): SchedulerChoice {
  const built = schedulerConfigurationFrom(parseYaml(readFileSync(join(root, "examples", "gpu-sharing.ksc.yaml"), "utf8")));
  if (built.value === undefined) throw new Error("examples/gpu-sharing.ksc.yaml does not build");
  return { policy: "kube", configuration: built.value };
}

/**
 * `name`: the mutable scheduler's time over the run's log (read into memory first) ÷ the fast
 * engine's time for the run, alternated `repeats` times; refused when a decision differs.
 */
function vsMutable(scenario: Scenario, repeats: number, name: string): BenchResult {
  const log: ClusterEvent[] = [...runScenario(scenario).log];
  const [fast, mutable] = alternated(repeats, () => runScenario(scenario), () => {
    const agreement = replayMutable(log, scenario.seed);
    if (agreement.disagreements > 0 || agreement.compared === 0) throw new Error(`${name}: the mutable scheduler disagrees with the log in ${agreement.disagreements} of ${agreement.compared} cycles; first: ${agreement.first ?? "none compared"}`);
  });
  return { name, value: Math.round((median(mutable) / median(fast)) * 100) / 100, unit: "x", median_of: repeats };
}

/** Decides once per name, in order of first sight: every `every`-th name is kept. */
function everyNth(every: number): { keep: (name: string) => boolean; kept: (name: string) => boolean } {
  const decided = new Map<string, boolean>();
  return {
    keep: (name) => {
      let keep = decided.get(name);
      if (keep === undefined) decided.set(name, (keep = decided.size % every === 0));
      return keep;
    },
    kept: (name) => decided.get(name) === true,
  };
}

/**
 * Every `every`-th node and pod of a scenario, by name in order of first sight (nodes at the start,
 * then those the timeline adds); a pod's deletion and a node's removal go with it.
 */
function thinned(scenario: Scenario, every: number): Scenario {
  const pods = everyNth(every);
  const nodes = everyNth(every);
  const initialNodes = scenario.nodes.filter((node) => nodes.keep(node.name));
  const initialPods = scenario.pods.filter((pod) => pods.keep(pod.name));
  const timeline = scenario.timeline.filter((action) => {
    switch (action.action) {
      case "createPod": return pods.keep(action.pod.name);
      case "deletePod": return pods.kept(action.pod.slice(action.pod.indexOf("/") + 1));
      case "addNode": return nodes.keep(action.node.name);
      case "removeNode": return nodes.kept(action.node);
      default: return true;
    }
  });
  return { ...scenario, nodes: initialNodes, pods: initialPods, timeline };
}

export async function traceBench(traces: string, repeats: number, every: number, google: boolean, root: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const openb = join(traces, "alibaba-gpu-v2023");
  const scenario = await traceScenario({
    cluster: { trace: { kind: "openb", path: "openb_node_list_all_node.csv" } },
    workloads: { trace: { kind: "openb", path: "openb_pod_list_default.csv" } },
  }, openb);
  const sharing = gpuSharing(root);
  results.push({ name: "trace/openb/replay", value: Math.round(median(Array.from({ length: repeats }, () => seconds(() => runScenario(scenario)))) * 100) / 100, unit: "s", median_of: repeats });
  results.push(vsMutable(scenario, repeats, "trace/openb/replay/vs-mutable"));
  results.push({ name: "trace/openb/replay/gpu-sharing", value: Math.round(median(Array.from({ length: repeats }, () => seconds(() => runScenario(scenario, {}, sharing)))) * 100) / 100, unit: "s", median_of: repeats });
  const small = thinned(scenario, every);
  const [fast, reference] = alternated(repeats, () => runScenario(small), () => runScenario(small, { engine: "reference" }));
  results.push({ name: `trace/openb/replay/vs-reference/${small.nodes.length}n`, value: Math.round((median(reference) / median(fast)) * 10) / 10, unit: "x", median_of: repeats });
  if (google) {
    const shard = await traceScenario({
      cluster: { trace: { kind: "google-2011", path: "machine_events/part-00000-of-00001.csv.gz" } },
      workloads: { trace: { kind: "google-2011", path: "task_events/part-00000-of-00500.csv.gz", sample: 0.2 } },
    }, join(traces, "google-2011"));
    results.push({ name: "trace/google-2011/replay/sample-0.2", value: Math.round(seconds(() => runScenario(shard)) * 10) / 10, unit: "s", median_of: 1 });
    results.push(vsMutable(shard, repeats, "trace/google-2011/replay/sample-0.2/vs-mutable"));
    // The reference engine takes about two minutes on a tenth of the sample: once.
    const tenth = thinned(shard, every);
    const [fastTimes, referenceTimes] = alternated(1, () => runScenario(tenth), () => runScenario(tenth, { engine: "reference" }));
    results.push({ name: `trace/google-2011/replay/sample-0.2/vs-reference/${tenth.nodes.length}n`, value: Math.round(median(referenceTimes) / median(fastTimes)), unit: "x", median_of: 1 });
  }
  return results;
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const [traces, repeats, every, google] = process.argv.slice(2);
  const here = new URL(".", import.meta.url).pathname;
  const root = join(here, "..", "..");
  for (const result of await traceBench(traces as string, Number(repeats), Number(every), google === "1", root)) process.stdout.write(JSON.stringify(result) + "\n");
}
