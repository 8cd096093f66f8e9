/**
 * `npm run bench [-- --quick]`: every benchmark, one JSON line per result on stdout
 * (DESIGN.md "Benchmarks"). Timings are medians of several runs; nothing here asserts time.
 *
 * For now it measures the reference engine — the naive oracle — so that the fast engine has a
 * baseline to be compared against in the same process.
 */
import { runScenario, type Scenario } from "../core/index.js";
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

/** All pods arrive at tick 0 and are placed by first fit: pods/s and ns per event. */
function scheduleBurst(nodes: number, pods: number, repeats: number): BenchResult[] {
  const scenario: Scenario = {
    name: `burst-${nodes}n`, seed: 1, untilSeconds: 0, options: { fitBy: "requests" },
    nodes: makeNodes(nodes, 1), pods: makePods(pods, 1), timeline: [],
  };
  let events = 0;
  const times = Array.from({ length: repeats }, () => timeMs(() => {
    events = runScenario(scenario).events.length;
  }));
  const ms = median(times);
  return [
    { name: `reference/schedule/first-fit/${nodes}n`, value: Math.round(pods / (ms / 1000)), unit: "pods/s", median_of: repeats },
    { name: `reference/reduce/event/${nodes}n`, value: Math.round((ms * 1e6) / events), unit: "ns", median_of: repeats },
  ];
}

export function runBenchmarks(quick: boolean): BenchResult[] {
  return quick ? scheduleBurst(20, 200, 3) : [...scheduleBurst(100, 2000, 5), ...scheduleBurst(1000, 2000, 5)];
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  for (const result of runBenchmarks(process.argv.includes("--quick"))) process.stdout.write(JSON.stringify(result) + "\n");
}
