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
}
