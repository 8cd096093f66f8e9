/**
 * The cluster's records, shared by everything that reads a state: a pod's and a node's record,
 * the engine's options, and `ClusterState` — the plain nested form of a whole state, which the
 * reference engine folds directly and the fast engine materializes. States are sealed: a reducer
 * returns a new one and never changes the old.
 *
 * The state holds facts only — what etcd would hold plus the scheduler's queue. Timers (when a
 * pod's run ends, when backoff expires) are derived from these facts by the engine.
 */
import type { Node } from "../model/node.js";
import type { Pod, PodKey } from "../model/pod.js";
import type { ResourceList } from "../model/resources.js";
import { EMPTY_TREE, type NodeTree } from "./node-tree.js";
import type { QueuedPod } from "./queue-entry.js";
import type { ObjectState } from "./objects.js";
import { canonicalJson } from "../model/workload.js";

/** How a pod's size is counted against a node (DESIGN.md "Resources"). */
export type FitBy = "requests" | "limits";

export interface EngineOptions {
  /** `requests` (Kubernetes) or `limits` (the seed's wording: limits where set, else requests). */
  readonly fitBy: FitBy;
  /** The schedulers simulated (profiles' schedulerNames); pods for others wait. Default: default-scheduler. */
  readonly schedulerNames?: readonly string[];
}

/** The scheduler names pods are queued for. */
export function simulatedSchedulers(options: EngineOptions): readonly string[] {
  return options.schedulerNames ?? DEFAULT_SCHEDULERS;
}

const DEFAULT_SCHEDULERS: readonly string[] = Object.freeze(["default-scheduler"]);

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed";

export interface PodState {
  readonly pod: Pod;
  /** `seq` of its PodCreated: creation order, which the kubelet admits pods in. */
  readonly createdSeq: number;
  /** The tick of its PodCreated (its creationTimestamp). */
  readonly createdAt: number;
  /** What the pod counts against its node while it holds resources (by `fitBy`). */
  readonly request: ResourceList;
  /** Its cpu and memory request with kube's non-zero defaults (100m, 200Mi per container without one), for scoring. */
  readonly nonZero: { readonly cpu: number; readonly memory: number };
  readonly phase: PodPhase;
  /** The node it is bound or assigned to. */
  readonly node?: string;
  /** Whether the pod counts against `node` now: from binding until `ResourcesFreed`. */
  readonly holdsResources: boolean;
  /** The GPU cards it was bound to, by device number (`PodBound.gpus`): its share of each while it holds resources. */
  readonly gpus?: readonly number[];
  /** Set when its node was deleted under it (`NodeRemoved`): it counts against no node, and waits for PodGC. */
  readonly orphaned?: true;
  readonly startedAt?: number;
  /** The tick it reached Succeeded or Failed. */
  readonly finishedAt?: number;
  /** The tick its containers last (re)started; the simulated run is measured from it. */
  readonly runningSince?: number;
  /**
   * The tick it last became Ready (its Ready condition's lastTransitionTime), while it is: as its
   * containers start, or `sim.timoneiro.dev/ready-after` later (`PodReadyChanged`).
   */
  readonly readySince?: number;
  readonly restartCount: number;
  /** Set once a delete was requested: the tick the grace period ends. */
  readonly deletionDeadline?: number;
  /**
   * kube's `DisruptionTarget` condition, once a controller chose the pod for disruption
   * (`PodEvicted`): why (`TaintManagerEviction`, `DeletionByPodGC` …) and kube's message.
   */
  readonly disruption?: { readonly reason: string; readonly message: string; readonly at: number };
  /** kube's `status.nominatedNodeName`: where a preemption made room for it (`PodNominated`); cleared when it is bound. */
  readonly nominatedNode?: string;
  /** Why the pod is where it is: `Unschedulable`, `SchedulingGated`, `OutOfcpu`, `Completed` … */
  readonly reason?: string;
  readonly message?: string;
  /** The last container failure, for people (kubectl's "Last State"). */
  readonly lastExitCode?: number;
  /**
   * The kubelet's crash-loop back-off for the pod's container: how many exits in a row it has
   * counted and when the last one was. Forgotten when exits are more than 10 minutes apart.
   */
  readonly backOff?: { readonly exits: number; readonly lastExitAt: number };
}

