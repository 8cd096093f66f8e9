/**
 * The workload objects the controllers keep (apps/v1 Deployment, ReplicaSet, StatefulSet and
 * DaemonSet, v1 ReplicationController), read from their manifests after the API server's validation
 * (workloads.ts) and defaulting (pkg/apis/apps/v1/defaults.go, pkg/apis/core/v1/defaults.go):
 *
 * | field                              | default                       |
 * |------------------------------------|-------------------------------|
 * | spec.replicas                      | 1                             |
 * | spec.minReadySeconds               | 0                             |
 * | Deployment spec.strategy           | RollingUpdate, 25% / 25%      |
 * | Deployment spec.revisionHistoryLimit | 10                          |
 * | Deployment spec.progressDeadlineSeconds | 600                      |
 * | ReplicationController spec.selector | the template's labels        |
 * | StatefulSet podManagementPolicy    | OrderedReady                  |
 * | StatefulSet / DaemonSet updateStrategy | RollingUpdate: partition 0, maxUnavailable 1 (DaemonSet: maxSurge 0) |
 * | StatefulSet / DaemonSet revisionHistoryLimit | 10                  |
 *
 * A workload is plain data: it travels in `ObjectApplied` events and the log. Its pod template
 * is held as a defaulted Pod (name "", the workload's namespace), so a controller makes a pod by
 * naming a copy; the manifest as applied is kept too, for patches (`update`) and for printing.
 */
import type { Diagnostic } from "./diagnostics.js";
import { podFromManifest, type Converted } from "./manifest.js";
import type { Pod } from "./pod.js";
import type { ZoneOffsets } from "./cron.js";
import { validateWorkload } from "./workloads.js";

export type WorkloadKind = "Deployment" | "ReplicaSet" | "ReplicationController" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob";
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ["Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job", "CronJob"];

export const API_VERSIONS: Readonly<Record<WorkloadKind, string>> = {
  Deployment: "apps/v1",
  ReplicaSet: "apps/v1",
  ReplicationController: "v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  Job: "batch/v1",
  CronJob: "batch/v1",
};

/** Whether the kind has `spec.replicas` (a DaemonSet's size is its nodes', a Job's its parallelism, a CronJob's its Jobs'). */
export function hasReplicas(kind: WorkloadKind): boolean {
  return kind !== "DaemonSet" && kind !== "Job" && kind !== "CronJob";
}

/**
 * A CronJob's spec after batch/v1 defaulting (concurrencyPolicy Allow, not suspended, history
 * limits 3 and 1) and the Job template it makes Jobs from. `zone` holds the UTC offsets of
 * `timeZone` over the run, read by the loader from the IANA database (core/ holds no zone data);
 * without a timeZone, schedules run in UTC.
 */
export interface CronJobSpec {
  readonly schedule: string;
  readonly timeZone?: string;
  readonly zone?: ZoneOffsets;
  readonly concurrencyPolicy: "Allow" | "Forbid" | "Replace";
  readonly startingDeadlineSeconds?: number;
  readonly suspend: boolean;
  readonly successfulJobsHistoryLimit: number;
  readonly failedJobsHistoryLimit: number;
  /** jobTemplate.metadata's labels and annotations, and its spec defaulted. */
  readonly jobLabels: Readonly<Record<string, string>>;
  readonly jobAnnotations: Readonly<Record<string, string>>;
  readonly job: JobSpec;
}

/**
 * A Job's spec after batch/v1 defaulting: completions and parallelism 1 when neither is set
 * (completions unset otherwise means "until one succeeds"), NonIndexed, backoffLimit 6, not
 * suspended, podReplacementPolicy TerminatingOrFailed (Failed with a podFailurePolicy).
 */
export interface JobSpec {
  readonly completions?: number;
  readonly parallelism: number;
  readonly completionMode: "NonIndexed" | "Indexed";
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds?: number;
  readonly ttlSecondsAfterFinished?: number;
  readonly suspend: boolean;
  readonly podReplacementPolicy: "TerminatingOrFailed" | "Failed";
  readonly podFailurePolicy?: readonly PodFailurePolicyRule[];
}

/** One rule of a Job's podFailurePolicy (batch/v1), as validated: an action and exactly one of its two patterns. */
export interface PodFailurePolicyRule {
  readonly action: "FailJob" | "FailIndex" | "Ignore" | "Count";
  readonly onExitCodes?: { readonly containerName?: string; readonly operator: "In" | "NotIn"; readonly values: readonly number[] };
  readonly onPodConditions?: readonly { readonly type: string; readonly status: "True" | "False" | "Unknown" }[];
}

