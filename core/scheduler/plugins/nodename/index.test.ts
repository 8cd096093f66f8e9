/**
 * NodeName (v1.35): a pod naming a node (spec.nodeName) fits only there,
 * "node(s) didn't match the requested node name", UnschedulableAndUnresolvable.
 */
import { describe, expect, it } from "vitest";
import type { Pod } from "../../../model/pod.js";
import { makeNode, makePod } from "../../../testing/builders.js";
import { cycleState } from "../../framework/snapshot.js";
import type { NodeInfo, Status } from "../../framework/types.js";
import { NODE_NAME_REASON, newNodeName } from "./index.js";

const empty = (name: string): NodeInfo => ({ node: makeNode(name), requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, podCount: 0, usedPorts: [] });

describe("NodeName filter", () => {
  const plugin = newNodeName();
  const rows: Array<{ name: string; pod: Pod; node: NodeInfo; status: Status }> = [
    { name: "a pod naming no node fits anywhere", pod: makePod("p"), node: empty("node-1"), status: { code: "Success", reasons: [] } },
    { name: "a pod naming this node fits", pod: makePod("p", {}, { nodeName: "node-1" }), node: empty("node-1"), status: { code: "Success", reasons: [] } },
    {
      name: "a pod naming another node is refused for good",
      pod: makePod("p", {}, { nodeName: "node-2" }),
      node: empty("node-1"),
      status: { code: "UnschedulableAndUnresolvable", reasons: [NODE_NAME_REASON] },
    },
  ];
  it.each(rows)("$name", ({ pod, node, status }) => {
    expect(plugin.filter?.(cycleState(pod, {}, [node]), node)).toEqual(status);
  });

  it("the reason is kube's", () => {
    expect(NODE_NAME_REASON).toBe("node(s) didn't match the requested node name");
  });
});
