/**
 * The fast reducer: the reference reducer's rules (reference/reduce.ts, the oracle) on the fast
 * state. Every case reads and checks first and writes after, so a rejected event leaves even a
 * transient untouched; the same rejections, codes and messages as the reference.
 *
 * - `fastReduce(sealed, event)` → a new sealed state (a one-event batch);
 * - `applyEvent(transient, event)` → the engine's in-place path for a batch.
 * Both run the same code, so batched and one-at-a-time give the same states (a property test
 * checks it anyway).
 */
import { terminatedRank } from "../cluster/state.js";
import { PREEMPTION_REASON, type ClusterEvent } from "../events/events.js";
import type { PodKey } from "../model/pod.js";
import type { ResourceList } from "../model/resources.js";
import { createdPod, nextBackOff } from "../cluster/created.js";
import {
  guardContainerExited,
  guardContainerRestarted,
  guardNodeJoined,
  guardKubelet,
  guardNodeTainted,
  guardNodeUntainted,
  guardOrder,
  guardPodBound,
  guardPodCreated,
  guardPodDeleted,
  guardPodEvicted,
  guardPodNominated,
  guardPodPreempted,
  guardPodFailed,
  guardPodStarted,
  guardPodReadyChanged,
  readyAsStarted,
  guardPodSucceeded,
  guardPodUnschedulable,
  guardResourcesFreed,
  unknownNode,
  unknownPod,
} from "../cluster/guards.js";
import { reject, rejectionOf, shapeRejection, type Rejection } from "../cluster/rejections.js";
import {
  appliedObject,
  controllerKeyOf,
  countsOf,
  countsPodCreated,
  guardObjectApplied,
  guardStatusWritten,
  guardWorkload,
  isWorkload,
  ownedBy,
  scaledObject,
  stateKey,
  unknownObject,
  withoutOwner,
  type ObjectState,
} from "../cluster/objects.js";
import type { NodeState, PodState } from "../cluster/state.js";
import { eventSubject, hintSaysQueue, isRequeueEvent, wakesOnlyPodPlugins } from "../scheduler/hints.js";
import { queueStatus, requeuePool, type QueuedPod } from "../scheduler/queue.js";
import { zoneKey } from "../scheduler/framework/nodetree.js";
import type { Node } from "../model/node.js";
import type { FastState, Transient } from "./state.js";
import { joinZone, leaveZone } from "./zones.js";

export type FastReduceResult =
  | { readonly ok: true; readonly state: FastState }
  | { readonly ok: false; readonly state: FastState; readonly rejection: Rejection };

/** Applies one event to a sealed state: a new sealed state, or a rejection with `state` itself. */
export function fastReduce(state: FastState, event: ClusterEvent): FastReduceResult {
  const malformed = shapeRejection(event);
  if (malformed !== undefined) return { ok: false, state, rejection: malformed };
  const transient = state.transient();
  const rejection = applyEvent(transient, event);
  if (rejection !== undefined) {
    transient.abandon(state);
    return { ok: false, state, rejection };
  }
  return { ok: true, state: transient.seal() };
}

/** Applies events in order, as one batch; stops at the first rejection (the state before the batch). */
export function fastReduceAll(state: FastState, events: Iterable<ClusterEvent>): FastReduceResult {
  const transient = state.transient();
  for (const event of events) {
    const rejection = shapeRejection(event) ?? applyEvent(transient, event);
    if (rejection !== undefined) {
      transient.abandon(state);
      return { ok: false, state, rejection };
    }
  }
  return { ok: true, state: transient.seal() };
}

/**
 * Applies one event in place to a transient; returns the rejection if refused. Every rule is
 * checked before the first write, so a refused event changes nothing — except malformed data
 * that breaks a write half-way, which poisons the batch: it then refuses everything and cannot
 * be sealed (the reference's immer rolls such an event back; start again from the last seal).
 */
