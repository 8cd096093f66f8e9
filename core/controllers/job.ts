/**
 * The Job controller (kube v1.35 pkg/controller/job: job_controller.go, backoff_utils.go) and the
 * TTL-after-finished controller (pkg/controller/ttlafterfinished). One sync (`syncJob`):
 *
 * | rule | kube |
 * |------|------|
 * | counting | each finished pod counted once into `succeeded` / `failed` (kube: its tracking finalizer; here the status keeps the tick it counted through, the names of the pods finished at that tick, and of the terminating pods it counted) |
 * | how many run | `min(parallelism, completions − succeeded)` (completions unset: parallelism until one succeeds); extras deleted first (unassigned, Pending, not ready, newer first); at most 500 created or deleted per sync |
 * | replacement | with podReplacementPolicy TerminatingOrFailed (the default) a terminating pod is replaced at once; with Failed only once it is gone |
 * | back-off | after failures, no pod is created until `min(10 s × 2^(n−1), 10 min)` after the last failure, n the failures since the last success (backoff_utils.go) |
 * | failing | more than `backoffLimit` (6) failures, or (restartPolicy OnFailure) container restarts of running pods reaching it → `BackoffLimitExceeded` "Job has reached the specified backoff limit"; `activeDeadlineSeconds` since the start → `DeadlineExceeded` "Job was active longer than specified deadline". `FailureTarget` first; every active pod deleted; `Failed` once none is left terminating |
 * | completing | enough successes (Indexed: every index) and none active → `SuccessCriteriaMet`, then `Complete` (reason `CompletionsReached`, "Reached expected number of succeeded pods") once none is terminating, with `completionTime` |
 * | Indexed | pods `<job>-<index>-` + 5 characters, label and annotation `batch.kubernetes.io/job-completion-index`; the lowest indexes neither done nor running first |
 * | suspend | active pods deleted, condition `Suspended` (JobSuspended); resuming restarts the deadline's clock |
 * | deleted pods | with podReplacementPolicy TerminatingOrFailed, a pod deleted before it succeeded counts as failed at once (isPodFailed); with Failed, once it is gone (the kubelet ends a deleted pod Failed; a pod deleted before it ran is not counted). Pods the Job deletes as it fails count as failed |
 * | podFailurePolicy | each newly failed pod against the rules in order, first match wins (pod_failure_policy.go): `FailJob` → `FailureTarget`/`Failed` reason `PodFailurePolicy`, "Container C for pod NS/P failed with exit code N matching FailJob rule at index I"; `Ignore` → not counted, no back-off; `Count` → as without a policy. onExitCodes: the (simulated, first) container's non-zero exit code, `In`/`NotIn`, optional containerName |
 * | TTL | `ttlSecondsAfterFinished` after the finishing condition, the Job is deleted (kube: foreground; here background, its pods through their grace) |
 *
 * Not simulated yet (a warning at load): backoffLimitPerIndex (and FailIndex), maxFailedIndexes, successPolicy,
 * podFailurePolicy's onPodConditions (pods carry no DisruptionTarget condition before evictions exist).
 */
import type { EventDraft } from "../events/events.js";
import type { ObjectState } from "../cluster/objects.js";
import type { PodState } from "../cluster/state.js";
import type { WorkloadCondition, WorkloadStatus } from "../model/objects.js";
import type { Pod } from "../model/pod.js";
import { generatedName, sameJson, type JobSpec, type Workload } from "../model/workload.js";
import type { ControllerTimer, Reaction, WorkloadReader } from "./controller.js";
import type { WorkloadTimer } from "./deployment.js";
import { deletionGrace } from "./garbage-collector.js";
import { deletionOrder, isActive, isReady, ownedPods, podFromTemplate } from "./replicaset.js";

/** job_controller.go constants. */
export const JOB_POD_FAILURE_BACKOFF_SECONDS = 10;
export const JOB_MAX_POD_FAILURE_BACKOFF_SECONDS = 600;
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
export const COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

