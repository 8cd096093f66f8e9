/**
 * Metrics from the event stream, on the seed's story: one node of 1 cpu
 * and 512M; a (250m/256M, done after 60 s), b (250m/128M), c (500m/256M: waits for memory),
 * d (750m/64M: waits for cpu). Every figure is worked out by hand beside its row.
 */
import { describe, expect, it } from "vitest";
import { History, materialize, nodeFromManifest, podFromManifest, runScenario, workloadFromManifest, type Node, type Pod, type Scenario, type Workload } from "../../core/index.js";
import { MetricsCollector, failedSchedulingReasons, lowerBound, medianRequest, metricsCsv, percentile, type MetricsRow } from "./metrics.js";
import { lowerBoundLine, summaryAmount } from "./summary.js";

function pod(name: string, cpu: string, memory: string, extra: Record<string, unknown> = {}, annotations: Record<string, string> = {}): Pod {
  const converted = podFromManifest({ apiVersion: "v1", kind: "Pod", metadata: { name, annotations }, spec: { ...extra, containers: [{ name: "app", image: "app:1", resources: { requests: { cpu, memory } } }] } });
  if (converted.value === undefined) throw new Error(JSON.stringify(converted.diagnostics));
  return converted.value;
}

/** The seed's story, as the built-in example's tests build it. */
function seed(until: number): Scenario {
  const node = nodeFromManifest({ apiVersion: "v1", kind: "Node", metadata: { name: "node-1" }, status: { allocatable: { cpu: "1", memory: "512M", pods: "110" } } }).value as Node;
  const pods = [pod("a", "250m", "256M", { restartPolicy: "Never" }, { "sim.timoneiro.dev/duration": "60s" }), pod("b", "250m", "128M"), pod("c", "500m", "256M"), pod("d", "750m", "64M")];
  return { name: "seed", seed: 1, untilSeconds: until, options: { fitBy: "requests" }, nodes: [node], pods, timeline: [] };
}

function rowsOf(interval: number, until = 400, medianPod?: { cpu: number; memory: number }): MetricsRow[] {
  const collector = new MetricsCollector(interval, "requests", medianPod);
  runScenario(seed(until), { onEvent: (event) => collector.onEvent(event) });
  return collector.finish(until);
}

