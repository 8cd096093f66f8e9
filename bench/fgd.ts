/**
 * `fgd/<policy>`: seconds per seed of the FGD paper's experiment (core/gpu/experiment.ts) on the
 * openb trace, its whole protocol (1,213 GPU nodes, the 8,152 pods shuffled and cloned to 130%
 * of the GPUs, each tried once), in this process, for each policy; the median over the seeds.
 * `fgd/vs-naive/<policy>/<n>n`: the naive twin (core/gpu/naive.ts: every node scored afresh for
 * every pod, the figures summed over all nodes) against it on a tenth of the trace (every tenth
 * node and pod — where the naive one finishes in seconds), same process, alternated: naive time
 * ÷ fast time. Run as `node dist/bench/fgd.js TRACE_DIR SEEDS EVERY REPEATS`.
 */
import { join } from "node:path";
import { GPU_POLICIES, naiveFgdExperiment, runFgdExperiment, type GpuNodeSpec, type GpuPodSpec } from "../core/index.js";
import { readOpenbNodes, readOpenbPods } from "../scenarios/loaders/traces/openb.js";
import { alternated, median, timeMs, type BenchResult } from "./engine.js";

export function fgdBench(nodes: readonly GpuNodeSpec[], pods: readonly GpuPodSpec[], seeds: number, every: number, repeats: number): BenchResult[] {
  const results: BenchResult[] = [];
  const smallNodes = nodes.filter((_, i) => i % every === 0);
  const smallPods = pods.filter((_, i) => i % every === 0);
  for (const policy of GPU_POLICIES) {
    const times = Array.from({ length: seeds }, (_, s) => timeMs(() => runFgdExperiment(nodes, pods, { policy, seed: 42 + s })) / 1000);
    results.push({ name: `fgd/${policy}`, value: Math.round(median(times) * 1000) / 1000, unit: "s", median_of: seeds });
    const [fast, naive] = alternated(repeats, (run) => runFgdExperiment(smallNodes, smallPods, { policy, seed: 42 + run }), (run) => naiveFgdExperiment(smallNodes, smallPods, { policy, seed: 42 + run }));
    results.push({ name: `fgd/vs-naive/${policy}/${smallNodes.length}n`, value: Math.round((median(naive) / median(fast)) * 10) / 10, unit: "x", median_of: repeats });
  }
  return results;
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const [dir, seeds, every, repeats] = process.argv.slice(2);
  const folder = dir as string;
  const nodes = await readOpenbNodes(join(folder, "openb_node_list_gpu_node.csv"), "openb_node_list_gpu_node.csv");
  const pods = await readOpenbPods(join(folder, "openb_pod_list_default.csv"), "openb_pod_list_default.csv");
  for (const result of fgdBench(nodes, pods, Number(seeds), Number(every), Number(repeats))) process.stdout.write(JSON.stringify(result) + "\n");
}
