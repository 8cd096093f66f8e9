/**
 * `spec.topologySpreadConstraints` (core/v1 TopologySpreadConstraint, v1.35): the model and the
 * API server's validation of it (pkg/apis/core/validation/validation.go
 * validateTopologySpreadConstraints, ValidateMatchLabelKeysAndMismatchLabelKeys):
 *
 * | rule | error (path under `spec.topologySpreadConstraints[i]`) |
 * |---|---|
 * | maxSkew ≤ 0 (or absent) | `maxSkew: Invalid value: 0: must be greater than zero` |
 * | topologyKey empty | `topologyKey: Required value: can not be empty` |
 * | whenUnsatisfiable not DoNotSchedule / ScheduleAnyway | `whenUnsatisfiable: Unsupported value: …` |
 * | the same (topologyKey, whenUnsatisfiable) as a later entry | on the earlier entry `[i]`: `{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, DoNotSchedule}"` |
 * | minDomains ≤ 0 | `minDomains: Invalid value: 0: must be greater than zero` |
 * | minDomains with ScheduleAnyway | `minDomains: Invalid value: 3: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway` |
 * | nodeAffinityPolicy / nodeTaintsPolicy not Honor / Ignore | `Unsupported value` |
 * | labelSelector malformed | metav1 label selector rules |
 * | matchLabelKeys without a labelSelector | `matchLabelKeys: Forbidden: must not be specified when labelSelector is not set` |
 * | a matchLabelKey that is not a label key | `matchLabelKeys[j]: Invalid value` |
 * | a matchLabelKey the pod carries that the selector also names | `matchLabelKeys[j]: Invalid value: "app": exists in both matchLabelKeys and labelSelector` |
 *
 * The last row is what kube's create-time merge (MatchLabelKeysInPodTopologySpreadSelectorMerge,
 * beta and on in 1.35) leads to: the API server adds `key In [pod's value]` to the selector for
 * each matchLabelKey the pod carries, then finds the key twice. The scheduler merges the same keys
 * again itself (PodTopologySpread's filterTopologySpreadConstraints), which is harmless; Timoneiro
 * keeps the constraint as written and merges in the scheduler only, so a pod template (whose pods
 * gain `pod-template-hash` later) means the same as its pods.
 */
import type { DiagnosticList, FieldPath } from "./diagnostics.js";
import { checkLabelSelector, forbidden, invalid, labelKeyErrors, required, unsupported } from "./validation.js";
import type { LabelSelector, SelectorRequirement } from "./workload.js";

export const WHEN_UNSATISFIABLE = ["DoNotSchedule", "ScheduleAnyway"] as const;
export type WhenUnsatisfiable = (typeof WHEN_UNSATISFIABLE)[number];
export const INCLUSION_POLICIES = ["Honor", "Ignore"] as const;
export type NodeInclusionPolicy = (typeof INCLUSION_POLICIES)[number];

export interface TopologySpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly whenUnsatisfiable: WhenUnsatisfiable;
  /** Absent: kube's nil selector, which matches no pod (not even the incoming one). */
  readonly labelSelector?: LabelSelector;
  /** Only with DoNotSchedule; absent means 1. */
  readonly minDomains?: number;
  /** Absent means Honor (the pod's nodeSelector and required node affinity decide which nodes count). */
  readonly nodeAffinityPolicy?: NodeInclusionPolicy;
  /** Absent means Ignore (tainted nodes count too). */
  readonly nodeTaintsPolicy?: NodeInclusionPolicy;
  readonly matchLabelKeys: readonly string[];
}

type Json = unknown;
const isObject = (value: Json): value is Record<string, Json> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Reads and validates `spec.topologySpreadConstraints` of a pod (or a pod template) whose labels
 * are `podLabels`; errors go to `out` under `path`.
 */
