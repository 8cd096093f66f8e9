/**
 * `run/churn/{n}n`: pods arriving evenly over a simulated day, each running 10 minutes to 12
 * hours, on `nodes` nodes, through the whole engine (agenda, kubelet, scheduler, compact log):
 * events/s, and the peak resident memory of the process that ran it. Run as its own process
 * (`node dist/bench/churn.js NODES PODS POLICY`) so the peak is this run's alone; prints JSON lines.
 */
import { runScenario, type Scenario, type TimelineAction } from "../core/index.js";
import { timeMs, type BenchPolicy } from "./engine.js";
import { defaultSchedulerChoice } from "../core/index.js";
import { draw, makeNodes, makePods } from "./workload.js";

const DAY = 86_400;

export function churnScenario(nodes: number, pods: number): Scenario {
  const timeline: TimelineAction[] = makePods(pods, 3).map((pod, index) => ({
    at: Math.floor((index * DAY) / pods),
    action: "createPod",
    pod: { ...pod, terminationGracePeriodSeconds: 0, sim: { durationSeconds: draw(3, "duration", index, 600, 12 * 3600) } },
  }));
  return { name: `churn-${nodes}n`, seed: 1, untilSeconds: DAY, options: { fitBy: "requests" }, nodes: makeNodes(nodes, 1), pods: [], timeline };
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const nodes = Number(process.argv[2] ?? 10_000);
  const pods = Number(process.argv[3] ?? 1_000_000);
  const policy = (process.argv[4] ?? "first-fit") as BenchPolicy;
  const scenario = churnScenario(nodes, pods);
  let events = 0;
  const ms = timeMs(() => {
    events = runScenario(scenario, {}, policy === "kube-default" ? defaultSchedulerChoice() : { policy }).log.size;
  });
  const name = `run/churn/${nodes}n`;
  process.stdout.write(JSON.stringify({ name, value: Math.round(events / (ms / 1000)), unit: "events/s", median_of: 1, events, pods, policy }) + "\n");
  process.stdout.write(JSON.stringify({ name: `${name}-rss`, value: Math.round(process.resourceUsage().maxRSS / 1024), unit: "MiB", median_of: 1 }) + "\n");
}
