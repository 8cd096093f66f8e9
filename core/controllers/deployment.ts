/**
 * The Deployment controller (kube v1.35 pkg/controller/deployment: deployment_controller.go,
 * sync.go, rolling.go, recreate.go, progress.go, util/deployment_util.go). One sync of one
 * Deployment, as kube's `syncDeployment` runs it:
 *
 * 1. paused → `sync`: proportional scaling only, old ReplicaSets cleaned up, status;
 * 2. a scaling event (an active ReplicaSet's `desired-replicas` annotation differs from
 *    `spec.replicas`) → `sync`;
 * 3. `Recreate`: every old ReplicaSet to 0; wait until none of their pods is left (terminating
 *    ones included); then the new ReplicaSet at `spec.replicas`;
 * 4. `RollingUpdate`: the new ReplicaSet (created at `NewRSNewReplicas`) scaled up within
 *    `replicas + maxSurge` pods, else old ones scaled down within `replicas − maxUnavailable`
 *    available (unhealthy old replicas first), one direction per sync;
 * 5. once complete, old ReplicaSets beyond `revisionHistoryLimit` deleted (lowest revision first,
 *    only those with no replicas left);
 * 6. status and conditions: Available (`MinimumReplicasAvailable` / `MinimumReplicasUnavailable`),
 *    Progressing (`NewReplicaSetCreated`, `FoundNewReplicaSet`, `ReplicaSetUpdated`,
 *    `NewReplicaSetAvailable`, `ProgressDeadlineExceeded`, `DeploymentPaused`, `DeploymentResumed`),
 *    written by a `WorkloadStatusChanged` event when they change.
 *
 * How this differs from kube, and why:
 * - A ReplicaSet's status (replicas, ready, available) is read from its pods when needed, not
 *   written by its controller and read back later: in simulated time the controllers react at
 *   once, so kube's informer lag is zero here.
 * - The pod-template-hash is FNV-32a of the template's canonical JSON, written as kube writes its
 *   own (SafeEncodeString of the decimal number): kube's form, not kube's value (model/workload.ts).
 * - A ReplicaSet is the Deployment's "new" one when its template equals the Deployment's but for
 *   the hash label (`EqualIgnoreHash`), as in kube.
 * - Rollback through the deprecated `deprecated.deployment.rollback.to` annotation is not
 *   simulated (`kubectl rollout undo` patches the template, which is an ordinary update here).
 * - Orphan ReplicaSets matching the selector are not adopted.
 *
 * Timers: a sync asks to run again when a ready pod becomes available (`minReadySeconds`) and
 * one second after the progress deadline (`requeueStuckDeployment`).
 */
import type { EventDraft } from "../events/events.js";
import type { ObjectState } from "../cluster/objects.js";
import { controllerReference, objectOwnerKey, stateKey } from "../cluster/objects.js";
import type { PodState } from "../cluster/state.js";
import type { WorkloadCondition, WorkloadStatus } from "../model/objects.js";
import type { Pod } from "../model/pod.js";
import { canonicalJson, podTemplateHash, scaledValue, type Workload } from "../model/workload.js";
import type { ControllerTimer, Reaction, WorkloadReader } from "./controller.js";
import { isActive, isAvailable, isReady, ownedPods } from "./replicaset.js";

/** A workload controller's timer: sync this object again. */
export interface WorkloadTimer {
  readonly kind: "workloadSync";
  readonly object: string;
}

/** util/deployment_util.go annotations and the label kube adds to a Deployment's pods. */
export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas";
export const POD_TEMPLATE_HASH_LABEL = "pod-template-hash";
/** Annotations of the Deployment not copied to its ReplicaSets (`annotationsToSkip`). */
const ANNOTATIONS_TO_SKIP = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  "deprecated.deployment.rollback.to",
]);
/** sync.go `maxRevHistoryLengthInChars`. */
const MAX_REVISION_HISTORY_CHARS = 2000;
/** `math.MaxInt32`: a progress deadline or history limit of this value means none. */
const MAX_INT32 = 2_147_483_647;

/** The view of one ReplicaSet during a sync: its spec as this sync leaves it, its status from its pods. */
interface ReplicaSetView {
  readonly key: string;
  workload: Workload;
  /** Undefined for the ReplicaSet this sync creates. */
  readonly record: ObjectState | undefined;
  readonly createdSeq: number;
  replicas: number;
  /** status.replicas: active pods. */
  readonly current: number;
  readonly ready: number;
  readonly available: number;
  /** Pods of any phase still in the cluster, terminating ones included (Recreate waits for them). */
  readonly running: number;
  /** The first tick after the sync's at which a ready pod becomes available (minReadySeconds), if any. */
  readonly nextAvailable?: number;
}

