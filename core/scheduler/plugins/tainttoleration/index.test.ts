/**
 * TaintToleration (v1.35): Toleration.ToleratesTaint, the filter on NoSchedule/NoExecute taints
 * ("node(s) had untolerated taint(s)", UnschedulableAndUnresolvable) and the score — untolerated
 * PreferNoSchedule taints counted, normalized in reverse so the fewest gets 100.
 */
import { describe, expect, it } from "vitest";
import type { Node, Taint, Toleration } from "../../../model/node.js";
import { makeNode, makePod } from "../../../testing/builders.js";
import { cycleState } from "../../framework/snapshot.js";
import type { CycleState, NodeInfo, Status } from "../../framework/types.js";
import { newTaintToleration, TAINT_REASON, tolerates } from "./index.js";

/** A NodeInfo of an empty node: taints are all this plugin reads. */
function emptyNode(node: Node): NodeInfo {
  return { node, requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, podCount: 0, usedPorts: [] };
}

function cycleFor(tolerations: Toleration[], nodes: readonly NodeInfo[]): CycleState {
  const pod = makePod("p", { cpu: "100m" }, { tolerations });
  return cycleState(pod, { cpu: 100 }, nodes);
}

const tainted = (...taints: Taint[]): NodeInfo => emptyNode(makeNode("node-1", undefined, { taints }));

describe("tolerates (ToleratesTaint)", () => {
  const gpu: Taint = { key: "gpu", value: "true", effect: "NoSchedule" };
  const rows: Array<{ name: string; toleration: Toleration; taint: Taint; expected: boolean }> = [
    { name: "Equal with the same key, value and effect", toleration: { key: "gpu", operator: "Equal", value: "true", effect: "NoSchedule" }, taint: gpu, expected: true },
    { name: "Equal with another value", toleration: { key: "gpu", operator: "Equal", value: "false", effect: "NoSchedule" }, taint: gpu, expected: false },
    { name: "Equal without a value against a taint with one", toleration: { key: "gpu", operator: "Equal" }, taint: gpu, expected: false },
    { name: "Equal without a value against a taint without one", toleration: { key: "gpu", operator: "Equal" }, taint: { key: "gpu", effect: "NoSchedule" }, expected: true },
    { name: "Exists ignores the value", toleration: { key: "gpu", operator: "Exists", effect: "NoSchedule" }, taint: gpu, expected: true },
    { name: "an empty effect matches every effect", toleration: { key: "gpu", operator: "Exists" }, taint: { ...gpu, effect: "NoExecute" }, expected: true },
    { name: "another effect does not match", toleration: { key: "gpu", operator: "Exists", effect: "PreferNoSchedule" }, taint: gpu, expected: false },
    { name: "another key does not match", toleration: { key: "disk", operator: "Exists" }, taint: gpu, expected: false },
    { name: "an empty key with Exists tolerates every taint", toleration: { operator: "Exists" }, taint: gpu, expected: true },
    { name: "an empty key with Exists still checks the effect", toleration: { operator: "Exists", effect: "NoExecute" }, taint: gpu, expected: false },
  ];
  it.each(rows)("$name", ({ toleration, taint, expected }) => {
    expect(tolerates(toleration, taint)).toBe(expected);
  });
});

