/**
 * `run/deployments/{n}n`: `deployments` Deployments of `replicas` replicas each (requests drawn
 * like every benchmark pod) created at once on `nodes` nodes, then every one rolled out to a
 * new image ten minutes later (RollingUpdate 25% / 25%; old pods terminate in 30 s), through the
 * whole engine — Deployment and ReplicaSet controllers, garbage of old pods, kubelets, kube's
 * default scheduler profile (and first fit), compact log. Prints events/s, wall time and peak
 * memory as JSON lines; run as its own process (`node dist/bench/deployments.js NODES DEPLOYMENTS
 * REPLICAS [REPEATS]`) or from the suite (`npm run bench`).
 */
import { defaultSchedulerChoice, runScenario, workloadFromManifest, type Scenario, type TimelineAction, type Workload } from "../core/index.js";
import { timeMs, type BenchResult } from "./engine.js";
import { makeNodes, makePods } from "./workload.js";

/** `app-NNNNN`: a Deployment of `replicas` pods requesting cpu (millicores) and memory (bytes). */
export function deployment(index: number, replicas: number, cpu: number, memory: number, image: string): Workload {
  const name = `app-${String(index).padStart(5, "0")}`;
  const converted = workloadFromManifest({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image, resources: { requests: { cpu: `${cpu}m`, memory: String(memory) } } }] } },
    },
  });
  if (converted.value === undefined) throw new Error(JSON.stringify(converted.diagnostics));
  return converted.value;
}

export function deploymentsScenario(nodes: number, deployments: number, replicas: number): Scenario {
  const shapes = makePods(deployments, 5);
  const before: Workload[] = [];
  const timeline: TimelineAction[] = [];
  shapes.forEach((pod, index) => {
    const { cpu = 100, memory = 2 ** 27 } = pod.containers[0]?.requests ?? {};
    before.push(deployment(index, replicas, cpu, memory, "example/app:1"));
    const after = deployment(index, replicas, cpu, memory, "example/app:2");
    timeline.push({ at: 600, action: "update", kind: "Deployment", object: `default/${after.name}`, workload: after, setsReplicas: false });
  });
  return { name: `deployments-${nodes}n`, seed: 1, untilSeconds: 1200, options: { fitBy: "requests" }, nodes: makeNodes(nodes, 1), pods: [], objects: before, timeline };
}

/**
 * Events/s and wall time under kube's default profile (`run/deployments/{n}n`), and under first
 * fit (`…/first-fit`: the controllers and engine without kube's scoring of hundreds of sampled
 * nodes per pod, the figure `run/churn` is measured with).
 */
export function deploymentsRun(nodes: number, deployments: number, replicas: number, repeats: number, policy: "kube-default" | "first-fit" = "kube-default"): BenchResult[] {
  const scenario = deploymentsScenario(nodes, deployments, replicas);
  const choice = policy === "kube-default" ? defaultSchedulerChoice() : { policy };
  const rates: number[] = [];
  const walls: number[] = [];
  let events = 0;
  for (let run = 0; run < repeats; run++) {
    const ms = timeMs(() => {
      events = runScenario(scenario, {}, choice).log.size;
    });
    rates.push(events / (ms / 1000));
    walls.push(ms / 1000);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const name = `run/deployments/${nodes}n${policy === "first-fit" ? "/first-fit" : ""}`;
  return [
    { name, value: Math.round(median(rates)), unit: "events/s", median_of: repeats },
    { name: `${name}/wall`, value: Math.round(median(walls) * 100) / 100, unit: "s", median_of: repeats },
  ];
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const nodes = Number(process.argv[2] ?? 5000);
  const deployments = Number(process.argv[3] ?? 2000);
  const replicas = Number(process.argv[4] ?? 50);
  const repeats = Number(process.argv[5] ?? 1);
  for (const policy of ["kube-default", "first-fit"] as const) {
    for (const result of deploymentsRun(nodes, deployments, replicas, repeats, policy)) process.stdout.write(JSON.stringify(result) + "\n");
  }
  process.stdout.write(JSON.stringify({ name: `run/deployments/${nodes}n-rss`, value: Math.round(process.resourceUsage().maxRSS / 1024), unit: "MiB", median_of: 1 }) + "\n");
}
