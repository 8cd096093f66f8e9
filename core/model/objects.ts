/**
 * The objects besides pods and nodes that a state holds (etcd's other keys): workloads
 * (workload.ts) and PriorityClasses. Each is applied whole by an `ObjectApplied` event and keyed
 * `Kind/namespace/name` (a cluster-scoped kind: `Kind//name`).
 */
import type { Pod } from "./pod.js";
import type { PriorityClass } from "./priority.js";
import type { DisruptionBudget, NamespaceObject, Service } from "./policy.js";
import type { Workload, WorkloadKind } from "./workload.js";

export type ObjectKind = WorkloadKind | "PriorityClass" | "PodDisruptionBudget" | "Service" | "Namespace";
export const OBJECT_KINDS: readonly ObjectKind[] = ["Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job", "CronJob", "PriorityClass", "PodDisruptionBudget", "Service", "Namespace"];

export function isObjectKind(kind: string): kind is ObjectKind {
  return (OBJECT_KINDS as readonly string[]).includes(kind);
}

export interface PriorityClassObject extends PriorityClass {
  readonly kind: "PriorityClass";
}

export type ClusterObject = Workload | PriorityClassObject | DisruptionBudget | Service | NamespaceObject;

/** An object's name as events carry it: `namespace/name`, or `name` for a cluster-scoped kind. */
export function objectName(object: ClusterObject): string {
  return object.kind === "PriorityClass" || object.kind === "Namespace" ? object.name : `${object.namespace}/${object.name}`;
}

/** kube's condition of a workload (apps/v1 DeploymentCondition), times in ticks. */
export interface WorkloadCondition {
  readonly type: "Available" | "Progressing" | "ReplicaFailure" | "Complete" | "Failed" | "SuccessCriteriaMet" | "FailureTarget" | "Suspended" | "DisruptionAllowed";
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
  /**
   * A Job's (batch/v1 JobStatus): its active pods, the succeeded and failed it has counted, the
   * completed indexes of an Indexed Job, its start and completion times (ticks), and its pod-failure
   * back-off (failures since the last success, the last one's tick). Each finished pod is counted
   * once (kube removes its tracking finalizer): every pod finished before tick `countedThrough` is
   * counted, those finished at that tick if `countedLast` names them, and the terminating pods
   * counted as failed are named in `countedTerminating`. With podReplacementPolicy Failed,
   * `terminatingPods` names the terminating pods not yet counted: one that is gone counts as
   * failed then (the kubelet's Failed phase for a deleted pod).
   */
  readonly active?: number;
  readonly succeeded?: number;
  readonly failed?: number;
  readonly startTime?: number;
  readonly completionTime?: number;
  readonly completedIndexes?: readonly number[];
  readonly countedThrough?: number;
  readonly countedLast?: readonly string[];
  readonly countedTerminating?: readonly string[];
  readonly terminatingPods?: readonly string[];
  readonly failuresSinceSuccess?: number;
  readonly lastFailureAt?: number;
  /**
   * A PodDisruptionBudget's (policy/v1 PodDisruptionBudgetStatus), written by the disruption
   * controller: the Ready pods it selects (not terminating), how many it wants Ready, the pods
   * it expects (its controllers' replicas, or the pods selected), and how many may be evicted now.
   */
  readonly currentHealthy?: number;
  readonly desiredHealthy?: number;
  readonly expectedPods?: number;
  readonly disruptionsAllowed?: number;
  /**
   * A CronJob's (batch/v1 CronJobStatus): the names of its Jobs still running (`active`, kube's
   * object references), and the ticks of the last scheduled time it started a Job for and of the
   * latest completion among its Jobs.
   */
  readonly activeJobs?: readonly string[];
  readonly lastScheduleTime?: number;
  readonly lastSuccessfulTime?: number;
}
