/**
 * `spec.affinity.podAffinity` and `spec.affinity.podAntiAffinity` (core/v1 PodAffinity, v1.35):
 * the model and the API server's validation of it (pkg/apis/core/validation/validation.go
 * validatePodAffinityTerm, validateWeightedPodAffinityTerms, ValidateMatchLabelKeysAndMismatchLabelKeys).
 * Paths are under `spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[i]`
 * or `….preferredDuringSchedulingIgnoredDuringExecution[j].podAffinityTerm`:
 *
 * | rule | error |
 * |---|---|
 * | topologyKey empty | `topologyKey: Required value: can not be empty`, then the label-name errors of "" |
 * | topologyKey not a label name | `topologyKey: Invalid value: …` (ValidateLabelName) |
 * | a `namespaces` entry not a DNS-1123 label | `namespace: Invalid value: "Bad_NS": …` (kube's path says `namespace`) |
 * | labelSelector / namespaceSelector malformed | metav1 label selector rules |
 * | matchLabelKeys / mismatchLabelKeys without a labelSelector | `matchLabelKeys: Forbidden: must not be specified when labelSelector is not set` |
 * | a key that is not a label name | `matchLabelKeys[j]: Invalid value` |
 * | a key in both lists | `matchLabelKeys[j]: Invalid value: "k": exists in both matchLabelKeys and mismatchLabelKeys` |
 * | a matchLabelKey the pod carries that the selector also names | `[j]: Invalid value: "k": exists in both matchLabelKeys and labelSelector` (kube's path, after its create-time merge) |
 * | weight ≤ 0 or > 100 | `[j].weight: Invalid value: 0: must be in the range 1-100` |
 *
 * matchLabelKeys and mismatchLabelKeys: kube-apiserver merges them into the selector when the pod
 * is created (`key In [value]` / `key NotIn [value]` for each key the pod carries; feature
 * MatchLabelKeysInPodAffinity, GA and locked on since 1.33). Timoneiro keeps them on the term and
 * the scheduler merges them with the pod's labels (`resolvedSelector`): a pod's labels never
 * change once it exists, so this is the same selector, and a pod template (whose pods gain
 * `pod-template-hash` later) means what its pods will.
 */
import type { DiagnosticList, FieldPath } from "./diagnostics.js";
import { checkLabelSelector, dns1123LabelErrors, forbidden, invalid, labelKeyErrors, required } from "./validation.js";
import { readMatchLabelKeys } from "./spread.js";
import { labelSelectorFrom, type LabelSelector } from "./workload.js";

/** One PodAffinityTerm as written. */
export interface PodAffinityTerm {
  /** Absent: kube's nil selector, which matches no pod. */
  readonly labelSelector?: LabelSelector;
  /** Empty with no namespaceSelector: the pod's own namespace. */
  readonly namespaces: readonly string[];
  /** Absent: no namespace by labels; `{}`: every namespace. */
  readonly namespaceSelector?: LabelSelector;
  readonly topologyKey: string;
  readonly matchLabelKeys: readonly string[];
  readonly mismatchLabelKeys: readonly string[];
}

export interface WeightedPodAffinityTerm {
  /** 1–100. */
  readonly weight: number;
  readonly podAffinityTerm: PodAffinityTerm;
}

/** `podAffinity` or `podAntiAffinity`: its required and preferred terms. */
export interface PodAffinityRules {
  readonly required: readonly PodAffinityTerm[];
  readonly preferred: readonly WeightedPodAffinityTerm[];
}

type Json = unknown;
const isObject = (value: Json): value is Record<string, Json> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Reads and validates `podAffinity` or `podAntiAffinity` of a pod (or template) whose labels are
 * `podLabels`; undefined when absent. Errors go to `out` under `path`.
 */
export function readPodAffinityRules(value: Json, podLabels: Readonly<Record<string, string>>, path: FieldPath, out: DiagnosticList): PodAffinityRules | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    out.error(path, "must be an object: {requiredDuringSchedulingIgnoredDuringExecution, preferredDuringSchedulingIgnoredDuringExecution}");
    return undefined;
  }
  const requiredPath = [...path, "requiredDuringSchedulingIgnoredDuringExecution"];
  const preferredPath = [...path, "preferredDuringSchedulingIgnoredDuringExecution"];
  const requiredTerms: PodAffinityTerm[] = [];
  listAt(value["requiredDuringSchedulingIgnoredDuringExecution"], requiredPath, out).forEach((item, index) => {
    const term = readTerm(item, podLabels, [...requiredPath, index], out);
    if (term !== undefined) requiredTerms.push(term);
  });
  const preferred: WeightedPodAffinityTerm[] = [];
  listAt(value["preferredDuringSchedulingIgnoredDuringExecution"], preferredPath, out).forEach((item, index) => {
    const at = [...preferredPath, index];
    if (!isObject(item)) {
      out.error(at, "must be an object: {weight, podAffinityTerm}");
      return;
    }
    const weight = item["weight"] ?? 0;
    if (typeof weight !== "number" || !Number.isSafeInteger(weight)) out.error([...at, "weight"], invalid(weight, "must be an integer"));
    else if (weight <= 0 || weight > 100) out.error([...at, "weight"], invalid(weight, "must be in the range 1-100"));
    const rawTerm = item["podAffinityTerm"];
    if (rawTerm === undefined || rawTerm === null) {
      out.error([...at, "podAffinityTerm"], required("a pod affinity term: {labelSelector, topologyKey}"));
      return;
    }
    const term = readTerm(rawTerm, podLabels, [...at, "podAffinityTerm"], out);
    if (term !== undefined && typeof weight === "number") preferred.push({ weight, podAffinityTerm: term });
  });
  return { required: requiredTerms, preferred };
}