export function isWorkloadKind(kind: string): kind is WorkloadKind {
  return (WORKLOAD_KINDS as readonly string[]).includes(kind);
}

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly SelectorRequirement[];
}

/** A reference from a dependent to its controller (same namespace). */
export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly controller: boolean;
  readonly blockOwnerDeletion?: boolean;
  /** The owner's uid (given by the state when the owner was created). */
  readonly uid?: string;
}

/** `maxSurge` / `maxUnavailable`: a count or a percent string ("25%"). */
export type IntOrPercent = number | string;

export type DeploymentStrategy =
  | { readonly type: "RollingUpdate"; readonly maxSurge: IntOrPercent; readonly maxUnavailable: IntOrPercent }
  | { readonly type: "Recreate" };

/**
 * A StatefulSet's or DaemonSet's `updateStrategy` after defaulting: RollingUpdate (a
 * StatefulSet's `partition` 0 and `maxUnavailable` 1; a DaemonSet's `maxUnavailable` 1 and
 * `maxSurge` 0) or OnDelete.
 */
export type SetUpdateStrategy =
  | { readonly type: "RollingUpdate"; readonly partition: number; readonly maxUnavailable: IntOrPercent; readonly maxSurge: IntOrPercent }
  | { readonly type: "OnDelete" };

export interface Workload {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly ownerReferences: readonly OwnerReference[];
  readonly replicas: number;
  readonly selector: LabelSelector;
  readonly minReadySeconds: number;
  /** The pod template as a defaulted Pod: name "", the workload's namespace. */
  readonly template: Pod;
  /** Deployments only. */
  readonly strategy?: DeploymentStrategy;
  readonly revisionHistoryLimit?: number;
  readonly progressDeadlineSeconds?: number;
  readonly paused?: boolean;
  /** StatefulSets and DaemonSets. */
  readonly updateStrategy?: SetUpdateStrategy;
  /** StatefulSets: OrderedReady (one ordinal at a time) or Parallel; `serviceName`; `ordinals.start`. */
  readonly podManagementPolicy?: "OrderedReady" | "Parallel";
  readonly serviceName?: string;
  readonly ordinalsStart?: number;
  /** Jobs. */
  readonly job?: JobSpec;
  /** CronJobs (their `template` is the jobTemplate's pod template). */
  readonly cronJob?: CronJobSpec;
  /** The manifest as applied (what `update` patches and `get -o yaml` would print). */
  readonly manifest: Readonly<Record<string, unknown>>;
}

/** The state's key of an object: `Kind/namespace/name`. */
export type ObjectKey = string;

export function objectKey(kind: string, namespace: string, name: string): ObjectKey {
  return `${kind}/${namespace}/${name}`;
}

export function parseObjectKey(key: ObjectKey): { kind: string; namespace: string; name: string } {
  const first = key.indexOf("/");
  const second = key.indexOf("/", first + 1);
  return { kind: key.slice(0, first), namespace: key.slice(first + 1, second), name: key.slice(second + 1) };
}

/** Whether `labels` match the selector (an empty selector matches everything; kube refuses one on workloads). */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const key in selector.matchLabels) if (labels[key] !== selector.matchLabels[key]) return false;
  for (const requirement of selector.matchExpressions) {
    const present = Object.hasOwn(labels, requirement.key);
    switch (requirement.operator) {
      case "In": if (!present || !requirement.values.includes(labels[requirement.key] as string)) return false; break;
      case "NotIn": if (present && requirement.values.includes(labels[requirement.key] as string)) return false; break;
      case "Exists": if (!present) return false; break;
      case "DoesNotExist": if (present) return false; break;
    }
  }
  return true;
}

/** kubectl's rendering of a selector: `app=web,tier in (a,b)`. */
export function formatSelector(selector: LabelSelector): string {
  const parts = Object.keys(selector.matchLabels).sort().map((key) => `${key}=${selector.matchLabels[key]}`);
  for (const requirement of selector.matchExpressions) {
    switch (requirement.operator) {
      case "In": parts.push(`${requirement.key} in (${[...requirement.values].sort().join(",")})`); break;
      case "NotIn": parts.push(`${requirement.key} notin (${[...requirement.values].sort().join(",")})`); break;
      case "Exists": parts.push(requirement.key); break;
      case "DoesNotExist": parts.push(`!${requirement.key}`); break;
    }
  }
  return parts.join(",");
}

type Json = Record<string, unknown>;

export function objectAt(value: unknown): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(objectAt(value))) if (typeof item === "string") out[key] = item;
  return out;
}

