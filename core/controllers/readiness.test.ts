/**
 * Readiness (`sim.timoneiro.dev/ready-after`, a readiness probe's delay): the kubelet's
 * `PodReadyChanged`, and the controllers that count Ready pods, through the engine on both engines.
 * Every tick is worked out from the annotations: image pull, readiness delay, run length.
 */
import { describe, expect, it } from "vitest";
import type { RunResult } from "../engine/engine.js";
import type { ClusterEvent } from "../events/events.js";
import { DEFAULT_OPTIONS } from "../cluster/state.js";
import { podFromManifest } from "../model/manifest.js";
import type { Pod } from "../model/pod.js";
import { workloadFromManifest, type Workload } from "../model/workload.js";
import { makeNode, runOnBothEngines } from "../testing/builders.js";

function pod(name: string, annotations: Record<string, string>, restartPolicy = "Always"): Pod {
  const converted = podFromManifest({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", annotations }, spec: { restartPolicy, containers: [{ name: "app", image: "a:1" }] } });
  if (converted.value === undefined) throw new Error(JSON.stringify(converted.diagnostics));
  return converted.value;
}

function workload(kind: "StatefulSet" | "Deployment", replicas: number, annotations: Record<string, string>, spec: Record<string, unknown> = {}): Workload {
  const converted = workloadFromManifest({
    apiVersion: "apps/v1", kind, metadata: { name: "db", namespace: "default" },
    spec: { replicas, selector: { matchLabels: { app: "db" } }, template: { metadata: { labels: { app: "db" }, annotations }, spec: { containers: [{ name: "db", image: "db:1", resources: { requests: { cpu: "100m" } } }] } }, ...spec },
  });
  if (converted.value === undefined) throw new Error(JSON.stringify(converted.diagnostics));
  return converted.value;
}

function run(pods: Pod[], objects: Workload[], untilSeconds: number): RunResult {
  return runOnBothEngines({ name: "ready", seed: 1, untilSeconds, options: DEFAULT_OPTIONS, nodes: [makeNode("n1", { cpu: "8", memory: "16Gi", pods: "110" })], pods, objects, timeline: [] });
}

const story = (events: readonly ClusterEvent[], types: readonly string[]) => events.flatMap((event) => {
  if (!types.includes(event.type)) return [];
  const subject = "pod" in event ? event.pod.slice("default/".length) : "";
  return [`${event.t} ${event.type} ${subject}${event.type === "PodReadyChanged" ? ` ${String(event.ready)}` : ""}`];
});

describe("readiness: sim.timoneiro.dev/ready-after", () => {
  it("without it a pod is Ready as it starts (no event); with it, PodReadyChanged that long after the start (image pull 10 s, ready after 20 s: 30)", () => {
    const result = run([pod("plain", {}), pod("probe", { "sim.timoneiro.dev/image-pull": "10s", "sim.timoneiro.dev/ready-after": "20s" })], [], 60);
    expect(story(result.events, ["PodStarted", "PodReadyChanged"])).toEqual(["0 PodStarted plain", "10 PodStarted probe", "30 PodReadyChanged probe true"]);
    expect(result.state.pods["default/plain"]?.readySince).toBe(0);
    expect(result.state.pods["default/probe"]?.readySince).toBe(30);
  });

  it("a run that ends before its delay never makes it ready; each restart starts the delay again", () => {
    // Fails 15 s into each run, ready after 20 s: 0 start, 15 exit (back-off 0) and restart, 30 exit, back-off 10 s, restart at 40, 55 exit …
    const result = run([pod("flappy", { "sim.timoneiro.dev/fail-after": "15s", "sim.timoneiro.dev/ready-after": "20s" })], [], 60);
    expect(story(result.events, ["PodStarted", "ContainerRestarted", "PodReadyChanged"])).toEqual(["0 PodStarted flappy", "15 ContainerRestarted flappy", "40 ContainerRestarted flappy"]);
    expect(result.state.pods["default/flappy"]?.readySince).toBeUndefined();
  });

  it("ready once, then its container exits: not ready from the exit; Ready again 20 s after the restart", () => {
    // Ready at 20, exits at 50 (fail-after 50) and restarts at once (the first back-off is 0): ready again at 70.
    const result = run([pod("p", { "sim.timoneiro.dev/fail-after": "50s", "sim.timoneiro.dev/ready-after": "20s" })], [], 80);
    expect(story(result.events, ["PodStarted", "ContainerFailed", "ContainerRestarted", "PodReadyChanged"])).toEqual([
      "0 PodStarted p", "20 PodReadyChanged p true", "50 ContainerFailed p", "50 ContainerRestarted p", "70 PodReadyChanged p true",
    ]);
  });

  it("a StatefulSet's OrderedReady waits for each pod to be Ready: pods at 0, 30, 60 (10 s pull + 20 s delay each)", () => {
    const result = run([], [workload("StatefulSet", 3, { "sim.timoneiro.dev/image-pull": "10s", "sim.timoneiro.dev/ready-after": "20s" })], 100);
    expect(story(result.events, ["PodCreated"])).toEqual(["0 PodCreated db-0", "30 PodCreated db-1", "60 PodCreated db-2"]);
    expect(result.state.objects["StatefulSet/default/db"]?.status).toMatchObject({ readyReplicas: 3 });
  });

  it("a Deployment counts a pod available minReadySeconds after it is Ready, not after it starts (ready 20 s + 10 s = 30)", () => {
    const result = run([], [workload("Deployment", 2, { "sim.timoneiro.dev/ready-after": "20s" }, { minReadySeconds: 10 })], 60);
    const statuses = result.events.flatMap((event) => (event.type === "WorkloadStatusChanged" && event.kind === "Deployment" ? [`${event.t}: ${event.status.replicas} total, ${event.status.readyReplicas} ready, ${event.status.availableReplicas} available`] : []));
    // 0: the ReplicaSet made (no pods yet), then its two pods, neither ready; 20: both ready, none available; 30: both available.
    expect(statuses).toEqual(["0: 0 total, 0 ready, 0 available", "0: 2 total, 0 ready, 0 available", "20: 2 total, 2 ready, 0 available", "30: 2 total, 2 ready, 2 available"]);
  });
});
