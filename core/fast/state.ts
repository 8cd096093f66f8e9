/**
 * The fast engine's cluster state (DESIGN.md "Purity and state"): the same facts as the
 * reference engine's `ClusterState` — the same `PodState`, `NodeState` and `QueuedPod` records —
 * kept in persistent vectors indexed by interned ids instead of records copied whole.
 *
 * - A `FastState` is sealed: it never changes. `fastReduce(sealed, event)` (reduce.ts) returns a
 *   new one that shares everything the event did not touch.
 * - A `Transient` is one batch's state, owned by the engine: its writes change in place the
 *   vector nodes it already copied in this batch. `seal()` ends the batch.
 * - Names are interned in a table shared by every state of a run and only ever appended to, so an
 *   old state never sees a change: a name it does not know has no record in it.
 * - Accelerators (the queue's heaps, the node order and the free-capacity index, image counts)
 *   are derived from the facts and mutable. One state owns them at a time — the newest of a run,
 *   handed from state to transient to state. Any other state asked a question that needs them
 *   builds its own from its facts first (O(n), once): forks and time travel pay, the run does not.
 *
 * `materialize` turns a fast state into the reference's `ClusterState`: tests compare the two
 * engines with it, and commands that print whole states use it.
 */
import type { Pod, PodKey } from "../model/pod.js";
import type { Service } from "../model/policy.js";
import type { Node } from "../model/node.js";
import { HOSTNAME_LABEL } from "../model/manifest.js";
import type { LabelSelector } from "../model/workload.js";
import { defaultSelector, ZONE_LABEL, type SpreadOwners } from "../scheduler/plugins/podtopologyspread/defaults.js";
import type { QueuedPod } from "../scheduler/queue.js";
import type { ClusterView, Decision } from "../scheduler/policies.js";
import type { Budget } from "../scheduler/preemption.js";
import { pickNextPod } from "../scheduler/firstfit.js";
import { FailurePasses } from "./failure-pass.js";
import { addPart, controllerKeyOf, countsOf, isWorkload, objectOwnerKey, type ObjectState, type OwnedCounts, type OwnedPart } from "../cluster/objects.js";
import { terminatedRank, DEFAULT_OPTIONS, type ClusterState, type EngineOptions, type NodeState, type PodState } from "../cluster/state.js";
import { CapacityIndex, type SlotCapacity } from "../state/capacity-index.js";
import { nodeInfoOf } from "../scheduler/framework/snapshot.js";
import { countsForAffinity, countsForSpread, domainCounts, keptSpread, SpreadCounts } from "./spread-counts.js";
import { AffinityCounts } from "./affinity-counts.js";
import type { AffinityCounter } from "../scheduler/plugins/interpodaffinity/index.js";
import type { DomainCounter } from "../scheduler/plugins/podtopologyspread/index.js";
import { nodeTieHash } from "../scheduler/framework/tiebreak.js";
import type { NodeInfo } from "../scheduler/framework/types.js";
import { Names } from "../state/names.js";
import { NumericHeap } from "../state/heap.js";
import { Edit, PVec } from "./pvec.js";
import { QueueIndex } from "./queue-index.js";
import { EMPTY_FAST_TREE, toNodeTree, treeOrder, type FastTree, type TreeOwnership, type ZoneMembers } from "./zones.js";

export { Names } from "../state/names.js";

/** The facts of a state: what `materialize` turns into the reference's records. */
export interface Facts {
  readonly options: EngineOptions;
  readonly t: number;
  readonly seq: number;
  readonly nextStartNodeIndex: number;
  readonly podNames: Names;
  readonly nodeNames: Names;
  readonly pods: PVec<PodState>;
  readonly nodes: PVec<NodeState>;
  readonly queue: PVec<QueuedPod>;
  /** kube's node tree: zones and their nodes in join order (zones.ts). */
  readonly nodeTree: FastTree;
  /** Pods created bound to a node that did not exist yet, by that node's name, in creation order. */
  readonly waiting: ReadonlyMap<string, readonly PodKey[]>;
  /** Which batch made each pod's and node's current record (shared by a run; see `Stamps`). */
  readonly stamps: Stamps;
  /** Workloads and PriorityClasses by interned state key (`Kind/namespace/name`). */
  readonly objectNames: Names;
  readonly objects: PVec<ObjectState>;
}

/**
 * For each pod id and node id, the `Edit` of the batch that made its current record. A record
 * the running batch made (and, for a node, its request sums and pod list) is seen by no sealed
 * state, so the batch changes it in place instead of copying it again. A pod's five events in
 * one tick then make one record, and binding many pods to one node in a tick one node record.
 * Shared by every state of a run like the names: a batch only ever compares entries with its own
 * token, so a fork that overwrites one merely makes the other batch copy.
 */
export class Stamps {
  readonly pods: (Edit | undefined)[] = [];
  readonly nodes: (Edit | undefined)[] = [];
}

/** The free capacity a node offers the index: cpu, memory and pod slots (cordoned nodes included). */
export function slotCapacity(node: NodeState): SlotCapacity {
  const allocatable = node.node.allocatable;
  const cpu = allocatable["cpu"] ?? 0;
  const memory = allocatable["memory"] ?? 0;
  return {
    cpuFree: cpu - (node.requested["cpu"] ?? 0),
    memoryFree: memory - (node.requested["memory"] ?? 0),
    podsFree: (allocatable["pods"] ?? 0) - node.pods.length,
    cpuAllocatable: cpu,
    memoryAllocatable: memory,
    // Cordoned nodes stay in: a pod may tolerate the unschedulable taint, and NodeUnschedulable decides.
    schedulable: true,
  };
}

/** How many numbers each node has in the accelerators' columns. */
/** What one nominated pod holds on its node: the node's id and the pod's priority and request. */
interface Nomination {
  readonly node: number;
  readonly priority: number;
  readonly cpu: number;
  readonly memory: number;
}

/** The pods nominated to one node: their ids, and sums of their requests with the lowest priority among them. */
export interface NominatedOnNode {
  readonly ids: ReadonlySet<number>;
  readonly cpu: number;
  readonly memory: number;
  readonly pods: number;
  readonly lowestPriority: number;
}

/** The nominator's pods (nominated to a node, not bound yet): pod id → node id, and each node's pods with their sums. */
export class NominatedPods {
  private readonly nominations = new Map<number, Nomination>();
  private readonly byNode: ({ ids: Set<number>; cpu: number; memory: number; pods: number; lowestPriority: number } | undefined)[] = [];

  /** `changed` hears of each node whose list changed, once it has. */
  constructor(private readonly changed: (node: number) => void = () => {}) {}

  set(id: number, node: number, pod: PodState): void {
    this.delete(id);
    const nomination = { node, priority: pod.pod.priority, cpu: pod.request["cpu"] ?? 0, memory: pod.request["memory"] ?? 0 };
    this.nominations.set(id, nomination);
    let on = this.byNode[node];
    if (on === undefined) this.byNode[node] = on = { ids: new Set(), cpu: 0, memory: 0, pods: 0, lowestPriority: Number.POSITIVE_INFINITY };
    on.ids.add(id);
    on.cpu += nomination.cpu;
    on.memory += nomination.memory;
    on.pods++;
    if (nomination.priority < on.lowestPriority) on.lowestPriority = nomination.priority;
    this.changed(node);
  }

