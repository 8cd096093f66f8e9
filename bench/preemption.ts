/**
 * `schedule/preemption/{n}n`: the shape of kube's scheduler_perf workload PreemptionAsync
 * (CI threshold 570 pods/s at 5000 nodes): nodes of 4 cpu, `initPods` low-priority pods of 900m
 * cpu and 500Mi first (4 per node: 3.6 cpu), then `measurePods` high-priority pods (priority 10)
 * of 3 cpu and 500Mi, none of which fits without preempting three low pods. pods/s of the measured
 * pods bound, from their creation until the last is bound (the victims' 30 s grace periods are
 * simulated time: no wall time), kube's default profile, the fast engine.
 *
 *   node dist/bench/preemption.js [nodes] [initPods] [measurePods]
 */
import type { Node, Pod, Scenario } from "../core/index.js";
import type { BenchResult } from "./engine.js";
import { measuredBurst } from "./spread.js";
import { makeNodes, makePods } from "./workload.js";

const MIB = 2 ** 20;

function pods(count: number, prefix: string, cpu: number, priority: number): Pod[] {
  return makePods(count, 1).map((pod) => ({
    ...pod,
    name: `${prefix}-${pod.name}`,
    priority,
    containers: pod.containers.map((container) => ({ ...container, requests: { cpu, memory: 500 * MIB } })),
  }));
}

export function preemptionScenario(nodes: number, initPods: number, measurePods: number): Scenario {
  const nodeSpecs: Node[] = makeNodes(nodes, 1).map((node) => {
    const allocatable = { cpu: 4000, memory: 32 * 1024 * MIB, pods: 110 };
    return { ...node, labels: { "kubernetes.io/hostname": node.name }, capacity: allocatable, allocatable };
  });
  return {
    name: `preemption-${nodes}n`, seed: 1, untilSeconds: 60, options: { fitBy: "requests" }, nodes: nodeSpecs, pods: pods(initPods, "low", 900, 0),
    timeline: pods(measurePods, "high", 3000, 10).map((pod) => ({ at: 1, action: "createPod" as const, pod })),
  };
}

export function preemptionBurst(nodes: number, initPods: number, measurePods: number, repeats: number): BenchResult[] {
  return measuredBurst(preemptionScenario(nodes, initPods, measurePods), `schedule/preemption/${nodes}n`, repeats, { type: "PodPreempted", what: "victims", unit: "pods" });
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const nodes = Number(process.argv[2] ?? 5000);
  const initPods = Number(process.argv[3] ?? 20_000);
  const measurePods = Number(process.argv[4] ?? 5000);
  for (const result of preemptionBurst(nodes, initPods, measurePods, 1)) process.stdout.write(JSON.stringify(result) + "\n");
}
