/**
 * NodeResourcesBalancedAllocation: favours nodes whose resources stay balanced once the pod is
 * placed (noderesources/balanced_allocation.go). Uses the plain requests (no non-zero defaults);
 * Skip for a pod that requests none of the resources (best effort).
 *
 * v1.35 (the default): fractions requested/allocatable capped at 1; std = |f1 − f2| / 2 for two
 * resources, the population standard deviation for more; score = trunc((1 − std) × 100).
 * Worked example: cpu 3000/4000 = 0.75, memory 2Gi/8Gi = 0.25 → std 0.25 → 75.
 * v1.36 (option `formula: "v1.36"`): the change in balance, 50 + (50 + with − without) / 2,
 * "without" being the node's score before the pod.
 */
import { SKIP, SUCCESS, type CycleState, type NodeInfo, type Plugin } from "../../framework/types.js";
import { MAX_NODE_SCORE } from "../../framework/normalize.js";
import { allocatableAndRequested, counted, requestedWith, type ResourceSpec } from "../noderesourcesfit/score.js";

export const NODE_RESOURCES_BALANCED_ALLOCATION = "NodeResourcesBalancedAllocation";

export interface BalancedAllocationArgs {
  readonly resources: readonly ResourceSpec[];
  readonly formula: "v1.35" | "v1.36";
}

export const DEFAULT_BALANCED_ARGS: BalancedAllocationArgs = {
  resources: [{ name: "cpu", weight: 1 }, { name: "memory", weight: 1 }],
  formula: "v1.35",
};

/** trunc((1 − std) × 100) over the fractions of the resources the node has. */
export function balancedScore(requested: readonly number[], allocatable: readonly number[]): number {
  const fractions: number[] = [];
  for (let index = 0; index < requested.length; index++) {
    const capacity = allocatable[index] as number;
    if (capacity === 0) continue;
    fractions.push(Math.min((requested[index] as number) / capacity, 1));
  }
  let std = 0;
  if (fractions.length === 2) std = Math.abs(((fractions[0] as number) - (fractions[1] as number)) / 2);
  else if (fractions.length > 2) {
    const mean = fractions.reduce((sum, fraction) => sum + fraction, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((sum, fraction) => sum + (fraction - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/**
 * The v1.35 score without building arrays (it runs on every feasible node): the fractions are
 * computed twice, in the same order, so the arithmetic is `balancedScore`'s exactly.
 */
function balancedWithPod(resources: readonly ResourceSpec[], cycle: CycleState, node: NodeInfo): number {
  const fraction = (index: number): number => {
    const name = (resources[index] as ResourceSpec).name;
    const pod = cycle.request[name] ?? 0;
    const capacity = counted(node, name, pod);
    return capacity === 0 ? NaN : Math.min(requestedWith(node, name, pod, false) / capacity, 1);
  };
  let count = 0;
  let sum = 0;
  let first = 0;
  let second = 0;
  for (let index = 0; index < resources.length; index++) {
    const value = fraction(index);
    if (Number.isNaN(value)) continue;
    if (count === 0) first = value;
    else if (count === 1) second = value;
    sum += value;
    count++;
  }
  let std = 0;
  if (count === 2) std = Math.abs((first - second) / 2);
  else if (count > 2) {
    const mean = sum / count;
    let squares = 0;
    for (let index = 0; index < resources.length; index++) {
      const value = fraction(index);
      if (!Number.isNaN(value)) squares += (value - mean) ** 2;
    }
    std = Math.sqrt(squares / count);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export function newBalancedAllocation(args: BalancedAllocationArgs = DEFAULT_BALANCED_ARGS): Plugin {
  const podAmounts = (cycle: CycleState) => args.resources.map((resource) => cycle.request[resource.name] ?? 0);
  const isBestEffort = (cycle: CycleState) => args.resources.every((resource) => (cycle.request[resource.name] ?? 0) === 0);
  return {
    name: NODE_RESOURCES_BALANCED_ALLOCATION,
    preScore(cycle: CycleState) {
      return isBestEffort(cycle) ? SKIP : SUCCESS;
    },
    score(cycle: CycleState, node: NodeInfo) {
      // Without its PreScore (not enabled at preScore), kube's Score scores a best-effort pod 0 on every node.
      if (isBestEffort(cycle)) return 0;
      if (args.formula === "v1.35") return balancedWithPod(args.resources, cycle, node);
      const pod = podAmounts(cycle);
      const withPod = args.resources.map((resource, index) => allocatableAndRequested(node, resource.name, pod[index] as number, false));
      const scoreWith = balancedScore(withPod.map(([, requested]) => requested), withPod.map(([allocatable]) => allocatable));
      const without = args.resources.map((resource, index) => {
        const [allocatable, requested] = withPod[index] as [number, number];
        return [allocatable, requested - (pod[index] as number)] as const;
      });
      const scoreWithout = balancedScore(without.map(([, requested]) => requested), without.map(([allocatable]) => allocatable));
      return MAX_NODE_SCORE / 2 + Math.trunc((MAX_NODE_SCORE / 2 + scoreWith - scoreWithout) / 2);
    },
  };
}