/** What a sync decided: events to emit, its next wake-ups, and the status it computes from. */
class SyncOutput {
  readonly drafts: EventDraft[] = [];
  readonly timers: ControllerTimer<WorkloadTimer>[] = [];
  /** The Progressing condition this sync set on creating or finding the new ReplicaSet. */
  progressing: WorkloadCondition | undefined;
  collisionCount: number | undefined;
}

export function maxSurge(deployment: Workload): number {
  const strategy = deployment.strategy;
  if (strategy?.type !== "RollingUpdate") return 0;
  return resolveFenceposts(deployment).surge;
}

/** `MaxUnavailable`: at most the replicas; 0 for Recreate or no replicas. */
export function maxUnavailable(deployment: Workload): number {
  const strategy = deployment.strategy;
  if (strategy?.type !== "RollingUpdate" || deployment.replicas === 0) return 0;
  return Math.min(resolveFenceposts(deployment).unavailable, deployment.replicas);
}

/** `ResolveFenceposts`: surge rounds up, unavailable down; both 0 → unavailable 1. */
function resolveFenceposts(deployment: Workload): { surge: number; unavailable: number } {
  const strategy = deployment.strategy;
  if (strategy?.type !== "RollingUpdate") return { surge: 0, unavailable: 0 };
  const surge = scaledValue(strategy.maxSurge, deployment.replicas, true);
  const unavailable = scaledValue(strategy.maxUnavailable, deployment.replicas, false);
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

/**
 * The pods of the Deployment's ReplicaSets (for the ReplicaSet controller's same-node ranks);
 * `own`, the ReplicaSet's own pods as its sync already listed them. None if it has no owner.
 */
export function relatedPodsOf(reader: WorkloadReader, replicaSetKey: string, own: readonly PodState[]): PodState[] {
  const record = reader.object(replicaSetKey);
  if (record === undefined) return [];
  const owner = objectOwnerKey(record);
  const ownerRecord = owner === undefined ? undefined : reader.object(owner);
  if (owner === undefined || ownerRecord === undefined) return [];
  const pods: PodState[] = [...own];
  for (const view of replicaSetsOf(reader, owner, ownerRecord, 0)) {
    if (view.record !== undefined && view.key !== replicaSetKey) for (const pod of ownedPods(reader, view.key, view.record)) pods.push(pod);
  }
  return pods;
}

/** The Deployment's ReplicaSets (controller reference with its uid), oldest first, with their status. */
function replicaSetsOf(reader: WorkloadReader, key: string, record: ObjectState, now: number): ReplicaSetView[] {
  const views: ReplicaSetView[] = [];
  for (const rsKey of reader.objectsOwnedBy(key)) {
    const rsRecord = reader.object(rsKey);
    if (rsRecord === undefined || rsRecord.object.kind !== "ReplicaSet") continue;
    if (controllerReference(rsRecord.object.ownerReferences)?.uid !== record.uid) continue;
    const rs = rsRecord.object;
    const counts = reader.ownedCounts(rsRecord.uid);
    if (rs.minReadySeconds === 0) {
      // Available is ready (minReadySeconds 0): the state's counts say it all, no scan of the pods.
      const ready = counts?.ready ?? 0;
      views.push({ key: rsKey, workload: rs, record: rsRecord, createdSeq: rsRecord.createdSeq, replicas: rs.replicas, current: counts?.active ?? 0, ready, available: ready, running: counts?.present ?? 0 });
      continue;
    }
    let current = 0;
    let ready = 0;
    let available = 0;
    let running = 0;
    let nextAvailable: number | undefined;
    for (const pod of ownedPods(reader, rsKey, rsRecord)) {
      if (pod.phase !== "Succeeded" && pod.phase !== "Failed") running++;
      if (!isActive(pod)) continue;
      current++;
      if (!isReady(pod)) continue;
      ready++;
      if (isAvailable(pod, rs.minReadySeconds, now)) available++;
      else nextAvailable = Math.min(nextAvailable ?? Number.POSITIVE_INFINITY, (pod.readySince as number) + rs.minReadySeconds);
    }
    views.push({ key: rsKey, workload: rs, record: rsRecord, createdSeq: rsRecord.createdSeq, replicas: rs.replicas, current, ready, available, running, ...(nextAvailable !== undefined ? { nextAvailable } : {}) });
  }
  // ReplicaSetsByCreationTimestamp (ties by name: seq is unique here).
  return views.sort((a, b) => a.createdSeq - b.createdSeq);
}

const templateKeys = new WeakMap<Pod, string>();

/** The template's canonical text without the hash label (`EqualIgnoreHash`), cached per template object. */
function templateKey(template: Pod): string {
  let key = templateKeys.get(template);
  if (key === undefined) {
    const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...labels } = template.labels;
    key = canonicalJson({ ...template, labels });
    templateKeys.set(template, key);
  }
  return key;
}

