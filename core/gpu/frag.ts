/**
 * GPU fragmentation as the FGD paper measures it (Weng et al., ATC'23; their simulator's
 * pkg/utils/frag.go): how much of a node's idle GPU the cluster's typical pods could not use.
 *
 * Typical pods (`GetTypicalPods`): the workload's pods grouped by (cpu, milli-GPU per card,
 * cards, models) — memory is not part of the shape — most frequent first (ties: larger cpu,
 * then larger milli, more cards, the larger model text), kept until they cover 95% of the pods
 * (the shape that crosses 95% is kept), each weighted by its count over the kept pods' count.
 *
 * A node's fragmentation for a typical pod p of weight f (`NodeGpuShareFragAmount`), with L the
 * node's idle milli-GPU:
 * - p fits (its models include the node's, enough cards have p's milli free, and the cpu is
 *   there): only the cards with less than p's milli idle are fragment, f × Σ those cards;
 * - otherwise — p asks for no GPU, or cannot run here — all of it: f × L.
 * The node's amount F(n) is the sum over the typical pods (`FragAmountSumExceptQ3`); the
 * cluster's is the sum over its nodes, and its ratio that amount over the idle milli-GPU.
 */
import type { GpuPodSpec } from "./model.js";

/** A pod's shape as the GPU policies see it. */
export interface GpuShape {
  readonly cpuMilli: number;
  /** Cards. */
  readonly gpuCount: number;
  /** Per card; 0 without cards. */
  readonly gpuMilli: number;
  /** Accepted models; empty: any. */
  readonly gpuModels: readonly string[];
}

export interface TypicalPod extends GpuShape {
  /** Its share of the kept pods (the kept shares sum to 1). */
  readonly weight: number;
  /** Pods of this shape in the workload. */
  readonly count: number;
}

/** A node's GPU state as the policies and the fragmentation measure read it. */
export interface GpuNodeState {
  readonly cpuLeft: number;
  /** Idle milli-GPU of each card, in device order. */
  readonly cards: ArrayLike<number>;
  /** "" without cards. */
  readonly model: string;
}

/** Whether a pod accepting `models` may use a node's cards (`IsNodeAccessibleToPodByType`). */
export function acceptsModel(models: readonly string[], model: string): boolean {
  if (models.length === 0) return true;
  return model !== "" && models.includes(model);
}

/** The workload's typical pods: see the file's comment. `threshold` is the share of pods to cover (0.95). */
export function typicalPods(pods: readonly Pick<GpuPodSpec, "cpuMilli" | "gpuCount" | "gpuMilli" | "gpuModels">[], threshold = 0.95): TypicalPod[] {
  const groups = new Map<string, { shape: GpuShape; count: number }>();
  for (const pod of pods) {
    const key = `${pod.cpuMilli}/${pod.gpuMilli}/${pod.gpuCount}/${pod.gpuModels.join("|")}`;
    const group = groups.get(key);
    if (group !== undefined) group.count++;
    else groups.set(key, { shape: { cpuMilli: pod.cpuMilli, gpuCount: pod.gpuCount, gpuMilli: pod.gpuMilli, gpuModels: pod.gpuModels }, count: 1 });
  }
  const sorted = [...groups.values()].sort((a, b) =>
    b.count - a.count ||
    b.shape.cpuMilli - a.shape.cpuMilli ||
    b.shape.gpuMilli - a.shape.gpuMilli ||
    b.shape.gpuCount - a.shape.gpuCount ||
    compareText(b.shape.gpuModels.join("|"), a.shape.gpuModels.join("|")));
  const kept: { shape: GpuShape; count: number }[] = [];
  let covered = 0;
  for (const group of sorted) {
    kept.push(group);
    covered += group.count;
    if (covered >= threshold * pods.length) break;
  }
  return kept.map(({ shape, count }) => ({ ...shape, count, weight: count / covered }));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * F(n): the node's fragmentation amount in milli-GPU against the typical pods — optionally as it
 * would be with `cpuTaken` more millicores used and card `card` holding `milliTaken` more
 * (one card changed, as placing a one-card pod does), without building that state.
 */
export function nodeFragAmount(node: GpuNodeState, typical: readonly TypicalPod[], cpuTaken = 0, card = -1, milliTaken = 0): number {
  const cards = node.cards;
  const cpuLeft = node.cpuLeft - cpuTaken;
  let idle = 0;
  for (let i = 0; i < cards.length; i++) idle += (cards[i] as number) - (i === card ? milliTaken : 0);
  if (idle === 0) return 0;
  let amount = 0;
  for (const pod of typical) {
    if (pod.gpuMilli === 0 || cpuLeft < pod.cpuMilli || !acceptsModel(pod.gpuModels, node.model)) {
      amount += pod.weight * idle;
      continue;
    }
    let fitting = 0;
    let fragment = 0;
    for (let i = 0; i < cards.length; i++) {
      const left = (cards[i] as number) - (i === card ? milliTaken : 0);
      if (left >= pod.gpuMilli) fitting++;
      else fragment += left;
    }
    amount += pod.weight * (fitting >= pod.gpuCount ? fragment : idle);
  }
  return amount;
}