function listAt(value: Json, path: FieldPath, out: DiagnosticList): readonly Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    out.error(path, "must be a list of pod affinity terms");
    return [];
  }
  return value;
}

function readTerm(value: Json, podLabels: Readonly<Record<string, string>>, at: FieldPath, out: DiagnosticList): PodAffinityTerm | undefined {
  if (!isObject(value)) {
    out.error(at, "must be an object: {labelSelector, topologyKey}");
    return undefined;
  }
  const before = out.items.length;
  const rawSelector = value["labelSelector"];
  const hasSelector = rawSelector !== undefined && rawSelector !== null;
  if (hasSelector) checkLabelSelector(rawSelector, [...at, "labelSelector"], out);
  const rawNamespaceSelector = value["namespaceSelector"];
  const hasNamespaceSelector = rawNamespaceSelector !== undefined && rawNamespaceSelector !== null;
  if (hasNamespaceSelector) checkLabelSelector(rawNamespaceSelector, [...at, "namespaceSelector"], out);
  const namespaces: string[] = [];
  const rawNamespaces = value["namespaces"];
  if (rawNamespaces !== undefined && rawNamespaces !== null) {
    if (!Array.isArray(rawNamespaces)) out.error([...at, "namespaces"], "must be a list of namespace names");
    else {
      for (const name of rawNamespaces) {
        if (typeof name !== "string") {
          out.error([...at, "namespace"], invalid(name, "must be a namespace name"));
          continue;
        }
        for (const message of dns1123LabelErrors(name)) out.error([...at, "namespace"], invalid(name, message));
        namespaces.push(name);
      }
    }
  }
  const matchLabelKeys = readMatchLabelKeys(value["matchLabelKeys"], [...at, "matchLabelKeys"], out);
  const mismatchLabelKeys = readMatchLabelKeys(value["mismatchLabelKeys"], [...at, "mismatchLabelKeys"], out);
  if (!hasSelector) {
    if (matchLabelKeys.length > 0) out.error([...at, "matchLabelKeys"], forbidden("must not be specified when labelSelector is not set"));
    if (mismatchLabelKeys.length > 0) out.error([...at, "mismatchLabelKeys"], forbidden("must not be specified when labelSelector is not set"));
  } else if (isObject(rawSelector)) {
    // After the API server's merge the selector names each key the pod carries: a key it already named is named twice.
    const selector = labelSelectorFrom(rawSelector);
    const named = new Set([...Object.keys(selector.matchLabels), ...selector.matchExpressions.map((requirement) => requirement.key)]);
    matchLabelKeys.forEach((key, index) => {
      if (Object.hasOwn(podLabels, key) && named.has(key)) out.error([...at, index], invalid(key, "exists in both matchLabelKeys and labelSelector"));
    });
  }
  const mismatch = new Set(mismatchLabelKeys);
  matchLabelKeys.forEach((key, index) => {
    if (mismatch.has(key)) out.error([...at, "matchLabelKeys", index], invalid(key, "exists in both matchLabelKeys and mismatchLabelKeys"));
  });
  const topologyKey = value["topologyKey"] ?? "";
  if (typeof topologyKey !== "string") out.error([...at, "topologyKey"], invalid(topologyKey, "must be a label name"));
  else {
    if (topologyKey === "") out.error([...at, "topologyKey"], required("can not be empty"));
    for (const message of labelKeyErrors(topologyKey)) out.error([...at, "topologyKey"], invalid(topologyKey, message));
  }
  if (out.items.length > before || typeof topologyKey !== "string") return undefined;
  return {
    ...(hasSelector ? { labelSelector: labelSelectorFrom(rawSelector) } : {}),
    namespaces,
    ...(hasNamespaceSelector ? { namespaceSelector: labelSelectorFrom(rawNamespaceSelector) } : {}),
    topologyKey,
    matchLabelKeys,
    mismatchLabelKeys,
  };
}

/**
 * The term's selector after kube-apiserver's create-time merge with the labels of the pod that
 * carries it: `key In [value]` for each matchLabelKey and `key NotIn [value]` for each
 * mismatchLabelKey the pod has, after the written expressions. Undefined for a nil selector
 * (matches no pod), which the merge leaves alone.
 */
export function resolvedSelector(term: PodAffinityTerm, podLabels: Readonly<Record<string, string>>): LabelSelector | undefined {
  const written = term.labelSelector;
  if (written === undefined) return undefined;
  if (term.matchLabelKeys.length === 0 && term.mismatchLabelKeys.length === 0) return written;
  const added = [];
  for (const key of term.matchLabelKeys) if (Object.hasOwn(podLabels, key)) added.push({ key, operator: "In" as const, values: [podLabels[key] as string] });
  for (const key of term.mismatchLabelKeys) if (Object.hasOwn(podLabels, key)) added.push({ key, operator: "NotIn" as const, values: [podLabels[key] as string] });
  return added.length === 0 ? written : { matchLabels: written.matchLabels, matchExpressions: [...written.matchExpressions, ...added] };
}