export function applyEvent(state: Transient, event: ClusterEvent): Rejection | undefined {
  state.eventTouched = false;
  try {
    if (state.poisoned) reject("Malformed", "an earlier malformed event left this batch half-applied; start a new batch from the last sealed state");
    guardOrder(state.facts, event);
    // The pods this event sends back from the unschedulable pool, read before any write: requeue
    // events never change queue entries or queued pods themselves, and the hints read the event.
    const requeue = isRequeueEvent(event) ? requeueCandidates(state, event) : undefined;
    apply(state, event);
    if (state.ownedBefore.size > 0) settleOwnedCounts(state);
    state.facts.t = event.t;
    state.facts.seq = event.seq;
    if (requeue !== undefined) for (const [podId, entry] of requeue) writeQueue(state, podId, { ...entry, pool: requeuePool(entry, event.t) }, event.t);
    return undefined;
  } catch (error) {
    state.ownedBefore.clear();
    if (state.eventTouched) state.poisoned = true;
    return rejectionOf(error, event);
  }
}

/** The owner counts move by each touched owned pod's part after the event minus before. */
function settleOwnedCounts(state: Transient): void {
  const live = state.live;
  if (live !== undefined) {
    for (const [id, before] of state.ownedBefore) {
      const after = state.facts.pods.get(id);
      live.countOwned(before, -1);
      if (after !== undefined) live.countOwned(countsOf(after), 1);
    }
  }
  state.ownedBefore.clear();
}

// --- reads -------------------------------------------------------------------------------------

function nodeIdOf(state: Transient, name: string): number {
  const id = state.facts.nodeNames.id(name);
  if (id === undefined || state.facts.nodes.get(id) === undefined) return unknownNode(name);
  return id;
}

function podIdOf(state: Transient, key: string): number {
  const id = state.facts.podNames.id(key);
  if (id === undefined || state.facts.pods.get(id) === undefined) return unknownPod(key);
  return id;
}

function podAt(state: Transient, id: number): PodState {
  return state.facts.pods.get(id) as PodState;
}

function nodeAt(state: Transient, id: number): NodeState {
  return state.facts.nodes.get(id) as NodeState;
}

function objectIdOf(state: Transient, kind: string, object: string): number {
  const id = state.facts.objectNames.id(stateKey(kind, object));
  if (id === undefined || state.facts.objects.get(id) === undefined) return unknownObject(kind, object);
  return id;
}

// --- writes ------------------------------------------------------------------------------------

/** Sets (or, with undefined, removes) a pod's record; a record is one this batch just made, so it owns it. */
function writePod(state: Transient, id: number, pod: PodState | undefined): void {
  state.wrote();
  // An owned pod's part in its owner's counts before the event (a pod's spec, where its owner is,
  // changes only by orphaning, which keeps an `ownerReferences` list: a new record without one had none).
  if ((pod === undefined || pod.pod.ownerReferences !== undefined) && !state.ownedBefore.has(id)) {
    const current = state.facts.pods.get(id);
    if (current?.pod.ownerReferences !== undefined || pod !== undefined) state.ownedBefore.set(id, current === undefined ? undefined : countsOf(current));
  }
  // The owner index (only pods with owner references are in it) and the terminated count: one read of the old record then.
  const live = state.live;
  if (pod === undefined) live?.nominated.delete(id);
  if (live !== undefined && (pod === undefined || pod.pod.ownerReferences !== undefined)) {
    const before = state.facts.pods.get(id);
    live.podChanged(id, before, pod);
    if (pod === undefined && before !== undefined) live.terminatedGone(before);
  }
  state.facts.pods = state.facts.pods.set(id, pod, state.edit);
  if (pod !== undefined) state.facts.stamps.pods[id] = state.edit;
}

/** `Orphan` propagation: each dependent loses its reference to the owner (found through the owner index). */
function orphanDependents(state: Transient, key: string, uid: string): void {
  const accelerators = state.acceleratorsNow();
  const facts = state.facts;
  for (const id of [...(accelerators.ownedPods.get(key) ?? [])]) {
    const pod = podAt(state, id);
    if (ownedBy(pod.pod.ownerReferences, uid)) writePod(state, id, { ...fullShape(pod), pod: withoutOwner(pod.pod, uid) });
  }
  for (const id of [...(accelerators.ownedObjects.get(key) ?? [])]) {
    const record = facts.objects.get(id) as ObjectState;
    if (isWorkload(record.object) && ownedBy(record.object.ownerReferences, uid)) writeObject(state, id, { ...record, object: withoutOwner(record.object, uid) });
  }
}

