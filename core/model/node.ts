/**
 * The Node as Timoneiro simulates it: plain data built from a v1 Node manifest.
 */
import type { ResourceList } from "./resources.js";

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";
export type ConditionStatus = "True" | "False" | "Unknown";

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: TaintEffect;
}

export interface Toleration {
  readonly key?: string;
  readonly operator: "Exists" | "Equal";
  readonly value?: string;
  /** Empty means every effect. */
  readonly effect?: TaintEffect;
  readonly tolerationSeconds?: number;
}

/** A node-selector requirement (`NodeSelectorRequirement`): on a label, or a field (`metadata.name`). */
export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
  readonly values: readonly string[];
}

/** Requirements ANDed together; a term with none matches no node. */
export interface NodeSelectorTerm {
  readonly matchExpressions: readonly NodeSelectorRequirement[];
  readonly matchFields: readonly NodeSelectorRequirement[];
}

/** `spec.affinity.nodeAffinity`: required terms are ORed; preferred terms add their weight when they match. */
export interface NodeAffinity {
  readonly required?: readonly NodeSelectorTerm[];
  readonly preferred: readonly { readonly weight: number; readonly preference: NodeSelectorTerm }[];
}

export interface Node {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** `spec.unschedulable` (cordoned). */
  readonly unschedulable: boolean;
  readonly capacity: ResourceList;
  /** `status.allocatable`; defaults to capacity, with `pods` defaulting to 110. */
  readonly allocatable: ResourceList;
  /** The node's Ready condition as its kubelet last reported it. */
  readonly ready: ConditionStatus;
  /** `status.images`: image name → size in bytes (every name of every image), for ImageLocality. */
  readonly images?: Readonly<Record<string, number>>;
}
