/**
 * The FGD experiment's policies and fragmentation measure, row by row, each expected value
 * worked out by hand (the arithmetic beside it) from their simulator's rules as policies.ts and
 * frag.ts state them.
 */
import { describe, expect, it } from "vitest";
import { acceptsModel, nodeFragAmount, typicalPods, type GpuShape, type TypicalPod } from "./frag.js";
import type { GpuPodSpec } from "./model.js";
import { bestFitScore, cardsFit, dotProductScore, fgdScore, freeCards, gpuAffinityTag, gpuClusteringScore, gpuPackingScore, tightestCard, type GpuNodeWithPods } from "./policies.js";
import { SeededRandom } from "./random.js";

const shared: GpuShape = { cpuMilli: 4000, gpuCount: 1, gpuMilli: 300, gpuModels: [] };
const twoWhole: GpuShape = { cpuMilli: 4000, gpuCount: 2, gpuMilli: 1000, gpuModels: [] };
const cpuOnly: GpuShape = { cpuMilli: 4000, gpuCount: 0, gpuMilli: 0, gpuModels: [] };

function node(cpuLeft: number, cards: number[], affinity: Record<string, number> = {}, model = "V100M16"): GpuNodeWithPods {
  return { cpuLeft, cards, model, affinity: new Map(Object.entries(affinity)) };
}

// 64 cores left; cards 1000, 1000, 400, 700 (idle L = 3100); two shared pods already there.
const used = node(64_000, [1000, 1000, 400, 700], { "share-gpu": 2 });

describe("the scores", () => {
  it("DotProduct: 100 × (1 − dot/2), truncated", () => {
    // dot = 64000/128000 × 4000/128000 + 3100/8000 × 300/8000 = 0.015625 + 0.01453125 = 0.03015625 → 100 × 0.984921875 = 98.49 → 98
    expect(dotProductScore(used, shared)).toBe(98);
    // cpu only: 0.5 × 0.03125 = 0.015625 → 100 × 0.9921875 = 99.2 → 99
    expect(dotProductScore(used, cpuOnly)).toBe(99);
  });

  it("GpuClustering: 25 × (8000 − L) / 8000 in integers, plus 75 / 50 / 25 / 0", () => {
    // base = 25 × 4900 / 8000 = 15 (integer division); the node holds only shared pods → +75
    expect(gpuClusteringScore(used, shared)).toBe(90);
    // shared and 2-GPU pods there → +50
    expect(gpuClusteringScore(node(64_000, [1000, 1000, 400, 700], { "share-gpu": 1, "2-gpu": 1 }), shared)).toBe(65);
    // other pods only → +0
    expect(gpuClusteringScore(node(64_000, [1000, 1000, 400, 700], { "2-gpu": 1 }), shared)).toBe(15);
    // no GPU pod: 8 free cards, base 25 × 0 / 8000 = 0, +25
    expect(gpuClusteringScore(node(96_000, [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]), shared)).toBe(25);
    // a cpu-only pod scores 0 everywhere
    expect(gpuClusteringScore(used, cpuOnly)).toBe(0);
  });

  it("GpuPacking: shared cards first, then free cards on a used node, then free nodes", () => {
    // by idle: card 2 (400), 3 (700), 0, 1; the 300m pod takes card 2: 400 × 100 / 1000 = 40 → 100 − 40 / 10 = 96
    expect(gpuPackingScore(used, shared)).toBe(96);
    // two whole cards: 400 and 700 are too small, cards 0 and 1 are free → 50 − 2 = 48
    expect(gpuPackingScore(used, twoWhole)).toBe(48);
    // every card free: max(33 − free, free): 8 cards → 25, 1 card → 32
    expect(gpuPackingScore(node(96_000, [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]), shared)).toBe(25);
    expect(gpuPackingScore(node(8_000, [1000]), shared)).toBe(32);
    // a shared card with 900 idle: 90 / 10 = 9 → 91; one with 50 idle cannot take 300m
    expect(gpuPackingScore(node(8_000, [50, 900]), shared)).toBe(91);
    expect(gpuPackingScore(used, cpuOnly)).toBe(0);
  });

  it("BestFit: 100 × (1 − Σ ½ × (free − asked) / max), truncated", () => {
    // (64000 − 4000) / 128000 × ½ = 0.234375; (3100 − 300) / 8000 × ½ = 0.175 → 100 × 0.590625 = 59.06 → 59
    expect(bestFitScore(used, shared)).toBe(59);
    // cpu only: 0.234375 + 3100 / 8000 × ½ = 0.428125 → 57.19 → 57
    expect(bestFitScore(used, cpuOnly)).toBe(57);
  });
});

