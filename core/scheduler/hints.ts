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
 * - Open-Gpu-Share (bundled, plugins/gpushare; theirs registers no hints): a node with GPUs
 *   joined, or an assigned pod stopped counting (its cards are free again).
 * - PodTopologySpread (plugin.go isSchedulableAfterPodChange / isSchedulableAfterNodeChange),
 *   reading the pod's DoNotSchedule constraints: a pod bound to a node (kube's assigned-pod Add)
 *   or one that stopped counting there (Delete), in the pod's namespace, matching one of their
 *   selectors; a node that joined or left with every constraint's topology key; such a node's
 *   taints or `unschedulable` changed (UpdateNodeTaint).
 * - InterPodAffinity (plugin.go isSchedulableAfterPodChange / isSchedulableAfterNodeChange, with
 *   queueing hints on: Pod Add/Delete, Node Add): a pod bound to a node that matches all the
 *   pod's required affinity terms; a pod that stopped holding resources (kube's Delete) matching
 *   all its required anti-affinity terms; a node that joined with the key of one of its required
 *   affinity terms, or any node at all when it has required anti-affinity terms. A pod rejected
 *   only by existing pods' anti-affinity is woken by none of these: kube v1.35 waits for the
 *   leftover flush (5 minutes) — the hint that requeues it on the other pod's deletion
 *   (kubernetes#135325) came after. The terms are read as written: a namespaceSelector is matched
 *   against no labels (kube does not resolve it here).
 *
 * Binding a pod wakes only pods PodTopologySpread or InterPodAffinity rejected; removing a node,
 * and tainting or cordoning one, only pods PodTopologySpread rejected: the other plugins do not
 * register those events here.
 */
import type { ClusterEvent } from "../events/events.js";
import type { PodState } from "../cluster/state.js";
import type { Node } from "../model/node.js";
import type { Pod } from "../model/pod.js";
import { hasAllKeys, POD_TOPOLOGY_SPREAD, spreadConstraints, spreadSelectorMatches } from "./plugins/podtopologyspread/index.js";
import { INTER_POD_AFFINITY } from "./plugins/interpodaffinity/index.js";
import { matchesAll, termsOf } from "./plugins/interpodaffinity/terms.js";
import { requiredMatches, NODE_AFFINITY } from "./plugins/nodeaffinity/index.js";
import { NODE_PORTS } from "./plugins/nodeports/index.js";
import { NODE_RESOURCES_FIT, fitsEmptyNode } from "./plugins/noderesourcesfit/filter.js";
import { NODE_UNSCHEDULABLE } from "./plugins/nodeunschedulable/index.js";
import { TAINT_TOLERATION, toleratedBy } from "./plugins/tainttoleration/index.js";
import { OPEN_GPU_SHARE } from "./plugins/gpushare/index.js";
import { GPU_COUNT } from "../gpu/model.js";

/** What an event is about, as the state held it before the event: the pod bound or freed, the node removed or changed. */
export interface EventSubject {
  readonly pod?: Pod;
  readonly node?: Node;
}

/** Whether `event` may make schedulable the pod that `plugin` rejected. */
export function hintSaysQueue(plugin: string, event: ClusterEvent, pod: PodState, subject: EventSubject = {}): boolean {
  if (plugin === POD_TOPOLOGY_SPREAD) return spreadHint(event, pod.pod, subject);
  if (plugin === INTER_POD_AFFINITY) return affinityHint(event, pod.pod, subject);
  if (wakesOnlyPodPlugins(event)) return false;
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
    case OPEN_GPU_SHARE:
      if (event.type === "NodeJoined") return (event.spec.allocatable[GPU_COUNT] ?? 0) > 0;
      return event.type === "ResourcesFreed";
    default:
      // A plugin without hints is interested in every event (kube's default).
      return true;
  }
}

/** Events that can move pods out of the unschedulable pool at all. */
export function isRequeueEvent(event: ClusterEvent): boolean {
  return event.type === "NodeJoined" || event.type === "NodeUncordoned" || event.type === "ResourcesFreed" || event.type === "NodeUntainted" || wakesOnlyPodPlugins(event);
}

/** The plugins that count other pods: only their hints answer the events of `wakesOnlyPodPlugins`. */
export const POD_PLUGINS: readonly string[] = [POD_TOPOLOGY_SPREAD, INTER_POD_AFFINITY];

/**
 * Events only PodTopologySpread's and InterPodAffinity's hints answer (the unschedulable pods
 * they rejected are all that need a look).
 */
export function wakesOnlyPodPlugins(event: ClusterEvent): boolean {
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

/** InterPodAffinity's queueing hints (v1.35, queueing hints on). */
function affinityHint(event: ClusterEvent, target: Pod, subject: EventSubject): boolean {
  const terms = termsOf(target);
  switch (event.type) {
    case "PodBound": {
      // An assigned pod added: it may be the one the pod's affinity waits for.
      const other = subject.pod;
      return other !== undefined && (other.namespace !== target.namespace || other.name !== target.name) && matchesAll(terms.requiredAffinity, other);
    }
    case "ResourcesFreed": {
      // An assigned pod deleted: it may be the one the pod's anti-affinity kept it away from.
      const other = subject.pod;
      return other !== undefined && matchesAll(terms.requiredAntiAffinity, other);
    }
    case "NodeJoined":
      if (terms.requiredAntiAffinity.length > 0) return true;
      return terms.requiredAffinity.some((term) => Object.hasOwn(event.spec.labels, term.topologyKey));
    default:
      return false;
  }
}