function revisionOf(workload: Workload): number {
  const text = workload.annotations[REVISION_ANNOTATION];
  if (text === undefined || text === "") return 0;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : 0;
}

/**
 * One sync of the Deployment at `key`: the events it emits and the timers it wants. `seed` is
 * unused by kube's rules (no randomness in this controller) but kept for the controllers' shape.
 */
export function syncDeployment(reader: WorkloadReader, key: string, now: number, _seed: number): Reaction<WorkloadTimer> {
  const record = reader.object(key);
  if (record === undefined || record.object.kind !== "Deployment") return { drafts: [], timers: [] };
  const deployment = record.object;
  const out = new SyncOutput();
  const all = replicaSetsOf(reader, key, record, now);
  const stored = record.status;
  const wantedKey = templateKey(deployment.template);
  // FindNewReplicaSet: the oldest whose template matches.
  let newRS = all.find((view) => templateKey(view.workload.template) === wantedKey);
  const old = () => all.filter((view) => view !== newRS);

  const pausedCondition = pausedConditionOf(deployment, stored, now);
  if (deployment.paused || isScalingEvent(deployment, all)) {
    if (newRS !== undefined) syncNewReplicaSetAnnotations(deployment, newRS, old(), out, stored, now);
    scale(deployment, newRS, old(), out);
    if (deployment.paused) cleanup(deployment, old(), out);
    writeStatus(deployment, key, record, all, newRS, out, now, false, pausedCondition);
    return out;
  }

  if (deployment.strategy?.type === "Recreate") {
    const activeOld = old().filter((view) => view.replicas > 0);
    if (activeOld.length > 0) {
      for (const view of activeOld) scaleTo(deployment, view, 0, out);
    } else if (!old().some((view) => view.current > 0 || view.running > 0)) {
      newRS ??= createNewReplicaSet(reader, deployment, key, record, all, out, now, deployment.replicas);
      if (newRS !== undefined) {
        syncNewReplicaSetAnnotations(deployment, newRS, old(), out, stored, now);
        scaleTo(deployment, newRS, deployment.replicas, out);
        if (complete(deployment, stored)) cleanup(deployment, old(), out);
      }
    }
    writeStatus(deployment, key, record, all, newRS, out, now, true, pausedCondition);
    return out;
  }

  // RollingUpdate.
  if (newRS === undefined) newRS = createNewReplicaSet(reader, deployment, key, record, all, out, now, undefined);
  else syncNewReplicaSetAnnotations(deployment, newRS, old(), out, stored, now);
  if (newRS !== undefined) {
    const scaledUp = reconcileNewReplicaSet(deployment, all, newRS, out);
    if (!scaledUp) {
      const scaledDown = reconcileOldReplicaSets(deployment, all, old().filter((view) => view.replicas > 0), newRS, out);
      if (!scaledDown && complete(deployment, stored)) cleanup(deployment, old(), out);
    }
  }
  writeStatus(deployment, key, record, all, newRS, out, now, true, pausedCondition);
  return out;
}

/** `isScalingEvent`: an active ReplicaSet was last sized for a different `spec.replicas`. */
function isScalingEvent(deployment: Workload, all: readonly ReplicaSetView[]): boolean {
  for (const view of all) {
    if (view.replicas <= 0) continue;
    const desired = view.workload.annotations[DESIRED_REPLICAS_ANNOTATION];
    if (desired === undefined || !/^-?[0-9]+$/.test(desired)) continue;
    if (Number(desired) !== deployment.replicas) return true;
  }
  return false;
}

/** `NewRSNewReplicas`: how far the new ReplicaSet may grow now. */
function newReplicaSetReplicas(deployment: Workload, all: readonly ReplicaSetView[], newReplicas: number): number {
  if (deployment.strategy?.type !== "RollingUpdate") return deployment.replicas;
  const surge = scaledValue(deployment.strategy.maxSurge, deployment.replicas, true);
  const current = all.reduce((sum, view) => sum + view.replicas, 0);
  const maxTotal = deployment.replicas + surge;
  if (current >= maxTotal) return newReplicas;
  return newReplicas + Math.min(maxTotal - current, deployment.replicas - newReplicas);
}

