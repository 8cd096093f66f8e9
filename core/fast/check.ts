/**
 * The fast state's accelerators against their naive twins (STYLE.md: every index or aggregate has
 * one): each is rebuilt from the state's records — nodes, pods' queue entries, the node tree —
 * the slow, obvious way, without the incremental code (`Accelerators` in state.ts) or its
 * build-from-facts path, and compared. kube-scheduler's cache has the same kind of check.
 *
 * Checked:
 * - the node tree (a fact) lists exactly the nodes, each in its zone; kube's node order and the
 *   nodes held by the index's slots, in slot order, are its round-robin list (`listTree`);
 * - each node's columns (`NODE_COLUMNS` numbers) and its capacity in the index: the index's
 *   counts (`occupied`, `select`, `rank`), each slot's free cpu and memory probed exactly
 *   (`firstFit` at its own free amounts and one unit more), and `firstFit` / `bestFit` /
 *   `worstFit` for a few requests against `NaiveCapacityIndex` over the same slots;
 * - the count of tainted nodes and the image node counts against a scan of the nodes;
 * - the queue: the pod popped next at the state's tick against `pickNextPod` over every entry,
 *   the unschedulable set against the entries' pools, and every entry present, current, under
 *   the right keys, in each heap its status at that tick calls for;
 * - cached NodeInfos whose record is current against that record;
 * - the owner index (pods and objects by their controller's key) against a scan of every pod and
 *   object; PodGC's count and creation order of terminated pods against a scan.
 *
 * A test-time check, O(n log n) (a few index queries per node): it reads the state and does no
 * I/O; like any query it may bring lazy parts up to date (the node order, best fit's bounds, the
 * queue's heaps to the state's tick), which changes no answer. Some counts and the heaps are
 * private to the accelerators: read through a cast (`internals`), so a renamed field is reported
 * as a discrepancy rather than skipped.
 */
import { sameResources } from "../model/resources.js";
import { HOSTNAME_LABEL } from "../model/manifest.js";
import { addPart, controllerKeyOf, countsOf, objectOwnerKey, type OwnedCounts } from "../cluster/objects.js";
import type { NodeState } from "../cluster/state.js";
import { pickNextPod } from "../scheduler/firstfit.js";
import { listTree, zoneKey } from "../scheduler/framework/nodetree.js";
import { nodeTieHash } from "../scheduler/framework/tiebreak.js";
import type { NodeInfo } from "../scheduler/framework/types.js";
import { nextQueueChange, queueStatus, type QueuedPod } from "../scheduler/queue.js";
import { NaiveCapacityIndex, type SlotCapacity } from "../state/capacity-index.js";
import { NODE_COLUMNS, type Accelerators, type StateView } from "./state.js";
import { toNodeTree } from "./zones.js";
import { POD_PLUGINS } from "../scheduler/hints.js";
import { selectorMatches } from "../model/workload.js";
import type { PodState } from "../cluster/state.js";
import { ANY_NAMESPACE, type SpreadCounts } from "./spread-counts.js";
import type { TermKind } from "./affinity-counts.js";
import { hasTerms, termsOf, type AffinityTerm } from "../scheduler/plugins/interpodaffinity/terms.js";

/** Returns every disagreement between the state's accelerators and a rebuild from its records, as sentences; empty when all agree. */
export function checkAccelerators(state: StateView): string[] {
  const broken: string[] = [];
  const facts = state.facts;
  const nodeName = (id: number): string => facts.nodeNames.list[id] ?? `#${id}`;
  const nodes = new Map<number, NodeState>();
  for (let id = 0; id < facts.nodeNames.list.length; id++) {
    const node = facts.nodes.get(id);
    if (node !== undefined) nodes.set(id, node);
  }
  checkTree(state, nodes, broken);
  // kube's order up to date first (a stale one is rebuilt from the tree), as any query would.
  state.nodeSlots();
  const inside = internals(state, broken);
  const held = checkOrderAndSlots(state, nodes, inside, broken);
  checkColumns(state, held, nodes, broken);
  checkCapacityIndex(state, held, nodes, nodeName, broken);
  checkTaintsAndImages(state, nodes, inside, broken);
  checkHostnames(state, nodes, inside, broken);
  checkQueue(state, inside, broken);
  checkNodeInfos(nodes, nodeName, inside, broken);
  checkOwners(state, broken);
  checkTerminated(state, broken);
  checkSpread(state, nodes, inside.accelerators.spread, "spread", (pod) => pod.deletionDeadline === undefined, broken);
  checkSpread(state, nodes, inside.accelerators.affinity.selected, "affinity", () => true, broken);
  checkTermGroups(state, nodes, inside, broken);
  checkPreemptionIndexes(state, inside, broken);
  return broken;
}