describe("metrics from the event stream", () => {
  const rows = rowsOf(60);

  it("[0, 60): a and b bound at 0 (500m, 256M + 128M, 2 slots); c and d refused at 0 (2 attempts failed); 2 Running, 2 Pending", () => {
    expect(rows[0]).toEqual({
      from: 0, to: 60,
      allocatable: { cpu: 1000, memory: 512_000_000, pods: 110 },
      requested: { cpu: 500, memory: 384_000_000, pods: 2 },
      nodes: 1, nodesInUse: 1,
      pending: 2, running: 2, terminating: 0, succeeded: 0, failed: 0,
      bound: 2, unschedulable: 2,
      // c: "0/1 nodes are available: 1 Insufficient memory.", d: "… 1 Insufficient cpu."
      unschedulableBy: { "Insufficient cpu": 1, "Insufficient memory": 1 },
      // The median pod of tick 0 (250m/128M, below): the node has 500m/128M free, it can hold one.
      fragmentation: { cpu: 0, memory: 0 },
      latencyP50: 0, latencyP90: 0, latencyP99: 0, latencyMax: 0,
      restarts: 0, oomKills: 0, evictions: {}, services: {},
      // max(⌈500m/1⌉, ⌈384M/512M⌉, ⌈2/110⌉) = 1 node of the seed's shape.
      lowerBound: { "cpu=1/memory=512M/pods=110": 1 },
    });
  });

  it("[60, 120): a succeeds at 60 and frees 250m/256M; c (created at 0) is bound then, 60 s after its creation; d tried again and refused", () => {
    expect(rows[1]).toMatchObject({
      from: 60, to: 120,
      requested: { cpu: 750, memory: 384_000_000, pods: 2 }, // b 250m/128M + c 500m/256M
      pending: 1, running: 2, succeeded: 1,
      bound: 1, unschedulable: 1,
      unschedulableBy: { "Insufficient cpu": 1 },
      latencyP50: 60, latencyMax: 60,
    });
  });

  it("fragmentation against a median pod of 300m/100M: none while the node has 500m/128M free; 250m/128M stranded once it has 250m free", () => {
    const measured = rowsOf(60, 400, { cpu: 300, memory: 100_000_000 });
    expect(measured[0]?.fragmentation).toEqual({ cpu: 0, memory: 0 });
    expect(measured[1]?.fragmentation).toEqual({ cpu: 250, memory: 128_000_000 });
  });

  it("the median pod: the lower middle of each request, a template once per replica", () => {
    // cpu 250, 250, 500, 750 → 250; memory 64M, 128M, 256M, 256M → 128M (the seed's four pods).
    const seedPods = [[250, 256], [250, 128], [500, 256], [750, 64]].map(([cpu, mega]) => ({ request: { cpu: cpu as number, memory: (mega as number) * 1_000_000 }, count: 1 }));
    expect(medianRequest(seedPods)).toEqual({ cpu: 250, memory: 128_000_000 });
    // A template of 100m × 5 replicas outweighs two pods of 2 cpu.
    expect(medianRequest([{ request: { cpu: 2000 }, count: 2 }, { request: { cpu: 100 }, count: 5 }])?.cpu).toBe(100);
    expect(medianRequest([])).toBeUndefined();
  });

  it("FailedScheduling reasons, without their node counts and kube's preemption part", () => {
    expect(failedSchedulingReasons("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint(s).")).toEqual(["Insufficient cpu", "node(s) had untolerated taint(s)"]);
    expect(failedSchedulingReasons("0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.")).toEqual(["Insufficient memory"]);
    expect(failedSchedulingReasons("no nodes available to schedule pods")).toEqual([]);
  });

  it("[120, 180): nothing happens; the gauges stay, the counters are 0", () => {
    expect(rows[2]).toMatchObject({ from: 120, to: 180, requested: { cpu: 750, memory: 384_000_000, pods: 2 }, pending: 1, running: 2, succeeded: 1, bound: 0, latencyP50: null });
  });

  it("intervals cover the run: 0–60 … 360–401 (the last one ends after tick 400)", () => {
    expect(rows.map((row) => `${row.from}-${row.to}`)).toEqual(["0-60", "60-120", "120-180", "180-240", "240-300", "300-360", "360-401"]);
  });

  it("the CSV: a header naming each column, one line per interval, an empty field for no latency", () => {
    const lines = metricsCsv(rows).trimEnd().split("\n");
    expect(lines[0]).toBe("from,to,allocatable.cpu,requested.cpu,allocatable.memory,requested.memory,allocatable.pods,requested.pods,nodes,nodesInUse,pending,running,terminating,succeeded,failed,bound,unschedulable,unschedulableBy.Insufficient cpu,unschedulableBy.Insufficient memory,latencyP50,latencyP90,latencyP99,latencyMax,restarts,oomKills,fragmentation.cpu,fragmentation.memory,lowerBound.cpu=1/memory=512M/pods=110");
    // 250m/128M free against the median 250m/128M: it still holds one, nothing stranded.
    expect(lines[3]).toBe("120,180,1000,750,512000000,384000000,110,2,1,1,1,2,0,1,0,0,0,0,0,,,,,0,0,0,0,1");
    expect(lines).toHaveLength(8);
  });

  it("the lower bound: the fewest nodes of a shape for what is requested, by the tightest resource", () => {
    expect(lowerBound({ cpu: 5000, memory: 3 * 2 ** 30, pods: 7 }, { cpu: 4000, memory: 8 * 2 ** 30, pods: 110 })).toBe(2); // ⌈5/4⌉ = 2 beats ⌈3/8⌉ = 1
    expect(lowerBound({ "nvidia.com/gpu": 3 }, { cpu: 4000 })).toBe(Number.POSITIVE_INFINITY); // the shape has no GPU
    expect(lowerBound({}, { cpu: 4000 })).toBe(0);
  });

  it("the lower bound in words: the fewest nodes first, memory readable, at most three shapes", () => {
    const at = (peak: number) => ({ peak, peakAt: 0 });
    // One shape: the pods need at least that many.
    expect(lowerBoundLine({ "cpu=8/memory=32Gi/pods=110": at(3) })).toBe("at the peak of requests, the pods need at least 3 × cpu=8/memory=32Gi/pods=110");
    // 102941776151 bytes = 95.87…Gi → 95.9Gi; 34263531101 = 31.91…Gi → 31.9Gi. Sorted by count:
    // 1,565 then 3,129 then 4,795; the fourth is left to summary.json; the GPU shape cannot hold a GPU pod.
    expect(lowerBoundLine({
      "cpu=16/memory=102941776151/pods=110": at(3129),
      "cpu=16/memory=34263531101/pods=110": at(4795),
      "cpu=32/memory=128Gi/pods=110": at(1565),
      "cpu=8/memory=34332250577/pods=110": at(6258),
      "cpu=4/pods=110": at(Number.POSITIVE_INFINITY),
    })).toBe("at the peak of requests, a cluster of one shape needs at least 1,565 × cpu=32/memory=128Gi/pods=110, or 3,129 × cpu=16/memory=95.9Gi/pods=110, or 4,795 × cpu=16/memory=31.9Gi/pods=110 (1 more shape(s) in summary.json; 1 shape(s) lack a resource the pods ask for)");
    expect(lowerBoundLine({ "cpu=4/pods=110": at(Number.POSITIVE_INFINITY) })).toBe("no shape seen can hold the pods' requests (1 shape(s) lack a resource the pods ask for)");
    // Resource names with a slash (extended resources) stay whole, their counts as they are; the
    // memory of 17056174126 bytes (15.88…Gi) reads 15.9Gi.
    expect(lowerBoundLine({ "alibabacloud.com/gpu-milli=4000/cpu=32/memory=17056174126/nvidia.com/gpu=4/pods=110": at(2) }))
      .toBe("at the peak of requests, the pods need at least 2 × alibabacloud.com/gpu-milli=4000/cpu=32/memory=15.9Gi/nvidia.com/gpu=4/pods=110");
    expect(lowerBoundLine({})).toBeUndefined();
  });

  it("the summary's amounts: thousands separated in whole numbers, pods whole from a thousand on", () => {
    const TI = 2 ** 40;
    expect(summaryAmount("pods", 1_372_225.1)).toBe("1,372,225"); // a mean over a changing node count, rounded
    expect(summaryAmount("pods", 16.3)).toBe("16.3");
    expect(summaryAmount("pods", 110)).toBe("110");
    expect(summaryAmount("cpu", 48_600_000)).toBe("48,600"); // 48,600 cores
    expect(summaryAmount("cpu", 700)).toBe("700m");
    expect(summaryAmount("alibabacloud.com/gpu-milli", 14_397)).toBe("14,397");
    expect(summaryAmount("memory", 144 * TI)).toBe("144Ti");
  });

  it("nearest-rank percentiles", () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect([percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), percentile([], 50)]).toEqual([5, 9, 10, null]);
  });

  it("refuses an interval that is not whole seconds", () => {
    expect(() => new MetricsCollector(0.5)).toThrow(/whole seconds/);
  });
});

