/**
 * The fast engine equals the reference engine (DESIGN.md "Build order"), shown by model-based
 * tests: random command sequences — nodes joining, leaving, tainted, cordoned; pods created,
 * started, crashing, finishing, deleted; scheduling passes under every policy — go through both
 * reducers, and after every command the observable states, the rejections and every scheduling
 * decision must be equal. Laws checked along the way: the invariants on the fast state, its
 * accelerators against a rebuild from its records (`checkAccelerators`), replay
 * and batched reduce give the live state, sealed states never change, and an old state asked to
 * schedule (a fork: it rebuilds its accelerators) answers as the reference does.
 *
 * Each command's events go into one batch (a transient, sealed after the command), as the engine
 * batches a tick: a scheduling pass binds many pods in one batch, and some commands send a pod
 * through several events at once, so records a batch made are changed in place again.
 *
 * Bounded here; `npm run properties -- --runs N` (or TIMONEIRO_PROPERTY_RUNS) for long runs. A
 * failing case prints its seed and path: once fixed, keep it under properties/regressions/ (a
 * scenario file, run against every law) or as an `examples` entry of the property it broke.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  applyEvent,
  checkAccelerators,
  checkInvariants,
  createFastState,
  createState,
  decide,
  decideFast,
  defaultSchedulerChoice,
  fastReduce,
  fastReduceAll,
  History,
  materialize,
  reduceAll,
  nextPodToSchedule,
  reduce,
  runScenario,
  serializeState,
  schedulerConfigurationFrom,
  type ClusterEvent,
  type ClusterState,
  type EventDraft,
  type FastState,
  type Node,
  type Pod,
  type PodState,
  type RunResult,
  type Scenario,
  type SchedulerChoice,
  type Transient,
  type ClusterObject,
  type ObjectKind,
  type Workload,
  type WorkloadKind,
  workloadFromManifest,
} from "../core/index.js";
import { growingScenarioArbitrary, nodeArbitrary, podArbitrary, preemptionScenarioArbitrary, sampledScenarioArbitrary, scenarioArbitrary, spreadScenarioArbitrary, workloadScenarioArbitrary } from "./arbitraries.js";
import { controllerBooksBroken } from "./laws.js";

/** Commands run so far: the test checks its sequences really ran. */
let commandsRun = 0;
const RUNS = Number(process.env["TIMONEIRO_PROPERTY_RUNS"] ?? 100);

const NODE_NAMES = ["node-a", "node-b", "node-c", "node-d", "node-e"];
const POD_NAMES = Array.from({ length: 16 }, (_, index) => `pod-${index}`);

const MOST_ALLOCATED_CONFIG = schedulerConfigurationFrom({
  apiVersion: "kubescheduler.config.k8s.io/v1",
  kind: "KubeSchedulerConfiguration",
  profiles: [{
    schedulerName: "default-scheduler",
    pluginConfig: [{ name: "NodeResourcesFit", args: { scoringStrategy: { type: "MostAllocated" } } }],
  }],
});
const MOST_ALLOCATED = MOST_ALLOCATED_CONFIG.value ?? expect.unreachable(JSON.stringify(MOST_ALLOCATED_CONFIG.diagnostics));

const CHOICES: Record<string, SchedulerChoice> = {
  kube: defaultSchedulerChoice(),
  "kube-most-allocated": { policy: "kube", configuration: MOST_ALLOCATED },
  "first-fit": { policy: "first-fit" },
  "best-fit": { policy: "best-fit" },
  "worst-fit": { policy: "worst-fit" },
};

interface Model {
  ref: ClusterState;
}

interface Real {
  /** The last sealed state. */
  fast: FastState;
  /** The command's batch, from `fast`, while the command runs. */
  batch: Transient | undefined;
  /** Every event both accepted, for the replay and batch laws. */
  accepted: ClusterEvent[];
  /** Older states of both engines, with the fast one's serialisation then. */
  history: { fast: FastState; ref: ClusterState; text: string }[];
}

function compare(model: Model, real: Real): void {
  const text = serializeState(materialize(real.fast));
  expect(text).toBe(serializeState(model.ref));
  expect(checkInvariants(materialize(real.fast))).toEqual([]);
  // The accelerators the run kept up to date, event by event, against a rebuild from the records.
  expect(checkAccelerators(real.fast)).toEqual([]);
}

