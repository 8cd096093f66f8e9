/**
 * NodeUnschedulable's filter (v1.35): a cordoned node (`spec.unschedulable`) takes no new pods,
 * unless the pod tolerates the `node.kubernetes.io/unschedulable:NoSchedule` taint.
 */
import type { Node, Toleration } from "../../../model/node.js";
import { SUCCESS, unresolvable, type CycleState, type NodeInfo, type Plugin } from "../../framework/types.js";

export const NODE_UNSCHEDULABLE = "NodeUnschedulable";
export const NODE_UNSCHEDULABLE_REASON = "node(s) were unschedulable";
export const UNSCHEDULABLE_TAINT_KEY = "node.kubernetes.io/unschedulable";

export function toleratesUnschedulable(tolerations: readonly Toleration[]): boolean {
  return tolerations.some(
    (toleration) =>
      (toleration.effect === undefined || toleration.effect === "NoSchedule") &&
      ((toleration.key === undefined && toleration.operator === "Exists") ||
        (toleration.key === UNSCHEDULABLE_TAINT_KEY && (toleration.operator === "Exists" || toleration.value === undefined))),
  );
}

/** The reason the node is refused, or undefined if the pod may go there. */
export function unschedulableNodeReason(node: Pick<Node, "unschedulable">, tolerations: readonly Toleration[]): string | undefined {
  return node.unschedulable && !toleratesUnschedulable(tolerations) ? NODE_UNSCHEDULABLE_REASON : undefined;
}

/** The plugin: filters out cordoned nodes the pod does not tolerate. */
export function newNodeUnschedulable(): Plugin {
  return {
    name: NODE_UNSCHEDULABLE,
    filter(cycle: CycleState, node: NodeInfo) {
      const reason = unschedulableNodeReason(node.node, cycle.pod.tolerations);
      return reason === undefined ? SUCCESS : unresolvable(reason);
    },
  };
}
