/**
 * The reference reducer: what each event does, what it refuses (state unchanged, a typed
 * rejection naming the event and the reason), deletion and grace periods, pods that bypass the
 * queue, purity, and requeueing by queueing hints.
 */
import { describe, expect, it } from "vitest";
import type { ClusterEvent, EventDraft } from "../events/events.js";
import type { Node } from "../model/node.js";
import { podKey, type Pod } from "../model/pod.js";
import { NODE_RESOURCES_FIT } from "../scheduler/plugins/noderesourcesfit/filter.js";
import { NODE_UNSCHEDULABLE } from "../scheduler/plugins/nodeunschedulable/index.js";
import { makeNode, makePod } from "../testing/builders.js";
import { reduce, reduceAll } from "./reduce.js";
import type { RejectionCode } from "../cluster/rejections.js";
import { createState, serializeState, type ClusterState } from "../cluster/state.js";
import { queueView } from "../scheduler/queue.js";

const MB = 1_000_000;

// The seed's node: 1 cpu, 512M.
const node1 = makeNode("node-1", { cpu: "1", memory: "512M" });
const a = makePod("a", { cpu: "250m", memory: "256M" });
const b = makePod("b", { cpu: "250m", memory: "128M" });

const joined = (node: Node): EventDraft => ({ type: "NodeJoined", node: node.name, spec: node });
const created = (pod: Pod): EventDraft => ({ type: "PodCreated", pod: podKey(pod), spec: pod });
const bound = (pod: Pod, node: Node): EventDraft => ({ type: "PodBound", pod: podKey(pod), node: node.name });
const started = (pod: Pod, node: Node): EventDraft => ({ type: "PodStarted", pod: podKey(pod), node: node.name });
const succeeded = (pod: Pod): EventDraft => ({ type: "PodSucceeded", pod: podKey(pod) });
const freed = (pod: Pod, node: Node): EventDraft => ({ type: "ResourcesFreed", pod: podKey(pod), node: node.name });
const unschedulable = (pod: Pod, plugins: string[]): EventDraft => ({ type: "PodUnschedulable", pod: podKey(pod), message: "0/1 nodes are available.", plugins });

/** The event `draft` as the next one after `state`, at tick `t` (default: the state's tick). */
function next(state: ClusterState, draft: EventDraft, t = state.t): ClusterEvent {
  return { ...draft, t, seq: state.seq + 1 } as ClusterEvent;
}

/** Applies drafts one by one from `state`; each is `[t, draft]` or a draft at the current tick. Every one must be accepted. */
function play(state: ClusterState, ...steps: Array<EventDraft | readonly [number, EventDraft]>): ClusterState {
  let current = state;
  for (const step of steps) {
    const event = Array.isArray(step) ? next(current, step[1] as EventDraft, step[0] as number) : next(current, step as EventDraft);
    const result = reduce(current, event);
    if (!result.ok) throw new Error(result.rejection.message);
    current = result.state;
  }
  return current;
}

const start = (...steps: Array<EventDraft | readonly [number, EventDraft]>): ClusterState => play(createState(), ...steps);

/** node-1 with `a` and `b` bound and running (500m, 384M used). */
const running = start(joined(node1), created(a), created(b), bound(a, node1), bound(b, node1), started(a, node1), started(b, node1));

