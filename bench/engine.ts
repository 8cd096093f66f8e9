/**
 * The fast engine's benchmarks, with DESIGN.md's names: one event through the reducer, the same
 * events through the reference engine and through a plain mutable engine (ratios measured in the
 * same process), scheduling bursts under each policy, and the nodes the index visits.
 *
 * Clusters are pre-filled to 75% cpu as DESIGN.md asks: one filler pod per node, bound by its
 * manifest, requesting 48 of the node's 64 cores and 96 GiB of its 256 GiB.
 */
import {
  applyEvent,
  createFastState,
  defaultSchedulerChoice,
  fastReduceAll,
  materialize,
  reduce,
  runScenario,
  type ClusterEvent,
  type ClusterState,
  type EventDraft,
  type FastState,
  type Node,
  type Pod,
  type Scenario,
  type SchedulerChoice,
} from "../core/index.js";
import { MutableEngine } from "./mutable.js";
import { makeNodes, makePods } from "./workload.js";

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly median_of: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function timeMs(action: () => void): number {
  const start = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Two ways of doing the same work, `repeats` times each, alternated (first, second; then second,
 * first …) so a drift of the machine falls on both: each one's times in milliseconds.
 */
export function alternated(repeats: number, first: (run: number) => void, second: (run: number) => void): [number[], number[]] {
  const a: number[] = [];
  const b: number[] = [];
  for (let run = 0; run < repeats; run++) {
    if (run % 2 === 0) {
      a.push(timeMs(() => first(run)));
      b.push(timeMs(() => second(run)));
    } else {
      b.push(timeMs(() => second(run)));
      a.push(timeMs(() => first(run)));
    }
  }
  return [a, b];
}

/** The filler pod that takes 75% of `node`'s cpu (and 37.5% of its memory). */
export function fillerPod(node: Node): Pod {
  const [base] = makePods(1, 0);
  return {
    ...(base as Pod),
    name: `filler-${node.name}`,
    nodeName: node.name,
    containers: [{ name: "filler", image: "example/filler:1", ports: [], requests: { cpu: Math.round((node.allocatable["cpu"] ?? 0) * 0.75), memory: Math.round((node.allocatable["memory"] ?? 0) * 0.375) }, limits: {} }],
  };
}

/** Short names for sizes: 1000 → 1k. */
export function sizeName(count: number): string {
  return count >= 1000 && count % 1000 === 0 ? `${count / 1000}k` : String(count);
}

/** A fast state with `count` nodes joined and filled to 75% cpu, and the events that made it. */
function prefilled(count: number): { state: FastState; nodes: Node[]; seq: number } {
  const nodes = makeNodes(count, 1);
  const events: ClusterEvent[] = [];
  const add = (draft: EventDraft) => events.push({ ...draft, t: 0, seq: events.length + 1 } as ClusterEvent);
  for (const node of nodes) add({ type: "NodeJoined", node: node.name, spec: node });
  for (const node of nodes) {
    const filler = fillerPod(node);
    add({ type: "PodCreated", pod: `default/${filler.name}`, spec: filler });
    add({ type: "PodStarted", pod: `default/${filler.name}`, node: node.name });
  }
  const result = fastReduceAll(createFastState(), events);
  if (!result.ok) throw new Error(result.rejection.message);
  return { state: result.state, nodes, seq: events.length };
}

/** Pod lives per tick in the reduce benchmarks: 50 events a tick, about a churn run's density. */
const LIVES_PER_TICK = 10;

/**
 * The measured events, one array per tick: each of `LIVES_PER_TICK` pods per tick is created,
 * bound, started, succeeds and is freed, on nodes spread over the cluster.
 */
function podLives(nodes: readonly Node[], pods: number, firstSeq: number): ClusterEvent[][] {
  const specs = makePods(pods, 5);
  let seq = firstSeq;
  const lives = specs.map((spec, index) => {
    const node = (nodes[(index * 7919) % nodes.length] as Node).name;
    const pod = `default/${spec.name}`;
    const t = Math.floor(index / LIVES_PER_TICK) + 1;
    const drafts: EventDraft[] = [
      { type: "PodCreated", pod, spec },
      { type: "PodBound", pod, node },
      { type: "PodStarted", pod, node },
      { type: "PodSucceeded", pod },
      { type: "ResourcesFreed", pod, node },
    ];
    return drafts.map((draft) => ({ ...draft, t, seq: ++seq }) as ClusterEvent);
  });
  const ticks: ClusterEvent[][] = [];
  for (let index = 0; index < lives.length; index += LIVES_PER_TICK) ticks.push(lives.slice(index, index + LIVES_PER_TICK).flat());
  return ticks;
}

/** Applies the ticks through the fast engine's batch path (one batch per tick); ms. */
function fastReplay(start: FastState, lives: readonly (readonly ClusterEvent[])[]): number {
  let state = start;
  return timeMs(() => {
    for (const life of lives) {
      const transient = state.transient();
      for (const event of life) {
        const rejection = applyEvent(transient, event);
        if (rejection !== undefined) throw new Error(rejection.message);
      }
      state = transient.seal();
    }
  });
}

/**
 * `reduce/event/{n}n`: ns per event through the fast engine on `nodes` nodes; with `compare`,
 * the same events through the reference reducer and the mutable engine, as ratios.
 */
export function reduceEvents(nodes: number, pods: number, repeats: number, compare: { referencePods: number } | undefined): BenchResult[] {
  const { state, nodes: specs, seq } = prefilled(nodes);
  const lives = podLives(specs, pods, seq);
  const events = pods * 5;
  fastReplay(state, lives); // warm-up
  const fastNs = (median(Array.from({ length: repeats }, () => fastReplay(state, lives))) * 1e6) / events;
  const results: BenchResult[] = [{ name: `reduce/event/${sizeName(nodes)}n`, value: Math.round(fastNs), unit: "ns", median_of: repeats }];
  if (compare === undefined) return results;

  // The reference engine from the same state (built from the fast one: replaying the fill through immer would take minutes).
  const referenceStart: ClusterState = materialize(state);
  const referenceLives = lives.slice(0, Math.max(1, Math.ceil(compare.referencePods / LIVES_PER_TICK)));
  const referenceNs = (median(Array.from({ length: Math.min(repeats, 3) }, () => timeMs(() => {
    let current = referenceStart;
    for (const life of referenceLives) {
      for (const event of life) {
        const result = reduce(current, event);
        if (!result.ok) throw new Error(result.rejection.message);
        current = result.state;
      }
    }
  }))) * 1e6) / referenceLives.reduce((count, tick) => count + tick.length, 0);
  // The mutable engine, filled the same way.
  const mutableRun = (): number => {
    const engine = new MutableEngine();
    let fillSeq = 0;
    for (const node of specs) {
      engine.addNode(node);
      const filler = fillerPod(node);
      engine.apply({ type: "PodCreated", pod: `default/${filler.name}`, spec: filler, t: 0, seq: ++fillSeq });
      engine.apply({ type: "PodBound", pod: `default/${filler.name}`, node: node.name, t: 0, seq: ++fillSeq });
    }
    return timeMs(() => {
      for (const life of lives) for (const event of life) if (!engine.apply(event)) throw new Error(`the mutable engine refused ${event.type}`);
    });
  };
  mutableRun();
  const mutableNs = (median(Array.from({ length: repeats }, mutableRun)) * 1e6) / events;
  return [
    ...results,
    { name: `reduce/vs-naive/${sizeName(nodes)}n`, value: Math.round(referenceNs / fastNs), unit: "x", median_of: Math.min(repeats, 3) },
    { name: `reduce/vs-mutable/${sizeName(nodes)}n`, value: Math.round((mutableNs / fastNs) * 1000) / 1000, unit: "x", median_of: repeats },
  ];
}

export type BenchPolicy = "kube-default" | "first-fit" | "best-fit";

function choiceOf(policy: BenchPolicy): SchedulerChoice {
  return policy === "kube-default" ? defaultSchedulerChoice() : { policy };
}

/**
 * `schedule/{policy}/{n}n`: `pods` pods arriving at once on `nodes` nodes filled to 75%, placed
 * by the fast engine, events logged in memory: pods/s over the burst's tick only, timed from its
 * first event (an `onEvent` hook notes the clock once) to the end of the run, so the fill — most
 * of the run at 100,000 nodes — is not in the figure. With `visits`, the index's nodes per decision.
 */
export function scheduleBurst(nodes: number, pods: number, repeats: number, policy: BenchPolicy, visits: boolean): BenchResult[] {
  const nodeSpecs = makeNodes(nodes, 1);
  const burst: Scenario = {
    name: `burst-${nodes}n`, seed: 1, untilSeconds: 1, options: { fitBy: "requests" }, nodes: nodeSpecs, pods: nodeSpecs.map(fillerPod),
    timeline: makePods(pods, 1).map((pod) => ({ at: 1, action: "createPod" as const, pod })),
  };
  const choice = choiceOf(policy);
  let placed = 0;
  let decisions = 0;
  let visited = 0;
  const times = Array.from({ length: repeats }, () => {
    let burstStart: bigint | undefined;
    const onEvent = (event: ClusterEvent) => {
      if (burstStart === undefined && event.t >= 1) burstStart = process.hrtime.bigint();
    };
    const run = runScenario(burst, { onEvent }, choice);
    const burstMs = Number(process.hrtime.bigint() - (burstStart ?? 0n)) / 1e6;
    placed = 0;
    decisions = 0;
    for (const event of run.log) {
      if (event.type === "PodBound" && event.t >= 1) placed += 1;
      if ((event.type === "PodBound" && event.t >= 1) || event.type === "PodUnschedulable") decisions += 1;
    }
    visited = run.fastState?.capacityIndex().visits ?? 0;
    return Math.max(burstMs, 1e-3);
  });
  const ms = median(times);
  const results: BenchResult[] = [{ name: `schedule/${policy}/${nodes}n`, value: Math.round(placed / (ms / 1000)), unit: "pods/s", median_of: repeats }];
  if (visits && policy !== "kube-default") {
    results.push({ name: `schedule/visits/${policy}/${nodes}n`, value: Math.round((visited / Math.max(decisions, 1)) * 10) / 10, unit: "nodes", median_of: 1 });
  }
  return results;
}

/**
 * `run/grow/{n}n-{z}z`: a cluster growing to `nodes` nodes, one node joining per tick in zones
 * taken in turn, while a pod arrives every tick and kube's default profile places it: events/s
 * through the whole engine. Each join takes its slot in kube's zone-interleaved order in
 * O(log n); rebuilding the order on every join would make this quadratic.
 */
export function growRun(nodes: number, zones: number, repeats: number): BenchResult[] {
  const specs = makeNodes(nodes, 1).map((node, index) => ({ ...node, labels: { "topology.kubernetes.io/zone": `zone-${index % zones}` } }));
  const timeline = [
    ...specs.map((node, index) => ({ at: index, action: "addNode" as const, node })),
    ...makePods(nodes, 1).map((pod, index) => ({ at: index, action: "createPod" as const, pod })),
  ];
  const scenario: Scenario = { name: `grow-${nodes}n`, seed: 1, untilSeconds: nodes, options: { fitBy: "requests" }, nodes: [], pods: [], timeline };
  let events = 0;
  const ms = median(Array.from({ length: repeats }, () => timeMs(() => {
    events = runScenario(scenario, {}, defaultSchedulerChoice()).log.size;
  })));
  return [{ name: `run/grow/${sizeName(nodes)}n-${zones}z`, value: Math.round(events / (ms / 1000)), unit: "events/s", median_of: repeats }];
}