/** The ReplicaSet's annotations from the Deployment's (`SetNewReplicaSetAnnotations`), or undefined if unchanged. */
function replicaSetAnnotations(deployment: Workload, rs: Workload | undefined, newRevision: number, exists: boolean): Record<string, string> | undefined {
  const annotations: Record<string, string> = { ...(rs?.annotations ?? {}) };
  let changed = false;
  for (const [name, value] of Object.entries(deployment.annotations)) {
    if (ANNOTATIONS_TO_SKIP.has(name) || annotations[name] === value) continue;
    annotations[name] = value;
    changed = true;
  }
  const oldText = annotations[REVISION_ANNOTATION];
  const oldRevision = oldText === undefined || oldText === "" ? 0 : Number(oldText);
  if (!Number.isSafeInteger(oldRevision)) return changed ? annotations : undefined;
  if (oldRevision < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldText !== undefined && oldText !== "") {
      // The revision it had goes to the history (a rollback to this template), oldest dropped past 2,000 characters.
      const history = annotations[REVISION_HISTORY_ANNOTATION];
      let entries = history === undefined || history === "" ? [oldText] : [...history.split(","), oldText];
      while (entries.join(",").length > MAX_REVISION_HISTORY_CHARS && entries.length > 1) entries = entries.slice(1);
      annotations[REVISION_HISTORY_ANNOTATION] = entries.join(",");
    }
  }
  if (!exists) {
    annotations[DESIRED_REPLICAS_ANNOTATION] = String(deployment.replicas);
    annotations[MAX_REPLICAS_ANNOTATION] = String(deployment.replicas + maxSurge(deployment));
  }
  return changed || !exists ? annotations : undefined;
}

/** The existing new ReplicaSet: its revision, copied annotations and minReadySeconds brought up to date. */
function syncNewReplicaSetAnnotations(deployment: Workload, newRS: ReplicaSetView, old: readonly ReplicaSetView[], out: SyncOutput, stored: WorkloadStatus | undefined, now: number): void {
  const newRevision = Math.max(0, ...old.map((view) => revisionOf(view.workload))) + 1;
  const annotations = replicaSetAnnotations(deployment, newRS.workload, newRevision, true);
  const minReadyChanged = newRS.workload.minReadySeconds !== deployment.minReadySeconds;
  if (annotations !== undefined || minReadyChanged) {
    newRS.workload = withManifest({ ...newRS.workload, annotations: annotations ?? newRS.workload.annotations, minReadySeconds: deployment.minReadySeconds });
    out.drafts.push({ type: "ObjectApplied", kind: "ReplicaSet", object: `${newRS.workload.namespace}/${newRS.workload.name}`, spec: newRS.workload });
  }
  if (hasProgressDeadline(deployment) && findCondition(stored, "Progressing") === undefined) {
    out.progressing = condition("Progressing", "True", "FoundNewReplicaSet", `Found new replica set ${JSON.stringify(newRS.workload.name)}`, now, undefined);
  }
}

/**
 * `getNewReplicaSet` with create: a ReplicaSet `<deployment>-<hash>` whose template and selector
 * carry the hash label, owned by the Deployment, at `replicas` (default `NewRSNewReplicas`). A
 * name taken by a ReplicaSet with another template is a hash collision: collisionCount goes up.
 */
function createNewReplicaSet(reader: WorkloadReader, deployment: Workload, key: string, record: ObjectState, all: ReplicaSetView[], out: SyncOutput, now: number, replicas: number | undefined): ReplicaSetView | undefined {
  let collisionCount = record.status?.collisionCount ?? 0;
  let hash: string;
  let name: string;
  for (;;) {
    hash = podTemplateHash(deployment.template, collisionCount);
    // generateReplicaSetName: the Deployment's name cut so the whole is a valid name (253 characters).
    name = `${deployment.name.slice(0, 253 - 1 - hash.length)}-${hash}`;
    const existing = reader.object(stateKey("ReplicaSet", `${deployment.namespace}/${name}`));
    if (existing === undefined) break;
    // Ours with the same template would have been found as the new ReplicaSet: anything else is a collision.
    collisionCount++;
  }
  if (collisionCount !== (record.status?.collisionCount ?? 0)) out.collisionCount = collisionCount;
  const labels = { ...deployment.template.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
  const template: Pod = { ...deployment.template, labels };
  const newRevision = Math.max(0, ...all.map((view) => revisionOf(view.workload))) + 1;
  const draft: Workload = {
    kind: "ReplicaSet",
    namespace: deployment.namespace,
    name,
    labels,
    annotations: {},
    ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: deployment.name, uid: record.uid, controller: true, blockOwnerDeletion: true }],
    replicas: 0,
    selector: { matchLabels: { ...deployment.selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash }, matchExpressions: deployment.selector.matchExpressions },
    minReadySeconds: deployment.minReadySeconds,
    template,
    manifest: {},
  };
  const view: ReplicaSetView = { key: stateKey("ReplicaSet", `${deployment.namespace}/${name}`), workload: draft, record: undefined, createdSeq: Number.MAX_SAFE_INTEGER, replicas: 0, current: 0, ready: 0, available: 0, running: 0 };
  const count = replicas ?? newReplicaSetReplicas(deployment, [...all, view], 0);
  const annotations = replicaSetAnnotations(deployment, undefined, newRevision, false) ?? {};
  view.workload = withManifest({ ...draft, replicas: count, annotations }, deployment);
  view.replicas = count;
  out.drafts.push({ type: "ObjectApplied", kind: "ReplicaSet", object: `${deployment.namespace}/${name}`, spec: view.workload });
  all.push(view);
  if (hasProgressDeadline(deployment)) out.progressing = condition("Progressing", "True", "NewReplicaSetCreated", `Created new replica set ${JSON.stringify(name)}`, now, undefined);
  return view;
}

