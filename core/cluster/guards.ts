/**
 * The event guards: what each event requires of the state it applies to, written once for both
 * reducers. A guard reads the records the event concerns — which each reducer has already looked
 * up its own way, so a guard costs no extra lookup — and throws a typed rejection (`reject`) when
 * the event cannot happen; a reducer calls it before its first write, then does only its writes.
 *
 * Lookups that fail are rejections too, with the messages `unknownPod` and `unknownNode` give.
 */
import { GPU_COUNT } from "../gpu/model.js";
import type { ClusterEvent } from "../events/events.js";
import type { Pod } from "../model/pod.js";
import type { NodeState, PodState } from "./state.js";
import type { QueuedPod } from "./queue-entry.js";
import { reject } from "./rejections.js";
import { insufficientResources } from "./fit.js";

type EventOf<T extends ClusterEvent["type"]> = Extract<ClusterEvent, { type: T }>;

export function unknownPod(key: string): never {
  return reject("UnknownPod", `no pod ${JSON.stringify(key)}`);
}

export function unknownNode(name: string): never {
  return reject("UnknownNode", `no node named ${JSON.stringify(name)}`);
}

/** Events apply in (t, seq) order. */
export function guardOrder(last: { readonly t: number; readonly seq: number }, event: ClusterEvent): void {
  if (event.seq <= last.seq) reject("OutOfOrder", `seq ${event.seq} is not after the last applied seq ${last.seq}`);
  if (event.t < last.t) reject("OutOfOrder", `tick ${event.t} is before the current tick ${last.t}`);
}

export function guardNodeJoined(exists: boolean, event: EventOf<"NodeJoined">): void {
  if (exists) reject("AlreadyExists", "a node with this name is already in the cluster");
  if (event.spec.name !== event.node) reject("InvalidTransition", `its spec is named ${JSON.stringify(event.spec.name)}`);
}

/** The kubelet stops once, and starts again only after it stopped. */
export function guardKubelet(node: NodeState, event: EventOf<"KubeletStopped" | "KubeletStarted">): void {
  if (event.type === "KubeletStopped" && node.kubeletStoppedAt !== undefined) reject("InvalidTransition", `the node's kubelet is already stopped (since tick ${node.kubeletStoppedAt})`);
  if (event.type === "KubeletStarted" && node.kubeletStoppedAt === undefined) reject("InvalidTransition", "the node's kubelet is running");
}

export function guardNodeTainted(node: NodeState, event: EventOf<"NodeTainted">): void {
  const { key, effect } = event.taint;
  if (node.node.taints.some((taint) => taint.key === key && taint.effect === effect)) reject("AlreadyExists", `the node already has a ${key}:${effect} taint`);
}

/** The index of the taint the event removes. */
export function guardNodeUntainted(node: NodeState, event: EventOf<"NodeUntainted">): number {
  const { key, effect } = event.taint;
  const index = node.node.taints.findIndex((taint) => taint.key === key && taint.effect === effect);
  if (index < 0) reject("InvalidTransition", `the node has no ${key}:${effect} taint`);
  return index;
}

/** `keyMatches`: whether the event's key is its spec's namespace/name. */
export function guardPodCreated(exists: boolean, keyMatches: boolean, event: EventOf<"PodCreated">): void {
  if (exists) reject("AlreadyExists", "a pod with this namespace/name already exists");
  if (!keyMatches) reject("InvalidTransition", `its spec is ${event.spec.namespace}/${event.spec.name}`);
}

/**
 * A bound pod must have waited in the queue and must fit on its node — or the event must say it
 * overcommits the node (a profile without NodeResourcesFit's filter binds where the scores say).
 */
export function guardPodBound(pod: PodState, node: NodeState, queued: QueuedPod | undefined, event: EventOf<"PodBound">): void {
  if (pod.node !== undefined) reject("InvalidTransition", `the pod is already on node ${pod.node}`);
  if (queued === undefined) reject("InvalidTransition", "the pod is not waiting in the scheduling queue");
  const failures = insufficientResources(pod.request, { allocatable: node.node.allocatable, requested: node.requested, podCount: node.pods.length });
  if (failures.length > 0 && event.overcommits !== true) {
    reject("DoesNotFit", `it does not fit on node ${event.node} (${failures.map((failure) => failure.reason).join(", ")}): a scheduler bug`);
  }
  if (failures.length === 0 && event.overcommits === true) reject("InvalidTransition", `it fits on node ${event.node}, yet the event says it overcommits it`);
  if (event.gpus !== undefined) {
    const cards = node.node.allocatable[GPU_COUNT] ?? 0;
    if (new Set(event.gpus).size !== event.gpus.length || event.gpus.some((card) => !Number.isSafeInteger(card) || card < 0 || card >= cards)) {
      reject("InvalidTransition", `GPU cards ${JSON.stringify(event.gpus)} must be distinct cards of node ${event.node}, which has ${cards} (0 to ${cards - 1})`);
    }
  }
}

/** A scheduling attempt concerns a pod that is being scheduled: queued and not in the unschedulable pool (`unschedulable`: its status at the event's tick). */
export function guardPodUnschedulable(queued: QueuedPod | undefined, unschedulable: boolean): asserts queued is QueuedPod {
  if (queued === undefined) reject("InvalidTransition", "the pod is not waiting in the scheduling queue");
  if (unschedulable) reject("InvalidTransition", "the pod is in the unschedulable pool, not being scheduled");
}