/** backoff_utils.go: the delay after n failures since the last success. */
export function jobBackoffSeconds(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(JOB_POD_FAILURE_BACKOFF_SECONDS * 2 ** (failures - 1), JOB_MAX_POD_FAILURE_BACKOFF_SECONDS);
}

const isFinished = (pod: PodState) => pod.phase === "Succeeded" || pod.phase === "Failed";
const indexOf = (pod: PodState): number | undefined => {
  const text = pod.pod.annotations[COMPLETION_INDEX];
  return text === undefined ? undefined : Number(text);
};

function condition(type: WorkloadCondition["type"], status: WorkloadCondition["status"], reason: string, message: string, now: number): WorkloadCondition {
  return { type, status, reason, message, lastUpdateTime: now, lastTransitionTime: now };
}

/** A Job's pod before its name: the template with the Job's labels and owner reference, made once per Job (its pods share it). */
const podBases = new WeakMap<Workload, { readonly uid: string; readonly pod: Pod }>();

/** The Job's pod for `index` (Indexed) or not, named `<job>-[<index>-]<5 characters>`. */
function jobPod(job: Workload, record: ObjectState, name: string, index: number | undefined): Pod {
  let base = podBases.get(job);
  if (base === undefined || base.uid !== record.uid) {
    const pod = podFromTemplate(job, record, "");
    const labels = { ...pod.labels, [JOB_NAME_LABEL]: job.name, "job-name": job.name, "batch.kubernetes.io/controller-uid": record.uid, "controller-uid": record.uid };
    base = { uid: record.uid, pod: { ...pod, labels } };
    podBases.set(job, base);
  }
  const pod = { ...base.pod, name };
  if (index === undefined) return pod;
  return { ...pod, labels: { ...pod.labels, [COMPLETION_INDEX]: String(index) }, annotations: { ...pod.annotations, [COMPLETION_INDEX]: String(index) } };
}

