/**
 * The reference reducer: `reduce(state, event)` → the next state, or a typed rejection with the
 * state unchanged. Pure and total: it never throws on an invalid event and never changes its
 * input (immer copies what it touches and freezes the result). An event without its type's
 * shape is refused as Malformed before any rule reads it; what each event requires of the state
 * is its guard (cluster/guards.ts, shared with the fast engine): this file keeps the writes.
 */
import { castDraft, original, produce, type Draft } from "immer";
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
  countsPodCreated,
  guardObjectApplied,
  guardStatusWritten,
  guardWorkload,
  isWorkload,
  objectOwnerKey,
  ownedBy,
  scaledObject,
  stateKey,
  unknownObject,
  withoutOwner,
  type ObjectState,
} from "../cluster/objects.js";
import type { QueuedPod } from "../cluster/queue-entry.js";
import type { ClusterState, NodeState, PodState } from "../cluster/state.js";
import { PREEMPTION_REASON, type ClusterEvent } from "../events/events.js";
import { podKey } from "../model/pod.js";
import { addResources, subtractResources, normalizeResources } from "../model/resources.js";
import { eventSubject, hintSaysQueue, isRequeueEvent, POD_PLUGINS, wakesOnlyPodPlugins } from "../scheduler/hints.js";
import { queueStatus, requeuePool } from "../scheduler/queue.js";
import { addToTree, removeFromTree } from "../scheduler/framework/nodetree.js";

export type ReduceResult =
  | { readonly ok: true; readonly state: ClusterState }
  | { readonly ok: false; readonly state: ClusterState; readonly rejection: Rejection };

/** Applies one event. See the file comment for the contract. */
export function reduce(state: ClusterState, event: ClusterEvent): ReduceResult {
  const malformed = shapeRejection(event);
  if (malformed !== undefined) return { ok: false, state, rejection: malformed };
  try {
    const next = produce(state, (draft) => {
      guardOrder(draft, event);
      apply(draft, event);
      draft.t = event.t;
      draft.seq = event.seq;
      if (isRequeueEvent(event)) requeueUnschedulable(draft, state, event);
    });
    return { ok: true, state: next };
  } catch (error) {
    return { ok: false, state, rejection: rejectionOf(error, event) };
  }
}

/** Applies events in order; stops at the first rejection. */
export function reduceAll(state: ClusterState, events: Iterable<ClusterEvent>): ReduceResult {
  let current = state;
  for (const event of events) {
    const result = reduce(current, event);
    if (!result.ok) return result;
    current = result.state;
  }
  return { ok: true, state: current };
}

type DraftState = Draft<ClusterState>;

function getNode(draft: DraftState, name: string): Draft<NodeState> {
  // Own keys only: "constructor" is a valid node name and an Object.prototype property.
  return (Object.hasOwn(draft.nodes, name) ? draft.nodes[name] : undefined) ?? unknownNode(name);
}

function getPod(draft: DraftState, key: string): Draft<PodState> {
  return (Object.hasOwn(draft.pods, key) ? draft.pods[key] : undefined) ?? unknownPod(key);
}

