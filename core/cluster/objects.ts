/**
 * The records of the state's other objects (workloads, PriorityClasses) and what their events
 * require, written once for both reducers — which each keep them their own way (the reference
 * in a plain record, the fast engine in a persistent vector) and call these to build each record.
 *
 * An object's uid is given when it is created, from its key and the event's seq (the API server
 * gives a random one; here the same log gives the same uids). A dependent names its owner by
 * uid, so a pod left behind by an owner deleted with `Orphan` is never taken for a pod of a new
 * owner of the same name.
 */
import type { ClusterEvent } from "../events/events.js";
import type { ClusterObject, ObjectKind, WorkloadStatus } from "../model/objects.js";
import { objectName } from "../model/objects.js";
import type { Pod } from "../model/pod.js";
import { fnv1a32, type OwnerReference, type Workload } from "../model/workload.js";
import { reject } from "./rejections.js";

type EventOf<T extends ClusterEvent["type"]> = Extract<ClusterEvent, { type: T }>;

export interface ObjectState {
  readonly object: ClusterObject;
  readonly uid: string;
  /** `seq` and tick of its creation. */
  readonly createdSeq: number;
  readonly createdAt: number;
  /** Pods created with this object as their controller so far: the counter in their generated names. */
  readonly podsCreated: number;
  /** A Deployment's status as its controller last wrote it. */
  readonly status?: WorkloadStatus;
}

/** The state's key of an object event's object: `Kind/namespace/name` (`Kind/name` when cluster-scoped). */
export function stateKey(kind: ObjectKind | string, object: string): string {
  return `${kind}/${object}`;
}

/** The key of the object a pod's controller reference names, if it has one. */
export function controllerKeyOf(pod: Pod): string | undefined {
  const reference = controllerReference(pod.ownerReferences);
  return reference === undefined ? undefined : `${reference.kind}/${pod.namespace}/${reference.name}`;
}

export function controllerReference(references: readonly OwnerReference[] | undefined): OwnerReference | undefined {
  if (references === undefined) return undefined;
  for (const reference of references) if (reference.controller) return reference;
  return undefined;
}

/** A uid in the API server's form (8-4-4-4-12 hex digits), from the object's key and creating seq. */
export function uidOf(key: string, seq: number): string {
  const hex = (text: string) => fnv1a32(text).toString(16).padStart(8, "0");
  const a = hex(`${key}#${seq}`);
  const b = hex(`${seq}#${key}`);
  const c = hex(`${key}@${seq}`);
  const d = hex(`${seq}@${key}`);
  return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
}

/** Whether the object is a workload (has replicas and a template). */
export function isWorkload(object: ClusterObject): object is Workload {
  return object.kind !== "PriorityClass" && object.kind !== "PodDisruptionBudget" && object.kind !== "Service" && object.kind !== "Namespace";
}

export function guardObjectApplied(event: EventOf<"ObjectApplied">): void {
  const spec = event.spec;
  if (spec.kind !== event.kind) reject("InvalidTransition", `its spec is a ${String(spec.kind)}, not a ${event.kind}`);
  if (objectName(spec) !== event.object) reject("InvalidTransition", `its spec is named ${JSON.stringify(objectName(spec))}`);
  if (isWorkload(spec) && !(Number.isSafeInteger(spec.replicas) && spec.replicas >= 0)) reject("InvalidTransition", `replicas must be a whole number ≥ 0, not ${spec.replicas}`);
}

/** The record after an apply: a new object, or the same object with its spec replaced (uid, counters and status kept). */
export function appliedObject(existing: ObjectState | undefined, event: EventOf<"ObjectApplied">): ObjectState {
  if (existing !== undefined) return { ...existing, object: event.spec };
  return { object: event.spec, uid: uidOf(stateKey(event.kind, event.object), event.seq), createdSeq: event.seq, createdAt: event.t, podsCreated: 0 };
}

export function unknownObject(kind: string, object: string): never {
  return reject("UnknownObject", `no ${kind} ${JSON.stringify(object)}`);
}

/** A scaled object must be a workload. */
export function guardWorkload(record: ObjectState, event: EventOf<"WorkloadScaled">): Workload {
  const object = record.object;
  if (!isWorkload(object)) reject("InvalidTransition", `a ${event.kind} has no replicas`);
  if (object.kind === "DaemonSet") reject("InvalidTransition", "a DaemonSet has no replicas: it runs a pod on each node that should run one");
  return object;
}

