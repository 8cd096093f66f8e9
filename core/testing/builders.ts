/**
 * Fixture builders for tests (kube's `st.MakePod()` spirit): a pod or node with sensible
 * defaults, changed only where a test cares.
 */
import { workloadFromManifest, type Workload, type WorkloadKind } from "../model/workload.js";
import type { Scenario } from "../engine/scenario.js";
import { runScenario, type RunResult } from "../engine/engine.js";
import { encodeEvent } from "../log/jsonl.js";
import type { Node } from "../model/node.js";
import { podKey, type Container, type Pod } from "../model/pod.js";
import type { ClusterEvent, EventDraft } from "../events/events.js";
import { fastReduceAll } from "../fast/reduce.js";
import { createFastState, materialize } from "../fast/state.js";
import { nodeInfos } from "../scheduler/framework/snapshot.js";
import type { NodeInfo } from "../scheduler/framework/types.js";
import { cpuMillis, memoryBytes } from "../quantity/quantity.js";
import type { ResourceList } from "../model/resources.js";

/** `{cpu: "250m", memory: "256M"}` → base units. */
export function resources(texts: Record<string, string>): ResourceList {
  return Object.fromEntries(Object.entries(texts).map(([name, text]) => [name, name === "cpu" ? cpuMillis(text) : memoryBytes(text)]));
}

export function makeContainer(name: string, requests: Record<string, string> = {}, overrides: Partial<Container> = {}): Container {
  return { name, image: "example/app:1", ports: [], requests: resources(requests), limits: {}, ...overrides };
}

export function makePod(name: string, requests: Record<string, string> = {}, overrides: Partial<Pod> = {}): Pod {
  return {
    namespace: "default",
    name,
    labels: {},
    annotations: {},
    containers: [makeContainer("app", requests)],
    initContainers: [],
    restartPolicy: "Always",
    priority: 0,
    schedulerName: "default-scheduler",
    nodeSelector: {},
    tolerations: [],
    schedulingGates: [],
    terminationGracePeriodSeconds: 30,
    sim: {},
    ...overrides,
  };
}

export function makeNode(name: string, allocatable: Record<string, string> = { cpu: "4", memory: "8Gi" }, overrides: Partial<Node> = {}): Node {
  const amounts: Record<string, number> = { pods: 110, ...resources(allocatable) };
  return { name, labels: {}, annotations: {}, taints: [], unschedulable: false, capacity: amounts, allocatable: amounts, ready: "True", ...overrides };
}

/**
 * The seed's example: one node of 1 cpu / 512M; a (250m / 256M, finishes after 60 s), b
 * (250m / 128M), c (500m / 256M, waits for memory) and d (750m / 64M, waits for cpu).
 */
export function seedScenario(untilSeconds = 400): Scenario {
  return {
    name: "seed-example",
    seed: 1,
    untilSeconds,
    options: { fitBy: "requests" },
    nodes: [makeNode("node-1", { cpu: "1", memory: "512M" })],
    pods: [
      makePod("a", { cpu: "250m", memory: "256M" }, { restartPolicy: "Never", sim: { durationSeconds: 60 } }),
      makePod("b", { cpu: "250m", memory: "128M" }),
      makePod("c", { cpu: "500m", memory: "256M" }),
      makePod("d", { cpu: "750m", memory: "64M" }),
    ],
    timeline: [],
  };
}

/** The NodeInfos of `nodes` with `placed` pods bound, built as the engine builds them (through reduce). */
export function makeNodeInfos(nodes: readonly Node[], placed: ReadonlyArray<readonly [Pod, string]> = []): NodeInfo[] {
  const drafts: EventDraft[] = [
    ...nodes.map((node): EventDraft => ({ type: "NodeJoined", node: node.name, spec: node })),
    ...placed.flatMap(([pod, node]): EventDraft[] => [
      { type: "PodCreated", pod: podKey(pod), spec: pod },
      { type: "PodBound", pod: podKey(pod), node },
    ]),
  ];
  const result = fastReduceAll(createFastState(), drafts.map((draft, index) => ({ ...draft, t: 0, seq: index + 1 }) as ClusterEvent));
  if (!result.ok) throw new Error(result.rejection.message);
  const state = materialize(result.state);
  return nodeInfos(state, state.nodeTree);
}

/**
 * A Deployment (or ReplicaSet / ReplicationController) read from its manifest as the loaders read
 * it: `replicas` pods of one container `app` requesting `requests`, labelled `app: <name>`.
 */
export function makeWorkload(kind: WorkloadKind, name: string, replicas: number, requests: Record<string, string> = { cpu: "100m" }, spec: Record<string, unknown> = {}): Workload {
  const labels = { app: name };
  const manifest = {
    apiVersion: kind === "ReplicationController" ? "v1" : "apps/v1",
    kind,
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      selector: kind === "ReplicationController" ? labels : { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: "app", image: "app:1", resources: { requests } }] } },
      ...spec,
    },
  };
  const converted = workloadFromManifest(manifest);
  if (converted.value === undefined) throw new Error(`makeWorkload: ${JSON.stringify(converted.diagnostics)}`);
  return converted.value;
}

/**
 * The scenario run on both engines, whose logs must be the same line for line (else an error
 * naming the first line that differs); the fast engine's result.
 */
export function runOnBothEngines(scenario: Scenario): RunResult {
  const fast = runScenario(scenario);
  const reference = runScenario(scenario, { engine: "reference" });
  const fastLines = fast.events.map(encodeEvent);
  const referenceLines = reference.events.map(encodeEvent);
  const length = Math.max(fastLines.length, referenceLines.length);
  for (let index = 0; index < length; index++) {
    if (fastLines[index] !== referenceLines[index]) throw new Error(`the engines differ at event ${index + 1}:\n  fast:      ${fastLines[index] ?? "(none)"}\n  reference: ${referenceLines[index] ?? "(none)"}`);
  }
  return fast;
}
