/**
 * The StatefulSet controller (kube v1.35 pkg/controller/statefulset: stateful_set_control.go,
 * stateful_set_utils.go). One sync (`updateStatefulSet`):
 *
 * | rule | kube |
 * |------|------|
 * | identity | pods `<sts>-<ordinal>` for ordinals `start … start+replicas−1` (`spec.ordinals.start`), labelled `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index` and `controller-revision-hash` (the revision's name, `<sts>-<hash>`); at most one pod per ordinal ever exists: a terminating or finished pod is replaced only once it is gone |
 * | OrderedReady | ordinals in ascending order, one create per sync: ordinal i only when every lower one exists, is not terminating, and is Running, Ready and available (`minReadySeconds`); a failed or succeeded pod is deleted, and made again once gone |
 * | scale down | condemned pods (outside the range) from the highest ordinal, one at a time, each waiting for the previous to be gone, and only once every pod in range is Running, Ready and available (the condemned pod itself may be the first unhealthy one) |
 * | Parallel | every missing pod created and every condemned pod deleted in the same sync; nothing waits |
 * | RollingUpdate | only once the scaling steps had nothing to do: with MaxUnavailableStatefulSet (beta, on by default in v1.35), while fewer than `maxUnavailable` pods (default 1; a percent rounds down, at least 1) are unavailable, outdated pods are deleted from the highest ordinal down to `partition`; the scaling step makes them again from the new template. Pods below the partition are made from the current revision's template |
 * | revisions | `currentRevision` becomes the update revision once every replica is updated and ready (`completeRollingUpdate`); kept, with its template, in the status |
 * | OnDelete | no update step: a pod gets the new template only when deleted |
 *
 * Not simulated: PersistentVolumeClaims (`volumeClaimTemplates`, retention policies), the pods'
 * hostname and subdomain, `minReadySeconds`' requeue beyond the availability timer.
 */
import type { EventDraft } from "../events/events.js";
import type { ObjectState } from "../cluster/objects.js";
import type { PodState } from "../cluster/state.js";
import type { WorkloadStatus } from "../model/objects.js";
import type { Pod } from "../model/pod.js";
import { podTemplateHash, scaledValue, type Workload } from "../model/workload.js";
import type { ControllerTimer, Reaction, WorkloadReader } from "./controller.js";
import type { WorkloadTimer } from "./deployment.js";
import { deletionGrace } from "./garbage-collector.js";
import { isAvailable, isReady, ownedPods, podFromTemplate } from "./replicaset.js";

export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
const REVISION = "controller-revision-hash";

const revisionNames = new WeakMap<Pod, string>();

/** The revision of a template: `<sts>-<hash>` (history.ControllerRevisionName), computed once per template. */
export function revisionName(sts: Workload, template: Pod = sts.template): string {
  let name = revisionNames.get(template);
  if (name === undefined) revisionNames.set(template, (name = `${sts.name.slice(0, 223)}-${podTemplateHash(template)}`));
  return name;
}

/** The ordinal in a pod's name (`(.*)-([0-9]+)$` with the set's name), or −1. */
function ordinalOf(sts: Workload, pod: PodState): number {
  const name = pod.pod.name;
  const prefix = `${sts.name}-`;
  if (!name.startsWith(prefix)) return -1;
  const digits = name.slice(prefix.length);
  return /^[0-9]+$/.test(digits) ? Number(digits) : -1;
}

const isTerminating = (pod: PodState) => pod.deletionDeadline !== undefined;
const isFinished = (pod: PodState) => pod.phase === "Succeeded" || pod.phase === "Failed";

/** The pod for `ordinal` from a template and its revision. */
function statefulPod(sts: Workload, record: ObjectState, ordinal: number, template: Pod, revision: string): Pod {
  const name = `${sts.name}-${ordinal}`;
  const pod = podFromTemplate({ ...sts, template }, record, name);
  return { ...pod, labels: { ...pod.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION]: revision } };
}