describe("reduce: each event's effect", () => {
  it("NodeJoined adds an empty node", () => {
    const state = start(joined(node1));
    expect(state.nodes["node-1"]).toEqual({ node: node1, requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, pods: [], joinedAt: 0 });
  });

  it("NodeRemoved deletes a node whatever it holds: its pods stay, orphaned, counting against no node", () => {
    const state = play(running, [40, { type: "NodeRemoved", node: "node-1" }]);
    expect(state.nodes["node-1"]).toBeUndefined();
    expect(state.pods["default/a"]).toMatchObject({ phase: "Running", node: "node-1", holdsResources: false, orphaned: true });
    expect(state.pods["default/b"]).toMatchObject({ phase: "Running", node: "node-1", holdsResources: false, orphaned: true });
    // An orphan is force-deleted (PodGC's grace 0) and is gone at once: it holds nothing to free.
    expect(play(state, { type: "PodDeleted", pod: "default/a", gracePeriodSeconds: 0 }).pods["default/a"]).toBeUndefined();
  });

  it("KubeletStopped and KubeletStarted record when the kubelet went down, and nothing else", () => {
    const stopped = play(running, [60, { type: "KubeletStopped", node: "node-1" }]);
    expect(stopped.nodes["node-1"]).toMatchObject({ kubeletStoppedAt: 60, pods: ["default/a", "default/b"] });
    expect(stopped.nodes["node-1"]?.node.ready).toBe("True");
    expect(play(stopped, [90, { type: "KubeletStarted", node: "node-1" }]).nodes["node-1"]?.kubeletStoppedAt).toBeUndefined();
  });

  it("a second delete of a Terminating pod may shorten its grace period or force it, never lengthen it", () => {
    const terminating = play(running, [10, { type: "PodDeleted", pod: "default/a", gracePeriodSeconds: 30 }]); // until 40
    expect(play(terminating, [20, { type: "PodDeleted", pod: "default/a", gracePeriodSeconds: 5 }]).pods["default/a"]?.deletionDeadline).toBe(25);
    expect(play(terminating, [50, { type: "PodDeleted", pod: "default/a", gracePeriodSeconds: 0 }]).pods["default/a"]?.deletionDeadline).toBe(50);
    expect(reduce(terminating, next(terminating, { type: "PodDeleted", pod: "default/a", gracePeriodSeconds: 30 }, 20)).ok).toBe(false); // 50 > 40
  });

  it("PodEvicted records kube's DisruptionTarget condition on the pod", () => {
    const state = play(running, [400, { type: "PodEvicted", pod: "default/a", reason: "TaintManagerEviction", message: "Taint manager: deleting due to NoExecute taint" }]);
    expect(state.pods["default/a"]?.disruption).toEqual({ reason: "TaintManagerEviction", message: "Taint manager: deleting due to NoExecute taint", at: 400 });
  });

  it("a bound pod adds its non-zero request for scoring: 100m and 200Mi for a container without requests", () => {
    const empty = makePod("empty");
    const state = start(joined(node1), created(empty), bound(empty, node1));
    expect(state.nodes["node-1"]?.nonZeroRequested).toEqual({ cpu: 100, memory: 200 * 2 ** 20 });
    expect(state.nodes["node-1"]?.requested).toEqual({});
  });

  it("NodeRemoved removes an empty node", () => {
    expect(play(start(joined(node1)), { type: "NodeRemoved", node: "node-1" }).nodes).toEqual({});
  });

  it("NodeConditionChanged, NodeCordoned, NodeUncordoned, NodeTainted and NodeUntainted change the node", () => {
    const taint = { key: "gpu", effect: "NoSchedule" } as const;
    let state = play(start(joined(node1)), { type: "NodeConditionChanged", node: "node-1", condition: "Ready", status: "Unknown" }, { type: "NodeCordoned", node: "node-1" }, { type: "NodeTainted", node: "node-1", taint });
    expect(state.nodes["node-1"]?.node).toMatchObject({ ready: "Unknown", unschedulable: true, taints: [taint] });
    state = play(state, { type: "NodeUncordoned", node: "node-1" }, { type: "NodeUntainted", node: "node-1", taint });
    expect(state.nodes["node-1"]?.node).toMatchObject({ unschedulable: false, taints: [] });
  });

  it("PodCreated makes a Pending pod and queues it in activeQ, stamped with its tick and seq", () => {
    const state = play(start(joined(node1)), [7, created(makePod("a", { cpu: "250m" }, { priority: 5 }))]);
    expect(state.pods["default/a"]).toMatchObject({ phase: "Pending", holdsResources: false, request: { cpu: 250 }, restartCount: 0 });
    expect(state.queue["default/a"]).toMatchObject({ pool: "active", timestamp: 7, order: 2, priority: 5, attempts: 0 });
  });

  it("PodBound adds the pod's request to its node and takes it out of the queue", () => {
    const state = start(joined(node1), created(a), created(b), bound(a, node1), bound(b, node1));
    // 250m + 250m = 500m; 256M + 128M = 384M.
    expect(state.nodes["node-1"]).toMatchObject({ requested: { cpu: 500, memory: 384 * MB }, pods: ["default/a", "default/b"] });
    expect(state.pods["default/a"]).toMatchObject({ node: "node-1", holdsResources: true, phase: "Pending" });
    expect(state.queue).toEqual({});
  });

  it("PodUnschedulable moves the pod to the unschedulable pool with the rejecting plugins", () => {
    const c = makePod("c", { cpu: "500m", memory: "256M" });
    const state = play(running, created(c), [3, { type: "PodUnschedulable", pod: "default/c", message: "0/1 nodes are available: 1 Insufficient memory.", plugins: [NODE_RESOURCES_FIT] }]);
    expect(state.queue["default/c"]).toMatchObject({ pool: "unschedulable", timestamp: 3, attempts: 1, unschedulableCount: 1, plugins: [NODE_RESOURCES_FIT], error: false });
    expect(state.pods["default/c"]).toMatchObject({ reason: "Unschedulable", message: "0/1 nodes are available: 1 Insufficient memory." });
  });

  it("PodUnschedulable with no rejecting plugin is an error: the pod backs off in the error queue", () => {
    const state = start(created(a), { type: "PodUnschedulable", pod: "default/a", message: "no nodes available to schedule pods", plugins: [] });
    expect(state.queue["default/a"]).toMatchObject({ pool: "backoff", error: true, unschedulableCount: 1 });
  });

  it("PodStarted makes the pod Running from that tick", () => {
    const state = play(start(joined(node1), created(a), bound(a, node1)), [4, started(a, node1)]);
    expect(state.pods["default/a"]).toMatchObject({ phase: "Running", startedAt: 4, runningSince: 4 });
  });

  it("ContainerFailed, ContainerRestarted and ContainerCompleted follow one container run after another", () => {
    let state = play(running, [30, { type: "ContainerFailed", pod: "default/a", container: "app", exitCode: 2, reason: "Error" }]);
    expect(state.pods["default/a"]).toMatchObject({ phase: "Running", reason: "Error", lastExitCode: 2 });
    expect(state.pods["default/a"]?.runningSince).toBeUndefined();
    state = play(state, [40, { type: "ContainerRestarted", pod: "default/a", container: "app", restartCount: 1 }]);
    expect(state.pods["default/a"]).toMatchObject({ restartCount: 1, runningSince: 40 });
    state = play(state, [100, { type: "ContainerCompleted", pod: "default/a", container: "app" }]);
    expect(state.pods["default/a"]).toMatchObject({ reason: "Completed", lastExitCode: 0 });
  });

  it("PodSucceeded keeps the resources until ResourcesFreed; then the finished pod stays, holding nothing", () => {
    let state = play(running, [60, succeeded(a)]);
    expect(state.pods["default/a"]).toMatchObject({ phase: "Succeeded", holdsResources: true });
    expect(state.nodes["node-1"]?.requested).toEqual({ cpu: 500, memory: 384 * MB });
    state = play(state, freed(a, node1));
    // 500m − 250m = 250m; 384M − 256M = 128M.
    expect(state.nodes["node-1"]).toMatchObject({ requested: { cpu: 250, memory: 128 * MB }, pods: ["default/b"] });
    expect(state.pods["default/a"]).toMatchObject({ phase: "Succeeded", holdsResources: false });
  });

  it("PodFailed records the kubelet's reason and message", () => {
    const state = play(running, { type: "PodFailed", pod: "default/a", reason: "Error", message: "container \"app\" exited with code 1" });
    expect(state.pods["default/a"]).toMatchObject({ phase: "Failed", reason: "Error", holdsResources: true });
  });
});

