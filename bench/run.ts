/**
 * `npm run bench [-- --quick]`: every benchmark, one JSON line per result on stdout
 * (DESIGN.md "Benchmarks"). Timings are medians of several runs; nothing here asserts time.
 *
 * The fast engine's figures carry DESIGN.md's names (engine.ts, churn.ts); `reference/…` lines
 * are the naive oracle's baseline, `index/…` the free-capacity index alone, `log/…` the log.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CapacityIndex, CompactLog, ENGINE_VERSION, LOG_FORMAT, NaiveCapacityIndex, type ClusterEvent, defaultSchedulerChoice, runScenario, type Scenario, type SchedulerChoice, type SlotCapacity } from "../core/index.js";
import { EventLogWriter } from "../scenarios/log/files.js";
import { churnScenario } from "./churn.js";
import { deploymentsRun } from "./deployments.js";
import { growRun, median, reduceEvents, scheduleBurst, timeMs, type BenchResult } from "./engine.js";
import { layoutUpdates } from "./layout.js";
import { spreadBurst } from "./spread.js";
import { antiAffinityBurst } from "./affinity.js";
import { preemptionBurst } from "./preemption.js";
import { metricsOverhead } from "./metrics.js";
import { loadManifests } from "./load.js";
import { draw, makeNodes, makePods } from "./workload.js";

export type { BenchResult } from "./engine.js";

/** The reference engine: all pods arrive at tick 0 and are placed by `policy`: pods/s and ns per event. */
function referenceBurst(nodes: number, pods: number, repeats: number, policy: "first-fit" | "kube-default"): BenchResult[] {
  const scheduler: SchedulerChoice = policy === "first-fit" ? { policy: "first-fit" } : defaultSchedulerChoice();
  const scenario: Scenario = {
    name: `burst-${nodes}n`, seed: 1, untilSeconds: 0, options: { fitBy: "requests" },
    nodes: makeNodes(nodes, 1), pods: makePods(pods, 1), timeline: [],
  };
  let events = 0;
  const times = Array.from({ length: repeats }, () => timeMs(() => {
    events = runScenario(scenario, { engine: "reference" }, scheduler).log.size;
  }));
  const ms = median(times);
  return [
    { name: `reference/schedule/${policy}/${nodes}n`, value: Math.round(pods / (ms / 1000)), unit: "pods/s", median_of: repeats },
    ...(policy === "first-fit" ? [{ name: `reference/reduce/event/${nodes}n`, value: Math.round((ms * 1e6) / events), unit: "ns", median_of: repeats }] : []),
  ];
}

/**
 * The free-capacity index alone on a cluster pre-filled to about 75% cpu (each node's used cpu
 * drawn from 50–100%, memory from 30–100%): nodes visited and time per decision, placing
 * `decisions` pods one after another, against the plain scan in the same process.
 */
