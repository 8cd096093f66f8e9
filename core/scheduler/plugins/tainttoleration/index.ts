/**
 * TaintToleration (v1.35). Filter: a NoSchedule or NoExecute taint the pod does not tolerate
 * refuses the node ("node(s) had untolerated taint(s)" — v1.35 no longer names the taint).
 * Score: the number of PreferNoSchedule taints the pod does not tolerate, normalized in reverse
 * (fewest → 100). Worked example: counts [0, 1, 2] → [100, 50, 0].
 */
import type { Taint, Toleration } from "../../../model/node.js";
import { defaultNormalizeScore } from "../../framework/normalize.js";
import { SUCCESS, unresolvable, type CycleState, type NodeInfo, type Plugin } from "../../framework/types.js";

export const TAINT_TOLERATION = "TaintToleration";
export const TAINT_REASON = "node(s) had untolerated taint(s)";

/** Kubernetes' Toleration.ToleratesTaint. */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect !== undefined && toleration.effect !== taint.effect) return false;
  if (toleration.key === undefined) return toleration.operator === "Exists";
  if (toleration.key !== taint.key) return false;
  return toleration.operator === "Exists" || (toleration.value ?? "") === (taint.value ?? "");
}

export function toleratedBy(taint: Taint, tolerations: readonly Toleration[]): boolean {
  return tolerations.some((toleration) => tolerates(toleration, taint));
}

export function newTaintToleration(): Plugin {
  return {
    name: TAINT_TOLERATION,
    filter(cycle: CycleState, node: NodeInfo) {
      const blocking = node.node.taints.some((taint) => taint.effect !== "PreferNoSchedule" && !toleratedBy(taint, cycle.pod.tolerations));
      return blocking ? unresolvable(TAINT_REASON) : SUCCESS;
    },
    preScore: () => SUCCESS,
    score(cycle: CycleState, node: NodeInfo) {
      const preferring = cycle.pod.tolerations.filter((toleration) => toleration.effect === undefined || toleration.effect === "PreferNoSchedule");
      return node.node.taints.filter((taint) => taint.effect === "PreferNoSchedule" && !toleratedBy(taint, preferring)).length;
    },
    normalizeScore(_cycle: CycleState, _nodes: readonly NodeInfo[], scores: number[]) {
      defaultNormalizeScore(scores, true);
    },
  };
}
