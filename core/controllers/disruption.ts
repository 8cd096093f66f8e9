/**
 * The disruption controller (kube v1.35 pkg/controller/disruption/disruption.go) and the Eviction
 * API (pkg/registry/core/pod/storage/eviction.go): what a PodDisruptionBudget allows, and an
 * eviction's answer.
 *
 * | rule | as kube does it |
 * |------|-----------------|
 * | the pods | those of the budget's namespace its selector selects, in every phase (a nil selector selects none, `{}` every pod) |
 * | `maxUnavailable` (checked first) | expected = Σ replicas of the pods' controllers (`getExpectedScale`: a ReplicaSet's Deployment's, else its own, a ReplicationController's, a StatefulSet's; a DaemonSet or Job has no scale: "found no controllers for pod"); desired = expected − ⌈maxUnavailable⌉ (a percent of expected, rounded up), at least 0 |
 * | `minAvailable` as a number | expected = the pods selected; desired = minAvailable |
 * | `minAvailable` as a percent | expected as for maxUnavailable; desired = ⌈minAvailable × expected⌉ |
 * | neither | expected 0, desired 0: no disruption allowed |
 * | currentHealthy | selected pods not terminating whose Ready condition is True |
 * | disruptionsAllowed | currentHealthy − desired, 0 when that is negative or expected is 0; condition `DisruptionAllowed` True `SufficientPods` / False `InsufficientPods` (`SyncFailed` with the error and 0 allowed when the expected count cannot be found) |
 * | eviction of a Pending, Succeeded or Failed pod, or one already terminating | deleted, no budget looked at (`canIgnorePDB`) |
 * | no budget selects the pod | deleted |
 * | more than one | refused: 500 "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support." |
 * | the pod is not Ready | `AlwaysAllow`: deleted; `IfHealthyBudget` (the default): deleted when currentHealthy ≥ desiredHealthy > 0, else as a Ready pod |
 * | disruptionsAllowed is 0 | refused: 429 "Cannot evict pod as it would violate the pod's disruption budget." (the cause: "The disruption budget NAME needs D healthy pods and has C currently") |
 * | else | disruptionsAllowed − 1 written to the budget's status, then the pod gets `DisruptionTarget` (`EvictionByEvictionAPI`, "Eviction API: evicting") and is deleted with its grace period (or the eviction's) |
 *
 * Decisions: the pods a budget sees are those of the workloads whose pod template its selector
 * matches (found through the owner index, never a scan of every pod): a bare pod a budget selects
 * is not counted. kube's `disruptedPods` map (evictions not yet seen as deletions) is not kept: the
 * deletion follows the eviction in the same tick, and the controller's next sync counts it.
 */
import type { EventDraft } from "../events/events.js";
import type { ObjectState } from "../cluster/objects.js";
import type { PodState } from "../cluster/state.js";
import type { DisruptionBudget } from "../model/policy.js";
import type { PodKey } from "../model/pod.js";
import type { ClusterObject, WorkloadCondition, WorkloadStatus } from "../model/objects.js";
import { controllerKeyOf, isWorkload } from "../cluster/objects.js";
import { selectorMatches, type IntOrPercent } from "../model/workload.js";
import type { WorkloadReader } from "./controller.js";

/** The kinds whose objects own pods directly. */
const POD_OWNER_KINDS = ["ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job"] as const;

export const EVICTION_MESSAGE = "Eviction API: evicting";
export const PDB_VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
export const MULTIPLE_PDBS = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";

/** The pod-owning workloads whose template the budget's selector matches (state keys, sorted). */
export function budgetOwners(reader: WorkloadReader, budget: DisruptionBudget): string[] {
  const owners: string[] = [];
  if (budget.selector === undefined) return owners;
  for (const kind of POD_OWNER_KINDS) {
    for (const key of reader.objectKeys(kind)) {
      const object = reader.object(key)?.object;
      if (object !== undefined && budgetCovers(budget, object)) owners.push(key);
    }
  }
  return owners.sort();
}

/** Whether the object is a pod-owning workload of the budget's namespace whose template its selector matches. */
export const budgetCovers = (budget: DisruptionBudget, object: ClusterObject): boolean =>
  isWorkload(object) && (POD_OWNER_KINDS as readonly string[]).includes(object.kind) && object.namespace === budget.namespace
  && budget.selector !== undefined && selectorMatches(budget.selector, object.template.labels);