/** The nominated pods (per node, with their sums) and the priorities of pods holding resources, against a scan of the pods. */
function checkPreemptionIndexes(state: StateView, inside: Internals, broken: string[]): void {
  const facts = state.facts;
  const nominated = new Map<number, string>();
  const sums = new Map<string, { ids: number[]; cpu: number; memory: number; lowestPriority: number }>();
  const held = new Map<number, number>();
  for (let id = 0; id < facts.podNames.list.length; id++) {
    const pod = facts.pods.get(id);
    if (pod === undefined) continue;
    if (pod.nominatedNode !== undefined) {
      nominated.set(id, pod.nominatedNode);
      const on = sums.get(pod.nominatedNode) ?? { ids: [], cpu: 0, memory: 0, lowestPriority: Number.POSITIVE_INFINITY };
      on.ids.push(id);
      on.cpu += pod.request["cpu"] ?? 0;
      on.memory += pod.request["memory"] ?? 0;
      on.lowestPriority = Math.min(on.lowestPriority, pod.pod.priority);
      sums.set(pod.nominatedNode, on);
    }
    if (pod.holdsResources) held.set(pod.pod.priority, (held.get(pod.pod.priority) ?? 0) + 1);
  }
  const kept = inside.accelerators.nominated;
  const text = (entries: Iterable<[number, string]>) => [...entries].map(([id, node]) => `${facts.podNames.name(id)}@${node}`).sort().join(",");
  const keptEntries = [...kept.entries()].map(([id, node]): [number, string] => [id, facts.nodeNames.name(node)]);
  if (text(keptEntries) !== text(nominated)) broken.push(`nominated: [${text(keptEntries)}] kept, a scan finds [${text(nominated)}]`);
  // By node too: each node's ids and sums as the nominator keeps them.
  for (const [node, expected] of sums) {
    const nodeId = facts.nodeNames.id(node);
    const on = nodeId === undefined ? undefined : kept.on(nodeId);
    const keptIds = on === undefined ? "" : [...on.ids].sort((a, b) => a - b).join(",");
    if (keptIds !== expected.ids.join(",")) broken.push(`nominated to ${node}: pods [${keptIds}] kept, a scan finds [${expected.ids.join(",")}]`);
    else if (on !== undefined && (on.cpu !== expected.cpu || on.memory !== expected.memory || on.pods !== expected.ids.length || on.lowestPriority !== expected.lowestPriority)) {
      broken.push(`nominated to ${node}: sums cpu ${on.cpu}, memory ${on.memory}, ${on.pods} pods, lowest priority ${on.lowestPriority} kept; a scan finds ${expected.cpu}, ${expected.memory}, ${expected.ids.length}, ${expected.lowestPriority}`);
    }
  }
  // The budgets preemption weighs, against a scan of the objects.
  const budgets: number[] = [];
  for (let id = 0; id < facts.objectNames.list.length; id++) if (facts.objects.get(id)?.object.kind === "PodDisruptionBudget") budgets.push(id);
  const keptBudgets = [...inside.accelerators.budgetIds].sort((a, b) => a - b);
  if (keptBudgets.join(",") !== budgets.join(",")) broken.push(`budgets: [${keptBudgets.join(",")}] kept, a scan finds [${budgets.join(",")}]`);
  const priorities = (map: ReadonlyMap<number, number>) => [...map].sort((a, b) => a[0] - b[0]).map(([priority, count]) => `${priority}×${count}`).join(",");
  if (priorities(inside.accelerators.heldPriorities) !== priorities(held)) broken.push(`held priorities: [${priorities(inside.accelerators.heldPriorities)}] kept, a scan finds [${priorities(held)}]`);
}

/**
 * InterPodAffinity's term groups against a scan of every node's pods (terminating ones too):
 * per group, how many pods' terms alike each node and each domain of its key hold.
 */
