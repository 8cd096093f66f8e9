/**
 * A pod's affinity terms as InterPodAffinity reads them (kube-scheduler v1.35 framework/types.go
 * AffinityTerm, NewPodInfo; plugin.go mergeAffinityTermNamespacesIfNotEmpty):
 *
 * - the selector is the written one with the pod's matchLabelKeys / mismatchLabelKeys merged
 *   (what kube-apiserver stores); a nil selector matches no pod, `{}` every pod;
 * - the namespaces are those listed, or the pod's own when the list is empty and there is no
 *   namespaceSelector; a namespaceSelector (nil: none; `{}`: every namespace) adds the namespaces
 *   whose labels it matches;
 * - `termMatches(term, pod, nsLabels)`: the pod's namespace is listed, or the namespaceSelector
 *   matches `nsLabels` (the labels of the pod's Namespace object, or none); then the selector
 *   decides.
 *
 * For the incoming pod the scheduler first resolves the namespaceSelector into names with the
 * cluster's Namespace objects (`flattened`); an existing pod's terms are matched against the
 * incoming pod with the labels of the incoming pod's namespace.
 */
import type { Pod } from "../../../model/pod.js";
import { resolvedSelector, type PodAffinityTerm } from "../../../model/affinity.js";
import { selectorMatches, type LabelSelector } from "../../../model/workload.js";

type Labels = Readonly<Record<string, string>>;

export interface AffinityTerm {
  readonly namespaces: ReadonlySet<string>;
  /** Undefined: matches no pod (nil). */
  readonly selector: LabelSelector | undefined;
  /** Undefined: matches no namespace (nil); empty: every namespace. */
  readonly namespaceSelector: LabelSelector | undefined;
  readonly topologyKey: string;
}

export interface WeightedAffinityTerm {
  readonly term: AffinityTerm;
  readonly weight: number;
}

/** The four kinds of terms of one pod. */
export interface PodTerms {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
}

const NO_TERMS: PodTerms = { requiredAffinity: [], requiredAntiAffinity: [], preferredAffinity: [], preferredAntiAffinity: [] };

const cache = new WeakMap<Pod, PodTerms>();

/** A pod's terms (pods are immutable: computed once per pod object). */
export function termsOf(pod: Pod): PodTerms {
  if (pod.podAffinity === undefined && pod.podAntiAffinity === undefined) return NO_TERMS;
  let terms = cache.get(pod);
  if (terms === undefined) {
    const term = (written: PodAffinityTerm): AffinityTerm => ({
      namespaces: new Set(written.namespaces.length === 0 && written.namespaceSelector === undefined ? [pod.namespace] : written.namespaces),
      selector: resolvedSelector(written, pod.labels),
      namespaceSelector: written.namespaceSelector,
      topologyKey: written.topologyKey,
    });
    terms = {
      requiredAffinity: (pod.podAffinity?.required ?? []).map(term),
      requiredAntiAffinity: (pod.podAntiAffinity?.required ?? []).map(term),
      preferredAffinity: (pod.podAffinity?.preferred ?? []).map(({ weight, podAffinityTerm }) => ({ term: term(podAffinityTerm), weight })),
      preferredAntiAffinity: (pod.podAntiAffinity?.preferred ?? []).map(({ weight, podAffinityTerm }) => ({ term: term(podAffinityTerm), weight })),
    };
    cache.set(pod, terms);
  }
  return terms;
}

/** Whether the pod has any affinity term at all (kube's PodsWithAffinity membership, for pods whose terms are not empty). */
export function hasTerms(pod: Pod): boolean {
  return pod.podAffinity !== undefined || pod.podAntiAffinity !== undefined;
}

/** AffinityTerm.Matches. */
export function termMatches(term: AffinityTerm, pod: Pick<Pod, "namespace" | "labels">, namespaceLabels: Labels | undefined): boolean {
  if (!term.namespaces.has(pod.namespace) && (term.namespaceSelector === undefined || !selectorMatches(term.namespaceSelector, namespaceLabels ?? {}))) return false;
  return term.selector !== undefined && selectorMatches(term.selector, pod.labels);
}

/** podMatchesAllAffinityTerms: false for no terms. */
export function matchesAll(terms: readonly AffinityTerm[], pod: Pick<Pod, "namespace" | "labels">): boolean {
  if (terms.length === 0) return false;
  for (const term of terms) if (!termMatches(term, pod, undefined)) return false;
  return true;
}

/** Whether a selector is `{}` (labels.Everything: Empty() is true). */
export function isEverything(selector: LabelSelector): boolean {
  for (const _key in selector.matchLabels) return false;
  return selector.matchExpressions.length === 0;
}

/**
 * mergeAffinityTermNamespacesIfNotEmpty: the incoming pod's namespaceSelector resolved into the
 * names of the Namespace objects it matches (added to the listed ones), then dropped; `{}` is
 * kept (it matches every namespace, existing or not).
 */
export function flattened(term: AffinityTerm, namespaces: ReadonlyMap<string, Labels>): AffinityTerm {
  const selector = term.namespaceSelector;
  if (selector === undefined || isEverything(selector)) return term;
  const names = new Set(term.namespaces);
  for (const [name, labels] of namespaces) if (selectorMatches(selector, labels)) names.add(name);
  return { namespaces: names, selector: term.selector, namespaceSelector: undefined, topologyKey: term.topologyKey };
}