describe("metrics agree with the engine's state at the end of every interval", () => {
  it("through a node failure with evictions, a recovery and a node removal (Terminating pods, orphans, replacements)", () => {
    const node = (name: string): Node => nodeFromManifest({ apiVersion: "v1", kind: "Node", metadata: { name }, status: { allocatable: { cpu: "4", memory: "8Gi", pods: "110" } } }).value as Node;
    const web = workloadFromManifest({
      apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default" },
      spec: { replicas: 6, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "app:1", resources: { requests: { cpu: "500m", memory: "1Gi" } } }] } } },
    }).value as Workload;
    const scenario: Scenario = {
      name: "m", seed: 1, untilSeconds: 900, options: { fitBy: "requests" }, nodes: [node("n1"), node("n2"), node("n3")], pods: [], objects: [web],
      timeline: [{ at: 60, action: "failNode", node: "n2" }, { at: 600, action: "recoverNode", node: "n2" }, { at: 700, action: "removeNode", node: "n3" }],
    };
    const result = runScenario(scenario);
    const collector = new MetricsCollector(30);
    for (const event of result.events) collector.onEvent(event);
    const rows = collector.finish(900);
    const built = History.build(scenario.options, result.events);
    if (!built.ok) throw new Error(built.rejection.message);
    const nonZero = (sums: Readonly<Record<string, number>>) => Object.fromEntries(Object.entries(sums).filter(([, amount]) => amount !== 0));
    for (const row of rows) {
      const state = materialize(built.history.at(row.to - 1));
      const requested: Record<string, number> = {};
      for (const held of Object.values(state.nodes)) {
        for (const [name, amount] of Object.entries(held.requested)) requested[name] = (requested[name] ?? 0) + amount;
        requested["pods"] = (requested["pods"] ?? 0) + held.pods.length;
      }
      const at = `[${row.from}, ${row.to})`;
      expect(nonZero(row.requested), at).toEqual(nonZero(requested));
      expect(row.nodesInUse, at).toBe(Object.values(state.nodes).filter((held) => held.pods.length > 0).length);
      const pods = Object.values(state.pods);
      const terminal = (phase: string) => phase === "Succeeded" || phase === "Failed";
      expect(row.terminating, at).toBe(pods.filter((item) => item.deletionDeadline !== undefined && !terminal(item.phase)).length);
      expect(row.running, at).toBe(pods.filter((item) => item.phase === "Running" && item.deletionDeadline === undefined).length);
      expect(row.pending, at).toBe(pods.filter((item) => item.phase === "Pending" && item.deletionDeadline === undefined).length);
    }
    // The failure shows: n2's two pods Terminating from the eviction at 410 until recovery at 600.
    expect(rows.find((row) => row.from === 420)?.terminating).toBe(2);
  });
});