/** A ReplicaSet's manifest as the API server would hold it, from its fields (the template's spec from the Deployment's manifest). */
function withManifest(rs: Workload, deployment?: Workload): Workload {
  const previous = rs.manifest as { spec?: { template?: { spec?: unknown } } };
  const deploymentSpec = (deployment?.manifest as { spec?: { template?: { spec?: unknown } } } | undefined)?.spec;
  const templateSpec = deploymentSpec?.template?.spec ?? previous.spec?.template?.spec ?? {};
  const metadata: Record<string, unknown> = { name: rs.name, namespace: rs.namespace, labels: rs.labels, annotations: rs.annotations, ownerReferences: rs.ownerReferences };
  const templateMetadata: Record<string, unknown> = { labels: rs.template.labels };
  if (Object.keys(rs.template.annotations).length > 0) templateMetadata["annotations"] = rs.template.annotations;
  return {
    ...rs,
    manifest: {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata,
      spec: { replicas: rs.replicas, minReadySeconds: rs.minReadySeconds, selector: rs.selector, template: { metadata: templateMetadata, spec: templateSpec } },
    },
  };
}

/**
 * Scales a ReplicaSet (`scaleReplicaSet`): its size, and the `desired-replicas` / `max-replicas`
 * annotations brought to the Deployment's current values. Size only → `WorkloadScaled`;
 * annotations too → the ReplicaSet applied whole. Returns whether the size changed.
 */
function scaleTo(deployment: Workload, view: ReplicaSetView, replicas: number, out: SyncOutput, refreshAnnotations = false): boolean {
  const sizeChanged = view.replicas !== replicas;
  if (!sizeChanged && !refreshAnnotations) return false;
  const desired = String(deployment.replicas);
  const max = String(deployment.replicas + maxSurge(deployment));
  const annotationsChanged = view.workload.annotations[DESIRED_REPLICAS_ANNOTATION] !== desired || view.workload.annotations[MAX_REPLICAS_ANNOTATION] !== max;
  const object = `${view.workload.namespace}/${view.workload.name}`;
  if (annotationsChanged) {
    view.workload = withManifest({ ...view.workload, replicas, annotations: { ...view.workload.annotations, [DESIRED_REPLICAS_ANNOTATION]: desired, [MAX_REPLICAS_ANNOTATION]: max } });
    out.drafts.push({ type: "ObjectApplied", kind: "ReplicaSet", object, spec: view.workload });
  } else if (sizeChanged) {
    out.drafts.push({ type: "WorkloadScaled", kind: "ReplicaSet", object, replicas });
    view.workload = withManifest({ ...view.workload, replicas });
  }
  view.replicas = replicas;
  return sizeChanged;
}

/** `reconcileNewReplicaSet`: whether the new ReplicaSet was scaled. */
function reconcileNewReplicaSet(deployment: Workload, all: readonly ReplicaSetView[], newRS: ReplicaSetView, out: SyncOutput): boolean {
  if (newRS.replicas === deployment.replicas) return false;
  if (newRS.replicas > deployment.replicas) return scaleTo(deployment, newRS, deployment.replicas, out);
  return scaleTo(deployment, newRS, newReplicaSetReplicas(deployment, all, newRS.replicas), out);
}