/** Sets (or removes) an object's record; the owner index follows. */
function writeObject(state: Transient, id: number, record: ObjectState | undefined): void {
  state.wrote();
  const live = state.live;
  if (live !== undefined) live.objectChanged(id, state.facts.objects.get(id), record);
  state.facts.objects = state.facts.objects.set(id, record, state.edit);
}

type MutablePod = { -readonly [K in keyof PodState]: PodState[K] };

/** Pod `id`'s record to change in place: itself if this batch made it, else a copy this batch owns. */
function podToChange(state: Transient, id: number): MutablePod {
  state.wrote();
  const pod = podAt(state, id);
  if (pod.pod.ownerReferences !== undefined && !state.ownedBefore.has(id)) state.ownedBefore.set(id, countsOf(pod));
  if (state.ownsPod(id)) return pod as MutablePod;
  const copy = fullShape(pod) as MutablePod;
  writePod(state, id, copy);
  return copy;
}

interface MutableNode {
  node: Node;
  requested: Record<string, number>;
  nonZeroRequested: { cpu: number; memory: number };
  pods: string[];
  joinedAt: number | undefined;
  kubeletStoppedAt: number | undefined;
  readyTransitionAt: number | undefined;
  memoryPressureSince: number | undefined;
}

/**
 * Node `id`'s record to change its usage in place: itself if this batch made it (its request
 * sums and pod list too), else a copy with its own copies of them. The caller tells the
 * accelerators (`nodeUsageChanged`) once done.
 */
function nodeToChange(state: Transient, id: number): MutableNode {
  state.wrote();
  const node = nodeAt(state, id);
  if (state.ownsNode(id)) return node as MutableNode;
  const copy: MutableNode = {
    node: node.node,
    requested: { ...node.requested },
    nonZeroRequested: { cpu: node.nonZeroRequested.cpu, memory: node.nonZeroRequested.memory },
    pods: node.pods.slice(),
    joinedAt: node.joinedAt,
    kubeletStoppedAt: node.kubeletStoppedAt,
    readyTransitionAt: node.readyTransitionAt,
    memoryPressureSince: node.memoryPressureSince,
  };
  state.facts.nodes = state.facts.nodes.set(id, copy, state.edit);
  state.facts.stamps.nodes[id] = state.edit;
  return copy;
}

function nodeUsageChanged(state: Transient, id: number, node: NodeState): void {
  state.live?.nodeChanged(id, node);
}

/** Replaces the record of a node that exists, and tells the index. */
function replaceNode(state: Transient, id: number, node: NodeState): void {
  state.wrote();
  state.facts.nodes = state.facts.nodes.set(id, node, state.edit);
  state.live?.nodeChanged(id, node);
}

function writeNode(state: Transient, id: number, node: NodeState | undefined): void {
  state.wrote();
  const facts = state.facts;
  const before = facts.nodes.get(id);
  facts.nodes = facts.nodes.set(id, node, state.edit);
  // A joining node's record is new, with its own request sums and pod list.
  if (before === undefined && node !== undefined) facts.stamps.nodes[id] = state.edit;
  const accelerators = state.live;
  if (accelerators === undefined) return;
  if (before === undefined || node === undefined) {
    // A join takes its place in kube's order once the tree has it (NodeJoined); a removal rebuilds the order.
    if (node === undefined) accelerators.nodeRemoved(id);
    accelerators.taintsChanged(before, node);
    accelerators.spread.nodeChanged(before?.node.labels, node?.node.labels);
    accelerators.affinity.selected.nodeChanged(before?.node.labels, node?.node.labels);
    accelerators.hostnameChanged(id, before?.node.labels, node?.node.labels);
    if (before !== undefined) accelerators.countImages(before, -1);
    if (node !== undefined) accelerators.countImages(node, 1);
  } else {
    accelerators.nodeChanged(id, node);
  }
}