  delete(id: number): void {
    const nomination = this.nominations.get(id);
    if (nomination === undefined) return;
    this.nominations.delete(id);
    const on = this.byNode[nomination.node] as NonNullable<(typeof this.byNode)[number]>;
    on.ids.delete(id);
    if (on.ids.size === 0) {
      this.byNode[nomination.node] = undefined;
    } else {
      on.cpu -= nomination.cpu;
      on.memory -= nomination.memory;
      on.pods--;
      on.lowestPriority = Number.POSITIVE_INFINITY;
      for (const other of on.ids) on.lowestPriority = Math.min(on.lowestPriority, (this.nominations.get(other) as Nomination).priority);
    }
    this.changed(nomination.node);
  }

  get size(): number {
    return this.nominations.size;
  }

  /** Each nominated pod's id and node id. */
  *entries(): IterableIterator<[number, number]> {
    for (const [id, nomination] of this.nominations) yield [id, nomination.node];
  }

  /** The pods nominated to node `node` (undefined: none). */
  on(node: number): NominatedOnNode | undefined {
    return this.byNode[node];
  }
}

export const NODE_COLUMNS = 15;

/**
 * Each node's last preemption dry run (core/fast/preempt.ts), by node id: the node's stamp when it
 * ran, what it was for (the tick, the preemptor's priority, cpu and memory) and its outcome, with
 * whether it is a candidate and its scores in typed arrays (a burst of preemptors reads thousands
 * of them per cycle). The stamp (`touch`) changes whenever something the dry run reads of the
 * node changes.
 */
export class DryRuns {
  private stamps = new Float64Array(64);
  private clock = 0;
  private keys = new Float64Array(64 * 5);
  private readonly outcomes: unknown[] = [];
  /** Per id: 1 if the kept outcome found no victims that help, 2 if it is a candidate; and a candidate's five scores (`candidateScores`). */
  private kinds = new Uint8Array(64);
  private scores = new Float64Array(64 * 5);

  touch(id: number): void {
    if (id >= this.stamps.length) this.grow(id);
    this.stamps[id] = ++this.clock;
  }

  /** Whether an outcome is kept for node `id` under its current stamp and this question: 0 none, 1 no candidate, 2 a candidate. */
  status(id: number, now: number, priority: number, cpu: number, memory: number): number {
    if (id >= this.stamps.length) return 0;
    const base = id * 5;
    const keys = this.keys;
    if (keys[base] !== (this.stamps[id] as number) + 1 || keys[base + 1] !== now || keys[base + 2] !== priority || keys[base + 3] !== cpu || keys[base + 4] !== memory) return 0;
    return this.kinds[id] as number;
  }

  /** The kept outcome of node `id` (ask `status` first). */
  outcome(id: number): unknown {
    return this.outcomes[id];
  }

  /** Criterion `criterion` of the kept candidate on node `id` (ask `status` first). */
  score(id: number, criterion: number): number {
    return this.scores[id * 5 + criterion] as number;
  }

  /** Keeps `outcome`; `scores` are a candidate's five scores, or undefined when it is none. */
  set(id: number, now: number, priority: number, cpu: number, memory: number, outcome: unknown, scores: readonly number[] | undefined): void {
    if (id >= this.stamps.length) this.grow(id);
    const base = id * 5;
    // Stamp + 1: a node never touched has stamp 0 and no kept outcome has key 0.
    this.keys[base] = (this.stamps[id] as number) + 1;
    this.keys[base + 1] = now;
    this.keys[base + 2] = priority;
    this.keys[base + 3] = cpu;
    this.keys[base + 4] = memory;
    this.outcomes[id] = outcome;
    this.kinds[id] = scores === undefined ? 1 : 2;
    if (scores !== undefined) for (let criterion = 0; criterion < 5; criterion++) this.scores[base + criterion] = scores[criterion] as number;
  }

  /** Per id, a value worked out from the node's record (its pods) and the stamp it was made under (+1). */
  private readonly memos: unknown[] = [];
  private memoStamps = new Float64Array(64);

  /**
   * `make()` for node `id`, kept until the node is touched: for what depends only on its record
   * (the pods on it), which a batch may change in place.
   */
  memo<T>(id: number, make: () => T): T {
    if (id >= this.stamps.length) this.grow(id);
    const stamp = (this.stamps[id] as number) + 1;
    if (this.memoStamps[id] === stamp) return this.memos[id] as T;
    const value = make();
    this.memoStamps[id] = stamp;
    this.memos[id] = value;
    return value;
  }

  private grow(id: number): void {
    const size = Math.max(2 * this.stamps.length, id + 1);
    this.stamps = grown(this.stamps, size);
    this.memoStamps = grown(this.memoStamps, size);
    this.keys = grown(this.keys, size * 5);
    this.scores = grown(this.scores, size * 5);
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    this.kinds = kinds;
  }
}

/** `array` copied into a new one of `size` numbers (the rest zero). */
function grown(array: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const copy = new Float64Array(size);
  copy.set(array);
  return copy;
}

/** The most slots kube's order may spread `nodes` nodes over before slots become plain positions. */
function slotBudget(nodes: number): number {
  return 4 * nodes + 1024;
}

/** The accelerators: derived from the facts, owned by one state at a time. */
export class Accelerators {
  /** The state these describe; any other state builds its own. */
  owner: StateView | undefined;
  readonly queue: QueueIndex;
  /**
   * Kube's node order as slots of the index: the r-th node to join zone z (zones numbered in
   * first-seen order) sits at slot r × zoneSlots + z. Read in slot order, the slots that hold
   * nodes are kube's round-robin list, so a node joining any zone takes its slot in O(log n)
   * without moving the others; a position in kube's list is a rank among held slots (the index
   * counts them). When that grid would be much larger than the cluster (one zone far bigger than
   * many others), slots are the list's positions instead (`zoneSlots` 0) and a join rebuilds. A
   * node leaving rebuilds: kube shifts its zone's list.
   */
  private slotIds: number[] = [];
  private slotOfId: number[] = [];
  private zoneSlots = 0;
  /** Node ids in kube's order, built when asked for and dropped when the order changes. */
  private orderCache: number[] | undefined;
  private capacityIndex = new CapacityIndex({ bounds: false });
  private orderStale = true;
  /** Each node's NodeInfo for the scheduler, kept while its record is the same. */
  private readonly infos: ({ readonly record: NodeState; readonly info: NodeInfo } | undefined)[] = [];
  /** How many nodes list each (normalized) image: ImageLocality's spread. */
  readonly imageNodeCounts = new Map<string, number>();
  /** A node's labels by name, and every node's labels (what the per-domain counts read). */
  private readonly labelsOf = (name: string): Readonly<Record<string, string>> | undefined => {
    const facts = this.facts();
    const id = facts.nodeNames.id(name);
    return id === undefined ? undefined : facts.nodes.get(id)?.node.labels;
  };
  private readonly allNodeLabels = (): Readonly<Record<string, string>>[] => {
    const facts = this.facts();
    const labels: Readonly<Record<string, string>>[] = [];
    for (let id = 0; id < facts.nodeNames.list.length; id++) {
      const node = facts.nodes.get(id);
      if (node !== undefined) labels.push(node.node.labels);
    }
    return labels;
  };
  /** PodTopologySpread's matching pods per node and per domain, per selector asked about. */
  readonly spread = new SpreadCounts(this.labelsOf, this.allNodeLabels);
  /** InterPodAffinity's terms held on nodes, and the pods its terms select (terminating ones too). */
  readonly affinity = new AffinityCounts(this.labelsOf, new SpreadCounts(this.labelsOf, this.allNodeLabels, countsForAffinity));
  /** The Namespace objects' labels by name (InterPodAffinity's namespaceSelector). */
  readonly namespaceLabels = new Map<string, Readonly<Record<string, string>>>();
  /** The pods nominated to a node and not bound yet (kube's nominator), by id and by node. */
  readonly nominated = new NominatedPods((node) => {
    this.nominationsVersion++;
    this.dryRunTouched(node);
    const slot = this.slotOfId[node];
    if (!this.orderStale && slot !== undefined && slot >= 0) this.placeNominated(slot, node);
  });
  /**
   * Each node's last preemption dry run, kept under a stamp that changes whenever something the dry
   * run reads of the node changes: its record (pods, request sums), the pods nominated to it, a pod
   * on it starting (the victims' order).
   */
  readonly dryRuns = new DryRuns();