/** `reconcileOldReplicaSets`: unhealthy old replicas first, then old ones within the availability floor. */
function reconcileOldReplicaSets(deployment: Workload, all: readonly ReplicaSetView[], activeOld: ReplicaSetView[], newRS: ReplicaSetView, out: SyncOutput): boolean {
  const oldCount = activeOld.reduce((sum, view) => sum + view.replicas, 0);
  if (oldCount === 0) return false;
  const allCount = all.reduce((sum, view) => sum + view.replicas, 0);
  const minAvailable = deployment.replicas - maxUnavailable(deployment);
  const newUnavailable = newRS.replicas - newRS.available;
  const maxScaledDown = allCount - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  // cleanupUnhealthyReplicas: oldest first, each down by its unavailable replicas, within maxScaledDown.
  let cleaned = 0;
  for (const view of activeOld) {
    if (cleaned >= maxScaledDown) break;
    if (view.replicas === 0 || view.replicas === view.available) continue;
    const count = Math.min(maxScaledDown - cleaned, view.replicas - view.available);
    scaleTo(deployment, view, view.replicas - count, out);
    cleaned += count;
  }
  // scaleDownOldReplicaSetsForRollingUpdate: bounded by availability only.
  const availableCount = all.reduce((sum, view) => sum + view.available, 0);
  let scaledDown = 0;
  if (availableCount > minAvailable) {
    const total = availableCount - minAvailable;
    for (const view of activeOld) {
      if (scaledDown >= total) break;
      if (view.replicas === 0) continue;
      const count = Math.min(view.replicas, total - scaledDown);
      scaleTo(deployment, view, view.replicas - count, out);
      scaledDown += count;
    }
  }
  return cleaned + scaledDown > 0;
}

/**
 * `scale`: a Deployment resized mid-rollout (or paused). One active ReplicaSet (or none) takes
 * the new size; otherwise the difference to `replicas + maxSurge` is shared in proportion to
 * each one's size (`GetReplicaSetProportion`), the rest to the largest. Every active ReplicaSet's
 * annotations are brought up to date.
 */
