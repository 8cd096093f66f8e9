/**
 * InterPodAffinity's queueing hints (plugin.go isSchedulableAfterPodChange and
 * isSchedulableAfterNodeChange, v1.35 with queueing hints on): kube's plugin_test.go rows that
 * Timoneiro's events can express. An assigned pod appears (PodBound) or goes (ResourcesFreed); a
 * node joins (Add). Label updates and nominations have no event here.
 */
import { describe, expect, it } from "vitest";
import type { PodState } from "../../../cluster/state.js";
import type { ClusterEvent } from "../../../events/events.js";
import type { PodAffinityTerm } from "../../../model/affinity.js";
import type { Node } from "../../../model/node.js";
import type { Pod } from "../../../model/pod.js";
import { makeNode, makePod } from "../../../testing/builders.js";
import { hintSaysQueue } from "../../hints.js";
import { INTER_POD_AFFINITY } from "./index.js";

const term = (key: string, values: string[] | "Exists", topologyKey: string): PodAffinityTerm => ({
  labelSelector: { matchLabels: {}, matchExpressions: [values === "Exists" ? { key, operator: "Exists", values: [] } : { key, operator: "In", values }] },
  namespaces: [], topologyKey, matchLabelKeys: [], mismatchLabelKeys: [],
});
const withAffinity = (...terms: PodAffinityTerm[]): Pod => makePod("p", { cpu: "100m" }, { podAffinity: { required: terms, preferred: [] } });
const withAnti = (...terms: PodAffinityTerm[]): Pod => makePod("p", { cpu: "100m" }, { podAntiAffinity: { required: terms, preferred: [] } });
const state = (pod: Pod): PodState => ({ pod } as PodState);
const other = (labels: Record<string, string>): Pod => makePod("p2", {}, { labels, nodeName: "fake-node" });
const node = (labels: Record<string, string>): Node => makeNode("fake-node", undefined, { labels });
const at = { t: 10, seq: 1 };
const bound: ClusterEvent = { ...at, type: "PodBound", pod: "default/p2", node: "fake-node", nextStartNodeIndex: 0 } as ClusterEvent;
const freed: ClusterEvent = { ...at, type: "ResourcesFreed", pod: "default/p2", node: "fake-node" };
const joined = (labels: Record<string, string>): ClusterEvent => ({ ...at, type: "NodeJoined", node: "fake-node", spec: node(labels) });

const securityscan = term("service", ["securityscan", "value2"], "region");

describe("assigned pods", () => {
  const rows: Array<{ name: string; pod: Pod; event: ClusterEvent; subject: Pod; queue: boolean }> = [
    { name: "affinity: a pod matching its term is bound", pod: withAffinity(securityscan), event: bound, subject: other({ service: "securityscan" }), queue: true },
    { name: "affinity: a pod not matching is bound", pod: withAffinity(securityscan), event: bound, subject: other({ service: "other" }), queue: false },
    { name: "affinity: a bound pod must match every term (aaa and bbb)", pod: withAffinity(term("aaa", "Exists", "hostname"), term("bbb", "Exists", "hostname")), event: bound, subject: other({ aaa: "" }), queue: false },
    { name: "affinity: … and one matching both wakes it", pod: withAffinity(term("aaa", "Exists", "hostname"), term("bbb", "Exists", "hostname")), event: bound, subject: other({ aaa: "", bbb: "" }), queue: true },
    { name: "affinity: a matching pod going does not help it", pod: withAffinity(securityscan), event: freed, subject: other({ service: "securityscan" }), queue: false },
    { name: "anti-affinity: a matching pod is deleted", pod: withAnti(securityscan), event: freed, subject: other({ service: "securityscan" }), queue: true },
    { name: "anti-affinity: a pod not matching is deleted", pod: withAnti(securityscan), event: freed, subject: other({ aaa: "a" }), queue: false },
    { name: "anti-affinity: a pod bound never helps", pod: withAnti(securityscan), event: bound, subject: other({ service: "other" }), queue: false },
    // kube v1.35 has no hint for this: the pod waits for the leftover flush (kubernetes#135325 came after).
    { name: "no terms of its own (rejected by an existing pod's anti-affinity): that pod's deletion does not wake it", pod: makePod("p", { cpu: "100m" }, { labels: { service: "securityscan" } }), event: freed, subject: makePod("p2", {}, { podAntiAffinity: { required: [securityscan], preferred: [] } }), queue: false },
  ];
  it.each(rows)("$name", ({ pod, event, subject, queue }) => {
    expect(hintSaysQueue(INTER_POD_AFFINITY, event, state(pod), { pod: subject })).toBe(queue);
  });
});

describe("node events", () => {
  const rows: Array<{ name: string; pod: Pod; event: ClusterEvent; queue: boolean }> = [
    { name: "affinity by zone: a node with a zone joins", pod: withAffinity(term("service", ["securityscan"], "zone")), event: joined({ zone: "zone1" }), queue: true },
    { name: "affinity by region: a node with only a zone joins", pod: withAffinity(term("service", ["securityscan"], "region")), event: joined({ zone: "zone1" }), queue: false },
    { name: "anti-affinity: any node joining", pod: withAnti(term("service", ["securityscan"], "zone")), event: joined({}), queue: true },
    { name: "a node's removal is not registered", pod: withAnti(securityscan), event: { ...at, type: "NodeRemoved", node: "fake-node" }, queue: false },
    { name: "nor a taint's removal (UpdateNodeTaint is not registered with hints on)", pod: withAnti(securityscan), event: { ...at, type: "NodeUntainted", node: "fake-node", taint: { key: "k", effect: "NoSchedule" } }, queue: false },
  ];
  it.each(rows)("$name", ({ pod, event, queue }) => {
    expect(hintSaysQueue(INTER_POD_AFFINITY, event, state(pod), { node: node({ zone: "zone1" }) })).toBe(queue);
  });
});
