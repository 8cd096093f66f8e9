/**
 * The fast node tree against its twin, the reference's (addToTree, removeFromTree, listTree):
 * random joins and leaves in batches, every earlier version unchanged.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addToTree, EMPTY_TREE, listTree, removeFromTree, zoneKey, type NodeTree } from "../scheduler/framework/nodetree.js";
import { Edit } from "./pvec.js";
import { EMPTY_FAST_TREE, joinZone, leaveZone, toNodeTree, treeOrder, type FastTree, type TreeOwnership } from "./zones.js";

const node = (name: string, zone: string): { name: string; labels: Record<string, string> } => ({ name, labels: zone === "" ? {} : { "topology.kubernetes.io/zone": zone } });

describe("the fast node tree", () => {
  it("equals the reference's tree after random joins and leaves, batch by batch, and keeps its earlier versions", () => {
    const step = fc.tuple(fc.boolean(), fc.nat(11), fc.constantFrom("", "a", "b", "c"), fc.nat(4));
    fc.assert(fc.property(fc.array(step, { maxLength: 120 }), (script) => {
      let fast: FastTree = EMPTY_FAST_TREE;
      let reference: NodeTree = EMPTY_TREE;
      const zoneOf = new Map<string, string>();
      let edit = new Edit();
      let owned: TreeOwnership = { zones: false, members: false };
      const versions: { fast: FastTree; text: string }[] = [];
      for (const [join, which, zone, endBatch] of script) {
        const name = `node-${which}`;
        if (join && !zoneOf.has(name)) {
          const spec = node(name, zone);
          const joined = joinZone(fast, spec, edit, owned);
          const members = reference.nodesByZone[zoneKey(spec)] ?? [];
          reference = addToTree(reference, spec);
          // Its zone's number (first-seen order) and its place in the zone: kube's round.
          expect(joined.zoneIndex).toBe(reference.zones.indexOf(zoneKey(spec)));
          expect(joined.round).toBe(members.length);
          fast = joined.tree;
          zoneOf.set(name, zone);
        } else if (!join && zoneOf.has(name)) {
          const spec = node(name, zoneOf.get(name) as string);
          fast = leaveZone(fast, spec, edit, owned);
          reference = removeFromTree(reference, spec);
          zoneOf.delete(name);
        }
        expect(toNodeTree(fast)).toEqual(reference);
        expect(treeOrder(fast)).toEqual(listTree(reference));
        if (endBatch === 0) {
          // Seal: the next batch owns nothing, and this version must never change.
          edit.sealed = true;
          edit = new Edit();
          owned = { zones: false, members: false };
          versions.push({ fast, text: JSON.stringify(toNodeTree(fast)) });
        }
      }
      for (const version of versions) expect(JSON.stringify(toNodeTree(version.fast))).toBe(version.text);
    }));
  });
});