function apply(draft: DraftState, event: ClusterEvent): void {
  switch (event.type) {
    case "NodeJoined": {
      guardNodeJoined(Object.hasOwn(draft.nodes, event.node), event);
      draft.nodes[event.node] = castDraft({ node: event.spec, requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, pods: [], joinedAt: event.t });
      draft.nodeTree = castDraft(addToTree(draft.nodeTree, event.spec));
      // Pods bound by their manifest to this node, created before it joined: its kubelet sees
      // them now (the engine admits them in creation order).
      // (Read from the original record: no draft per pod.)
      for (const [key, pod] of Object.entries(original(draft.pods) ?? {})) {
        if (pod.pod.nodeName === event.node && pod.node === undefined && pod.phase === "Pending") {
          const waiting = draft.pods[key] as Draft<PodState>;
          waiting.node = event.node;
          delete waiting.reason;
          delete waiting.message;
          hold(draft, key);
        }
      }
      return;
    }
    case "NodeRemoved": {
      const node = getNode(draft, event.node);
      // Its pods stay in the API, bound to a node that is gone: they stop counting against it (PodGC deletes them).
      for (const key of [...node.pods]) {
        release(draft, key);
        (draft.pods[key] as Draft<PodState>).orphaned = true;
      }
      draft.nodeTree = castDraft(removeFromTree(draft.nodeTree, node.node));
      delete draft.nodes[event.node];
      return;
    }
    case "NodeConditionChanged": {
      const node = getNode(draft, event.node);
      if (event.condition === "MemoryPressure") {
        if (event.status === "True") node.memoryPressureSince = event.t;
        else delete node.memoryPressureSince;
        return;
      }
      node.node.ready = event.status;
      node.readyTransitionAt = event.t;
      return;
    }
    case "KubeletStopped":
    case "KubeletStarted": {
      const node = getNode(draft, event.node);
      guardKubelet(node, event);
      if (event.type === "KubeletStopped") node.kubeletStoppedAt = event.t;
      else delete node.kubeletStoppedAt;
      return;
    }
    case "NodeCordoned":
      getNode(draft, event.node).node.unschedulable = true;
      return;
    case "NodeUncordoned":
      getNode(draft, event.node).node.unschedulable = false;
      return;
    case "NodeTainted": {
      const node = getNode(draft, event.node);
      guardNodeTainted(node, event);
      node.node.taints.push(event.taint);
      return;
    }
    case "NodeUntainted": {
      const node = getNode(draft, event.node);
      node.node.taints.splice(guardNodeUntainted(node, event), 1);
      return;
    }
    case "PodCreated":
      createPod(draft, event);
      return;
    case "PodBound": {
      const pod = getPod(draft, event.pod);
      const node = getNode(draft, event.node);
      guardPodBound(pod, node, draft.queue[event.pod], event);
      pod.node = event.node;
      if (event.gpus !== undefined) pod.gpus = [...event.gpus];
      delete pod.reason;
      delete pod.message;
      // ClearingNominatedNodeNameAfterBinding (beta, on in v1.35).
      delete pod.nominatedNode;
      hold(draft, event.pod);
      delete draft.queue[event.pod];
      if (event.nextStartNodeIndex !== undefined) draft.nextStartNodeIndex = event.nextStartNodeIndex;
      return;
    }
    case "PodUnschedulable": {
      const pod = getPod(draft, event.pod);
      const entry = draft.queue[event.pod];
      guardPodUnschedulable(entry, entry !== undefined && queueStatus(entry, event.t) === "unschedulable");
      // An attempt with no rejecting plugin was an error: it waits out its backoff and retries.
      entry.pool = event.plugins.length === 0 ? "backoff" : "unschedulable";
      entry.error = event.plugins.length === 0;
      entry.timestamp = event.t;
      entry.order = event.seq;
      entry.attempts += 1;
      entry.unschedulableCount += 1;
      entry.plugins = [...event.plugins];
      // kube's PodScheduled condition: Unschedulable for a verdict, SchedulerError for an error (schedule_one.go handleSchedulingFailure).
      pod.reason = event.plugins.length === 0 ? "SchedulerError" : "Unschedulable";
      pod.message = event.message;
      if (event.nextStartNodeIndex !== undefined) draft.nextStartNodeIndex = event.nextStartNodeIndex;
      return;
    }
    case "PodStarted": {
      const pod = getPod(draft, event.pod);
      guardPodStarted(pod, event);
      pod.phase = "Running";
      pod.startedAt = event.t;
      pod.runningSince = event.t;
      if (readyAsStarted(pod.pod, event.t) !== undefined) pod.readySince = event.t;
      delete pod.reason;
      delete pod.message;
      return;
    }
    case "ContainerFailed": {
      const pod = getPod(draft, event.pod);
      guardContainerExited(pod, event);
      pod.lastExitCode = event.exitCode;
      pod.reason = event.reason;
      delete pod.runningSince;
      delete pod.readySince;
      pod.backOff = nextBackOff(pod.backOff, event.t);
      return;
    }
    case "ContainerCompleted": {
      const pod = getPod(draft, event.pod);
      guardContainerExited(pod, event);
      pod.lastExitCode = 0;
      pod.reason = "Completed";
      delete pod.runningSince;
      delete pod.readySince;
      pod.backOff = nextBackOff(pod.backOff, event.t);
      return;
    }
    case "ContainerRestarted": {
      const pod = getPod(draft, event.pod);
      guardContainerRestarted(pod, event);
      pod.restartCount = event.restartCount;
      pod.runningSince = event.t;
      if (readyAsStarted(pod.pod, event.t) !== undefined) pod.readySince = event.t;
      delete pod.reason;
      return;
    }
    case "PodReadyChanged": {
      const pod = getPod(draft, event.pod);
      guardPodReadyChanged(pod, event);
      if (event.ready) pod.readySince = event.t;
      else delete pod.readySince;
      return;
    }
    case "PodSucceeded": {
      const pod = getPod(draft, event.pod);
      guardPodSucceeded(pod);
      pod.phase = "Succeeded";
      pod.reason = "Completed";
      pod.finishedAt = event.t;
      delete pod.runningSince;
      delete pod.readySince;
      return;
    }
    case "PodFailed": {
      const pod = getPod(draft, event.pod);
      guardPodFailed(pod);
      pod.phase = "Failed";
      pod.reason = event.reason;
      pod.message = event.message;
      pod.finishedAt = event.t;
      delete pod.runningSince;
      delete pod.readySince;
      return;
    }
    case "PodDeleted": {
      const pod = getPod(draft, event.pod);
      guardPodDeleted(pod, event);
      if (!pod.holdsResources) {
        delete draft.pods[event.pod];
        delete draft.queue[event.pod];
        return;
      }
      pod.deletionDeadline = event.t + event.gracePeriodSeconds;
      return;
    }
    // A drain's start and end and a refused eviction change nothing the state holds (kubectl is a client); they need what they name.
    case "NodeDrainStarted":
      getNode(draft, event.node);
      return;
    case "NodeDrainFinished":
      return;
    case "PodEvictionRefused":
      getPod(draft, event.pod);
      return;
    case "PodEvicted": {
      const pod = getPod(draft, event.pod);
      guardPodEvicted(pod);
      pod.disruption = { reason: event.reason, message: event.message, at: event.t };
      return;
    }
    case "PodNominated": {
      const pod = getPod(draft, event.pod);
      guardPodNominated(pod, Object.hasOwn(draft.nodes, event.node), event);
      if (event.node === "") delete pod.nominatedNode;
      else pod.nominatedNode = event.node;
      return;
    }
    case "PodPreempted": {
      const pod = getPod(draft, event.pod);
      guardPodPreempted(pod, event);
      pod.disruption = { reason: PREEMPTION_REASON, message: event.message, at: event.t };
      return;
    }
    case "ResourcesFreed": {
      const pod = getPod(draft, event.pod);
      guardResourcesFreed(pod, event);
      release(draft, event.pod);
      if (pod.deletionDeadline !== undefined) delete draft.pods[event.pod];
      return;
    }
    case "ObjectApplied": {
      guardObjectApplied(event);
      const key = stateKey(event.kind, event.object);
      draft.objects[key] = castDraft(appliedObject(Object.hasOwn(draft.objects, key) ? readObject(draft, key) : undefined, event));
      return;
    }
    case "ObjectDeleted": {
      const key = stateKey(event.kind, event.object);
      const record = getObject(draft, event.kind, event.object);
      delete draft.objects[key];
      if (event.propagation === "Orphan") orphanDependents(draft, key, record.uid);
      return;
    }
    case "WorkloadScaled": {
      const record = getObject(draft, event.kind, event.object);
      const workload = guardWorkload(record, event);
      draft.objects[stateKey(event.kind, event.object)] = castDraft(scaledObject(record, workload, event.replicas));
      return;
    }
    case "WorkloadStatusChanged": {
      const record = getObject(draft, event.kind, event.object);
      guardStatusWritten(record, event);
      draft.objects[stateKey(event.kind, event.object)] = castDraft({ ...record, status: event.status });
      return;
    }
    default: {
      const unreachable: never = event;
      reject("InvalidTransition", `unknown event type ${JSON.stringify((unreachable as { type: unknown }).type)}`);
    }
  }
}

