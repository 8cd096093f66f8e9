/**
 * The ReplicaSet controller (kube v1.35 pkg/controller/replicaset/replica_set.go), which also
 * runs ReplicationControllers (pkg/controller/replication: the same code behind an adapter). A
 * sync keeps `spec.replicas` active pods — pods neither terminal nor terminating
 * (`controller.FilterActivePods`):
 *
 * | rule | kube | here |
 * |------|------|------|
 * | too few | create `min(diff, burstReplicas)` pods, burstReplicas = 500 (replica_set.go `BurstReplicas`), in slow-start batches 1, 2, 4 … | created at once (no create fails here, so every batch succeeds); the next 500 when their creation is seen, in the same tick |
 * | too many | delete `min(diff, 500)`, chosen by `getPodsToDelete`: ranked by `ActivePodsWithRanks.Less` (controller_utils.go) where rank = the number of pods of the same owner family on the pod's node | the same ranking, see `deletionOrder` |
 * | names | generateName `<rs>-` + 5 random characters | `<rs>-` + 5 characters of kube's alphabet from (seed, owner, counter) |
 * | grace | the pod's own `terminationGracePeriodSeconds`; 0 if unscheduled (`CheckGracefulDelete`) | the same |
 *
 * Not simulated: adopting orphan pods that match the selector and releasing owned pods that no
 * longer match (ClaimPods) — every pod here is made by its controller and keeps its labels.
 *
 * A pure function: it reads the state through `WorkloadReader` and returns events to emit.
 */
import type { EventDraft } from "../events/events.js";
import type { ObjectState } from "../cluster/objects.js";
import { controllerReference } from "../cluster/objects.js";
import type { PodState } from "../cluster/state.js";
import type { Pod } from "../model/pod.js";
import { API_VERSIONS, fnv1a32, generatedName, type Workload } from "../model/workload.js";
import type { WorkloadReader } from "./controller.js";
import { deletionGrace } from "./garbage-collector.js";

/** replica_set.go: `BurstReplicas`, the most pods one sync creates or deletes. */
export const BURST_REPLICAS = 500;

/** The annotation a pod's deletion cost is read from (PodDeletionCost, GA in v1.22+ default on). */
export const POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

/**
 * The live pods of an owner: those whose controller reference carries the owner's uid, in no set
 * order (the owner index is a set: whatever depends on the order sorts, `byCreation`).
 */
export function ownedPods(reader: WorkloadReader, key: string, record: ObjectState): PodState[] {
  const pods: PodState[] = [];
  for (const pod of reader.podsOwnedBy(key)) if (controllerReference(pod.pod.ownerReferences)?.uid === record.uid) pods.push(pod);
  return pods;
}

/** Oldest first (creation order is unique: seq). */
export function byCreation(a: PodState, b: PodState): number {
  return a.createdSeq - b.createdSeq;
}

/** `IsPodActive`: not Succeeded, not Failed, not being deleted. */
export function isActive(pod: PodState): boolean {
  return pod.phase !== "Succeeded" && pod.phase !== "Failed" && pod.deletionDeadline === undefined;
}

/**
 * `IsPodReady`: running with its containers up. Until readiness probes are modelled a container
 * is ready as it (re)starts, so a pod is ready since its last (re)start.
 */
export function isReady(pod: PodState): boolean {
  return pod.phase === "Running" && pod.runningSince !== undefined;
}

/** `IsPodAvailable`: ready for at least `minReadySeconds` at tick `now`. */
export function isAvailable(pod: PodState, minReadySeconds: number, now: number): boolean {
  return isReady(pod) && (pod.runningSince as number) + minReadySeconds <= now;
}

/** The pod a controller makes from its template: named, labelled, owned. */
export function podFromTemplate(owner: Workload, record: ObjectState, name: string): Pod {
  return {
    ...owner.template,
    namespace: owner.namespace,
    name,
    ownerReferences: [{ apiVersion: API_VERSIONS[owner.kind], kind: owner.kind, name: owner.name, uid: record.uid, controller: true, blockOwnerDeletion: true }],
  };
}

/**
 * One sync of a ReplicaSet or ReplicationController (`syncReplicaSet` → `manageReplicas`):
 * the pods to create or delete. `related`: the pods of the same owner family (a Deployment's
 * ReplicaSets), for the deletion ranking, read only when some pods go and some stay; `now`, the tick; `seed`, the run's.
 */