function writeQueue(state: Transient, id: number, entry: QueuedPod | undefined, now: number): void {
  state.wrote();
  const facts = state.facts;
  facts.queue = facts.queue.set(id, entry, state.edit);
  state.live?.queue.changed(id, entry, now);
}

/**
 * The record with every field of PodState present (undefined when absent, which serialises as
 * absent). One shape for all pod records keeps `{ ...pod, field }` on V8's fast path: adding a
 * field the source lacks costs ~1 µs, replacing one ~0.15 µs (measured here).
 */
function fullShape(pod: PodState): PodState {
  return {
    pod: pod.pod, createdSeq: pod.createdSeq, createdAt: pod.createdAt, request: pod.request, nonZero: pod.nonZero, phase: pod.phase, node: pod.node,
    holdsResources: pod.holdsResources, startedAt: pod.startedAt, finishedAt: pod.finishedAt, runningSince: pod.runningSince, readySince: pod.readySince, restartCount: pod.restartCount,
    deletionDeadline: pod.deletionDeadline, reason: pod.reason, message: pod.message, lastExitCode: pod.lastExitCode, backOff: pod.backOff,
    disruption: pod.disruption, orphaned: pod.orphaned, nominatedNode: pod.nominatedNode,
  };
}

/** Adds a pod's request to a node's sums, in place. */
function addTo(sums: Record<string, number>, request: ResourceList): void {
  for (const name in request) sums[name] = (sums[name] ?? 0) + (request[name] as number);
}

/**
 * Takes a pod's request from a node's sums: in place, or, when a sum reaches 0, a new object
 * without the zeros (the reference's normalizeResources(subtractResources(a, b)), keys unsorted;
 * `delete` would turn the object into a slow dictionary).
 */
function takeFrom(sums: Record<string, number>, request: ResourceList): Record<string, number> {
  let zero = false;
  for (const name in request) {
    const amount = (sums[name] ?? 0) - (request[name] as number);
    sums[name] = amount;
    if (amount === 0) zero = true;
  }
  if (!zero) return sums;
  const kept: Record<string, number> = {};
  for (const name in sums) if (sums[name] !== 0) kept[name] = sums[name] as number;
  return kept;
}

