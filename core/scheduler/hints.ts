/**
 * Queueing hints (kube-scheduler v1.35, always on): when a cluster event happens, a pod in the
 * unschedulable pool goes back to be retried only if one of the plugins that rejected it says
 * the event may make it schedulable (`Queue`); otherwise it stays (`QueueSkip`).
 *
 * - NodeResourcesFit: a node joined that could hold the pod were it empty; an assigned pod
 *   stopped counting (deleted, or Succeeded/Failed — the scheduler's informer drops terminal
 *   pods, so it sees a delete).
 * - NodeUnschedulable: a node joined, or was uncordoned, that is not unschedulable.
 */
import type { ClusterEvent } from "../events/events.js";
import type { ResourceList } from "../model/resources.js";
import { NODE_RESOURCES_FIT, fitsEmptyNode } from "./plugins/noderesourcesfit/filter.js";
import { NODE_UNSCHEDULABLE } from "./plugins/nodeunschedulable/index.js";

/** Whether `event` may make schedulable a pod (with this request) that `plugin` rejected. */
export function hintSaysQueue(plugin: string, event: ClusterEvent, podRequest: ResourceList): boolean {
  switch (plugin) {
    case NODE_RESOURCES_FIT:
      if (event.type === "NodeJoined") return fitsEmptyNode(podRequest, event.spec.allocatable);
      return event.type === "ResourcesFreed";
    case NODE_UNSCHEDULABLE:
      if (event.type === "NodeJoined") return !event.spec.unschedulable;
      return event.type === "NodeUncordoned";
    default:
      // A plugin without hints is interested in every event (kube's default).
      return true;
  }
}

/** Events that can move pods out of the unschedulable pool at all. */
export function isRequeueEvent(event: ClusterEvent): boolean {
  return event.type === "NodeJoined" || event.type === "NodeUncordoned" || event.type === "ResourcesFreed";
}
