/**
 * The DaemonSet controller (kube v1.35 pkg/controller/daemon: daemon_controller.go, update.go,
 * util/daemonset_util.go). A sync (`syncDaemonSet`) does kube's `manage` — for each node, the
 * pods it should have — then, for RollingUpdate, `rollingUpdate` — which old pods to replace:
 *
 * | rule | kube |
 * |------|------|
 * | where a pod should run | `NodeShouldRunDaemonPod`: the template's `nodeName` (if set), its nodeSelector and required node affinity, and the node's NoSchedule/NoExecute taints against its tolerations (with the daemon tolerations below). A node whose only problem is an untolerated NoSchedule taint keeps the pod it has (`shouldContinueRunning`); an untolerated NoExecute taint removes it |
 * | per node (`podsShouldBeOnNode`) | none and it should run → create one; several running → keep the oldest (scheduled first), delete the rest (with surge: keep the oldest new and the oldest old, and delete the old once it is not ready or the new one is available); it should not run (an untolerated NoExecute taint, a selector that no longer matches) → delete them; a Succeeded pod → delete; a Failed pod → delete (kube backs off 1 s doubling to 15 min per node; here it is deleted once it has been Failed a whole tick, so the replacement comes a tick later, not in a loop) |
 * | the pod | generateName `<ds>-`; the template's tolerations plus `node.kubernetes.io/not-ready` and `unreachable` (NoExecute, no tolerationSeconds), `disk-pressure`, `memory-pressure`, `pid-pressure`, `unschedulable` (NoSchedule), and `network-unavailable` (NoSchedule) with hostNetwork; its required node affinity replaced by `matchFields metadata.name In [node]`; label `controller-revision-hash` |
 * | burst | at most 250 creations and 250 deletions per sync (`BurstReplicas`) |
 * | when the update step runs | only in a sync where the manage step created and deleted nothing (kube: its expectations still satisfied) |
 * | RollingUpdate, maxSurge 0 | `maxUnavailable` (default 1; a percent of the nodes that should run a pod, rounded up): old pods are deleted while fewer than that are unavailable; unavailable old pods always are; the manage step then creates their replacements |
 * | RollingUpdate, maxSurge > 0 | a new pod is created beside an old one (at most maxSurge at once; at once where the old one is unavailable); the old one is deleted when the new one is available |
 * | OnDelete | nothing is replaced until deleted |
 *
 * Pods go through the scheduler, as since kube 1.12 (`ScheduleDaemonSetPods`): the node affinity
 * binds each to its node, and the tolerations let it past cordons and pressure taints. Node
 * order is the nodes' names (kube iterates a map, in random order, where this chooses).
 */
import type { EventDraft } from "../events/events.js";
import type { ObjectState } from "../cluster/objects.js";
import type { NodeState, PodState } from "../cluster/state.js";
import type { Node, NodeAffinity, NodeSelectorTerm, Toleration } from "../model/node.js";
import type { Pod } from "../model/pod.js";
import { generatedName, podTemplateHash, scaledValue, type Workload } from "../model/workload.js";
import { requiredMatches } from "../scheduler/plugins/nodeaffinity/index.js";
import { toleratedBy } from "../scheduler/plugins/tainttoleration/index.js";
import type { ControllerTimer, Reaction, WorkloadReader } from "./controller.js";
import { byCreation, isAvailable, isReady, ownedPods, podFromTemplate } from "./replicaset.js";
import { deletionGrace } from "./garbage-collector.js";
import type { WorkloadTimer } from "./deployment.js";

/** daemon_controller.go `BurstReplicas`. */
export const DAEMON_BURST_REPLICAS = 250;
/** The label a daemon pod's template revision is in (apps.ControllerRevisionHashLabelKey). */
export const CONTROLLER_REVISION_HASH = "controller-revision-hash";