function checkTermGroups(state: StateView, nodes: ReadonlyMap<number, NodeState>, inside: Internals, broken: string[]): void {
  const facts = state.facts;
  const text = (map: ReadonlyMap<string, number>) => [...map].sort().map(([name, count]) => `${name}=${count}`).join(",");
  const kept = inside.accelerators.affinity;
  const scanned = new Map<string, { perNode: Map<string, number>; perDomain: Map<string, number> }>();
  let holders = 0;
  for (const node of nodes.values()) {
    for (const key of node.pods) {
      const id = facts.podNames.id(key);
      const pod = id === undefined ? undefined : facts.pods.get(id);
      if (pod === undefined || !hasTerms(pod.pod)) continue;
      holders++;
      const terms = termsOf(pod.pod);
      const add = (kind: TermKind, term: AffinityTerm, weight: number): void => {
        const name = JSON.stringify([kind, weight, term.topologyKey, [...term.namespaces].sort(), term.selector ?? null, term.namespaceSelector ?? null]);
        let counts = scanned.get(name);
        if (counts === undefined) scanned.set(name, (counts = { perNode: new Map(), perDomain: new Map() }));
        counts.perNode.set(node.node.name, (counts.perNode.get(node.node.name) ?? 0) + 1);
        const value = node.node.labels[term.topologyKey];
        if (value !== undefined) counts.perDomain.set(value, (counts.perDomain.get(value) ?? 0) + 1);
      };
      for (const term of terms.requiredAffinity) add("requiredAffinity", term, 0);
      for (const term of terms.requiredAntiAffinity) add("requiredAntiAffinity", term, 0);
      for (const { term, weight } of terms.preferredAffinity) add("preferredAffinity", term, weight);
      for (const { term, weight } of terms.preferredAntiAffinity) add("preferredAntiAffinity", term, weight);
    }
  }
  if (kept.holders !== holders) broken.push(`affinity: ${kept.holders} pods with terms counted on nodes, a scan finds ${holders}`);
  const seen = new Set<string>();
  for (const kind of ["requiredAffinity", "requiredAntiAffinity", "preferredAffinity", "preferredAntiAffinity"] as const) {
    for (const group of kept.groupsOf(kind)) {
      const name = JSON.stringify([kind, group.weight, group.term.topologyKey, [...group.term.namespaces].sort(), group.term.selector ?? null, group.term.namespaceSelector ?? null]);
      seen.add(name);
      const expected = scanned.get(name) ?? { perNode: new Map(), perDomain: new Map() };
      if (text(group.perNode) !== text(expected.perNode)) broken.push(`affinity: ${name} held per node [${text(group.perNode)}], a scan finds [${text(expected.perNode)}]`);
      if (text(group.perDomain) !== text(expected.perDomain)) broken.push(`affinity: ${name} held per ${group.term.topologyKey} [${text(group.perDomain)}], a scan finds [${text(expected.perDomain)}]`);
    }
  }
  for (const name of scanned.keys()) if (!seen.has(name)) broken.push(`affinity: ${name} is held on nodes but has no group`);
}

/**
 * PodTopologySpread's (and InterPodAffinity's) per-node counts, for every selector registered,
 * against a count of each node's pod list (what the plugins' naive PreFilter reads): the pods of
 * the selector's namespace (any, for `*`) that match it and that `counts` (spreading leaves out
 * terminating pods).
 */
function checkSpread(state: StateView, nodes: ReadonlyMap<number, NodeState>, spread: SpreadCounts, label: string, counts: (pod: PodState) => boolean, broken: string[]): void {
  const facts = state.facts;
  const text = (map: ReadonlyMap<string, number>) => [...map].sort().map(([name, count]) => `${name}=${count}`).join(",");
  for (const entry of spread.entries()) {
    const scanned = new Map<string, number>();
    for (const node of nodes.values()) {
      let count = 0;
      for (const key of node.pods) {
        const id = facts.podNames.id(key);
        const pod = id === undefined ? undefined : facts.pods.get(id);
        if (pod === undefined) {
          broken.push(`${label}: node ${node.node.name} lists ${key}, which has no record`);
          continue;
        }
        if (counts(pod) && (entry.namespace === ANY_NAMESPACE || pod.pod.namespace === entry.namespace) && selectorMatches(entry.selector, pod.pod.labels)) count++;
      }
      if (count > 0) scanned.set(node.node.name, count);
    }
    if (text(entry.perNode) !== text(scanned)) broken.push(`${label}: pods matching ${JSON.stringify(entry.selector)} in ${entry.namespace} per node are [${text(entry.perNode)}], a count of the nodes' pods finds [${text(scanned)}]`);
    for (const [key, perDomain] of entry.perDomain) {
      const domains = new Map<string, number>();
      for (const node of nodes.values()) {
        const value = node.node.labels[key];
        const count = scanned.get(node.node.name);
        if (value !== undefined && count !== undefined) domains.set(value, (domains.get(value) ?? 0) + count);
      }
      if (text(perDomain) !== text(domains)) broken.push(`${label}: pods matching ${JSON.stringify(entry.selector)} in ${entry.namespace} per ${key} are [${text(perDomain)}], a count of the nodes' pods finds [${text(domains)}]`);
    }
  }
  if (spread.nodes !== nodes.size) broken.push(`${label}: ${spread.nodes} nodes counted, ${nodes.size} exist`);
  for (const key of spread.keys()) {
    const values = new Map<string, number>();
    for (const node of nodes.values()) {
      const value = node.node.labels[key];
      if (value !== undefined) values.set(value, (values.get(value) ?? 0) + 1);
    }
    if (text(spread.keyDomains(key)) !== text(values)) broken.push(`${label}: nodes per ${key} are [${text(spread.keyDomains(key))}], a scan finds [${text(values)}]`);
  }
}

