/**
 * `schedule/pod-anti-affinity/{n}n`: the shape of kube's scheduler_perf workload
 * SchedulingPodAntiAffinity/5000Nodes_2000Pods (test/integration/scheduler_perf/affinity/
 * performance-config.yaml; CI threshold 60 pods/s): `initPods` pods in namespace sched-0 first,
 * then `measurePods` in sched-1, every one the template pod-with-pod-anti-affinity.yaml — labelled
 * color=green, 100m cpu and 500Mi memory, with the required anti-affinity `color: green` over
 * namespaces sched-1 and sched-0 by `kubernetes.io/hostname`: at most one such pod per node.
 * Nodes are kube's scheduler_perf default (4 cpu, 32Gi, 110 pods) labelled with their hostname.
 * pods/s over the measured pods' tick only (from its first event, as `schedule/…` does), kube's
 * default profile, the fast engine.
 *
 *   node dist/bench/affinity.js [nodes] [initPods] [measurePods]
 */
import type { Node, Pod, Scenario } from "../core/index.js";
import type { BenchResult } from "./engine.js";
import { measuredBurst } from "./spread.js";
import { makeNodes, makePods } from "./workload.js";

const MIB = 2 ** 20;

function antiAffinityPods(count: number, namespace: string): Pod[] {
  return makePods(count, 1).map((pod) => ({
    ...pod,
    namespace,
    name: `anti-affinity-${pod.name}`,
    labels: { color: "green" },
    containers: pod.containers.map((container) => ({ ...container, requests: { cpu: 100, memory: 500 * MIB }, limits: { cpu: 100, memory: 500 * MIB } })),
    podAntiAffinity: {
      required: [{
        labelSelector: { matchLabels: { color: "green" }, matchExpressions: [] },
        namespaces: ["sched-1", "sched-0"],
        topologyKey: "kubernetes.io/hostname",
        matchLabelKeys: [],
        mismatchLabelKeys: [],
      }],
      preferred: [],
    },
  }));
}

export function antiAffinityScenario(nodes: number, initPods: number, measurePods: number): Scenario {
  const nodeSpecs: Node[] = makeNodes(nodes, 1).map((node) => {
    const allocatable = { cpu: 4000, memory: 32 * 1024 * MIB, pods: 110 };
    return { ...node, labels: { "kubernetes.io/hostname": node.name }, capacity: allocatable, allocatable };
  });
  return {
    name: `pod-anti-affinity-${nodes}n`, seed: 1, untilSeconds: 1, options: { fitBy: "requests" }, nodes: nodeSpecs, pods: antiAffinityPods(initPods, "sched-0"),
    timeline: antiAffinityPods(measurePods, "sched-1").map((pod) => ({ at: 1, action: "createPod" as const, pod })),
  };
}

export function antiAffinityBurst(nodes: number, initPods: number, measurePods: number, repeats: number): BenchResult[] {
  return measuredBurst(antiAffinityScenario(nodes, initPods, measurePods), `schedule/pod-anti-affinity/${nodes}n`, repeats);
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const nodes = Number(process.argv[2] ?? 5000);
  const initPods = Number(process.argv[3] ?? 1000);
  const measurePods = Number(process.argv[4] ?? 2000);
  for (const result of antiAffinityBurst(nodes, initPods, measurePods, 3)) process.stdout.write(JSON.stringify(result) + "\n");
}
