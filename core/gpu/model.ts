/**
 * GPUs as Alibaba's GPU-sharing clusters (and the FGD paper's simulator) model them: a node has
 * `alibabacloud.com/gpu-count` cards of one model (the label `alibabacloud.com/gpu-card-model`),
 * each of 1000 milli-GPU; a pod asks for `gpu-count` cards with `gpu-milli` of each — a
 * one-card pod may take a share of a card (`gpu-milli` < 1000), several such pods sharing it —
 * and may name the models it accepts (`alibabacloud.com/gpu-card-model: "V100M16|V100M32"`).
 *
 * Plain records; the trace loaders make them, `core/gpu/experiment.ts` places them.
 */
import type { Node } from "../model/node.js";
import type { Pod } from "../model/pod.js";

/** The node's number of cards (allocatable), and the pod's (annotation). */
export const GPU_COUNT = "alibabacloud.com/gpu-count";
/** The node's milli-GPU in all (allocatable, 1000 per card), and the pod's share of each card (annotation). */
export const GPU_MILLI = "alibabacloud.com/gpu-milli";
/** The node's GPU model (label), and the models a pod accepts, `|`-separated (annotation). */
export const GPU_MODEL_LABEL = "alibabacloud.com/gpu-card-model";
/** One card. */
export const MILLI_PER_GPU = 1000;

/** A node as the GPU trace gives it. */
export interface GpuNodeSpec {
  readonly name: string;
  readonly cpuMilli: number;
  readonly memoryMib: number;
  /** Cards (0: a CPU-only node). */
  readonly gpus: number;
  /** "" without cards. */
  readonly model: string;
}

/** A pod as the GPU trace gives it. */
export interface GpuPodSpec {
  readonly name: string;
  readonly cpuMilli: number;
  readonly memoryMib: number;
  /** Cards wanted (0: CPU only). */
  readonly gpuCount: number;
  /** Milli-GPU of each card (1–1000; below 1000 only with one card); 0 without cards. */
  readonly gpuMilli: number;
  /** Models accepted; empty: any. */
  readonly gpuModels: readonly string[];
  readonly qos: string;
  /** Seconds from the trace's start. */
  readonly creation: number;
  readonly deletion?: number;
}

/** A Node's cards: its allocatable `alibabacloud.com/gpu-count` and its model label. */
export function gpuNodeOf(node: Pick<Node, "allocatable" | "labels">): { count: number; model: string } {
  const count = node.allocatable[GPU_COUNT] ?? 0;
  return { count, model: count > 0 ? (node.labels[GPU_MODEL_LABEL] ?? "") : "" };
}

/** A pod's GPU request, as its annotations give it: cards, milli-GPU of each, accepted models. */
export interface GpuRequest {
  readonly gpuCount: number;
  readonly gpuMilli: number;
  readonly gpuModels: readonly string[];
}

/**
 * The pod's GPU request from its annotations (`alibabacloud.com/gpu-count`,
 * `alibabacloud.com/gpu-milli` per card, `alibabacloud.com/gpu-card-model`), or a problem with
 * them; undefined when it asks for no GPU (no count, or 0). As their converter writes pods: a
 * count without milli means whole cards; milli above 1000 is a whole card.
 */
export function gpuRequestOf(pod: Pick<Pod, "annotations">): GpuRequest | { readonly problem: string } | undefined {
  // A pod's annotations never change: read once per annotations object (plugins ask on every cycle).
  const known = READ.get(pod.annotations);
  if (known !== undefined) return known === NONE ? undefined : known;
  const read = readGpuRequest(pod);
  READ.set(pod.annotations, read ?? NONE);
  return read;
}

const NONE = { problem: "" };
const READ = new WeakMap<object, GpuRequest | { readonly problem: string }>();

function readGpuRequest(pod: Pick<Pod, "annotations">): GpuRequest | { readonly problem: string } | undefined {
  const count = pod.annotations[GPU_COUNT];
  if (count === undefined || count === "0") return undefined;
  if (!/^\d+$/.test(count)) return { problem: `annotation ${GPU_COUNT} must be a whole number of cards, got ${JSON.stringify(count)}` };
  const milliText = pod.annotations[GPU_MILLI];
  if (milliText !== undefined && !/^\d+$/.test(milliText)) return { problem: `annotation ${GPU_MILLI} must be the milli-GPU of each card, a whole number, got ${JSON.stringify(milliText)}` };
  const gpuCount = Number(count);
  const gpuMilli = milliText === undefined ? MILLI_PER_GPU : Math.min(MILLI_PER_GPU, Number(milliText));
  if (gpuMilli === 0) return undefined;
  if (gpuCount > 1 && gpuMilli < MILLI_PER_GPU) return { problem: `a pod of ${gpuCount} cards takes them whole: ${GPU_MILLI} must be 1000, got ${gpuMilli}` };
  const models = (pod.annotations[GPU_MODEL_LABEL] ?? "").split("|").filter((model) => model !== "");
  return { gpuCount, gpuMilli, gpuModels: models };
}

/**
 * The idle milli-GPU of each of a node's cards: its allocatable count, less the share of each pod
 * on it bound to cards (`gpus`, and its request's milli per card).
 */
export function idleCards(node: Pick<Node, "allocatable">, pods: Iterable<{ readonly pod: Pick<Pod, "annotations">; readonly gpus?: readonly number[] }>): number[] {
  const idle = new Array<number>(node.allocatable[GPU_COUNT] ?? 0).fill(MILLI_PER_GPU);
  for (const { pod, gpus } of pods) {
    if (gpus === undefined || gpus.length === 0) continue;
    const request = gpuRequestOf(pod);
    if (request === undefined || "problem" in request) continue;
    for (const card of gpus) if (card < idle.length) idle[card] = (idle[card] as number) - request.gpuMilli;
  }
  return idle;
}