/** PodGC's count and order of terminated pods against a scan. */
function checkTerminated(state: StateView, broken: string[]): void {
  const facts = state.facts;
  const scanned: { seq: number; key: string }[] = [];
  facts.podNames.list.forEach((key, id) => {
    const pod = facts.pods.get(id);
    if (pod !== undefined && (pod.phase === "Succeeded" || pod.phase === "Failed")) scanned.push({ seq: pod.createdSeq, key });
  });
  scanned.sort((a, b) => a.seq - b.seq);
  if (state.terminatedCount() !== scanned.length) broken.push(`terminated pods: the index counts ${state.terminatedCount()}, a scan ${scanned.length}`);
  const oldest = state.oldestTerminated(scanned.length).map((pod) => `${pod.pod.namespace}/${pod.pod.name}`);
  const expected = scanned.map((item) => item.key);
  if (oldest.join("\n") !== expected.join("\n")) broken.push(`terminated pods: the index's order is [${oldest.join(", ")}], a scan's [${expected.join(", ")}]`);
}

/** `podsOwnedBy` and `objectsOwnedBy` against a scan of the records. */
function checkOwners(state: StateView, broken: string[]): void {
  const facts = state.facts;
  const pods = new Map<string, string[]>();
  facts.podNames.list.forEach((key, id) => {
    const pod = facts.pods.get(id);
    const owner = pod === undefined ? undefined : controllerKeyOf(pod.pod);
    if (owner !== undefined) pods.set(owner, [...(pods.get(owner) ?? []), key]);
  });
  const objects = new Map<string, string[]>();
  facts.objectNames.list.forEach((key, id) => {
    const record = facts.objects.get(id);
    const owner = record === undefined ? undefined : objectOwnerKey(record);
    if (owner !== undefined) objects.set(owner, [...(objects.get(owner) ?? []), key]);
  });
  const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join("\n") === [...b].sort().join("\n");
  const inside = state as unknown as { accelerators(): Accelerators };
  const indexed = inside.accelerators();
  for (const owner of new Set([...pods.keys(), ...indexed.ownedPods.keys()])) {
    const indexedPods = state.podsOwnedBy(owner).map((pod) => `${pod.pod.namespace}/${pod.pod.name}`);
    if (!same(pods.get(owner) ?? [], indexedPods)) broken.push(`owner index: pods of ${owner} are [${indexedPods.join(", ")}], a scan finds [${(pods.get(owner) ?? []).join(", ")}]`);
  }
  const counts = new Map<string, OwnedCounts>();
  for (let id = 0; id < facts.podNames.list.length; id++) {
    const pod = facts.pods.get(id);
    const part = pod === undefined ? undefined : countsOf(pod);
    if (part === undefined) continue;
    let scanned = counts.get(part[0]);
    if (scanned === undefined) counts.set(part[0], (scanned = { active: 0, ready: 0, present: 0, revisions: new Map() }));
    addPart(scanned, part, 1);
  }
  const text = (value: OwnedCounts | undefined) => value === undefined ? "none"
    : `active ${value.active}, ready ${value.ready}, present ${value.present}, revisions ${[...value.revisions].sort().map(([hash, n]) => `${hash}=${n}`).join(" ")}`;
  for (const uid of new Set([...counts.keys(), ...indexed.ownedCounts.keys()])) {
    const scanned = counts.get(uid);
    const kept = indexed.ownedCounts.get(uid);
    const empty = (value: OwnedCounts | undefined) => value === undefined || (value.active === 0 && value.ready === 0 && value.present === 0 && value.revisions.size === 0);
    if (empty(scanned) && empty(kept)) continue;
    if (text(kept) !== text(scanned)) broken.push(`owner counts of uid ${uid}: kept ${text(kept)}, a scan finds ${text(scanned)}`);
  }
  for (const owner of new Set([...objects.keys(), ...indexed.ownedObjects.keys()])) {
    if (!same(objects.get(owner) ?? [], state.objectsOwnedBy(owner))) broken.push(`owner index: objects of ${owner} are [${state.objectsOwnedBy(owner).join(", ")}], a scan finds [${(objects.get(owner) ?? []).join(", ")}]`);
  }
}

/** A heap item of the queue index (queue-index.ts `Item`). */
interface QueueItem {
  readonly id: number;
  readonly entry: QueuedPod;
}

/** A heap's items as stored, with their numeric keys where the heap has them. */
interface HeapContents {
  readonly items: readonly QueueItem[];
  readonly firsts?: Float64Array;
  readonly seconds?: Float64Array;
}

/** What the check reads that the accelerators keep private. */
interface Internals {
  readonly accelerators: Accelerators;
  readonly taintedNodes: number | undefined;
  readonly slotOfId: readonly (number | undefined)[] | undefined;
  readonly infos: readonly ({ readonly record: NodeState; readonly info: NodeInfo } | undefined)[] | undefined;
  /** Read when called: the heaps change as the queue is asked for its next pod. */
  readonly heaps: () => { readonly active: HeapContents; readonly backoff: HeapContents; readonly timed: HeapContents } | undefined;
}

/**
 * The private parts, read through a cast once kube's order is up to date (a rebuild replaces the
 * slot table); a part that is not where it should be is reported.
 */
