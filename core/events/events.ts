/**
 * The event vocabulary (DESIGN.md "Events"): facts, named in the past tense, plain
 * JSON-serialisable data. Every event carries `t` (the tick, in seconds) and `seq` (its place in
 * the log); events are totally ordered by (t, seq). Pods are named `namespace/name`, nodes and
 * containers by name.
 */
import type { ConditionStatus, Node, Taint } from "../model/node.js";
import type { Pod, PodKey } from "../model/pod.js";
import type { ClusterObject, ObjectKind, WorkloadStatus } from "../model/objects.js";

interface At {
  /** The tick, in seconds from the start of the run. */
  readonly t: number;
  /** The event's position in the log, strictly increasing from 1. */
  readonly seq: number;
}

/** A node registered; its kubelet reports `spec.ready`. */
export interface NodeJoined extends At { readonly type: "NodeJoined"; readonly node: string; readonly spec: Node }
/**
 * The Node object was deleted (removeNode, or a trace's machine removed). Pods still bound to it
 * stay in the API, orphaned: they stop counting against any node, and PodGC deletes them.
 */
export interface NodeRemoved extends At { readonly type: "NodeRemoved"; readonly node: string }
/**
 * The node's kubelet stopped posting its status and renewing its lease (failNode: the machine is
 * down or cut off). Nothing on the node changes as the API sees it; the node lifecycle controller
 * notices when the lease is older than its grace period.
 */
export interface KubeletStopped extends At { readonly type: "KubeletStopped"; readonly node: string }
/**
 * kubectl drain started on the node (it cordons it next, unless it is cordoned). `warning`:
 * kubectl's warnings about the pods it leaves or deletes anyway (`ignoring DaemonSet-managed Pods: …`), or "".
 */
export interface NodeDrainStarted extends At { readonly type: "NodeDrainStarted"; readonly node: string; readonly warning: string }
/**
 * kubectl drain ended: every pod it had to evict is gone (`drained`), or it gave up (`message`:
 * kubectl's errors, one per line: pods it may not delete, evictions that failed, its timeout).
 */
export interface NodeDrainFinished extends At { readonly type: "NodeDrainFinished"; readonly node: string; readonly drained: boolean; readonly message: string }
/** The node's kubelet posts its status again (recoverNode); it reports Ready next and catches up on its pods. */
export interface KubeletStarted extends At { readonly type: "KubeletStarted"; readonly node: string }
/**
 * A node condition changed (heartbeats are implicit; only changes are events): `Ready` (the
 * kubelet's, or the node lifecycle controller's Unknown), or `MemoryPressure` (the kubelet's
 * eviction manager: True while memory.available is below its threshold, and 5 minutes after).
 */
export interface NodeConditionChanged extends At {
  readonly type: "NodeConditionChanged";
  readonly node: string;
  readonly condition: "Ready" | "MemoryPressure";
  readonly status: ConditionStatus;
}
export interface NodeTainted extends At { readonly type: "NodeTainted"; readonly node: string; readonly taint: Taint }
export interface NodeUntainted extends At { readonly type: "NodeUntainted"; readonly node: string; readonly taint: Taint }
/** `spec.unschedulable` became true (kubectl cordon). */
export interface NodeCordoned extends At { readonly type: "NodeCordoned"; readonly node: string }
export interface NodeUncordoned extends At { readonly type: "NodeUncordoned"; readonly node: string }