describe("the cards", () => {
  it("a one-card pod needs a card with its milli idle; k cards need k free ones; the model must be accepted", () => {
    expect(cardsFit(used, shared)).toBe(true);
    expect(cardsFit(node(8_000, [200, 250]), shared)).toBe(false);
    expect(cardsFit(used, twoWhole)).toBe(true);
    expect(cardsFit(node(8_000, [1000, 999]), twoWhole)).toBe(false);
    expect(cardsFit(used, { ...shared, gpuModels: ["T4", "V100M16"] })).toBe(true);
    expect(cardsFit(used, { ...shared, gpuModels: ["T4"] })).toBe(false);
    expect(cardsFit(node(8_000, []), shared)).toBe(false);
    expect(cardsFit(node(8_000, []), cpuOnly)).toBe(true);
    expect(acceptsModel([], "")).toBe(true);
    expect(acceptsModel(["T4"], "")).toBe(false);
  });

  it("the tightest card that fits, ties to the lowest number; whole GPUs on the lowest free cards", () => {
    expect(tightestCard([1000, 1000, 400, 700], 300)).toBe(2);
    expect(tightestCard([700, 400, 400, 1000], 300)).toBe(1);
    expect(tightestCard([200, 100], 300)).toBe(-1);
    expect(freeCards([400, 1000, 1000, 1000], 2)).toEqual([1, 2]);
    expect(freeCards([400, 1000], 2)).toBeUndefined();
  });

  it("affinity tags", () => {
    expect([gpuAffinityTag(cpuOnly), gpuAffinityTag(shared), gpuAffinityTag(twoWhole), gpuAffinityTag({ ...shared, gpuMilli: 1000 })]).toEqual(["no-gpu", "share-gpu", "2-gpu", "1-gpu"]);
  });
});

