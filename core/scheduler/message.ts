/**
 * kube-scheduler's FailedScheduling text (`FitError.Error()`, v1.35):
 *
 *   0/<all nodes> nodes are available: <count> <reason>, <count> <reason>.
 *
 * Each node contributes each of its reasons once; entries are "<count> <reason>" strings sorted
 * as plain strings (so "10 Insufficient cpu" sorts before "2 Insufficient memory", as in kube).
 */

export const NO_NODES_AVAILABLE = "no nodes available to schedule pods";

/**
 * The message for a pod no node accepted; `reasonsByNode` holds each node's distinct reasons, and
 * `absentReason` is that of every other node (kube's AbsentNodesStatus), if any.
 */
export function fitErrorMessage(allNodes: number, reasonsByNode: ReadonlyMap<string, readonly string[]>, absentReason?: string): string {
  const counts = new Map<string, number>();
  for (const reasons of reasonsByNode.values()) {
    for (const reason of new Set(reasons)) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  // kube's absent-nodes status: each node without an entry counts once with this reason.
  if (absentReason !== undefined && reasonsByNode.size < allNodes) counts.set(absentReason, (counts.get(absentReason) ?? 0) + allNodes - reasonsByNode.size);
  return fitErrorFromCounts(allNodes, counts);
}

/** The same message from the number of nodes giving each reason (each node counted once per reason). */
export function fitErrorFromCounts(allNodes: number, counts: ReadonlyMap<string, number>): string {
  const entries = [...counts].map(([reason, count]) => `${count} ${reason}`).sort();
  return `0/${allNodes} nodes are available: ${entries.join(", ")}.`;
}
