/**
 * The compact log gives back every event exactly: same fields, same values, the same JSONL bytes.
 *
 * The expected events are copies taken as `emit` hands each event out (`onEvent`), never
 * `run.events`: those are decoded from the compact log itself, so a field `get` lost would be
 * lost on both sides. Runs never emit some types (node taints, removals, conditions) and emit
 * `nextStartNodeIndex` only in clusters of 100+ nodes, so a third property appends random events
 * of every type, optional fields present or not.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompactLog, encodeEvent, runScenario, type ClusterEvent, type EventDraft, type Scenario, type Workload } from "../core/index.js";
import { nodeArbitrary, podArbitrary, sampledScenarioArbitrary, scenarioArbitrary, workloadScenarioArbitrary } from "./arbitraries.js";

const RUNS = Number(process.env["TIMONEIRO_PROPERTY_RUNS"] ?? 100);

/** Runs the scenario; the engine's log and a log fed by `onEvent` must both give back the events as emitted. */
function checkRun(scenario: Scenario): ClusterEvent[] {
  const emitted: ClusterEvent[] = [];
  const log = new CompactLog();
  const run = runScenario(scenario, {
    onEvent: (event) => {
      emitted.push(structuredClone(event));
      log.append(event);
    },
  });
  for (const rebuiltFrom of [run.log, log]) {
    expect(rebuiltFrom.size).toBe(emitted.length);
    emitted.forEach((event, index) => {
      const rebuilt = rebuiltFrom.get(index);
      expect(rebuilt).toStrictEqual(event);
      expect(encodeEvent(rebuilt)).toBe(encodeEvent(event));
    });
  }
  expect(run.events).toStrictEqual(emitted);
  return emitted;
}

/**
 * Clusters of 100–180 nodes where every node is schedulable, untainted and roomy: kube stops
 * filtering after 100 feasible nodes, so the sampling start moves and PodBound carries it.
 */
const roomySampledScenario: fc.Arbitrary<Scenario> = sampledScenarioArbitrary.map((scenario) => ({
  ...scenario,
  nodes: scenario.nodes.map((node) => {
    const allocatable = { cpu: 4000 + (node.allocatable["cpu"] ?? 0), memory: 2 ** 33 + (node.allocatable["memory"] ?? 0), pods: 110 };
    return { ...node, unschedulable: false, taints: [], allocatable, capacity: allocatable };
  }),
}));