/** Where `key` is, or would go, in a sorted list. */
function sortedPosition(list: readonly string[], key: string): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((list[middle] as string) < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Inserts `key` into a sorted list, in place. */
function insertSorted(list: string[], key: string): void {
  list.splice(sortedPosition(list, key), 0, key);
}

/** Removes `key` from a sorted list, in place, if it is there. */
function removeSorted(list: string[], key: string): void {
  const position = sortedPosition(list, key);
  if (list[position] === key) list.splice(position, 1);
}

/** The pod starts counting against node `nodeId`: it is bound there (reason and message cleared) and holds resources. */
function hold(state: Transient, podId: number, nodeId: number, nodeName: string): void {
  const pod = podToChange(state, podId);
  pod.reason = undefined;
  pod.message = undefined;
  pod.node = nodeName;
  pod.holdsResources = true;
  // ClearingNominatedNodeNameAfterBinding (beta, on in v1.35).
  if (pod.nominatedNode !== undefined) {
    pod.nominatedNode = undefined;
    state.live?.nominated.delete(podId);
  }
  const node = nodeToChange(state, nodeId);
  addTo(node.requested, pod.request);
  node.nonZeroRequested.cpu += pod.nonZero.cpu;
  node.nonZeroRequested.memory += pod.nonZero.memory;
  insertSorted(node.pods, state.facts.podNames.name(podId));
  nodeUsageChanged(state, nodeId, node);
  if (pod.deletionDeadline === undefined) state.live?.spread.changed(pod.pod, nodeName, 1);
  state.live?.affinity.changed(pod.pod, nodeName, 1);
  state.live?.priorityHeld(pod.pod.priority, 1);
}

/** The pod stops counting against its node `nodeId`. */
function release(state: Transient, podId: number, nodeId: number): void {
  const pod = podToChange(state, podId);
  pod.holdsResources = false;
  const node = nodeToChange(state, nodeId);
  node.requested = takeFrom(node.requested, pod.request);
  node.nonZeroRequested.cpu -= pod.nonZero.cpu;
  node.nonZeroRequested.memory -= pod.nonZero.memory;
  removeSorted(node.pods, state.facts.podNames.name(podId));
  nodeUsageChanged(state, nodeId, node);
  if (pod.deletionDeadline === undefined) state.live?.spread.changed(pod.pod, state.facts.nodeNames.name(nodeId), -1);
  state.live?.affinity.changed(pod.pod, state.facts.nodeNames.name(nodeId), -1);
  state.live?.priorityHeld(pod.pod.priority, -1);
}

function setWaiting(state: Transient, nodeName: string, keys: readonly PodKey[]): void {
  state.wrote();
  const waiting = new Map(state.facts.waiting);
  if (keys.length === 0) waiting.delete(nodeName);
  else waiting.set(nodeName, keys);
  state.facts.waiting = waiting;
}

/** Whether `key` is `podKey(spec)`, without building that string. */
function isKeyOf(key: string, spec: { readonly namespace: string; readonly name: string }): boolean {
  const namespace = spec.namespace;
  return key.length === namespace.length + 1 + spec.name.length && key.charCodeAt(namespace.length) === 47 && key.startsWith(namespace) && key.endsWith(spec.name);
}

function apply(state: Transient, event: ClusterEvent): void {
  const facts = state.facts;
  switch (event.type) {
    case "NodeJoined": {
      const existing = facts.nodeNames.id(event.node);
      guardNodeJoined(existing !== undefined && facts.nodes.get(existing) !== undefined, event);
      zoneKey(event.spec); // reads the labels: malformed ones fail here, before any write
      const nodeId = facts.nodeNames.intern(event.node);
      const record: NodeState = { node: event.spec, requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, pods: [], joinedAt: event.t, kubeletStoppedAt: undefined, readyTransitionAt: undefined, memoryPressureSince: undefined };
      writeNode(state, nodeId, record);
      const joined = joinZone(facts.nodeTree, event.spec, state.edit, state.ownedTree);
      facts.nodeTree = joined.tree;
      state.live?.nodeJoined(nodeId, record, joined.zoneIndex, joined.round);
      // Pods bound by their manifest to this node, created before it joined: its kubelet sees them now.
      const waiting = facts.waiting.get(event.node);
      if (waiting !== undefined) {
        setWaiting(state, event.node, []);
        for (const key of waiting) hold(state, facts.podNames.id(key) as number, nodeId, event.node);
      }
      return;
    }
    case "NodeRemoved": {
      const nodeId = nodeIdOf(state, event.node);
      const node = nodeAt(state, nodeId);
      // Its pods stay in the API, bound to a node that is gone: they stop counting against it (PodGC deletes them).
      for (const key of [...node.pods]) {
        const podId = facts.podNames.id(key) as number;
        release(state, podId, nodeId);
        podToChange(state, podId).orphaned = true;
      }
      state.wrote();
      facts.nodeTree = leaveZone(facts.nodeTree, node.node, state.edit, state.ownedTree);
      writeNode(state, nodeId, undefined);
      return;
    }
    case "NodeConditionChanged": {
      const nodeId = nodeIdOf(state, event.node);
      const node = nodeAt(state, nodeId);
      if (event.condition === "MemoryPressure") replaceNode(state, nodeId, { ...node, memoryPressureSince: event.status === "True" ? event.t : undefined });
      else replaceNode(state, nodeId, { ...node, node: { ...node.node, ready: event.status }, readyTransitionAt: event.t });
      return;
    }
    case "KubeletStopped":
    case "KubeletStarted": {
      const nodeId = nodeIdOf(state, event.node);
      const node = nodeAt(state, nodeId);
      guardKubelet(node, event);
      replaceNode(state, nodeId, { ...node, kubeletStoppedAt: event.type === "KubeletStopped" ? event.t : undefined });
      return;
    }
    case "NodeCordoned":
    case "NodeUncordoned": {
      const nodeId = nodeIdOf(state, event.node);
      const node = nodeAt(state, nodeId);
      replaceNode(state, nodeId, { ...node, node: { ...node.node, unschedulable: event.type === "NodeCordoned" } });
      return;
    }
    case "NodeTainted": {
      const nodeId = nodeIdOf(state, event.node);
      const node = nodeAt(state, nodeId);
      guardNodeTainted(node, event);
      const tainted = { ...node, node: { ...node.node, taints: [...node.node.taints, event.taint] } };
      replaceNode(state, nodeId, tainted);
      state.live?.taintsChanged(node, tainted);
      return;
    }
    case "NodeUntainted": {
      const nodeId = nodeIdOf(state, event.node);
      const node = nodeAt(state, nodeId);
      const index = guardNodeUntainted(node, event);
      const untainted = { ...node, node: { ...node.node, taints: node.node.taints.filter((_, at) => at !== index) } };
      replaceNode(state, nodeId, untainted);
      state.live?.taintsChanged(node, untainted);
      return;
    }
    case "PodCreated": {
      const existing = facts.podNames.id(event.pod);
      guardPodCreated(existing !== undefined && facts.pods.get(existing) !== undefined, isKeyOf(event.pod, event.spec), event);
      const nodeName = event.spec.nodeName;
      const nodeId = nodeName === undefined ? undefined : facts.nodeNames.id(nodeName);
      const created = createdPod(event, facts.options, nodeId !== undefined && facts.nodes.get(nodeId) !== undefined);
      const podId = facts.podNames.intern(event.pod);
      // Its controller counts one more pod made (the counter in the names it generates).
      const ownerKey = controllerKeyOf(event.spec);
      const ownerId = ownerKey === undefined ? undefined : facts.objectNames.id(ownerKey);
      const owner = ownerId === undefined ? undefined : facts.objects.get(ownerId);
      if (owner !== undefined && countsPodCreated(owner, event.spec)) writeObject(state, ownerId as number, { ...owner, podsCreated: owner.podsCreated + 1 });
      writePod(state, podId, created.pod);
      if (created.hold) hold(state, podId, nodeId as number, nodeName as string);
      else if (nodeName !== undefined) setWaiting(state, nodeName, [...(facts.waiting.get(nodeName) ?? []), event.pod]);
      if (created.queue) writeQueue(state, podId, created.queue, event.t);
      return;
    }
    case "PodBound": {
      const podId = podIdOf(state, event.pod);
      const nodeId = nodeIdOf(state, event.node);
      const pod = podAt(state, podId);
      const node = nodeAt(state, nodeId);
      guardPodBound(pod, node, facts.queue.get(podId), event);
      if (event.gpus !== undefined) podToChange(state, podId).gpus = [...event.gpus];
      hold(state, podId, nodeId, event.node);
      writeQueue(state, podId, undefined, event.t);
      if (event.nextStartNodeIndex !== undefined) facts.nextStartNodeIndex = event.nextStartNodeIndex;
      return;
    }
    case "PodUnschedulable": {
      const podId = podIdOf(state, event.pod);
      const entry = facts.queue.get(podId);
      guardPodUnschedulable(entry, entry !== undefined && queueStatus(entry, event.t) === "unschedulable");
      const plugins = [...event.plugins];
      // An attempt with no rejecting plugin was an error: it waits out its backoff and retries.
      writeQueue(state, podId, {
        ...entry,
        pool: plugins.length === 0 ? "backoff" : "unschedulable",
        error: plugins.length === 0,
        timestamp: event.t,
        order: event.seq,
        attempts: entry.attempts + 1,
        unschedulableCount: entry.unschedulableCount + 1,
        plugins,
      }, event.t);
      const pod = podToChange(state, podId);
      pod.reason = plugins.length === 0 ? "SchedulerError" : "Unschedulable";
      pod.message = event.message;
      if (event.nextStartNodeIndex !== undefined) facts.nextStartNodeIndex = event.nextStartNodeIndex;
      return;
    }
    case "PodStarted": {
      const podId = podIdOf(state, event.pod);
      guardPodStarted(podAt(state, podId), event);
      const started = podToChange(state, podId);
      started.reason = undefined;
      started.message = undefined;
      started.phase = "Running";
      started.startedAt = event.t;
      // Preemption's dry run orders a node's pods by start.
      const on = started.node === undefined ? undefined : facts.nodeNames.id(started.node);
      if (on !== undefined) state.live?.dryRunTouched(on);
      started.runningSince = event.t;
      started.readySince = readyAsStarted(started.pod, event.t);
      return;
    }
    case "ContainerFailed":
    case "ContainerCompleted": {
      const podId = podIdOf(state, event.pod);
      const pod = podAt(state, podId);
      guardContainerExited(pod, event);
      const exited = podToChange(state, podId);
      exited.runningSince = undefined;
      exited.readySince = undefined;
      exited.lastExitCode = event.type === "ContainerFailed" ? event.exitCode : 0;
      exited.reason = event.type === "ContainerFailed" ? event.reason : "Completed";
      exited.backOff = nextBackOff(pod.backOff, event.t);
      return;
    }
    case "ContainerRestarted": {
      const podId = podIdOf(state, event.pod);
      guardContainerRestarted(podAt(state, podId), event);
      const restarted = podToChange(state, podId);
      restarted.reason = undefined;
      restarted.restartCount = event.restartCount;
      restarted.runningSince = event.t;
      restarted.readySince = readyAsStarted(restarted.pod, event.t);
      return;
    }
    case "PodReadyChanged": {
      const podId = podIdOf(state, event.pod);
      guardPodReadyChanged(podAt(state, podId), event);
      podToChange(state, podId).readySince = event.ready ? event.t : undefined;
      return;
    }
    case "PodSucceeded": {
      const podId = podIdOf(state, event.pod);
      guardPodSucceeded(podAt(state, podId));
      const succeeded = podToChange(state, podId);
      succeeded.runningSince = undefined;
      succeeded.readySince = undefined;
      succeeded.phase = "Succeeded";
      succeeded.reason = "Completed";
      succeeded.finishedAt = event.t;
      state.live?.terminatedAdded(podId, terminatedRank(succeeded));
      return;
    }
    case "PodFailed": {
      const podId = podIdOf(state, event.pod);
      guardPodFailed(podAt(state, podId));
      const failed = podToChange(state, podId);
      failed.runningSince = undefined;
      failed.readySince = undefined;
      failed.phase = "Failed";
      failed.reason = event.reason;
      failed.message = event.message;
      failed.finishedAt = event.t;
      state.live?.terminatedAdded(podId, terminatedRank(failed));
      return;
    }
    case "PodDeleted": {
      const podId = podIdOf(state, event.pod);
      const pod = podAt(state, podId);
      guardPodDeleted(pod, event);
      if (!pod.holdsResources) {
        const nodeName = pod.pod.nodeName;
        const waiting = nodeName === undefined ? undefined : facts.waiting.get(nodeName);
        if (nodeName !== undefined && waiting?.includes(event.pod)) setWaiting(state, nodeName, waiting.filter((key) => key !== event.pod));
        writePod(state, podId, undefined);
        if (facts.queue.get(podId) !== undefined) writeQueue(state, podId, undefined, event.t);
        return;
      }
      // A terminating pod no longer counts for spreading (once: a second delete only shortens the grace period).
      if (pod.deletionDeadline === undefined) state.live?.spread.changed(pod.pod, pod.node as string, -1);
      podToChange(state, podId).deletionDeadline = event.t + event.gracePeriodSeconds;
      return;
    }
    // A drain's start and end and a refused eviction change nothing the state holds (kubectl is a client); they need what they name.
    case "NodeDrainStarted":
      nodeAt(state, nodeIdOf(state, event.node));
      return;
    case "NodeDrainFinished":
      return;
    case "PodEvictionRefused":
      podAt(state, podIdOf(state, event.pod));
      return;
    case "PodEvicted": {
      const podId = podIdOf(state, event.pod);
      guardPodEvicted(podAt(state, podId));
      podToChange(state, podId).disruption = { reason: event.reason, message: event.message, at: event.t };
      return;
    }
    case "PodNominated": {
      const podId = podIdOf(state, event.pod);
      guardPodNominated(podAt(state, podId), facts.nodeNames.id(event.node) !== undefined && facts.nodes.get(facts.nodeNames.id(event.node) as number) !== undefined, event);
      podToChange(state, podId).nominatedNode = event.node === "" ? undefined : event.node;
      if (event.node === "") state.live?.nominated.delete(podId);
      else state.live?.nominated.set(podId, facts.nodeNames.id(event.node) as number, podAt(state, podId));
      return;
    }
    case "PodPreempted": {
      const podId = podIdOf(state, event.pod);
      guardPodPreempted(podAt(state, podId), event);
      podToChange(state, podId).disruption = { reason: PREEMPTION_REASON, message: event.message, at: event.t };
      return;
    }
    case "ResourcesFreed": {
      const podId = podIdOf(state, event.pod);
      const pod = podAt(state, podId);
      guardResourcesFreed(pod, event);
      const deleted = pod.deletionDeadline !== undefined;
      release(state, podId, facts.nodeNames.id(event.node) as number);
      if (deleted) writePod(state, podId, undefined);
      return;
    }
    case "ObjectApplied": {
      guardObjectApplied(event);
      const id = facts.objectNames.intern(stateKey(event.kind, event.object));
      writeObject(state, id, appliedObject(facts.objects.get(id), event));
      return;
    }
    case "ObjectDeleted": {
      const id = objectIdOf(state, event.kind, event.object);
      const uid = (facts.objects.get(id) as ObjectState).uid;
      writeObject(state, id, undefined);
      if (event.propagation === "Orphan") orphanDependents(state, stateKey(event.kind, event.object), uid);
      return;
    }
    case "WorkloadScaled": {
      const id = objectIdOf(state, event.kind, event.object);
      const record = facts.objects.get(id) as ObjectState;
      writeObject(state, id, scaledObject(record, guardWorkload(record, event), event.replicas));
      return;
    }
    case "WorkloadStatusChanged": {
      const id = objectIdOf(state, event.kind, event.object);
      const record = facts.objects.get(id) as ObjectState;
      guardStatusWritten(record, event);
      writeObject(state, id, { ...record, status: event.status });
      return;
    }
    default: {
      const unreachable: never = event;
      reject("InvalidTransition", `unknown event type ${JSON.stringify((unreachable as { type: unknown }).type)}`);
    }
  }
}

/** The unschedulable pods this event may help (queueing hints), with their entries: they go back to activeQ or backoffQ. */
function requeueCandidates(state: Transient, event: ClusterEvent): [number, QueuedPod][] {
  const facts = state.facts;
  const moving: [number, QueuedPod][] = [];
  const queue = state.acceleratorsNow().queue;
  // Binding, removing, tainting or cordoning wake only pods PodTopologySpread rejected.
  const candidates = wakesOnlyPodPlugins(event) ? queue.unschedulableByPodPlugins : queue.unschedulable;
  if (candidates.size === 0) return moving;
  const subject = eventSubject(event, (key) => state.pod(key), (name) => state.node(name)?.node);
  for (const podId of candidates) {
    const entry = facts.queue.get(podId);
    if (entry === undefined || queueStatus(entry, event.t) !== "unschedulable") continue;
    const pod = podAt(state, podId);
    if (entry.plugins.some((plugin) => hintSaysQueue(plugin, event, pod, subject))) moving.push([podId, entry]);
  }
  return moving;
}
