/**
 * kube's node tree (scheduler/framework/nodetree.ts) as the fast state keeps it: zones in
 * first-seen order, and each zone's nodes in join order as a persistent vector with its length.
 * A node joining appends to its zone's vector in O(log n) — a batch changes in place what it
 * copied — where the reference's arrays are copied whole: a cluster growing one node per tick to
 * 20,000 nodes would otherwise copy 200 million names.
 *
 * A node leaving rebuilds its zone's vector (O(zone size)), as kube shifts the zone's list.
 */
import type { Node } from "../model/node.js";
import { zoneKey, type NodeTree } from "../scheduler/framework/nodetree.js";
import { PVec, type Edit } from "./pvec.js";

export interface ZoneMembers {
  readonly names: PVec<string>;
  readonly size: number;
}

export interface FastTree {
  readonly zones: readonly string[];
  readonly members: ReadonlyMap<string, ZoneMembers>;
}

export const EMPTY_FAST_TREE: FastTree = { zones: [], members: new Map() };

/** What a batch has copied of the tree so far, and so may change in place. */
export interface TreeOwnership {
  zones: boolean;
  members: boolean;
}

/** The tree after `node` joins (its zone appended if new); the zone's index and the node's place in the zone. */
export function joinZone(tree: FastTree, node: Pick<Node, "name" | "labels">, edit: Edit, owned: TreeOwnership): { tree: FastTree; zoneIndex: number; round: number } {
  const zone = zoneKey(node);
  const members = owned.members ? (tree.members as Map<string, ZoneMembers>) : new Map(tree.members);
  owned.members = true;
  let zones = tree.zones;
  const before = members.get(zone);
  let zoneIndex: number;
  if (before === undefined) {
    if (!owned.zones) zones = zones.slice();
    owned.zones = true;
    (zones as string[]).push(zone);
    zoneIndex = zones.length - 1;
  } else {
    zoneIndex = zones.indexOf(zone);
  }
  const size = before?.size ?? 0;
  members.set(zone, { names: (before?.names ?? PVec.empty<string>()).set(size, node.name, edit), size: size + 1 });
  return { tree: { zones, members }, zoneIndex, round: size };
}

/** The tree after `node` leaves: its zone's later nodes move up; a zone left empty is dropped. */
export function leaveZone(tree: FastTree, node: Pick<Node, "name" | "labels">, edit: Edit, owned: TreeOwnership): FastTree {
  const zone = zoneKey(node);
  const before = tree.members.get(zone);
  if (before === undefined) return tree;
  const members = owned.members ? (tree.members as Map<string, ZoneMembers>) : new Map(tree.members);
  owned.members = true;
  let names = PVec.empty<string>();
  let size = 0;
  for (let index = 0; index < before.size; index++) {
    const name = before.names.get(index) as string;
    if (name !== node.name) names = names.set(size++, name, edit);
  }
  if (size > 0) {
    members.set(zone, { names, size });
    return { zones: tree.zones, members };
  }
  members.delete(zone);
  owned.zones = true;
  return { zones: tree.zones.filter((other) => other !== zone), members };
}

/** The node names in kube's order: round-robin across zones (nodetree.ts `listTree`). */
export function treeOrder(tree: FastTree): string[] {
  const result: string[] = [];
  const zones = tree.zones.map((zone) => tree.members.get(zone) as ZoneMembers);
  const longest = Math.max(0, ...zones.map((members) => members.size));
  for (let round = 0; round < longest; round++) {
    for (const members of zones) if (round < members.size) result.push(members.names.get(round) as string);
  }
  return result;
}

/** The reference's record of the tree. */
export function toNodeTree(tree: FastTree): NodeTree {
  const nodesByZone: Record<string, string[]> = {};
  for (const zone of tree.zones) {
    const members = tree.members.get(zone) as ZoneMembers;
    nodesByZone[zone] = Array.from({ length: members.size }, (_, index) => members.names.get(index) as string);
  }
  return { zones: [...tree.zones], nodesByZone };
}
