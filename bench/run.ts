/**
 * `npm run bench [-- --quick]`: every benchmark, one JSON line per result on stdout
 * (DESIGN.md "Benchmarks"). Timings are medians of several runs; nothing here asserts time.
 *
 * For now it measures the reference engine — the naive oracle — so that the fast engine has a
 * baseline to be compared against in the same process.
 */
import { CapacityIndex, CompactLog, NaiveCapacityIndex, type ClusterEvent, defaultSchedulerChoice, runScenario, type Scenario, type SchedulerChoice, type SlotCapacity } from "../core/index.js";
import { draw, makeNodes, makePods } from "./workload.js";

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly median_of: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function timeMs(action: () => void): number {
  const start = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** All pods arrive at tick 0 and are placed by `policy`: pods/s and ns per event. */
function scheduleBurst(nodes: number, pods: number, repeats: number, policy: "first-fit" | "kube-default"): BenchResult[] {
  const scheduler: SchedulerChoice = policy === "first-fit" ? { policy: "first-fit" } : defaultSchedulerChoice();
  const scenario: Scenario = {
    name: `burst-${nodes}n`, seed: 1, untilSeconds: 0, options: { fitBy: "requests" },
    nodes: makeNodes(nodes, 1), pods: makePods(pods, 1), timeline: [],
  };
  let events = 0;
  const times = Array.from({ length: repeats }, () => timeMs(() => {
    events = runScenario(scenario, {}, scheduler).events.length;
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
  run(prepared(new CapacityIndex())); // warm-up
  const counted = prepared(new CapacityIndex());
  counted.visits = 0;
  run(counted);
  const visits = counted.visits / decisions;
  // Only the decisions are timed: each repeat gets a freshly filled index, built outside the clock.
  const timed = (make: () => CapacityIndex | NaiveCapacityIndex) => median(Array.from({ length: repeats }, () => {
    const index = make();
    return timeMs(() => run(index));
  }));
  const indexMs = timed(() => prepared(new CapacityIndex()));
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

export function runBenchmarks(quick: boolean): BenchResult[] {
  if (quick) return [...scheduleBurst(20, 200, 3, "first-fit"), ...scheduleBurst(20, 200, 3, "kube-default"), ...indexDecisions(1000, 200, 3, "first-fit"), ...logAppend(10_000, 3)];
  return [
    ...logAppend(1_000_000, 5),
    ...indexDecisions(1000, 5000, 5, "first-fit"), ...indexDecisions(100_000, 5000, 5, "first-fit"),
    ...indexDecisions(1000, 5000, 5, "best-fit"), ...indexDecisions(100_000, 5000, 5, "best-fit"),
    ...scheduleBurst(100, 2000, 5, "first-fit"), ...scheduleBurst(100, 2000, 5, "kube-default"),
    ...scheduleBurst(1000, 2000, 3, "first-fit"), ...scheduleBurst(1000, 2000, 3, "kube-default"),
  ];
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  for (const result of runBenchmarks(process.argv.includes("--quick"))) process.stdout.write(JSON.stringify(result) + "\n");
}
