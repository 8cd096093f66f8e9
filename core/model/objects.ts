/**
 * The objects besides pods and nodes that a state holds (etcd's other keys): workloads
 * (workload.ts) and PriorityClasses. Each is applied whole by an `ObjectApplied` event and keyed
 * `Kind/namespace/name` (a cluster-scoped kind: `Kind//name`).
 */
import type { Pod } from "./pod.js";
import type { PriorityClass } from "./priority.js";
import type { Workload, WorkloadKind } from "./workload.js";

export type ObjectKind = WorkloadKind | "PriorityClass";
export const OBJECT_KINDS: readonly ObjectKind[] = ["Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "PriorityClass"];

export function isObjectKind(kind: string): kind is ObjectKind {
  return (OBJECT_KINDS as readonly string[]).includes(kind);
}

export interface PriorityClassObject extends PriorityClass {
  readonly kind: "PriorityClass";
}

export type ClusterObject = Workload | PriorityClassObject;

/** An object's name as events carry it: `namespace/name`, or `name` for a cluster-scoped kind. */
export function objectName(object: ClusterObject): string {
  return object.kind === "PriorityClass" ? object.name : `${object.namespace}/${object.name}`;
}

/** kube's condition of a workload (apps/v1 DeploymentCondition), times in ticks. */
export interface WorkloadCondition {
  readonly type: "Available" | "Progressing" | "ReplicaFailure";
  readonly status: "True" | "False" | "Unknown";
  readonly reason: string;
  readonly message: string;
  readonly lastUpdateTime: number;
  readonly lastTransitionTime: number;
}

/**
 * A workload's status as its controller writes it: a Deployment's (apps/v1 DeploymentStatus) or
 * a StatefulSet's (StatefulSetStatus: `currentReplicas`, `currentRevision`, `updateRevision`, and
 * — where kube keeps a ControllerRevision — the current revision's pod template, from which pods
 * below the rollout's partition are made).
 */
export interface WorkloadStatus {
  readonly replicas: number;
  readonly updatedReplicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
  readonly unavailableReplicas: number;
  readonly conditions: readonly WorkloadCondition[];
  readonly collisionCount?: number;
  readonly currentReplicas?: number;
  readonly currentRevision?: string;
  readonly updateRevision?: string;
  readonly currentTemplate?: Pod;
}
