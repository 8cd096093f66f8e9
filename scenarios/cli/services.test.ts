/**
 * A Service's availability over a run, read from the events (services.ts), against an independent
 * source: the engine's own state at each tick (time travel), through `serviceEndpoints`.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_OPTIONS, History, materialize, runScenario, serviceEndpoints, serviceFromManifest, workloadFromManifest, type Service, type TimelineAction } from "../../core/index.js";
import { serviceAvailability } from "./services.js";

function node(name: string) {
  const allocatable = { cpu: 4000, memory: 8 * 2 ** 30, pods: 110 };
  return { name, labels: {}, annotations: {}, taints: [], unschedulable: false, capacity: allocatable, allocatable, ready: "True" as const };
}

const web = workloadFromManifest({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default" },
  spec: { replicas: 6, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "app:1", resources: { requests: { cpu: "500m" } } }] } } },
}).value;
const service = serviceFromManifest({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] } }).value as Service;

describe("a Service's availability through a node failure", () => {
  const timeline: TimelineAction[] = [{ at: 60, action: "failNode", node: "n2" }];
  const result = runScenario({ name: "svc", seed: 1, untilSeconds: 600, options: DEFAULT_OPTIONS, nodes: [node("n1"), node("n2"), node("n3")], pods: [], objects: [web!, service], timeline });

  it("6 desired; fewer than 6 ready from 105 s (n2's 2 pods not Ready) to 410 s (their replacements start); never none", () => {
    // failNode at 60: last lease renewal 50, Ready=Unknown at the first pass after 100 (105),
    // NoExecute taint at 110, eviction at 110 + 300 = 410, replacements Ready as they start.
    expect(serviceAvailability(result.events, service, 600)).toEqual({ desired: 6, noEndpoint: [], belowDesired: [[105, 410]] });
  });

  it("agrees with the engine's state at every tick with events", () => {
    const built = History.build(DEFAULT_OPTIONS, result.events);
    if (!built.ok) throw new Error(built.rejection.message);
    const ticks = [...new Set(result.events.map((event) => event.t))];
    const { belowDesired } = serviceAvailability(result.events, service, 600);
    for (const t of ticks) {
      const state = materialize(built.history.at(t));
      const ready = new Set(serviceEndpoints(service, Object.values(state.pods)).filter((endpoint) => endpoint.ready).map((endpoint) => endpoint.pod)).size;
      const below = belowDesired.some(([from, to]) => t >= from && t < to);
      expect(ready < 6, `tick ${t}: ${ready} ready`).toBe(below);
    }
  });
});

describe("the metrics' service columns against the availability read from the events", () => {
  it("ready endpoints and desired replicas in every 5 s row agree with serviceAvailability's intervals; 4 of 6 from 105 s to 410 s", async () => {
    const { MetricsCollector } = await import("../metrics/metrics.js");
    const timeline: TimelineAction[] = [{ at: 60, action: "failNode", node: "n2" }];
    const result = runScenario({ name: "svc", seed: 1, untilSeconds: 600, options: DEFAULT_OPTIONS, nodes: [node("n1"), node("n2"), node("n3")], pods: [], objects: [web!, service], timeline });
    const collector = new MetricsCollector(5);
    for (const event of result.events) collector.onEvent(event);
    const rows = collector.finish(600);
    const { belowDesired } = serviceAvailability(result.events, service, 600);
    for (const row of rows) {
      const counts = row.services["default/web"];
      const below = belowDesired.some(([from, to]) => row.to - 1 >= from && row.to - 1 < to);
      expect(counts !== undefined && counts.ready < counts.desired, `[${row.from}, ${row.to})`).toBe(below);
    }
    expect(rows.find((row) => row.from === 105)?.services["default/web"]).toEqual({ ready: 4, desired: 6 });
    expect(rows.find((row) => row.from === 410)?.services["default/web"]).toEqual({ ready: 6, desired: 6 });
  });
});
