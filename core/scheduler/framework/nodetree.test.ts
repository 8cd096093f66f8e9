/**
 * The node tree (backend/cache/node_tree.go, v1.35): nodes grouped by zone key (region:\0:zone,
 * the deprecated beta labels read first), zones in first-seen order, listed round-robin.
 */
import { describe, expect, it } from "vitest";
import type { Node } from "../../model/node.js";
import { makeNode } from "../../testing/builders.js";
import { addToTree, EMPTY_TREE, listTree, removeFromTree, zoneKey, type NodeTree } from "./nodetree.js";

const ZONE = "topology.kubernetes.io/zone";
const REGION = "topology.kubernetes.io/region";
const BETA_ZONE = "failure-domain.beta.kubernetes.io/zone";
const BETA_REGION = "failure-domain.beta.kubernetes.io/region";

const inZone = (name: string, zone: string): Node => makeNode(name, undefined, { labels: { [ZONE]: zone } });

type Step = readonly ["add" | "remove", Node];

function replay(steps: readonly Step[]): NodeTree {
  return steps.reduce((tree, [action, node]) => (action === "add" ? addToTree(tree, node) : removeFromTree(tree, node)), EMPTY_TREE);
}

describe("zoneKey", () => {
  const rows: Array<{ name: string; labels: Record<string, string>; key: string }> = [
    { name: "no topology labels: the zone \"\"", labels: {}, key: "" },
    { name: "a zone alone", labels: { [ZONE]: "a" }, key: ":\u0000:a" },
    { name: "a region alone", labels: { [REGION]: "r" }, key: "r:\u0000:" },
    { name: "region and zone", labels: { [REGION]: "r", [ZONE]: "a" }, key: "r:\u0000:a" },
    { name: "the beta zone label wins over the GA one", labels: { [BETA_ZONE]: "beta", [ZONE]: "ga" }, key: ":\u0000:beta" },
    { name: "the beta region label wins over the GA one", labels: { [BETA_REGION]: "old", [REGION]: "new", [ZONE]: "a" }, key: "old:\u0000:a" },
    // present but empty still wins (Go's `labels[k]` with ok)
    { name: "an empty beta label still wins", labels: { [BETA_ZONE]: "", [ZONE]: "a" }, key: "" },
  ];
  it.each(rows)("$name", ({ labels, key }) => {
    expect(zoneKey({ labels })).toBe(key);
  });
});

describe("node tree order", () => {
  const a1 = inZone("a1", "A");
  const a2 = inZone("a2", "A");
  const a3 = inZone("a3", "A");
  const b1 = inZone("b1", "B");
  const b2 = inZone("b2", "B");
  const c1 = inZone("c1", "C");
  const c2 = inZone("c2", "C");
  const bare1 = makeNode("bare1");
  const bare2 = makeNode("bare2");

  const rows: Array<{ name: string; steps: Step[]; order: string[] }> = [
    {
      name: "round-robin across zones in first-seen order",
      steps: [["add", a1], ["add", a2], ["add", b1], ["add", c1], ["add", a3], ["add", c2]],
      order: ["a1", "b1", "c1", "a2", "c2", "a3"],
    },
    { name: "within a zone, join order", steps: [["add", a3], ["add", a1], ["add", a2]], order: ["a3", "a1", "a2"] },
    {
      name: "a zone emptied and refilled goes last",
      steps: [["add", a1], ["add", b1], ["add", c1], ["add", a2], ["add", c2], ["remove", b1], ["add", b2]],
      order: ["a1", "c1", "b2", "a2", "c2"],
    },
    {
      name: "removing a node keeps its zone's place while others remain",
      steps: [["add", a1], ["add", b1], ["add", b2], ["add", c1], ["remove", b1]],
      order: ["a1", "b2", "c1"],
    },
    { name: "nodes without zone labels share one zone", steps: [["add", bare1], ["add", a1], ["add", bare2], ["add", a2]], order: ["bare1", "a1", "bare2", "a2"] },
    {
      name: "a node with beta and GA zone labels goes by the beta one",
      steps: [["add", a1], ["add", makeNode("mixed", undefined, { labels: { [BETA_ZONE]: "B", [ZONE]: "A" } })], ["add", b1]],
      order: ["a1", "mixed", "b1"],
    },
    { name: "an empty tree lists nothing", steps: [], order: [] },
  ];
  it.each(rows)("$name", ({ steps, order }) => {
    expect(listTree(replay(steps))).toEqual(order);
  });

  it("adding and removing return new trees and leave the old one as it was", () => {
    const tree = Object.freeze(replay([["add", a1], ["add", b1]]));
    const before = JSON.stringify(tree);
    addToTree(tree, a2);
    removeFromTree(tree, b1);
    expect(JSON.stringify(tree)).toBe(before);
  });
});