export interface NodeState {
  readonly node: Node;
  /** Σ request of the pods holding resources here. */
  readonly requested: ResourceList;
  /** Σ of their cpu and memory requests with kube's non-zero defaults (for scoring). */
  readonly nonZeroRequested: { readonly cpu: number; readonly memory: number };
  /** Keys of the pods holding resources here, sorted. */
  readonly pods: readonly PodKey[];
  /** The tick it joined (its creationTimestamp; its kubelet's lease is renewed every 10 s from then). */
  readonly joinedAt?: number;
  /** Set while its kubelet is down (`KubeletStopped`): the tick it stopped posting status. */
  readonly kubeletStoppedAt?: number;
  /** The tick its Ready condition last changed (`NodeConditionChanged`); until then, `joinedAt`. */
  readonly readyTransitionAt?: number;
  /** Set while its MemoryPressure condition is True: since when. */
  readonly memoryPressureSince?: number;
}

export interface ClusterState {
  readonly options: EngineOptions;
  /** Tick and seq of the last event applied (0 before any). */
  readonly t: number;
  readonly seq: number;
  readonly nodes: Readonly<Record<string, NodeState>>;
  readonly pods: Readonly<Record<PodKey, PodState>>;
  /** kube-scheduler's queue: every pod waiting to be scheduled. */
  readonly queue: Readonly<Record<PodKey, QueuedPod>>;
  /** The order kube-scheduler walks nodes in (zones round-robin), which depends on join history. */
  readonly nodeTree: NodeTree;
  /** Where kube-scheduler's next cycle starts filtering. */
  readonly nextStartNodeIndex: number;
  /** Workloads and PriorityClasses, by `Kind/namespace/name` (`Kind/name` when cluster-scoped). */
  readonly objects: Readonly<Record<string, ObjectState>>;
}

export const DEFAULT_OPTIONS: EngineOptions = { fitBy: "requests" };

/** An empty cluster at tick 0. */
export function createState(options: EngineOptions = DEFAULT_OPTIONS): ClusterState {
  return { options, t: 0, seq: 0, nodes: {}, pods: {}, queue: {}, nodeTree: EMPTY_TREE, nextStartNodeIndex: 0, objects: {} };
}

/** Node names in name order. */
export function nodeNames(state: ClusterState): string[] {
  return Object.keys(state.nodes).sort();
}

/** Pods in `namespace/name` order, optionally only those in `phase`. */
export function podsByPhase(state: ClusterState, phase?: PodPhase): PodState[] {
  return Object.keys(state.pods)
    .sort()
    .map((key) => state.pods[key] as PodState)
    .filter((pod) => phase === undefined || pod.phase === phase);
}

/**
 * The status column kubectl prints: Pending, SchedulingGated, ContainerCreating, Running,
 * CrashLoopBackOff (a container exited and waits for its restart), Completed, Terminating, or the
 * reason the pod failed (Error, OOMKilled, OutOfcpu …).
 */
export function podDisplayStatus(pod: PodState): string {
  if (pod.deletionDeadline !== undefined) return "Terminating";
  switch (pod.phase) {
    case "Pending":
      if (pod.reason === "SchedulingGated") return "SchedulingGated";
      return pod.node !== undefined ? "ContainerCreating" : "Pending";
    case "Running":
      return pod.runningSince === undefined ? "CrashLoopBackOff" : "Running";
    case "Succeeded":
      return "Completed";
    case "Failed":
      return pod.reason ?? "Error";
    default: {
      const unreachable: never = pod.phase;
      return unreachable;
    }
  }
}

/**
 * A canonical serialisation of the whole state (keys sorted at every level): two states are
 * equal exactly when their serialisations are. Used to prove purity, replay and, later, that the
 * fast engine equals this one.
 */
export function serializeState(state: ClusterState): string {
  return canonicalJson(state);
}

/**
 * PodGC's order for terminated pods (gc_controller.go `byEvictionAndCreationTimestamp`): pods the
 * kubelet evicted (Failed, reason `Evicted`) first, then by creation. A number to sort by.
 */
export function terminatedRank(pod: Pick<PodState, "phase" | "reason" | "createdSeq">): number {
  return pod.phase === "Failed" && pod.reason === "Evicted" ? pod.createdSeq - 2 ** 50 : pod.createdSeq;
}
