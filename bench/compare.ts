/**
 * `compare/4-policies/1000n`: `timoneiro compare`'s worker pool on 4 policies × 3 seeds of a
 * 1,000-node day (the churn workload, PODS pods), all 12 runs on 2 threads against 1, same
 * process, alternated; the median ratio of wall times (2 = twice as fast). Also the wall times.
 * Run as `node dist/bench/compare.js NODES PODS REPEATS`.
 */
import { runTasks } from "../scenarios/compare/compare.js";
import type { CompareTask } from "../scenarios/compare/worker.js";
import { churnScenario } from "./churn.js";
import { median, type BenchResult } from "./engine.js";

export async function comparePool(nodes: number, pods: number, repeats: number): Promise<BenchResult[]> {
  const scenario = churnScenario(nodes, pods);
  const tasks: CompareTask[] = (["kube", "first-fit", "best-fit", "worst-fit"] as const).flatMap((policy) => [1, 2, 3].map((seed) => ({
    scenario,
    source: { validate: "warn" as const },
    seed,
    candidate: { name: policy, policy },
    interval: 60,
  })));
  const time = async (threads: number) => {
    const start = process.hrtime.bigint();
    await runTasks(tasks, threads);
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  const one: number[] = [];
  const two: number[] = [];
  for (let run = 0; run < repeats; run++) {
    if (run % 2 === 0) {
      one.push(await time(1));
      two.push(await time(2));
    } else {
      two.push(await time(2));
      one.push(await time(1));
    }
  }
  const name = `compare/4-policies/${nodes}n`;
  return [
    { name, value: Math.round((median(one) / median(two)) * 100) / 100, unit: "x", median_of: repeats },
    { name: `${name}/1-thread`, value: Math.round(median(one) * 10) / 10, unit: "s", median_of: repeats },
    { name: `${name}/2-threads`, value: Math.round(median(two) * 10) / 10, unit: "s", median_of: repeats },
  ];
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  for (const result of await comparePool(Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 100_000), Number(process.argv[4] ?? 3))) process.stdout.write(JSON.stringify(result) + "\n");
}