  dryRunTouched(id: number): void {
    this.dryRuns.touch(id);
    this.failedPasses.touched(id);
  }

  /** Failed cycles' per-node verdicts, per kind of pod (core/fast/failure-pass.ts), dropped when the slots move. */
  readonly failedPasses = new FailurePasses();

  /**
   * Node ids by their `kubernetes.io/hostname` label, built from the facts when first asked for and
   * kept on joins and removals (a node's labels never change): InterPodAffinity's fused check by
   * hostname finds the few nodes it refuses here.
   */
  private hostnameIds: Map<string, number[]> | undefined;

  nodesWithHostname(value: string): readonly number[] | undefined {
    if (this.hostnameIds === undefined) {
      const facts = this.facts();
      this.hostnameIds = new Map();
      for (let id = 0; id < facts.nodeNames.list.length; id++) this.hostnameChanged(id, undefined, facts.nodes.get(id)?.node.labels);
    }
    return this.hostnameIds.get(value);
  }

  /** A node joined (`before` undefined) or left (`after` undefined). */
  hostnameChanged(id: number, before: Readonly<Record<string, string>> | undefined, after: Readonly<Record<string, string>> | undefined): void {
    const index = this.hostnameIds;
    if (index === undefined) return;
    const old = before?.[HOSTNAME_LABEL];
    if (old !== undefined) {
      const ids = (index.get(old) ?? []).filter((other) => other !== id);
      if (ids.length === 0) index.delete(old);
      else index.set(old, ids);
    }
    const value = after?.[HOSTNAME_LABEL];
    if (value !== undefined) index.set(value, [...(index.get(value) ?? []), id]);
  }

  /** The slot of node `id` (undefined: none, or the order is being rebuilt). */
  slotOf(id: number): number | undefined {
    if (this.orderStale) return undefined;
    const slot = this.slotOfId[id];
    return slot === undefined || slot < 0 ? undefined : slot;
  }
  /** The ids of the PodDisruptionBudget objects (what preemption weighs, without a pass over every object). */
  readonly budgetIds = new Set<number>();
  /** How many pods holding resources have each priority (whether any pod of lower priority than a preemptor exists). */
  readonly heldPriorities = new Map<number, number>();

  /** A pod of `priority` starts (+1) or stops (−1) holding resources. */
  priorityHeld(priority: number, delta: 1 | -1): void {
    const count = (this.heldPriorities.get(priority) ?? 0) + delta;
    if (count === 0) this.heldPriorities.delete(priority);
    else this.heldPriorities.set(priority, count);
  }

  constructor(private facts: () => Facts) {
    this.queue = new QueueIndex((id) => this.facts().queue.get(id));
  }

  /** Builds every accelerator from the facts (a state that did not own them). */
  static build(owner: StateView): Accelerators {
    const facts = () => owner.facts;
    const accelerators = new Accelerators(facts);
    accelerators.owner = owner;
    const current = facts();
    accelerators.queue.startAt(current.t);
    for (let id = 0; id < current.podNames.list.length; id++) {
      const entry = current.queue.get(id);
      if (entry !== undefined) accelerators.queue.changed(id, entry, current.t);
    }
    for (let id = 0; id < current.nodeNames.list.length; id++) {
      const node = current.nodes.get(id);
      if (node !== undefined) {
        accelerators.countImages(node, 1);
        accelerators.taintsChanged(undefined, node);
        accelerators.spread.nodeChanged(undefined, node.node.labels);
        accelerators.affinity.selected.nodeChanged(undefined, node.node.labels);
      }
    }
    for (let id = 0; id < current.podNames.list.length; id++) {
      const pod = current.pods.get(id);
      accelerators.podChanged(id, undefined, pod);
      if (pod !== undefined && countsForSpread(pod)) accelerators.spread.changed(pod.pod, pod.node as string, 1);
      if (pod !== undefined && countsForAffinity(pod)) accelerators.affinity.changed(pod.pod, pod.node as string, 1);
      if (pod !== undefined && pod.holdsResources) accelerators.priorityHeld(pod.pod.priority, 1);
      if (pod !== undefined && pod.nominatedNode !== undefined) accelerators.nominated.set(id, current.nodeNames.id(pod.nominatedNode) as number, pod);
      if (pod !== undefined && pod.pod.ownerReferences !== undefined) accelerators.countOwned(countsOf(pod), 1);
      if (pod !== undefined && (pod.phase === "Succeeded" || pod.phase === "Failed")) accelerators.terminatedAdded(id, terminatedRank(pod));
    }
    for (let id = 0; id < current.objectNames.list.length; id++) accelerators.objectChanged(id, undefined, current.objects.get(id));
    return accelerators;
  }

  /** Hands the accelerators to another state. */
  handTo(owner: StateView): void {
    this.owner = owner;
    this.facts = () => owner.facts;
  }

  /**
   * The owner index: for each owner's key (`Kind/namespace/name`), the ids of the pods and of
   * the objects whose controller reference names it — whatever the uid, which readers compare.
   * A controller finds its pods here in O(its pods), never by scanning all pods (the reference
   * engine scans: the naive twin).
   */
  readonly ownedPods = new Map<string, Set<number>>();
  readonly ownedObjects = new Map<string, Set<number>>();

  /** Per owner uid, the counts of its pods (`OwnedCounts`), kept from each pod's part before and after each event. */
  readonly ownedCounts = new Map<string, OwnedCounts>();

  /** Adds (`sign` 1) or removes (−1) a pod's part in its owner's counts. */
  countOwned(part: OwnedPart | undefined, sign: 1 | -1): void {
    if (part === undefined) return;
    const uid = part[0];
    let counts = this.ownedCounts.get(uid);
    if (counts === undefined) this.ownedCounts.set(uid, (counts = { active: 0, ready: 0, present: 0, revisions: new Map() }));
    if (!addPart(counts, part, sign)) this.ownedCounts.delete(uid);
  }

