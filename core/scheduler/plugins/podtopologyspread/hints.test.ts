/**
 * PodTopologySpread's queueing hints (plugin.go isSchedulableAfterNodeChange and
 * isSchedulableAfterPodChange, v1.35), kube's plugin_test.go rows that Timoneiro's events can
 * express: a node joins or leaves (Add, Delete), a node's taints change (UpdateNodeTaint), an
 * assigned pod appears (PodBound) or goes (ResourcesFreed). Label updates have no event here.
 *
 * "single" is a pod {foo} with SC(1, zone, DoNotSchedule, foo Exists); "two" adds SC(1, node,
 * DoNotSchedule, foo Exists).
 */
import { describe, expect, it } from "vitest";
import type { PodState } from "../../../cluster/state.js";
import type { ClusterEvent } from "../../../events/events.js";
import type { Node } from "../../../model/node.js";
import type { Pod } from "../../../model/pod.js";
import type { TopologySpreadConstraint } from "../../../model/spread.js";
import { makeNode, makePod } from "../../../testing/builders.js";
import { hintSaysQueue, isRequeueEvent } from "../../hints.js";
import { POD_TOPOLOGY_SPREAD } from "./index.js";

const FOO = { matchLabels: {}, matchExpressions: [{ key: "foo", operator: "Exists" as const, values: [] }] };
const hardOn = (topologyKey: string): TopologySpreadConstraint => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: "DoNotSchedule", labelSelector: FOO, matchLabelKeys: [] });
const single = makePod("p", { cpu: "100m" }, { labels: { foo: "" }, topologySpreadConstraints: [hardOn("zone")] });
const two = makePod("p", { cpu: "100m" }, { labels: { foo: "" }, topologySpreadConstraints: [hardOn("zone"), hardOn("node")] });
const state = (pod: Pod): PodState => ({ pod } as PodState);
const node = (labels: Record<string, string>): Node => makeNode("fake-node", undefined, { labels });
const at = { t: 10, seq: 1 };

describe("node events", () => {
  const rows: Array<{ name: string; pod: Pod; event: ClusterEvent; subject?: Node; queue: boolean }> = [
    { name: "N4 a node without the key joins", pod: single, event: { ...at, type: "NodeJoined", node: "fake-node", spec: node({ foo: "bar" }) }, queue: false },
    { name: "N5 a node with the key joins", pod: single, event: { ...at, type: "NodeJoined", node: "fake-node", spec: node({ zone: "zone1" }) }, queue: true },
    { name: "N6 a node without the key leaves", pod: single, event: { ...at, type: "NodeRemoved", node: "fake-node" }, subject: node({ foo: "bar" }), queue: false },
    { name: "N7 a node with the key leaves", pod: single, event: { ...at, type: "NodeRemoved", node: "fake-node" }, subject: node({ zone: "zone1" }), queue: true },
    { name: "N8 two constraints: a node with only one key joins", pod: two, event: { ...at, type: "NodeJoined", node: "fake-node", spec: node({ zone: "zone1" }) }, queue: false },
    { name: "N9 two constraints: a node with both keys joins", pod: two, event: { ...at, type: "NodeJoined", node: "fake-node", spec: node({ zone: "zone1", node: "node1" }) }, queue: true },
    { name: "N12 a matching node's taints change", pod: two, event: { ...at, type: "NodeTainted", node: "fake-node", taint: { key: "ccc", value: "bbb", effect: "NoSchedule" } }, subject: node({ zone: "zone1", node: "node1" }), queue: true },
    { name: "N13 the taints of a node without the zone key change", pod: two, event: { ...at, type: "NodeTainted", node: "fake-node", taint: { key: "ccc", value: "bbb", effect: "NoSchedule" } }, subject: node({ node: "node1" }), queue: false },
    { name: "a matching node is cordoned (UpdateNodeTaint covers spec.unschedulable)", pod: single, event: { ...at, type: "NodeCordoned", node: "fake-node" }, subject: node({ zone: "zone1" }), queue: true },
    { name: "a matching node loses a taint", pod: single, event: { ...at, type: "NodeUntainted", node: "fake-node", taint: { key: "ccc", effect: "NoSchedule" } }, subject: node({ zone: "zone1" }), queue: true },
  ];
  it.each(rows)("$name", ({ pod, event, subject, queue }) => {
    expect(isRequeueEvent(event)).toBe(true);
    expect(hintSaysQueue(POD_TOPOLOGY_SPREAD, event, state(pod), subject === undefined ? {} : { node: subject })).toBe(queue);
  });
});

describe("assigned pods", () => {
  const other = (labels: Record<string, string>, namespace = "default"): Pod => makePod("p2", {}, { labels, namespace, nodeName: "fake-node" });
  const rows: Array<{ name: string; event: ClusterEvent; subject: Pod; queue: boolean }> = [
    { name: "Q1 a matching pod is bound", event: { ...at, type: "PodBound", pod: "default/p2", node: "fake-node", nextStartNodeIndex: 0 } as ClusterEvent, subject: other({ foo: "" }), queue: true },
    { name: "Q5 a matching pod in another namespace is bound", event: { ...at, type: "PodBound", pod: "fake-namespace/p2", node: "fake-node", nextStartNodeIndex: 0 } as ClusterEvent, subject: other({ foo: "" }, "fake-namespace"), queue: false },
    { name: "Q6 a pod the selector does not match is bound", event: { ...at, type: "PodBound", pod: "default/p2", node: "fake-node", nextStartNodeIndex: 0 } as ClusterEvent, subject: other({ bar: "" }), queue: false },
    { name: "Q7 a matching pod goes", event: { ...at, type: "ResourcesFreed", pod: "default/p2", node: "fake-node" }, subject: other({ foo: "" }), queue: true },
    { name: "Q8 a pod the selector does not match goes", event: { ...at, type: "ResourcesFreed", pod: "default/p2", node: "fake-node" }, subject: other({ bar: "" }), queue: false },
  ];
  it.each(rows)("$name", ({ event, subject, queue }) => {
    expect(hintSaysQueue(POD_TOPOLOGY_SPREAD, event, state(single), { pod: subject })).toBe(queue);
  });

  it("a bind wakes no pod another plugin rejected (they do not register assigned-pod adds here)", () => {
    const event = { ...at, type: "PodBound", pod: "default/p2", node: "fake-node", nextStartNodeIndex: 0 } as ClusterEvent;
    for (const plugin of ["NodeResourcesFit", "NodePorts", "NodeAffinity", "TaintToleration", "NodeUnschedulable", "NodeName"]) {
      expect(hintSaysQueue(plugin, event, state(single), { pod: other({ foo: "" }) }), plugin).toBe(false);
    }
  });

  it("the pod itself being bound does not wake it", () => {
    const event = { ...at, type: "PodBound", pod: "default/p", node: "fake-node", nextStartNodeIndex: 0 } as ClusterEvent;
    expect(hintSaysQueue(POD_TOPOLOGY_SPREAD, event, state(single), { pod: single })).toBe(false);
  });
});