/** One sync of the Job at `key`. */
export function syncJob(reader: WorkloadReader, key: string, now: number, seed: number): Reaction<WorkloadTimer> {
  const record = reader.object(key);
  if (record === undefined || record.object.kind !== "Job" || record.object.job === undefined) return { drafts: [], timers: [] };
  const job = record.object;
  const spec: JobSpec = record.object.job;
  const stored = record.status;
  const drafts: EventDraft[] = [];
  const timers: ControllerTimer<WorkloadTimer>[] = [];
  const wake = (at: number) => timers.push({ at, payload: { kind: "workloadSync", object: key } });
  const conditions = [...(stored?.conditions ?? [])];
  const has = (type: WorkloadCondition["type"]) => conditions.find((item) => item.type === type && item.status === "True");

  // Finished: only the TTL is left.
  const finished = has("Complete") ?? has("Failed");
  if (finished !== undefined) {
    if (spec.ttlSecondsAfterFinished !== undefined) {
      const at = finished.lastTransitionTime + spec.ttlSecondsAfterFinished;
      if (now >= at) drafts.push({ type: "ObjectDeleted", kind: "Job", object: `${job.namespace}/${job.name}`, propagation: "Background" });
      else wake(at);
    }
    return { drafts, timers };
  }

  const pods = ownedPods(reader, key, record);
  const active = pods.filter(isActive);
  let terminating = pods.filter((pod) => !isFinished(pod) && pod.deletionDeadline !== undefined).length;
  // Count each finished pod once, in the order they finished (the back-off follows that order).
  // Unless only failed pods are replaced, a pod deleted before it succeeded counts as failed (isPodFailed).
  const onlyReplaceFailed = spec.podReplacementPolicy === "Failed";
  const countable = (pod: PodState) => isFinished(pod) || (!onlyReplaceFailed && pod.deletionDeadline !== undefined);
  // Which pods are counted already: those finished before the last sync's tick, those finished at
  // that tick it names, and the terminating ones it counted (kube: the pods whose tracking finalizer is gone).
  const watermark = stored?.countedThrough;
  const countedLast = new Set(stored?.countedLast ?? []);
  const countedTerminating = new Set(stored?.countedTerminating ?? []);
  const isCounted = (pod: PodState) => {
    if (countedTerminating.has(pod.pod.name)) return true;
    if (!isFinished(pod) || watermark === undefined) return false;
    const at = pod.finishedAt ?? now;
    return at < watermark || (at === watermark && countedLast.has(pod.pod.name));
  };
  const fresh = pods
    .filter((pod) => countable(pod) && !isCounted(pod))
    .sort((a, b) => (a.finishedAt ?? now) - (b.finishedAt ?? now) || a.createdSeq - b.createdSeq);
  let succeeded = stored?.succeeded ?? 0;
  let failed = stored?.failed ?? 0;
  let failuresSinceSuccess = stored?.failuresSinceSuccess ?? 0;
  let lastFailureAt = stored?.lastFailureAt;
  const completedIndexes = new Set(stored?.completedIndexes ?? []);
  let policyFailure: { reason: string; message: string } | undefined;
  for (const pod of fresh) {
    if (pod.phase === "Succeeded") {
      succeeded++;
      failuresSinceSuccess = 0;
      const index = indexOf(pod);
      if (index !== undefined && spec.completions !== undefined && index < spec.completions) completedIndexes.add(index);
      continue;
    }
    const matched = pod.phase === "Failed" ? matchFailurePolicy(spec.podFailurePolicy, pod) : undefined;
    if (matched?.action === "Ignore") continue;
    if (matched?.action === "FailJob" && policyFailure === undefined) policyFailure = { reason: "PodFailurePolicy", message: matched.message };
    failed++;
    failuresSinceSuccess++;
    lastFailureAt = pod.finishedAt ?? now;
  }
  const present = new Set(pods.map((pod) => pod.pod.name));
  // Only failed pods replaced: a terminating pod seen before and gone now ended Failed (the kubelet's terminal phase).
  for (const name of stored?.terminatingPods ?? []) {
    if (present.has(name)) continue;
    failed++;
    failuresSinceSuccess++;
    lastFailureAt = now;
  }
  let countedSomething = fresh.length > 0;
  // What this sync leaves counted: finished pods through `now` (by name for those finished at `now`), terminating ones by name.
  const lastNow = new Set(watermark === now ? countedLast : []);
  const terminatingNow = new Set([...countedTerminating].filter((name) => present.has(name)));
  for (const pod of fresh) {
    if (isFinished(pod)) {
      if ((pod.finishedAt ?? now) === now) lastNow.add(pod.pod.name);
    } else terminatingNow.add(pod.pod.name);
  }
  let startTime = stored?.startTime;
  // Suspend and resume (resuming restarts the deadline's clock).
  const wasSuspended = has("Suspended") !== undefined;
  if (spec.suspend && !wasSuspended) setCondition(conditions, condition("Suspended", "True", "JobSuspended", "Job suspended", now));
  if (!spec.suspend && wasSuspended) {
    setCondition(conditions, condition("Suspended", "False", "JobResumed", "Job resumed", now));
    startTime = now;
  }
  if (startTime === undefined && !spec.suspend) startTime = now;

  let activeCount = active.length;
  const deleted = new Set<string>();
  const deleteAll = (countFailed: boolean) => {
    for (const pod of active) deleted.add(pod.pod.name);
    for (const pod of active) drafts.push({ type: "PodDeleted", pod: `${pod.pod.namespace}/${pod.pod.name}`, gracePeriodSeconds: deletionGrace(pod) });
    // Finishing as failed, the pods it deletes count as failed at once (trackJobStatusAndRemoveFinalizers).
    if (countFailed) {
      failed += active.length;
      for (const pod of active) terminatingNow.add(pod.pod.name);
      countedSomething = true;
    }
    // A pod holding resources stays, terminating, until its grace period ends; any other is gone at once.
    terminating += active.filter((pod) => pod.holdsResources).length;
    activeCount = 0;
  };

  // Failure: an earlier FailureTarget, too many failures (or restarts under OnFailure), or the deadline.
  const target = has("FailureTarget");
  let failure: { reason: string; message: string } | undefined = target === undefined ? policyFailure : { reason: target.reason, message: target.message };
  const restarts = active.reduce((sum, pod) => sum + pod.restartCount, 0);
  const pastBackoffOnFailure = job.template.restartPolicy === "OnFailure" && (spec.backoffLimit === 0 ? restarts > 0 : restarts >= spec.backoffLimit);
  if (failure === undefined && (failed > spec.backoffLimit || pastBackoffOnFailure)) failure = { reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" };
  if (failure === undefined && spec.activeDeadlineSeconds !== undefined && startTime !== undefined && !spec.suspend) {
    if (now - startTime >= spec.activeDeadlineSeconds) failure = { reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" };
    else wake(startTime + spec.activeDeadlineSeconds);
  }

  if (failure !== undefined) {
    if (target === undefined) setCondition(conditions, condition("FailureTarget", "True", failure.reason, failure.message, now));
    deleteAll(true);
    if (terminating === 0) setCondition(conditions, condition("Failed", "True", failure.reason, failure.message, now));
  } else {
    const done = spec.completionMode === "Indexed" ? completedIndexes.size : succeeded;
    const complete = spec.completions === undefined ? succeeded > 0 && active.length === 0 : done >= spec.completions && active.length === 0;
    if (complete) {
      if (has("SuccessCriteriaMet") === undefined) setCondition(conditions, condition("SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods", now));
      if (terminating === 0) setCondition(conditions, condition("Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods", now));
    } else if (spec.suspend) {
      deleteAll(false);
    } else {
      const wantActive = spec.completions === undefined ? (succeeded > 0 ? active.length : spec.parallelism) : Math.min(spec.parallelism, Math.max(0, spec.completions - done));
      if (active.length > wantActive) {
        // activePodsForRemoval: Indexed duplicates and out-of-range first, then the ActivePods order.
        const extras = deletionOrder([...active].sort((a, b) => a.createdSeq - b.createdSeq), [], now, seed, Math.min(active.length - wantActive, MAX_POD_CREATE_DELETE_PER_SYNC));
        for (const pod of extras) {
          drafts.push({ type: "PodDeleted", pod: `${pod.pod.namespace}/${pod.pod.name}`, gracePeriodSeconds: deletionGrace(pod) });
          deleted.add(pod.pod.name);
        }
        activeCount -= extras.length;
      } else {
        const diff = Math.min(wantActive - active.length - (spec.podReplacementPolicy === "Failed" ? terminating : 0), MAX_POD_CREATE_DELETE_PER_SYNC);
        const readyAt = lastFailureAt === undefined ? now : lastFailureAt + jobBackoffSeconds(failuresSinceSuccess);
        if (diff > 0 && readyAt > now) {
          wake(readyAt);
        } else if (diff > 0) {
          activeCount += createPods(reader, job, record, key, spec, diff, active, completedIndexes, seed, drafts);
        }
      }
    }
  }
  const completion = has("Complete");
  // Finished in this sync: the TTL controller's turn comes ttlSecondsAfterFinished later.
  const done = completion ?? has("Failed");
  if (done !== undefined && spec.ttlSecondsAfterFinished !== undefined) wake(done.lastTransitionTime + spec.ttlSecondsAfterFinished);
  const status: WorkloadStatus = {
    replicas: activeCount, updatedReplicas: 0, readyReplicas: active.filter((pod) => !deleted.has(pod.pod.name) && isReady(pod)).length, availableReplicas: 0, unavailableReplicas: 0, conditions,
    // An Indexed Job's `succeeded` is its completed indexes (trackJobStatusAndRemoveFinalizers); the pods are counted all the same.
    active: activeCount, succeeded: spec.completionMode === "Indexed" ? completedIndexes.size : succeeded, failed,
    ...(startTime !== undefined ? { startTime } : {}),
    ...(completion !== undefined ? { completionTime: completion.lastTransitionTime } : {}),
    ...(spec.completionMode === "Indexed" ? { completedIndexes: [...completedIndexes].sort((a, b) => a - b) } : {}),
    // Nothing newly counted: the stored mark still holds (every finished pod is counted), and the status need not change.
    ...(countedSomething || watermark === undefined
      ? { countedThrough: now, ...(lastNow.size > 0 ? { countedLast: [...lastNow].sort() } : {}) }
      : { countedThrough: watermark, ...(countedLast.size > 0 ? { countedLast: [...countedLast].sort() } : {}) }),
    ...(terminatingNow.size > 0 ? { countedTerminating: [...terminatingNow].sort() } : {}),
    failuresSinceSuccess,
    ...(onlyReplaceFailed ? { terminatingPods: pods.filter((pod) => !isFinished(pod) && pod.deletionDeadline !== undefined && !terminatingNow.has(pod.pod.name)).map((pod) => pod.pod.name).sort() } : {}),
    ...(lastFailureAt !== undefined ? { lastFailureAt } : {}),
  };
  if (stored === undefined || !sameJson(stored, status)) drafts.push({ type: "WorkloadStatusChanged", kind: "Job", object: `${job.namespace}/${job.name}`, status });
  return { drafts, timers };
}

/** The pods to make: `diff` of them; Indexed, the lowest indexes neither completed nor held by an active pod. */
function createPods(
  reader: WorkloadReader, job: Workload, record: ObjectState, key: string, spec: JobSpec, diff: number,
  active: readonly PodState[], completedIndexes: ReadonlySet<number>, seed: number, drafts: EventDraft[],
): number {
  const indexes: (number | undefined)[] = [];
  if (spec.completionMode === "Indexed" && spec.completions !== undefined) {
    const held = new Set(active.map(indexOf));
    for (let index = 0; index < spec.completions && indexes.length < diff; index++) if (!completedIndexes.has(index) && !held.has(index)) indexes.push(index);
  } else {
    for (let n = 0; n < diff; n++) indexes.push(undefined);
  }
  const taken = new Set<string>();
  let n = record.podsCreated;
  for (const index of indexes) {
    let name: string;
    do name = generatedName(index === undefined ? `${job.name}-` : `${job.name}-${index}-`, seed, key, n++);
    while (taken.has(name) || reader.pod(`${job.namespace}/${name}`) !== undefined);
    taken.add(name);
    drafts.push({ type: "PodCreated", pod: `${job.namespace}/${name}`, spec: jobPod(job, record, name, index) });
  }
  return indexes.length;
}

/**
 * pod_failure_policy.go matchPodFailurePolicy: the first rule matching the failed pod, in order.
 * onExitCodes looks at the pod's container (the simulated one: the first) when it exited non-zero;
 * onPodConditions matches nothing yet (the simulated pods carry no DisruptionTarget condition).
 */
export function matchFailurePolicy(rules: JobSpec["podFailurePolicy"], pod: PodState): { action: string; message: string } | undefined {
  if (rules === undefined) return undefined;
  const container = pod.pod.containers[0]?.name ?? "";
  const code = pod.lastExitCode;
  for (const [index, rule] of rules.entries()) {
    const onExit = rule.onExitCodes;
    if (onExit === undefined || code === undefined || code === 0) continue;
    if (onExit.containerName !== undefined && onExit.containerName !== container) continue;
    if (onExit.values.includes(code) !== (onExit.operator === "In")) continue;
    if (rule.action === "Count" || rule.action === "FailIndex") return { action: "Count", message: "" };
    const message = `Container ${container} for pod ${pod.pod.namespace}/${pod.pod.name} failed with exit code ${code} matching ${rule.action} rule at index ${index}`;
    return { action: rule.action, message };
  }
  return undefined;
}

/** SetCondition: a condition of the same type is replaced. */
function setCondition(conditions: WorkloadCondition[], next: WorkloadCondition): void {
  const index = conditions.findIndex((item) => item.type === next.type);
  if (index >= 0) conditions.splice(index, 1, next);
  else conditions.push(next);
}