export function syncReplicaSet(reader: WorkloadReader, key: string, now: number, seed: number, related: () => readonly PodState[] = () => []): EventDraft[] {
  const record = reader.object(key);
  if (record === undefined || record.object.kind === "PriorityClass" || record.object.kind === "Deployment") return [];
  const owner = record.object;
  const active = ownedPods(reader, key, record).filter(isActive);
  const diff = active.length - owner.replicas;
  const drafts: EventDraft[] = [];
  if (diff < 0) {
    const wanted = Math.min(-diff, BURST_REPLICAS);
    // Names come from the counter of pods this owner made; a name already taken moves to the next.
    for (let n = record.podsCreated; drafts.length < wanted; n++) {
      const name = generatedName(`${owner.name}-`, seed, key, n);
      const podKey = `${owner.namespace}/${name}`;
      if (reader.pod(podKey) !== undefined) continue;
      drafts.push({ type: "PodCreated", pod: podKey, spec: podFromTemplate(owner, record, name) });
    }
  } else if (diff > 0) {
    // getPodsToDelete: ranked only when some pods stay; `related` is empty for a ReplicaSet without an owner (ranks all 0).
    const count = Math.min(diff, BURST_REPLICAS);
    const doomed = diff < active.length ? deletionOrder(active, related(), now, seed).slice(0, count) : active.sort(byCreation).slice(0, count);
    for (const pod of doomed) drafts.push({ type: "PodDeleted", pod: `${pod.pod.namespace}/${pod.pod.name}`, gracePeriodSeconds: deletionGrace(pod) });
  }
  return drafts;
}

/** `podPhaseToOrdinal`: Pending < Unknown < Running. */
function phaseOrdinal(pod: PodState): number {
  return pod.phase === "Pending" ? 0 : pod.phase === "Running" ? 2 : 1;
}

function deletionCost(pod: PodState): number {
  const text = pod.pod.annotations[POD_DELETION_COST];
  if (text === undefined) return 0;
  // GetDeletionCostFromPodAnnotations: a first digit of "-", "0" alone or 1–9, then ParseInt(…, 10, 32); any error counts 0.
  if (!/^(0|-?[1-9][0-9]*|-0)$/.test(text)) return 0;
  const value = Number(text);
  return value >= -2_147_483_648 && value <= 2_147_483_647 ? value : 0;
}

/** `logarithmicRankDiff`: ⌊log₂ age⌋ in nanoseconds (−1 for no age), compared. */
function logRank(at: number, now: number): number {
  const age = (now - at) * 1e9;
  return age > 0 ? Math.floor(Math.log2(age)) : -1;
}

/**
 * Pods in the order kube deletes them (`ActivePodsWithRanks.Less`, controller_utils.go, with
 * LogarithmicScaleDown, GA): unassigned first; Pending, then Unknown, then Running; not ready
 * first; lower pod-deletion-cost first; more pods of the family on the same node first; ready for
 * less time first, compared in ⌊log₂⌋ buckets of age (ties by uid); more container restarts
 * first; newer first, in ⌊log₂⌋ buckets of age (ties by uid). Kube compares pod UIDs, which are
 * random; a pod's uid here is a hash of (seed, pod).
 */
export function deletionOrder(pods: readonly PodState[], family: readonly PodState[], now: number, seed: number): PodState[] {
  const onNode = new Map<string, number>();
  for (const pod of family) if (pod.node !== undefined && isActive(pod)) onNode.set(pod.node, (onNode.get(pod.node) ?? 0) + 1);
  const ranked = pods.map((pod) => ({
    pod,
    assigned: pod.node !== undefined,
    phase: phaseOrdinal(pod),
    ready: isReady(pod),
    cost: deletionCost(pod),
    rank: pod.node === undefined ? 0 : (onNode.get(pod.node) ?? 0),
    uid: fnv1a32(`${pod.pod.namespace}/${pod.pod.name}`, fnv1a32(`uid#${seed}`)),
  }));
  ranked.sort((a, b) => {
    if (a.assigned !== b.assigned) return a.assigned ? 1 : -1;
    if (a.phase !== b.phase) return a.phase - b.phase;
    if (a.ready !== b.ready) return a.ready ? 1 : -1;
    if (a.cost !== b.cost) return a.cost - b.cost;
    if (a.rank !== b.rank) return b.rank - a.rank;
    if (a.ready && b.ready) {
      const readyA = a.pod.runningSince as number;
      const readyB = b.pod.runningSince as number;
      if (readyA !== readyB) {
        const diff = logRank(readyA, now) - logRank(readyB, now);
        return diff === 0 ? a.uid - b.uid || a.pod.createdSeq - b.pod.createdSeq : diff;
      }
    }
    const restarts = b.pod.restartCount - a.pod.restartCount;
    if (restarts !== 0) return restarts;
    const createdA = a.pod.createdAt;
    const createdB = b.pod.createdAt;
    if (createdA !== createdB) {
      const diff = logRank(createdA, now) - logRank(createdB, now);
      return diff === 0 ? a.uid - b.uid : diff;
    }
    // Equal uids (a 32-bit hash) are ordered by creation, so the order never depends on the input's.
    return a.uid - b.uid || a.pod.createdSeq - b.pod.createdSeq;
  });
  return ranked.map((entry) => entry.pod);
}