  /** Pod `id`'s record went from `before` to `after` (undefined: absent). */
  podChanged(id: number, before: PodState | undefined, after: PodState | undefined): void {
    // A pod's spec (where its owner is) changes only when it is orphaned: compare owners then.
    if (before !== undefined && after !== undefined && before.pod === after.pod) return;
    const ownerBefore = before === undefined ? undefined : controllerKeyOf(before.pod);
    const ownerAfter = after === undefined ? undefined : controllerKeyOf(after.pod);
    if (ownerBefore === ownerAfter) return;
    if (ownerBefore !== undefined) indexOwned(this.ownedPods, ownerBefore, id, false);
    if (ownerAfter !== undefined) indexOwned(this.ownedPods, ownerAfter, id, true);
  }

  /**
   * PodGC's view: how many pods are Succeeded or Failed, and a heap of them by creation order
   * (entries of pods gone since are skipped when read, and the heap rebuilt when they pile up).
   */
  terminatedCount = 0;
  private readonly terminatedOrder = new NumericHeap<number>();

  /** `rank`: `terminatedRank` (evicted pods first, then creation order). */
  terminatedAdded(id: number, rank: number): void {
    this.terminatedCount++;
    this.terminatedOrder.push(rank, id, id);
  }

  /** A pod's record was removed: if it was terminated, one fewer. */
  terminatedGone(before: PodState): void {
    if (before.phase !== "Succeeded" && before.phase !== "Failed") return;
    this.terminatedCount--;
    if (this.terminatedOrder.size > 2 * this.terminatedCount + 1024) {
      const facts = this.facts();
      this.terminatedOrder.clear();
      for (let id = 0; id < facts.podNames.list.length; id++) {
        const pod = facts.pods.get(id);
        if (pod !== undefined && (pod.phase === "Succeeded" || pod.phase === "Failed")) this.terminatedOrder.push(terminatedRank(pod), id, id);
      }
    }
  }

  /** The `count` oldest terminated pods, by creation: popped while current, then pushed back. */
  oldestTerminated(count: number): PodState[] {
    const facts = this.facts();
    const taken: [number, number][] = [];
    const out: PodState[] = [];
    while (out.length < count && this.terminatedOrder.size > 0) {
      const seq = this.terminatedOrder.peekFirst() as number;
      const id = this.terminatedOrder.pop() as number;
      const pod = facts.pods.get(id);
      // A stale entry (the pod is gone, or its id now names a newer pod) is dropped for good.
      if (pod === undefined || terminatedRank(pod) !== seq || (pod.phase !== "Succeeded" && pod.phase !== "Failed")) continue;
      taken.push([seq, id]);
      out.push(pod);
    }
    for (const [seq, id] of taken) this.terminatedOrder.push(seq, id, id);
    return out;
  }

  /** The Services of each namespace, by object id (PodTopologySpread's DefaultSelector reads them). */
  readonly servicesByNamespace = new Map<string, Map<number, Service>>();
  /** DefaultSelectors computed, by namespace, controller and labels; dropped (a new map) when a Service or controller changes. */
  defaultSelectors = new Map<string, LabelSelector | null>();
  /** The same by pod spec, valid while `version` is the current `defaultSelectors`. */
  readonly podSelectors = new WeakMap<Pod, { readonly version: Map<string, LabelSelector | null>; readonly selector: LabelSelector | null }>();

  /** Object `id`'s record went from `before` to `after`. */
  objectChanged(id: number, before: ObjectState | undefined, after: ObjectState | undefined): void {
    if (after?.object.kind === "PodDisruptionBudget") this.budgetIds.add(id);
    else if (before?.object.kind === "PodDisruptionBudget") this.budgetIds.delete(id);
    if (before?.object !== after?.object) {
      const kind = (before ?? after)?.object.kind;
      if (kind === "Service" || kind === "ReplicaSet" || kind === "StatefulSet" || kind === "ReplicationController") this.defaultSelectors = new Map();
      if (before?.object.kind === "Service") this.servicesByNamespace.get(before.object.namespace)?.delete(id);
      if (before?.object.kind === "Namespace") this.namespaceLabels.delete(before.object.name);
      if (after?.object.kind === "Namespace") this.namespaceLabels.set(after.object.name, after.object.labels);
      if (after?.object.kind === "Service") {
        let services = this.servicesByNamespace.get(after.object.namespace);
        if (services === undefined) this.servicesByNamespace.set(after.object.namespace, (services = new Map()));
        services.set(id, after.object);
      }
    }
    const ownerBefore = before === undefined ? undefined : objectOwnerKey(before);
    const ownerAfter = after === undefined ? undefined : objectOwnerKey(after);
    if (ownerBefore === ownerAfter) return;
    if (ownerBefore !== undefined) indexOwned(this.ownedObjects, ownerBefore, id, false);
    if (ownerAfter !== undefined) indexOwned(this.ownedObjects, ownerAfter, id, true);
  }

  countImages(node: NodeState, delta: 1 | -1): void {
    this.nodesVersion++;
    // Counted under the names nodes list (already normalized), as the reference's cycle looks them up.
    for (const name of Object.keys(node.node.images ?? {})) {
      const count = (this.imageNodeCounts.get(name) ?? 0) + delta;
      if (count === 0) this.imageNodeCounts.delete(name);
      else this.imageNodeCounts.set(name, count);
    }
  }

  /** How many nodes have at least one taint. */
  private taintedNodes = 0;
  private preferTaintedNodes = 0;

  /**
   * Bumped by every change to a node (joined, removed, its record or usage, taints, images): the
   * cluster as the scheduler's filters see it is the same while this is.
   */
  private nodesVersion = 0;
  /**
   * Scheduling cycles that placed no pod, by pod signature (`decide.ts`), valid while neither the
   * nodes (`nodesVersion`) nor the nominations (`nominationsVersion`) have changed. Pending pods
   * alike (a Deployment's replicas) fail the same way against the same nodes: the second costs a
   * lookup instead of a verdict per node.
   */
  private readonly failures = new Map<unknown, Map<string, Decision>>();
  private failuresVersion = -1;
  private nominationsVersion = 0;
  private failuresNominations = -1;

  /** The cycle cached for this scheduler (a configuration, or a classic policy) and signature, if the nodes have not changed since. */
  cachedFailure(scheduler: unknown, signature: string): Decision | undefined {
    return this.failuresNow().get(scheduler)?.get(signature);
  }

  /** Whether any failure is cached for this scheduler (if not, a signature need not be worked out). */
  anyFailures(scheduler: unknown): boolean {
    return (this.failuresNow().get(scheduler)?.size ?? 0) > 0;
  }

  rememberFailure(scheduler: unknown, signature: string, decision: Decision): void {
    const failures = this.failuresNow();
    let bySignature = failures.get(scheduler);
    if (bySignature === undefined) failures.set(scheduler, (bySignature = new Map()));
    bySignature.set(signature, decision);
  }

  private failuresNow(): Map<unknown, Map<string, Decision>> {
    if (this.failuresVersion !== this.nodesVersion || this.failuresNominations !== this.nominationsVersion) {
      this.failures.clear();
      this.failuresVersion = this.nodesVersion;
      this.failuresNominations = this.nominationsVersion;
    }
    return this.failures;
  }