describe("TaintToleration filter", () => {
  const plugin = newTaintToleration();
  const refused: Status = { code: "UnschedulableAndUnresolvable", reasons: [TAINT_REASON] };
  const ok: Status = { code: "Success", reasons: [] };
  const rows: Array<{ name: string; node: NodeInfo; tolerations: Toleration[]; status: Status }> = [
    { name: "an untainted node passes", node: tainted(), tolerations: [], status: ok },
    { name: "an untolerated NoSchedule taint refuses", node: tainted({ key: "dedicated", value: "db", effect: "NoSchedule" }), tolerations: [], status: refused },
    { name: "an untolerated NoExecute taint refuses", node: tainted({ key: "dedicated", effect: "NoExecute" }), tolerations: [], status: refused },
    { name: "an untolerated PreferNoSchedule taint does not refuse", node: tainted({ key: "dedicated", effect: "PreferNoSchedule" }), tolerations: [], status: ok },
    {
      name: "a tolerated NoSchedule taint passes",
      node: tainted({ key: "dedicated", value: "db", effect: "NoSchedule" }),
      tolerations: [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }],
      status: ok,
    },
    {
      name: "every NoSchedule/NoExecute taint must be tolerated",
      node: tainted({ key: "a", effect: "NoSchedule" }, { key: "b", effect: "NoExecute" }),
      tolerations: [{ key: "a", operator: "Exists" }],
      status: refused,
    },
    {
      name: "the reason does not name the taint (v1.35, PR #134740)",
      node: tainted({ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }),
      tolerations: [],
      status: { code: "UnschedulableAndUnresolvable", reasons: ["node(s) had untolerated taint(s)"] },
    },
    { name: "a toleration of everything passes every taint", node: tainted({ key: "a", effect: "NoSchedule" }, { key: "b", effect: "NoExecute" }), tolerations: [{ operator: "Exists" }], status: ok },
  ];
  it.each(rows)("$name", ({ node, tolerations, status }) => {
    expect(plugin.filter?.(cycleFor(tolerations, [node]), node)).toEqual(status);
  });
});

describe("TaintToleration score", () => {
  const plugin = newTaintToleration();
  const prefer = (key: string): Taint => ({ key, effect: "PreferNoSchedule" });

  const rawRows: Array<{ name: string; node: NodeInfo; tolerations: Toleration[]; count: number }> = [
    { name: "counts untolerated PreferNoSchedule taints", node: tainted(prefer("a"), prefer("b")), tolerations: [], count: 2 },
    { name: "NoSchedule taints are not counted", node: tainted({ key: "a", effect: "NoSchedule" }), tolerations: [{ key: "a", operator: "Exists" }], count: 0 },
    { name: "a toleration with an empty effect tolerates a PreferNoSchedule taint", node: tainted(prefer("a"), prefer("b")), tolerations: [{ key: "a", operator: "Exists" }], count: 1 },
    { name: "a PreferNoSchedule toleration tolerates it", node: tainted(prefer("a")), tolerations: [{ key: "a", operator: "Exists", effect: "PreferNoSchedule" }], count: 0 },
    // PreScore keeps only tolerations with an empty or PreferNoSchedule effect
    { name: "a NoSchedule toleration does not", node: tainted(prefer("a")), tolerations: [{ key: "a", operator: "Exists", effect: "NoSchedule" }], count: 1 },
  ];
  it.each(rawRows)("$name", ({ node, tolerations, count }) => {
    expect(plugin.score?.(cycleFor(tolerations, [node]), node)).toBe(count);
  });

  const normalizeRows: Array<{ name: string; counts: number[]; expected: number[] }> = [
    // max 2: 100 − 100·0/2 = 100, 100 − 100·1/2 = 50, 100 − 100·2/2 = 0
    { name: "fewest untolerated taints gets 100", counts: [0, 1, 2], expected: [100, 50, 0] },
    // max 3: 100 − 100·1/3 = 100 − 33 = 67; 100 − 100 = 0
    { name: "the scaled count is truncated before it is subtracted", counts: [1, 3], expected: [67, 0] },
    { name: "no untolerated taints anywhere: every node gets 100", counts: [0, 0], expected: [100, 100] },
  ];
  it.each(normalizeRows)("$name", ({ counts, expected }) => {
    const nodes = counts.map(() => tainted());
    const scores = [...counts];
    plugin.normalizeScore?.(cycleFor([], nodes), nodes, scores);
    expect(scores).toEqual(expected);
  });

  it("never skips scoring", () => {
    const node = tainted();
    expect(plugin.preScore?.(cycleFor([], [node]), [node]).code).toBe("Success");
  });
});