/** The fast engine's current state: the command's batch. */
function current(real: Real): Transient {
  return (real.batch ??= real.fast.transient());
}

/** Applies one event to both engines; they must agree on acceptance and on the rejection's message. */
function applyBoth(model: Model, real: Real, draft: EventDraft, dt: number): boolean {
  const event = { ...draft, t: model.ref.t + dt, seq: model.ref.seq + 1 } as ClusterEvent;
  const expected = reduce(model.ref, event);
  const batch = current(real);
  const rejection = applyEvent(batch, event);
  expect(rejection === undefined).toBe(expected.ok);
  if (!expected.ok && rejection !== undefined) {
    expect(rejection.message).toBe(expected.rejection.message);
    expect(rejection.code).toBe(expected.rejection.code);
    // Refused before any write: the batch goes on.
    expect(batch.poisoned).toBe(false);
    return false;
  }
  model.ref = expected.state;
  real.accepted.push(event);
  return true;
}

/** Ends the command's batch; every few commands, keeps the sealed state to check later that it never changed. */
function sealCommand(model: Model, real: Real): void {
  if (real.batch === undefined) return;
  real.fast = real.batch.seal();
  real.batch = undefined;
  if (real.history.length < real.accepted.length / 5) real.history.push({ fast: real.fast, ref: model.ref, text: serializeState(materialize(real.fast)) });
}

const pick = <T>(list: readonly T[], roll: number): T | undefined => (list.length === 0 ? undefined : list[roll % list.length]);
const podsWhere = (state: ClusterState, test: (pod: PodState) => boolean): PodState[] =>
  Object.keys(state.pods).sort().map((key) => state.pods[key] as PodState).filter(test);
const keyOf = (pod: PodState) => `${pod.pod.namespace}/${pod.pod.name}`;

/** A command: builds its event(s) from the model state at run time, so it targets what exists. */
class Step implements fc.Command<Model, Real> {
  constructor(readonly label: string, readonly dt: number, readonly run_: (model: Model, real: Real, dt: number) => void) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    commandsRun += 1;
    this.run_(model, real, this.dt);
    sealCommand(model, real);
    compare(model, real);
  }
  toString(): string {
    return `${this.label}+${this.dt}s`;
  }
}

const dt = fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 20 }) }, { weight: 1, arbitrary: fc.integer({ min: 20, max: 400 }) });
const roll = fc.nat(1000);

// Most nodes without a zone label: a cluster of one zone, where the fast engine appends a joining
// node to its order instead of rebuilding it. Some list the pods' image (ImageLocality, image counts).
const IMAGE_LISTS: readonly (Record<string, number> | undefined)[] = [{ "example/app:1": 300 * 2 ** 20, "example/other:2": 50 * 2 ** 20 }, { "example/other:2": 50 * 2 ** 20 }, undefined, undefined];
const nodeSpec: fc.Arbitrary<Node> = fc.tuple(fc.constantFrom(...NODE_NAMES).chain((name) => nodeArbitrary(name)), fc.integer({ min: 0, max: 9 }), fc.constantFrom(...IMAGE_LISTS))
  .map(([node, roll, images]): Node => ({
    ...(roll < 7 ? { ...node, labels: Object.fromEntries(Object.entries(node.labels).filter(([key]) => key !== "topology.kubernetes.io/zone")) } : node),
    ...(images !== undefined ? { images } : {}),
  }));
const podSpec: fc.Arbitrary<Pod> = fc.constantFrom(...POD_NAMES).chain((name) => podArbitrary(name, NODE_NAMES));

const nodeName = (state: ClusterState, which: number): string => pick(Object.keys(state.nodes).sort(), which) ?? "node-none";

/** Scheduling cycles while the queue has a pod ready: both engines pick the same pod and decide the same. */
function schedulePass(model: Model, real: Real, choice: SchedulerChoice, seed: number, dtFirst: number): void {
  let wait = dtFirst;
  for (let cycle = 0; cycle < 40; cycle++) {
    const now = model.ref.t + wait;
    const key = nextPodToSchedule(model.ref, now);
    expect(current(real).nextPodToSchedule(now)).toBe(key);
    if (key === undefined) return;
    const decision = decide(model.ref, key, choice, seed);
    expect(decideFast(current(real), key, choice, seed)).toEqual(decision);
    const start = decision.nextStartNodeIndex === model.ref.nextStartNodeIndex ? {} : { nextStartNodeIndex: decision.nextStartNodeIndex };
    const draft: EventDraft = decision.kind === "bind"
      ? { type: "PodBound", pod: key, node: decision.node, ...start }
      : { type: "PodUnschedulable", pod: key, message: decision.message, plugins: decision.plugins, ...start };
    expect(applyBoth(model, real, draft, wait)).toBe(true);
    wait = 0;
  }
}