  /**
   * Node `id` joined, the `round`-th node of the zone numbered `zoneIndex`: it takes its slot,
   * unless the grid of slots no longer fits (then the order is rebuilt when next asked for).
   */
  nodeJoined(id: number, node: NodeState, zoneIndex: number, round: number): void {
    this.nodesVersion++;
    this.dryRunTouched(id);
    this.failedPasses.drop();
    this.orderCache = undefined;
    if (this.orderStale) return;
    const slot = round * this.zoneSlots + zoneIndex;
    if (this.zoneSlots === 0 || zoneIndex >= this.zoneSlots || slot >= slotBudget(this.capacityIndex.occupied + 1)) {
      this.orderStale = true;
      return;
    }
    this.slotIds[slot] = id;
    this.slotOfId[id] = slot;
    this.place(slot, node);
  }

  /** Node `id` left: its NodeInfo goes, and the order is rebuilt when next asked for. */
  nodeRemoved(id: number): void {
    this.nodesVersion++;
    this.dryRunTouched(id);
    this.failedPasses.drop();
    this.infos[id] = undefined;
    this.orderCache = undefined;
    this.orderStale = true;
  }

  /**
   * Per slot (see `slotIds`), the numbers the fused kube scoring reads (NODE_COLUMNS of them):
   * allocatable cpu and memory, non-zero requested cpu and memory, requested cpu and memory,
   * 1 if cordoned, the node's part of the tie-break rank (`nodeTieHash` of its name), 1 if it
   * has a NoSchedule or NoExecute taint (TaintToleration's filter must look at it), the number of
   * pods on it and its allocatable pods (NodeResourcesFit's "Too many pods"), and the pods
   * nominated to it: their cpu, memory, count and lowest priority (+∞ when none).
   * Columns in one typed array, kept like the index: O(1) per node change.
   */
  private columns = new Float64Array(0);

  /** A node's capacity in the index and its columns at `slot`. */
  private place(slot: number, node: NodeState): void {
    this.capacityIndex.set(slot, slotCapacity(node));
    this.slotNodes[slot] = node.node;
    const zone = node.node.labels[ZONE_LABEL];
    if (slot >= this.slotZoneIds.length) {
      const grown = new Int32Array(Math.max(1024, 2 * (slot + 1)));
      grown.set(this.slotZoneIds);
      this.slotZoneIds = grown;
    }
    let zoneId = -1;
    if (zone !== undefined) {
      zoneId = this.zoneIds.get(zone) ?? -1;
      if (zoneId < 0) {
        zoneId = this.zoneNames.length;
        this.zoneIds.set(zone, zoneId);
        this.zoneNames.push(zone);
      }
    }
    this.slotZoneIds[slot] = zoneId;
    if ((slot + 1) * NODE_COLUMNS > this.columns.length) {
      const grown = new Float64Array(Math.max(1024, 2 * (slot + 1)) * NODE_COLUMNS);
      grown.set(this.columns);
      this.columns = grown;
    }
    const base = slot * NODE_COLUMNS;
    const columns = this.columns;
    columns[base] = node.node.allocatable["cpu"] ?? 0;
    columns[base + 1] = node.node.allocatable["memory"] ?? 0;
    columns[base + 2] = node.nonZeroRequested.cpu;
    columns[base + 3] = node.nonZeroRequested.memory;
    columns[base + 4] = node.requested["cpu"] ?? 0;
    columns[base + 5] = node.requested["memory"] ?? 0;
    columns[base + 6] = node.node.unschedulable ? 1 : 0;
    columns[base + 7] = nodeTieHash(node.node.name);
    columns[base + 8] = hasFilteringTaint(node) ? 1 : 0;
    columns[base + 9] = node.pods.length;
    columns[base + 10] = node.node.allocatable["pods"] ?? 0;
    this.placeNominated(slot, this.slotIds[slot] as number);
  }

  /** The columns of the pods nominated to the node at `slot` (id `id`): their cpu, memory, count and lowest priority (+∞: none). */
  private placeNominated(slot: number, id: number): void {
    const on = this.nominated.on(id);
    const base = slot * NODE_COLUMNS;
    this.columns[base + 11] = on?.cpu ?? 0;
    this.columns[base + 12] = on?.memory ?? 0;
    this.columns[base + 13] = on?.pods ?? 0;
    this.columns[base + 14] = on?.lowestPriority ?? Number.POSITIVE_INFINITY;
  }

  /** A node's taints may have changed (`before` undefined: it joined; `after` undefined: it left). */
  taintsChanged(before: NodeState | undefined, after: NodeState | undefined): void {
    this.nodesVersion++;
    this.taintedNodes += (after !== undefined && after.node.taints.length > 0 ? 1 : 0) - (before !== undefined && before.node.taints.length > 0 ? 1 : 0);
    this.preferTaintedNodes += (after !== undefined && hasPreferTaint(after) ? 1 : 0) - (before !== undefined && hasPreferTaint(before) ? 1 : 0);
  }

  /** Whether some node has a PreferNoSchedule taint (TaintToleration's score then differs between nodes). */
  anyPreferTainted(): boolean {
    return this.preferTaintedNodes > 0;
  }

  /** Whether some node in the cluster has a taint (of any effect). */
  anyTainted(): boolean {
    return this.taintedNodes > 0;
  }

  /** A node's record changed (or was changed in place): its capacity in the index follows, its NodeInfo is made again. */
  nodeChanged(id: number, node: NodeState): void {
    this.nodesVersion++;
    this.dryRunTouched(id);
    this.infos[id] = undefined;
    if (this.orderStale) return;
    const slot = this.slotOfId[id];
    if (slot !== undefined && slot >= 0) this.place(slot, node);
  }

  private refreshOrder(): void {
    if (!this.orderStale) return;
    this.failedPasses.drop();
    const facts = this.facts();
    const tree = facts.nodeTree;
    const zones = tree.zones.map((zone) => tree.members.get(zone) as ZoneMembers);
    const nodeCount = zones.reduce((sum, members) => sum + members.size, 0);
    const longest = Math.max(0, ...zones.map((members) => members.size));
    let zoneSlots = 1;
    while (zoneSlots < zones.length) zoneSlots *= 2;
    if (longest * zoneSlots > slotBudget(nodeCount)) zoneSlots = 0;
    this.zoneSlots = zoneSlots;
    this.capacityIndex = new CapacityIndex({ bounds: false });
    this.columns = new Float64Array(0);
    this.slotIds = [];
    this.slotOfId = [];
    this.orderCache = undefined;
    const put = (slot: number, name: string) => {
      const id = facts.nodeNames.id(name) as number;
      this.slotIds[slot] = id;
      this.slotOfId[id] = slot;
      this.place(slot, facts.nodes.get(id) as NodeState);
    };
    if (zoneSlots === 0) {
      treeOrder(tree).forEach((name, position) => put(position, name));
    } else {
      // Round by round, so slots are set in increasing order.
      for (let round = 0; round < longest; round++) {
        zones.forEach((members, zoneIndex) => {
          if (round < members.size) put(round * zoneSlots + zoneIndex, members.names.get(round) as string);
        });
      }
    }
    this.orderStale = false;
  }

