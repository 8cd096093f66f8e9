/**
 * The order kube-scheduler walks nodes in (backend/cache/node_tree.go): nodes grouped by zone,
 * zones in the order they were first seen, nodes within a zone in the order they joined, listed
 * round-robin across zones — A=[a1,a2,a3], B=[b1], C=[c1,c2] → a1, b1, c1, a2, c2, a3. This
 * matters only when kube samples (100 nodes or more): which nodes it filters first.
 *
 * The zone key is region + ":\0:" + zone from the topology labels (the deprecated beta labels
 * first, as kube reads them); a node with neither is in the zone "".
 */
import type { Node } from "../../model/node.js";
import { EMPTY_TREE, zoneKey, type NodeTree } from "../../cluster/node-tree.js";

export { EMPTY_TREE, zoneKey, type NodeTree };

/** The tree after `node` joins: appended to its zone, the zone appended if new. */
export function addToTree(tree: NodeTree, node: Pick<Node, "name" | "labels">): NodeTree {
  const zone = zoneKey(node);
  const members = tree.nodesByZone[zone];
  return {
    zones: members === undefined ? [...tree.zones, zone] : tree.zones,
    nodesByZone: { ...tree.nodesByZone, [zone]: [...(members ?? []), node.name] },
  };
}

/** The tree after `node` leaves: a zone left empty is dropped (and goes last if it comes back). */
export function removeFromTree(tree: NodeTree, node: Pick<Node, "name" | "labels">): NodeTree {
  const zone = zoneKey(node);
  const remaining = (tree.nodesByZone[zone] ?? []).filter((name) => name !== node.name);
  const nodesByZone: Record<string, readonly string[]> = { ...tree.nodesByZone };
  if (remaining.length === 0) {
    delete nodesByZone[zone];
    return { zones: tree.zones.filter((other) => other !== zone), nodesByZone };
  }
  nodesByZone[zone] = remaining;
  return { zones: tree.zones, nodesByZone };
}

/** The nodes in kube's order: round-robin across zones. */
export function listTree(tree: NodeTree): string[] {
  const result: string[] = [];
  const longest = Math.max(0, ...tree.zones.map((zone) => tree.nodesByZone[zone]?.length ?? 0));
  for (let index = 0; index < longest; index++) {
    for (const zone of tree.zones) {
      const name = tree.nodesByZone[zone]?.[index];
      if (name !== undefined) result.push(name);
    }
  }
  return result;
}