export function readTopologySpreadConstraints(value: Json, podLabels: Readonly<Record<string, string>>, path: FieldPath, out: DiagnosticList): TopologySpreadConstraint[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    out.error(path, "must be a list of topology spread constraints");
    return [];
  }
  const result: TopologySpreadConstraint[] = [];
  const pairs: string[] = [];
  value.forEach((item, index) => {
    const at = [...path, index];
    if (!isObject(item)) {
      out.error(at, "must be an object: {maxSkew, topologyKey, whenUnsatisfiable, labelSelector}");
      pairs.push("");
      return;
    }
    const maxSkew = item["maxSkew"] ?? 0;
    if (typeof maxSkew !== "number" || !Number.isSafeInteger(maxSkew)) out.error([...at, "maxSkew"], invalid(maxSkew, "must be an integer"));
    else if (maxSkew <= 0) out.error([...at, "maxSkew"], invalid(maxSkew, "must be greater than zero"));
    const topologyKey = item["topologyKey"] ?? "";
    if (typeof topologyKey !== "string") out.error([...at, "topologyKey"], invalid(topologyKey, "must be a string"));
    else if (topologyKey === "") out.error([...at, "topologyKey"], required("can not be empty"));
    const action = item["whenUnsatisfiable"] ?? "";
    const actionOk = (WHEN_UNSATISFIABLE as readonly unknown[]).includes(action);
    if (!actionOk) out.error([...at, "whenUnsatisfiable"], unsupported(action, WHEN_UNSATISFIABLE));
    pairs.push(`{${String(topologyKey)}, ${String(action)}}`);
    const minDomains = item["minDomains"];
    if (minDomains !== undefined && minDomains !== null) {
      if (typeof minDomains !== "number" || !Number.isSafeInteger(minDomains)) out.error([...at, "minDomains"], invalid(minDomains, "must be an integer"));
      else {
        if (minDomains <= 0) out.error([...at, "minDomains"], invalid(minDomains, "must be greater than zero"));
        if (action !== "DoNotSchedule") out.error([...at, "minDomains"], invalid(minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${String(action)}`));
      }
    }
    const policies: Partial<Record<"nodeAffinityPolicy" | "nodeTaintsPolicy", NodeInclusionPolicy>> = {};
    for (const field of ["nodeAffinityPolicy", "nodeTaintsPolicy"] as const) {
      const policy = item[field];
      if (policy === undefined || policy === null) continue;
      if ((INCLUSION_POLICIES as readonly unknown[]).includes(policy)) policies[field] = policy as NodeInclusionPolicy;
      else out.error([...at, field], unsupported(policy, INCLUSION_POLICIES));
    }
    const rawSelector = item["labelSelector"];
    const hasSelector = rawSelector !== undefined && rawSelector !== null;
    const errorsBefore = out.items.length;
    if (hasSelector) checkLabelSelector(rawSelector, [...at, "labelSelector"], out);
    const selector = hasSelector && out.items.length === errorsBefore && isObject(rawSelector) ? selectorFrom(rawSelector) : undefined;
    const matchLabelKeys = readMatchLabelKeys(item["matchLabelKeys"], [...at, "matchLabelKeys"], out);
    if (matchLabelKeys.length > 0) {
      if (!hasSelector) out.error([...at, "matchLabelKeys"], forbidden("must not be specified when labelSelector is not set"));
      else if (selector !== undefined) {
        const named = new Set([...Object.keys(selector.matchLabels), ...selector.matchExpressions.map((requirement) => requirement.key)]);
        matchLabelKeys.forEach((key, keyIndex) => {
          if (Object.hasOwn(podLabels, key) && named.has(key)) out.error([...at, "matchLabelKeys", keyIndex], invalid(key, "exists in both matchLabelKeys and labelSelector"));
        });
      }
    }
    if (typeof maxSkew === "number" && typeof topologyKey === "string" && actionOk) {
      result.push({
        maxSkew,
        topologyKey,
        whenUnsatisfiable: action as WhenUnsatisfiable,
        ...(selector !== undefined ? { labelSelector: selector } : {}),
        ...(typeof minDomains === "number" ? { minDomains } : {}),
        ...policies,
        matchLabelKeys,
      });
    }
  });
  // kube reports a duplicate on the earlier entry, once per later entry that repeats it.
  pairs.forEach((pair, index) => {
    if (pair === "") return;
    for (let later = index + 1; later < pairs.length; later++) {
      // kube's field is `…[i].{topologyKey, whenUnsatisfiable}`; the path stops at the entry (which a file has a line for).
      if (pairs[later] === pair) out.error([...path, index], `{topologyKey, whenUnsatisfiable}: Duplicate value: ${JSON.stringify(pair)}`);
    }
  });
  return result;
}

/** A list of label keys (matchLabelKeys, mismatchLabelKeys), each checked as a label key. */
export function readMatchLabelKeys(value: Json, path: FieldPath, out: DiagnosticList): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    out.error(path, "must be a list of label keys");
    return [];
  }
  const keys: string[] = [];
  value.forEach((key, index) => {
    if (typeof key !== "string") {
      out.error([...path, index], invalid(key, "must be a label key"));
      return;
    }
    for (const message of labelKeyErrors(key)) out.error([...path, index], invalid(key, message));
    keys.push(key);
  });
  return keys;
}

function selectorFrom(raw: Record<string, Json>): LabelSelector {
  const labels = isObject(raw["matchLabels"]) ? raw["matchLabels"] : {};
  const expressions = Array.isArray(raw["matchExpressions"]) ? raw["matchExpressions"] : [];
  return {
    matchLabels: Object.fromEntries(Object.entries(labels).map(([key, label]) => [key, String(label)])),
    matchExpressions: expressions.map((item): SelectorRequirement => {
      const expression = isObject(item) ? item : {};
      const values = Array.isArray(expression["values"]) ? expression["values"].map(String) : [];
      return { key: String(expression["key"]), operator: expression["operator"] as SelectorRequirement["operator"], values };
    }),
  };
}