  /** The per-slot node columns (see `place`). */
  nodeColumns(): Float64Array {
    this.refreshOrder();
    return this.columns;
  }

  /** The Node at each slot (with the columns): its name and labels without a lookup by id. */
  private readonly slotNodes: Node[] = [];

  nodesBySlot(): readonly Node[] {
    this.refreshOrder();
    return this.slotNodes;
  }

  /**
   * Each slot's node's `topology.kubernetes.io/zone` (the default spreading key) as a small
   * integer (−1: none), and the zone names by integer, for the fused kernel's spreading score.
   */
  private slotZoneIds = new Int32Array(0);
  private readonly zoneIds = new Map<string, number>();
  private readonly zoneNames: string[] = [];

  zoneIdsBySlot(): { readonly ids: Int32Array; readonly names: readonly string[] } {
    this.refreshOrder();
    return { ids: this.slotZoneIds, names: this.zoneNames };
  }

  /** The scheduler's view of node `id` (its record must exist). */
  nodeInfo(id: number): NodeInfo {
    const facts = this.facts();
    const record = facts.nodes.get(id) as NodeState;
    const cached = this.infos[id];
    if (cached?.record === record) return cached.info;
    // Pods are looked up in whichever state owns the accelerators when ports are asked for; a
    // pod on an unchanged node record is the same pod in all of them.
    const info = nodeInfoOf(record, (key) => {
      const current = this.facts();
      const podId = current.podNames.id(key);
      return podId === undefined ? undefined : current.pods.get(podId);
    });
    this.infos[id] = { record, info };
    return info;
  }

  /** Node ids in kube's order. */
  order(): readonly number[] {
    this.refreshOrder();
    if (this.orderCache === undefined) {
      const order: number[] = [];
      for (const id of this.slotIds) if (id !== undefined) order.push(id);
      this.orderCache = order;
    }
    return this.orderCache;
  }

  /** The node id at each slot of the index (undefined: no node there); positions in kube's order are ranks among them. */
  slots(): readonly (number | undefined)[] {
    this.refreshOrder();
    return this.slotIds;
  }

  capacity(): CapacityIndex {
    this.refreshOrder();
    return this.capacityIndex;
  }
}

function indexOwned(index: Map<string, Set<number>>, owner: string, id: number, add: boolean): void {
  let set = index.get(owner);
  if (add) {
    if (set === undefined) index.set(owner, (set = new Set()));
    set.add(id);
  } else if (set !== undefined) {
    set.delete(id);
    if (set.size === 0) index.delete(owner);
  }
}

/** Empty facts at tick 0. */
function emptyFacts(options: EngineOptions): Facts {
  return {
    options, t: 0, seq: 0, nextStartNodeIndex: 0,
    podNames: new Names(), nodeNames: new Names(),
    pods: PVec.empty(), nodes: PVec.empty(), queue: PVec.empty(),
    nodeTree: EMPTY_FAST_TREE, waiting: new Map(), stamps: new Stamps(),
    objectNames: new Names(), objects: PVec.empty(),
  };
}

/** Reads shared by sealed and transient states. */
export abstract class StateView {
  abstract readonly facts: Facts;
  protected abstract accelerators(): Accelerators;

  get t(): number { return this.facts.t; }
  get seq(): number { return this.facts.seq; }
  get options(): EngineOptions { return this.facts.options; }
  get nextStartNodeIndex(): number { return this.facts.nextStartNodeIndex; }

  pod(key: PodKey): PodState | undefined {
    const id = this.facts.podNames.id(key);
    return id === undefined ? undefined : this.facts.pods.get(id);
  }

  node(name: string): NodeState | undefined {
    const id = this.facts.nodeNames.id(name);
    return id === undefined ? undefined : this.facts.nodes.get(id);
  }

  queued(key: PodKey): QueuedPod | undefined {
    const id = this.facts.podNames.id(key);
    return id === undefined ? undefined : this.facts.queue.get(id);
  }

  /** The pod kube-scheduler pops next at tick `now` (as `nextPodToSchedule` on the reference state). */
  nextPodToSchedule(now: number): PodKey | undefined {
    const accelerators = this.accelerators();
    if (now < accelerators.queue.advancedTo) {
      // An earlier tick than the heaps were brought to (the engine never asks that): a plain scan.
      const facts = this.facts;
      const entries: [PodKey, QueuedPod][] = [];
      for (let id = 0; id < facts.podNames.list.length; id++) {
        const entry = facts.queue.get(id);
        if (entry !== undefined) entries.push([facts.podNames.name(id), entry]);
      }
      return pickNextPod(entries, now);
    }
    const id = accelerators.queue.next(now);
    return id === undefined ? undefined : this.facts.podNames.name(id);
  }

  /** An object's record by state key (`Kind/namespace/name`). */
  object(key: string): ObjectState | undefined {
    const id = this.facts.objectNames.id(key);
    return id === undefined ? undefined : this.facts.objects.get(id);
  }

  /** The pods whose controller reference names `owner` (a state key), in no set order. */
  podsOwnedBy(owner: string): PodState[] {
    const ids = this.accelerators().ownedPods.get(owner);
    if (ids === undefined) return [];
    const pods = this.facts.pods;
    const out: PodState[] = [];
    for (const id of ids) out.push(pods.get(id) as PodState);
    return out;
  }

  /** Every node's name, sorted: O(nodes log nodes), for a DaemonSet's full sync. */
  nodeNames(): string[] {
    const facts = this.facts;
    const names: string[] = [];
    facts.nodeNames.list.forEach((name, id) => {
      if (facts.nodes.get(id) !== undefined) names.push(name);
    });
    return names.sort();
  }

  /** The state keys of the objects of a kind, sorted. */
  objectKeys(kind: string): string[] {
    const facts = this.facts;
    const prefix = `${kind}/`;
    const keys: string[] = [];
    facts.objectNames.list.forEach((key, id) => {
      if (key.startsWith(prefix) && facts.objects.get(id) !== undefined) keys.push(key);
    });
    return keys.sort();
  }

  /** The counts of the pods whose controller reference carries this uid. */
  ownedCounts(uid: string): OwnedCounts | undefined {
    return this.accelerators().ownedCounts.get(uid);
  }

  /** How many pods are Succeeded or Failed. */
  terminatedCount(): number {
    return this.accelerators().terminatedCount;
  }

  /** The `count` oldest terminated pods, in creation order. */
  oldestTerminated(count: number): PodState[] {
    return this.accelerators().oldestTerminated(count);
  }

  /** The state keys of the objects whose controller reference names `owner`. */
  objectsOwnedBy(owner: string): string[] {
    const ids = this.accelerators().ownedObjects.get(owner);
    const names = this.facts.objectNames;
    return ids === undefined ? [] : [...ids].map((id) => names.name(id));
  }

  /** Node ids in kube's order. */
  nodeOrder(): readonly number[] {
    return this.accelerators().order();
  }

  /** The node id at each slot of the capacity index (undefined: none); see `Accelerators`. */
  nodeSlots(): readonly (number | undefined)[] {
    return this.accelerators().slots();
  }

  /** The free-capacity index over the slots of `nodeSlots()`. */
  capacityIndex(): CapacityIndex {
    return this.accelerators().capacity();
  }

