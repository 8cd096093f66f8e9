import { describe, expect, it } from "vitest";
import { runScenario } from "../engine/engine.js";
import { EVENT_TYPES, type ClusterEvent } from "../events/events.js";
import { makeNode, makePod, makeWorkload, seedScenario } from "../testing/builders.js";
import { CompactLog } from "./compact.js";
import { encodeEvent } from "./jsonl.js";

describe("CompactLog", () => {
  // The events as the engine emitted them, copied at once: `runScenario(...).events` is decoded
  // from a compact log, so it would lose whatever the log loses.
  const events: ClusterEvent[] = [];
  const run = runScenario(seedScenario(), { onEvent: (event) => events.push(structuredClone(event)) });

  it("gives back the seed run's events as emitted, and iterates them in order", () => {
    expect(events.some((event) => event.type === "PodUnschedulable")).toBe(true);
    const log = new CompactLog();
    for (const event of events) log.append(event);
    expect([...log]).toStrictEqual(events);
    expect([...log].map(encodeEvent)).toEqual(events.map(encodeEvent));
    expect([...run.log]).toStrictEqual(events);
  });

  // One event of each type with every optional field, written out by hand.
  const everyField: ClusterEvent[] = [
    { type: "NodeJoined", node: "n1", spec: makeNode("n1"), t: 0, seq: 1 },
    { type: "NodeConditionChanged", node: "n1", condition: "Ready", status: "Unknown", t: 0, seq: 2 },
    { type: "NodeTainted", node: "n1", taint: { key: "k", value: "v", effect: "NoExecute" }, t: 1, seq: 3 },
    { type: "NodeUntainted", node: "n1", taint: { key: "k", effect: "NoSchedule" }, t: 1, seq: 4 },
    { type: "NodeCordoned", node: "n1", t: 1, seq: 5 },
    { type: "NodeUncordoned", node: "n1", t: 1, seq: 6 },
    { type: "PodCreated", pod: "default/p", spec: makePod("p", { cpu: "1" }), t: 2, seq: 7 },
    { type: "PodUnschedulable", pod: "default/p", message: "0/1 nodes are available", plugins: ["NodeResourcesFit"], nextStartNodeIndex: 40, t: 2, seq: 8 },
    { type: "PodBound", pod: "default/p", node: "n1", nextStartNodeIndex: 0, t: 3, seq: 9 },
    { type: "PodStarted", pod: "default/p", node: "n1", t: 3, seq: 10 },
    { type: "ContainerFailed", pod: "default/p", container: "app", exitCode: 137, reason: "OOMKilled", t: 4, seq: 11 },
    { type: "ContainerRestarted", pod: "default/p", container: "app", restartCount: 1, t: 5, seq: 12 },
    { type: "ContainerCompleted", pod: "default/p", container: "app", t: 6, seq: 13 },
    { type: "PodFailed", pod: "default/p", reason: "Error", message: "exited", t: 7, seq: 14 },
    { type: "PodSucceeded", pod: "default/p", t: 7, seq: 15 },
    { type: "ResourcesFreed", pod: "default/p", node: "n1", t: 7, seq: 16 },
    { type: "PodDeleted", pod: "default/p", gracePeriodSeconds: 0, t: 8, seq: 17 },
    { type: "NodeRemoved", node: "n1", t: 9, seq: 18 },
    { type: "ObjectApplied", kind: "Deployment", object: "default/web", spec: makeWorkload("Deployment", "web", 3), t: 10, seq: 19 },
    { type: "WorkloadScaled", kind: "Deployment", object: "default/web", replicas: 5, t: 10, seq: 20 },
    {
      type: "WorkloadStatusChanged", kind: "Deployment", object: "default/web", t: 11, seq: 21,
      status: { replicas: 5, updatedReplicas: 5, readyReplicas: 4, availableReplicas: 4, unavailableReplicas: 1, collisionCount: 1,
        conditions: [{ type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", lastUpdateTime: 11, lastTransitionTime: 10 }] },
    },
    { type: "ObjectDeleted", kind: "Deployment", object: "default/web", propagation: "Orphan", t: 12, seq: 22 },
    // A required boolean: false must come back as false, not as absent.
    { type: "PodReadyChanged", pod: "default/q", ready: false, t: 13, seq: 23 },
    { type: "KubeletStopped", node: "n2", t: 14, seq: 24 },
    { type: "KubeletStarted", node: "n2", t: 15, seq: 25 },
    { type: "PodEvicted", pod: "default/q", reason: "TaintManagerEviction", message: "Taint manager: deleting due to NoExecute taint", t: 16, seq: 26 },
    { type: "NodeDrainStarted", node: "n2", warning: "ignoring DaemonSet-managed Pods: default/agent-x", t: 17, seq: 27 },
    { type: "PodEvictionRefused", pod: "default/q", code: 429, message: "Cannot evict pod as it would violate the pod's disruption budget.", t: 17, seq: 28 },
    // A required false: it must come back as false.
    { type: "NodeDrainFinished", node: "n2", drained: false, message: "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/agent-x", t: 18, seq: 29 },
    { type: "PodNominated", pod: "default/p", node: "n2", t: 19, seq: 30 },
    { type: "PodNominated", pod: "default/p", node: "", t: 19, seq: 31 },
    { type: "PodPreempted", pod: "default/q", node: "n2", preemptor: "default/p", message: "default-scheduler: preempting to accommodate a higher priority pod", t: 19, seq: 32 },
  ];

  it("has a row for every event type", () => {
    expect(new Set(everyField.map((event) => event.type))).toEqual(new Set(EVENT_TYPES));
  });

  it.each(everyField.map((event) => [event.type, event] as const))("gives back a %s with every field", (_type, event) => {
    const log = new CompactLog();
    for (const earlier of everyField.slice(0, event.seq - 1)) log.append(earlier);
    log.append(event);
    const expected = structuredClone(event);
    expect(log.get(event.seq - 1)).toStrictEqual(expected);
    expect(encodeEvent(log.get(event.seq - 1))).toBe(encodeEvent(expected));
  });

  it("keeps object fields by reference, not by copy", () => {
    const log = new CompactLog();
    log.append(events[0] as ClusterEvent);
    const joined = events[0] as Extract<ClusterEvent, { type: "NodeJoined" }>;
    expect((log.get(0) as typeof joined).spec).toBe(joined.spec);
  });

  it("grows past its first columns", () => {
    const log = new CompactLog();
    for (let seq = 1; seq <= 5000; seq++) log.append({ type: "NodeCordoned", node: `n${seq % 7}`, t: seq, seq });
    expect(log.size).toBe(5000);
    expect(log.get(4999)).toEqual({ type: "NodeCordoned", node: "n2", t: 5000, seq: 5000 }); // 5000 mod 7 = 2
  });

  it("appendIds stores what append would, from ids interned once", () => {
    const byEvent = new CompactLog();
    const byIds = new CompactLog();
    const pod = byIds.podId("default/web-1");
    const node = byIds.nodeId("node-2");
    byEvent.append({ type: "PodBound", pod: "default/web-1", node: "node-2", t: 3, seq: 1 });
    byIds.appendIds("PodBound", 3, pod, node);
    byEvent.append({ type: "ContainerFailed", pod: "default/web-1", container: "app", exitCode: 137, reason: "OOMKilled", t: 4, seq: 2 });
    byIds.appendIds("ContainerFailed", 4, pod, -1, byIds.textId("app"), byIds.textId("OOMKilled"), 137);
    expect([...byIds]).toEqual([...byEvent]);
  });

  it("refuses an event out of sequence", () => {
    const log = new CompactLog();
    expect(() => log.append({ type: "NodeCordoned", node: "n", t: 0, seq: 2 })).toThrow(/seq 2 appended at position 1/);
    expect(() => log.get(0)).toThrow(RangeError);
  });
});
