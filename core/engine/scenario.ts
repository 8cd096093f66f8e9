/**
 * A scenario as the engine takes it: plain data, already validated (the loaders in
 * `scenarios/` build it from YAML). Nodes join and pods are created at tick 0, in order; the
 * timeline then acts at its ticks.
 */
import type { Node, Taint } from "../model/node.js";
import type { Pod, PodKey } from "../model/pod.js";
import type { EngineOptions } from "../cluster/state.js";
import type { ClusterObject, ObjectKind } from "../model/objects.js";
import type { Workload, WorkloadKind } from "../model/workload.js";
import type { DrainOptions } from "../controllers/drain.js";

export type TimelineAction =
  | { readonly at: number; readonly action: "createPod"; readonly pod: Pod }
  | { readonly at: number; readonly action: "addNode"; readonly node: Node }
  | { readonly at: number; readonly action: "deletePod"; readonly pod: PodKey; readonly gracePeriodSeconds?: number }
  | { readonly at: number; readonly action: "cordon"; readonly node: string }
  | { readonly at: number; readonly action: "uncordon"; readonly node: string }
  /** The node's kubelet stops posting status (`failNode`), or starts again (`recoverNode`). */
  | { readonly at: number; readonly action: "failNode"; readonly node: string }
  | { readonly at: number; readonly action: "recoverNode"; readonly node: string }
  /** The Node object is deleted, whatever it holds (`removeNode`). */
  | { readonly at: number; readonly action: "removeNode"; readonly node: string }
  /** kubectl taint: add a taint, or remove the taint of that key and effect. */
  | { readonly at: number; readonly action: "taint"; readonly node: string; readonly taint: Taint }
  | { readonly at: number; readonly action: "untaint"; readonly node: string; readonly taint: Taint }
  /** kubectl drain (controllers/drain.ts). */
  | { readonly at: number; readonly action: "drain"; readonly node: string; readonly options: DrainOptions }
  /** Create an object (kubectl create): a workload or a PriorityClass. */
  | { readonly at: number; readonly action: "createObject"; readonly object: ClusterObject }
  /** Delete an object (kubectl delete --cascade=background|orphan). `object`: `namespace/name`, or `name` if cluster-scoped. */
  | { readonly at: number; readonly action: "deleteObject"; readonly kind: ObjectKind; readonly object: string; readonly propagation: "Background" | "Orphan" }
  /** kubectl scale. */
  | { readonly at: number; readonly action: "scale"; readonly kind: WorkloadKind; readonly object: string; readonly replicas: number }
  /**
   * kubectl patch (strategic merge), resolved when the scenario was loaded: `workload` is the
   * object after the patch. Unless the patch sets `spec.replicas`, the object keeps the replicas
   * it has when the action happens (a ReplicaSet's may have been changed by its Deployment).
   */
  | { readonly at: number; readonly action: "update"; readonly kind: WorkloadKind; readonly object: string; readonly workload: Workload; readonly setsReplicas: boolean };

export interface Scenario {
  readonly name: string;
  readonly seed: number;
  /** The run stops after this tick. */
  readonly untilSeconds: number;
  /** Tick 0's time, in seconds since the Unix epoch (`spec.startTime`; default DEFAULT_START_TIME). */
  readonly startTime?: number;
  readonly options: EngineOptions;
  readonly nodes: readonly Node[];
  readonly pods: readonly Pod[];
  /** Objects that exist from the start (PriorityClasses, workloads), applied after the nodes, before the pods. */
  readonly objects?: readonly ClusterObject[];
  readonly timeline: readonly TimelineAction[];
  /** The controllers' settings (kube-controller-manager's flags). */
  readonly controllers?: ControllerSettings;
}

export interface ControllerSettings {
  /**
   * PodGC's `--terminated-pod-gc-threshold`: once more pods than this are Succeeded or Failed,
   * the oldest are deleted. Default 12,500 (kube's); 0 or less turns it off.
   */
  readonly terminatedPodGCThreshold?: number;
}

