/**
 * How many feasible nodes kube-scheduler looks for before it stops filtering
 * (`numFeasibleNodesToFind`, schedule_one.go, v1.35): every node below 100 nodes; above, a
 * percentage — the profile's or the configuration's `percentageOfNodesToScore`, or when that is
 * 0 (the default) the adaptive 50 − nodes/125, at least 5 — and never fewer than 100.
 * Worked example: 5000 nodes → 50 − 40 = 10% → 500; 1000 nodes → 42% → 420; 150 nodes → 49% → 73 → 100.
 */

export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

export function numFeasibleNodesToFind(allNodes: number, percentageOfNodesToScore = 0): number {
  if (allNodes < MIN_FEASIBLE_NODES_TO_FIND) return allNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(allNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const nodes = Math.trunc((allNodes * percentage) / 100);
  return nodes < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : nodes;
}