/**
 * `Orphan` propagation: the garbage collector removes the owner's reference from each dependent
 * before the owner goes (a scan: the naive twin of the fast engine's owner index).
 */
function orphanDependents(draft: DraftState, key: string, uid: string): void {
  for (const [podKey, pod] of Object.entries(original(draft.pods) ?? {})) {
    if (controllerKeyOf(pod.pod) === key && ownedBy(pod.pod.ownerReferences, uid)) (draft.pods[podKey] as Draft<PodState>).pod = castDraft(withoutOwner(pod.pod, uid));
  }
  for (const [objectKey, record] of Object.entries(original(draft.objects) ?? {})) {
    if (objectOwnerKey(record) === key && isWorkload(record.object) && ownedBy(record.object.ownerReferences, uid)) {
      draft.objects[objectKey] = castDraft({ ...record, object: withoutOwner(record.object, uid) });
    }
  }
}

/** An object's record as it was before this event (records are replaced whole, never changed in place). */
function getObject(draft: DraftState, kind: string, object: string): ObjectState {
  const key = stateKey(kind, object);
  if (!Object.hasOwn(draft.objects, key)) unknownObject(kind, object);
  return readObject(draft, key);
}

function readObject(draft: DraftState, key: string): ObjectState {
  return (original(draft.objects)?.[key] ?? draft.objects[key]) as ObjectState;
}