  /** Each node's numbers by slot of `nodeSlots()` (`NODE_COLUMNS` apiece; see Accelerators). */
  nodeColumns(): Float64Array {
    return this.accelerators().nodeColumns();
  }

  /** The Node at each slot of the index (read with the columns). */
  nodesBySlot(): readonly Node[] {
    return this.accelerators().nodesBySlot();
  }

  /** The ids of the nodes labelled `kubernetes.io/hostname=value` (undefined: none). */
  nodesWithHostname(value: string): readonly number[] | undefined {
    return this.accelerators().nodesWithHostname(value);
  }

  /** Each slot's node's zone as a small integer, and the zones' names. */
  zoneIdsBySlot(): { readonly ids: Int32Array; readonly names: readonly string[] } {
    return this.accelerators().zoneIdsBySlot();
  }

  imageNodeCounts(): ReadonlyMap<string, number> {
    return this.accelerators().imageNodeCounts;
  }

  /** Whether some node has a taint. */
  anyNodeTainted(): boolean {
    return this.accelerators().anyTainted();
  }

  /** Whether some node has a PreferNoSchedule taint. */
  anyNodePreferTainted(): boolean {
    return this.accelerators().anyPreferTainted();
  }

  nodeById(id: number): NodeState {
    return this.facts.nodes.get(id) as NodeState;
  }

  /** The scheduler's NodeInfo of node `id`, cached while the node's record is unchanged. */
  nodeInfo(id: number): NodeInfo {
    return this.accelerators().nodeInfo(id);
  }

  /** The kept preemption dry runs (core/fast/preempt.ts). */
  dryRunCache(): DryRuns {
    return this.accelerators().dryRuns;
  }

  /** Failed cycles' kept verdicts (core/fast/failure-pass.ts), with the order up to date. */
  failurePasses(): FailurePasses {
    const accelerators = this.accelerators();
    accelerators.slots();
    return accelerators.failedPasses;
  }

  /** The slot of node `id` in `nodeSlots()`, if it has one. */
  slotOf(id: number): number | undefined {
    return this.accelerators().slotOf(id);
  }

  /** The pods nominated to node `id` (undefined: none), and a pod by id. */
  nominatedOn(id: number): NominatedOnNode | undefined {
    return this.accelerators().nominated.on(id);
  }

  podById(id: number): PodState | undefined {
    return this.facts.pods.get(id);
  }

  /** The ids of a pod and of a node by name (undefined: never seen). */
  podIdOf(key: PodKey): number | undefined {
    return this.facts.podNames.id(key);
  }

  nodeIdOf(name: string): number | undefined {
    return this.facts.nodeNames.id(name);
  }

  /** The NodeInfo of the node named `name`, if it exists. */
  nodeInfoNamed(name: string): NodeInfo | undefined {
    const id = this.facts.nodeNames.id(name);
    return id === undefined || this.facts.nodes.get(id) === undefined ? undefined : this.nodeInfo(id);
  }

  /** PodTopologySpread's counts per domain, from the per-node counts the accelerators keep. */
  spreadCounter(): DomainCounter {
    const counts = this.accelerators().spread;
    const anyTainted = this.anyNodeTainted();
    return (pod, constraints, nodes, requireAll) => domainCounts(counts, this.allPods, pod, constraints, nodes, anyTainted, requireAll);
  }


  /** PodTopologySpread's DefaultSelector for a pod (its Services' and controller's selectors), cached. */
  defaultSpreadSelector(pod: Pod): LabelSelector | undefined {
    const accelerators = this.accelerators();
    const known = accelerators.podSelectors.get(pod);
    if (known !== undefined && known.version === accelerators.defaultSelectors) return known.selector ?? undefined;
    const owner = pod.ownerReferences?.find((reference) => reference.controller);
    if (owner === undefined && (accelerators.servicesByNamespace.get(pod.namespace)?.size ?? 0) === 0) return undefined;
    const key = `${pod.namespace}\u0000${owner === undefined ? "" : `${owner.apiVersion}/${owner.kind}/${owner.name}`}\u0000${JSON.stringify(pod.labels)}`;
    const cached = accelerators.defaultSelectors.get(key);
    const selector = cached !== undefined ? cached ?? undefined : defaultSelector(pod, this.spreadOwners());
    if (cached === undefined) accelerators.defaultSelectors.set(key, selector ?? null);
    accelerators.podSelectors.set(pod, { version: accelerators.defaultSelectors, selector: selector ?? null });
    return selector;
  }

  /** The Services and workloads DefaultSelector reads, from the accelerators' Service index, and the Namespaces' labels. */
  spreadOwners(): SpreadOwners {
    const accelerators = this.accelerators();
    return {
      services: (namespace) => accelerators.servicesByNamespace.get(namespace)?.values() ?? [],
      workload: (kind, namespace, name) => {
        const object = this.object(`${kind}/${namespace}/${name}`)?.object;
        return object !== undefined && isWorkload(object) ? object : undefined;
      },
      namespaces: () => accelerators.namespaceLabels,
      counters: () => ({ spread: this.spreadCounter(), affinity: this.affinityCounter() }),
    };
  }

  /** The Namespace objects' labels by name. */
  namespaceLabels(): ReadonlyMap<string, Readonly<Record<string, string>>> {
    return this.accelerators().namespaceLabels;
  }

  /** What the nominator and DefaultPreemption read: pods, nominations, budgets (see `ClusterView`). */
  clusterView(): ClusterView {
    const accelerators = this.accelerators();
    const nominated = accelerators.nominated;
    const pods = this.facts.pods;
    return {
      podOf: (key) => this.pod(key),
      // The nominator's pods on one node, in creation order (the reference sorts them all).
      nominatedTo: (node) => {
        const id = this.facts.nodeNames.id(node);
        const on = id === undefined ? undefined : nominated.on(id);
        if (on === undefined) return [];
        return [...on.ids].map((id) => pods.get(id) as PodState).sort((a, b) => a.createdSeq - b.createdSeq);
      },
      anyNominated: nominated.size > 0,
      budgets: () => {
        const budgets: Budget[] = [];
        for (const id of [...accelerators.budgetIds].sort((a, b) => a - b)) {
          const record = this.facts.objects.get(id);
          if (record?.object.kind === "PodDisruptionBudget") budgets.push({ namespace: record.object.namespace, selector: record.object.selector, allowed: record.status?.disruptionsAllowed ?? 0 });
        }
        return budgets;
      },
      now: this.facts.t,
      lowestHeldPriority: [...accelerators.heldPriorities.keys()].reduce((lowest, priority) => Math.min(lowest, priority), Number.POSITIVE_INFINITY),
    };
  }

  /** Whether a pod is nominated anywhere (then filtering must see it: the plain path). */
  anyNominated(): boolean {
    return this.accelerators().nominated.size > 0;
  }

  /** Whether some pod holding resources has a lower priority than `priority` (a possible preemption victim). */
  anyHeldBelow(priority: number): boolean {
    for (const held of this.accelerators().heldPriorities.keys()) if (held < priority) return true;
    return false;
  }

  /** InterPodAffinity's counts, from the terms and selected pods the accelerators keep. */
  affinityCounter(): AffinityCounter {
    return this.accelerators().affinity.counter(this.allPods);
  }