/** A status-written object: a workload, or a PodDisruptionBudget (its controller's status). */
export function guardStatusWritten(record: ObjectState, event: EventOf<"WorkloadStatusChanged">): void {
  if (!isWorkload(record.object) && record.object.kind !== "PodDisruptionBudget") reject("InvalidTransition", `a ${event.kind} has no status`);
}

/** The record after `kubectl scale`: spec.replicas, in the object and its manifest. */
export function scaledObject(record: ObjectState, workload: Workload, replicas: number): ObjectState {
  const spec = (workload.manifest["spec"] ?? {}) as Record<string, unknown>;
  return { ...record, object: { ...workload, replicas, manifest: { ...workload.manifest, spec: { ...spec, replicas } } } };
}

/** The pod's owner record counts one more created pod, if the pod names a live owner by uid. */
export function countsPodCreated(owner: ObjectState | undefined, pod: Pod): boolean {
  const reference = controllerReference(pod.ownerReferences);
  return owner !== undefined && reference !== undefined && reference.uid === owner.uid;
}

/** The key of the object's controller (a ReplicaSet's Deployment), if any. */
export function objectOwnerKey(record: ObjectState): string | undefined {
  const object = record.object;
  if (!isWorkload(object)) return undefined;
  const reference = controllerReference(object.ownerReferences);
  return reference === undefined ? undefined : `${reference.kind}/${object.namespace}/${reference.name}`;
}

/** The dependent's owner references without the one naming `uid` (the garbage collector orphaning it). */
export function withoutOwner<T extends { readonly ownerReferences?: readonly OwnerReference[] }>(dependent: T, uid: string): T {
  return { ...dependent, ownerReferences: (dependent.ownerReferences ?? []).filter((reference) => reference.uid !== uid) };
}

/** Whether the dependent's controller reference names the owner with this uid. */
export function ownedBy(references: readonly OwnerReference[] | undefined, uid: string): boolean {
  return controllerReference(references)?.uid === uid;
}

/**
 * What the workload controllers count of an owner's pods (by the owner's uid): active (neither
 * finished nor terminating: `FilterActivePods`), ready among those, and present (not finished,
 * terminating ones included: what Recreate waits for). Kept by the state as pods change.
 */
export interface OwnedCounts {
  active: number;
  ready: number;
  present: number;
  /**
   * Active pods by their `controller-revision-hash` label (DaemonSets, StatefulSets): a set's
   * controller knows a rollout is under way when not all of them carry the current revision.
   */
  readonly revisions: Map<string, number>;
}

/** The label a set's pods carry their template revision in (apps.ControllerRevisionHashLabelKey). */
export const REVISION_LABEL = "controller-revision-hash";

/** A pod's part in its owner's counts, or undefined if it has no controller with a uid. */
export type OwnedPart = readonly [uid: string, active: number, ready: number, present: number, revision: string | undefined];

/** A pod's part in its owner's counts (`OwnedCounts`). */
export function countsOf(pod: { readonly pod: Pod; readonly phase: string; readonly deletionDeadline?: number; readonly readySince?: number }): OwnedPart | undefined {
  const uid = controllerReference(pod.pod.ownerReferences)?.uid;
  if (uid === undefined) return undefined;
  const present = pod.phase !== "Succeeded" && pod.phase !== "Failed";
  const active = present && pod.deletionDeadline === undefined;
  const ready = active && pod.phase === "Running" && pod.readySince !== undefined;
  return [uid, active ? 1 : 0, ready ? 1 : 0, present ? 1 : 0, pod.pod.labels[REVISION_LABEL]];
}

/** Adds (`sign` 1) or removes (−1) a pod's part; false when the counts are left empty (the caller drops them). */
export function addPart(counts: OwnedCounts, part: OwnedPart, sign: 1 | -1): boolean {
  counts.active += sign * part[1];
  counts.ready += sign * part[2];
  counts.present += sign * part[3];
  const revision = part[4];
  if (revision !== undefined && part[1] === 1) {
    const next = (counts.revisions.get(revision) ?? 0) + sign;
    if (next === 0) counts.revisions.delete(revision);
    else counts.revisions.set(revision, next);
  }
  return counts.active !== 0 || counts.ready !== 0 || counts.present !== 0 || counts.revisions.size > 0;
}