function scale(deployment: Workload, newRS: ReplicaSetView | undefined, old: readonly ReplicaSetView[], out: SyncOutput): void {
  const active = [...old, ...(newRS ? [newRS] : [])].filter((view) => view.replicas > 0);
  if (active.length <= 1) {
    // FindActiveOrLatest: the one active, else the new one, else the newest old one.
    const target = active[0] ?? newRS ?? [...old].sort((a, b) => b.createdSeq - a.createdSeq)[0];
    if (target !== undefined && target.replicas !== deployment.replicas) scaleTo(deployment, target, deployment.replicas, out, true);
    return;
  }
  if (newRS !== undefined && saturated(deployment, newRS)) {
    for (const view of old) if (view.replicas > 0) scaleTo(deployment, view, 0, out, true);
    return;
  }
  if (deployment.strategy?.type !== "RollingUpdate") return;
  const total = active.reduce((sum, view) => sum + view.replicas, 0);
  const allowed = deployment.replicas > 0 ? deployment.replicas + maxSurge(deployment) : 0;
  const toAdd = allowed - total;
  // Largest first; ties: newer first when adding (ReplicaSetsBySizeNewer), older first when removing.
  const sorted = [...active].sort((a, b) => b.replicas - a.replicas || (toAdd > 0 ? b.createdSeq - a.createdSeq : a.createdSeq - b.createdSeq));
  const sizes = new Map<ReplicaSetView, number>();
  let added = 0;
  for (const view of sorted) {
    if (toAdd !== 0) {
      const proportion = replicaSetProportion(deployment, view, toAdd, added);
      sizes.set(view, view.replicas + proportion);
      added += proportion;
    } else {
      sizes.set(view, view.replicas);
    }
  }
  sorted.forEach((view, index) => {
    let size = sizes.get(view) as number;
    if (index === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    scaleTo(deployment, view, size, out, true);
  });
}

/** `GetReplicaSetProportion` / `getReplicaSetFraction`, with RoundToInt32 (half away from zero). */
function replicaSetProportion(deployment: Workload, view: ReplicaSetView, toAdd: number, added: number): number {
  if (view.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (deployment.replicas === 0) fraction = -view.replicas;
  else {
    const deploymentMax = deployment.replicas + maxSurge(deployment);
    const annotated = Number(view.workload.annotations[MAX_REPLICAS_ANNOTATION] ?? "");
    const before = Number.isInteger(annotated) && annotated > 0 ? annotated : 0;
    if (before === 0) return 0;
    const exact = (view.replicas * deploymentMax) / before;
    fraction = (exact >= 0 ? Math.floor(exact + 0.5) : Math.ceil(exact - 0.5)) - view.replicas;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** `IsSaturated`: the new ReplicaSet holds every replica, sized for them, all available. */
function saturated(deployment: Workload, newRS: ReplicaSetView): boolean {
  return newRS.replicas === deployment.replicas && newRS.workload.annotations[DESIRED_REPLICAS_ANNOTATION] === String(deployment.replicas) && newRS.available === deployment.replicas;
}

/** `DeploymentComplete` on a status: every replica updated and available, none old. */
function complete(deployment: Workload, status: WorkloadStatus | undefined): boolean {
  return status !== undefined && status.updatedReplicas === deployment.replicas && status.replicas === deployment.replicas && status.availableReplicas === deployment.replicas;
}

/** `cleanupDeployment`: old ReplicaSets past `revisionHistoryLimit`, lowest revision first, if empty. */
function cleanup(deployment: Workload, old: readonly ReplicaSetView[], out: SyncOutput): void {
  const limit = deployment.revisionHistoryLimit ?? 10;
  if (limit === MAX_INT32) return;
  const cleanable = old.filter((view) => view.record !== undefined);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  cleanable.sort((a, b) => revisionOf(a.workload) - revisionOf(b.workload) || a.createdSeq - b.createdSeq);
  for (const view of cleanable.slice(0, diff)) {
    if (view.current !== 0 || view.replicas !== 0) continue;
    out.drafts.push({ type: "ObjectDeleted", kind: "ReplicaSet", object: `${view.workload.namespace}/${view.workload.name}`, propagation: "Background" });
  }
}

function hasProgressDeadline(deployment: Workload): boolean {
  return deployment.progressDeadlineSeconds !== undefined && deployment.progressDeadlineSeconds !== MAX_INT32;
}

function findCondition(status: WorkloadStatus | undefined, type: WorkloadCondition["type"]): WorkloadCondition | undefined {
  return status?.conditions.find((item) => item.type === type);
}

function condition(type: WorkloadCondition["type"], status: WorkloadCondition["status"], reason: string, message: string, now: number, previous: WorkloadCondition | undefined): WorkloadCondition {
  // SetDeploymentCondition keeps the transition time while the status stays the same.
  const lastTransitionTime = previous !== undefined && previous.status === status ? previous.lastTransitionTime : now;
  return { type, status, reason, message, lastUpdateTime: now, lastTransitionTime };
}

/** `checkPausedConditions`: Progressing=Unknown DeploymentPaused / DeploymentResumed, or undefined. */
function pausedConditionOf(deployment: Workload, stored: WorkloadStatus | undefined, now: number): WorkloadCondition | undefined {
  if (!hasProgressDeadline(deployment)) return undefined;
  const current = findCondition(stored, "Progressing");
  if (current?.reason === "ProgressDeadlineExceeded") return undefined;
  const pausedSet = current?.reason === "DeploymentPaused";
  if (deployment.paused && !pausedSet) return condition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now, current);
  if (!deployment.paused && pausedSet) return condition("Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed", now, current);
  return undefined;
}

/** Sets a condition on a list (`SetDeploymentCondition`): unchanged when its status and reason are. */
function setCondition(conditions: WorkloadCondition[], next: WorkloadCondition): void {
  const index = conditions.findIndex((item) => item.type === next.type);
  if (index >= 0) {
    const current = conditions[index] as WorkloadCondition;
    if (current.status === next.status && current.reason === next.reason) return;
    conditions.splice(index, 1);
  }
  conditions.push(next);
}

/**
 * `calculateStatus` and `syncRolloutStatus` (`rollout`: the progress evaluation a rollout runs;
 * a pause or scaling sync only recomputes). Emits the status when it changed; asks to run again
 * when a ready pod becomes available and one second after the progress deadline.
 */
function writeStatus(
  deployment: Workload, key: string, record: ObjectState, all: readonly ReplicaSetView[], newRS: ReplicaSetView | undefined,
  out: SyncOutput, now: number, rollout: boolean, pausedCondition: WorkloadCondition | undefined,
): void {
  const stored = record.status;
  const available = all.reduce((sum, view) => sum + view.available, 0);
  const specTotal = all.reduce((sum, view) => sum + view.replicas, 0);
  const conditions: WorkloadCondition[] = [...(stored?.conditions ?? [])];
  if (out.progressing !== undefined) setCondition(conditions, out.progressing);
  if (pausedCondition !== undefined) setCondition(conditions, pausedCondition);
  const minimum = available >= deployment.replicas - maxUnavailable(deployment);
  setCondition(conditions, minimum
    ? condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now, findCondition(stored, "Available"))
    : condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now, findCondition(stored, "Available")));
  const collisionCount = out.collisionCount ?? stored?.collisionCount;
  const base = {
    replicas: all.reduce((sum, view) => sum + view.current, 0),
    updatedReplicas: newRS?.current ?? 0,
    readyReplicas: all.reduce((sum, view) => sum + view.ready, 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specTotal - available),
  };
  if (!hasProgressDeadline(deployment)) {
    const index = conditions.findIndex((item) => item.type === "Progressing");
    if (index >= 0) conditions.splice(index, 1);
  } else if (rollout && !deployment.paused) {
    const current = conditions.find((item) => item.type === "Progressing");
    const completeNow = base.replicas === base.updatedReplicas && current?.reason === "NewReplicaSetAvailable";
    if (!completeNow) {
      const subject = newRS !== undefined ? `ReplicaSet ${JSON.stringify(newRS.workload.name)}` : `Deployment ${JSON.stringify(deployment.name)}`;
      const statusNow = { ...base, conditions };
      if (complete(deployment, statusNow)) {
        setCondition(conditions, condition("Progressing", "True", "NewReplicaSetAvailable", `${subject} has successfully progressed.`, now, current));
      } else if (progressed(stored, base)) {
        // DeploymentProgressing: the condition is replaced, so its update time moves (its transition time stays while True).
        const index = conditions.findIndex((item) => item.type === "Progressing");
        if (index >= 0) conditions.splice(index, 1);
        const transition = current !== undefined && current.status === "True" ? current.lastTransitionTime : now;
        conditions.push({ type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: `${subject} is progressing.`, lastUpdateTime: now, lastTransitionTime: transition });
      } else if (current !== undefined && timedOut(deployment, current, now)) {
        setCondition(conditions, condition("Progressing", "False", "ProgressDeadlineExceeded", `${subject} has timed out progressing.`, now, current));
      }
    }
  }
  const status: WorkloadStatus = { ...base, conditions, ...(collisionCount !== undefined ? { collisionCount } : {}) };
  if (stored === undefined || !sameStatus(stored, status)) {
    out.drafts.push({ type: "WorkloadStatusChanged", kind: "Deployment", object: `${deployment.namespace}/${deployment.name}`, status });
  }
  // requeueStuckDeployment: one second after the deadline, while not complete nor timed out.
  const progressing = conditions.find((item) => item.type === "Progressing");
  if (hasProgressDeadline(deployment) && progressing !== undefined && progressing.reason !== "ProgressDeadlineExceeded" && !complete(deployment, status)) {
    const at = progressing.lastUpdateTime + (deployment.progressDeadlineSeconds as number) + 1;
    if (at > now) out.timers.push({ at, payload: { kind: "workloadSync", object: key } });
  }
  // A ready pod becomes available minReadySeconds after it became ready: look again then.
  let next: number | undefined;
  for (const view of all) if (view.nextAvailable !== undefined) next = Math.min(next ?? view.nextAvailable, view.nextAvailable);
  if (next !== undefined) out.timers.push({ at: next, payload: { kind: "workloadSync", object: key } });
}

function sameStatus(a: WorkloadStatus, b: WorkloadStatus): boolean {
  if (a.replicas !== b.replicas || a.updatedReplicas !== b.updatedReplicas || a.readyReplicas !== b.readyReplicas || a.availableReplicas !== b.availableReplicas) return false;
  if (a.unavailableReplicas !== b.unavailableReplicas || a.collisionCount !== b.collisionCount || a.conditions.length !== b.conditions.length) return false;
  return a.conditions.every((condition, index) => {
    const other = b.conditions[index] as WorkloadCondition;
    return condition.type === other.type && condition.status === other.status && condition.reason === other.reason && condition.message === other.message &&
      condition.lastUpdateTime === other.lastUpdateTime && condition.lastTransitionTime === other.lastTransitionTime;
  });
}

/** `DeploymentProgressing`: more updated, ready or available replicas, or fewer old ones, than the stored status. */
function progressed(stored: WorkloadStatus | undefined, next: Omit<WorkloadStatus, "conditions">): boolean {
  if (stored === undefined) return next.updatedReplicas > 0 || next.readyReplicas > 0 || next.availableReplicas > 0;
  const oldBefore = stored.replicas - stored.updatedReplicas;
  const oldNow = next.replicas - next.updatedReplicas;
  return next.updatedReplicas > stored.updatedReplicas || oldNow < oldBefore || next.readyReplicas > stored.readyReplicas || next.availableReplicas > stored.availableReplicas;
}

/** `DeploymentTimedOut`: the last progress is older than the deadline. */
function timedOut(deployment: Workload, progressing: WorkloadCondition, now: number): boolean {
  if (progressing.reason === "NewReplicaSetAvailable") return false;
  if (progressing.reason === "ProgressDeadlineExceeded") return true;
  return progressing.lastUpdateTime + (deployment.progressDeadlineSeconds as number) < now;
}
