/**
 * `run/jobs/{n}n`: a day of batch work on `nodes` nodes through the whole engine — the CronJob,
 * Job, DaemonSet and garbage controllers, PodGC, kubelets, the scheduler and the compact log:
 * - a DaemonSet (one agent pod on every node);
 * - 60 CronJobs every minute, 10 pods each (parallelism = completions = 10, 40 s each);
 * - 20 CronJobs every five minutes, 20 pods each (3 minutes each);
 * - 4 CronJobs on the hour, 250 pods each (5 minutes each);
 * - 10 Jobs at the start, 1,000 completions 100 at a time (60 s each).
 * That is 60×10×1,440 + 20×20×288 + 4×250×24 + 10×1,000 = 1,013,200 batch pods in 24 hours.
 * Requests are drawn like every benchmark pod's. Prints events/s, wall time and peak memory as
 * JSON lines; run as its own process (`node --max-old-space-size=1200 dist/bench/jobs.js NODES
 * [HOURS] [POLICY]`), as `npm run bench` does (its quick form: 100 nodes for six minutes).
 */
import { defaultSchedulerChoice, runScenario, workloadFromManifest, type Scenario, type Workload } from "../core/index.js";
import { timeMs, type BenchResult } from "./engine.js";
import { makeNodes, makePods } from "./workload.js";

function converted(manifest: Record<string, unknown>): Workload {
  const result = workloadFromManifest(manifest);
  if (result.value === undefined) throw new Error(JSON.stringify(result.diagnostics));
  return result.value;
}

function podSpec(name: string, cpu: number, memory: number, duration: string): Record<string, unknown> {
  return {
    metadata: { labels: { app: name }, annotations: { "sim.timoneiro.dev/duration": duration } },
    spec: { restartPolicy: "Never", containers: [{ name: "work", image: `batch/${name}:1`, resources: { requests: { cpu: `${cpu}m`, memory: String(memory) } } }] },
  };
}

export function jobsScenario(nodes: number, hours = 24): Scenario {
  const shapes = makePods(94, 11);
  let next = 0;
  const shape = () => {
    const { cpu = 100, memory = 2 ** 27 } = shapes[next++]?.containers[0]?.requests ?? {};
    return { cpu: Math.min(cpu, 1000), memory: Math.min(memory, 2 * 2 ** 30) };
  };
  const objects: Workload[] = [
    converted({
      apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent", namespace: "default" },
      spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "agent", image: "agent:1", resources: { requests: { cpu: "100m", memory: "64Mi" } } }] } } },
    }),
  ];
  const cronJob = (name: string, schedule: string, pods: number, duration: string) => {
    const { cpu, memory } = shape();
    objects.push(converted({
      apiVersion: "batch/v1", kind: "CronJob", metadata: { name, namespace: "default" },
      spec: { schedule, jobTemplate: { spec: { parallelism: pods, completions: pods, template: podSpec(name, cpu, memory, duration) } } },
    }));
  };
  for (let index = 0; index < 60; index++) cronJob(`minutely-${index}`, "* * * * *", 10, "40s");
  for (let index = 0; index < 20; index++) cronJob(`five-${index}`, "*/5 * * * *", 20, "3m");
  for (let index = 0; index < 4; index++) cronJob(`hourly-${index}`, "0 * * * *", 250, "5m");
  for (let index = 0; index < 10; index++) {
    const { cpu, memory } = shape();
    const name = `batch-${index}`;
    objects.push(converted({ apiVersion: "batch/v1", kind: "Job", metadata: { name, namespace: "default" }, spec: { completions: 1000, parallelism: 100, template: podSpec(name, cpu, memory, "60s") } }));
  }
  return { name: `jobs-${nodes}n`, seed: 1, untilSeconds: Math.round(hours * 3600), options: { fitBy: "requests" }, nodes: makeNodes(nodes, 1), pods: [], objects, timeline: [] };
}

/** Events/s and wall time of one run under `policy`, and the pods it created. */
export function jobsRun(nodes: number, hours: number, policy: "kube-default" | "first-fit"): BenchResult[] {
  const scenario = jobsScenario(nodes, hours);
  const choice = policy === "kube-default" ? defaultSchedulerChoice() : { policy };
  let events = 0;
  let pods = 0;
  const ms = timeMs(() => {
    const result = runScenario(scenario, { onEvent: (event) => {
      if (event.type === "PodCreated") pods++;
    } }, choice);
    events = result.log.size;
  });
  const name = `run/jobs/${nodes}n${policy === "first-fit" ? "/first-fit" : ""}`;
  return [
    { name, value: Math.round(events / (ms / 1000)), unit: "events/s", median_of: 1 },
    { name: `${name}/wall`, value: Math.round(ms / 10) / 100, unit: "s", median_of: 1 },
    { name: `${name}/pods`, value: pods, unit: "pods", median_of: 1 },
  ];
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const nodes = Number(process.argv[2] ?? 1000);
  const hours = Number(process.argv[3] ?? 24);
  const policy = process.argv[4] === "first-fit" ? "first-fit" : "kube-default";
  for (const result of jobsRun(nodes, hours, policy)) process.stdout.write(JSON.stringify(result) + "\n");
  process.stdout.write(JSON.stringify({ name: `run/jobs/${nodes}n${policy === "first-fit" ? "/first-fit" : ""}-rss`, value: Math.round(process.resourceUsage().maxRSS / 1024), unit: "MiB", median_of: 1 }) + "\n");
}
