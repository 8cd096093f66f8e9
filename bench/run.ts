/**
 * `npm run bench [-- --quick]`: every benchmark, one JSON line per result on stdout
 * (DESIGN.md "Benchmarks"). Timings are medians of several runs; nothing here asserts time.
 *
 * For now it measures the reference engine — the naive oracle — so that the fast engine has a
 * baseline to be compared against in the same process.
 */
import { defaultSchedulerChoice, runScenario, type Scenario, type SchedulerChoice } from "../core/index.js";
import { makeNodes, makePods } from "./workload.js";

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly median_of: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function timeMs(action: () => void): number {
  const start = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** All pods arrive at tick 0 and are placed by `policy`: pods/s and ns per event. */
function scheduleBurst(nodes: number, pods: number, repeats: number, policy: "first-fit" | "kube-default"): BenchResult[] {
  const scheduler: SchedulerChoice = policy === "first-fit" ? { policy: "first-fit" } : defaultSchedulerChoice();
  const scenario: Scenario = {
    name: `burst-${nodes}n`, seed: 1, untilSeconds: 0, options: { fitBy: "requests" },
    nodes: makeNodes(nodes, 1), pods: makePods(pods, 1), timeline: [],
  };
  let events = 0;
  const times = Array.from({ length: repeats }, () => timeMs(() => {
    events = runScenario(scenario, {}, scheduler).events.length;
  }));
  const ms = median(times);
  return [
    { name: `reference/schedule/${policy}/${nodes}n`, value: Math.round(pods / (ms / 1000)), unit: "pods/s", median_of: repeats },
    ...(policy === "first-fit" ? [{ name: `reference/reduce/event/${nodes}n`, value: Math.round((ms * 1e6) / events), unit: "ns", median_of: repeats }] : []),
  ];
}

export function runBenchmarks(quick: boolean): BenchResult[] {
  if (quick) return [...scheduleBurst(20, 200, 3, "first-fit"), ...scheduleBurst(20, 200, 3, "kube-default")];
  return [...scheduleBurst(100, 2000, 5, "first-fit"), ...scheduleBurst(100, 2000, 5, "kube-default"), ...scheduleBurst(1000, 2000, 3, "first-fit"), ...scheduleBurst(1000, 2000, 3, "kube-default")];
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  for (const result of runBenchmarks(process.argv.includes("--quick"))) process.stdout.write(JSON.stringify(result) + "\n");
}
