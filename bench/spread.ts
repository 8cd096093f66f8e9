/**
 * `schedule/topology-spread/{n}n` and `schedule/preferred-topology-spread/{n}n`: the shapes of
 * kube's scheduler_perf workloads TopologySpreading and PreferredTopologySpreading
 * (test/integration/scheduler_perf/misc/performance-config.yaml): nodes labelled over three zones,
 * `initPods` plain pods first, then `measurePods` pods labelled color=blue with one constraint
 * `maxSkew: 5, topologyKey: topology.kubernetes.io/zone, labelSelector: {color: blue}`,
 * DoNotSchedule or ScheduleAnyway. pods/s over the measured pods' tick only (from its first
 * event, as `schedule/…` does), kube's default profile, the fast engine.
 *
 *   node dist/bench/spread.js [nodes] [initPods] [measurePods]
 */
import { defaultSchedulerChoice, runScenario, type ClusterEvent, type Node, type Pod, type Scenario } from "../core/index.js";
import { median, type BenchResult } from "./engine.js";
import { makeNodes, makePods } from "./workload.js";

const ZONES = ["moon-1", "moon-2", "moon-3"];

export function spreadScenario(nodes: number, initPods: number, measurePods: number, hard: boolean): Scenario {
  const nodeSpecs: Node[] = makeNodes(nodes, 1).map((node, index) => ({
    ...node,
    labels: { "kubernetes.io/hostname": node.name, "topology.kubernetes.io/zone": ZONES[index % ZONES.length] as string },
  }));
  const measured: Pod[] = makePods(measurePods, 2).map((pod) => ({
    ...pod,
    name: `blue-${pod.name}`,
    labels: { color: "blue" },
    topologySpreadConstraints: [{
      maxSkew: 5,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: hard ? "DoNotSchedule" : "ScheduleAnyway",
      labelSelector: { matchLabels: { color: "blue" }, matchExpressions: [] },
      matchLabelKeys: [],
    }],
  }));
  return {
    name: `spread-${nodes}n`, seed: 1, untilSeconds: 1, options: { fitBy: "requests" }, nodes: nodeSpecs, pods: makePods(initPods, 1),
    timeline: measured.map((pod) => ({ at: 1, action: "createPod" as const, pod })),
  };
}

export function spreadBurst(nodes: number, initPods: number, measurePods: number, repeats: number, hard: boolean): BenchResult[] {
  return measuredBurst(spreadScenario(nodes, initPods, measurePods, hard), `schedule/${hard ? "topology-spread" : "preferred-topology-spread"}/${nodes}n`, repeats);
}

/**
 * pods/s of the pods bound from tick 1 on (the measured ones), timed from the first event of tick
 * 1; the median of `repeats` runs. `also` counts events of one more type in the last run (a
 * second line, `name/what`).
 */
export function measuredBurst(scenario: Scenario, name: string, repeats: number, also?: { type: ClusterEvent["type"]; what: string; unit: string }): BenchResult[] {
  let placed = 0;
  let counted = 0;
  const times = Array.from({ length: repeats }, () => {
    let start: bigint | undefined;
    const run = runScenario(scenario, { onEvent: (event: ClusterEvent) => { if (start === undefined && event.t >= 1) start = process.hrtime.bigint(); } }, defaultSchedulerChoice());
    const ms = Number(process.hrtime.bigint() - (start ?? 0n)) / 1e6;
    placed = 0;
    counted = 0;
    for (const event of run.log) {
      if (event.type === "PodBound" && event.t >= 1) placed += 1;
      if (event.type === also?.type) counted += 1;
    }
    return Math.max(ms, 1e-3);
  });
  const rate: BenchResult = { name, value: Math.round(placed / (median(times) / 1000)), unit: "pods/s", median_of: repeats };
  return also === undefined ? [rate] : [rate, { name: `${name}/${also.what}`, value: counted, unit: also.unit, median_of: repeats }];
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const nodes = Number(process.argv[2] ?? 5000);
  const initPods = Number(process.argv[3] ?? 5000);
  const measurePods = Number(process.argv[4] ?? 2000);
  for (const hard of [true, false]) {
    for (const result of spreadBurst(nodes, initPods, measurePods, 3, hard)) process.stdout.write(JSON.stringify(result) + "\n");
  }
}
