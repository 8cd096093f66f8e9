/**
 * The limit the trace lines are compared against (`trace/…/vs-mutable`): a plain mutable scheduler
 * over typed arrays, written only for this comparison and kept apart from `core/`. It replays a
 * run's log and, at each scheduling cycle the log records (PodBound by the scheduler,
 * PodUnschedulable), makes the decision itself, with kube-scheduler v1.35's default profile as it
 * applies to pods that ask only for resources:
 * - nodes in kube's order (the node tree: zones in first-seen order, one node of each in turn);
 *   the walk from `nextStartNodeIndex`, round-robin, stopping at `numFeasibleNodesToFind`
 *   feasible nodes (schedule_one.go), then the start moved by the nodes processed;
 * - Filter: NodeUnschedulable (cordoned), TaintToleration (NoSchedule and NoExecute taints),
 *   NodeResourcesFit (pod count, then every resource asked for, against allocatable − requested),
 *   InterPodAffinity for required anti-affinity by hostname on one label (the Google trace's);
 * - Score: NodeResourcesFit's LeastAllocated over cpu and memory with kube's non-zero requests,
 *   plus BalancedAllocation over cpu and memory (the other default plugins score every node alike
 *   here); the highest total wins, ties broken by the simulator's seeded hash (DESIGN.md
 *   "Randomness", the one thing taken from `core/`).
 *
 * Each decision is compared with the log's (node, and the next start when the log gives it): a
 * disagreement is counted, and the bench refuses a figure with any. Cycles it does not model are
 * run all the same but not compared: while some pod is nominated (preemption's held room), for
 * pods with node selectors, node or pod affinity other than hostname anti-affinity, spreading, host
 * ports or init containers, and while a node has a PreferNoSchedule taint. It does not run
 * preemption's candidate search (the log's victims are simply freed), nor build FailedScheduling's
 * message: what it costs is a lower bound on the work. Everything else follows the log: binds, frees, nodes joining and leaving. What the
 * engine costs beyond this is the price of the cluster's history, controllers and log.
 */
import { nodeTieHash, tieBreakPrefix, tieBreakRankOf, type ClusterEvent, type Node, type Pod, type Taint } from "../core/index.js";

const MAX_NODE_SCORE = 100;
const DEFAULT_CPU = 100; // millicores a container without a cpu request counts when scoring
const DEFAULT_MEMORY = 200 * 1024 * 1024;
const ZONE = "topology.kubernetes.io/zone";

/** kube's numFeasibleNodesToFind with the default (adaptive) percentageOfNodesToScore. */
export function feasibleToFind(nodes: number): number {
  if (nodes < 100) return nodes;
  const percentage = Math.max(50 - Math.trunc(nodes / 125), 5);
  return Math.max(Math.trunc((nodes * percentage) / 100), 100);
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** Whether one of the pod's tolerations tolerates `taint` (kube's Toleration.ToleratesTaint). */
function tolerates(taint: Taint, pod: Pod): boolean {
  return pod.tolerations.some((toleration) =>
    (toleration.key === undefined || toleration.key === "" || toleration.key === taint.key) &&
    (toleration.effect === undefined || toleration.effect === taint.effect) &&
    (toleration.operator === "Exists" || (toleration.value ?? "") === (taint.value ?? "")));
}

/** NodeUnschedulable's filter tolerates a cordoned node for pods tolerating this taint. */
const CORDON: Taint = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" };

export interface Agreement {
  /** Cycles decided here and compared with the log. */
  compared: number;
  /** Cycles run but not compared (see the file's comment). */
  unmodelled: number;
  /** Decisions that differ from the log's. */
  disagreements: number;
  /** The first of them, in words. */
  first?: string;
}

export class MutableScheduler {
  private readonly nodeIds = new Map<string, number>();
  private nodeNames: string[] = [];
  private taints: Taint[][] = [];
  private others: (Map<string, number> | undefined)[] = []; // allocatable of other resources
  private othersUsed: (Map<string, number> | undefined)[] = [];
  private cpuAllocatable = new Float64Array(1024);
  private memoryAllocatable = new Float64Array(1024);
  private podsAllocatable = new Float64Array(1024);
  private cpuUsed = new Float64Array(1024);
  private memoryUsed = new Float64Array(1024);
  private cpuNonZero = new Float64Array(1024);
  private memoryNonZero = new Float64Array(1024);
  private podCount = new Float64Array(1024);
  private cordoned = new Uint8Array(1024);
  private tie = new Float64Array(1024);
  private zoneOf: string[] = [];
  /** Zones in first-seen order, each with its nodes in join order (kube's node tree). */
  private readonly zones = new Map<string, number[]>();
  private order = new Int32Array(0);
  private orderStale = true;
  private preferTainted = 0;