  /**
   * Whether some pod's inter-pod affinity term reaches `pod` (kube's default hardPodAffinityWeight,
   * 1); `scored`: a term InterPodAffinity's PreScore counts (not required anti-affinity).
   */
  affinityTouches(pod: Pod, scored = false): boolean {
    const accelerators = this.accelerators();
    return accelerators.affinity.touches(pod, accelerators.namespaceLabels.get(pod.namespace), 1, scored);
  }

  /** The pod's spread constraints from the kept counts, when every node counts for each (see `keptSpread`). */
  keptSpread(pod: Pod): ReturnType<typeof keptSpread> {
    return keptSpread(this.accelerators().spread, this.allPods, pod, this.anyNodeTainted(), () => this.defaultSpreadSelector(pod));
  }

  /** Every pod record (for registering a spread selector: read once, when the label index is built). */
  private readonly allPods = (): Iterable<PodState> => {
    const facts = this.facts;
    return (function* (): Generator<PodState> {
      for (let id = 0; id < facts.podNames.list.length; id++) {
        const record = facts.pods.get(id);
        if (record !== undefined) yield record;
      }
    })();
  };

  /** The accelerators' cache of cycles that placed no pod (see `Accelerators.cachedFailure`). */
  failureCache(): Accelerators {
    return this.accelerators();
  }

  protected abstract rebuildAccelerators(): Accelerators;
}

export class FastState extends StateView {
  /** The accelerators this state was handed or built; its own only while it is their owner. */
  private held: Accelerators | undefined;

  constructor(readonly facts: Facts, accelerators?: Accelerators) {
    super();
    this.held = accelerators;
    accelerators?.handTo(this);
  }

  protected accelerators(): Accelerators {
    if (this.held?.owner !== this) return this.rebuildAccelerators();
    return this.held;
  }

  protected rebuildAccelerators(): Accelerators {
    this.held = Accelerators.build(this);
    return this.held;
  }

  /** Starts a batch from this state. The transient takes this state's accelerators if it owns them. */
  transient(): Transient {
    return new Transient(this.facts, this.held?.owner === this ? this.held : undefined);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * One batch's state: changed in place, sealed at the end. Never observable from outside the
 * engine. A record read from it (`pod`, `node`) may change with the batch's next event: read it
 * again after applying one.
 */
export class Transient extends StateView {
  readonly edit = new Edit();
  /** Parts of the node tree this batch copied and may change in place (see reduce.ts `joinTree`). */
  readonly ownedTree: TreeOwnership = { zones: false, members: false };
  /** Whether the batch wrote anything (its accelerators then describe it, not the state it came from). */
  touched = false;
  /** Whether the event being applied wrote anything yet. */
  eventTouched = false;
  /**
   * Set when an event was refused after it had written (only malformed data can do that: every
   * rule is checked before the first write). The batch is then neither sealed nor continued.
   */
  poisoned = false;

  /**
   * The owned pods the event being applied touched, with their part in their owner's counts
   * before it (first touch only): after the event the counts move by the difference.
   */
  readonly ownedBefore = new Map<number, OwnedPart | undefined>();

  /** Records a write (the reducer calls it before each). */
  wrote(): void {
    this.touched = true;
    this.eventTouched = true;
  }

  /**
   * Set once this batch's records were handed out whole (`materialize`): from then on it copies
   * records again rather than change its own in place.
   */
  published = false;

  /** Whether pod `id`'s current record was made by this batch, so it may be changed in place. */
  ownsPod(id: number): boolean {
    return !this.published && this.facts.stamps.pods[id] === this.edit;
  }

  /** Whether node `id`'s current record, request sums and pod list were made by this batch. */
  ownsNode(id: number): boolean {
    return !this.published && this.facts.stamps.nodes[id] === this.edit;
  }
  readonly facts: Mutable<Facts>;
  private held: Accelerators | undefined;

  constructor(facts: Facts, accelerators: Accelerators | undefined) {
    super();
    this.facts = { ...facts };
    this.held = accelerators;
    accelerators?.handTo(this);
  }

  protected accelerators(): Accelerators {
    return this.held ?? this.rebuildAccelerators();
  }

  protected rebuildAccelerators(): Accelerators {
    this.held = Accelerators.build(this);
    return this.held;
  }

  /** The accelerators, built from the facts if this transient was not handed them. */
  acceleratorsNow(): Accelerators {
    return this.accelerators();
  }

  /** The accelerators to keep up to date, if built (a transient from a state that did not own them builds them only when asked). */
  get live(): Accelerators | undefined {
    return this.held;
  }

  /** Ends the batch: the facts are frozen into a sealed state that takes the accelerators. */
  seal(): FastState {
    if (this.poisoned) throw new Error("a batch that a malformed event left half-applied cannot be sealed: start a new batch from the last sealed state");
    this.edit.sealed = true;
    return new FastState({ ...this.facts }, this.held);
  }

  /**
   * Drops the batch. If it wrote nothing, `origin` owns its accelerators again; otherwise they
   * describe the dropped batch, so nobody owns them and `origin` builds its own when asked.
   */
  abandon(origin: FastState): void {
    this.edit.sealed = true;
    if (this.held === undefined) return;
    if (this.touched) this.held.owner = undefined;
    else this.held.handTo(origin);
  }
}

/** An empty cluster at tick 0. */
export function createFastState(options: EngineOptions = DEFAULT_OPTIONS): FastState {
  return new FastState(emptyFacts(options));
}

/**
 * The reference engine's record of the same state: equal facts, equal serialisation. On a
 * transient, the records it hands out stop being changed in place by the rest of the batch.
 */
export function materialize(state: StateView): ClusterState {
  if (state instanceof Transient) state.published = true;
  const facts = state.facts;
  const nodes: Record<string, NodeState> = {};
  const pods: Record<PodKey, PodState> = {};
  const queue: Record<PodKey, QueuedPod> = {};
  facts.nodeNames.list.forEach((name, id) => {
    const node = facts.nodes.get(id);
    if (node !== undefined) nodes[name] = node;
  });
  facts.podNames.list.forEach((key, id) => {
    const pod = facts.pods.get(id);
    if (pod !== undefined) pods[key] = pod;
    const entry = facts.queue.get(id);
    if (entry !== undefined) queue[key] = entry;
  });
  const objects: Record<string, ObjectState> = {};
  facts.objectNames.list.forEach((key, id) => {
    const record = facts.objects.get(id);
    if (record !== undefined) objects[key] = record;
  });
  const nodeTree = toNodeTree(facts.nodeTree);
  return { options: facts.options, t: facts.t, seq: facts.seq, nodes, pods, queue, nodeTree, nextStartNodeIndex: facts.nextStartNodeIndex, objects };
}

/** Whether TaintToleration's filter has something to look at on the node: a NoSchedule or NoExecute taint. */
export function hasFilteringTaint(node: NodeState): boolean {
  for (const taint of node.node.taints) if (taint.effect !== "PreferNoSchedule") return true;
  return false;
}

function hasPreferTaint(node: NodeState): boolean {
  for (const taint of node.node.taints) if (taint.effect === "PreferNoSchedule") return true;
  return false;
}