/** A pod object was created (etcd now holds it); `spec` is the defaulted pod. */
export interface PodCreated extends At { readonly type: "PodCreated"; readonly pod: PodKey; readonly spec: Pod }
/** The scheduler bound the pod to a node; it must fit there. */
export interface PodBound extends At {
  readonly type: "PodBound";
  readonly pod: PodKey;
  readonly node: string;
  /** Where kube's next cycle starts filtering, when this cycle moved it (sampling, 100+ nodes). */
  readonly nextStartNodeIndex?: number;
  /**
   * Set when the pod does not fit on the node: possible only under a profile that does not run
   * NodeResourcesFit's filter (kube binds it all the same; the kubelet then refuses it, OutOf…).
   */
  readonly overcommits?: true;
  /**
   * The GPU cards the pod takes there, by device number (the `alibabacloud.com/gpu-index` the
   * GPU-sharing plugin writes at Reserve): set when the profile runs Open-Gpu-Share and the pod
   * asks for GPUs (core/gpu); its milli-GPU per card is its annotation's.
   */
  readonly gpus?: readonly number[];
}
/** A scheduling attempt failed; `message` is kube-scheduler's FailedScheduling text. */
export interface PodUnschedulable extends At {
  readonly type: "PodUnschedulable";
  readonly pod: PodKey;
  readonly message: string;
  /** The plugins that rejected the pod; they decide which cluster events requeue it. */
  readonly plugins: readonly string[];
  /** Where kube's next cycle starts filtering, when this cycle moved it. */
  readonly nextStartNodeIndex?: number;
}
/** The kubelet started the pod's containers. */
export interface PodStarted extends At { readonly type: "PodStarted"; readonly pod: PodKey; readonly node: string }
/** The pod's Ready condition changed (its readiness probe passed after `sim.timoneiro.dev/ready-after`, or it stopped being ready). */
export interface PodReadyChanged extends At { readonly type: "PodReadyChanged"; readonly pod: PodKey; readonly ready: boolean }
/** A container exited with a non-zero code (`Error`) or was killed for memory (`OOMKilled`). */
export interface ContainerFailed extends At {
  readonly type: "ContainerFailed";
  readonly pod: PodKey;
  readonly container: string;
  readonly exitCode: number;
  readonly reason: "Error" | "OOMKilled";
}
/** A container exited 0 but its pod's restartPolicy is Always, so the kubelet will restart it. */
export interface ContainerCompleted extends At {
  readonly type: "ContainerCompleted";
  readonly pod: PodKey;
  readonly container: string;
}
/** The kubelet restarted a container that exited (restartPolicy Always, or OnFailure after a failure). */
export interface ContainerRestarted extends At {
  readonly type: "ContainerRestarted";
  readonly pod: PodKey;
  readonly container: string;
  readonly restartCount: number;
}
/** Every container exited 0 (and will not restart). */
export interface PodSucceeded extends At { readonly type: "PodSucceeded"; readonly pod: PodKey }
/** The pod reached phase Failed: a container failed and will not restart, or the kubelet refused it (`OutOfcpu` …). */
export interface PodFailed extends At {
  readonly type: "PodFailed";
  readonly pod: PodKey;
  readonly reason: string;
  readonly message: string;
}
/**
 * A delete was requested. A pod holding resources turns Terminating for its grace period; any
 * other pod is gone at once. A second delete of a Terminating pod may only shorten its grace
 * period (kube's `kubectl delete --grace-period=0 --force`).
 */
export interface PodDeleted extends At { readonly type: "PodDeleted"; readonly pod: PodKey; readonly gracePeriodSeconds: number }
/**
 * A controller chose the pod for disruption: kube's `DisruptionTarget` condition. `reason` is
 * the reason kube records: `TaintManagerEviction` (a NoExecute taint it does not tolerate),
 * `DeletionByPodGC` (its node is gone, or out of service), `EvictionByEvictionAPI` (a drain),
 * `Evicted` (the kubelet under node pressure). The deletion or failure follows as its own event.
 */
export interface PodEvicted extends At {
  readonly type: "PodEvicted";
  readonly pod: PodKey;
  readonly reason: string;
  readonly message: string;
}
/**
 * The scheduler nominated the pod to `node` (kube's `status.nominatedNodeName`): it preempted
 * pods there to make room, and the room is held for it against pods of no higher priority. An
 * empty `node` clears the nomination (no preemption helped, or a higher-priority preemptor took
 * the node). Binding the pod clears it too.
 */
export interface PodNominated extends At { readonly type: "PodNominated"; readonly pod: PodKey; readonly node: string }
/**
 * The scheduler chose the pod as a victim to make room on `node` for `preemptor` (DefaultPreemption):
 * kube's `DisruptionTarget` condition, reason `PreemptionByScheduler`, with its `message`
 * ("default-scheduler: preempting to accommodate a higher priority pod"). The deletion, with the
 * pod's grace period, follows as its own event.
 */
