import { describe, expect, it } from "vitest";
import { openbTrace, runBenchmarks } from "./run.js";
import { draw, makeNodes, makePods } from "./workload.js";

describe("benchmarks run (the quick form), so they cannot rot", () => {
  it("print one well-formed result per figure", () => {
    const results = runBenchmarks(true);
    expect(results.map((result) => result.name)).toEqual([
      "reduce/event/100n", "reduce/vs-naive/100n", "reduce/vs-mutable/100n",
      "schedule/kube-default/100n", "schedule/first-fit/100n", "schedule/visits/first-fit/100n", "schedule/best-fit/100n", "schedule/visits/best-fit/100n",
      "schedule/topology-spread/100n", "schedule/preferred-topology-spread/100n", "schedule/pod-anti-affinity/100n", "schedule/preemption/100n", "schedule/preemption/100n/victims",
      "run/churn/100n", "run/churn/100n-rss",
      "run/deployments/100n", "run/deployments/100n/wall", "run/deployments/100n/first-fit", "run/deployments/100n/first-fit/wall",
      "run/jobs/100n", "run/jobs/100n/wall", "run/jobs/100n/pods", "run/jobs/100n-rss",
      "run/jobs/100n/first-fit", "run/jobs/100n/first-fit/wall", "run/jobs/100n/first-fit/pods", "run/jobs/100n/first-fit-rss",
      "run/zone-failure/300n", "run/zone-failure/300n/wall", "run/zone-failure/300n/events", "run/zone-failure/300n/evicted", "run/zone-failure/300n-rss",
      "run/zone-failure/300n/first-fit", "run/zone-failure/300n/first-fit/wall", "run/zone-failure/300n/first-fit/events", "run/zone-failure/300n/first-fit/evicted", "run/zone-failure/300n/first-fit-rss",
      "metrics/overhead/churn",
      "report/size/100n-day",
      "compare/4-policies/100n", "compare/4-policies/100n/1-thread", "compare/4-policies/100n/2-threads",
      "run/grow/300n-3z",
      "log/write-jsonl",
      "reference/schedule/first-fit/20n", "reference/reduce/event/20n", "reference/schedule/kube-default/20n",
      "index/visits/first-fit/1000n", "index/decision/first-fit/1000n", "index/vs-scan/first-fit/1000n",
      "log/append/compact", "log/append/compact-ids", "log/memory/compact", "log/memory/objects",
      "layout/pod-update/records/random", "layout/pod-update/leaves/random", "layout/pod-update/leaves-vs-records/random",
      "layout/pod-update/records/sequential", "layout/pod-update/leaves/sequential", "layout/pod-update/leaves-vs-records/sequential",
      "load/manifests/2k-pods", "load/manifests/2k-pods-rss", "load/manifests/2k-pods/load-only", "load/manifests/2k-pods/yaml", "load/manifests/2k-pods/yaml-rss", "load/manifests/2k-pods/scenario-load-only",
      // with the openb trace (../shared/traces): the FGD experiment per policy, and against its naive twin on every 20th node (61 of 1,213)
      ...(openbTrace() === undefined ? [] : ["Random", "DotProduct", "GpuClustering", "GpuPacking", "BestFit", "FGD"].flatMap((policy) => [`fgd/${policy}`, `fgd/vs-naive/${policy}/61n`])),
      // and the whole openb trace replayed (kube's default profile, against the mutable scheduler, then card by card), against the reference on every 20th node (77 of 1,523)
      ...(openbTrace() === undefined ? [] : ["trace/openb/replay", "trace/openb/replay/vs-mutable", "trace/openb/replay/gpu-sharing", "trace/openb/replay/vs-reference/77n"]),
    ]);
    for (const result of results) {
      if (!result.name.startsWith("log/memory")) expect(result.value).toBeGreaterThan(0);
      expect(["pods/s", "ns", "nodes", "x", "B/event", "events/s", "MiB", "s", "pods", "events", "B", "ms"]).toContain(result.unit);
      expect(Number.isFinite(result.value)).toBe(true);
    }
  }, 120_000); // the whole quick list: about 25 s alone, more on a loaded CI machine
});

describe("the seeded workload generator", () => {
  it("draws the same values for the same seed, and others for another seed", () => {
    expect(makePods(50, 7)).toEqual(makePods(50, 7));
    expect(makePods(50, 7)).not.toEqual(makePods(50, 8));
  });

  it("keeps each pod's draw when the count changes (common random numbers)", () => {
    expect(makePods(10, 3)).toEqual(makePods(20, 3).slice(0, 10));
  });

  it("stays within DESIGN.md's ranges", () => {
    for (const pod of makePods(2000, 1)) {
      const { cpu = 0, memory = 0 } = pod.containers[0]?.requests ?? {};
      expect(cpu).toBeGreaterThanOrEqual(50);
      expect(cpu).toBeLessThanOrEqual(1500);
      expect(memory).toBeGreaterThanOrEqual(128 * 2 ** 20);
      expect(memory).toBeLessThanOrEqual(6 * 2 ** 30);
    }
    expect(makeNodes(3, 1)[0]?.allocatable).toEqual({ cpu: 64_000, memory: 256 * 2 ** 30, pods: 110 });
    expect(new Set(makeNodes(200, 1, "mixed").map((node) => node.allocatable["cpu"])).size).toBe(4);
    expect(draw(1, "x", 1, 5, 5)).toBe(5);
  });
});
