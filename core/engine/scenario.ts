/**
 * A scenario as the engine takes it: plain data, already validated (the loaders in
 * `scenarios/` build it from YAML). Nodes join and pods are created at tick 0, in order; the
 * timeline then acts at its ticks.
 */
import type { Node } from "../model/node.js";
import type { Pod, PodKey } from "../model/pod.js";
import type { EngineOptions } from "../cluster/state.js";

export type TimelineAction =
  | { readonly at: number; readonly action: "createPod"; readonly pod: Pod }
  | { readonly at: number; readonly action: "addNode"; readonly node: Node }
  | { readonly at: number; readonly action: "deletePod"; readonly pod: PodKey; readonly gracePeriodSeconds?: number }
  | { readonly at: number; readonly action: "cordon"; readonly node: string }
  | { readonly at: number; readonly action: "uncordon"; readonly node: string };

export interface Scenario {
  readonly name: string;
  readonly seed: number;
  /** The run stops after this tick. */
  readonly untilSeconds: number;
  readonly options: EngineOptions;
  readonly nodes: readonly Node[];
  readonly pods: readonly Pod[];
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

/** kube-controller-manager's default `--terminated-pod-gc-threshold`. */
export const DEFAULT_TERMINATED_POD_GC_THRESHOLD = 12_500;
/** PodGC's check period (gcCheckPeriod). */
export const POD_GC_PERIOD_SECONDS = 20;
