/**
 * NodeResourcesFit's scoring strategies (noderesources/resource_allocation.go, least_allocated.go,
 * most_allocated.go, requested_to_capacity_ratio.go, v1.35), in Kubernetes' integer arithmetic.
 *
 * For each configured resource: requested = what the node's pods request + what this pod
 * requests — for cpu and memory with the non-zero defaults (100m, 200Mi per container that sets
 * no request), for others the plain requests. A resource the node does not have (allocatable 0),
 * or an extended resource the pod does not request, is left out of the average.
 */
import type { CycleState, NodeInfo } from "../../framework/types.js";
import { MAX_NODE_SCORE } from "../../framework/normalize.js";

export type ScoringStrategyType = "LeastAllocated" | "MostAllocated" | "RequestedToCapacityRatio";

export interface ResourceSpec {
  readonly name: string;
  readonly weight: number;
}

/** A point of RequestedToCapacityRatio's shape: utilization 0–100 → score 0–10. */
export interface ShapePoint {
  readonly utilization: number;
  readonly score: number;
}

export interface ScoringStrategy {
  readonly type: ScoringStrategyType;
  readonly resources: readonly ResourceSpec[];
  readonly shape?: readonly ShapePoint[];
}

/** Kube's default: LeastAllocated over cpu and memory, weight 1 each. */
export const DEFAULT_SCORING_STRATEGY: ScoringStrategy = {
  type: "LeastAllocated",
  resources: [{ name: "cpu", weight: 1 }, { name: "memory", weight: 1 }],
};

/** (allocatable, requested) of one resource on `node` with the pod placed, or (0, 0) to leave it out. */
export function allocatableAndRequested(node: NodeInfo, resource: string, podRequest: number, useNonZero: boolean): [number, number] {
  const allocatable = counted(node, resource, podRequest);
  return allocatable === 0 ? [0, 0] : [allocatable, requestedWith(node, resource, podRequest, useNonZero)];
}

/** The allocatable the score counts for one resource, or 0 to leave the resource out (what `allocatableAndRequested` gives first, without an array per call). */
export function counted(node: NodeInfo, resource: string, podRequest: number): number {
  if (resource === "cpu" || resource === "memory") return node.node.allocatable[resource] ?? 0;
  // Scalar resources (extended, hugepages …) the pod does not request are left out.
  const scalar = resource !== "ephemeral-storage" && resource !== "pods";
  if (podRequest === 0 && scalar) return 0;
  return node.node.allocatable[resource] ?? 0;
}

/** What the node's pods and this one request of the resource (cpu and memory with non-zero defaults if asked). */
export function requestedWith(node: NodeInfo, resource: string, podRequest: number, useNonZero: boolean): number {
  if (useNonZero && (resource === "cpu" || resource === "memory")) return node.nonZeroRequested[resource] + podRequest;
  return (node.requested[resource] ?? 0) + podRequest;
}

/** ((capacity − requested) × 100) / capacity, 0 when over capacity. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** (min(requested, capacity) × 100) / capacity. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return Math.trunc((Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity);
}

/**
 * RequestedToCapacityRatio's broken-linear function over the shape (scores scaled ×10 to 0–100),
 * with Go's truncating division: between points (u0, s0) and (u1, s1),
 * s0 + (s1 − s0) × (p − u0) / (u1 − u0). Worked example, shape {0:10, 30:0} → {0:100, 30:0},
 * p = 10 → 100 + (−100 × 10) / 30 = 100 − 33 = 67.
 */
export function brokenLinear(shape: readonly ShapePoint[], utilization: number): number {
  const points = shape.map((point) => ({ utilization: point.utilization, score: point.score * 10 }));
  for (let index = 0; index < points.length; index++) {
    const point = points[index] as { utilization: number; score: number };
    if (utilization <= point.utilization) {
      if (index === 0) return point.score;
      const previous = points[index - 1] as { utilization: number; score: number };
      return previous.score + Math.trunc(((point.score - previous.score) * (utilization - previous.utilization)) / (point.utilization - previous.utilization));
    }
  }
  return (points[points.length - 1] as { score: number }).score;
}

/** The node's score under `strategy` for the pod of `cycle`. */
export function fitScore(strategy: ScoringStrategy, cycle: CycleState, node: NodeInfo): number {
  let nodeScore = 0;
  let weightSum = 0;
  for (const resource of strategy.resources) {
    const podRequest = cycle.nonZeroRequest[resource.name] ?? 0;
    const allocatable = counted(node, resource.name, podRequest);
    if (allocatable === 0) continue;
    const requested = requestedWith(node, resource.name, podRequest, true);
    let resourceScore: number;
    switch (strategy.type) {
      case "LeastAllocated":
        resourceScore = leastRequestedScore(requested, allocatable);
        break;
      case "MostAllocated":
        resourceScore = mostRequestedScore(requested, allocatable);
        break;
      case "RequestedToCapacityRatio": {
        const utilization = requested > allocatable ? 100 : Math.trunc((requested * 100) / allocatable);
        resourceScore = brokenLinear(strategy.shape ?? [], utilization);
        // Kube leaves resources that score 0 out of this strategy's average.
        if (resourceScore <= 0) continue;
        break;
      }
      default: {
        const unreachable: never = strategy.type;
        throw new Error(`unknown scoring strategy ${String(unreachable)}`);
      }
    }
    nodeScore += resourceScore * resource.weight;
    weightSum += resource.weight;
  }
  if (weightSum === 0) return 0;
  if (strategy.type === "RequestedToCapacityRatio") return roundHalfAwayFromZero(nodeScore / weightSum);
  return Math.trunc(nodeScore / weightSum);
}

/** Go's math.Round. */
function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}