const commands = [
  fc.tuple(nodeSpec, dt).map(([spec, wait]) => new Step(`join ${spec.name}`, wait, (m, r, d) => void applyBoth(m, r, { type: "NodeJoined", node: spec.name, spec }, d))),
  fc.tuple(roll, dt).map(([which, wait]) => new Step(`remove node #${which}`, wait, (m, r, d) => void applyBoth(m, r, { type: "NodeRemoved", node: nodeName(m.ref, which) }, d))),
  fc.tuple(roll, fc.constantFrom("NoSchedule", "NoExecute", "PreferNoSchedule") as fc.Arbitrary<"NoSchedule" | "NoExecute" | "PreferNoSchedule">, fc.boolean(), dt)
    .map(([which, effect, add, wait]) => new Step(`${add ? "taint" : "untaint"} node #${which} ${effect}`, wait, (m, r, d) =>
      void applyBoth(m, r, { type: add ? "NodeTainted" : "NodeUntainted", node: nodeName(m.ref, which), taint: { key: "dedicated", value: "batch", effect } }, d))),
  // A kubelet stopping and starting, whatever it did before (the guards refuse what cannot be).
  fc.tuple(roll, fc.boolean(), dt).map(([which, stop, wait]) => new Step(`kubelet of node #${which} ${stop ? "stops" : "starts"}`, wait, (m, r, d) =>
    void applyBoth(m, r, { type: stop ? "KubeletStopped" : "KubeletStarted", node: nodeName(m.ref, which) }, d))),
  // A pod chosen for disruption, then deleted (gracefully, or forced), or deleted again to shorten its grace period.
  fc.tuple(roll, fc.constantFrom(0, 5, 30), dt).map(([which, grace, wait]) => new Step(`evict pod #${which} grace ${grace}`, wait, (m, r, d) => {
    const pod = pick(Object.values(m.ref.pods), which);
    if (!pod) return;
    applyBoth(m, r, { type: "PodEvicted", pod: keyOf(pod), reason: "TaintManagerEviction", message: "Taint manager: deleting due to NoExecute taint" }, d);
    applyBoth(m, r, { type: "PodDeleted", pod: keyOf(pod), gracePeriodSeconds: grace }, 0);
  })),
  fc.tuple(roll, fc.boolean(), dt).map(([which, cordon, wait]) => new Step(`${cordon ? "cordon" : "uncordon"} node #${which}`, wait, (m, r, d) =>
    void applyBoth(m, r, { type: cordon ? "NodeCordoned" : "NodeUncordoned", node: nodeName(m.ref, which) }, d))),
  fc.tuple(roll, fc.constantFrom("True", "False", "Unknown") as fc.Arbitrary<"True" | "False" | "Unknown">, fc.constantFrom("Ready", "MemoryPressure") as fc.Arbitrary<"Ready" | "MemoryPressure">, dt).map(([which, status, condition, wait]) => new Step(`node #${which} ${condition}=${status}`, wait, (m, r, d) =>
    void applyBoth(m, r, { type: "NodeConditionChanged", node: nodeName(m.ref, which), condition, status }, d))),
  fc.tuple(podSpec, dt).map(([spec, wait]) => new Step(`create ${spec.name}`, wait, (m, r, d) => void applyBoth(m, r, { type: "PodCreated", pod: `default/${spec.name}`, spec }, d))),
  fc.tuple(fc.constantFrom(...Object.keys(CHOICES)), fc.nat(100), dt).map(([choice, seed, wait]) => new Step(`schedule ${choice}`, wait, (m, r, d) => schedulePass(m, r, CHOICES[choice] as SchedulerChoice, seed, d))),
  fc.tuple(roll, dt).map(([which, wait]) => new Step(`start pod #${which}`, wait, (m, r, d) => {
    const pod = pick(podsWhere(m.ref, (p) => p.phase === "Pending" && p.holdsResources), which);
    if (pod) applyBoth(m, r, { type: "PodStarted", pod: keyOf(pod), node: pod.node as string }, d);
  })),
  // Readiness both ways, whatever the pod's state (the guards refuse what cannot be: both engines must agree).
  fc.tuple(roll, fc.boolean(), dt).map(([which, ready, wait]) => new Step(`pod #${which} ${ready ? "ready" : "not ready"}`, wait, (m, r, d) => {
    const pod = pick(Object.values(m.ref.pods), which);
    if (pod) applyBoth(m, r, { type: "PodReadyChanged", pod: keyOf(pod), ready }, d);
  })),
  fc.tuple(roll, fc.constantFrom("succeed", "fail", "crash", "complete", "restart"), dt).map(([which, how, wait]) => new Step(`${how} pod #${which}`, wait, (m, r, d) => {
    const pod = pick(podsWhere(m.ref, (p) => p.phase === "Running"), which);
    if (!pod) return;
    const key = keyOf(pod);
    const container = pod.pod.containers[0]?.name ?? "c0";
    const draft: EventDraft = how === "succeed" ? { type: "PodSucceeded", pod: key }
      : how === "fail" ? { type: "PodFailed", pod: key, reason: "Error", message: "exited" }
      : how === "crash" ? { type: "ContainerFailed", pod: key, container, exitCode: 1, reason: "Error" }
      : how === "complete" ? { type: "ContainerCompleted", pod: key, container }
      : { type: "ContainerRestarted", pod: key, container, restartCount: pod.restartCount + 1 };
    applyBoth(m, r, draft, d);
  })),
  // Several events for one pod in one batch: its record (and its node's) made by the batch is changed again.
  fc.tuple(roll, fc.boolean(), dt).map(([which, crash, wait]) => new Step(`${crash ? "crash and restart" : "finish and free"} pod #${which} at once`, wait, (m, r, d) => {
    const pod = pick(podsWhere(m.ref, (p) => p.phase === "Running" && p.runningSince !== undefined), which);
    if (!pod) return;
    const key = keyOf(pod);
    if (crash) {
      const container = pod.pod.containers[0]?.name ?? "c0";
      if (applyBoth(m, r, { type: "ContainerFailed", pod: key, container, exitCode: 137, reason: "OOMKilled" }, d)) {
        applyBoth(m, r, { type: "ContainerRestarted", pod: key, container, restartCount: pod.restartCount + 1 }, 0);
      }
    } else if (applyBoth(m, r, { type: "PodSucceeded", pod: key }, d)) {
      applyBoth(m, r, { type: "ResourcesFreed", pod: key, node: pod.node as string }, 0);
    }
  })),
  fc.tuple(roll, dt).map(([which, wait]) => new Step(`free pod #${which}`, wait, (m, r, d) => {
    const pod = pick(podsWhere(m.ref, (p) => p.holdsResources), which);
    if (pod) applyBoth(m, r, { type: "ResourcesFreed", pod: keyOf(pod), node: pod.node as string }, d);
  })),
  fc.tuple(roll, fc.nat(30), dt).map(([which, grace, wait]) => new Step(`delete pod #${which}`, wait, (m, r, d) => {
    const pod = pick(podsWhere(m.ref, () => true), which);
    applyBoth(m, r, { type: "PodDeleted", pod: pod ? keyOf(pod) : "default/nobody", gracePeriodSeconds: grace }, d);
  })),
  // Events the engine would never send: both must refuse them the same way.
  fc.tuple(roll, roll, dt).map(([whichPod, whichNode, wait]) => new Step(`bind pod #${whichPod} to node #${whichNode} unchecked`, wait, (m, r, d) => {
    const pod = pick(Object.keys(m.ref.pods).sort(), whichPod) ?? "default/nobody";
    applyBoth(m, r, { type: "PodBound", pod, node: nodeName(m.ref, whichNode) }, d);
  })),
];

