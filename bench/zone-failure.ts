/**
 * `run/zone-failure/{n}n`: `nodes` nodes in 3 zones and `deployments` Deployments of `replicas`
 * replicas each (requests drawn like every benchmark pod), all created at once; at 1 h every node
 * of zone a stops its kubelet (failNode), at 2 h they all recover; the run ends at 2 h 10 min.
 * Through the whole engine: the node lifecycle controller (grace period, zone states, the zone's
 * taint rate of 0.1 node/s, so about 360 nodes tainted NoExecute in the hour), taint eviction 300 s
 * later, the ReplicaSets replacing what is evicted, the kubelets catching up at recovery, the
 * scheduler. Prints events/s, wall time and peak memory as JSON lines; run as its own process
 * (`node dist/bench/zone-failure.js NODES DEPLOYMENTS REPLICAS POLICY`) or from the suite.
 */
import { defaultSchedulerChoice, runScenario, type Scenario, type TimelineAction } from "../core/index.js";
import { deployment } from "./deployments.js";
import { timeMs, type BenchResult } from "./engine.js";
import { makeNodes, makePods } from "./workload.js";

const ZONES = ["a", "b", "c"];

export function zoneFailureScenario(nodes: number, deployments: number, replicas: number): Scenario {
  const cluster = makeNodes(nodes, 1).map((node, index) => ({ ...node, labels: { "topology.kubernetes.io/zone": ZONES[index % ZONES.length] as string } }));
  const objects = makePods(deployments, 5).map((pod, index) => {
    const { cpu = 100, memory = 2 ** 27 } = pod.containers[0]?.requests ?? {};
    return deployment(index, replicas, cpu, memory, "example/app:1");
  });
  const failing = cluster.filter((node) => node.labels["topology.kubernetes.io/zone"] === "a").map((node) => node.name);
  const timeline: TimelineAction[] = [
    ...failing.map((node): TimelineAction => ({ at: 3600, action: "failNode", node })),
    ...failing.map((node): TimelineAction => ({ at: 7200, action: "recoverNode", node })),
  ];
  return { name: `zone-failure-${nodes}n`, seed: 1, untilSeconds: 7800, options: { fitBy: "requests" }, nodes: cluster, pods: [], objects, timeline };
}

export function zoneFailureRun(nodes: number, deployments: number, replicas: number, policy: "kube-default" | "first-fit"): BenchResult[] {
  const scenario = zoneFailureScenario(nodes, deployments, replicas);
  const choice = policy === "kube-default" ? defaultSchedulerChoice() : { policy };
  let events = 0;
  let evicted = 0;
  const ms = timeMs(() => {
    const result = runScenario(scenario, {}, choice);
    events = result.log.size;
    for (const event of result.log) if (event.type === "PodEvicted") evicted++;
  });
  const name = `run/zone-failure/${nodes}n${policy === "first-fit" ? "/first-fit" : ""}`;
  return [
    { name, value: Math.round(events / (ms / 1000)), unit: "events/s", median_of: 1 },
    { name: `${name}/wall`, value: Math.round(ms / 10) / 100, unit: "s", median_of: 1 },
    { name: `${name}/events`, value: events, unit: "events", median_of: 1 },
    { name: `${name}/evicted`, value: evicted, unit: "pods", median_of: 1 },
  ];
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const nodes = Number(process.argv[2] ?? 10_000);
  const deployments = Number(process.argv[3] ?? 3000);
  const replicas = Number(process.argv[4] ?? 100);
  const policies = process.argv[5] === undefined ? (["kube-default", "first-fit"] as const) : [process.argv[5] as "kube-default" | "first-fit"];
  for (const policy of policies) for (const result of zoneFailureRun(nodes, deployments, replicas, policy)) process.stdout.write(JSON.stringify(result) + "\n");
  // One policy per process (as the suite runs it): its peak memory under that policy's name.
  const suffix = policies.length === 1 && policies[0] === "first-fit" ? "/first-fit" : "";
  process.stdout.write(JSON.stringify({ name: `run/zone-failure/${nodes}n${suffix}-rss`, value: Math.round(process.resourceUsage().maxRSS / 1024), unit: "MiB", median_of: 1 }) + "\n");
}