describe("the whole run's totals (run's summary)", () => {
  const collector = new MetricsCollector(60);
  runScenario(seed(400), { onEvent: (event) => collector.onEvent(event) });
  collector.finish(400);
  const totals = collector.totals();

  it("the seed's story until 400 s, every figure worked out by hand", () => {
    expect(totals).toEqual({
      until: 400,
      // a, b, c bound (a and b at 0, c at 60 when a's resources are freed); d never; a succeeds at 60.
      pods: { created: 4, bound: 3, succeeded: 1, failed: 0, deleted: 0, atEnd: { pending: 1, running: 2, terminating: 0, succeeded: 1, failed: 0 } },
      waitingAtEnd: { pods: 1, untried: 0, byReason: { "Insufficient cpu": 1 } },
      // c and d pending over [0, 60), d alone over [60, 400): (2·60 + 1·340)/400 = 1.15.
      pending: { peak: 2, peakAt: 0, mean: 1.15 },
      // d waits after a failed attempt from tick 0 to the end.
      unschedulable: [[0, 400]],
      // c at 0 (memory); d at 0, at 60 (a's resources freed wake it) and at 390 (the leftover flush: 300 s after 60 is not "more than", so the flush after, 390).
      attempts: { bound: 3, unschedulable: 4, byReason: { "Insufficient cpu": 3, "Insufficient memory": 1 } },
      // latencies 0, 0, 60: nearest rank p50 = 2nd of 3 = 0, p90 = p99 = 3rd = 60; mean 20; two in the 0 s bucket, one in ≤60 s (index 5).
      latency: { pods: 3, p50: 0, p90: 60, p99: 60, max: 60, mean: 20, histogram: [2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0] },
      allocation: {
        // 500m over [0, 60), 750m over [60, 400): (500·60 + 750·340)/400 = 712.5m; peak 750/1000 from 60.
        cpu: { meanRequested: 712.5, meanAllocatable: 1000, peakShare: 0.75, peakAt: 60, peakRequested: 750 },
        // 256M + 128M, then 128M + 256M: 384M all along.
        memory: { meanRequested: 384_000_000, meanAllocatable: 512_000_000, peakShare: 0.75, peakAt: 0, peakRequested: 384_000_000 },
        pods: { meanRequested: 2, meanAllocatable: 110, peakShare: 2 / 110, peakAt: 0, peakRequested: 2 },
      },
      // The median pod (250m/128M) always fits what is free (500m/128M, then 250m/128M): nothing stranded.
      fragmentation: { cpu: 0, memory: 0 },
      nodes: { atEnd: 1, peak: 1, peakInUse: 1, peakInUseAt: 0, meanInUse: 1 },
      lowerBound: { "cpu=1/memory=512M/pods=110": { peak: 1, peakAt: 0 } },
      restarts: 0,
      oomKills: 0,
      evictions: {},
      services: {},
      // d waited the whole run (400 s, unbound); c 60 s; a and b none.
      slowest: [
        { pod: "default/d", createdAt: 0, waited: 400, bound: false },
        { pod: "default/c", createdAt: 0, waited: 60, bound: true },
        { pod: "default/a", createdAt: 0, waited: 0, bound: true },
        { pod: "default/b", createdAt: 0, waited: 0, bound: true },
      ],
    });
  });

  it("finish twice gives the same rows; totals before finish is a bug", () => {
    expect(collector.finish(400)).toBe(collector.finish(400));
    expect(() => new MetricsCollector(60).totals()).toThrow(/before finish/);
  });

  it("each node's heat-map trace: its dominant share at each change (a 75% cpu share from 60 s; memory 75% from 0)", () => {
    // [0, 60): cpu 500/1000 = 0.5, memory 384/512 = 0.75 → 0.75; from 60: cpu 0.75, memory 0.75 → 0.75: no change recorded.
    expect(collector.nodeTraces()).toEqual([{ name: "node-1", ticks: [0], shares: [0.75] }]);
  });
});