describe("reduce: rejections leave the state as it was", () => {
  const tooManyPods = makeNode("tiny", { cpu: "4", memory: "8Gi", pods: "1" });
  const rows: Array<{ name: string; state: ClusterState; event: (state: ClusterState) => ClusterEvent; code: RejectionCode; reason: RegExp }> = [
    {
      name: "a seq that does not increase",
      state: running,
      event: (state) => ({ ...next(state, { type: "NodeCordoned", node: "node-1" }), seq: state.seq }),
      code: "OutOfOrder",
      reason: /seq 7 is not after the last applied seq 7/,
    },
    {
      name: "a tick that goes back",
      state: play(running, [10, { type: "NodeCordoned", node: "node-1" }]),
      event: (state) => next(state, { type: "NodeUncordoned", node: "node-1" }, 5),
      code: "OutOfOrder",
      reason: /tick 5 is before the current tick 10/,
    },
    { name: "a node that does not exist", state: running, event: (state) => next(state, { type: "NodeCordoned", node: "ghost" }), code: "UnknownNode", reason: /no node named "ghost"/ },
    {
      name: "binding to a node that does not exist",
      state: start(created(a)),
      event: (state) => next(state, { type: "PodBound", pod: "default/a", node: "ghost" }),
      code: "UnknownNode",
      reason: /no node named "ghost"/,
    },
    { name: "a pod that does not exist", state: running, event: (state) => next(state, { type: "PodStarted", pod: "default/ghost", node: "node-1" }), code: "UnknownPod", reason: /no pod "default\/ghost"/ },
    { name: "a node joining twice", state: running, event: (state) => next(state, joined(node1)), code: "AlreadyExists", reason: /already in the cluster/ },
    { name: "a pod created twice", state: running, event: (state) => next(state, created(a)), code: "AlreadyExists", reason: /already exists/ },
    {
      // 500m used + 750m = 1250m > 1000m.
      name: "a PodBound that over-commits cpu",
      state: play(running, created(makePod("d", { cpu: "750m", memory: "64M" }))),
      event: (state) => next(state, { type: "PodBound", pod: "default/d", node: "node-1" }),
      code: "DoesNotFit",
      reason: /does not fit on node node-1 \(Insufficient cpu\): a scheduler bug/,
    },
    {
      // 384M used + 256M = 640M > 512M.
      name: "a PodBound that over-commits memory",
      state: play(running, created(makePod("c", { cpu: "500m", memory: "256M" }))),
      event: (state) => next(state, { type: "PodBound", pod: "default/c", node: "node-1" }),
      code: "DoesNotFit",
      reason: /\(Insufficient memory\)/,
    },
    {
      // 1 pod already there + 1 > 1 allowed.
      name: "a PodBound beyond the node's pod count",
      state: start(joined(tooManyPods), created(a), created(b), bound(a, tooManyPods)),
      event: (state) => next(state, bound(b, tooManyPods)),
      code: "DoesNotFit",
      reason: /\(Too many pods\)/,
    },
    {
      name: "a PodBound for a pod that is already bound",
      state: running,
      event: (state) => next(state, bound(a, node1)),
      code: "InvalidTransition",
      reason: /already on node node-1/,
    },
    {
      name: "PodStarted on an unbound pod",
      state: start(joined(node1), created(a)),
      event: (state) => next(state, started(a, node1)),
      code: "InvalidTransition",
      reason: /only a pending pod assigned to node-1 can start \(it is Pending, unbound\)/,
    },
    {
      name: "ResourcesFreed twice",
      state: play(running, succeeded(a), freed(a, node1)),
      event: (state) => next(state, freed(a, node1)),
      code: "InvalidTransition",
      reason: /already freed/,
    },
    {
      name: "ResourcesFreed for a running pod that is not terminating",
      state: running,
      event: (state) => next(state, freed(a, node1)),
      code: "InvalidTransition",
      reason: /the pod is Running and not terminating/,
    },
    {
      name: "a container failing in a pod that is not running",
      state: start(joined(node1), created(a), bound(a, node1)),
      event: (state) => next(state, { type: "ContainerFailed", pod: "default/a", container: "app", exitCode: 1, reason: "Error" }),
      code: "InvalidTransition",
      reason: /only a running pod's container can fail/,
    },
    {
      name: "a restart count that skips",
      state: play(running, { type: "ContainerFailed", pod: "default/a", container: "app", exitCode: 1, reason: "Error" }),
      event: (state) => next(state, { type: "ContainerRestarted", pod: "default/a", container: "app", restartCount: 2 }),
      code: "InvalidTransition",
      reason: /goes from 0 to 1, not 2/,
    },
    { name: "stopping a kubelet twice", state: play(running, { type: "KubeletStopped", node: "node-1" }), event: (state) => next(state, { type: "KubeletStopped", node: "node-1" }), code: "InvalidTransition", reason: /already stopped \(since tick 0\)/ },
    { name: "starting a kubelet that runs", state: running, event: (state) => next(state, { type: "KubeletStarted", node: "node-1" }), code: "InvalidTransition", reason: /the node's kubelet is running/ },
    { name: "evicting a pod that succeeded", state: play(running, succeeded(a)), event: (state) => next(state, { type: "PodEvicted", pod: "default/a", reason: "TaintManagerEviction", message: "m" }), code: "InvalidTransition", reason: /already Succeeded/ },
  ];

  it.each(rows)("$name → $code", ({ state, event, code, reason }) => {
    const before = serializeState(state);
    const rejected = event(state);
    const result = reduce(state, rejected);
    expect(result.ok).toBe(false);
    expect(result.state).toBe(state);
    expect(serializeState(state)).toBe(before);
    if (result.ok) return;
    expect(result.rejection.code).toBe(code);
    expect(result.rejection.event).toBe(rejected);
    expect(result.rejection.message).toContain(`${rejected.type} (seq ${rejected.seq}`);
    expect(result.rejection.message).toMatch(reason);
  });

  it("reduceAll stops at the first rejection and returns the state before it", () => {
    const events = [next(running, succeeded(a)), { ...next(running, freed(b, node1)), seq: running.seq + 2 }];
    const result = reduceAll(running, events);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejection.event).toBe(events[1]);
    expect(result.state.pods["default/a"]?.phase).toBe("Succeeded");
  });
});

