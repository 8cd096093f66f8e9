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
import { isWorkload } from "../cluster/objects.js";
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
 * `IsPodReady`: its Ready condition is True — as its containers (re)start, or
 * `sim.timoneiro.dev/ready-after` later (a readiness probe's delay).
 */
export function isReady(pod: PodState): boolean {
  return pod.phase === "Running" && pod.readySince !== undefined;
}

/** `IsPodAvailable`: ready for at least `minReadySeconds` at tick `now`. */
export function isAvailable(pod: PodState, minReadySeconds: number, now: number): boolean {
  return isReady(pod) && (pod.readySince as number) + minReadySeconds <= now;
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
export function syncReplicaSet(reader: WorkloadReader, key: string, now: number, seed: number, related: (own: readonly PodState[]) => readonly PodState[] = () => []): EventDraft[] {
  const record = reader.object(key);
  if (record === undefined || !isWorkload(record.object) || record.object.kind === "Deployment") return [];
  const owner = record.object;
  // How many are active comes from the state's counts: a sync that creates nothing costs no scan of its pods.
  const diff = (reader.ownedCounts(record.uid)?.active ?? 0) - owner.replicas;
  const drafts: EventDraft[] = [];
  if (diff < 0) {
    const wanted = Math.min(-diff, BURST_REPLICAS);
    // Names come from the counter of pods this owner made; a name already taken (by a pod, or
    // earlier in this sync: five characters of 27 collide among tens of thousands) moves to the next.
    const taken = new Set<string>();
    for (let n = record.podsCreated; drafts.length < wanted; n++) {
      const name = generatedName(`${owner.name}-`, seed, key, n);
      const podKey = `${owner.namespace}/${name}`;
      if (taken.has(podKey) || reader.pod(podKey) !== undefined) continue;
      taken.add(podKey);
      drafts.push({ type: "PodCreated", pod: podKey, spec: podFromTemplate(owner, record, name) });
    }
  } else if (diff > 0) {
    const active = ownedPods(reader, key, record).filter(isActive);
    // getPodsToDelete: ranked only when some pods stay; `related` is empty for a ReplicaSet without an owner (ranks all 0).
    const count = Math.min(diff, BURST_REPLICAS);
    // In creation order first, so the ranking (whose log-bucket ties make it no strict order) sees the same input in both engines.
    active.sort(byCreation);
    const doomed = diff < active.length ? deletionOrder(active, related(active), now, seed, count) : active.slice(0, count);
    for (const pod of doomed) drafts.push({ type: "PodDeleted", pod: `${pod.pod.namespace}/${pod.pod.name}`, gracePeriodSeconds: deletionGrace(pod) });
  }
  return drafts;
}

/** `podPhaseToOrdinal`: Pending < Unknown < Running. */
function phaseOrdinal(pod: PodState): number {
  return pod.phase === "Pending" ? 0 : pod.phase === "Running" ? 2 : 1;
}

/** Per pod spec (which never changes): its deletion cost and its uid's hash under a seed, computed once. */
const specKeys = new WeakMap<Pod, { cost: number; seed: number; uid: number }>();

function specKeysOf(pod: PodState, seed: number): { cost: number; seed: number; uid: number } {
  let keys = specKeys.get(pod.pod);
  if (keys === undefined || keys.seed !== seed) {
    keys = { cost: deletionCost(pod), seed, uid: fnv1a32(`${pod.pod.namespace}/${pod.pod.name}`, fnv1a32(`uid#${seed}`)) };
    specKeys.set(pod.pod, keys);
  }
  return keys;
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
export function deletionOrder(pods: readonly PodState[], family: readonly PodState[], now: number, seed: number, limit = pods.length): PodState[] {
  const onNode = new Map<string, number>();
  for (const pod of family) if (pod.node !== undefined && isActive(pod)) onNode.set(pod.node, (onNode.get(pod.node) ?? 0) + 1);
  // Each pod's keys once (a sync may rank 100,000 pods): typed columns, compared by index.
  const n = pods.length;
  const first = new Float64Array(n);
  const cost = new Float64Array(n);
  const rank = new Float64Array(n);
  const ready = new Uint8Array(n);
  const readySince = new Float64Array(n);
  const readyBucket = new Float64Array(n);
  const created = new Float64Array(n);
  const createdBucket = new Float64Array(n);
  const uid = new Float64Array(n);
  for (let index = 0; index < n; index++) {
    const pod = pods[index] as PodState;
    const isReadyNow = isReady(pod);
    const keys = specKeysOf(pod, seed);
    // Unassigned before assigned, then phase (Pending < Unknown < Running), then not ready before ready.
    first[index] = (pod.node !== undefined ? 8 : 0) + phaseOrdinal(pod) * 2 + (isReadyNow ? 1 : 0);
    cost[index] = keys.cost;
    rank[index] = pod.node === undefined ? 0 : (onNode.get(pod.node) ?? 0);
    ready[index] = isReadyNow ? 1 : 0;
    readySince[index] = pod.readySince ?? 0;
    readyBucket[index] = isReadyNow ? logRank(pod.readySince as number, now) : 0;
    created[index] = pod.createdAt;
    createdBucket[index] = logRank(pod.createdAt, now);
    uid[index] = keys.uid;
  }
  const byUid = (a: number, b: number) => (uid[a] as number) - (uid[b] as number) || (pods[a] as PodState).createdSeq - (pods[b] as PodState).createdSeq;
  const compare = (a: number, b: number): number => {
    if (first[a] !== first[b]) return (first[a] as number) - (first[b] as number);
    if (cost[a] !== cost[b]) return (cost[a] as number) - (cost[b] as number);
    if (rank[a] !== rank[b]) return (rank[b] as number) - (rank[a] as number);
    if (ready[a] === 1 && ready[b] === 1 && readySince[a] !== readySince[b]) {
      const diff = (readyBucket[a] as number) - (readyBucket[b] as number);
      return diff === 0 ? byUid(a, b) : diff;
    }
    const restarts = (pods[b] as PodState).restartCount - (pods[a] as PodState).restartCount;
    if (restarts !== 0) return restarts;
    if (created[a] !== created[b]) {
      const diff = (createdBucket[a] as number) - (createdBucket[b] as number);
      return diff === 0 ? byUid(a, b) : diff;
    }
    // Equal uids (a 32-bit hash) are ordered by creation, so the order never depends on the input's.
    return byUid(a, b);
  };
  const order = limit * 4 < n ? firstByHeap(n, limit, compare) : Array.from({ length: n }, (_, index) => index).sort(compare).slice(0, limit);
  return order.map((index) => pods[index] as PodState);
}

/** The `limit` first of 0…n−1 by `compare`, in order: a bounded max-heap, O(n log limit). */
function firstByHeap(n: number, limit: number, compare: (a: number, b: number) => number): number[] {
  const heap: number[] = [];
  const up = (at: number) => {
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (compare(heap[at] as number, heap[parent] as number) <= 0) return;
      [heap[at], heap[parent]] = [heap[parent] as number, heap[at] as number];
      at = parent;
    }
  };
  const down = (at: number) => {
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let largest = at;
      if (left < heap.length && compare(heap[left] as number, heap[largest] as number) > 0) largest = left;
      if (right < heap.length && compare(heap[right] as number, heap[largest] as number) > 0) largest = right;
      if (largest === at) return;
      [heap[at], heap[largest]] = [heap[largest] as number, heap[at] as number];
      at = largest;
    }
  };
  for (let index = 0; index < n; index++) {
    if (heap.length < limit) {
      heap.push(index);
      up(heap.length - 1);
    } else if (limit > 0 && compare(index, heap[0] as number) < 0) {
      heap[0] = index;
      down(0);
    }
  }
  return heap.sort(compare);
}
