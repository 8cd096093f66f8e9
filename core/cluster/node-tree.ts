/**
 * The shape of kube-scheduler's node tree as the cluster's records hold it (data only; the
 * scheduler's framework/nodetree.ts adds, removes and lists): zones in first-seen order, each
 * with its nodes in join order. The zone key is region + ":\0:" + zone from the topology labels
 * (the deprecated beta labels first, as kube reads them); a node with neither is in the zone "".
 */
import type { Node } from "../model/node.js";

export function zoneKey(node: Pick<Node, "labels">): string {
  const zone = node.labels["failure-domain.beta.kubernetes.io/zone"] ?? node.labels["topology.kubernetes.io/zone"] ?? "";
  const region = node.labels["failure-domain.beta.kubernetes.io/region"] ?? node.labels["topology.kubernetes.io/region"] ?? "";
  return region === "" && zone === "" ? "" : `${region}:\u0000:${zone}`;
}

/** The tree's content: zones in first-seen order, each with its nodes in join order. */
export interface NodeTree {
  readonly zones: readonly string[];
  readonly nodesByZone: Readonly<Record<string, readonly string[]>>;
}

export const EMPTY_TREE: NodeTree = { zones: [], nodesByZone: {} };