describe("reduce: deletion", () => {
  it("PodDeleted of an unbound pod removes it and its queue entry at once", () => {
    const state = play(start(joined(node1), created(a)), { type: "PodDeleted", pod: "default/a", gracePeriodSeconds: 30 });
    expect(state.pods).toEqual({});
    expect(state.queue).toEqual({});
  });

  it("PodDeleted of a bound pod makes it terminate, holding its resources until the grace period's ResourcesFreed", () => {
    let state = play(running, [20, { type: "PodDeleted", pod: "default/a", gracePeriodSeconds: 30 }]);
    // 20 + 30 = 50.
    expect(state.pods["default/a"]).toMatchObject({ deletionDeadline: 50, holdsResources: true, phase: "Running" });
    expect(state.nodes["node-1"]?.requested).toEqual({ cpu: 500, memory: 384 * MB });
    state = play(state, [50, freed(a, node1)]);
    expect(state.pods["default/a"]).toBeUndefined();
    expect(state.nodes["node-1"]).toMatchObject({ requested: { cpu: 250, memory: 128 * MB }, pods: ["default/b"] });
  });

  it("a second PodDeleted of a terminating pod is refused", () => {
    const state = play(running, { type: "PodDeleted", pod: "default/a", gracePeriodSeconds: 30 });
    const result = reduce(state, next(state, { type: "PodDeleted", pod: "default/a", gracePeriodSeconds: 30 }));
    expect(result.ok ? undefined : result.rejection.code).toBe("InvalidTransition");
  });

  it("PodDeleted of a finished pod that no longer holds resources removes it at once", () => {
    const state = play(running, succeeded(a), freed(a, node1), { type: "PodDeleted", pod: "default/a", gracePeriodSeconds: 30 });
    expect(state.pods["default/a"]).toBeUndefined();
  });
});

