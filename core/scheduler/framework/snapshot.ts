/**
 * The cycle's inputs built from a cluster state: a NodeInfo per node in kube's order and the
 * pod's CycleState. The reference engine builds them the obvious way, from scratch.
 */
import { podKey, type Pod } from "../../model/pod.js";
import { addResources, type ResourceList } from "../../model/resources.js";
import { aggregateContainerRequests, isPodLevelResource } from "../../model/requests.js";
import type { ClusterState, NodeState, PodState } from "../../reference/state.js";
import { hostPortsOf } from "../plugins/nodeports/index.js";
import { normalizedImageName } from "../plugins/imagelocality/index.js";
import { listTree, type NodeTree } from "./nodetree.js";
import type { CycleState, NodeInfo } from "./types.js";

/** kube's defaults for a container that requests no cpu or memory, when scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/**
 * The pod's request for scoring: like `podRequests`, but each container (init containers too)
 * that sets no cpu or memory request counts 100m / 200Mi. With pod-level requests, those replace
 * the aggregate and only the keys they leave out get the defaults. Worked example: containers
 * C1 {cpu 500m} and C2 {} and init I1 {cpu 2} → cpu max(500 + 100, 2000) = 2000m, memory
 * max(200Mi + 200Mi, 200Mi) = 400Mi.
 */
export function nonZeroRequest(pod: Pick<Pod, "containers" | "initContainers" | "resources" | "overhead">, request: ResourceList): ResourceList {
  const podLevel = pod.resources?.requests ?? {};
  const defaults: Record<string, number> = {};
  if (podLevel["cpu"] === undefined) defaults["cpu"] = DEFAULT_MILLI_CPU_REQUEST;
  if (podLevel["memory"] === undefined) defaults["memory"] = DEFAULT_MEMORY_REQUEST;
  const aggregate: Record<string, number> = { ...aggregateContainerRequests(pod, (container) => ({ ...defaults, ...container.requests })) };
  for (const [name, amount] of Object.entries(podLevel)) if (isPodLevelResource(name)) aggregate[name] = amount;
  const withOverhead = pod.overhead === undefined ? aggregate : addResources(aggregate, pod.overhead);
  return { ...request, cpu: withOverhead["cpu"] ?? 0, memory: withOverhead["memory"] ?? 0 };
}

/** The NodeInfo of one node, from the pods holding resources there. */
export function nodeInfo(state: ClusterState, node: NodeState): NodeInfo {
  let cpu = 0;
  let memory = 0;
  const usedPorts = [];
  for (const key of node.pods) {
    const pod = state.pods[key] as PodState;
    const nonZero = nonZeroRequest(pod.pod, pod.request);
    cpu += nonZero["cpu"] ?? 0;
    memory += nonZero["memory"] ?? 0;
    usedPorts.push(...hostPortsOf(pod.pod));
  }
  return { node: node.node, requested: node.requested, nonZeroRequested: { cpu, memory }, podCount: node.pods.length, usedPorts };
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
