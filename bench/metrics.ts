/**
 * `metrics/overhead/churn`: the churn run with the metrics collector fed every event (as `run`
 * does) against without, same process, alternated — which goes first alternates too, and with
 * `--expose-gc` the heap is collected before each, so neither pays for the other's garbage; the
 * median ratio of wall times (1.05 = 5% slower). Run as
 * `node --expose-gc dist/bench/metrics.js NODES PODS REPEATS` or from the suite.
 */
import { runScenario } from "../core/index.js";
import { MetricsCollector } from "../scenarios/metrics/metrics.js";
import { churnScenario } from "./churn.js";
import { median, timeMs, type BenchResult } from "./engine.js";

export function metricsOverhead(nodes: number, pods: number, repeats: number): BenchResult[] {
  const scenario = churnScenario(nodes, pods);
  const ratios: number[] = [];
  const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const off = () => {
    collect();
    return timeMs(() => runScenario(scenario, {}, { policy: "first-fit" }));
  };
  const on = () => {
    collect();
    return timeMs(() => {
      const collector = new MetricsCollector(60);
      runScenario(scenario, { onEvent: (event) => collector.onEvent(event) }, { policy: "first-fit" });
      collector.finish(scenario.untilSeconds);
      collector.totals();
    });
  };
  for (let run = 0; run < repeats; run++) {
    if (run % 2 === 0) {
      const without = off();
      ratios.push(on() / without);
    } else {
      const withMetrics = on();
      ratios.push(withMetrics / off());
    }
  }
  return [{ name: "metrics/overhead/churn", value: Math.round(median(ratios) * 1000) / 1000, unit: "x", median_of: repeats }];
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  for (const result of metricsOverhead(Number(process.argv[2] ?? 2000), Number(process.argv[3] ?? 200_000), Number(process.argv[4] ?? 3))) process.stdout.write(JSON.stringify(result) + "\n");
}
