/**
 * The StatefulSet controller, rule by rule (stateful_set_control.go), through the engine on both
 * engines (their logs must be equal); pods pull their image for 10 s and terminate in 30 s, so
 * every tick below is worked out from those two numbers.
 */
import { describe, expect, it } from "vitest";
import type { RunResult } from "../engine/engine.js";
import type { TimelineAction } from "../engine/scenario.js";
import type { ClusterEvent } from "../events/events.js";
import { DEFAULT_OPTIONS } from "../cluster/state.js";
import { strategicMerge } from "../model/patch.js";
import { workloadFromManifest, type Workload } from "../model/workload.js";
import { makeNode, runOnBothEngines } from "../testing/builders.js";

function statefulSet(replicas: number, spec: Record<string, unknown> = {}): Workload {
  const converted = workloadFromManifest({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db", namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: "db" } },
      template: {
        metadata: { labels: { app: "db" }, annotations: { "sim.timoneiro.dev/image-pull": "10s" } },
        spec: { containers: [{ name: "db", image: "db:1", resources: { requests: { cpu: "100m" } } }] },
      },
      ...spec,
    },
  });
  if (converted.value === undefined) throw new Error(JSON.stringify(converted.diagnostics));
  return converted.value;
}

function run(sts: Workload, timeline: TimelineAction[] = [], untilSeconds = 900): RunResult {
  const scenario = { name: "sts", seed: 1, untilSeconds, options: DEFAULT_OPTIONS, nodes: [makeNode("n1", { cpu: "8", memory: "16Gi", pods: "110" })], pods: [], objects: [sts], timeline };
  return runOnBothEngines(scenario);
}

/** `t created|deleted pod` for the set's pod creations and deletions. */
function story(events: readonly ClusterEvent[], from = 0): string[] {
  return events.flatMap((event) => {
    if (event.t < from) return [];
    if (event.type === "PodCreated") return [`${event.t} created ${event.spec.name}`];
    if (event.type === "PodDeleted") return [`${event.t} deleted ${event.pod.slice("default/".length)}`];
    return [];
  });
}

const update = (sts: Workload, at: number, image: string): TimelineAction => {
  const converted = workloadFromManifest(strategicMerge(sts.manifest, { spec: { template: { spec: { containers: [{ name: "db", image }] } } } }) as Record<string, unknown>);
  return { at, action: "update", kind: "StatefulSet", object: "default/db", workload: converted.value as Workload, setsReplicas: false };
};

describe("StatefulSet: identity and OrderedReady", () => {
  it("pods <name>-<ordinal>, each only once the one before is Running and Ready (10 s pull each)", () => {
    const result = run(statefulSet(3), [], 60);
    expect(story(result.events)).toEqual(["0 created db-0", "10 created db-1", "20 created db-2"]);
    const pod = result.state.pods["default/db-1"];
    expect(pod?.pod.labels).toMatchObject({ "statefulset.kubernetes.io/pod-name": "db-1", "apps.kubernetes.io/pod-index": "1", "controller-revision-hash": expect.stringMatching(/^db-[4-9bcdf]+$/) });
    expect(result.state.objects["StatefulSet/default/db"]?.status).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3 });
  });

  it("scale down from the highest ordinal, one at a time, each after the previous is gone (30 s grace)", () => {
    const result = run(statefulSet(3), [{ at: 100, action: "scale", kind: "StatefulSet", object: "default/db", replicas: 0 }]);
    expect(story(result.events, 100)).toEqual(["100 deleted db-2", "130 deleted db-1", "160 deleted db-0"]);
  });

  it("a deleted pod is made again under the same name only once it is gone", () => {
    const result = run(statefulSet(2), [{ at: 100, action: "deletePod", pod: "default/db-0" }]);
    expect(story(result.events, 100)).toEqual(["100 deleted db-0", "130 created db-0"]);
  });

  it("deleted and made again at once: the new one waits for the old pods' names to be free (kube: AlreadyExists, retried)", () => {
    // 100: the set is deleted (its pods start their 30 s) and made again; db-0 is created at 130, when the old one is gone.
    const sts = statefulSet(1);
    const result = run(sts, [
      { at: 100, action: "deleteObject", kind: "StatefulSet", object: "default/db", propagation: "Background" },
      { at: 100, action: "createObject", object: sts },
    ]);
    expect(story(result.events, 100)).toEqual(["100 deleted db-0", "130 created db-0"]);
  });

  it("ordinals.start: pods from that ordinal", () => {
    const result = run(statefulSet(2, { ordinals: { start: 5 } }), [], 60);
    expect(story(result.events)).toEqual(["0 created db-5", "10 created db-6"]);
  });
});