/** The workloads the object commands apply: read from manifests as the loaders read them. */
function workload(kind: WorkloadKind, name: string, replicas: number, owner?: { name: string; uid: string }): Workload {
  const labels = { app: name };
  const converted = workloadFromManifest({
    apiVersion: kind === "ReplicationController" ? "v1" : "apps/v1",
    kind,
    metadata: { name, namespace: "default", ...(owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: owner.name, uid: owner.uid, controller: true }] } : {}) },
    spec: { ...(kind === "DaemonSet" ? {} : { replicas }), selector: kind === "ReplicationController" ? labels : { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "app", image: "app:1" }] } } },
  });
  return converted.value ?? expect.unreachable(JSON.stringify(converted.diagnostics));
}
const OBJECTS: readonly { kind: ObjectKind; name: string }[] = [
  { kind: "Deployment", name: "web" }, { kind: "ReplicaSet", name: "web-abc" }, { kind: "ReplicaSet", name: "solo" },
  { kind: "ReplicationController", name: "rc" }, { kind: "DaemonSet", name: "agent" }, { kind: "StatefulSet", name: "db" }, { kind: "PriorityClass", name: "high" },
];
const uidOfObject = (state: ClusterState, kind: string, name: string): string | undefined =>
  state.objects[kind === "PriorityClass" ? `${kind}/${name}` : `${kind}/default/${name}`]?.uid;