describe("reduce: pods the scheduler does not queue", () => {
  it("a pod created with spec.nodeName holds resources on that node at once", () => {
    const state = start(joined(node1), created(makePod("pinned", { cpu: "750m" }, { nodeName: "node-1" })));
    expect(state.nodes["node-1"]).toMatchObject({ requested: { cpu: 750 }, pods: ["default/pinned"] });
    expect(state.pods["default/pinned"]).toMatchObject({ node: "node-1", holdsResources: true, phase: "Pending" });
    expect(state.queue).toEqual({});
  });

  it("a pod created with spec.nodeName counts against its node even if it over-commits it (kubelet admission decides, not reduce)", () => {
    const state = play(running, created(makePod("pinned", { cpu: "750m" }, { nodeName: "node-1" })));
    // 500m + 750m = 1250m on a 1000m node: reduce accepts it; kubelet admission is the engine's job.
    expect(state.nodes["node-1"]?.requested["cpu"]).toBe(1250);
  });

  const rows: Array<{ name: string; pod: Pod; reason: string }> = [
    { name: "a pod naming a node that does not exist waits unbound", pod: makePod("p", {}, { nodeName: "ghost" }), reason: "NodeNotFound" },
    { name: "a gated pod waits for its gates", pod: makePod("p", {}, { schedulingGates: ["example.com/quota"] }), reason: "SchedulingGated" },
    { name: "a pod for another scheduler waits for it", pod: makePod("p", {}, { schedulerName: "my-scheduler" }), reason: "OtherScheduler" },
  ];
  it.each(rows)("$name", ({ pod, reason }) => {
    const state = start(joined(node1), created(pod));
    expect(state.queue).toEqual({});
    expect(state.pods["default/p"]).toMatchObject({ phase: "Pending", holdsResources: false, reason });
    expect(state.nodes["node-1"]?.requested).toEqual({});
  });
});

