/**
 * NodeUnschedulable (v1.35): a cordoned node refuses pods that do not tolerate the taint
 * {key: node.kubernetes.io/unschedulable, effect: NoSchedule} (no value), with
 * "node(s) were unschedulable", UnschedulableAndUnresolvable.
 */
import { describe, expect, it } from "vitest";
import type { Toleration } from "../../../model/node.js";
import { makeNode, makePod } from "../../../testing/builders.js";
import { cycleState } from "../../framework/snapshot.js";
import type { NodeInfo, Status } from "../../framework/types.js";
import { NODE_UNSCHEDULABLE_REASON, UNSCHEDULABLE_TAINT_KEY, newNodeUnschedulable } from "./index.js";

const nodeInfo = (unschedulable: boolean): NodeInfo => ({
  node: makeNode("node-1", undefined, { unschedulable }),
  requested: {},
  nonZeroRequested: { cpu: 0, memory: 0 },
  podCount: 0,
  usedPorts: [],
});

describe("NodeUnschedulable filter", () => {
  const plugin = newNodeUnschedulable();
  const ok: Status = { code: "Success", reasons: [] };
  const refused: Status = { code: "UnschedulableAndUnresolvable", reasons: [NODE_UNSCHEDULABLE_REASON] };
  const key = UNSCHEDULABLE_TAINT_KEY;

  const rows: Array<{ name: string; cordoned: boolean; tolerations: Toleration[]; status: Status }> = [
    { name: "a schedulable node takes any pod", cordoned: false, tolerations: [], status: ok },
    { name: "a cordoned node refuses a pod without tolerations", cordoned: true, tolerations: [], status: refused },
    { name: "Exists on the key with effect NoSchedule tolerates it", cordoned: true, tolerations: [{ key, operator: "Exists", effect: "NoSchedule" }], status: ok },
    { name: "Exists on the key with an empty effect tolerates it", cordoned: true, tolerations: [{ key, operator: "Exists" }], status: ok },
    { name: "Exists with an empty key tolerates it", cordoned: true, tolerations: [{ operator: "Exists" }], status: ok },
    // the taint has no value, and Equal with no value compares "" == ""
    { name: "Equal on the key with no value tolerates it", cordoned: true, tolerations: [{ key, operator: "Equal", effect: "NoSchedule" }], status: ok },
    { name: "Equal on the key with a value does not", cordoned: true, tolerations: [{ key, operator: "Equal", value: "true", effect: "NoSchedule" }], status: refused },
    { name: "another effect does not", cordoned: true, tolerations: [{ key, operator: "Exists", effect: "NoExecute" }], status: refused },
    { name: "an empty key with another effect does not", cordoned: true, tolerations: [{ operator: "Exists", effect: "PreferNoSchedule" }], status: refused },
    { name: "another key does not", cordoned: true, tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists" }], status: refused },
  ];
  it.each(rows)("$name", ({ cordoned, tolerations, status }) => {
    const node = nodeInfo(cordoned);
    const pod = makePod("p", {}, { tolerations });
    expect(plugin.filter?.(cycleState(pod, {}, [node]), node)).toEqual(status);
  });
});
