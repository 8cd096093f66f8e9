/**
 * The six node-scoring policies of the FGD paper's experiment, each as their simulator's score
 * plugin computes it (hkust-adsl/kubernetes-scheduler-simulator, pkg/simulator/plugin/), in its
 * arithmetic (Go's integer division and float-to-int truncation), and the card choices that go
 * with them (open_gpu_share.go's Reserve). Scores are 0–100, higher is better.
 *
 * | policy | score (node n, pod p) | fractional card |
 * |---|---|---|
 * | Random | one feasible node drawn uniformly (random_score.go) | a fitting card drawn uniformly |
 * | DotProduct | ⌊100 × (1 − (cpuLeft/128000 × cpu/128000 + L/8000 × gpu/8000) / 2)⌋ (dot_product_score.go, merge, max) | the tightest |
 * | GpuClustering | 25 × (8000 − L) / 8000 + 75 / 50 / 25 / 0 by the GPU pods already there (gpu_clustering_score.go); 0 for a cpu-only pod | the tightest |
 * | GpuPacking | shared cards first, then free cards on a used node, then free nodes (gpu_packing_score.go); 0 for a cpu-only pod | the tightest |
 * | BestFit | ⌊100 × (1 − ((cpuLeft − cpu)/128000 × 0.5 + (L − gpu)/8000 × 0.5))⌋ (best_fit_score.go) | the tightest |
 * | FGD | ⌊100 × sigmoid((F(n) − F(n with p))/1000)⌋, the best card's (fgd_score.go) | the one whose score is highest |
 *
 * L is the node's idle milli-GPU, gpu the pod's milli-GPU in all, F the fragmentation amount
 * (frag.ts). Whole-GPU pods take the lowest-numbered free cards under every policy
 * (`AllocateExclusiveGpuId`). BestFit's NormalizeScore (min–max over the feasible nodes) keeps
 * the order and the ties, so the node it picks is the raw score's best.
 */
import { acceptsModel, nodeFragAmount, type GpuNodeState, type GpuShape, type TypicalPod } from "./frag.js";
import { MILLI_PER_GPU } from "./model.js";

export const GPU_POLICIES = ["Random", "DotProduct", "GpuClustering", "GpuPacking", "BestFit", "FGD"] as const;
export type GpuPolicy = (typeof GPU_POLICIES)[number];

/** Their simulator's normalisation bounds (open-gpu-share/utils/const.go): 128 cores, 8 GPUs. */
export const MAX_SPEC_CPU = 128_000;
export const MAX_SPEC_GPU = 8_000;

/** The affinity tag of a pod (GetGpuAffinityFromPodAnnotation): no-gpu, share-gpu or N-gpu. */
export function gpuAffinityTag(pod: GpuShape): string {
  if (pod.gpuCount === 0) return "no-gpu";
  return pod.gpuMilli < MILLI_PER_GPU ? "share-gpu" : `${pod.gpuCount}-gpu`;
}

/** A node's state with the GPU pods on it by affinity tag (GpuClustering reads it). */
export interface GpuNodeWithPods extends GpuNodeState {
  /** GPU pods on the node by tag (no `no-gpu` entry). */
  readonly affinity: ReadonlyMap<string, number>;
}

function idleMilli(cards: ArrayLike<number>): number {
  let idle = 0;
  for (let i = 0; i < cards.length; i++) idle += cards[i] as number;
  return idle;
}

/** Whether the node has room for the pod's cards (their Filter: one card with the milli free; k > 1 cards: k fully free ones). */
export function cardsFit(node: GpuNodeState, pod: GpuShape): boolean {
  if (pod.gpuCount === 0) return true;
  if (node.cards.length === 0 || !acceptsModel(pod.gpuModels, node.model)) return false;
  let fitting = 0;
  for (let i = 0; i < node.cards.length; i++) if ((node.cards[i] as number) >= pod.gpuMilli && ++fitting >= pod.gpuCount) return true;
  return false;
}

/** DotProduct (merge, normalised by the max spec). */
export function dotProductScore(node: GpuNodeState, pod: GpuShape): number {
  const dot = (node.cpuLeft / MAX_SPEC_CPU) * (pod.cpuMilli / MAX_SPEC_CPU) + (idleMilli(node.cards) / MAX_SPEC_GPU) * ((pod.gpuMilli * pod.gpuCount) / MAX_SPEC_GPU);
  return Math.trunc(100 * (1 - dot / 2));
}

/** GpuClustering. */
export function gpuClusteringScore(node: GpuNodeWithPods, pod: GpuShape): number {
  const tag = gpuAffinityTag(pod);
  if (tag === "no-gpu") return 0;
  const base = Math.trunc((25 * (MAX_SPEC_GPU - idleMilli(node.cards))) / MAX_SPEC_GPU);
  if ((node.affinity.get(tag) ?? 0) > 0) return base + (node.affinity.size === 1 ? 75 : 50);
  return base + (node.affinity.size === 0 ? 25 : 0);
}

/** The card indexes from the least idle to the most, ties in device order (a stable sort). */
function byIdle(cards: ArrayLike<number>): number[] {
  return Array.from({ length: cards.length }, (_, i) => i).sort((a, b) => (cards[a] as number) - (cards[b] as number) || a - b);
}