describe("reduce: purity", () => {
  it("an old state is unchanged after later events", () => {
    const snapshot = serializeState(running);
    const c = makePod("c", { cpu: "500m" });
    const later = play(running, [10, succeeded(a)], freed(a, node1), created(c), bound(c, node1), { type: "NodeCordoned", node: "node-1" });
    expect(serializeState(running)).toBe(snapshot);
    expect(serializeState(later)).not.toBe(snapshot);
  });

  it("a rejected event changes nothing either", () => {
    const snapshot = serializeState(running);
    reduce(running, next(running, { type: "NodeRemoved", node: "node-1" }));
    expect(serializeState(running)).toBe(snapshot);
  });
});

describe("reduce: queueing hints requeue unschedulable pods", () => {
  // node-1 runs `big` (800m); `p` (600m) failed at t=0 by NodeResourcesFit: 800 + 600 > 1000.
  const big = makePod("big", { cpu: "800m" });
  const p = makePod("p", { cpu: "600m" });
  const waitingForCpu = start(joined(node1), created(big), bound(big, node1), started(big, node1), created(p), unschedulable(p, [NODE_RESOURCES_FIT]));

  // node-1 is cordoned and runs `b`; `q` (100m) failed at t=0 by NodeUnschedulable only.
  const q = makePod("q", { cpu: "100m" });
  const waitingForUncordon = start(joined(node1), created(b), bound(b, node1), started(b, node1), { type: "NodeCordoned", node: "node-1" }, created(q), unschedulable(q, [NODE_UNSCHEDULABLE]));

  const rows: Array<{ name: string; state: ClusterState; steps: Array<readonly [number, EventDraft]>; pod: string; pool: string }> = [
    {
      name: "a NodeResourcesFit rejection is requeued by ResourcesFreed",
      state: waitingForCpu,
      steps: [[5, succeeded(big)], [5, freed(big, node1)]],
      pod: "default/p",
      pool: "active",
    },
    {
      name: "a NodeResourcesFit rejection is not requeued by the pod merely finishing (its resources are not yet freed)",
      state: waitingForCpu,
      steps: [[5, succeeded(big)]],
      pod: "default/p",
      pool: "unschedulable",
    },
    {
      // p needs 600m; an empty 2-cpu node could hold it.
      name: "a NodeResourcesFit rejection is requeued by a node joining that is big enough",
      state: waitingForCpu,
      steps: [[5, joined(makeNode("node-2", { cpu: "2", memory: "1Gi" }))]],
      pod: "default/p",
      pool: "active",
    },
    {
      // p needs 600m; an empty 500m node cannot hold it.
      name: "a NodeResourcesFit rejection is not requeued by a node joining that is too small",
      state: waitingForCpu,
      steps: [[5, joined(makeNode("node-2", { cpu: "500m", memory: "1Gi" }))]],
      pod: "default/p",
      pool: "unschedulable",
    },
    {
      name: "a NodeResourcesFit rejection is not requeued by an uncordon",
      state: play(waitingForCpu, { type: "NodeCordoned", node: "node-1" }),
      steps: [[5, { type: "NodeUncordoned", node: "node-1" }]],
      pod: "default/p",
      pool: "unschedulable",
    },
    {
      // failed at t=0 with backoff 1 s: still backing off at t=1, so it goes to backoffQ.
      name: "a pod requeued while still backing off goes to backoffQ",
      state: waitingForCpu,
      steps: [[1, succeeded(big)], [1, freed(big, node1)]],
      pod: "default/p",
      pool: "backoff",
    },
    {
      name: "a NodeUnschedulable rejection is not requeued by ResourcesFreed",
      state: waitingForUncordon,
      steps: [[5, succeeded(b)], [5, freed(b, node1)]],
      pod: "default/q",
      pool: "unschedulable",
    },
    {
      name: "a NodeUnschedulable rejection is requeued by NodeUncordoned",
      state: waitingForUncordon,
      steps: [[5, { type: "NodeUncordoned", node: "node-1" }]],
      pod: "default/q",
      pool: "active",
    },
    {
      name: "a NodeUnschedulable rejection is requeued by a schedulable node joining",
      state: waitingForUncordon,
      steps: [[5, joined(makeNode("node-2"))]],
      pod: "default/q",
      pool: "active",
    },
    {
      name: "a NodeUnschedulable rejection is not requeued by a cordoned node joining",
      state: waitingForUncordon,
      steps: [[5, joined(makeNode("node-2", undefined, { unschedulable: true }))]],
      pod: "default/q",
      pool: "unschedulable",
    },
  ];

  it.each(rows)("$name", ({ state, steps, pod, pool }) => {
    expect(state.queue[pod]?.pool).toBe("unschedulable");
    const after = play(state, ...steps);
    expect(after.queue[pod]?.pool).toBe(pool);
  });

  it("requeueing keeps the failed attempt's timestamp (it only moves the pod between queues)", () => {
    const after = play(waitingForCpu, [5, succeeded(big)], [5, freed(big, node1)]);
    expect(after.queue["default/p"]).toMatchObject({ timestamp: 0, unschedulableCount: 1, attempts: 1 });
  });
});