function internals(state: StateView, broken: string[]): Internals {
  const accelerators = (state as unknown as { accelerators(): Accelerators }).accelerators();
  const fields = accelerators as unknown as Record<string, unknown>;
  const read = <T>(value: unknown, present: boolean, what: string): T | undefined => {
    if (present) return value as T;
    broken.push(`checkAccelerators cannot read ${what}: a private field was renamed; update core/fast/check.ts`);
    return undefined;
  };
  const numeric = (heap: Record<string, unknown> | undefined): HeapContents | undefined => {
    if (heap === undefined) return undefined;
    const { payloads, length, firsts, seconds } = heap;
    if (!Array.isArray(payloads) || typeof length !== "number" || !(firsts instanceof Float64Array) || !(seconds instanceof Float64Array)) return undefined;
    return { items: (payloads as QueueItem[]).slice(0, length), firsts, seconds };
  };
  const heaps = () => {
    const queue = accelerators.queue as unknown as Record<string, Record<string, unknown> | undefined>;
    const active = numeric(queue["active"]);
    const timed = numeric(queue["timed"]);
    const backoffItems = queue["backoff"]?.["items"];
    const backoff = Array.isArray(backoffItems) ? { items: backoffItems as QueueItem[] } : undefined;
    return read<ReturnType<Internals["heaps"]>>({ active, backoff, timed }, active !== undefined && backoff !== undefined && timed !== undefined, "the queue's heaps");
  };
  return {
    accelerators,
    taintedNodes: read<number>(fields["taintedNodes"], typeof fields["taintedNodes"] === "number", "the tainted-node count"),
    slotOfId: read<(number | undefined)[]>(fields["slotOfId"], Array.isArray(fields["slotOfId"]), "the slot of each node"),
    infos: read<Internals["infos"]>(fields["infos"], Array.isArray(fields["infos"]), "the NodeInfo cache"),
    heaps,
  };
}

/** The node tree (the order's source) against the records: every node once, in its zone. */
function checkTree(state: StateView, nodes: ReadonlyMap<number, NodeState>, broken: string[]): void {
  const tree = toNodeTree(state.facts.nodeTree);
  const zoneOf = new Map<string, string>();
  for (const zone of tree.zones) {
    for (const name of tree.nodesByZone[zone] ?? []) {
      if (zoneOf.has(name)) broken.push(`node tree: ${name} is listed twice`);
      zoneOf.set(name, zone);
    }
  }
  for (const node of nodes.values()) {
    const zone = zoneOf.get(node.node.name);
    if (zone === undefined) broken.push(`node tree: ${node.node.name} is missing`);
    else if (zone !== zoneKey(node.node)) broken.push(`node tree: ${node.node.name} is in zone ${JSON.stringify(zone)}, its labels say ${JSON.stringify(zoneKey(node.node))}`);
    zoneOf.delete(node.node.name);
  }
  for (const name of zoneOf.keys()) broken.push(`node tree: lists ${name}, which has no record`);
}

/** kube's order and the slots against the tree's round-robin list; returns the held slots in slot order. */
function checkOrderAndSlots(state: StateView, nodes: ReadonlyMap<number, NodeState>, inside: Internals, broken: string[]): { slot: number; id: number }[] {
  const names = state.facts.nodeNames;
  const expected = listTree(toNodeTree(state.facts.nodeTree));
  const order = state.nodeOrder().map((id) => names.list[id] ?? `#${id}`);
  compareLists("kube's node order", order, expected, broken);

  const held: { slot: number; id: number }[] = [];
  state.nodeSlots().forEach((id, slot) => {
    if (id !== undefined) held.push({ slot, id });
  });
  compareLists("the nodes in the index's slots, in slot order", held.map(({ id }) => names.list[id] ?? `#${id}`), expected, broken);
  for (const { slot, id } of held) {
    if (!nodes.has(id)) broken.push(`slot ${slot} holds node id ${id}, which has no record`);
    const known = inside.slotOfId?.[id];
    if (inside.slotOfId !== undefined && known !== slot) broken.push(`node ${names.list[id] ?? id} sits at slot ${slot} but is recorded at slot ${String(known)}`);
  }
  return held;
}

function compareLists(what: string, actual: readonly string[], expected: readonly string[], broken: string[]): void {
  if (actual.length !== expected.length) broken.push(`${what}: ${actual.length} nodes, the tree lists ${expected.length}`);
  const at = actual.findIndex((name, index) => name !== expected[index]);
  if (at >= 0) broken.push(`${what}: position ${at} holds ${actual[at]}, the tree's list has ${String(expected[at])} there`);
}

const COLUMN_NAMES = ["allocatable cpu", "allocatable memory", "non-zero requested cpu", "non-zero requested memory", "requested cpu", "requested memory", "cordoned", "tie-break hash", "filtering taint", "pod count", "allocatable pods", "nominated cpu", "nominated memory", "nominated pods", "lowest nominated priority"] as const;