  private readonly podIds = new Map<string, number>();
  private pods: Pod[] = [];
  private podCpu = new Float64Array(1024);
  private podMemory = new Float64Array(1024);
  private podCpuNonZero = new Float64Array(1024);
  private podMemoryNonZero = new Float64Array(1024);
  private podOthers: ([string, number][] | undefined)[] = [];
  private podNode = new Int32Array(1024);
  private podPlain = new Uint8Array(1024); // 1: asks only for resources and tolerations, and maybe hostname anti-affinity (below)
  /** Each pod's "namespace\0key=value" per label, and per required anti-affinity term by hostname (one matchLabels pair). */
  private podLabels: string[][] = [];
  private podRepels: (string[] | undefined)[] = [];
  /** Per key above, the nodes where pods holding resources carry that label, and where they repel it: how many. */
  private readonly labelNodes = new Map<string, Map<number, number>>();
  private readonly repelNodes = new Map<string, Map<number, number>>();
  private readonly nominated = new Set<string>();

  /** Where the next cycle starts (kube's nextStartNodeIndex), as the log has it. */
  private start = 0;
  readonly agreement: Agreement = { compared: 0, unmodelled: 0, disagreements: 0 };

  constructor(private readonly seed: number) {}

  apply(event: ClusterEvent): void {
    switch (event.type) {
      case "NodeJoined": return this.join(event.spec);
      case "NodeRemoved": return this.remove(event.node);
      case "NodeCordoned":
      case "NodeUncordoned": {
        const id = this.nodeIds.get(event.node);
        if (id !== undefined) this.cordoned[id] = event.type === "NodeCordoned" ? 1 : 0;
        return;
      }
      case "NodeTainted":
      case "NodeUntainted": {
        const id = this.nodeIds.get(event.node);
        if (id === undefined) return;
        const same = (taint: Taint) => taint.key === event.taint.key && taint.effect === event.taint.effect;
        const before = this.taints[id] as Taint[];
        this.preferTainted -= before.filter((taint) => taint.effect === "PreferNoSchedule").length;
        this.taints[id] = event.type === "NodeTainted" ? [...before.filter((taint) => !same(taint)), event.taint] : before.filter((taint) => !same(taint));
        this.preferTainted += (this.taints[id] as Taint[]).filter((taint) => taint.effect === "PreferNoSchedule").length;
        return;
      }
      case "PodCreated": return this.create(event.pod, event.spec);
      case "PodNominated":
        if (event.node === "") this.nominated.delete(event.pod);
        else this.nominated.add(event.pod);
        return;
      case "PodBound": {
        const pod = this.podIds.get(event.pod);
        if (pod === undefined) return;
        this.nominated.delete(event.pod);
        if ((this.pods[pod] as Pod).nodeName === undefined) this.cycle(event.pod, pod, event.node, event.nextStartNodeIndex);
        this.hold(pod, event.node);
        return;
      }
      case "PodUnschedulable": {
        const pod = this.podIds.get(event.pod);
        if (pod !== undefined) this.cycle(event.pod, pod, undefined, event.nextStartNodeIndex);
        return;
      }
      case "ResourcesFreed": {
        const pod = this.podIds.get(event.pod);
        if (pod !== undefined) this.release(pod);
        return;
      }
      case "PodDeleted":
      case "PodEvicted":
        this.nominated.delete(event.pod);
        return;
      default:
        return;
    }
  }