function createPod(draft: DraftState, event: Extract<ClusterEvent, { type: "PodCreated" }>): void {
  guardPodCreated(Object.hasOwn(draft.pods, event.pod), podKey(event.spec) === event.pod, event);
  // Its controller counts one more pod made (the counter in the names it generates).
  const ownerKey = controllerKeyOf(event.spec);
  const owner = ownerKey !== undefined && Object.hasOwn(draft.objects, ownerKey) ? readObject(draft, ownerKey) : undefined;
  if (ownerKey !== undefined && owner !== undefined && countsPodCreated(owner, event.spec)) draft.objects[ownerKey] = castDraft({ ...owner, podsCreated: owner.podsCreated + 1 });
  const created = createdPod(event, draft.options, event.spec.nodeName !== undefined && Object.hasOwn(draft.nodes, event.spec.nodeName));
  draft.pods[event.pod] = castDraft(created.pod);
  if (created.hold) hold(draft, event.pod);
  if (created.queue) draft.queue[event.pod] = castDraft(created.queue);
}

/** The pod starts counting against its node. */
function hold(draft: DraftState, key: string): void {
  const pod = draft.pods[key] as Draft<PodState>;
  const node = draft.nodes[pod.node as string] as Draft<NodeState>;
  node.requested = { ...addResources(node.requested, pod.request) };
  node.nonZeroRequested = { cpu: node.nonZeroRequested.cpu + pod.nonZero.cpu, memory: node.nonZeroRequested.memory + pod.nonZero.memory };
  node.pods = [...node.pods, key].sort();
  pod.holdsResources = true;
}

/** The pod stops counting against its node. */
function release(draft: DraftState, key: string): void {
  const pod = draft.pods[key] as Draft<PodState>;
  const node = draft.nodes[pod.node as string] as Draft<NodeState>;
  node.requested = { ...normalizeResources(subtractResources(node.requested, pod.request)) };
  node.nonZeroRequested = { cpu: node.nonZeroRequested.cpu - pod.nonZero.cpu, memory: node.nonZeroRequested.memory - pod.nonZero.memory };
  node.pods = node.pods.filter((other) => other !== key);
  pod.holdsResources = false;
}

/** Moves the unschedulable pods this event may help back to activeQ or backoffQ (queueing hints). */
function requeueUnschedulable(draft: DraftState, before: ClusterState, event: ClusterEvent): void {
  // Requeue events never change queue entries or queued pods themselves, so the entries are read
  // from the state before the event (no draft per entry); only the ones that move are written.
  // A bind (and a node's removal, taint or cordon) can only wake pods PodTopologySpread or InterPodAffinity rejected:
  // the others are passed over before anything else is read.
  const podPluginsOnly = wakesOnlyPodPlugins(event);
  const subject = eventSubject(event, (key) => before.pods[key], (name) => before.nodes[name]?.node);
  for (const key in before.queue) {
    const entry = before.queue[key] as QueuedPod;
    if (entry.pool !== "unschedulable" || (podPluginsOnly && !entry.plugins.some((plugin) => POD_PLUGINS.includes(plugin)))) continue;
    if (queueStatus(entry, event.t) !== "unschedulable") continue;
    const pod = before.pods[key] as PodState;
    if (entry.plugins.some((plugin) => hintSaysQueue(plugin, event, pod, subject))) (draft.queue[key] as Draft<QueuedPod>).pool = requeuePool(entry, event.t);
  }
}