/** The pods nominated to a node, summed by a scan: cpu, memory, count, lowest priority. */
type NominatedScan = readonly [number, number, number, number];

/** A node's columns from its record and the pods nominated to it (see `Accelerators.place`). */
function naiveColumns(node: NodeState, nominated: NominatedScan = [0, 0, 0, Number.POSITIVE_INFINITY]): number[] {
  return [
    node.node.allocatable["cpu"] ?? 0,
    node.node.allocatable["memory"] ?? 0,
    node.nonZeroRequested.cpu,
    node.nonZeroRequested.memory,
    node.requested["cpu"] ?? 0,
    node.requested["memory"] ?? 0,
    node.node.unschedulable ? 1 : 0,
    nodeTieHash(node.node.name),
    node.node.taints.some((taint) => taint.effect === "NoSchedule" || taint.effect === "NoExecute") ? 1 : 0,
    node.pods.length,
    node.node.allocatable["pods"] ?? 0,
    ...nominated,
  ];
}

function checkColumns(state: StateView, held: readonly { slot: number; id: number }[], nodes: ReadonlyMap<number, NodeState>, broken: string[]): void {
  if (COLUMN_NAMES.length !== NODE_COLUMNS) broken.push(`the check knows ${COLUMN_NAMES.length} node columns, the state keeps ${NODE_COLUMNS}`);
  const columns = state.nodeColumns();
  const nominated = new Map<string, NominatedScan>();
  for (let id = 0; id < state.facts.podNames.list.length; id++) {
    const pod = state.facts.pods.get(id);
    if (pod?.nominatedNode === undefined) continue;
    const [cpu, memory, count, lowest] = nominated.get(pod.nominatedNode) ?? [0, 0, 0, Number.POSITIVE_INFINITY];
    nominated.set(pod.nominatedNode, [cpu + (pod.request["cpu"] ?? 0), memory + (pod.request["memory"] ?? 0), count + 1, Math.min(lowest, pod.pod.priority)]);
  }
  for (const { slot, id } of held) {
    const node = nodes.get(id);
    if (node === undefined) continue;
    naiveColumns(node, nominated.get(node.node.name)).forEach((value, column) => {
      const stored = columns[slot * NODE_COLUMNS + column];
      if (stored !== value) broken.push(`node ${node.node.name} (slot ${slot}): column ${COLUMN_NAMES[column]} is ${String(stored)}, its record says ${value}`);
    });
  }
}

/** The capacity a node offers the index, from its record (cordoned nodes included: NodeUnschedulable decides). */
function naiveCapacity(node: NodeState): SlotCapacity {
  const allocatable = node.node.allocatable;
  const cpuAllocatable = allocatable["cpu"] ?? 0;
  const memoryAllocatable = allocatable["memory"] ?? 0;
  return {
    cpuFree: cpuAllocatable - (node.requested["cpu"] ?? 0),
    memoryFree: memoryAllocatable - (node.requested["memory"] ?? 0),
    podsFree: (allocatable["pods"] ?? 0) - node.pods.length,
    cpuAllocatable,
    memoryAllocatable,
    schedulable: true,
  };
}

/** NodeResourcesFit on cpu, memory and pods, as the index applies it (a request of 0 or less is not checked). */
function fitsAt(capacity: SlotCapacity, cpu: number, memory: number): boolean {
  return capacity.schedulable && capacity.podsFree >= 1 && (cpu <= 0 || capacity.cpuFree >= cpu) && (memory <= 0 || capacity.memoryFree >= memory);
}

const GIB = 2 ** 30;
/** Requests (cpu millicores, memory bytes) whose answers are compared with a scan. */
const PROBE_REQUESTS: readonly (readonly [number, number])[] = [[0, 0], [1, 1], [250, GIB / 4], [1000, GIB], [4000, 8 * GIB]];