  private join(node: Node): void {
    const id = this.nodeNames.length;
    this.nodeIds.set(node.name, id);
    this.nodeNames.push(node.name);
    this.taints.push([...node.taints]);
    this.preferTainted += node.taints.filter((taint) => taint.effect === "PreferNoSchedule").length;
    for (const name of ["cpuAllocatable", "memoryAllocatable", "podsAllocatable", "cpuUsed", "memoryUsed", "cpuNonZero", "memoryNonZero", "podCount", "tie"] as const) this[name] = grow(this[name], id + 1);
    this.cordoned = grow(this.cordoned, id + 1);
    this.cpuAllocatable[id] = node.allocatable["cpu"] ?? 0;
    this.memoryAllocatable[id] = node.allocatable["memory"] ?? 0;
    this.podsAllocatable[id] = node.allocatable["pods"] ?? 0;
    let others: Map<string, number> | undefined;
    for (const name in node.allocatable) if (name !== "cpu" && name !== "memory" && name !== "pods") (others ??= new Map()).set(name, node.allocatable[name] as number);
    this.others.push(others);
    this.othersUsed.push(undefined);
    this.cordoned[id] = node.unschedulable ? 1 : 0;
    this.tie[id] = nodeTieHash(node.name);
    const zone = node.labels[ZONE] ?? "";
    this.zoneOf.push(zone);
    const members = this.zones.get(zone);
    if (members === undefined) this.zones.set(zone, [id]);
    else members.push(id);
    this.orderStale = true;
  }

  private remove(name: string): void {
    const id = this.nodeIds.get(name);
    if (id === undefined) return;
    this.nodeIds.delete(name);
    this.preferTainted -= (this.taints[id] as Taint[]).filter((taint) => taint.effect === "PreferNoSchedule").length;
    const zone = this.zoneOf[id] as string;
    const members = (this.zones.get(zone) as number[]).filter((member) => member !== id);
    if (members.length === 0) this.zones.delete(zone);
    else this.zones.set(zone, members);
    this.orderStale = true;
  }

  /** kube's node tree as a list: the i-th node of each zone, zone by zone, for i = 0, 1, … */
  private nodeOrder(): Int32Array {
    if (!this.orderStale) return this.order;
    let count = 0;
    let longest = 0;
    for (const members of this.zones.values()) {
      count += members.length;
      longest = Math.max(longest, members.length);
    }
    const order = new Int32Array(count);
    let at = 0;
    for (let round = 0; round < longest; round++) for (const members of this.zones.values()) if (round < members.length) order[at++] = members[round] as number;
    this.order = order;
    this.orderStale = false;
    return order;
  }

  private create(key: string, pod: Pod): void {
    const id = this.pods.length;
    this.podIds.set(key, id);
    this.pods.push(pod);
    for (const name of ["podCpu", "podMemory", "podCpuNonZero", "podMemoryNonZero"] as const) this[name] = grow(this[name], id + 1);
    this.podNode = grow(this.podNode, id + 1);
    this.podPlain = grow(this.podPlain, id + 1);
    let cpu = 0;
    let memory = 0;
    let cpuNonZero = 0;
    let memoryNonZero = 0;
    const others = new Map<string, number>();
    for (const container of pod.containers) {
      for (const name in container.requests) {
        const amount = container.requests[name] as number;
        if (name === "cpu") cpu += amount;
        else if (name === "memory") memory += amount;
        else others.set(name, (others.get(name) ?? 0) + amount);
      }
      cpuNonZero += container.requests["cpu"] ?? DEFAULT_CPU;
      memoryNonZero += container.requests["memory"] ?? DEFAULT_MEMORY;
    }
    this.podCpu[id] = cpu;
    this.podMemory[id] = memory;
    this.podCpuNonZero[id] = cpuNonZero;
    this.podMemoryNonZero[id] = memoryNonZero;
    this.podOthers.push(others.size === 0 ? undefined : [...others].sort(([a], [b]) => (a < b ? -1 : 1)));
    this.podNode[id] = -1;
    this.podLabels.push(Object.entries(pod.labels).map(([label, value]) => `${pod.namespace}\0${label}=${value}`));
    // InterPodAffinity as the Google trace uses it (a job's tasks on different machines): required
    // anti-affinity by hostname, one label to match, in the pod's own namespace.
    const anti = pod.podAntiAffinity;
    const repels: string[] = [];
    let modelled = pod.podAffinity === undefined && (anti === undefined || anti.preferred.length === 0);
    for (const term of anti?.required ?? []) {
      const labels = Object.entries(term.labelSelector?.matchLabels ?? {});
      const simple = term.topologyKey === "kubernetes.io/hostname" && labels.length === 1 && (term.labelSelector?.matchExpressions.length ?? 0) === 0 &&
        term.namespaceSelector === undefined && term.namespaces.every((namespace) => namespace === pod.namespace) && term.matchLabelKeys.length === 0 && term.mismatchLabelKeys.length === 0;
      if (!simple) modelled = false;
      else repels.push(`${pod.namespace}\0${(labels[0] as [string, string])[0]}=${(labels[0] as [string, string])[1]}`);
    }
    this.podRepels.push(repels.length === 0 ? undefined : repels);
    const plain = modelled && pod.initContainers.length === 0 && pod.resources === undefined && pod.overhead === undefined && Object.keys(pod.nodeSelector).length === 0 &&
      pod.nodeAffinity === undefined && (pod.topologySpreadConstraints ?? []).length === 0 &&
      pod.containers.every((container) => container.ports.every((port) => port.hostPort === undefined));
    this.podPlain[id] = plain ? 1 : 0;
  }

