/**
 * PodTopologySpread's default constraints (v1.35, plugin.go and common.go
 * buildDefaultConstraints; helper/spread.go DefaultSelector), for a pod with no
 * `topologySpreadConstraints` of its own:
 *
 * - `defaultingType: System` (the default): hostname maxSkew 3 and zone maxSkew 5, both
 *   ScheduleAnyway — only scoring, never filtering;
 * - `defaultingType: List`: the args' `defaultConstraints`.
 *
 * Their selector is the pod's DefaultSelector: the union of the selectors of the Services in the
 * pod's namespace that select it (`spec.selector` maps, merged), ANDed with the selector of its
 * controller when that is an apps/v1 ReplicaSet or StatefulSet or a v1 ReplicationController that
 * exists (not a Deployment, Job or DaemonSet). Empty — no such Service, no such controller — means
 * no default constraint at all. With System defaulting, PreScore does not ignore nodes missing a
 * key (`requireAllTopologies` false): such a node counts under the empty value and gets no score
 * for that key.
 */
import type { Pod } from "../../../model/pod.js";
import type { Service } from "../../../model/policy.js";
import type { TopologySpreadConstraint, WhenUnsatisfiable } from "../../../model/spread.js";
import type { LabelSelector, SelectorRequirement, Workload } from "../../../model/workload.js";
import type { DomainCounter } from "./index.js";
import type { AffinityCounter } from "../interpodaffinity/index.js";

export const ZONE_LABEL = "topology.kubernetes.io/zone";

/** plugin.go systemDefaultConstraints. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = [
  { maxSkew: 3, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", matchLabelKeys: [] },
  { maxSkew: 5, topologyKey: ZONE_LABEL, whenUnsatisfiable: "ScheduleAnyway", matchLabelKeys: [] },
];

/** PodTopologySpreadArgs after defaulting (`defaultingType` System unless set). */
export interface SpreadArgs {
  readonly defaultingType: "System" | "List";
  readonly defaultConstraints: readonly TopologySpreadConstraint[];
}

export const DEFAULT_SPREAD_ARGS: SpreadArgs = { defaultingType: "System", defaultConstraints: [] };

/** What DefaultSelector reads of the cluster. */
export interface SpreadOwners {
  /** The Services of a namespace. */
  services(namespace: string): Iterable<Service>;
  /** A workload by kind, namespace and name, if it exists. */
  workload(kind: string, namespace: string, name: string): Workload | undefined;
  /** The Namespace objects' labels by name (InterPodAffinity reads them; not DefaultSelector). */
  namespaces?(): ReadonlyMap<string, Readonly<Record<string, string>>>;
  /**
   * Counts an engine keeps incrementally, for a cycle built from these owners (the fast engine's
   * plain path); absent: the plugins' naive passes over every pod.
   */
  counters?(): { readonly spread: DomainCounter; readonly affinity: AffinityCounter };
}

function selectsPod(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}

/**
 * helper.DefaultSelector: the pod's Services' selectors merged (in name order; a later Service's
 * value wins for a key two of them name), then its controller's selector — a ReplicationController's
 * merged into the same map, a ReplicaSet's or StatefulSet's ANDed as requirements. Undefined when
 * empty.
 */
export function defaultSelector(pod: Pick<Pod, "namespace" | "labels" | "ownerReferences">, owners: SpreadOwners): LabelSelector | undefined {
  const merged: Record<string, string> = {};
  const services = [...owners.services(pod.namespace)].filter((service) => service.selector !== undefined && selectsPod(service.selector, pod.labels));
  services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const service of services) Object.assign(merged, service.selector);
  const requirements: SelectorRequirement[] = [];
  const owner = pod.ownerReferences?.find((reference) => reference.controller);
  if (owner !== undefined) {
    if (owner.apiVersion === "v1" && owner.kind === "ReplicationController") {
      const controller = owners.workload("ReplicationController", pod.namespace, owner.name);
      if (controller !== undefined) Object.assign(merged, controller.selector.matchLabels);
    } else if (owner.apiVersion === "apps/v1" && (owner.kind === "ReplicaSet" || owner.kind === "StatefulSet")) {
      const controller = owners.workload(owner.kind, pod.namespace, owner.name);
      if (controller !== undefined) {
        for (const [key, value] of Object.entries(controller.selector.matchLabels)) requirements.push({ key, operator: "In", values: [value] });
        requirements.push(...controller.selector.matchExpressions);
      }
    }
  }
  if (Object.keys(merged).length === 0 && requirements.length === 0) return undefined;
  return { matchLabels: merged, matchExpressions: requirements };
}

/**
 * The constraints PodTopologySpread uses for `action`: the pod's own of that kind; or, if it has
 * none at all, the default constraints of that kind with the DefaultSelector (none when that is
 * empty). `requireAllTopologies` is false only for System defaults.
 */
export function constraintsOf(pod: Pod, action: WhenUnsatisfiable, args: SpreadArgs, selector: (() => LabelSelector | undefined) | undefined): { constraints: TopologySpreadConstraint[]; requireAllTopologies: boolean } {
  const own = pod.topologySpreadConstraints;
  if (own !== undefined && own.length > 0) return { constraints: own.filter((constraint) => constraint.whenUnsatisfiable === action), requireAllTopologies: true };
  const defaults = (args.defaultingType === "System" ? SYSTEM_DEFAULT_CONSTRAINTS : args.defaultConstraints).filter((constraint) => constraint.whenUnsatisfiable === action);
  const requireAllTopologies = args.defaultingType !== "System";
  if (defaults.length === 0) return { constraints: [], requireAllTopologies };
  const chosen = selector?.();
  if (chosen === undefined) return { constraints: [], requireAllTopologies };
  return { constraints: defaults.map((constraint) => ({ ...constraint, labelSelector: chosen, matchLabelKeys: [] })), requireAllTopologies };
}