function checkCapacityIndex(state: StateView, held: readonly { slot: number; id: number }[], nodes: ReadonlyMap<number, NodeState>, nodeName: (id: number) => string, broken: string[]): void {
  const index = state.capacityIndex();
  const naive = new NaiveCapacityIndex();
  const capacities = new Map<number, SlotCapacity>();
  for (const { slot, id } of held) {
    const node = nodes.get(id);
    if (node === undefined) continue;
    const capacity = naiveCapacity(node);
    capacities.set(slot, capacity);
    naive.set(slot, capacity);
  }
  if (index.occupied !== naive.occupied) broken.push(`capacity index: ${index.occupied} slots occupied, but ${naive.occupied} nodes hold slots`);
  held.forEach(({ slot }, position) => {
    if (index.select(position) !== slot) broken.push(`capacity index: select(${position}) is slot ${index.select(position)}, but held slot ${position} (from 0) is slot ${slot}`);
    if (index.rank(slot) !== position) broken.push(`capacity index: rank(${slot}) is ${index.rank(slot)}, expected ${position}`);
  });
  // Each slot's free cpu and memory, exactly: it fits its own free amounts and not one unit more.
  const slotOf = new Map(held.map(({ slot, id }) => [slot, id]));
  for (const [slot, capacity] of capacities) {
    const probes: (readonly [number, number])[] = [[capacity.cpuFree, capacity.memoryFree], [capacity.cpuFree + 1, capacity.memoryFree], [capacity.cpuFree, capacity.memoryFree + 1]];
    for (const [cpu, memory] of probes) {
      const answer = index.firstFit(cpu, memory, slot);
      const fits = fitsAt(capacity, cpu, memory);
      if ((answer === slot) !== fits) {
        broken.push(`capacity index: node ${nodeName(slotOf.get(slot) as number)} (slot ${slot}, ${capacity.cpuFree}m cpu, ${capacity.memoryFree} B memory, ${capacity.podsFree} pods free) ${fits ? "does not take" : "takes"} a request of ${cpu}m cpu and ${memory} B memory`);
      }
    }
  }
  const named = (slot: number) => {
    const id = slotOf.get(slot);
    return slot < 0 ? "none" : `slot ${slot} (${id === undefined ? "no node" : nodeName(id)})`;
  };
  for (const [cpu, memory] of PROBE_REQUESTS) {
    const queries = [
      ["firstFit", index.firstFit(cpu, memory), naive.firstFit(cpu, memory)],
      ["bestFit", index.bestFit(cpu, memory), naive.bestFit(cpu, memory)],
      ["worstFit", index.worstFit(cpu, memory), naive.worstFit(cpu, memory)],
    ] as const;
    for (const [query, answer, expected] of queries) {
      if (answer !== expected) broken.push(`capacity index: ${query}(${cpu}m cpu, ${memory} B memory) gives ${named(answer)}, a scan gives ${named(expected)}`);
    }
  }
}

/** The hostname index (built when first asked for, then kept) against the nodes' labels. */
function checkHostnames(state: StateView, nodes: ReadonlyMap<number, NodeState>, inside: Internals, broken: string[]): void {
  const expected = new Map<string, number[]>();
  for (const [id, node] of nodes) {
    const value = node.node.labels[HOSTNAME_LABEL];
    if (value !== undefined) expected.set(value, [...(expected.get(value) ?? []), id]);
  }
  const listed = (ids: readonly number[] | undefined) => [...(ids ?? [])].sort((a, b) => a - b).join(", ");
  for (const [value, ids] of expected) {
    if (listed(state.nodesWithHostname(value)) !== listed(ids)) broken.push(`hostname ${value}: the index lists nodes [${listed(state.nodesWithHostname(value))}], the labels [${listed(ids)}]`);
  }
  // (Not built yet when no node has the label and nothing asked.)
  if (!Object.hasOwn(inside.accelerators, "hostnameIds")) broken.push("checkAccelerators cannot read the hostname index: a private field was renamed; update core/fast/check.ts");
  const kept = (inside.accelerators as unknown as Record<string, unknown>)["hostnameIds"];
  if (kept instanceof Map) for (const [value, ids] of kept as Map<string, number[]>) if (!expected.has(value)) broken.push(`hostname ${value}: the index lists nodes [${listed(ids)}], no node has it`);
}

function checkTaintsAndImages(state: StateView, nodes: ReadonlyMap<number, NodeState>, inside: Internals, broken: string[]): void {
  let tainted = 0;
  const images = new Map<string, number>();
  for (const node of nodes.values()) {
    if (node.node.taints.length > 0) tainted += 1;
    for (const image of Object.keys(node.node.images ?? {})) images.set(image, (images.get(image) ?? 0) + 1);
  }
  const haveTaints = `${tainted} ${tainted === 1 ? "node has" : "nodes have"} taints`;
  if (state.anyNodeTainted() !== tainted > 0) broken.push(`anyNodeTainted() is ${state.anyNodeTainted()}, but ${haveTaints}`);
  const preferred = [...nodes.values()].some((node) => node.node.taints.some((taint) => taint.effect === "PreferNoSchedule"));
  if (state.anyNodePreferTainted() !== preferred) broken.push(`anyNodePreferTainted() is ${state.anyNodePreferTainted()}, but ${preferred ? "a node has" : "no node has"} a PreferNoSchedule taint`);
  if (inside.taintedNodes !== undefined && inside.taintedNodes !== tainted) broken.push(`the tainted-node count is ${inside.taintedNodes}, but ${haveTaints}`);
  const counted = state.imageNodeCounts();
  for (const [image, count] of images) {
    if (counted.get(image) !== count) broken.push(`image ${image}: counted on ${String(counted.get(image) ?? 0)} nodes, ${count} ${count === 1 ? "node lists" : "nodes list"} it`);
  }
  for (const [image, count] of counted) {
    if (!images.has(image)) broken.push(`image ${image}: counted on ${count} ${count === 1 ? "node" : "nodes"}, no node lists it`);
  }
}

