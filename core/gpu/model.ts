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