  private hold(pod: number, nodeName: string): void {
    const node = this.nodeIds.get(nodeName);
    if (node === undefined || this.podNode[pod] !== -1) return;
    this.podNode[pod] = node;
    this.shift(pod, node, 1);
  }

  private release(pod: number): void {
    const node = this.podNode[pod] as number;
    if (node < 0) return;
    this.podNode[pod] = -1;
    this.shift(pod, node, -1); // (on a node that left too: its counts are then simply unused)
  }

  private shift(pod: number, node: number, sign: number): void {
    this.cpuUsed[node] = (this.cpuUsed[node] as number) + sign * (this.podCpu[pod] as number);
    this.memoryUsed[node] = (this.memoryUsed[node] as number) + sign * (this.podMemory[pod] as number);
    this.cpuNonZero[node] = (this.cpuNonZero[node] as number) + sign * (this.podCpuNonZero[pod] as number);
    this.memoryNonZero[node] = (this.memoryNonZero[node] as number) + sign * (this.podMemoryNonZero[pod] as number);
    this.podCount[node] = (this.podCount[node] as number) + sign;
    const count = (index: Map<string, Map<number, number>>, keys: readonly string[]) => {
      for (const key of keys) {
        let nodes = index.get(key);
        if (nodes === undefined) index.set(key, (nodes = new Map()));
        const now = (nodes.get(node) ?? 0) + sign;
        if (now === 0) nodes.delete(node);
        else nodes.set(node, now);
      }
    };
    count(this.labelNodes, this.podLabels[pod] as string[]);
    const repels = this.podRepels[pod];
    if (repels !== undefined) count(this.repelNodes, repels);
    const others = this.podOthers[pod];
    if (others === undefined) return;
    const used = (this.othersUsed[node] ??= new Map());
    for (const [name, amount] of others) used.set(name, (used.get(name) ?? 0) + sign * amount);
  }

  /** Every filter of the profile that can refuse a plain pod. */
  private feasible(pod: number, spec: Pod, node: number, blocking: readonly Map<number, number>[]): boolean {
    if (this.cordoned[node] === 1 && !tolerates(CORDON, spec)) return false;
    const taints = this.taints[node] as Taint[];
    for (const taint of taints) if (taint.effect !== "PreferNoSchedule" && !tolerates(taint, spec)) return false;
    if ((this.podCount[node] as number) + 1 > (this.podsAllocatable[node] as number)) return false;
    // InterPodAffinity: the pod's own anti-affinity against the pods there, theirs against it.
    for (const nodes of blocking) if (nodes.has(node)) return false;
    const cpu = this.podCpu[pod] as number;
    const memory = this.podMemory[pod] as number;
    const others = this.podOthers[pod];
    if (cpu === 0 && memory === 0 && others === undefined) return true;
    if (cpu > 0 && cpu > (this.cpuAllocatable[node] as number) - (this.cpuUsed[node] as number)) return false;
    if (memory > 0 && memory > (this.memoryAllocatable[node] as number) - (this.memoryUsed[node] as number)) return false;
    if (others !== undefined) {
      const allocatable = this.others[node];
      const used = this.othersUsed[node];
      for (const [name, amount] of others) if (amount > 0 && amount > (allocatable?.get(name) ?? 0) - (used?.get(name) ?? 0)) return false;
    }
    return true;
  }