describe("reduce: the kubelet's rules", () => {
  it("refuses to restart a container of a terminating pod", () => {
    const job = makePod("job", { cpu: "100m" }, { restartPolicy: "OnFailure" });
    const failing = start(joined(node1), created(job), bound(job, node1), started(job, node1),
      { type: "ContainerFailed", pod: "default/job", container: "app", exitCode: 1, reason: "Error" },
      { type: "PodDeleted", pod: "default/job", gracePeriodSeconds: 30 });
    const result = reduce(failing, next(failing, { type: "ContainerRestarted", pod: "default/job", container: "app", restartCount: 1 }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.rejection.message).toMatch(/^ContainerRestarted \(seq \d+, pod default\/job\) rejected: the pod is terminating/);
    expect(result.state).toBe(failing);
  });

  it("a pod bound by spec.nodeName to a node that has not joined waits, then holds resources there when it joins", () => {
    const pinned = makePod("pinned", { cpu: "300m" }, { nodeName: "node-1" });
    const waiting = start(created(pinned));
    expect(waiting.pods["default/pinned"]).toMatchObject({ phase: "Pending", holdsResources: false, reason: "NodeNotFound" });
    expect(waiting.queue["default/pinned"]).toBeUndefined();
    const afterJoin = play(waiting, joined(node1));
    expect(afterJoin.pods["default/pinned"]).toMatchObject({ node: "node-1", holdsResources: true });
    expect(afterJoin.pods["default/pinned"]?.reason).toBeUndefined();
    expect(afterJoin.nodes["node-1"]).toMatchObject({ requested: { cpu: 300 }, pods: ["default/pinned"] });
  });
});

describe("queueView: the scheduling queue as it stands at a tick", () => {
  const low = makePod("low", { cpu: "100m" }, { priority: 1 });
  const high = makePod("high", { cpu: "100m" }, { priority: 5 });
  const big = makePod("big", { cpu: "4" });
  // big fails at t=0 (unschedulable pool); low and high wait in activeQ, high first by priority.
  const state = start(joined(node1), created(big), created(low), created(high), unschedulable(big, [NODE_RESOURCES_FIT]));

  it("orders activeQ by priority, then arrival", () => {
    expect(queueView(state)).toEqual({ active: ["default/high", "default/low"], backoff: [], unschedulable: ["default/big"] });
  });

  it("moves a pod back after the leftover flush (first multiple of 30 s after 0 + 300 → 330)", () => {
    expect(queueView(state, 329).unschedulable).toEqual(["default/big"]);
    expect(queueView(state, 330).active).toEqual(["default/high", "default/low", "default/big"]);
  });

  it("puts a pod requeued by an event during its backoff in backoffQ until the backoff window passes", () => {
    // freed resources at t=0 requeue big while it backs off (1 s from t=0, released at t=2).
    const extra = makePod("extra", { cpu: "100m" }, { nodeName: "node-1" });
    const requeued = play(state, created(extra), { type: "PodFailed", pod: "default/extra", reason: "OutOfcpu", message: "x" }, freed(extra, node1));
    expect(queueView(requeued, 0).backoff).toEqual(["default/big"]);
    expect(queueView(requeued, 1).backoff).toEqual(["default/big"]);
    expect(queueView(requeued, 2).active).toContain("default/big");
  });
});

describe("reduce is total", () => {
  it("rejects an event whose data breaks the reducer as Malformed, state unchanged", () => {
    const broken = { type: "PodCreated", pod: "default/x", spec: { namespace: "default", name: "x" }, t: 0, seq: 1 } as unknown as ClusterEvent;
    const state = createState();
    const result = reduce(state, broken);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.rejection.code).toBe("Malformed");
      expect(result.rejection.message).toBe('PodCreated (seq 1, pod default/x) rejected: malformed: field "spec.labels" must be an object, got nothing');
    }
    expect(result.state).toBe(state);
  });
});