export function guardPodStarted(pod: PodState, event: EventOf<"PodStarted">): void {
  if (pod.phase !== "Pending" || !pod.holdsResources || pod.node !== event.node) {
    reject("InvalidTransition", `only a pending pod assigned to ${event.node} can start (it is ${pod.phase}${pod.node ? ` on ${pod.node}` : ", unbound"})`);
  }
}

/** The tick a pod whose containers (re)start at `t` is Ready: `t`, or none yet when it has a readiness delay (`PodReadyChanged` comes later). */
export function readyAsStarted(pod: Pod, t: number): number | undefined {
  return pod.sim.readyAfterSeconds === undefined ? t : undefined;
}

/** Ready only while its containers run; not ready only if it is. */
export function guardPodReadyChanged(pod: PodState, event: EventOf<"PodReadyChanged">): void {
  if (event.ready && (pod.phase !== "Running" || pod.runningSince === undefined)) reject("InvalidTransition", `only a pod whose containers run can become ready (it is ${pod.phase})`);
  if (event.ready && pod.readySince !== undefined) reject("InvalidTransition", "the pod is ready already");
  if (!event.ready && pod.readySince === undefined) reject("InvalidTransition", "the pod is not ready");
}

export function guardContainerExited(pod: PodState, event: EventOf<"ContainerFailed" | "ContainerCompleted">): void {
  const verb = event.type === "ContainerFailed" ? "fail" : "complete";
  if (pod.phase !== "Running" || pod.runningSince === undefined) reject("InvalidTransition", `only a running pod's container can ${verb} (it is ${pod.phase})`);
  if (!pod.pod.containers.some((container) => container.name === event.container)) {
    reject("InvalidTransition", `the pod has no container ${JSON.stringify(event.container)}`);
  }
}

export function guardContainerRestarted(pod: PodState, event: EventOf<"ContainerRestarted">): void {
  if (pod.phase !== "Running" || pod.runningSince !== undefined) reject("InvalidTransition", "only a failed container of a running pod can restart");
  if (pod.deletionDeadline !== undefined) reject("InvalidTransition", "the pod is terminating: the kubelet does not restart its containers");
  if (event.restartCount !== pod.restartCount + 1) reject("InvalidTransition", `the restart count goes from ${pod.restartCount} to ${pod.restartCount + 1}, not ${event.restartCount}`);
}

export function guardPodSucceeded(pod: PodState): void {
  if (pod.phase !== "Running") reject("InvalidTransition", `only a running pod can succeed (it is ${pod.phase})`);
}

export function guardPodFailed(pod: PodState): void {
  if (pod.phase === "Succeeded" || pod.phase === "Failed") reject("InvalidTransition", `the pod is already ${pod.phase}`);
  if (pod.node === undefined) reject("InvalidTransition", "only a pod on a node can fail (the kubelet reports it)");
}

/** A pod is deleted once; deleting a Terminating pod again may only shorten its grace period, or force it (grace 0). */
export function guardPodDeleted(pod: PodState, event: EventOf<"PodDeleted">): void {
  if (pod.deletionDeadline !== undefined && event.gracePeriodSeconds > 0 && event.t + event.gracePeriodSeconds >= pod.deletionDeadline) {
    reject("InvalidTransition", `the pod is already terminating until tick ${pod.deletionDeadline}; a second delete may only shorten its grace period`);
  }
}

/** A nomination names a pod not bound yet, and a node that exists (or none, to clear it). */
export function guardPodNominated(pod: PodState, nodeExists: boolean, event: EventOf<"PodNominated">): void {
  if (pod.node !== undefined) reject("InvalidTransition", `the pod is already bound to ${pod.node}`);
  if (event.node !== "" && !nodeExists) reject("UnknownNode", `no node ${event.node}`);
}

/** A preemption victim holds resources on the node it is preempted from, and is not terminal. */
export function guardPodPreempted(pod: PodState, event: EventOf<"PodPreempted">): void {
  guardPodEvicted(pod);
  if (!pod.holdsResources || pod.node !== event.node) reject("InvalidTransition", `the pod does not hold resources on ${event.node}`);
}

/** A pod is chosen for disruption while it is not terminal (kube sets the condition only then). */
export function guardPodEvicted(pod: PodState): void {
  if (pod.phase === "Succeeded" || pod.phase === "Failed") reject("InvalidTransition", `the pod is already ${pod.phase}`);
}

/** Resources are freed once, by a terminal or terminating pod, on its own node. */
export function guardResourcesFreed(pod: PodState, event: EventOf<"ResourcesFreed">): void {
  if (!pod.holdsResources) reject("InvalidTransition", "its resources were already freed (or never held)");
  if (pod.node !== event.node) reject("InvalidTransition", `the pod is on ${pod.node}, not ${event.node}`);
  const terminal = pod.phase === "Succeeded" || pod.phase === "Failed";
  if (!terminal && pod.deletionDeadline === undefined) {
    reject("InvalidTransition", `the pod is ${pod.phase} and not terminating: it still uses its resources`);
  }
}
