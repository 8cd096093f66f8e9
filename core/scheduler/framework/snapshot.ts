/**
 * The cycle's inputs built from a cluster state: a NodeInfo per node in kube's order and the
 * pod's CycleState. The reference engine builds them the obvious way, from scratch.
 */
import { podKey, type Pod } from "../../model/pod.js";
import type { ResourceList } from "../../model/resources.js";
import { nonZeroRequest } from "../../model/requests.js";
import type { ClusterState, NodeState, PodState } from "../../cluster/state.js";
import { hostPortsOf } from "../plugins/nodeports/index.js";
import { normalizedImageName } from "../plugins/imagelocality/index.js";
import { listTree, type NodeTree } from "./nodetree.js";
import type { CycleState, HostPort, NodeInfo, PodInfo } from "./types.js";
import { defaultSelector, type SpreadOwners } from "../plugins/podtopologyspread/defaults.js";
import { useDomainCounter } from "../plugins/podtopologyspread/index.js";
import { useAffinityCounter } from "../plugins/interpodaffinity/index.js";
import { isWorkload } from "../../cluster/objects.js";
import type { Service } from "../../model/policy.js";
import type { LabelSelector, Workload } from "../../model/workload.js";

/**
 * The NodeInfo of one node; `podOf` looks up the pods on it (either engine's state). Its used host
 * ports are gathered only if a plugin asks (few pods want host ports).
 */
export function nodeInfoOf(node: NodeState, podOf: (key: string) => PodState | undefined): NodeInfo {
  let usedPorts: HostPort[] | undefined;
  return {
    node: node.node,
    requested: node.requested,
    nonZeroRequested: node.nonZeroRequested,
    podCount: node.pods.length,
    get usedPorts(): HostPort[] {
      usedPorts ??= node.pods.flatMap((key) => hostPortsOf((podOf(key) as PodState).pod));
      return usedPorts;
    },
    // Read afresh each time: a pod may start terminating while its node's record stays the same.
    get pods(): PodInfo[] {
      return node.pods.map((key) => {
        const state = podOf(key) as PodState;
        return state.gpus === undefined ? { pod: state.pod, terminating: state.deletionDeadline !== undefined } : { pod: state.pod, terminating: state.deletionDeadline !== undefined, gpus: state.gpus };
      });
    },
  };
}

/** The NodeInfo of one node of a reference state. */
export function nodeInfo(state: ClusterState, node: NodeState): NodeInfo {
  return nodeInfoOf(node, (key) => state.pods[key]);
}

/** Every node's NodeInfo, in kube's order. */
export function nodeInfos(state: ClusterState, tree: NodeTree): NodeInfo[] {
  return listTree(tree).map((name) => nodeInfo(state, state.nodes[name] as NodeState));
}

/**
 * The pod's CycleState. `request` is what the pod counts against a node (by fitBy); `owners`,
 * when given, is where PodTopologySpread's default constraints find the pod's Services and
 * controller.
 */
export function cycleState(pod: Pod, request: ResourceList, nodes: readonly NodeInfo[], owners?: SpreadOwners): CycleState {
  const imageNodeCounts = new Map<string, number>();
  for (const image of wantedImages(pod)) {
    for (const node of nodes) if (node.node.images?.[image] !== undefined) imageNodeCounts.set(image, (imageNodeCounts.get(image) ?? 0) + 1);
  }
  const namespaces = owners?.namespaces;
  const cycle = cycleStateWith(pod, request, nodes.length, imageNodeCounts, () => nodes, owners === undefined ? undefined : () => defaultSelector(pod, owners), namespaces === undefined ? undefined : () => namespaces.call(owners));
  const counters = owners?.counters?.();
  if (counters !== undefined) {
    useDomainCounter(cycle, counters.spread);
    useAffinityCounter(cycle, counters.affinity);
  }
  return cycle;
}

/** A reference state's Services, workloads and Namespaces, for DefaultSelector and InterPodAffinity (a pass over the objects: the naive way). */
export function ownersOf(state: ClusterState): SpreadOwners {
  return {
    *services(namespace: string): Generator<Service> {
      for (const record of Object.values(state.objects)) if (record.object.kind === "Service" && record.object.namespace === namespace) yield record.object;
    },
    workload(kind: string, namespace: string, name: string): Workload | undefined {
      const object = state.objects[`${kind}/${namespace}/${name}`]?.object;
      return object !== undefined && isWorkload(object) ? object : undefined;
    },
    namespaces(): ReadonlyMap<string, Readonly<Record<string, string>>> {
      const labels = new Map<string, Readonly<Record<string, string>>>();
      for (const record of Object.values(state.objects)) if (record.object.kind === "Namespace") labels.set(record.object.name, record.object.labels);
      return labels;
    },
  };
}

/** The pod's images, normalized as nodes list them. */
export function wantedImages(pod: Pod): Set<string> {
  return new Set([...pod.containers, ...pod.initContainers].map((container) => normalizedImageName(container.image)));
}

/**
 * The pod's CycleState from counts kept elsewhere: `imageNodeCounts` says how many of the
 * `allNodes` nodes list each of the pod's images (entries for other images are ignored).
 */
export function cycleStateWith(pod: Pod, request: ResourceList, allNodes: number, imageNodeCounts: ReadonlyMap<string, number>, allNodeInfos?: () => readonly NodeInfo[], defaultSpreadSelector?: () => LabelSelector | undefined, namespaces?: () => ReadonlyMap<string, Readonly<Record<string, string>>>): CycleState {
  return {
    podKey: podKey(pod),
    pod,
    request,
    nonZeroRequest: nonZeroRequest(pod, request),
    hostPorts: hostPortsOf(pod),
    allNodes,
    imageNodeCounts,
    ...(allNodeInfos !== undefined ? { allNodeInfos } : {}),
    ...(defaultSpreadSelector !== undefined ? { defaultSpreadSelector } : {}),
    ...(namespaces !== undefined ? { namespaces } : {}),
  };
}
