/**
 * Queueing hints (kube-scheduler v1.35, always on): when a cluster event happens, a pod in the
 * unschedulable pool goes back to be retried only if one of the plugins that rejected it says
 * the event may make it schedulable (`Queue`); otherwise it stays (`QueueSkip`).
 *
 * - NodeResourcesFit: a node joined that could hold the pod were it empty; an assigned pod
 *   stopped counting (deleted, or Succeeded/Failed — the scheduler's informer drops terminal
 *   pods, so it sees a delete).
 * - NodeUnschedulable: a node joined, or was uncordoned, that is not unschedulable.
 * - NodeAffinity: a node joined that matches the pod's nodeSelector and required affinity.
 * - TaintToleration: a node joined whose NoSchedule/NoExecute taints the pod tolerates, or a
 *   node lost a taint.
 * - NodePorts: a node joined, or an assigned pod stopped counting.
 */
import type { ClusterEvent } from "../events/events.js";
import type { PodState } from "../cluster/state.js";
import { requiredMatches, NODE_AFFINITY } from "./plugins/nodeaffinity/index.js";
import { NODE_PORTS } from "./plugins/nodeports/index.js";
import { NODE_RESOURCES_FIT, fitsEmptyNode } from "./plugins/noderesourcesfit/filter.js";
import { NODE_UNSCHEDULABLE } from "./plugins/nodeunschedulable/index.js";
import { TAINT_TOLERATION, toleratedBy } from "./plugins/tainttoleration/index.js";

/** Whether `event` may make schedulable the pod that `plugin` rejected. */
export function hintSaysQueue(plugin: string, event: ClusterEvent, pod: PodState): boolean {
  switch (plugin) {
    case NODE_RESOURCES_FIT:
      if (event.type === "NodeJoined") return fitsEmptyNode(pod.request, event.spec.allocatable);
      return event.type === "ResourcesFreed";
    case NODE_UNSCHEDULABLE:
      if (event.type === "NodeJoined") return !event.spec.unschedulable;
      return event.type === "NodeUncordoned";
    case NODE_AFFINITY:
      return event.type === "NodeJoined" && requiredMatches(pod.pod, event.spec);
    case TAINT_TOLERATION:
      if (event.type === "NodeJoined") return event.spec.taints.every((taint) => taint.effect === "PreferNoSchedule" || toleratedBy(taint, pod.pod.tolerations));
      return event.type === "NodeUntainted";
    case NODE_PORTS:
      return event.type === "NodeJoined" || event.type === "ResourcesFreed";
    default:
      // A plugin without hints is interested in every event (kube's default).
      return true;
  }
}

/** Events that can move pods out of the unschedulable pool at all. */
export function isRequeueEvent(event: ClusterEvent): boolean {
  return event.type === "NodeJoined" || event.type === "NodeUncordoned" || event.type === "ResourcesFreed" || event.type === "NodeUntainted";
}