export function indexDecisions(nodes: number, decisions: number, repeats: number, policy: "first-fit" | "best-fit"): BenchResult[] {
  const GIB = 2 ** 30;
  const capacities: SlotCapacity[] = Array.from({ length: nodes }, (_, slot) => ({
    cpuAllocatable: 64_000,
    memoryAllocatable: 256 * GIB,
    cpuFree: 64_000 - Math.round((64_000 * draw(1, "fill-cpu", slot, 50, 100)) / 100),
    memoryFree: 256 * GIB - Math.round((256 * GIB * draw(1, "fill-memory", slot, 30, 100)) / 100),
    podsFree: 40,
    schedulable: true,
  }));
  const pods = makePods(decisions, 7).map((pod) => pod.containers[0]?.requests ?? {});
  const prepared = <T extends CapacityIndex | NaiveCapacityIndex>(index: T): T => {
    capacities.forEach((capacity, slot) => index.set(slot, capacity));
    return index;
  };
  const run = (index: CapacityIndex | NaiveCapacityIndex) => {
    const current = [...capacities];
    for (const request of pods) {
      const cpu = request["cpu"] ?? 0;
      const memory = request["memory"] ?? 0;
      const slot = policy === "first-fit" ? index.firstFit(cpu, memory) : index.bestFit(cpu, memory);
      if (slot < 0) continue;
      const before = current[slot] as SlotCapacity;
      const after = { ...before, cpuFree: before.cpuFree - cpu, memoryFree: before.memoryFree - memory, podsFree: before.podsFree - 1 };
      current[slot] = after;
      index.set(slot, after);
    }
  };
  // First fit needs no best-fit bounds (the fast engine's index keeps them only once best fit is asked for).
  const make = () => new CapacityIndex({ bounds: policy === "best-fit" });
  run(prepared(make())); // warm-up
  const counted = prepared(make());
  counted.visits = 0;
  run(counted);
  const visits = counted.visits / decisions;
  // Only the decisions are timed: each repeat gets a freshly filled index, built outside the clock.
  const timed = (make: () => CapacityIndex | NaiveCapacityIndex) => median(Array.from({ length: repeats }, () => {
    const index = make();
    return timeMs(() => run(index));
  }));
  const indexMs = timed(() => prepared(make()));
  const naiveMs = timed(() => prepared(new NaiveCapacityIndex()));
  return [
    { name: `index/visits/${policy}/${nodes}n`, value: Math.round(visits * 10) / 10, unit: "nodes", median_of: 1 },
    { name: `index/decision/${policy}/${nodes}n`, value: Math.round((indexMs * 1e6) / decisions), unit: "ns", median_of: repeats },
    { name: `index/vs-scan/${policy}/${nodes}n`, value: Math.round((naiveMs / indexMs) * 10) / 10, unit: "x", median_of: repeats },
  ];
}

/**
 * The compact in-memory log: time to append one event, and bytes of heap per event, for
 * `count` PodBound/ResourcesFreed events over 10,000 pods and 1,000 nodes, against keeping the
 * event objects in an array (measured in the same process).
 */
export function logAppend(count: number, repeats: number): BenchResult[] {
  const events: ClusterEvent[] = Array.from({ length: count }, (_, index) => index % 2 === 0
    ? { type: "PodBound", pod: `default/pod-${index % 10_000}`, node: `node-${index % 1000}`, t: index >> 4, seq: index + 1 }
    : { type: "ResourcesFreed", pod: `default/pod-${index % 10_000}`, node: `node-${index % 1000}`, t: index >> 4, seq: index + 1 });
  const appendMs = median(Array.from({ length: repeats }, () => {
    const log = new CompactLog();
    return timeMs(() => {
      for (const event of events) log.append(event);
    });
  }));
  // The hot path: ids interned once, as the fast engine will hold them.
  const podIds = new CompactLog();
  const idsOf = events.map((event) => [podIds.podId((event as { pod: string }).pod), podIds.nodeId((event as { node: string }).node)] as const);
  const appendIdsMs = median(Array.from({ length: repeats }, () => {
    const log = new CompactLog();
    return timeMs(() => {
      for (let index = 0; index < count; index++) {
        const event = events[index] as ClusterEvent;
        const [pod, node] = idsOf[index] as readonly [number, number];
        log.appendIds(event.type, event.t, pod, node);
      }
    });
  }));
  const heapPerEvent = (build: () => unknown): number => {
    // Typed arrays live outside the JS heap: count both.
    const used = () => {
      const memory = process.memoryUsage();
      return memory.heapUsed + memory.arrayBuffers;
    };
    globalThis.gc?.();
    const before = used();
    const kept = build();
    globalThis.gc?.();
    const bytes = used() - before;
    if (kept === undefined) throw new Error("unreachable");
    return Math.round(bytes / count);
  };
  const compactBytes = heapPerEvent(() => {
    const log = new CompactLog();
    for (const event of events) log.append({ ...event });
    return log;
  });
  const objectBytes = heapPerEvent(() => events.map((event) => ({ ...event })));
  return [
    { name: "log/append/compact", value: Math.round((appendMs * 1e6) / count), unit: "ns", median_of: repeats },
    { name: "log/append/compact-ids", value: Math.round((appendIdsMs * 1e6) / count), unit: "ns", median_of: repeats },
    { name: "log/memory/compact", value: compactBytes, unit: "B/event", median_of: 1 },
    { name: "log/memory/objects", value: objectBytes, unit: "B/event", median_of: 1 },
  ];
}