describe("StatefulSet: Parallel", () => {
  it("creates and deletes every pod at once, waiting for nothing", () => {
    const result = run(statefulSet(3, { podManagementPolicy: "Parallel" }), [{ at: 100, action: "scale", kind: "StatefulSet", object: "default/db", replicas: 1 }]);
    expect(story(result.events)).toEqual(["0 created db-0", "0 created db-1", "0 created db-2", "100 deleted db-2", "100 deleted db-1"]);
  });
});

describe("StatefulSet: RollingUpdate", () => {
  it("from the highest ordinal down, each after the one above is replaced and ready (30 s to go, 10 s to start)", () => {
    // 100: db-2 deleted; 130 gone, made again; 140 ready → db-1 deleted; 170 made; 180 → db-0 deleted; 210 made.
    const sts = statefulSet(3);
    const result = run(sts, [update(sts, 100, "db:2")]);
    expect(story(result.events, 100)).toEqual(["100 deleted db-2", "130 created db-2", "140 deleted db-1", "170 created db-1", "180 deleted db-0", "210 created db-0"]);
    const status = result.state.objects["StatefulSet/default/db"]?.status;
    // completeRollingUpdate: the current revision caught up with the update revision.
    expect(status?.currentRevision).toBe(status?.updateRevision);
    expect(Object.values(result.state.pods).every((pod) => pod.pod.containers[0]?.image === "db:2")).toBe(true);
  });

  it("partition 2: only ordinals ≥ 2 are updated; a lower pod deleted later comes back from the old template", () => {
    const sts = statefulSet(3, { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } });
    const result = run(sts, [update(sts, 100, "db:2"), { at: 300, action: "deletePod", pod: "default/db-0" }]);
    expect(story(result.events, 100)).toEqual(["100 deleted db-2", "130 created db-2", "300 deleted db-0", "330 created db-0"]);
    const images = Object.fromEntries(Object.values(result.state.pods).map((pod) => [pod.pod.name, pod.pod.containers[0]?.image]));
    expect(images).toEqual({ "db-0": "db:1", "db-1": "db:1", "db-2": "db:2" });
    // Not every replica is updated: the current revision stays the old one.
    const status = result.state.objects["StatefulSet/default/db"]?.status;
    expect(status?.currentRevision).not.toBe(status?.updateRevision);
    expect(status).toMatchObject({ currentReplicas: 2, updatedReplicas: 1 });
  });

  it("maxUnavailable 2 (MaxUnavailableStatefulSet, on in v1.35): the two highest at once, then the last", () => {
    // 100: db-3 and db-2 deleted (2 unavailable); 130 both gone; OrderedReady makes db-2 (130), then db-3 once db-2 is ready (140);
    // 150 db-3 ready → db-1 and db-0 deleted; 180 db-0 made, 190 db-1.
    const sts = statefulSet(4, { updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 2 } } });
    const result = run(sts, [update(sts, 100, "db:2")]);
    expect(story(result.events, 100)).toEqual(["100 deleted db-3", "100 deleted db-2", "130 created db-2", "140 created db-3", "150 deleted db-1", "150 deleted db-0", "180 created db-0", "190 created db-1"]);
  });

  it("OnDelete: no pod is replaced until deleted, then from the new template", () => {
    const sts = statefulSet(2, { updateStrategy: { type: "OnDelete" } });
    const result = run(sts, [update(sts, 100, "db:2"), { at: 200, action: "deletePod", pod: "default/db-1" }]);
    expect(story(result.events, 100)).toEqual(["200 deleted db-1", "230 created db-1"]);
    expect(result.state.pods["default/db-1"]?.pod.containers[0]?.image).toBe("db:2");
    expect(result.state.pods["default/db-0"]?.pod.containers[0]?.image).toBe("db:1");
  });
});