/** One sync of the StatefulSet at `key`: the events it emits (pods, its status) and when to look again. */
export function syncStatefulSet(reader: WorkloadReader, key: string, now: number): Reaction<WorkloadTimer> {
  const record = reader.object(key);
  if (record === undefined || record.object.kind !== "StatefulSet") return { drafts: [], timers: [] };
  const sts = record.object;
  const stored = record.status;
  const updateRevision = revisionName(sts);
  const currentRevision = stored?.currentRevision ?? updateRevision;
  const currentTemplate = currentRevision === updateRevision ? sts.template : (stored?.currentTemplate ?? sts.template);
  const start = sts.ordinalsStart ?? 0;
  const replicas: (PodState | undefined)[] = Array.from({ length: sts.replicas }, () => undefined);
  const condemned: PodState[] = [];
  for (const pod of ownedPods(reader, key, record)) {
    const ordinal = ordinalOf(sts, pod);
    if (ordinal < 0) continue;
    if (ordinal >= start && ordinal < start + sts.replicas) replicas[ordinal - start] = pod;
    else condemned.push(pod);
  }
  condemned.sort((a, b) => ordinalOf(sts, b) - ordinalOf(sts, a));
  const monotonic = sts.podManagementPolicy !== "Parallel";
  const available = (pod: PodState | undefined) => pod !== undefined && !isFinished(pod) && isAvailable(pod, sts.minReadySeconds, now);
  const unavailable = (pod: PodState | undefined) => pod === undefined || isTerminating(pod) || !available(pod);
  const firstUnhealthy = [...replicas, ...[...condemned].reverse()].find(unavailable);
  const drafts: EventDraft[] = [];
  const partition = sts.updateStrategy?.type === "RollingUpdate" ? sts.updateStrategy.partition : 0;
  const remove = (pod: PodState) => drafts.push({ type: "PodDeleted", pod: `${pod.pod.namespace}/${pod.pod.name}`, gracePeriodSeconds: deletionGrace(pod) });

  let exit = false;
  // processReplica, lowest ordinal first.
  for (let index = 0; index < replicas.length && !exit; index++) {
    const pod = replicas[index];
    const ordinal = start + index;
    if (pod !== undefined && isFinished(pod)) {
      // Deleted now, made again once it is gone (the next sync).
      if (!isTerminating(pod)) remove(pod);
      exit = monotonic;
      continue;
    }
    if (pod === undefined) {
      // The name is still taken by another owner's pod (a StatefulSet of the same name deleted and made again):
      // kube's create fails with AlreadyExists and is retried; here it waits for that pod to go.
      if (reader.pod(`${sts.namespace}/${sts.name}-${ordinal}`) !== undefined) {
        exit = monotonic;
        continue;
      }
      // newVersionedStatefulSetPod: below the partition from the current revision, else the update's.
      const below = sts.updateStrategy?.type === "RollingUpdate" && ordinal < start + partition;
      const template = below ? currentTemplate : sts.template;
      drafts.push({ type: "PodCreated", pod: `${sts.namespace}/${sts.name}-${ordinal}`, spec: statefulPod(sts, record, ordinal, template, below ? currentRevision : updateRevision) });
      exit = monotonic;
      continue;
    }
    if (monotonic && (isTerminating(pod) || !(pod.phase === "Running" && isReady(pod)) || !available(pod))) exit = true;
  }
  // processCondemned, highest ordinal first.
  for (const pod of condemned) {
    if (exit) break;
    if (isTerminating(pod)) {
      exit = monotonic;
      continue;
    }
    if (monotonic && pod !== firstUnhealthy && (!(pod.phase === "Running" && isReady(pod)) || !available(pod))) {
      exit = true;
      continue;
    }
    remove(pod);
    exit = monotonic;
  }
  // The rolling update: only when scaling had nothing left to do (released v1.35: stop at maxUnavailable unavailable pods).
  if (!exit && sts.updateStrategy?.type === "RollingUpdate") {
    const maxUnavailable = Math.max(1, scaledValue(sts.updateStrategy.maxUnavailable, sts.replicas, false));
    const unavailableCount = replicas.filter(unavailable).length;
    let budget = maxUnavailable - unavailableCount;
    for (let index = replicas.length - 1; index >= partition && budget > 0; index--) {
      const pod = replicas[index];
      if (pod === undefined || isTerminating(pod) || pod.pod.labels[REVISION] === updateRevision) continue;
      remove(pod);
      budget--;
    }
  }
  const status = statusOf(sts, [...replicas, ...condemned], currentRevision, updateRevision, currentTemplate, now);
  if (stored === undefined || !sameStatus(stored, status)) drafts.push({ type: "WorkloadStatusChanged", kind: "StatefulSet", object: `${sts.namespace}/${sts.name}`, status });
  // A ready pod becomes available minReadySeconds after it became ready: look again then.
  const timers: ControllerTimer<WorkloadTimer>[] = [];
  for (const pod of replicas) {
    if (pod !== undefined && isReady(pod) && !available(pod)) timers.push({ at: (pod.readySince as number) + sts.minReadySeconds, payload: { kind: "workloadSync", object: key } });
  }
  return { drafts, timers };
}

/** `updateStatefulSetStatus`, with `completeRollingUpdate`: the current revision catches up once every replica is updated and ready. */
function statusOf(sts: Workload, pods: readonly (PodState | undefined)[], currentRevision: string, updateRevision: string, currentTemplate: Pod, now: number): WorkloadStatus {
  let replicas = 0;
  let ready = 0;
  let availableCount = 0;
  let current = 0;
  let updated = 0;
  for (const pod of pods) {
    if (pod === undefined || isFinished(pod)) continue;
    replicas++;
    if (pod.phase === "Running" && isReady(pod)) {
      ready++;
      if (isAvailable(pod, sts.minReadySeconds, now)) availableCount++;
    }
    if (isTerminating(pod)) continue;
    if (pod.pod.labels[REVISION] === currentRevision) current++;
    if (pod.pod.labels[REVISION] === updateRevision) updated++;
  }
  const complete = sts.updateStrategy?.type === "RollingUpdate" && updated === sts.replicas && ready === sts.replicas && replicas === sts.replicas;
  const revision = complete ? updateRevision : currentRevision;
  return {
    replicas, readyReplicas: ready, availableReplicas: availableCount, updatedReplicas: updated, unavailableReplicas: Math.max(0, sts.replicas - availableCount), conditions: [],
    currentReplicas: complete ? updated : current, currentRevision: revision, updateRevision,
    // The current revision's template, kept so a rollout can make pods below its partition from it.
    currentTemplate: complete ? sts.template : currentTemplate,
  };
}

function sameStatus(a: WorkloadStatus, b: WorkloadStatus): boolean {
  return a.replicas === b.replicas && a.readyReplicas === b.readyReplicas && a.availableReplicas === b.availableReplicas && a.updatedReplicas === b.updatedReplicas &&
    a.unavailableReplicas === b.unavailableReplicas && a.currentReplicas === b.currentReplicas && a.currentRevision === b.currentRevision &&
    a.updateRevision === b.updateRevision && a.currentTemplate === b.currentTemplate;
}