/** `log/write-jsonl`: events/s writing a run's logged events to events.jsonl (encode + batched writes). */
export function writeJsonl(nodes: number, pods: number, repeats: number): BenchResult[] {
  const scenario = churnScenario(nodes, pods);
  const log = runScenario(scenario, {}, { policy: "first-fit" }).log;
  const dir = mkdtempSync(join(tmpdir(), "timoneiro-bench-"));
  try {
    const ms = median(Array.from({ length: repeats }, () => timeMs(() => {
      const writer = new EventLogWriter(join(dir, "events.jsonl"), {
        format: LOG_FORMAT, engine: `timoneiro ${ENGINE_VERSION}`, scenario: scenario.name, scenarioHash: "0".repeat(64), seed: 1, tick: "1s", untilSeconds: scenario.untilSeconds, options: scenario.options,
      });
      for (const event of log) writer.write(event);
      writer.close();
    })));
    return [{ name: "log/write-jsonl", value: Math.round(log.size / (ms / 1000)), unit: "events/s", median_of: repeats }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `run/churn/{n}n` and its peak RSS, each in a process of its own: once with V8's old space
 * capped at `CHURN_HEAP_MIB` (the run's live data fits well under it; without a cap V8 lets
 * garbage pile up to about twice the resident memory before collecting), and once uncapped
 * (`…-uncapped` lines) for comparison.
 */
export const CHURN_HEAP_MIB = 1200;

function churn(nodes: number, pods: number, uncappedToo: boolean): BenchResult[] {
  const here = fileURLToPath(import.meta.url);
  const script = here.includes(`${join("dist", "bench")}`) ? join(here, "..", "churn.js") : join(here, "..", "..", "dist", "bench", "churn.js");
  const runOnce = (flags: string[], suffix: string): BenchResult[] => {
    const child = spawnSync(process.execPath, [...flags, script, String(nodes), String(pods), "first-fit"], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`the churn benchmark failed: ${child.stderr}`);
    return child.stdout.trim().split("\n").map((line) => {
      const { name, value, unit, median_of } = JSON.parse(line) as BenchResult;
      return { name: name.endsWith("-rss") ? `${name.slice(0, -4)}${suffix}-rss` : `${name}${suffix}`, value, unit, median_of };
    });
  };
  return [...runOnce([`--max-old-space-size=${CHURN_HEAP_MIB}`], ""), ...(uncappedToo ? runOnce([], "-uncapped") : [])];
}

/**
 * `run/jobs/{n}n` (bench/jobs.ts: a day of CronJobs and Jobs, over a million pods, and a
 * DaemonSet) under kube's default profile and first fit, each in a process of its own with V8's
 * old space capped at `CHURN_HEAP_MIB`, as `run/churn` is measured.
 */
function jobs(nodes: number, hours: number): BenchResult[] {
  const here = fileURLToPath(import.meta.url);
  const script = here.includes(`${join("dist", "bench")}`) ? join(here, "..", "jobs.js") : join(here, "..", "..", "dist", "bench", "jobs.js");
  return (["kube-default", "first-fit"] as const).flatMap((policy) => {
    const child = spawnSync(process.execPath, [`--max-old-space-size=${CHURN_HEAP_MIB}`, script, String(nodes), String(hours), policy], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`the jobs benchmark failed: ${child.stderr}`);
    return child.stdout.trim().split("\n").map((line) => JSON.parse(line) as BenchResult);
  });
}

/**
 * `run/zone-failure/{n}n` (bench/zone-failure.ts: one zone of three fails for an hour under
 * Deployments) under kube's default profile and first fit, each in a process of its own with V8's
 * old space capped at `CHURN_HEAP_MIB`.
 */
function zoneFailure(nodes: number, deployments: number, replicas: number): BenchResult[] {
  const here = fileURLToPath(import.meta.url);
  const script = here.includes(`${join("dist", "bench")}`) ? join(here, "..", "zone-failure.js") : join(here, "..", "..", "dist", "bench", "zone-failure.js");
  return (["kube-default", "first-fit"] as const).flatMap((policy) => {
    const child = spawnSync(process.execPath, [`--max-old-space-size=${CHURN_HEAP_MIB}`, script, String(nodes), String(deployments), String(replicas), policy], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`the zone-failure benchmark failed: ${child.stderr}`);
    return child.stdout.trim().split("\n").map((line) => JSON.parse(line) as BenchResult);
  });
}

/**
 * A benchmark script of bench/ run as a process of its own (the asynchronous ones: compare's
 * worker pool, report.html opened in Chromium), its JSON lines read back.
 */
function script(name: string, args: readonly (string | number)[]): BenchResult[] {
  const here = fileURLToPath(import.meta.url);
  const path = here.includes(`${join("dist", "bench")}`) ? join(here, "..", `${name}.js`) : join(here, "..", "..", "dist", "bench", `${name}.js`);
  const child = spawnSync(process.execPath, [path, ...args.map(String)], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`the ${name} benchmark failed: ${child.stderr}`);
  return child.stdout.trim().split("\n").map((line) => JSON.parse(line) as BenchResult);
}

/** Every benchmark, as steps run in order (each prints its lines when it ends). */
/** The openb trace for `fgd/…` (TIMONEIRO_TRACES/alibaba-gpu-v2023, else ../shared/traces beside the checkout); undefined when absent. */
export function openbTrace(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  const root = here.includes(`${join("dist", "bench")}`) ? join(here, "..", "..", "..") : join(here, "..", "..");
  const folder = join(process.env["TIMONEIRO_TRACES"] ?? join(root, "..", "shared", "traces"), "alibaba-gpu-v2023");
  return existsSync(join(folder, "openb_pod_list_default.csv")) ? folder : undefined;
}

/** `trace/…` (bench/trace.ts) in a process of its own; nothing without the traces. */
function traces(repeats: number, every: number, google: boolean): BenchResult[] {
  const trace = openbTrace();
  return trace === undefined ? [] : script("trace", [join(trace, ".."), repeats, every, google ? 1 : 0]);
}

/** `fgd/…` (bench/fgd.ts) in a process of its own (reading the trace is asynchronous); nothing without the trace. */
function fgd(seeds: number, every: number, repeats: number): BenchResult[] {
  const trace = openbTrace();
  return trace === undefined ? [] : script("fgd", [trace, seeds, every, repeats]);
}

export function benchmarkSteps(quick: boolean): (() => BenchResult[])[] {
  if (quick) {
    return [
      () => reduceEvents(100, 200, 1, { referencePods: 10 }),
      () => [...scheduleBurst(100, 500, 1, "kube-default", false), ...scheduleBurst(100, 500, 1, "first-fit", true), ...scheduleBurst(100, 500, 1, "best-fit", true)],
      () => [...spreadBurst(100, 100, 100, 1, true), ...spreadBurst(100, 100, 100, 1, false)],
      () => antiAffinityBurst(100, 20, 40, 1),
      () => preemptionBurst(100, 400, 100, 1),
      () => churn(100, 2000, false),
      () => [...deploymentsRun(100, 20, 10, 1), ...deploymentsRun(100, 20, 10, 1, "first-fit")],
      () => jobs(100, 0.1),
      () => zoneFailure(300, 30, 10),
      () => metricsOverhead(100, 2000, 1),
      // Without Chromium, report/open is left out; the quick list names only report/size.
      () => script("report", [100, 2000]).filter((result) => result.name.startsWith("report/size")),
      () => script("compare", [100, 2000, 1]),
      () => growRun(300, 3, 1),
      () => writeJsonl(50, 500, 1),
      () => [...referenceBurst(20, 200, 3, "first-fit"), ...referenceBurst(20, 200, 3, "kube-default")],
      () => indexDecisions(1000, 200, 3, "first-fit"),
      () => logAppend(10_000, 3),
      () => layoutUpdates(2000, 20_000, 50, 1),
      () => loadManifests(2000, 1),
      () => fgd(1, 20, 1),
      () => traces(1, 20, false),
    ];
  }
  return [
    () => reduceEvents(1000, 20_000, 5, undefined),
    () => reduceEvents(10_000, 20_000, 5, { referencePods: 20 }),
    () => reduceEvents(100_000, 20_000, 3, undefined),
    () => scheduleBurst(5000, 100_000, 3, "first-fit", false),
    () => scheduleBurst(5000, 100_000, 3, "best-fit", false),
    () => scheduleBurst(5000, 100_000, 3, "kube-default", false),
    // kube's scheduler_perf TopologySpreading / PreferredTopologySpreading: 5000 nodes, 5000 pods first, 2000 measured.
    () => [...spreadBurst(5000, 5000, 2000, 3, true), ...spreadBurst(5000, 5000, 2000, 3, false)],
    () => antiAffinityBurst(5000, 1000, 2000, 3),
    // kube's PreemptionAsync: 5000 nodes, 20,000 low-priority pods, then 5,000 that must preempt.
    () => preemptionBurst(5000, 20_000, 5000, 1),
    ...[1000, 10_000, 100_000].flatMap((nodes) => (["first-fit", "best-fit"] as const).map((policy) => () => scheduleBurst(nodes, 20_000, 3, policy, nodes !== 10_000))),
    () => churn(10_000, 1_000_000, true),
    () => [...deploymentsRun(5000, 2000, 50, 3), ...deploymentsRun(5000, 2000, 50, 3, "first-fit")],
    () => jobs(1000, 24),
    () => zoneFailure(10_000, 3000, 100),
    // The size: run/churn/10000n (a million pods over a day), metrics on against off.
    () => metricsOverhead(10_000, 1_000_000, 2),
    () => script("report", [10_000, 200_000]),
    () => script("compare", [1000, 50_000, 3]),
    () => growRun(20_000, 3, 3),
    () => writeJsonl(2000, 200_000, 3),
    () => logAppend(1_000_000, 5),
    // 200,000 pods (a churn run's live pods and the 12,500 PodGC keeps), 50 updates a batch (a churn tick's events).
    () => layoutUpdates(200_000, 1_000_000, 50, 5),
    () => [...indexDecisions(1000, 5000, 5, "first-fit"), ...indexDecisions(100_000, 5000, 5, "first-fit")],
    () => [...indexDecisions(1000, 5000, 5, "best-fit"), ...indexDecisions(100_000, 5000, 5, "best-fit")],
    () => [...referenceBurst(100, 2000, 5, "first-fit"), ...referenceBurst(100, 2000, 5, "kube-default")],
    () => [...referenceBurst(1000, 2000, 3, "first-fit"), ...referenceBurst(1000, 2000, 3, "kube-default")],
    () => loadManifests(100_000, 3),
    // The FGD paper's experiment: each policy over their ten seeds; the naive twin on a tenth of the trace.
    () => fgd(10, 10, 3),
    // Real traces replayed: the whole openb trace (and card by card), against the reference on a tenth; a fifth of the Google shard.
    () => traces(3, 10, true),
  ];
}

export function runBenchmarks(quick: boolean): BenchResult[] {
  return benchmarkSteps(quick).flatMap((step) => step());
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  for (const step of benchmarkSteps(process.argv.includes("--quick"))) {
    for (const result of step()) process.stdout.write(JSON.stringify(result) + "\n");
  }
}