/** kube's DisruptionTarget reason for a preemption victim. */
export const PREEMPTION_REASON = "PreemptionByScheduler";

export interface PodPreempted extends At { readonly type: "PodPreempted"; readonly pod: PodKey; readonly node: string; readonly preemptor: PodKey; readonly message: string }
/** The Eviction API refused to evict the pod (`code` 429: a PodDisruptionBudget; 500: more than one selects it); kube's message and cause. */
export interface PodEvictionRefused extends At { readonly type: "PodEvictionRefused"; readonly pod: PodKey; readonly code: number; readonly message: string }
/** The pod stopped counting against its node (terminal, or its grace period ended). Once per pod. */
export interface ResourcesFreed extends At { readonly type: "ResourcesFreed"; readonly pod: PodKey; readonly node: string }

/**
 * An object was created or changed (kubectl apply, create, patch; or a controller: a
 * Deployment's ReplicaSet). `object` is `namespace/name` (a cluster-scoped kind: `name`);
 * `spec` is the whole object after defaulting.
 */
export interface ObjectApplied extends At {
  readonly type: "ObjectApplied";
  readonly kind: ObjectKind;
  readonly object: string;
  readonly spec: ClusterObject;
}
/**
 * An object was deleted. `propagation` is what happens to what it owns: `Background` (kubectl's
 * default: the garbage collector deletes the dependents) or `Orphan` (they stay, unowned).
 */
export interface ObjectDeleted extends At {
  readonly type: "ObjectDeleted";
  readonly kind: ObjectKind;
  readonly object: string;
  readonly propagation: "Background" | "Orphan";
}
/** A workload's `spec.replicas` changed (kubectl scale, or a Deployment scaling its ReplicaSets). */
export interface WorkloadScaled extends At {
  readonly type: "WorkloadScaled";
  readonly kind: ObjectKind;
  readonly object: string;
  readonly replicas: number;
}
/** A controller wrote a workload's status (a Deployment's counts and conditions). */
export interface WorkloadStatusChanged extends At {
  readonly type: "WorkloadStatusChanged";
  readonly kind: ObjectKind;
  readonly object: string;
  readonly status: WorkloadStatus;
}

export type ClusterEvent =
  | NodeJoined
  | NodeRemoved
  | KubeletStopped
  | KubeletStarted
  | NodeDrainStarted
  | NodeDrainFinished
  | NodeConditionChanged
  | NodeTainted
  | NodeUntainted
  | NodeCordoned
  | NodeUncordoned
  | PodCreated
  | PodBound
  | PodUnschedulable
  | PodStarted
  | PodReadyChanged
  | ContainerFailed
  | ContainerCompleted
  | ContainerRestarted
  | PodSucceeded
  | PodFailed
  | PodDeleted
  | PodEvicted
  | PodEvictionRefused
  | ResourcesFreed
  | ObjectApplied
  | ObjectDeleted
  | WorkloadScaled
  | WorkloadStatusChanged
  | PodNominated
  | PodPreempted;

export type EventType = ClusterEvent["type"];

/** An event before the log gives it its place: what controllers and the scheduler return. */
export type EventDraft = ClusterEvent extends infer E ? (E extends ClusterEvent ? Omit<E, "t" | "seq"> : never) : never;

export const EVENT_TYPES: readonly EventType[] = [
  "NodeJoined", "NodeRemoved", "KubeletStopped", "KubeletStarted", "NodeDrainStarted", "NodeDrainFinished", "NodeConditionChanged", "NodeTainted", "NodeUntainted", "NodeCordoned",
  "NodeUncordoned", "PodCreated", "PodBound", "PodUnschedulable", "PodStarted", "PodReadyChanged", "ContainerFailed",
  "ContainerCompleted", "ContainerRestarted", "PodSucceeded", "PodFailed", "PodDeleted", "PodEvicted", "PodEvictionRefused", "ResourcesFreed",
  "ObjectApplied", "ObjectDeleted", "WorkloadScaled", "WorkloadStatusChanged", "PodNominated", "PodPreempted",
];

