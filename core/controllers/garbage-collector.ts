/**
 * The garbage collector (kube v1.35 pkg/controller/garbagecollector), background propagation:
 * once an owner is gone, each dependent whose controller reference names it — by uid, so a new
 * owner of the same name does not count — is deleted: a pod through its own grace period (0 if
 * it never reached a node or already finished: the pod strategy's `CheckGracefulDelete`), an
 * object (a Deployment's ReplicaSet) with background propagation in turn, so its pods follow.
 *
 * `Orphan` needs no collector here: the `ObjectDeleted` event itself removes the owner's
 * reference from every dependent (kube's GC patches each before the owner goes). `Foreground`
 * (the owner waits for its dependents) is not simulated: kubectl's default is background.
 */
import type { EventDraft } from "../events/events.js";
import { controllerReference, isWorkload } from "../cluster/objects.js";
import type { WorkloadReader } from "./controller.js";

/** The deletions the collector makes for an owner key whose object is gone (or was replaced). */
export function collectGarbage(reader: WorkloadReader, owner: string): EventDraft[] {
  const live = reader.object(owner)?.uid;
  const drafts: EventDraft[] = [];
  for (const key of reader.objectsOwnedBy(owner).sort()) {
    const record = reader.object(key);
    if (record === undefined || !isWorkload(record.object)) continue;
    if (controllerReference(record.object.ownerReferences)?.uid === live) continue;
    drafts.push({ type: "ObjectDeleted", kind: record.object.kind, object: `${record.object.namespace}/${record.object.name}`, propagation: "Background" });
  }
  const pods = reader.podsOwnedBy(owner);
  pods.sort((a, b) => a.createdSeq - b.createdSeq);
  for (const pod of pods) {
    if (pod.deletionDeadline !== undefined || controllerReference(pod.pod.ownerReferences)?.uid === live) continue;
    drafts.push({ type: "PodDeleted", pod: `${pod.pod.namespace}/${pod.pod.name}`, gracePeriodSeconds: deletionGrace(pod) });
  }
  return drafts;
}

/** `CheckGracefulDelete` for a delete without options: the pod's own grace, 0 if unscheduled or finished. */
export function deletionGrace(pod: { readonly node?: string; readonly phase: string; readonly pod: { readonly terminationGracePeriodSeconds: number } }): number {
  if (pod.node === undefined || pod.phase === "Succeeded" || pod.phase === "Failed") return 0;
  return pod.pod.terminationGracePeriodSeconds;
}