/** The pods a budget selects, through its owners. */
export function budgetPods(reader: WorkloadReader, budget: DisruptionBudget, owners: readonly string[]): PodState[] {
  const selector = budget.selector;
  if (selector === undefined) return [];
  const seen = new Set<string>();
  const pods: PodState[] = [];
  for (const owner of owners) {
    for (const pod of reader.podsOwnedBy(owner)) {
      const key = `${pod.pod.namespace}/${pod.pod.name}`;
      if (seen.has(key) || pod.pod.namespace !== budget.namespace || !selectorMatches(selector, pod.pod.labels)) continue;
      seen.add(key);
      pods.push(pod);
    }
  }
  return pods;
}

/** intstr.GetScaledValueFromIntOrPercent with roundUp. */
function scaled(value: IntOrPercent, total: number): number {
  if (typeof value === "number") return value;
  return Math.ceil((Number(value.slice(0, -1)) * total) / 100);
}

/** `getExpectedScale`: Σ replicas of the pods' distinct controllers. */
function expectedScale(reader: WorkloadReader, pods: readonly PodState[]): number | string {
  const counted = new Set<string>();
  let total = 0;
  for (const pod of pods) {
    const owner = controllerKeyOf(pod.pod);
    if (owner === undefined) continue; // unmanaged: kube warns (UnmanagedPods) and skips it
    let record: ObjectState | undefined = reader.object(owner);
    if (record === undefined) return `found no controllers for pod ${JSON.stringify(pod.pod.name)}`;
    if (record.object.kind === "ReplicaSet" && isWorkload(record.object)) {
      const reference = record.object.ownerReferences.find((item) => item.controller && item.kind === "Deployment");
      const deployment = reference === undefined ? undefined : reader.object(`Deployment/${record.object.namespace}/${reference.name}`);
      if (deployment !== undefined) record = deployment;
    }
    const object = record.object;
    if (!isWorkload(object) || object.kind === "DaemonSet" || object.kind === "Job" || object.kind === "CronJob") return `found no controllers for pod ${JSON.stringify(pod.pod.name)}`;
    if (counted.has(record.uid)) continue;
    counted.add(record.uid);
    total += object.replicas;
  }
  return total;
}

/** The budget's status from its pods (`trySync`, `updatePdbStatus`). */
export function budgetStatus(reader: WorkloadReader, record: ObjectState, owners: readonly string[], now: number): WorkloadStatus {
  const budget = record.object as DisruptionBudget;
  const pods = budgetPods(reader, budget, owners);
  let expected: number | string;
  let desired = 0;
  if (budget.maxUnavailable !== undefined) {
    expected = expectedScale(reader, pods);
    if (typeof expected === "number") desired = Math.max(0, expected - scaled(budget.maxUnavailable, expected));
  } else if (typeof budget.minAvailable === "number") {
    expected = pods.length;
    desired = budget.minAvailable;
  } else if (typeof budget.minAvailable === "string") {
    expected = expectedScale(reader, pods);
    if (typeof expected === "number") desired = scaled(budget.minAvailable, expected);
  } else {
    expected = 0;
  }
  const healthy = pods.filter((pod) => pod.deletionDeadline === undefined && pod.readySince !== undefined).length;
  const before = record.status?.conditions.find((item) => item.type === "DisruptionAllowed");
  const condition = (status: "True" | "False", reason: string, message: string): WorkloadCondition => ({
    type: "DisruptionAllowed", status, reason, message, lastUpdateTime: now, lastTransitionTime: before?.status === status ? before.lastTransitionTime : now,
  });
  if (typeof expected === "string") {
    return { ...EMPTY, conditions: [condition("False", "SyncFailed", expected)], currentHealthy: healthy, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 };
  }
  const allowed = expected <= 0 || healthy - desired <= 0 ? 0 : healthy - desired;
  return {
    ...EMPTY,
    conditions: [allowed > 0 ? condition("True", "SufficientPods", "") : condition("False", "InsufficientPods", "")],
    currentHealthy: healthy,
    desiredHealthy: desired,
    expectedPods: expected,
    disruptionsAllowed: allowed,
  };
}

const EMPTY = { replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 0 } as const;