function checkQueue(state: StateView, inside: Internals, broken: string[]): void {
  const facts = state.facts;
  const queue = inside.accelerators.queue;
  // The heaps answer for their latest tick and later: ask at the state's tick, or theirs if later.
  const now = Math.max(facts.t, queue.advancedTo);
  const entries: [string, QueuedPod][] = [];
  const entryOf = new Map<number, QueuedPod>();
  for (let id = 0; id < facts.podNames.list.length; id++) {
    const entry = facts.queue.get(id);
    if (entry === undefined) continue;
    entries.push([facts.podNames.name(id), entry]);
    entryOf.set(id, entry);
  }
  const next = state.nextPodToSchedule(now);
  const expected = pickNextPod(entries, now);
  if (next !== expected) broken.push(`queue: at tick ${now} the heaps pop ${String(next)}, a scan of the entries pops ${String(expected)}`);

  for (const [id, entry] of entryOf) {
    if ((entry.pool === "unschedulable") !== queue.unschedulable.has(id)) {
      broken.push(`queue: ${facts.podNames.name(id)} is in pool ${entry.pool} but ${queue.unschedulable.has(id) ? "in" : "not in"} the unschedulable set`);
    }
  }
  for (const id of queue.unschedulable) {
    if (!entryOf.has(id)) broken.push(`queue: the unschedulable set holds ${facts.podNames.list[id] ?? id}, which is not queued`);
  }
  for (const [id, entry] of entryOf) {
    const bySpread = entry.pool === "unschedulable" && entry.plugins.some((plugin) => POD_PLUGINS.includes(plugin));
    if (bySpread !== queue.unschedulableByPodPlugins.has(id)) broken.push(`queue: ${facts.podNames.name(id)} is ${bySpread ? "" : "not "}unschedulable by PodTopologySpread or InterPodAffinity but ${bySpread ? "not " : ""}in its set`);
  }
  for (const id of queue.unschedulableByPodPlugins) {
    if (!entryOf.has(id)) broken.push(`queue: the PodTopologySpread set holds ${facts.podNames.list[id] ?? id}, which is not queued`);
  }

  const heaps = inside.heaps();
  if (heaps === undefined) return;
  // Items whose entry is the pod's current one, by heap; the stale rest is dropped lazily.
  const current = (heap: HeapContents, keys?: (entry: QueuedPod) => readonly [number, number]): Set<number> => {
    const ids = new Set<number>();
    heap.items.forEach((item, at) => {
      if (entryOf.get(item.id) !== item.entry) return;
      ids.add(item.id);
      if (keys === undefined || heap.firsts === undefined || heap.seconds === undefined) return;
      const [first, second] = keys(item.entry);
      if (heap.firsts[at] !== first || heap.seconds[at] !== second) {
        broken.push(`queue: ${facts.podNames.name(item.id)} is keyed (${heap.firsts[at]}, ${heap.seconds[at]}) in a heap, its entry says (${first}, ${second})`);
      }
    });
    return ids;
  };
  const active = current(heaps.active, (entry) => [-entry.priority, entry.order]);
  const backoff = current(heaps.backoff);
  const timed = current(heaps.timed, (entry) => [nextQueueChange(entry, now) ?? Infinity, 0]);
  for (const [id, entry] of entryOf) {
    const status = queueStatus(entry, now);
    const needs: [string, Set<number>][] = status === "active" ? [["active", active]]
      : status === "backoff" ? (entry.error ? [["timed", timed]] : [["backoff", backoff], ["timed", timed]])
      : [["timed", timed]];
    for (const [heap, ids] of needs) {
      if (!ids.has(id)) broken.push(`queue: ${facts.podNames.name(id)} (${status} at tick ${now}) is missing from the ${heap} heap`);
    }
  }
}

/** Cached NodeInfos still in use (their record is the node's current one) against that record. */
function checkNodeInfos(nodes: ReadonlyMap<number, NodeState>, nodeName: (id: number) => string, inside: Internals, broken: string[]): void {
  inside.infos?.forEach((cached, id) => {
    const node = nodes.get(id);
    if (cached === undefined || node === undefined || cached.record !== node) return;
    const info = cached.info;
    const wrong: string[] = [];
    if (info.node !== node.node) wrong.push("node spec");
    if (!sameResources(info.requested, node.requested)) wrong.push(`requested ${JSON.stringify(info.requested)} (record: ${JSON.stringify(node.requested)})`);
    if (info.nonZeroRequested.cpu !== node.nonZeroRequested.cpu || info.nonZeroRequested.memory !== node.nonZeroRequested.memory) wrong.push("non-zero requested");
    if (info.podCount !== node.pods.length) wrong.push(`pod count ${info.podCount} (record: ${node.pods.length})`);
    if (wrong.length > 0) broken.push(`cached NodeInfo of ${nodeName(id)}: ${wrong.join(", ")}`);
  });
}