/** The object named by `which`, as applied with `replicas`; a ReplicaSet "web-abc" names Deployment "web" (its current uid, or a stale one). */
function objectFor(state: ClusterState, which: number, replicas: number, stale: boolean): ClusterObject {
  const { kind, name } = OBJECTS[which % OBJECTS.length] as { kind: ObjectKind; name: string };
  if (kind === "PriorityClass") return { kind, name, value: replicas * 1000, globalDefault: false, preemptionPolicy: "PreemptLowerPriority" };
  if (kind === "PodDisruptionBudget" || kind === "Service" || kind === "Namespace") throw new Error(`${kind} is not among the objects this test applies`);
  const owner = name === "web-abc" ? { name: "web", uid: stale ? "stale-uid" : (uidOfObject(state, "Deployment", "web") ?? "none") } : undefined;
  return workload(kind, name, replicas, owner);
}
const eventName = (object: { kind: ObjectKind; name: string }) => (object.kind === "PriorityClass" ? object.name : `default/${object.name}`);

const objectCommands = [
  fc.tuple(roll, fc.nat(4), fc.boolean(), dt).map(([which, replicas, stale, wait]) => new Step(`apply object #${which} (${replicas})`, wait, (m, r, d) => {
    const object = objectFor(m.ref, which, replicas, stale);
    applyBoth(m, r, { type: "ObjectApplied", kind: object.kind, object: eventName(OBJECTS[which % OBJECTS.length] as { kind: ObjectKind; name: string }), spec: object }, d);
  })),
  fc.tuple(podSpec, roll, fc.boolean(), dt).map(([spec, which, stale, wait]) => new Step(`create ${spec.name} owned by object #${which}`, wait, (m, r, d) => {
    const { kind, name } = OBJECTS[which % OBJECTS.length] as { kind: ObjectKind; name: string };
    const uid = stale ? "stale-uid" : (uidOfObject(m.ref, kind, name) ?? "none");
    const owned: Pod = { ...spec, ownerReferences: [{ apiVersion: "apps/v1", kind, name, uid, controller: true }] };
    applyBoth(m, r, { type: "PodCreated", pod: `default/${spec.name}`, spec: owned }, d);
  })),
  fc.tuple(roll, fc.nat(6), dt).map(([which, replicas, wait]) => new Step(`scale object #${which} to ${replicas}`, wait, (m, r, d) => {
    const object = OBJECTS[which % OBJECTS.length] as { kind: ObjectKind; name: string };
    applyBoth(m, r, { type: "WorkloadScaled", kind: object.kind, object: eventName(object), replicas }, d);
  })),
  fc.tuple(roll, fc.nat(3), dt).map(([which, ready, wait]) => new Step(`status of object #${which}`, wait, (m, r, d) => {
    const object = OBJECTS[which % OBJECTS.length] as { kind: ObjectKind; name: string };
    const at = m.ref.t + d;
    applyBoth(m, r, {
      type: "WorkloadStatusChanged", kind: object.kind, object: eventName(object),
      status: { replicas: 3, updatedReplicas: 3, readyReplicas: ready, availableReplicas: ready, unavailableReplicas: 3 - ready,
        conditions: [{ type: "Available", status: ready >= 2 ? "True" : "False", reason: "MinimumReplicasAvailable", message: "m", lastUpdateTime: at, lastTransitionTime: at }] },
    }, d);
  })),
  fc.tuple(roll, fc.boolean(), dt).map(([which, orphan, wait]) => new Step(`delete object #${which}${orphan ? " (orphan)" : ""}`, wait, (m, r, d) => {
    const object = OBJECTS[which % OBJECTS.length] as { kind: ObjectKind; name: string };
    applyBoth(m, r, { type: "ObjectDeleted", kind: object.kind, object: eventName(object), propagation: orphan ? "Orphan" : "Background" }, d);
  })),
];
commands.push(...objectCommands);