describe("fragmentation", () => {
  // Three typical pods: A (4 cores, 500m of one card) half of them; B cpu-only a quarter; C (8 cores, a whole card) a quarter.
  const typical: TypicalPod[] = [
    { cpuMilli: 4000, gpuCount: 1, gpuMilli: 500, gpuModels: [], weight: 0.5, count: 2 },
    { cpuMilli: 2000, gpuCount: 0, gpuMilli: 0, gpuModels: [], weight: 0.25, count: 1 },
    { cpuMilli: 8000, gpuCount: 1, gpuMilli: 1000, gpuModels: [], weight: 0.25, count: 1 },
  ];
  const small = node(6000, [1000, 300]);

  it("F(n): the cards too small for a pod that fits, all idle GPU for one that does not, or asks for none", () => {
    // L = 1300. A fits (card 0), the 300m card is fragment: 0.5 × 300 = 150; B asks no GPU: 0.25 × 1300 = 325;
    // C needs 8 cores, 6 left: 0.25 × 1300 = 325. F = 800
    expect(nodeFragAmount(small, typical)).toBe(800);
    // with 2 cores and 500m of card 0 taken: cpu 4000, cards 500, 300, L = 800: A fits card 0 → 0.5 × 300 = 150; B 200; C 200 → 550
    expect(nodeFragAmount(small, typical, 2000, 0, 500)).toBe(550);
    // a node with nothing idle has no fragment
    expect(nodeFragAmount(node(6000, [0, 0]), typical)).toBe(0);
    // a model A does not accept: all of it for A too: 0.5 × 1300 + 325 + 325 = 1300
    expect(nodeFragAmount(small, [{ ...(typical[0] as TypicalPod), gpuModels: ["T4"] }, typical[1] as TypicalPod, typical[2] as TypicalPod])).toBe(1300);
  });

  it("FGD scores the card that adds the least fragment: ⌊100 × sigmoid((F − F') / 1000)⌋", () => {
    // a 2-core 500m pod fits card 0 only: F 800 → F' 550, sigmoid(0.25) = 0.5622 → 56, on card 0
    expect(fgdScore(small, { cpuMilli: 2000, gpuCount: 1, gpuMilli: 500, gpuModels: [] }, typical)).toEqual({ score: 56, cards: [0] });
    // cards 600 and 1000, a 2-core 500m pod: on card 0 → cpu 4000, cards 100, 1000 (L 1100): A fits card 1, 0.5 × 100 = 50, B 275,
    // C 275 → 600; on card 1 → cards 600, 500 (L 1100): A fits both, 0; B 275, C 275 → 550. F before (cpu 6000, L 1600): A fits, 0;
    // B 400; C needs 8 cores → 400 → 800. Card 0: sigmoid(0.2) = 0.5498 → 54; card 1: sigmoid(0.25) → 56: card 1
    expect(fgdScore(node(6000, [600, 1000]), { cpuMilli: 2000, gpuCount: 1, gpuMilli: 500, gpuModels: [] }, typical)).toEqual({ score: 56, cards: [1] });
    // a whole card: the lowest free one, F 800 → cpu 2000, cards 0, 300 (L 300): A needs 4 cores, 2 are left: 150; B 75; C 75 → 300:
    // sigmoid(0.5) = 0.6225 → 62
    expect(fgdScore(small, { cpuMilli: 4000, gpuCount: 1, gpuMilli: 1000, gpuModels: [] }, typical)).toEqual({ score: 62, cards: [0] });
  });

  it("typical pods: by count, ties to the larger cpu, kept until they cover the threshold, weights over the kept", () => {
    const pod = (cpuMilli: number, gpuMilli: number, gpuCount: number, gpuModels: string[] = []): Pick<GpuPodSpec, "cpuMilli" | "gpuCount" | "gpuMilli" | "gpuModels"> => ({ cpuMilli, gpuMilli, gpuCount, gpuModels });
    const pods = [pod(1000, 500, 1), pod(2000, 0, 0), pod(1000, 500, 1), pod(500, 1000, 1), pod(3000, 1000, 2, ["V100"]), pod(2000, 0, 0), pod(1000, 500, 1)];
    // counts 3, 2, 1, 1 (of 7); 80% is 5.6 pods: 3 + 2 + 1 — the third is the 3000m one (the larger cpu of the two singles)
    const kept = typicalPods(pods, 0.8);
    expect(kept.map((t) => [t.cpuMilli, t.gpuMilli, t.gpuCount, t.gpuModels, t.count])).toEqual([[1000, 500, 1, [], 3], [2000, 0, 0, [], 2], [3000, 1000, 2, ["V100"], 1]]);
    expect(kept.map((t) => t.weight)).toEqual([3 / 6, 2 / 6, 1 / 6]);
    // 95% is 6.65 pods: all four shapes
    expect(typicalPods(pods).length).toBe(4);
  });
});

describe("the seeded generator", () => {
  it("the same seed draws the same numbers; int(n) stays below n; shuffle and permutation keep every item", () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const drawsA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(drawsA);
    expect(new SeededRandom(43).next()).not.toBe(drawsA[0]);
    const random = new SeededRandom(7);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 6000; i++) {
      const face = random.int(6);
      counts[face] = (counts[face] as number) + 1;
    }
    // each of 6 faces about 1000 times (a loose bound: 5 standard deviations ≈ 144)
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(150);
    expect([...random.permutation(10)].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(random.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(() => random.int(0)).toThrow(RangeError);
  });
});
