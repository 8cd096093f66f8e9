/**
 * The Pod as Timoneiro simulates it: plain, JSON-serialisable data built from a v1 Pod manifest
 * (see `manifest.ts`), after Kubernetes' API defaulting (requests default to limits, pod-level
 * requests default per KEP-2837).
 */
import type { ResourceList } from "./resources.js";
import type { NodeAffinity, Toleration } from "./node.js";
import type { OwnerReference } from "./workload.js";
import type { TopologySpreadConstraint } from "./spread.js";
import type { PodAffinityRules } from "./affinity.js";

export type ContainerRestartPolicy = "Always";
export type PodRestartPolicy = "Always" | "OnFailure" | "Never";
export type Protocol = "TCP" | "UDP" | "SCTP";

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
  /** Set when the port is also opened on the node (NodePorts filter, a later issue). */
  readonly hostPort?: number;
  readonly hostIP?: string;
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly ports: readonly ContainerPort[];
  /** After defaulting: a resource with a limit and no request requests its limit. */
  readonly requests: ResourceList;
  readonly limits: ResourceList;
  /** Only on init containers: `Always` makes it a sidecar (restartable init container). */
  readonly restartPolicy?: ContainerRestartPolicy;
}

/** Simulated behaviour, from `sim.timoneiro.dev/*` annotations (all times in seconds). */
export interface PodSimulation {
  /** The pod's containers exit 0 this long after it starts. */
  readonly durationSeconds?: number;
  /** The first container exits with `exitCode` this long after it starts. */
  readonly failAfterSeconds?: number;
  readonly exitCode?: number;
  /** Memory the first container uses once running; above its memory limit it is OOM-killed. */
  readonly memoryUsageBytes?: number;
  /** Time from binding to running (image pull). */
  readonly imagePullSeconds?: number;
  /**
   * Time from each (re)start of its containers until the pod is Ready (a readiness probe's delay);
   * without it a pod is Ready as its containers start.
   */
  readonly readyAfterSeconds?: number;
}

export interface Pod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly containers: readonly Container[];
  readonly initContainers: readonly Container[];
  readonly restartPolicy: PodRestartPolicy;
  /** `spec.priority`; 0 when unset (PriorityClass resolution comes with the controllers). */
  readonly priority: number;
  readonly priorityClassName?: string;
  /** `spec.preemptionPolicy` (set by Priority admission from the class): `Never` may not preempt; absent is PreemptLowerPriority. */
  readonly preemptionPolicy?: "Never" | "PreemptLowerPriority";
  readonly schedulerName: string;
  /** Set when the manifest binds the pod itself: it skips the scheduler, the kubelet admits it. */
  readonly nodeName?: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  /** `spec.overhead` (RuntimeClass), added to the pod's requests. */
  readonly overhead?: ResourceList;
  /** Pod-level `spec.resources` (cpu and memory), after defaulting. */
  readonly resources?: { readonly requests: ResourceList; readonly limits: ResourceList };
  readonly schedulingGates: readonly string[];
  /** `spec.affinity.nodeAffinity`, when set. */
  readonly nodeAffinity?: NodeAffinity;
  /** `spec.hostNetwork`: its container ports are host ports too. */
  readonly hostNetwork?: boolean;
  /** Set when a volume is an `emptyDir` (local storage: kubectl drain refuses the pod unless told to delete it). */
  readonly emptyDir?: true;
  /** `spec.topologySpreadConstraints`, when any (PodTopologySpread). */
  readonly topologySpreadConstraints?: readonly TopologySpreadConstraint[];
  /** `spec.affinity.podAffinity`, when set (InterPodAffinity). */
  readonly podAffinity?: PodAffinityRules;
  /** `spec.affinity.podAntiAffinity`, when set (InterPodAffinity). */
  readonly podAntiAffinity?: PodAffinityRules;
  readonly terminationGracePeriodSeconds: number;
  readonly sim: PodSimulation;
  /** `metadata.ownerReferences`: set on pods a controller made (its controller reference). */
  readonly ownerReferences?: readonly OwnerReference[];
}

/** `namespace/name`, the key pods go by in events and the state. */
export type PodKey = string;

export function podKey(pod: Pick<Pod, "namespace" | "name">): PodKey {
  return `${pod.namespace}/${pod.name}`;
}

/** Splits `namespace/name` (or a bare `name` in `default`). */
export function parsePodKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { namespace: "default", name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
