/**
 * GPU sharing in a run: the bundled Open-Gpu-Share plugin (Filter and Reserve) and BestFitScore,
 * enabled by a KubeSchedulerConfiguration, on two GPU nodes. Every placement, card and message
 * is worked out by hand beside the rows; both engines must log the same events; the cards travel
 * in PodBound (JSONL and the compact log), a replay of the log rebuilds them, and a bad card
 * number is refused.
 */
import { describe, expect, it } from "vitest";
import { createState, type PodState } from "../../../cluster/state.js";
import { runScenario } from "../../../engine/engine.js";
import type { Scenario } from "../../../engine/scenario.js";
import type { ClusterEvent } from "../../../events/events.js";
import { idleCards } from "../../../gpu/model.js";
import { decodeEvent, encodeEvent } from "../../../log/jsonl.js";
import { reduce, reduceAll } from "../../../reference/reduce.js";
import { makeContainer, makeNode, makePod } from "../../../testing/builders.js";
import { schedulerConfigurationFrom } from "../../config/ksc.js";
import type { SchedulerChoice } from "../../policies.js";

/** A KubeSchedulerConfiguration whose one profile filters and reserves with Open-Gpu-Share and scores with `score` alone. */
function gpuConfiguration(score: string, pluginConfig: readonly unknown[] = []) {
  return {
    apiVersion: "kubescheduler.config.k8s.io/v1",
    kind: "KubeSchedulerConfiguration",
    profiles: [{
      schedulerName: "default-scheduler",
      plugins: {
        filter: { enabled: [{ name: "Open-Gpu-Share" }] },
        reserve: { enabled: [{ name: "Open-Gpu-Share" }] },
        score: { disabled: [{ name: "*" }], enabled: [{ name: score }] },
      },
      ...(pluginConfig.length > 0 ? { pluginConfig } : {}),
    }],
  };
}

const KSC = gpuConfiguration("BestFitScore");

