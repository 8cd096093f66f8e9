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
 * - PodTopologySpread (plugin.go isSchedulableAfterPodChange / isSchedulableAfterNodeChange),
 *   reading the pod's DoNotSchedule constraints: a pod bound to a node (kube's assigned-pod Add)
 *   or one that stopped counting there (Delete), in the pod's namespace, matching one of their
 *   selectors; a node that joined or left with every constraint's topology key; such a node's
 *   taints or `unschedulable` changed (UpdateNodeTaint).
 *
 * Binding a pod, removing a node, and tainting or cordoning one wake only pods PodTopologySpread
 * rejected: the other plugins do not register those events here.
 */
import type { ClusterEvent } from "../events/events.js";
import type { PodState } from "../cluster/state.js";
import type { Node } from "../model/node.js";
import type { Pod } from "../model/pod.js";
import { hasAllKeys, POD_TOPOLOGY_SPREAD, spreadConstraints, spreadSelectorMatches } from "./plugins/podtopologyspread/index.js";
import { requiredMatches, NODE_AFFINITY } from "./plugins/nodeaffinity/index.js";
import { NODE_PORTS } from "./plugins/nodeports/index.js";
import { NODE_RESOURCES_FIT, fitsEmptyNode } from "./plugins/noderesourcesfit/filter.js";
import { NODE_UNSCHEDULABLE } from "./plugins/nodeunschedulable/index.js";
import { TAINT_TOLERATION, toleratedBy } from "./plugins/tainttoleration/index.js";

/** What an event is about, as the state held it before the event: the pod bound or freed, the node removed or changed. */
export interface EventSubject {
  readonly pod?: Pod;
  readonly node?: Node;
}

/** Whether `event` may make schedulable the pod that `plugin` rejected. */
export function hintSaysQueue(plugin: string, event: ClusterEvent, pod: PodState, subject: EventSubject = {}): boolean {
  if (plugin === POD_TOPOLOGY_SPREAD) return spreadHint(event, pod.pod, subject);
  if (wakesOnlySpread(event)) return false;
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
  return event.type === "NodeJoined" || event.type === "NodeUncordoned" || event.type === "ResourcesFreed" || event.type === "NodeUntainted" || wakesOnlySpread(event);
}

/** Events only PodTopologySpread's hints answer (the unschedulable pods it rejected are all that need a look). */
export function wakesOnlySpread(event: ClusterEvent): boolean {
  return event.type === "PodBound" || event.type === "NodeRemoved" || event.type === "NodeTainted" || event.type === "NodeCordoned";
}

/** The pod or node `event` is about, read from the state before it (for the hints). */
export function eventSubject(event: ClusterEvent, podOf: (key: string) => PodState | undefined, nodeOf: (name: string) => Node | undefined): EventSubject {
  switch (event.type) {
    case "PodBound":
    case "ResourcesFreed": {
      const pod = podOf(event.pod)?.pod;
      return pod === undefined ? {} : { pod };
    }
    case "NodeRemoved":
    case "NodeTainted":
    case "NodeUntainted":
    case "NodeCordoned":
    case "NodeUncordoned": {
      const node = nodeOf(event.node);
      return node === undefined ? {} : { node };
    }
    default:
      return {};
  }
}

/** PodTopologySpread's queueing hints, for its hard constraints. */
function spreadHint(event: ClusterEvent, target: Pod, subject: EventSubject): boolean {
  // Rejected without constraints of its own: by a List of DoNotSchedule default constraints, whose
  // selector (the pod's Services' and controller's) a hint cannot read here — any event may help.
  if (target.topologySpreadConstraints === undefined) return isRequeueEvent(event);
  const constraints = spreadConstraints(target, "DoNotSchedule");
  switch (event.type) {
    case "PodBound":
    case "ResourcesFreed": {
      const other = subject.pod;
      // The pod itself leaves the queue as it is bound.
      if (other === undefined || other.namespace !== target.namespace || other.name === target.name) return false;
      return constraints.some((constraint) => spreadSelectorMatches(constraint.selector, other.labels));
    }
    case "NodeJoined":
      return hasAllKeys(event.spec.labels, constraints);
    case "NodeRemoved":
    case "NodeTainted":
    case "NodeUntainted":
    case "NodeCordoned":
    case "NodeUncordoned":
      return subject.node !== undefined && hasAllKeys(subject.node.labels, constraints);
    default:
      return false;
  }
}
