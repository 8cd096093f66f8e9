/**
 * NodeAffinity (v1.35): nodeSelector and required node affinity filter nodes
 * ("node(s) didn't match Pod's node affinity/selector", UnschedulableAndUnresolvable); preferred
 * terms score Σ weights of the terms a node matches, normalized so the best node gets 100.
 * PreFilter skips the filter for a pod with neither nodeSelector nor required affinity; PreScore
 * skips the score for a pod without preferred terms.
 */
import { describe, expect, it } from "vitest";
import type { Node, NodeAffinity, NodeSelectorRequirement, NodeSelectorTerm } from "../../../model/node.js";
import type { Pod } from "../../../model/pod.js";
import { makeNode, makePod } from "../../../testing/builders.js";
import { cycleState } from "../../framework/snapshot.js";
import type { CycleState, NodeInfo, Status, StatusCode } from "../../framework/types.js";
import { NODE_AFFINITY_REASON, newNodeAffinity } from "./index.js";

function emptyNode(node: Node): NodeInfo {
  return { node, requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, podCount: 0, usedPorts: [] };
}

function cycleFor(pod: Pod, nodes: readonly NodeInfo[]): CycleState {
  return cycleState(pod, { cpu: 100 }, nodes);
}

const labelled = (labels: Record<string, string>, name = "node-1"): NodeInfo => emptyNode(makeNode(name, undefined, { labels }));
const expr = (key: string, operator: NodeSelectorRequirement["operator"], ...values: string[]): NodeSelectorRequirement => ({ key, operator, values });
const term = (...matchExpressions: NodeSelectorRequirement[]): NodeSelectorTerm => ({ matchExpressions, matchFields: [] });
const fields = (...matchFields: NodeSelectorRequirement[]): NodeSelectorTerm => ({ matchExpressions: [], matchFields });
const requiring = (...required: NodeSelectorTerm[]): Pod => makePod("p", { cpu: "100m" }, { nodeAffinity: { required, preferred: [] } });
const selecting = (nodeSelector: Record<string, string>, nodeAffinity?: NodeAffinity): Pod =>
  makePod("p", { cpu: "100m" }, { nodeSelector, ...(nodeAffinity ? { nodeAffinity } : {}) });

describe("NodeAffinity filter", () => {
  const plugin = newNodeAffinity();
  const ok: Status = { code: "Success", reasons: [] };
  const refused: Status = { code: "UnschedulableAndUnresolvable", reasons: [NODE_AFFINITY_REASON] };
  const ssdInA = labelled({ disk: "ssd", zone: "a", cores: "8" });

  const rows: Array<{ name: string; pod: Pod; node: NodeInfo; status: Status }> = [
    { name: "nodeSelector: every label matches", pod: selecting({ disk: "ssd", zone: "a" }), node: ssdInA, status: ok },
    { name: "nodeSelector: one label differs", pod: selecting({ disk: "ssd", zone: "b" }), node: ssdInA, status: refused },
    { name: "nodeSelector: a label the node lacks", pod: selecting({ gpu: "true" }), node: ssdInA, status: refused },
    {
      name: "nodeSelector and required affinity must both match",
      pod: selecting({ disk: "ssd" }, { required: [term(expr("zone", "In", "b"))], preferred: [] }),
      node: ssdInA,
      status: refused,
    },
    { name: "required terms are ORed: the second matches", pod: requiring(term(expr("zone", "In", "b")), term(expr("zone", "In", "a"))), node: ssdInA, status: ok },
    { name: "requirements in a term are ANDed: one fails", pod: requiring(term(expr("zone", "In", "a"), expr("disk", "In", "hdd"))), node: ssdInA, status: refused },
    { name: "an empty term matches nothing", pod: requiring(term()), node: ssdInA, status: refused },
    { name: "an empty term ORed with a matching term", pod: requiring(term(), term(expr("zone", "Exists"))), node: ssdInA, status: ok },
    { name: "required affinity with no terms matches nothing", pod: requiring(), node: ssdInA, status: refused },
    { name: "In: one of the values", pod: requiring(term(expr("zone", "In", "b", "a"))), node: ssdInA, status: ok },
    { name: "In: the node lacks the label", pod: requiring(term(expr("gpu", "In", "true"))), node: ssdInA, status: refused },
    { name: "NotIn: the value is listed", pod: requiring(term(expr("zone", "NotIn", "a"))), node: ssdInA, status: refused },
    { name: "NotIn: a node without the label matches", pod: requiring(term(expr("gpu", "NotIn", "true"))), node: ssdInA, status: ok },
    { name: "Exists", pod: requiring(term(expr("disk", "Exists"))), node: ssdInA, status: ok },
    { name: "Exists: the node lacks the label", pod: requiring(term(expr("gpu", "Exists"))), node: ssdInA, status: refused },
    { name: "DoesNotExist", pod: requiring(term(expr("gpu", "DoesNotExist"))), node: ssdInA, status: ok },
    { name: "DoesNotExist: the node has the label", pod: requiring(term(expr("disk", "DoesNotExist"))), node: ssdInA, status: refused },
    // 8 > 4 as integers
    { name: "Gt compares as integers", pod: requiring(term(expr("cores", "Gt", "4"))), node: ssdInA, status: ok },
    // as strings "8" > "16", as integers 8 < 16
    { name: "Gt is not a string comparison", pod: requiring(term(expr("cores", "Gt", "16"))), node: ssdInA, status: refused },
    { name: "Gt is strict", pod: requiring(term(expr("cores", "Gt", "8"))), node: ssdInA, status: refused },
    { name: "Lt compares as integers", pod: requiring(term(expr("cores", "Lt", "16"))), node: ssdInA, status: ok },
    { name: "Gt on a label that is not an integer never matches", pod: requiring(term(expr("zone", "Gt", "0"))), node: ssdInA, status: refused },
    { name: "Lt on a missing label never matches", pod: requiring(term(expr("gpus", "Lt", "1"))), node: ssdInA, status: refused },
    { name: "matchFields metadata.name In: the named node", pod: requiring(fields(expr("metadata.name", "In", "node-1"))), node: ssdInA, status: ok },
    { name: "matchFields metadata.name In: another node", pod: requiring(fields(expr("metadata.name", "In", "node-2"))), node: ssdInA, status: refused },
    { name: "matchFields metadata.name NotIn", pod: requiring(fields(expr("metadata.name", "NotIn", "node-1"))), node: ssdInA, status: refused },
    {
      name: "matchFields and matchExpressions in one term are ANDed",
      pod: requiring({ matchExpressions: [expr("zone", "In", "b")], matchFields: [expr("metadata.name", "In", "node-1")] }),
      node: ssdInA,
      status: refused,
    },
  ];
  it.each(rows)("$name", ({ pod, node, status }) => {
    expect(plugin.filter?.(cycleFor(pod, [node]), node)).toEqual(status);
  });

  const preFilterRows: Array<{ name: string; pod: Pod; code: StatusCode }> = [
    { name: "no nodeSelector and no required affinity: Skip", pod: makePod("p"), code: "Skip" },
    { name: "only preferred terms: Skip", pod: makePod("p", {}, { nodeAffinity: { preferred: [{ weight: 1, preference: term(expr("zone", "Exists")) }] } }), code: "Skip" },
    { name: "a nodeSelector: filtered", pod: selecting({ zone: "a" }), code: "Success" },
    { name: "required affinity: filtered", pod: requiring(term(expr("zone", "Exists"))), code: "Success" },
  ];
  it.each(preFilterRows)("PreFilter: $name", ({ pod, code }) => {
    expect(plugin.preFilter?.(cycleFor(pod, [ssdInA])).code).toBe(code);
  });
});