const name = fc.constantFrom("node-a", "node-b", "default/pod-1", "x");
const text = fc.string({ maxLength: 12 });
const draftArbitrary: fc.Arbitrary<EventDraft> = fc.oneof(
  nodeArbitrary("node-a").map((spec): EventDraft => ({ type: "NodeJoined", node: spec.name, spec })),
  name.map((node): EventDraft => ({ type: "NodeRemoved", node })),
  fc.tuple(name, fc.constantFrom("True" as const, "False" as const, "Unknown" as const), fc.constantFrom("Ready" as const, "MemoryPressure" as const)).map(([node, status, condition]): EventDraft => ({ type: "NodeConditionChanged", node, condition, status })),
  fc.tuple(name, fc.boolean(), fc.option(text, { nil: undefined })).map(([node, add, value]): EventDraft => {
    const taint = { key: "dedicated", ...(value !== undefined ? { value } : {}), effect: "NoSchedule" as const };
    return add ? { type: "NodeTainted", node, taint } : { type: "NodeUntainted", node, taint };
  }),
  fc.tuple(name, fc.boolean()).map(([node, cordon]): EventDraft => ({ type: cordon ? "NodeCordoned" : "NodeUncordoned", node })),
  podArbitrary("pod-1", ["node-a"]).map((spec): EventDraft => ({ type: "PodCreated", pod: `default/${spec.name}`, spec })),
  fc.tuple(name, name, fc.option(fc.nat(200), { nil: undefined })).map(([pod, node, start]): EventDraft =>
    ({ type: "PodBound", pod, node, ...(start !== undefined ? { nextStartNodeIndex: start } : {}) })),
  fc.tuple(name, text, fc.array(fc.constantFrom("NodeResourcesFit", "TaintToleration", "NodePorts"), { maxLength: 3 }), fc.option(fc.nat(200), { nil: undefined }))
    .map(([pod, message, plugins, start]): EventDraft => ({ type: "PodUnschedulable", pod, message, plugins, ...(start !== undefined ? { nextStartNodeIndex: start } : {}) })),
  fc.tuple(name, name).map(([pod, node]): EventDraft => ({ type: "PodStarted", pod, node })),
  fc.tuple(name, fc.boolean()).map(([pod, ready]): EventDraft => ({ type: "PodReadyChanged", pod, ready })),
  fc.tuple(name, text, fc.integer({ min: 0, max: 255 }), fc.constantFrom("Error" as const, "OOMKilled" as const))
    .map(([pod, container, exitCode, reason]): EventDraft => ({ type: "ContainerFailed", pod, container, exitCode, reason })),
  fc.tuple(name, text).map(([pod, container]): EventDraft => ({ type: "ContainerCompleted", pod, container })),
  fc.tuple(name, text, fc.nat(20)).map(([pod, container, restartCount]): EventDraft => ({ type: "ContainerRestarted", pod, container, restartCount })),
  name.map((pod): EventDraft => ({ type: "PodSucceeded", pod })),
  fc.tuple(name, text, text).map(([pod, reason, message]): EventDraft => ({ type: "PodFailed", pod, reason, message })),
  fc.tuple(name, fc.nat(60)).map(([pod, gracePeriodSeconds]): EventDraft => ({ type: "PodDeleted", pod, gracePeriodSeconds })),
  fc.tuple(name, name).map(([pod, node]): EventDraft => ({ type: "ResourcesFreed", pod, node })),
  fc.tuple(name, fc.boolean()).map(([node, stop]): EventDraft => ({ type: stop ? "KubeletStopped" : "KubeletStarted", node })),
  fc.tuple(name, text, text).map(([pod, reason, message]): EventDraft => ({ type: "PodEvicted", pod, reason, message })),
  fc.tuple(name, fc.nat(600), text).map(([pod, code, message]): EventDraft => ({ type: "PodEvictionRefused", pod, code, message })),
  fc.tuple(name, text).map(([node, warning]): EventDraft => ({ type: "NodeDrainStarted", node, warning })),
  fc.tuple(name, fc.boolean(), text).map(([node, drained, message]): EventDraft => ({ type: "NodeDrainFinished", node, drained, message })),
  workloadScenarioArbitrary.map((scenario): EventDraft => {
    const spec = (scenario.objects ?? [])[0] as Workload;
    return { type: "ObjectApplied", kind: spec.kind, object: `${spec.namespace}/${spec.name}`, spec };
  }),
  fc.tuple(fc.constantFrom("Deployment" as const, "ReplicaSet" as const, "PriorityClass" as const), name, fc.boolean())
    .map(([kind, object, orphan]): EventDraft => ({ type: "ObjectDeleted", kind, object, propagation: orphan ? "Orphan" : "Background" })),
  fc.tuple(fc.constantFrom("Deployment" as const, "ReplicationController" as const), name, fc.nat(100)).map(([kind, object, replicas]): EventDraft => ({ type: "WorkloadScaled", kind, object, replicas })),
  fc.tuple(name, fc.nat(10), fc.option(fc.nat(3), { nil: undefined }), text).map(([object, ready, collisionCount, message]): EventDraft => ({
    type: "WorkloadStatusChanged", kind: "Deployment", object,
    status: { replicas: 10, updatedReplicas: 10, readyReplicas: ready, availableReplicas: ready, unavailableReplicas: 10 - ready, ...(collisionCount !== undefined ? { collisionCount } : {}),
      conditions: [{ type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message, lastUpdateTime: 3, lastTransitionTime: 1 }] },
  })),
);

describe("CompactLog round trip", () => {
  it("rebuilds every event of random runs with workloads (objects, scales, statuses) as emitted", () => {
    let objects = 0;
    fc.assert(fc.property(workloadScenarioArbitrary, (scenario) => {
      objects += checkRun(scenario).filter((event) => event.type === "WorkloadStatusChanged").length;
    }), { numRuns: Math.max(20, Math.floor(RUNS / 3)) });
    expect(objects).toBeGreaterThan(0);
  });

  it("rebuilds every event of random runs as emitted, byte for byte in JSONL", () => {
    let unschedulable = 0;
    fc.assert(fc.property(scenarioArbitrary, (scenario) => {
      unschedulable += checkRun(scenario).filter((event) => event.type === "PodUnschedulable" && event.plugins.length > 0).length;
    }), { numRuns: RUNS });
    // The runs logged plugin lists (an object field), not only names and numbers.
    expect(unschedulable).toBeGreaterThan(0);
  });

  it("rebuilds the sampling start (an optional field) of runs on 100+ nodes", () => {
    let moved = 0;
    fc.assert(fc.property(roomySampledScenario, (scenario) => {
      moved += checkRun(scenario).filter((event) => (event.type === "PodBound" || event.type === "PodUnschedulable") && event.nextStartNodeIndex !== undefined).length;
    }), { numRuns: Math.max(3, Math.ceil(RUNS / 25)) });
    expect(moved).toBeGreaterThan(0);
  });

  it("rebuilds random events of every type, optional fields present or absent", () => {
    fc.assert(fc.property(fc.array(fc.tuple(draftArbitrary, fc.nat(5)), { maxLength: 40 }), (drafts) => {
      const log = new CompactLog();
      const appended: ClusterEvent[] = [];
      let t = 0;
      drafts.forEach(([draft, dt], index) => {
        t += dt;
        const event = { ...draft, t, seq: index + 1 } as ClusterEvent;
        appended.push(structuredClone(event));
        log.append(event);
      });
      expect([...log]).toStrictEqual(appended);
      expect([...log].map(encodeEvent)).toEqual(appended.map(encodeEvent));
    }), { numRuns: RUNS });
  });
});