/** fc.commands picks uniformly: creating, joining, scheduling and finishing come up more often. */
const weighted = [...commands, commands[0], commands[0], commands[0], commands[5], commands[5], commands[6], commands[6], commands[6], commands[7], commands[8], commands[9], commands[10]].filter(
  (command): command is NonNullable<typeof command> => command !== undefined);

/** Runs a scenario through both engines under the named choice; their events must be the same, byte for byte. */
function runBoth(scenario: Scenario, choiceName: string): { fast: RunResult; reference: RunResult } {
  const choice = CHOICES[choiceName] as SchedulerChoice;
  const fast = runScenario(scenario, { engine: "fast" }, choice);
  const reference = runScenario(scenario, { engine: "reference" }, choice);
  expect(JSON.stringify(fast.events)).toBe(JSON.stringify(reference.events));
  return { fast, reference };
}

describe("the fast engine equals the reference engine", () => {
  it("after every command of random sequences, with the laws", () => {
    const before = commandsRun;
    fc.assert(
      fc.property(fc.constantFrom("requests" as const, "limits" as const), fc.commands(weighted, { maxCommands: 80, size: "max" }), (fitBy, sequence) => {
        const options = { fitBy };
        const model: Model = { ref: createState(options) };
        const real: Real = { fast: createFastState(options), batch: undefined, accepted: [], history: [] };
        fc.modelRun(() => ({ model, real }), sequence);

        // Replay one event at a time and as one batch: both give the live state.
        let replayed = createFastState(options);
        for (const event of real.accepted) {
          const result = fastReduce(replayed, event);
          expect(result.ok).toBe(true);
          replayed = result.state;
        }
        const live = serializeState(model.ref);
        expect(serializeState(materialize(replayed))).toBe(live);
        const batched = fastReduceAll(createFastState(options), real.accepted);
        expect(batched.ok).toBe(true);
        expect(serializeState(materialize(batched.state))).toBe(live);

        // Sealed states never changed; old ones (forks) rebuild their accelerators and answer as the reference did then.
        for (const old of real.history) {
          expect(serializeState(materialize(old.fast))).toBe(old.text);
          const now = old.ref.t + 3;
          const key = nextPodToSchedule(old.ref, now);
          expect(old.fast.nextPodToSchedule(now)).toBe(key);
          expect(checkAccelerators(old.fast)).toEqual([]);
          if (key !== undefined) expect(decideFast(old.fast, key, CHOICES["kube"] as SchedulerChoice, 7)).toEqual(decide(old.ref, key, CHOICES["kube"] as SchedulerChoice, 7));
        }
      }),
      { numRuns: RUNS },
    );
    // The sequences really ran (not all filtered out).
    expect(commandsRun - before).toBeGreaterThan(RUNS);
  });

  it("whole runs with Deployments, ReplicaSets, ReplicationControllers, StatefulSets, DaemonSets, Jobs and CronJobs give the same events, and keep the workloads' invariants", () => {
    fc.assert(
      fc.property(workloadScenarioArbitrary, (scenario) => {
        const { fast, reference } = runBoth(scenario, "kube");
        expect(serializeState(fast.state)).toBe(serializeState(reference.state));
        expect(checkInvariants(fast.state)).toEqual([]);
        expect(controllerBooksBroken(fast.state)).toEqual([]);
      }),
      { numRuns: Math.max(20, Math.floor(RUNS / 3)) },
    );
  });

  it("whole runs give the same events, byte for byte, and the same final state", () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.constantFrom(...Object.keys(CHOICES)), (scenario, choiceName) => {
        const { fast, reference } = runBoth(scenario, choiceName);
        expect(serializeState(fast.state)).toBe(serializeState(reference.state));
        // Replay of the fast engine's log rebuilds its live state.
        const replayed = fastReduceAll(createFastState(fast.state.options), fast.events);
        expect(replayed.ok).toBe(true);
        expect(serializeState(materialize(replayed.state))).toBe(serializeState(fast.state));
      }),
      { numRuns: RUNS },
    );
  });

  it("full clusters where higher-priority pods arrive give the same events (preemptions and nominations included)", () => {
    let preempted = 0;
    fc.assert(
      fc.property(preemptionScenarioArbitrary, (scenario) => {
        const { fast, reference } = runBoth(scenario, "kube");
        preempted += fast.events.filter((event) => event.type === "PodPreempted").length;
        expect(serializeState(fast.state)).toBe(serializeState(reference.state));
      }),
      {
        numRuns: Math.max(10, Math.ceil(RUNS / 2)),
        // Found by this property (seed -1641906240): pod-10, nominated to node-a and repelling app=a
        // by zone, must count pod-7 (app=a, of its priority, nominated there too) when its node is
        // tried first; the fast engine once bound it there.
        examples: [[JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "preemption-nominated-anti-affinity.json"), "utf8")) as Scenario]],
      },
    );
    // About 40 in 50 runs; most runs preempt.
    expect(preempted).toBeGreaterThan(10);
  });

  it("clusters of 100+ nodes, where kube samples from a moving start, give the same events", () => {
    let decisions = 0;
    fc.assert(
      fc.property(sampledScenarioArbitrary, fc.constantFrom(...Object.keys(CHOICES)), (scenario, choiceName) => {
        const { fast } = runBoth(scenario, choiceName);
        decisions += fast.events.filter((event) => event.type === "PodBound").length;
      }),
      { numRuns: Math.max(3, Math.ceil(RUNS / 25)) },
    );
    expect(decisions).toBeGreaterThan(0);
  });

  it("clusters of 100+ nodes where every pod spreads by zone, hostname or disk give the same events (the fused kernel's spreading against the plugins')", () => {
    let spreadBound = 0;
    fc.assert(
      fc.property(spreadScenarioArbitrary, (scenario) => {
        const { fast } = runBoth(scenario, "kube");
        spreadBound += fast.events.filter((event) => event.type === "PodBound").length;
      }),
      { numRuns: Math.max(3, Math.ceil(RUNS / 10)) },
    );
    expect(spreadBound).toBeGreaterThan(0);
  }, 120_000); // 100–150 nodes per run, pods with spreading and affinity: 15–21 s alone

  it("clusters growing node by node, with zones balanced or far apart, give the same events", () => {
    let joinsAfterStart = 0;
    fc.assert(
      fc.property(growingScenarioArbitrary, fc.constantFrom("kube", "first-fit", "best-fit"), (scenario, choiceName) => {
        const { fast } = runBoth(scenario, choiceName);
        joinsAfterStart += fast.events.filter((event) => event.type === "NodeJoined" && event.t > 0).length;
      }),
      { numRuns: Math.max(3, Math.ceil(RUNS / 25)) },
    );
    expect(joinsAfterStart).toBeGreaterThan(0);
  });

  it("time travel: the state at any tick is a checkpoint plus a short replay, equal to folding from zero; forks leave the history as it was", () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.integer({ min: 1, max: 120 }), fc.array(fc.integer({ min: -1, max: 1900 }), { minLength: 1, maxLength: 6 }), (scenario, every, ticks) => {
        const run = runScenario(scenario, { engine: "fast" });
        const built = History.build(run.state.options, run.events, every);
        if (!built.ok) throw new Error(built.rejection.message);
        const history = built.history;
        expect(serializeState(materialize(history.final))).toBe(serializeState(run.state));
        for (const t of ticks) {
          const upTo = run.events.filter((event) => event.t <= t);
          const expected = reduceAll(createState(run.state.options), upTo);
          if (!expected.ok) throw new Error(expected.rejection.message);
          const travelled = history.at(t);
          expect(serializeState(materialize(travelled))).toBe(serializeState(expected.state));
          // What is replayed after the checkpoint spans less than one interval of ticks.
          const replayed = upTo.slice(upTo.length - history.replayedAt(t));
          if (replayed.length > 0) expect((replayed[replayed.length - 1] as ClusterEvent).t - (replayed[0] as ClusterEvent).t).toBeLessThan(every);
          // A fork: more events on the travelled state leave it, and the history, as they were.
          const before = serializeState(materialize(travelled));
          const node = Object.keys(expected.state.nodes)[0];
          if (node !== undefined) {
            const forked = fastReduce(travelled, { type: "NodeCordoned", node, t: Math.max(travelled.t, 0), seq: travelled.seq + 1 });
            expect(forked.ok).toBe(true);
          }
          expect(serializeState(materialize(travelled))).toBe(before);
          expect(serializeState(materialize(history.at(t)))).toBe(serializeState(expected.state));
        }
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});