/** The status draft when it changed (the times of an unchanged condition do not count as a change). */
export function syncDisruptionBudget(reader: WorkloadReader, key: string, owners: readonly string[], now: number): EventDraft[] {
  const record = reader.object(key);
  if (record === undefined || record.object.kind !== "PodDisruptionBudget") return [];
  const status = budgetStatus(reader, record, owners, now);
  if (record.status !== undefined && sameBudgetStatus(record.status, status)) return [];
  return [{ type: "WorkloadStatusChanged", kind: "PodDisruptionBudget", object: `${record.object.namespace}/${record.object.name}`, status }];
}

function sameBudgetStatus(a: WorkloadStatus, b: WorkloadStatus): boolean {
  const ca = a.conditions[0];
  const cb = b.conditions[0];
  return a.currentHealthy === b.currentHealthy && a.desiredHealthy === b.desiredHealthy && a.expectedPods === b.expectedPods && a.disruptionsAllowed === b.disruptionsAllowed
    && ca?.status === cb?.status && ca?.reason === cb?.reason && ca?.message === cb?.message;
}

export type EvictionAnswer =
  | { readonly outcome: "evicted"; readonly drafts: EventDraft[] }
  | { readonly outcome: "gone" }
  | { readonly outcome: "refused"; readonly code: 429 | 500; readonly message: string; readonly cause?: string };

/**
 * The Eviction API for one pod. `budgets`: the state keys of the PodDisruptionBudgets (all of
 * them; those of other namespaces are skipped). `gracePeriodSeconds`: the eviction's, else the pod's.
 */
export function evictPod(reader: WorkloadReader, key: PodKey, budgets: readonly string[], now: number, gracePeriodSeconds?: number): EvictionAnswer {
  const pod = reader.pod(key);
  if (pod === undefined) return { outcome: "gone" };
  const grace = gracePeriodSeconds ?? pod.pod.terminationGracePeriodSeconds;
  const remove = (): EventDraft[] => {
    if (pod.deletionDeadline !== undefined) return [];
    const terminal = pod.phase === "Succeeded" || pod.phase === "Failed";
    return [
      ...(terminal ? [] : [{ type: "PodEvicted", pod: key, reason: "EvictionByEvictionAPI", message: EVICTION_MESSAGE } as EventDraft]),
      { type: "PodDeleted", pod: key, gracePeriodSeconds: grace },
    ];
  };
  if (pod.phase !== "Running" || pod.deletionDeadline !== undefined) return { outcome: "evicted", drafts: remove() };
  const matching = budgets.map((budgetKey) => reader.object(budgetKey)).filter((record): record is ObjectState => {
    const budget = record?.object;
    return budget !== undefined && budget.kind === "PodDisruptionBudget" && budget.namespace === pod.pod.namespace && budget.selector !== undefined && selectorMatches(budget.selector, pod.pod.labels);
  });
  if (matching.length > 1) return { outcome: "refused", code: 500, message: MULTIPLE_PDBS };
  const record = matching[0];
  if (record === undefined) return { outcome: "evicted", drafts: remove() };
  const budget = record.object as DisruptionBudget;
  const status = record.status;
  const current = status?.currentHealthy ?? 0;
  const desired = status?.desiredHealthy ?? 0;
  if (pod.readySince === undefined && (budget.unhealthyPodEvictionPolicy === "AlwaysAllow" || (current >= desired && desired > 0))) return { outcome: "evicted", drafts: remove() };
  const allowed = status?.disruptionsAllowed ?? 0;
  if (allowed <= 0) return { outcome: "refused", code: 429, message: PDB_VIOLATION, cause: `The disruption budget ${budget.name} needs ${desired} healthy pods and has ${current} currently` };
  const conditions: WorkloadCondition[] = allowed - 1 > 0 ? [...(status?.conditions ?? [])] : (status?.conditions ?? []).map((item) => (item.type === "DisruptionAllowed" ? { ...item, status: "False", reason: "InsufficientPods", message: "", lastUpdateTime: now, lastTransitionTime: now } : item));
  return {
    outcome: "evicted",
    drafts: [
      { type: "WorkloadStatusChanged", kind: "PodDisruptionBudget", object: `${budget.namespace}/${budget.name}`, status: { ...(status ?? EMPTY_STATUS), conditions, disruptionsAllowed: allowed - 1 } },
      ...remove(),
    ],
  };
}

const EMPTY_STATUS: WorkloadStatus = { ...EMPTY, conditions: [] };