/** A metav1.LabelSelector as a manifest writes it (already validated). */
export function labelSelectorFrom(raw: unknown): LabelSelector {
  const selector = objectAt(raw);
  const expressions = Array.isArray(selector["matchExpressions"]) ? (selector["matchExpressions"] as unknown[]) : [];
  return {
    matchLabels: stringMap(selector["matchLabels"]),
    matchExpressions: expressions.map((item) => {
      const expression = objectAt(item);
      const values = Array.isArray(expression["values"]) ? (expression["values"] as unknown[]).map(String) : [];
      return { key: String(expression["key"]), operator: expression["operator"] as SelectorRequirement["operator"], values };
    }),
  };
}

function selectorOf(kind: WorkloadKind, spec: Json, templateLabels: Readonly<Record<string, string>>): LabelSelector {
  const raw = spec["selector"];
  if (kind === "ReplicationController") {
    // core/v1 defaults: a missing or empty selector is the template's labels; it is a plain map.
    const map = stringMap(raw);
    return { matchLabels: Object.keys(map).length === 0 ? { ...templateLabels } : map, matchExpressions: [] };
  }
  return labelSelectorFrom(raw);
}

function count(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) ? value : fallback;
}

/** batch/v1 defaults (pkg/apis/batch/v1/defaults.go). */
function jobSpecOf(spec: Json): JobSpec {
  const completionsSet = typeof spec["completions"] === "number";
  const parallelismSet = typeof spec["parallelism"] === "number";
  const optional = (field: string) => (typeof spec[field] === "number" ? { [field]: spec[field] as number } : {});
  return {
    ...(completionsSet ? { completions: spec["completions"] as number } : parallelismSet ? {} : { completions: 1 }),
    parallelism: parallelismSet ? (spec["parallelism"] as number) : 1,
    completionMode: spec["completionMode"] === "Indexed" ? "Indexed" : "NonIndexed",
    backoffLimit: count(spec["backoffLimit"], 6),
    ...optional("activeDeadlineSeconds"),
    ...optional("ttlSecondsAfterFinished"),
    suspend: spec["suspend"] === true,
    podReplacementPolicy: spec["podReplacementPolicy"] === "Failed" || (spec["podReplacementPolicy"] === undefined && spec["podFailurePolicy"] !== undefined) ? "Failed" : "TerminatingOrFailed",
    ...(Array.isArray(objectAt(spec["podFailurePolicy"])["rules"]) ? { podFailurePolicy: (objectAt(spec["podFailurePolicy"])["rules"] as unknown[]).map(failureRuleOf) } : {}),
  };
}

/** batch/v1 CronJob defaults (pkg/apis/batch/v1/defaults.go SetDefaults_CronJob). */
function cronJobSpecOf(spec: Json, jobTemplate: Json): CronJobSpec {
  const policy = spec["concurrencyPolicy"];
  const metadata = objectAt(jobTemplate["metadata"]);
  return {
    schedule: String(spec["schedule"]),
    ...(typeof spec["timeZone"] === "string" ? { timeZone: spec["timeZone"] } : {}),
    concurrencyPolicy: policy === "Forbid" || policy === "Replace" ? policy : "Allow",
    ...(typeof spec["startingDeadlineSeconds"] === "number" ? { startingDeadlineSeconds: spec["startingDeadlineSeconds"] } : {}),
    suspend: spec["suspend"] === true,
    successfulJobsHistoryLimit: count(spec["successfulJobsHistoryLimit"], 3),
    failedJobsHistoryLimit: count(spec["failedJobsHistoryLimit"], 1),
    jobLabels: stringMap(metadata["labels"]),
    jobAnnotations: stringMap(metadata["annotations"]),
    job: jobSpecOf(objectAt(jobTemplate["spec"])),
  };
}

/** A validated podFailurePolicy rule; onPodConditions' status defaults to True. */
function failureRuleOf(value: unknown): PodFailurePolicyRule {
  const rule = objectAt(value);
  const exitCodes = rule["onExitCodes"];
  const conditions = rule["onPodConditions"];
  return {
    action: rule["action"] as PodFailurePolicyRule["action"],
    ...(exitCodes !== undefined && exitCodes !== null
      ? {
          onExitCodes: {
            ...(typeof objectAt(exitCodes)["containerName"] === "string" ? { containerName: objectAt(exitCodes)["containerName"] as string } : {}),
            operator: objectAt(exitCodes)["operator"] as "In" | "NotIn",
            values: objectAt(exitCodes)["values"] as number[],
          },
        }
      : {}),
    ...(Array.isArray(conditions) && conditions.length > 0
      ? { onPodConditions: conditions.map((pattern) => ({ type: objectAt(pattern)["type"] as string, status: (objectAt(pattern)["status"] ?? "True") as "True" | "False" | "Unknown" })) }
      : {}),
  };
}

