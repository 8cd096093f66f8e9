/** NodeName: a pod that names a node (spec.nodeName) fits only there. */
import { SUCCESS, unresolvable, type CycleState, type NodeInfo, type Plugin } from "../../framework/types.js";

export const NODE_NAME = "NodeName";
export const NODE_NAME_REASON = "node(s) didn't match the requested node name";

export function newNodeName(): Plugin {
  return {
    name: NODE_NAME,
    filter(cycle: CycleState, node: NodeInfo) {
      const wanted = cycle.pod.nodeName;
      return wanted === undefined || wanted === node.node.name ? SUCCESS : unresolvable(NODE_NAME_REASON);
    },
  };
}