/** The scheduler choice a configuration builds (none of its diagnostics an error). */
function choiceFrom(configuration: unknown): SchedulerChoice {
  const built = schedulerConfigurationFrom(configuration);
  expect(built.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return { policy: "kube", configuration: built.value as NonNullable<typeof built.value> };
}

function choice(): SchedulerChoice {
  return choiceFrom(KSC);
}

/** A pod of `cpu` asking for `count` cards with `milli` of each (and that milli in all as the extended resource). */
function gpuPod(name: string, cpu: string, count: number, milli: number, extra: { models?: string; seconds?: number } = {}) {
  const total = String(count * milli);
  return makePod(name, {}, {
    annotations: { "alibabacloud.com/gpu-count": String(count), "alibabacloud.com/gpu-milli": String(milli), ...(extra.models !== undefined ? { "alibabacloud.com/gpu-card-model": extra.models } : {}) },
    containers: [makeContainer("c", {}, { requests: { cpu: Number(cpu) * 1000, "alibabacloud.com/gpu-milli": Number(total) }, limits: { "alibabacloud.com/gpu-milli": Number(total) } })],
    restartPolicy: "Never",
    sim: extra.seconds !== undefined ? { durationSeconds: extra.seconds } : {},
  });
}

const g1 = makeNode("g1", { cpu: "16", memory: "64Gi" }, { labels: { "alibabacloud.com/gpu-card-model": "T4" } });
const g2 = makeNode("g2", { cpu: "16", memory: "64Gi" }, { labels: { "alibabacloud.com/gpu-card-model": "V100" } });
const withCards = (node: typeof g1, cards: number) => ({ ...node, allocatable: { ...node.allocatable, "alibabacloud.com/gpu-count": cards, "alibabacloud.com/gpu-milli": cards * 1000 }, capacity: { ...node.capacity, "alibabacloud.com/gpu-count": cards, "alibabacloud.com/gpu-milli": cards * 1000 } });

const SCENARIO: Scenario = {
  name: "gpu-sharing",
  seed: 1,
  untilSeconds: 120,
  options: { fitBy: "requests" },
  nodes: [withCards(g1, 2), withCards(g2, 1)],
  pods: [
    gpuPod("a", "1", 1, 600, { seconds: 60 }),
    gpuPod("b", "1", 1, 600),
    gpuPod("c", "1", 1, 600),
    gpuPod("d", "1", 1, 700),
    gpuPod("e", "1", 1, 300, { models: "A100" }),
  ],
  timeline: [],
};

function both(scenario: Scenario) {
  const fast = runScenario(scenario, {}, choice());
  const reference = runScenario(scenario, { engine: "reference" }, choice());
  expect(fast.events.map(encodeEvent)).toEqual(reference.events.map(encodeEvent));
  return fast;
}

describe("GPU sharing in a run (Open-Gpu-Share + BestFitScore)", () => {
  it("places shares on cards as worked out by hand; both engines agree", () => {
    const run = both(SCENARIO);
    const bound = run.events.filter((event) => event.type === "PodBound").map((event) => [event.t, event.pod, event.node, event.gpus]);
    // a (1 cpu, 600m): BestFit g1 = ⌊100 × (1 − (15000/128000 × ½ + 1400/8000 × ½))⌋ = 85, g2 = ⌊100 × (1 − (15000/128000 × ½ + 400/8000 × ½))⌋ = 91:
    //   normalised g2 100, g1 0 → g2, its only card 0 (400 left).
    // b (600m): g2's card has 400 < 600 → g1 only; the tightest of its two free cards: card 0 (400 left).
    // c (600m): g1's card 1 only (card 0 has 400) → g1, card 1. g1's cards: 400 and 400.
    // d (700m): NodeResourcesFit lets g1 by (800 milli idle in all) but no card has 700: Open-Gpu-Share refuses it; g2 has
    //   400 in all: NodeResourcesFit refuses it. At 60 s a succeeds, g2's card is free again: d takes it.
    expect(bound).toEqual([[0, "default/a", "g2", [0]], [0, "default/b", "g1", [0]], [0, "default/c", "g1", [1]], [60, "default/d", "g2", [0]]]);
    const failed = run.events.filter((event) => event.type === "PodUnschedulable").map((event) => [event.t, event.pod, event.message.split(". preemption")[0]]);
    // kube's message sorts the reasons; e (an A100) fits neither model, at 0 and again when a's card is freed at 60.
    expect(failed).toEqual([
      [0, "default/d", "0/2 nodes are available: 1 Insufficient alibabacloud.com/gpu-milli, 1 node(s) didn't have a GPU card with enough milli-GPU free"],
      [0, "default/e", "0/2 nodes are available: 2 node(s) didn't have the GPU model the pod accepts"],
      [60, "default/e", "0/2 nodes are available: 2 node(s) didn't have the GPU model the pod accepts"],
    ]);
    // The cards at the end: g1 400 and 400 (b, c), g2 300 (d).
    const pods = Object.values(run.state.pods).filter((pod) => pod.holdsResources);
    const on = (node: string) => pods.filter((pod) => pod.node === node);
    expect(idleCards(run.state.nodes["g1"]?.node ?? g1, on("g1"))).toEqual([400, 400]);
    expect(idleCards(run.state.nodes["g2"]?.node ?? g2, on("g2"))).toEqual([300]);
  });

  it("the cards travel in the log: JSONL and a replay rebuild them", () => {
    const run = both(SCENARIO);
    const lines = run.events.map(encodeEvent);
    expect(lines.find((line) => line.includes('"pod":"default/c"') && line.includes("PodBound"))).toMatch(/^\{"seq":\d+,"t":0,"type":"PodBound","pod":"default\/c","node":"g1","gpus":\[1\]\}$/);
    const decoded = lines.map((line, index) => decodeEvent(line, index + 1));
    const replayed = reduceAll(createState(run.state.options), decoded);
    expect(replayed.ok).toBe(true);
    if (replayed.ok) expect((replayed.state.pods["default/c"] as PodState).gpus).toEqual([1]);
  });

  it("a PodBound naming a card the node has not is refused", () => {
    const run = both(SCENARIO);
    const beforeB = run.events.findIndex((event) => event.type === "PodBound" && event.pod === "default/b");
    const replayed = reduceAll(createState(run.state.options), run.events.slice(0, beforeB));
    expect(replayed.ok).toBe(true);
    if (!replayed.ok) return;
    const bad = { ...(run.events[beforeB] as ClusterEvent & { type: "PodBound" }), gpus: [2] };
    const result = reduce(replayed.state, bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.rejection.message).toContain("GPU cards [2] must be distinct cards of node g1, which has 2 (0 to 1)");
  });

  it("without Open-Gpu-Share, a GPU pod is placed by its milli-GPU in all and takes no card", () => {
    const run = runScenario(SCENARIO);
    expect(run.events.filter((event) => event.type === "PodBound").every((event) => event.gpus === undefined)).toBe(true);
  });
});

describe("the bundled plugins in a KubeSchedulerConfiguration", () => {
  it("are enabled by name at the points they implement; another point is refused as kube refuses it", () => {
    const wrong = schedulerConfigurationFrom({ ...KSC, profiles: [{ schedulerName: "default-scheduler", plugins: { preScore: { enabled: [{ name: "Open-Gpu-Share" }] } } }] });
    expect(wrong.diagnostics.map((d) => d.message)).toContainEqual(expect.stringContaining('plugin "Open-Gpu-Share" does not extend PreScorePlugin plugin'));
    const scores = schedulerConfigurationFrom({ ...KSC, profiles: [{ schedulerName: "default-scheduler", plugins: { multiPoint: { enabled: [{ name: "GpuPackingScore" }, { name: "GpuClusteringScore" }, { name: "DotProductScore" }] } } }] });
    expect(scores.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(scores.value?.profiles[0]?.score.map((entry) => entry.plugin.name)).toEqual(expect.arrayContaining(["GpuPackingScore", "GpuClusteringScore", "DotProductScore"]));
  });
});

describe("FGD in a run (FGDScore, Open-Gpu-Share with gpuSelMethod FGDScore)", () => {
  // Typical pods: A (4 cores, 500m of a card) half of them; B cpu-only a quarter; C (8 cores, a whole card) a quarter.
  const typicalPods = [
    { milliCpu: 4000, milliGpu: 500, gpuNumber: 1, percentage: 0.5 },
    { milliCpu: 2000, milliGpu: 0, gpuNumber: 0, percentage: 0.25 },
    { milliCpu: 8000, milliGpu: 1000, gpuNumber: 1, percentage: 0.25 },
  ];
  const ksc = (selection: string) => gpuConfiguration("FGDScore", [{ name: "Open-Gpu-Share", args: { gpuSelMethod: selection } }, { name: "FGDScore", args: { typicalPods } }]);
  const choiceOf = (selection: string): SchedulerChoice => choiceFrom(ksc(selection));
  // One node of 6 cores and two cards; a 400m pod without cpu, then a 2-core 500m pod.
  const scenario: Scenario = {
    name: "fgd-cards", seed: 1, untilSeconds: 10, options: { fitBy: "requests" },
    nodes: [withCards(makeNode("n", { cpu: "6", memory: "64Gi" }, { labels: { "alibabacloud.com/gpu-card-model": "T4" } }), 2)],
    pods: [gpuPod("first", "0", 1, 400), gpuPod("second", "2", 1, 500)],
    timeline: [],
  };
  const cards = (selection: string) => {
    const fast = runScenario(scenario, {}, choiceOf(selection));
    const reference = runScenario(scenario, { engine: "reference" }, choiceOf(selection));
    expect(fast.events.map(encodeEvent)).toEqual(reference.events.map(encodeEvent));
    return fast.events.filter((event) => event.type === "PodBound").map((event) => event.gpus);
  };

  it("FGD puts the share where it adds the least fragment; best, on the tightest card", () => {
    // first (400m): both cards free, equal → card 0 either way (600 left there).
    // second (2 cores, 500m), cpu 6000, cards 600 and 1000 (L 1600): F = A fits, no card under 500: 0; B 0.25 × 1600 = 400;
    //   C needs 8 cores: 400 → 800. On card 0 → cpu 4000, cards 100, 1000 (L 1100): A 0.5 × 100 = 50, B 275, C 275 → 600:
    //   ⌊100 × sigmoid(0.2)⌋ = 54. On card 1 → cards 600, 500: A 0, B 275, C 275 → 550: ⌊100 × sigmoid(0.25)⌋ = 56 → card 1.
    expect(cards("FGDScore")).toEqual([[0], [1]]);
    // best: the tightest card that fits 500m is card 0 (600 left)
    expect(cards("best")).toEqual([[0], [0]]);
  });

  it("FGDScore without typical pods, and bad args, are refused saying what to write", () => {
    const without = schedulerConfigurationFrom({ ...ksc("best"), profiles: [{ ...ksc("best").profiles[0], pluginConfig: [] }] });
    expect(without.diagnostics.map((d) => d.message)).toContainEqual(expect.stringContaining("FGDScore measures fragmentation against the workload's typical pods: name them in its args"));
    const random = schedulerConfigurationFrom(ksc("random"));
    expect(random.diagnostics.map((d) => d.message)).toContainEqual('Timoneiro picks a share\'s card as best (the tightest card) or FGDScore (FGD\'s choice, with FGDScore\'s typicalPods); got "random"');
    const bad = schedulerConfigurationFrom({ ...ksc("best"), profiles: [{ ...ksc("best").profiles[0], pluginConfig: [{ name: "FGDScore", args: { typicalPods: [{ milliCpu: 1000, milliGpu: 1500, gpuNumber: 1, percentage: 0.5 }] } }] }] });
    expect(bad.diagnostics.map((d) => d.message)).toContainEqual(expect.stringContaining("a typical pod is {milliCpu: whole ≥ 0, milliGpu: 0–1000 (of each card)"));
  });
});