/** A StatefulSet's or DaemonSet's update strategy with apps/v1's defaults. */
function setStrategyOf(kind: WorkloadKind, spec: Json): SetUpdateStrategy {
  const strategy = objectAt(spec["updateStrategy"]);
  if (strategy["type"] === "OnDelete") return { type: "OnDelete" };
  const rolling = objectAt(strategy["rollingUpdate"]);
  const read = (value: unknown, fallback: IntOrPercent): IntOrPercent => (typeof value === "number" || typeof value === "string" ? value : fallback);
  return {
    type: "RollingUpdate",
    partition: kind === "StatefulSet" ? count(rolling["partition"], 0) : 0,
    maxUnavailable: read(rolling["maxUnavailable"], 1),
    maxSurge: kind === "DaemonSet" ? read(rolling["maxSurge"], 0) : 0,
  };
}

/** The deployment strategy with apps/v1's defaults. */
function strategyOf(spec: Json): DeploymentStrategy {
  const strategy = objectAt(spec["strategy"]);
  if (strategy["type"] === "Recreate") return { type: "Recreate" };
  const rolling = objectAt(strategy["rollingUpdate"]);
  const read = (value: unknown): IntOrPercent => (typeof value === "number" || typeof value === "string" ? value : "25%");
  return { type: "RollingUpdate", maxSurge: read(rolling["maxSurge"]), maxUnavailable: read(rolling["maxUnavailable"]) };
}

function ownerReferencesOf(metadata: Json): OwnerReference[] {
  const list = Array.isArray(metadata["ownerReferences"]) ? (metadata["ownerReferences"] as unknown[]) : [];
  return list.map((item) => {
    const reference = objectAt(item);
    return {
      apiVersion: String(reference["apiVersion"] ?? ""),
      kind: String(reference["kind"] ?? ""),
      name: String(reference["name"] ?? ""),
      controller: reference["controller"] === true,
      ...(reference["blockOwnerDeletion"] === true ? { blockOwnerDeletion: true } : {}),
    };
  });
}

/**
 * A Deployment, ReplicaSet or ReplicationController manifest → Workload: kube's validation
 * (errors refuse it), then its defaults. The template is read as a Pod.
 */
export function workloadFromManifest(manifest: Json): Converted<Workload> {
  const kind = manifest["kind"];
  if (typeof kind !== "string" || !isWorkloadKind(kind)) {
    return { value: undefined, diagnostics: [{ severity: "error", path: ["kind"], message: `not a workload kind: ${JSON.stringify(kind)}` }] };
  }
  const diagnostics: Diagnostic[] = validateWorkload(kind, manifest);
  if (diagnostics.some((diagnostic) => diagnostic.severity === "error")) return { value: undefined, diagnostics };
  const metadata = objectAt(manifest["metadata"]);
  const spec = objectAt(manifest["spec"]);
  const namespace = typeof metadata["namespace"] === "string" && metadata["namespace"] !== "" ? metadata["namespace"] : "default";
  const name = String(metadata["name"]);
  const jobTemplate = objectAt(spec["jobTemplate"]);
  const templateManifest = kind === "CronJob" ? objectAt(objectAt(jobTemplate["spec"])["template"]) : objectAt(spec["template"]);
  const templateMetadata = objectAt(templateManifest["metadata"]);
  const converted = podFromManifest({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { ...templateMetadata, name: "template", namespace },
    spec: templateManifest["spec"],
  });
  if (converted.value === undefined) return { value: undefined, diagnostics: [...diagnostics, ...converted.diagnostics] };
  const template: Pod = { ...converted.value, name: "" };
  const workload: Workload = {
    kind,
    namespace,
    name,
    labels: stringMap(metadata["labels"]),
    annotations: stringMap(metadata["annotations"]),
    ownerReferences: ownerReferencesOf(metadata),
    replicas: hasReplicas(kind) ? count(spec["replicas"], 1) : 0,
    selector: selectorOf(kind, spec, template.labels),
    minReadySeconds: count(spec["minReadySeconds"], 0),
    template,
    ...(kind === "Deployment"
      ? {
          strategy: strategyOf(spec),
          revisionHistoryLimit: count(spec["revisionHistoryLimit"], 10),
          progressDeadlineSeconds: count(spec["progressDeadlineSeconds"], 600),
          paused: spec["paused"] === true,
        }
      : {}),
    ...(kind === "Job" ? { job: jobSpecOf(spec) } : {}),
    ...(kind === "CronJob" ? { cronJob: cronJobSpecOf(spec, jobTemplate) } : {}),
    ...(kind === "StatefulSet" || kind === "DaemonSet" ? { updateStrategy: setStrategyOf(kind, spec), revisionHistoryLimit: count(spec["revisionHistoryLimit"], 10) } : {}),
    ...(kind === "StatefulSet"
      ? {
          podManagementPolicy: spec["podManagementPolicy"] === "Parallel" ? "Parallel" : "OrderedReady",
          ...(typeof spec["serviceName"] === "string" && spec["serviceName"] !== "" ? { serviceName: spec["serviceName"] } : {}),
          ordinalsStart: count(objectAt(spec["ordinals"])["start"], 0),
        }
      : {}),
    manifest,
  };
  return { value: workload, diagnostics };
}