describe("NodeAffinity score", () => {
  const plugin = newNodeAffinity();
  const preferring = (...preferred: Array<[number, NodeSelectorTerm]>): Pod =>
    makePod("p", { cpu: "100m" }, { nodeAffinity: { preferred: preferred.map(([weight, preference]) => ({ weight, preference })) } });
  const pod = preferring([30, term(expr("zone", "In", "a"))], [70, term(expr("disk", "In", "ssd"))]);
  const plain = labelled({}, "plain");
  const inA = labelled({ zone: "a" }, "in-a");
  const ssd = labelled({ disk: "ssd" }, "ssd");
  const both = labelled({ zone: "a", disk: "ssd" }, "both");

  const rows: Array<{ name: string; nodes: NodeInfo[]; raw: number[]; normalized: number[] }> = [
    // raw [0, 30, 70], max 70: 0, 100·30/70 = 3000/70 = 42.86 → 42, 100
    { name: "the notes' example: the best node gets 100, others are scaled and truncated", nodes: [plain, inA, ssd], raw: [0, 30, 70], normalized: [0, 42, 100] },
    // a node matching both terms adds their weights: 100; max 100 → unchanged
    { name: "matching terms add up", nodes: [inA, ssd, both], raw: [30, 70, 100], normalized: [30, 70, 100] },
    // nobody matches: every score stays 0 (not reversed)
    { name: "no node matches: all stay 0", nodes: [plain, labelled({ zone: "b" }, "in-b")], raw: [0, 0], normalized: [0, 0] },
  ];
  it.each(rows)("$name", ({ nodes, raw, normalized }) => {
    const cycle = cycleFor(pod, nodes);
    const scores = nodes.map((node) => plugin.score?.(cycle, node) as number);
    expect(scores).toEqual(raw);
    plugin.normalizeScore?.(cycle, nodes, scores);
    expect(scores).toEqual(normalized);
  });

  it("an empty preference term matches nothing", () => {
    const emptyPreference = preferring([50, term()]);
    expect(plugin.score?.(cycleFor(emptyPreference, [both]), both)).toBe(0);
  });

  const preScoreRows: Array<{ name: string; pod: Pod; code: StatusCode }> = [
    { name: "no preferred terms: Skip", pod: makePod("p"), code: "Skip" },
    { name: "only required terms: Skip", pod: requiring(term(expr("zone", "Exists"))), code: "Skip" },
    { name: "preferred terms: scored", pod, code: "Success" },
  ];
  it.each(preScoreRows)("PreScore: $name", ({ pod: incoming, code }) => {
    expect(plugin.preScore?.(cycleFor(incoming, [plain]), [plain]).code).toBe(code);
  });
});
