/**
 * The cycle's inputs built from a cluster state: a NodeInfo per node in kube's order and the
 * pod's CycleState. The reference engine builds them the obvious way, from scratch.
 */
import { podKey, type Pod } from "../../model/pod.js";
import type { ResourceList } from "../../model/resources.js";
import { nonZeroRequest } from "../../model/requests.js";
import type { ClusterState, NodeState, PodState } from "../../reference/state.js";
import { hostPortsOf } from "../plugins/nodeports/index.js";
import { normalizedImageName } from "../plugins/imagelocality/index.js";
import { listTree, type NodeTree } from "./nodetree.js";
import type { CycleState, HostPort, NodeInfo } from "./types.js";

/** The NodeInfo of one node. Its used host ports are gathered only if a plugin asks (few pods want host ports). */
export function nodeInfo(state: ClusterState, node: NodeState): NodeInfo {
  let usedPorts: HostPort[] | undefined;
  return {
    node: node.node,
    requested: node.requested,
    nonZeroRequested: node.nonZeroRequested,
    podCount: node.pods.length,
    get usedPorts(): HostPort[] {
      usedPorts ??= node.pods.flatMap((key) => hostPortsOf((state.pods[key] as PodState).pod));
      return usedPorts;
    },
  };
}

/** Every node's NodeInfo, in kube's order. */
export function nodeInfos(state: ClusterState, tree: NodeTree): NodeInfo[] {
  return listTree(tree).map((name) => nodeInfo(state, state.nodes[name] as NodeState));
}

/** The pod's CycleState. `request` is what the pod counts against a node (by fitBy). */
export function cycleState(pod: Pod, request: ResourceList, nodes: readonly NodeInfo[]): CycleState {
  const imageNodeCounts = new Map<string, number>();
  const wanted = new Set([...pod.containers, ...pod.initContainers].map((container) => normalizedImageName(container.image)));
  for (const node of nodes) {
    for (const image of wanted) if (node.node.images?.[image] !== undefined) imageNodeCounts.set(image, (imageNodeCounts.get(image) ?? 0) + 1);
  }
  return {
    podKey: podKey(pod),
    pod,
    request,
    nonZeroRequest: nonZeroRequest(pod, request),
    hostPorts: hostPortsOf(pod),
    allNodes: nodes.length,
    imageNodeCounts,
  };
}