/** The workload's manifest with `spec.replicas` set (what `kubectl scale` writes). */
export function withReplicas(workload: Workload, replicas: number): Workload {
  const spec = objectAt(workload.manifest["spec"]);
  return { ...workload, replicas, manifest: { ...workload.manifest, spec: { ...spec, replicas } } };
}

/**
 * `intstr.GetScaledValueFromIntOrPercent`: a count as it is; a percent of `total`, rounded up or
 * down as asked (a Deployment's surge rounds up, its unavailability down).
 */
export function scaledValue(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const percent = Number(value.slice(0, -1));
  const exact = (percent * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** kube's alphabet for generated names and hashes (k8s.io/apimachinery/pkg/util/rand: no vowels, no 0 1 3). */
export const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** FNV-1a, 32 bits, over a string's UTF-16 code units. */
export function fnv1a32(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  return hash;
}

/** `rand.SafeEncodeString`: each character replaced by the alphabet's entry at its code modulo 27. */
export function safeEncode(text: string): string {
  let out = "";
  for (let index = 0; index < text.length; index++) out += SAFE_ALPHABET[text.charCodeAt(index) % SAFE_ALPHABET.length];
  return out;
}

/**
 * Whether two JSON values are equal as `canonicalJson` would find them (keys in any order, a key
 * holding undefined the same as no key), without writing either out: a controller compares the
 * status it computed with the stored one at every sync.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let index = 0; index < a.length; index++) if (!sameJson(a[index] === undefined ? null : a[index], b[index] === undefined ? null : b[index])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let count = 0;
  for (const key in left) {
    if (left[key] === undefined) continue;
    count++;
    if (!sameJson(left[key], right[key])) return false;
  }
  for (const key in right) if (right[key] !== undefined) count--;
  return count === 0;
}

/** A JSON text with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
    return sorted;
  });
}

/**
 * `controller.ComputeHash`: the pod-template-hash of a template and the Deployment's
 * collisionCount — kube hashes the Go struct's printed form with FNV-32a and writes the decimal
 * number through SafeEncodeString. Here the template's canonical JSON is hashed the same way, so
 * the label has kube's form (up to ten characters of its alphabet) and changes exactly when the
 * template does, but not kube's value for the same template.
 */
export function podTemplateHash(templateManifest: unknown, collisionCount = 0): string {
  let hash = fnv1a32(canonicalJson(templateManifest ?? {}));
  if (collisionCount > 0) hash = fnv1a32(String(collisionCount), hash);
  return safeEncode(String(hash));
}

/** The longest generateName prefix kept (names.SimpleNameGenerator: 63 − 5). */
const MAX_GENERATED_PREFIX = 58;

/**
 * `names.SimpleNameGenerator`: the prefix (cut to 58 characters) and five characters of kube's
 * alphabet — here derived from (seed, owner, n) instead of drawn, so the same run names the same
 * pods and one owner's names do not shift another's.
 */
export function generatedName(prefix: string, seed: number, owner: string, n: number): string {
  let hash = fnv1a32(`${owner}#${n}`, fnv1a32(String(seed)));
  let suffix = "";
  for (let index = 0; index < 5; index++) {
    suffix += SAFE_ALPHABET[hash % SAFE_ALPHABET.length];
    hash = Math.floor(hash / SAFE_ALPHABET.length);
    if (index === 2) hash = fnv1a32(`${owner}#${n}#`, hash);
  }
  return `${prefix.slice(0, MAX_GENERATED_PREFIX)}${suffix}`;
}