  /** LeastAllocated + BalancedAllocation, in kube's integer arithmetic. */
  private score(pod: number, node: number): number {
    const cpuAllocatable = this.cpuAllocatable[node] as number;
    const memoryAllocatable = this.memoryAllocatable[node] as number;
    // LeastAllocated: per resource the node has, (allocatable − requested) × 100 / allocatable
    // (0 when over), averaged; requests with kube's non-zero defaults.
    let least = 0;
    let weights = 0;
    if (cpuAllocatable > 0) {
      const requested = (this.cpuNonZero[node] as number) + (this.podCpuNonZero[pod] as number);
      least += requested > cpuAllocatable ? 0 : Math.trunc(((cpuAllocatable - requested) * MAX_NODE_SCORE) / cpuAllocatable);
      weights++;
    }
    if (memoryAllocatable > 0) {
      const requested = (this.memoryNonZero[node] as number) + (this.podMemoryNonZero[pod] as number);
      least += requested > memoryAllocatable ? 0 : Math.trunc(((memoryAllocatable - requested) * MAX_NODE_SCORE) / memoryAllocatable);
      weights++;
    }
    let total = weights === 0 ? 0 : Math.trunc(least / weights);
    // BalancedAllocation: (1 − the standard deviation of the requested fractions, each at most 1)
    // × 100; with two resources the deviation is half their difference. Skipped for a pod asking
    // for neither.
    const cpu = this.podCpu[pod] as number;
    const memory = this.podMemory[pod] as number;
    if (cpu !== 0 || memory !== 0) {
      let deviation = 0;
      if (cpuAllocatable > 0 && memoryAllocatable > 0) {
        const cpuFraction = Math.min(((this.cpuUsed[node] as number) + cpu) / cpuAllocatable, 1);
        const memoryFraction = Math.min(((this.memoryUsed[node] as number) + memory) / memoryAllocatable, 1);
        deviation = Math.abs((cpuFraction - memoryFraction) / 2);
      }
      total += Math.trunc((1 - deviation) * MAX_NODE_SCORE);
    }
    return total;
  }

  /** One scheduling cycle for `key`; compared with the log's outcome (`bound`: the node, undefined: it failed). */
  private cycle(key: string, pod: number, bound: string | undefined, nextStart: number | undefined): void {
    const spec = this.pods[pod] as Pod;
    const order = this.nodeOrder();
    const count = order.length;
    if (count === 0) return;
    const wanted = feasibleToFind(count);
    const first = this.start % count;
    const prefix = tieBreakPrefix(this.seed, key);
    let found = 0;
    let best = -1;
    let bestTotal = -1;
    let bestRank = 0;
    let processed = count;
    // The nodes InterPodAffinity's filter refuses: where pods the pod repels run, and where pods repelling it run.
    const blocking: Map<number, number>[] = [];
    for (const key of this.podRepels[pod] ?? []) {
      const nodes = this.labelNodes.get(key);
      if (nodes !== undefined && nodes.size > 0) blocking.push(nodes);
    }
    for (const key of this.podLabels[pod] as string[]) {
      const nodes = this.repelNodes.get(key);
      if (nodes !== undefined && nodes.size > 0) blocking.push(nodes);
    }
    for (let step = 0, at = first; step < count; step++, at = at + 1 === count ? 0 : at + 1) {
      const node = order[at] as number;
      if (!this.feasible(pod, spec, node, blocking)) continue;
      const total = this.score(pod, node);
      if (total >= bestTotal) {
        const rank = tieBreakRankOf(prefix, this.tie[node] as number);
        if (total > bestTotal || rank < bestRank) {
          best = node;
          bestTotal = total;
          bestRank = rank;
        }
      }
      if (++found === wanted) {
        processed = step + 1;
        break;
      }
    }
    const mine = (first + processed) % count;
    // The log's next start (the engine writes it only when the cycle moved it). The next cycle
    // starts there, so that a cycle not modelled here does not shift the ones after it.
    const logged = nextStart ?? this.start;
    this.start = logged;
    if (this.nominated.size > 0 || this.podPlain[pod] === 0 || this.preferTainted > 0) {
      this.agreement.unmodelled++;
      return;
    }
    this.agreement.compared++;
    const chosen = best < 0 ? undefined : this.nodeNames[best];
    if (chosen !== bound || mine !== logged % count) {
      this.agreement.disagreements++;
      this.agreement.first ??= `${key}: the log ${bound === undefined ? "found no node" : `bound it to ${bound}`} (next start ${logged % count}); here ${chosen === undefined ? "no node fits" : `${chosen} wins`} (next start ${mine})`;
    }
  }
}

/** Replays `log` into a fresh MutableScheduler; its agreement with the log. */
export function replayMutable(log: Iterable<ClusterEvent>, seed: number): Agreement {
  const scheduler = new MutableScheduler(seed);
  for (const event of log) scheduler.apply(event);
  return scheduler.agreement;
}