/** GpuPacking. */
export function gpuPackingScore(node: GpuNodeState, pod: GpuShape): number {
  if (pod.gpuMilli <= 0) return 0;
  const cards = node.cards;
  let free = 0;
  for (let i = 0; i < cards.length; i++) if (cards[i] === MILLI_PER_GPU) free++;
  // A node with every card free: 33 − free, at least free.
  if (free === cards.length) return Math.max(Math.trunc(100 / 3) - free, free);
  let wanted = pod.gpuCount;
  let freeUsed = 0;
  let idleOnUsed = 0;
  for (const i of byIdle(cards)) {
    if (wanted === 0) break;
    const left = cards[i] as number;
    if (pod.gpuMilli <= left) {
      wanted--;
      if (left === MILLI_PER_GPU) freeUsed++;
      idleOnUsed += Math.trunc((left * 100) / MILLI_PER_GPU);
    }
  }
  if (wanted !== 0) return 0; // filtered out before scoring
  // Free cards on a used node: 50 − those cards, at least 33; shared cards: 100 − their idle % / 10, at least 50.
  if (freeUsed > 0) return Math.max(50 - freeUsed, Math.trunc(100 / 3));
  return Math.max(100 - Math.trunc(idleOnUsed / 10), 50);
}

/** BestFit (before NormalizeScore). */
export function bestFitScore(node: GpuNodeState, pod: GpuShape): number {
  const cpu = ((node.cpuLeft - pod.cpuMilli) / MAX_SPEC_CPU) * 0.5;
  const gpu = ((idleMilli(node.cards) - pod.gpuMilli * pod.gpuCount) / MAX_SPEC_GPU) * 0.5;
  return Math.trunc((1 - (cpu + gpu)) * 100);
}

/** The tightest card with `milli` idle (the least idle that fits; ties: the lowest number), or −1. */
export function tightestCard(cards: ArrayLike<number>, milli: number): number {
  let chosen = -1;
  for (let i = 0; i < cards.length; i++) {
    const left = cards[i] as number;
    if (left >= milli && (chosen < 0 || left < (cards[chosen] as number))) chosen = i;
  }
  return chosen;
}

/** The `count` lowest-numbered free cards (whole-GPU pods), or undefined. */
export function freeCards(cards: ArrayLike<number>, count: number): number[] | undefined {
  const chosen: number[] = [];
  for (let i = 0; i < cards.length && chosen.length < count; i++) if (cards[i] === MILLI_PER_GPU) chosen.push(i);
  return chosen.length === count ? chosen : undefined;
}

/** The node's score under a policy (FGD's without its card). Random's is a draw among the feasible nodes that the caller makes: 0 here. */
export function policyScore(policy: GpuPolicy, node: GpuNodeWithPods, pod: GpuShape, typical: readonly TypicalPod[], before?: number): number {
  switch (policy) {
    case "Random": return 0;
    case "DotProduct": return dotProductScore(node, pod);
    case "GpuClustering": return gpuClusteringScore(node, pod);
    case "GpuPacking": return gpuPackingScore(node, pod);
    case "BestFit": return bestFitScore(node, pod);
    case "FGD": return fgdScore(node, pod, typical, before).score;
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * FGD: the score and the card(s) it would use. `before` is F(n) when the caller keeps it. A
 * one-card fractional pod tries each card it fits on (the highest score wins, ties to the lowest
 * number); any other pod takes the cpu and, for whole GPUs, the lowest-numbered free cards.
 */
export function fgdScore(node: GpuNodeState, pod: GpuShape, typical: readonly TypicalPod[], before = nodeFragAmount(node, typical)): { score: number; cards: number[] } {
  const cards = node.cards;
  if (pod.gpuCount === 1 && pod.gpuMilli < MILLI_PER_GPU) {
    let score = 0;
    let card = -1;
    for (let i = 0; i < cards.length; i++) {
      const left = cards[i] as number;
      if (left < pod.gpuMilli) continue;
      // A card with the same idle milli as an earlier one scores the same, and the earlier wins a tie.
      let seen = false;
      for (let j = 0; j < i && !seen; j++) seen = cards[j] === left;
      if (seen) continue;
      const candidate = Math.trunc(sigmoid((before - nodeFragAmount(node, typical, pod.cpuMilli, i, pod.gpuMilli)) / 1000) * 100);
      if (card < 0 || candidate > score) {
        score = candidate;
        card = i;
      }
    }
    return { score, cards: card < 0 ? [] : [card] };
  }
  const whole = pod.gpuCount > 0 ? freeCards(cards, pod.gpuCount) ?? [] : [];
  const after = whole.length <= 1
    ? nodeFragAmount(node, typical, pod.cpuMilli, whole[0] ?? -1, whole.length === 1 ? MILLI_PER_GPU : 0)
    : nodeFragAmount({ cpuLeft: node.cpuLeft, model: node.model, cards: Array.from({ length: cards.length }, (_, i) => (whole.includes(i) ? 0 : (cards[i] as number))) }, typical, pod.cpuMilli);
  return { score: Math.trunc(sigmoid((before - after) / 1000) * 100), cards: whole };
}