/** util.AddOrUpdateDaemonPodTolerations: what every daemon pod tolerates (NoExecute ones without tolerationSeconds: forever). */
const DAEMON_TOLERATIONS: readonly Toleration[] = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
];
const NETWORK_UNAVAILABLE: Toleration = { key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" };

/** The template with the daemon tolerations added (a toleration of the same key and effect is replaced, as kube's helper does). */
export function daemonTolerations(template: Pod): Toleration[] {
  const added = template.hostNetwork === true ? [...DAEMON_TOLERATIONS, NETWORK_UNAVAILABLE] : DAEMON_TOLERATIONS;
  const kept = template.tolerations.filter((toleration) => !added.some((daemon) => daemon.key === toleration.key && daemon.effect === toleration.effect));
  return [...kept, ...added];
}

/** util.ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become `metadata.name In [node]`; preferred ones stay. */
export function daemonAffinity(affinity: NodeAffinity | undefined, node: string): NodeAffinity {
  const term: NodeSelectorTerm = { matchExpressions: [], matchFields: [{ key: "metadata.name", operator: "In", values: [node] }] };
  return { preferred: affinity?.preferred ?? [], required: [term] };
}

/** The node a daemon pod is for: where it is bound, else the node its affinity names (util.GetTargetNodeName). */
export function targetNode(pod: PodState): string | undefined {
  if (pod.node !== undefined) return pod.node;
  if (pod.pod.nodeName !== undefined) return pod.pod.nodeName;
  for (const term of pod.pod.nodeAffinity?.required ?? []) {
    for (const field of term.matchFields) if (field.key === "metadata.name" && field.operator === "In" && field.values.length === 1) return field.values[0];
  }
  return undefined;
}

/** `NodeShouldRunDaemonPod`: [shouldRun, shouldContinueRunning]. */
export function shouldRunOn(ds: Workload, node: Node): readonly [boolean, boolean] {
  const template = ds.template;
  if (template.nodeName !== undefined && template.nodeName !== node.name) return [false, false];
  if (!requiredMatches(template, node)) return [false, false];
  const tolerations = daemonTolerations(template);
  const untolerated = node.taints.filter((taint) => !toleratedBy(taint, tolerations));
  if (untolerated.some((taint) => taint.effect === "NoSchedule" || taint.effect === "NoExecute")) {
    return [false, !untolerated.some((taint) => taint.effect === "NoExecute")];
  }
  return [true, true];
}

const revisions = new WeakMap<Workload, string>();

/** The DaemonSet's current template revision: the hash its pods are labelled with (computed once per object). */
export function daemonRevision(ds: Workload): string {
  let hash = revisions.get(ds);
  if (hash === undefined) revisions.set(ds, (hash = podTemplateHash(ds.template)));
  return hash;
}

/**
 * Whether the DaemonSet is rolling out: some active pod of it does not carry the current
 * revision (from the state's owner counts, without listing its pods). While it is, every change
 * of one of its pods needs a full sync (the update step counts unavailability over all nodes);
 * otherwise only that pod's node does.
 */
export function daemonSetRollingOut(reader: WorkloadReader, record: ObjectState): boolean {
  if (record.object.kind !== "DaemonSet") return false;
  const counts = reader.ownedCounts(record.uid);
  return (counts?.active ?? 0) !== (counts?.revisions.get(daemonRevision(record.object)) ?? 0);
}

function isUpdated(pod: PodState, hash: string): boolean {
  return pod.pod.labels[CONTROLLER_REVISION_HASH] === hash;
}

/** The pod for `node`, from the DaemonSet's template. */
function daemonPod(ds: Workload, record: ObjectState, node: string, name: string, hash: string): Pod {
  const pod = podFromTemplate(ds, record, name);
  return {
    ...pod,
    labels: { ...pod.labels, [CONTROLLER_REVISION_HASH]: hash },
    tolerations: daemonTolerations(ds.template),
    nodeAffinity: daemonAffinity(ds.template.nodeAffinity, node),
  };
}

/** The DaemonSet's pods by the node they are for; pods for no node at all under "". */
function podsByNode(reader: WorkloadReader, key: string, record: ObjectState): Map<string, PodState[]> {
  const byNode = new Map<string, PodState[]>();
  for (const pod of ownedPods(reader, key, record).sort(byCreation)) {
    const node = targetNode(pod) ?? "";
    const list = byNode.get(node);
    if (list === undefined) byNode.set(node, [pod]);
    else list.push(pod);
  }
  return byNode;
}

/**
 * One sync of the DaemonSet at `key`. `onlyNodes`: when only these nodes changed (a node joined,
 * was tainted …), the manage step looks at them alone; otherwise (the object, one of its pods or
 * a timer woke it) at every node, and a rolling update is carried on.
 */
export function syncDaemonSet(reader: WorkloadReader, key: string, now: number, seed: number, onlyNodes?: readonly string[]): Reaction<WorkloadTimer> {
  const record = reader.object(key);
  if (record === undefined || record.object.kind !== "DaemonSet") return { drafts: [], timers: [] };
  const ds = record.object;
  const hash = daemonRevision(ds);
  const byNode = podsByNode(reader, key, record);
  const nodeNames = onlyNodes ?? [...new Set([...reader.nodeNames(), ...byNode.keys()])].sort();
  const toCreate: string[] = [];
  const toDelete: PodState[] = [];
  const timers: ControllerTimer<WorkloadTimer>[] = [];
  const surge = ds.updateStrategy?.type === "RollingUpdate" && scaledValue(ds.updateStrategy.maxSurge, 1, true) > 0;
  for (const name of nodeNames) {
    const node = reader.node(name);
    const pods = byNode.get(name) ?? [];
    if (node === undefined) {
      // A pod for a node that does not exist (gone, or never there): kube deletes unscheduled ones (getUnscheduledPodsWithoutNode).
      for (const pod of pods) if (pod.node === undefined && pod.deletionDeadline === undefined) toDelete.push(pod);
      continue;
    }
    manageNode(ds, node, pods, hash, surge, now, toCreate, toDelete, timers, key);
  }
  // updateDaemonSet: the rolling update runs only when manage had nothing to do (kube: expectations still satisfied).
  if (onlyNodes === undefined && ds.updateStrategy?.type === "RollingUpdate" && toCreate.length === 0 && toDelete.length === 0) {
    rollingUpdate(reader, ds, byNode, hash, now, toCreate, toDelete, timers, key);
  }
  const drafts: EventDraft[] = [];
  // syncNodes: deletions and creations, each at most 250.
  const deleted = new Set<string>();
  for (const pod of toDelete) {
    const podKey = `${pod.pod.namespace}/${pod.pod.name}`;
    if (deleted.has(podKey) || deleted.size >= DAEMON_BURST_REPLICAS) continue;
    deleted.add(podKey);
    drafts.push({ type: "PodDeleted", pod: podKey, gracePeriodSeconds: deletionGrace(pod) });
  }
  const taken = new Set<string>();
  let n = record.podsCreated;
  for (const node of [...new Set(toCreate)].slice(0, DAEMON_BURST_REPLICAS)) {
    let name: string;
    do name = generatedName(`${ds.name}-`, seed, key, n++);
    while (taken.has(name) || reader.pod(`${ds.namespace}/${name}`) !== undefined);
    taken.add(name);
    drafts.push({ type: "PodCreated", pod: `${ds.namespace}/${name}`, spec: daemonPod(ds, record, node, name, hash) });
  }
  return { drafts, timers };
}

/** podsShouldBeOnNode: what one node needs. */
function manageNode(
  ds: Workload, node: NodeState, pods: readonly PodState[], hash: string, surge: boolean, now: number,
  toCreate: string[], toDelete: PodState[], timers: ControllerTimer<WorkloadTimer>[], key: string,
): void {
  const [shouldRun, shouldContinueRunning] = shouldRunOn(ds, node.node);
  if (shouldRun && pods.length === 0) {
    toCreate.push(node.node.name);
    return;
  }
  if (!shouldContinueRunning) {
    for (const pod of pods) if (pod.deletionDeadline === undefined) toDelete.push(pod);
    return;
  }
  const running: PodState[] = [];
  for (const pod of pods) {
    if (pod.deletionDeadline !== undefined) continue;
    if (pod.phase === "Failed") {
      // kube's failedPodsBackoff, simplified: replaced once it has been Failed for a tick.
      if ((pod.finishedAt ?? now) < now) toDelete.push(pod);
      else timers.push({ at: now + 1, payload: { kind: "workloadSync", object: key } });
    } else if (pod.phase === "Succeeded") {
      toDelete.push(pod);
    } else {
      running.push(pod);
    }
  }
  // podByCreationTimestampAndPhase: scheduled pods first, then the oldest, then by name.
  running.sort((a, b) => Number(a.node === undefined) - Number(b.node === undefined) || a.createdSeq - b.createdSeq || a.pod.name.localeCompare(b.pod.name));
  if (!surge) {
    // Keep the oldest, delete the rest.
    for (const pod of running.slice(1)) toDelete.push(pod);
    return;
  }
  // With surge: at least one pod; the oldest updated pod and the oldest old one stay, and the old
  // one goes once it is not ready or the new one is available.
  if (running.length === 0) {
    if (shouldRun) toCreate.push(node.node.name);
    return;
  }
  let newPod: PodState | undefined;
  let oldPod: PodState | undefined;
  for (const pod of running) {
    if (isUpdated(pod, hash) && newPod === undefined) newPod = pod;
    else if (!isUpdated(pod, hash) && oldPod === undefined) oldPod = pod;
    else toDelete.push(pod);
  }
  if (newPod !== undefined && oldPod !== undefined && (!isReady(oldPod) || isAvailable(newPod, ds.minReadySeconds, now))) toDelete.push(oldPod);
}

/** findUpdatedPodsOnNode: the node's one new and one old pod (not terminating), or undefined if it has more. */
function updatedOnNode(pods: readonly PodState[], hash: string): { newPod?: PodState; oldPod?: PodState } | undefined {
  let newPod: PodState | undefined;
  let oldPod: PodState | undefined;
  for (const pod of pods) {
    if (pod.deletionDeadline !== undefined) continue;
    if (isUpdated(pod, hash)) {
      if (newPod !== undefined) return undefined;
      newPod = pod;
    } else {
      if (oldPod !== undefined) return undefined;
      oldPod = pod;
    }
  }
  return { ...(newPod ? { newPod } : {}), ...(oldPod ? { oldPod } : {}) };
}

/** update.go `rollingUpdate`: old pods to delete, and (with surge) nodes to create new pods on. */
function rollingUpdate(
  reader: WorkloadReader, ds: Workload, byNode: ReadonlyMap<string, PodState[]>, hash: string, now: number,
  toCreate: string[], toDelete: PodState[], timers: ControllerTimer<WorkloadTimer>[], key: string,
): void {
  if (ds.updateStrategy?.type !== "RollingUpdate") return;
  const strategy = ds.updateStrategy;
  // updatedDesiredNodeCounts: how many nodes should run a pod, and the budgets (percents round up; both 0 → 1 unavailable).
  let desired = 0;
  for (const name of reader.nodeNames()) {
    const node = reader.node(name) as NodeState;
    if (shouldRunOn(ds, node.node)[0]) desired++;
  }
  const maxSurge = scaledValue(strategy.maxSurge, desired, true);
  let maxUnavailable = scaledValue(strategy.maxUnavailable, desired, true);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  const available = (pod: PodState) => isAvailable(pod, ds.minReadySeconds, now);
  const nodes = [...byNode.keys()].filter((name) => name !== "").sort();
  // A pod that will be available later: look again then.
  for (const name of nodes) {
    for (const pod of byNode.get(name) ?? []) {
      if (pod.readySince !== undefined && !available(pod) && pod.phase === "Running") timers.push({ at: pod.readySince + ds.minReadySeconds, payload: { kind: "workloadSync", object: key } });
    }
  }
  if (maxSurge === 0) {
    let unavailable = 0;
    const replacements: PodState[] = [];
    const candidates: PodState[] = [];
    for (const name of nodes) {
      const found = updatedOnNode(byNode.get(name) ?? [], hash);
      if (found === undefined) {
        unavailable++;
        continue;
      }
      const { newPod, oldPod } = found;
      if ((oldPod === undefined && newPod === undefined) || (oldPod !== undefined && newPod !== undefined)) unavailable++;
      else if (newPod !== undefined) {
        if (!available(newPod)) unavailable++;
      } else if (oldPod !== undefined) {
        if (!available(oldPod)) {
          replacements.push(oldPod);
          unavailable++;
        } else if (unavailable < maxUnavailable) {
          candidates.push(oldPod);
        }
      }
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    toDelete.push(...replacements, ...candidates.slice(0, remaining));
    return;
  }
  const oldToDelete: PodState[] = [];
  const shouldNotRun: PodState[] = [];
  const candidateNodes: string[] = [];
  const allowedNodes: string[] = [];
  let surging = 0;
  let numAvailable = 0;
  for (const name of nodes) {
    const found = updatedOnNode(byNode.get(name) ?? [], hash);
    if (found === undefined) {
      surging++;
      continue;
    }
    const { newPod, oldPod } = found;
    if (oldPod !== undefined ? available(oldPod) : newPod !== undefined && available(newPod)) numAvailable++;
    if (oldPod === undefined) continue;
    const node = reader.node(name);
    const runs = node !== undefined && shouldRunOn(ds, node.node)[0];
    if (newPod === undefined) {
      if (!available(oldPod)) {
        if (!runs) oldToDelete.push(oldPod);
        else allowedNodes.push(name);
      } else if (!runs) {
        shouldNotRun.push(oldPod);
      } else if (surging < maxSurge) {
        candidateNodes.push(name);
      }
    } else if (!available(newPod)) {
      surging++;
    } else {
      oldToDelete.push(oldPod);
    }
  }
  // With surge, a pod on a node that should no longer run one goes only as others become available.
  const deletable = Math.min(Math.max(0, numAvailable - desired), shouldNotRun.length);
  oldToDelete.push(...shouldNotRun.slice(0, deletable));
  const remaining = Math.min(Math.max(0, maxSurge - surging), candidateNodes.length);
  toDelete.push(...oldToDelete);
  toCreate.push(...allowedNodes, ...candidateNodes.slice(0, remaining));
}

/** A DaemonSet's status (updateDaemonSetStatus), computed from the nodes and its pods: what `get daemonsets` shows. */
export interface DaemonSetStatus {
  readonly desiredNumberScheduled: number;
  readonly currentNumberScheduled: number;
  readonly numberMisscheduled: number;
  readonly numberReady: number;
  readonly updatedNumberScheduled: number;
  readonly numberAvailable: number;
  readonly numberUnavailable: number;
}

/**
 * kube's counters, each over the nodes: desired (it should run there), current (it should and has
 * a pod), misscheduled (it should not and has one), and of the oldest pod on each node that should
 * run one — scheduled first, then by creation — ready, available and up to date.
 */
export function daemonSetStatus(ds: Workload, nodes: readonly Node[], pods: readonly PodState[], now: number): DaemonSetStatus {
  const hash = daemonRevision(ds);
  const byNode = new Map<string, PodState[]>();
  for (const pod of pods) {
    const node = targetNode(pod);
    if (node === undefined) continue;
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const node of nodes) {
    const onNode = (byNode.get(node.name) ?? []).sort((a, b) => Number(a.node === undefined) - Number(b.node === undefined) || a.createdSeq - b.createdSeq);
    const [shouldRun] = shouldRunOn(ds, node);
    if (!shouldRun) {
      if (onNode.length > 0) misscheduled++;
      continue;
    }
    desired++;
    const oldest = onNode[0];
    if (oldest === undefined) continue;
    current++;
    if (isReady(oldest)) {
      ready++;
      if (isAvailable(oldest, ds.minReadySeconds, now)) available++;
    }
    if (isUpdated(oldest, hash)) updated++;
  }
  return {
    desiredNumberScheduled: desired, currentNumberScheduled: current, numberMisscheduled: misscheduled, numberReady: ready,
    updatedNumberScheduled: updated, numberAvailable: available, numberUnavailable: desired - available,
  };
}
