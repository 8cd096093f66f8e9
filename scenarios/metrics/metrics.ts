/**
 * Metrics over a run, from its event stream alone (any engine, or a log replayed): one row per
 * interval of simulated time, kept incrementally — each event updates what it touches, so a run
 * costs its events, never a scan of all pods or nodes per tick.
 *
 * A row covers [from, to): its gauges are the cluster as the events left it just before `to`
 * (after every event with t < to), its counters count the events with from ≤ t < to. The last
 * row ends after the run's last tick (`until` + 1).
 *
 * | column | what |
 * |--------|------|
 * | `from`, `to` | the interval, in ticks (seconds) |
 * | `allocatable.R`, `requested.R` | Σ allocatable of the nodes, Σ requests of the pods holding a place on one (by the run's `fitBy`), per resource R (cpu in millicores, memory in bytes, extended resources; `pods`: slots, one per pod holding a place) |
 * | `nodes`, `nodesInUse` | nodes in the cluster; those holding at least one pod |
 * | `pending`, `running`, `terminating`, `succeeded`, `failed` | pods by phase (Terminating: deleted, still holding its place; counted apart from Running) |
 * | `bound`, `unschedulable` | scheduling decisions in the interval: pods bound, failed attempts |
 * | `unschedulableBy` | failed attempts by FailedScheduling reason (`Insufficient cpu`, `node(s) had untolerated taint(s)` …): an attempt counts once for each reason its message gives |
 * | `fragmentation.R` | free R on the nodes too full to hold the median pod — the median cpu and memory request of what the run starts with (the pods created at tick 0 by the scenario, and the templates of the workloads applied then, once per replica; or one given): capacity left that no typical pod can use |
 * | `latencyP50` … `latencyMax` | creation → bound, in seconds, of the pods bound in the interval (nearest rank), null when none |
 * | `restarts`, `oomKills` | containers restarted, containers OOM-killed |
 * | `evictions` | pods evicted in the interval, by reason (`TaintManagerEviction`, `Evicted`, `EvictionByEvictionAPI`, `DeletionByPodGC`, `PreemptionByScheduler`) |
 * | `lowerBound` | per node shape seen (`cpu=4/memory=8Gi/pods=110`): the fewest nodes of that shape that could hold what is requested just before `to`, `ceil(max over resources of requested / the shape's allocatable)` |
 * | `services` | per Service (`namespace/name`): its ready endpoints (pods it selects that are started, Ready and not ending) and what its workloads want (Σ replicas of the unowned Deployments, ReplicaSets, ReplicationControllers and StatefulSets whose template it selects), just before `to` |
 */
import { isWorkload, SERVICE_WORKLOAD_KINDS, serviceSelects, podLimitsOrRequests, podRequests, type ClusterEvent, type FitBy, type Pod, type PodKey, type ResourceList } from "../../core/index.js";
import { formatAmount } from "../cli/format.js";

export interface MetricsRow {
  readonly from: number;
  readonly to: number;
  readonly allocatable: Readonly<Record<string, number>>;
  readonly requested: Readonly<Record<string, number>>;
  readonly nodes: number;
  readonly nodesInUse: number;
  readonly pending: number;
  readonly running: number;
  readonly terminating: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly bound: number;
  readonly unschedulable: number;
  readonly unschedulableBy: Readonly<Record<string, number>>;
  readonly fragmentation: Readonly<Record<string, number>>;
  readonly latencyP50: number | null;
  readonly latencyP90: number | null;
  readonly latencyP99: number | null;
  readonly latencyMax: number | null;
  readonly restarts: number;
  readonly oomKills: number;
  readonly evictions: Readonly<Record<string, number>>;
  readonly services: Readonly<Record<string, { readonly ready: number; readonly desired: number }>>;
  readonly lowerBound: Readonly<Record<string, number>>;
}

type Phase = "pending" | "running" | "terminating" | "succeeded" | "failed";
/** A phase as an index (the counts are an array: no keyed property writes per event): pending, running, terminating, succeeded, failed. */
type PhaseIndex = 0 | 1 | 2 | 3 | 4;
const PENDING = 0;
const RUNNING = 1;
const TERMINATING = 2;
const SUCCEEDED = 3;
const FAILED = 4;

interface TrackedService {
  /** `namespace/name`. */
  readonly name: string;
  readonly namespace: string;
  /** When it was made; its availability is measured from then. */
  readonly since: number;
  deleted: boolean;
  /** Since when it has had no ready endpoint, and fewer ready than desired (open intervals). */
  noneSince: number | undefined;
  belowSince: number | undefined;
  readonly noEndpoint: [number, number][];
  readonly belowDesired: [number, number][];
  readonly selector: Readonly<Record<string, string>>;
  ready: number;
  /** Replicas of the workloads whose template it selects, by workload key. */
  readonly workloads: Map<string, number>;
}

interface TrackedNode {
  readonly allocatable: ResourceList;
  readonly allocatableCpu: number;
  readonly allocatableMemory: number;
  readonly allocatablePods: number;
  /** The pods holding a place on it; each knows its index here (`slot`), so one leaves in O(1). */
  readonly members: TrackedPod[];
  /** Σ requests of the pods holding a place on it: cpu and memory as numbers, the rest by name. */
  requestedCpu: number;
  requestedMemory: number;
  /** Made when a pod with another resource first holds a place on it. */
  requestedOther: Record<string, number> | undefined;
  /** Its free cpu and memory while it cannot hold the median pod, else 0. */
  strandedCpu: number;
  strandedMemory: number;
  /** For the heat map: its dominant share (see `retrace`) as it changed, as (tick, share) pairs from its join. */
  readonly trace: NodeTrace;
}

/** A node's allocation over its life: `shares[i]` from `ticks[i]` to the next change; removed at `removed`. */
export interface NodeTrace {
  readonly name: string;
  readonly ticks: number[];
  readonly shares: number[];
  removed?: number;
}

interface TrackedPod {
  /** Its request's cpu and memory, and the rest (extended resources …) when it has any. */
  readonly cpu: number;
  readonly memory: number;
  readonly other: readonly (readonly [string, number])[] | undefined;
  readonly createdAt: number;
  readonly nodeName: string | undefined;
  phase: PhaseIndex;
  /** The Services that select it, and what they need to know: started, Ready, ending. */
  services: readonly TrackedService[];
  readonly labels: Readonly<Record<string, string>>;
  readonly namespace: string;
  readonly readyAfter: boolean;
  started: boolean;
  ready: boolean;
  out: boolean;
  /** The node it holds a place on, and its index in that node's `members`. */
  node: TrackedNode | undefined;
  slot: number;
  deleted: boolean;
  /** The reasons of its last failed scheduling attempt, while it waits unbound after one. */
  waitingFor: readonly string[] | undefined;
}

/**
 * What a whole run comes to (`finish` first): the figures of `run`'s summary, every one kept as
 * the events came (the gauges held from one tick to the next are weighted by how long they held).
 * Ticks are seconds; a [from, to) interval is a list of pairs.
 */
export interface RunTotals {
  readonly until: number;
  readonly pods: { readonly created: number; readonly bound: number; readonly succeeded: number; readonly failed: number; readonly deleted: number; readonly atEnd: Readonly<Record<Phase, number>> };
  /** The pods Pending at the end and unbound, by the reason of their last failed attempt (a pod counts once for each reason); `untried` never failed one (gated, or not yet tried). */
  readonly waitingAtEnd: { readonly pods: number; readonly untried: number; readonly byReason: Readonly<Record<string, number>> };
  /** Pending pods as each tick settled: the most and its first tick, and the time-weighted mean. */
  readonly pending: { readonly peak: number; readonly peakAt: number; readonly mean: number };
  /** When at least one pod waited after a failed scheduling attempt ([from, to) pairs). */
  readonly unschedulable: readonly (readonly [number, number])[];
  readonly attempts: { readonly bound: number; readonly unschedulable: number; readonly byReason: Readonly<Record<string, number>> };
  /** creation → bound, seconds, over every bound pod; `histogram` counts them in `LATENCY_BUCKETS`. */
  readonly latency: { readonly pods: number; readonly p50: number | null; readonly p90: number | null; readonly p99: number | null; readonly max: number | null; readonly mean: number | null; readonly histogram: readonly number[] };
  /** Per resource: time-weighted mean of requested and of allocatable, and the peak requested/allocatable share with its first tick. */
  readonly allocation: Readonly<Record<string, { readonly meanRequested: number; readonly meanAllocatable: number; readonly peakShare: number; readonly peakAt: number; readonly peakRequested: number }>>;
  /** Time-weighted mean stranded capacity (cpu, memory). */
  readonly fragmentation: Readonly<Record<string, number>>;
  readonly nodes: { readonly atEnd: number; readonly peak: number; readonly peakInUse: number; readonly peakInUseAt: number; readonly meanInUse: number };
  /** Per node shape: the most nodes of that shape the requests ever needed (`lowerBound`), and its first tick. */
  readonly lowerBound: Readonly<Record<string, { readonly peak: number; readonly peakAt: number }>>;
  readonly restarts: number;
  readonly oomKills: number;
  readonly evictions: Readonly<Record<string, number>>;
  /** Per Service (`namespace/name`): desired at the end (none when no workload is selected), ready at the end, and when it had no ready endpoint or fewer than desired. */
  readonly services: Readonly<Record<string, { readonly desired?: number; readonly ready: number; readonly since: number; readonly noEndpoint: readonly (readonly [number, number])[]; readonly belowDesired: readonly (readonly [number, number])[] }>>;
  /** The pods that waited longest for a node (`SLOWEST` at most): bound late, or still unbound at the end (waited until then); longest first, ties by pod. */
  readonly slowest: readonly { readonly pod: string; readonly createdAt: number; readonly waited: number; readonly bound: boolean }[];
}

/** How many of the slowest pods the totals name. */
export const SLOWEST = 10;

/** Upper bounds (seconds) of the latency histogram's buckets; a last bucket holds the rest. */
export const LATENCY_BUCKETS: readonly number[] = [0, 1, 5, 10, 30, 60, 300, 600, 1800, 3600];

/**
 * The reasons of a FailedScheduling message (`0/3 nodes are available: 1 Insufficient cpu, 2
 * node(s) had untolerated taint(s).`), without their node counts; none for another message.
 */
export function failedSchedulingReasons(message: string): string[] {
  const match = /^0\/\d+ nodes are available: (.*?)\.(?: preemption:|$)/.exec(message);
  if (match === null) return [];
  return (match[1] as string).split(", ").map((part) => part.replace(/^\d+ /, "")).filter((reason) => reason !== "");
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export class MetricsCollector {
  private readonly rows: MetricsRow[] = [];
  private readonly pods = new Map<PodKey, TrackedPod>();
  private readonly services = new Map<string, TrackedService>();
  /** Every node shape seen, by name (its allocatable). */
  private readonly shapes = new Map<string, ResourceList>();
  /** Unowned Deployments, ReplicaSets, ReplicationControllers and StatefulSets: what a Service's pods should number. */
  private readonly servingWorkloads = new Map<string, { namespace: string; labels: Readonly<Record<string, string>>; replicas: number }>();
  private readonly nodes = new Map<string, TrackedNode>();
  /** Σ of the nodes' stranded capacity (free cpu and memory on nodes that cannot hold the median pod). */
  private readonly fragmentation: Record<string, number> = { cpu: 0, memory: 0 };
  /** Pods created for a node that has not joined yet, by node. */
  private readonly waiting = new Map<string, Set<PodKey>>();
  private readonly allocatable: Record<string, number> = {};
  /** Σ requests of the pods holding a place: cpu, memory and pod slots as numbers, the rest by name; `requestedSeen` once any pod held one. */
  private requestedCpu = 0;
  private requestedMemory = 0;
  private requestedPods = 0;
  private readonly requestedOther: Record<string, number> = {};
  private requestedSeen = false;
  /** The requests as a record (`requestedRecord`), made again only after a change. */
  private requestedCache: Record<string, number> | undefined;
  private readonly phases: number[] = [0, 0, 0, 0, 0];
  /** The pod looked up last (an event's pod is often the one before's: PodSucceeded, ResourcesFreed, PodDeleted). */
  private lastKey: PodKey | undefined;
  private lastPod: TrackedPod | undefined;
  private nodesInUse = 0;
  private from = 0;
  private bound = 0;
  private unschedulable = 0;
  private unschedulableBy: Record<string, number> = {};
  private readonly medianGiven: boolean;
  /** Tick 0's pods and workload templates, until the median pod is known. */
  private startingPods: { request: ResourceList; count: number }[] | undefined = [];
  private restarts = 0;
  private oomKills = 0;
  private latencies: number[] = [];
  private evictions: Record<string, number> = {};
  // The whole run (see RunTotals), kept as the events come.
  /** The tick the events are at; its gauges are settled (weighted and compared) once the next tick's first event comes. */
  private now = 0;
  private readonly whole = { created: 0, bound: 0, succeeded: 0, failed: 0, deleted: 0, unschedulable: 0, restarts: 0, oomKills: 0 };
  private readonly wholeBy: Record<string, number> = {};
  private readonly wholeEvictions: Record<string, number> = {};
  private readonly allLatencies: number[] = [];
  /** The SLOWEST pods bound after the longest waits, longest first (an earlier one stays ahead on a tie). */
  private readonly slowBound: { pod: string; createdAt: number; waited: number; bound: boolean }[] = [];
  /** Pods unbound after a failed scheduling attempt. */
  private waitingNow = 0;
  private waitingSince: number | undefined;
  private readonly unschedulableSpans: [number, number][] = [];
  private readonly timeRequested: Record<string, number> = {};
  private readonly timeAllocatable: Record<string, number> = {};
  private readonly timeFragmentation: Record<string, number> = {};
  private readonly peakShares: Record<string, { share: number; at: number; requested: number }> = {};
  private readonly peakBounds: Record<string, { peak: number; at: number }> = {};
  private pendingPeak = { count: 0, at: 0 };
  private pendingTime = 0;
  private inUseTime = 0;
  private nodesPeak = 0;
  private inUsePeak = { count: 0, at: 0 };
  /** Services whose ready or desired count changed in this tick. */
  private readonly dirty = new Set<TrackedService>();
  private readonly goneServices: TrackedService[] = [];
  /** Heat-map traces of the nodes removed. */
  private readonly departed: NodeTrace[] = [];
  private finishedAt: number | undefined;

  /**
   * `medianPod`: the median cpu and memory request fragmentation measures against; none given, it
   * is the median of what the run starts with (`medianRequest` of tick 0's pods and templates).
   */
  constructor(private readonly intervalSeconds: number, private readonly fitBy: FitBy = "requests", private medianPod?: { readonly cpu: number; readonly memory: number }) {
    this.medianGiven = medianPod !== undefined;
    if (!(intervalSeconds >= 1 && Number.isInteger(intervalSeconds))) throw new RangeError(`the metrics interval must be whole seconds, at least 1, got ${intervalSeconds}`);
  }

  onEvent(event: ClusterEvent): void {
    if (event.t > this.now) this.settle(event.t);
    if (event.t > 0 && this.startingPods !== undefined) this.settleMedian();
    while (event.t >= this.from + this.intervalSeconds) this.close(this.from + this.intervalSeconds);
    if (this.startingPods !== undefined && !this.medianGiven) this.noteStarting(event);
    switch (event.type) {
      case "NodeJoined": {
        const allocatable = event.spec.allocatable;
        const node: TrackedNode = {
          allocatable, allocatableCpu: allocatable["cpu"] ?? 0, allocatableMemory: allocatable["memory"] ?? 0, allocatablePods: allocatable["pods"] ?? 0,
          members: [], requestedCpu: 0, requestedMemory: 0, requestedOther: undefined, strandedCpu: 0, strandedMemory: 0, trace: { name: event.node, ticks: [event.t], shares: [0] },
        };
        this.nodes.set(event.node, node);
        add(this.allocatable, event.spec.allocatable, 1);
        this.restrand(node);
        const shape = Object.keys(event.spec.allocatable).sort().map((name) => `${name}=${formatAmount(name, event.spec.allocatable[name] as number)}`).join("/");
        if (!this.shapes.has(shape)) this.shapes.set(shape, event.spec.allocatable);
        for (const key of this.waiting.get(event.node) ?? []) {
          const pod = this.pod(key);
          if (pod !== undefined) this.hold(pod, node);
        }
        this.waiting.delete(event.node);
        return;
      }
      case "NodeRemoved": {
        const node = this.nodes.get(event.node);
        if (node === undefined) return;
        for (const pod of [...node.members]) this.release(pod);
        add(this.allocatable, node.allocatable, -1);
        this.fragmentation["cpu"] = (this.fragmentation["cpu"] ?? 0) - node.strandedCpu;
        this.fragmentation["memory"] = (this.fragmentation["memory"] ?? 0) - node.strandedMemory;
        node.trace.removed = event.t;
        this.departed.push(node.trace);
        this.nodes.delete(event.node);
        return;
      }
      case "PodCreated": {
        const request = this.fitBy === "limits" ? podLimitsOrRequests(event.spec) : podRequests(event.spec);
        const services = this.services.size === 0 ? NO_SERVICES : [...this.services.values()].filter((service) => serviceSelects(service, event.spec.namespace, event.spec.labels));
        let other: [string, number][] | undefined;
        for (const name in request) {
          if (name !== "cpu" && name !== "memory") (other ??= []).push([name, request[name] as number]);
        }
        if (event.pod === this.lastKey) this.lastKey = undefined;
        const tracked: TrackedPod = {
          cpu: request["cpu"] ?? 0, memory: request["memory"] ?? 0, other, createdAt: event.t, nodeName: event.spec.nodeName, phase: PENDING, node: undefined, slot: -1, deleted: false,
          services, labels: event.spec.labels, namespace: event.spec.namespace, readyAfter: event.spec.sim.readyAfterSeconds !== undefined, started: false, ready: false, out: false, waitingFor: undefined,
        };
        this.pods.set(event.pod, tracked);
        (this.phases[PENDING] as number)++;
        this.whole.created++;
        const nodeName = event.spec.nodeName;
        if (nodeName !== undefined) {
          const node = this.nodes.get(nodeName);
          if (node !== undefined) this.hold(tracked, node);
          else this.waiting.set(nodeName, (this.waiting.get(nodeName) ?? new Set()).add(event.pod));
        }
        return;
      }
      case "PodBound": {
        const pod = this.pod(event.pod);
        if (pod === undefined) return;
        const node = this.nodes.get(event.node);
        if (node !== undefined) this.hold(pod, node);
        this.bound++;
        this.whole.bound++;
        this.stopWaiting(pod);
        this.latencies.push(event.t - pod.createdAt);
        this.allLatencies.push(event.t - pod.createdAt);
        this.noteSlow(event.pod, pod.createdAt, event.t - pod.createdAt);
        return;
      }
      case "PodUnschedulable": {
        this.unschedulable++;
        this.whole.unschedulable++;
        const reasons = failedSchedulingReasons(event.message);
        for (const reason of reasons) {
          this.unschedulableBy[reason] = (this.unschedulableBy[reason] ?? 0) + 1;
          this.wholeBy[reason] = (this.wholeBy[reason] ?? 0) + 1;
        }
        const pod = this.pod(event.pod);
        if (pod !== undefined && pod.node === undefined) {
          if (pod.waitingFor === undefined) this.waitingNow++;
          pod.waitingFor = reasons;
        }
        return;
      }
      case "PodStarted":
        this.setPhase(event.pod, RUNNING);
        this.serve(event.pod, (pod) => {
          pod.started = true;
          pod.ready = !pod.readyAfter;
        });
        return;
      case "PodSucceeded":
      case "PodFailed": {
        const succeeded = event.type === "PodSucceeded";
        if (succeeded) this.whole.succeeded++;
        else this.whole.failed++;
        this.setPhase(event.pod, succeeded ? SUCCEEDED : FAILED);
        this.serve(event.pod, (pod) => {
          pod.out = true;
        });
        return;
      }
      case "ContainerRestarted":
        this.restarts++;
        this.whole.restarts++;
        this.serve(event.pod, (pod) => {
          pod.ready = !pod.readyAfter;
        });
        return;
      case "ContainerFailed":
        if (event.reason === "OOMKilled") {
          this.oomKills++;
          this.whole.oomKills++;
        }
        this.serve(event.pod, (pod) => {
          pod.ready = false;
        });
        return;
      case "ContainerCompleted":
        this.serve(event.pod, (pod) => {
          pod.ready = false;
        });
        return;
      case "PodReadyChanged":
        this.serve(event.pod, (pod) => {
          pod.ready = event.ready;
        });
        return;
      case "ObjectApplied":
        if (event.spec.kind === "Service") {
          const spec = event.spec;
          if (spec.selector === undefined || this.services.has(event.object)) return;
          // A Service made after its pods and workloads finds them once (as kube's endpoints controller lists them).
          const service: TrackedService = { name: event.object, namespace: spec.namespace, selector: spec.selector, ready: 0, workloads: new Map(), since: event.t, deleted: false, noneSince: undefined, belowSince: undefined, noEndpoint: [], belowDesired: [] };
          this.services.set(event.object, service);
          this.dirty.add(service);
          for (const [key, workload] of this.servingWorkloads) if (serviceSelects(service, workload.namespace, workload.labels)) service.workloads.set(key, workload.replicas);
          for (const pod of this.pods.values()) {
            if (!serviceSelects(service, pod.namespace, pod.labels)) continue;
            pod.services = [...pod.services, service];
            if (pod.started && pod.ready && !pod.out) service.ready++;
          }
        } else if (isWorkload(event.spec) && SERVICE_WORKLOAD_KINDS.has(event.spec.kind) && event.spec.ownerReferences.length === 0) {
          const key = `${event.kind}/${event.object}`;
          this.servingWorkloads.set(key, { namespace: event.spec.namespace, labels: event.spec.template.labels, replicas: event.spec.replicas });
          for (const service of this.services.values()) {
            if (serviceSelects(service, event.spec.namespace, event.spec.template.labels)) service.workloads.set(key, event.spec.replicas);
            else if (!service.workloads.delete(key)) continue;
            this.dirty.add(service);
          }
        }
        return;
      case "WorkloadScaled": {
        const key = `${event.kind}/${event.object}`;
        const workload = this.servingWorkloads.get(key);
        if (workload !== undefined) workload.replicas = event.replicas;
        for (const service of this.services.values()) {
          if (!service.workloads.has(key)) continue;
          service.workloads.set(key, event.replicas);
          this.dirty.add(service);
        }
        return;
      }
      case "ObjectDeleted": {
        const key = `${event.kind}/${event.object}`;
        if (event.kind === "Service") {
          const service = this.services.get(event.object);
          this.services.delete(event.object);
          // Its pods forget it lazily: a deleted Service's count is no longer read.
          if (service !== undefined) {
            service.ready = 0;
            service.deleted = true;
            this.dirty.add(service);
          }
        }
        this.servingWorkloads.delete(key);
        for (const service of this.services.values()) if (service.workloads.delete(key)) this.dirty.add(service);
        return;
      }
      case "PodEvicted":
      case "PodPreempted": {
        // A preemption victim is a disruption of its own kind (DisruptionTarget reason PreemptionByScheduler).
        const reason = event.type === "PodEvicted" ? event.reason : "PreemptionByScheduler";
        this.evictions[reason] = (this.evictions[reason] ?? 0) + 1;
        this.wholeEvictions[reason] = (this.wholeEvictions[reason] ?? 0) + 1;
        return;
      }
      case "PodDeleted": {
        const pod = this.pod(event.pod);
        if (pod === undefined) return;
        this.whole.deleted++;
        if (pod.node === undefined) {
          this.forget(event.pod, pod);
          return;
        }
        pod.deleted = true;
        if (pod.phase === PENDING || pod.phase === RUNNING) this.setPhase(event.pod, TERMINATING);
        this.serve(event.pod, (tracked) => {
          tracked.out = true;
        });
        return;
      }
      case "ResourcesFreed": {
        const pod = this.pod(event.pod);
        if (pod === undefined) return;
        this.release(pod);
        if (pod.deleted) this.forget(event.pod, pod);
        return;
      }
      default:
        return;
    }
  }

  /** The rows, closing every interval up to the run's last tick. */
  finish(until: number): MetricsRow[] {
    if (this.finishedAt !== undefined) return this.rows;
    if (this.startingPods !== undefined) this.settleMedian();
    this.settle(Math.max(until, this.now));
    this.closeSpans(Math.max(until, this.now));
    this.finishedAt = Math.max(until, this.now);
    while (this.from + this.intervalSeconds <= until) this.close(this.from + this.intervalSeconds);
    if (this.from <= until) this.close(until + 1);
    return this.rows;
  }

  /**
   * The tick `now` is over (every one of its events seen): its gauges held from it until `next`.
   * Costs the resources, node shapes and Services that changed — never a pass over pods or nodes.
   */
  private settle(next: number): void {
    const t = this.now;
    const span = next - t;
    const requestedNow = this.requestedRecord();
    for (const name in this.allocatable) {
      const allocatable = this.allocatable[name] as number;
      const requested = requestedNow[name] ?? 0;
      this.timeAllocatable[name] = (this.timeAllocatable[name] ?? 0) + allocatable * span;
      this.timeRequested[name] = (this.timeRequested[name] ?? 0) + requested * span;
      const share = allocatable > 0 ? requested / allocatable : 0;
      const peak = this.peakShares[name];
      if (peak === undefined || share > peak.share) this.peakShares[name] = { share, at: t, requested };
    }
    if (this.medianPod !== undefined) for (const name in this.fragmentation) this.timeFragmentation[name] = (this.timeFragmentation[name] ?? 0) + (this.fragmentation[name] as number) * span;
    for (const [shape, allocatable] of this.shapes) {
      const bound = lowerBound(requestedNow, allocatable);
      const peak = this.peakBounds[shape];
      if (peak === undefined || bound > peak.peak) this.peakBounds[shape] = { peak: bound, at: t };
    }
    const pending = this.phases[PENDING] as number;
    if (pending > this.pendingPeak.count) this.pendingPeak = { count: pending, at: t };
    this.pendingTime += pending * span;
    this.inUseTime += this.nodesInUse * span;
    this.nodesPeak = Math.max(this.nodesPeak, this.nodes.size);
    if (this.nodesInUse > this.inUsePeak.count) this.inUsePeak = { count: this.nodesInUse, at: t };
    if (this.waitingNow > 0 && this.waitingSince === undefined) this.waitingSince = t;
    if (this.waitingNow === 0 && this.waitingSince !== undefined) {
      this.unschedulableSpans.push([this.waitingSince, t]);
      this.waitingSince = undefined;
    }
    for (const service of this.dirty) {
      if (service.deleted) {
        closeService(service, t);
        this.goneServices.push(service);
        continue;
      }
      const desired = desiredOf(service);
      if (service.ready === 0) service.noneSince ??= t;
      else if (service.noneSince !== undefined) {
        service.noEndpoint.push([service.noneSince, t]);
        service.noneSince = undefined;
      }
      const below = desired !== undefined && service.ready < desired;
      if (below) service.belowSince ??= t;
      else if (service.belowSince !== undefined) {
        service.belowDesired.push([service.belowSince, t]);
        service.belowSince = undefined;
      }
    }
    this.dirty.clear();
    this.now = next;
  }

  /** A pod bound after `waited` seconds: among the slowest? (O(SLOWEST)) */
  private noteSlow(pod: string, createdAt: number, waited: number): void {
    const slow = this.slowBound;
    if (slow.length === SLOWEST && waited <= (slow[SLOWEST - 1] as { waited: number }).waited) return;
    let index = slow.length;
    while (index > 0 && (slow[index - 1] as { waited: number }).waited < waited) index--;
    slow.splice(index, 0, { pod, createdAt, waited, bound: true });
    if (slow.length > SLOWEST) slow.pop();
  }

  /** The intervals still open at the run's end close there. */
  private closeSpans(end: number): void {
    if (this.waitingSince !== undefined) this.unschedulableSpans.push([this.waitingSince, end]);
    this.waitingSince = undefined;
    for (const service of this.services.values()) closeService(service, end);
  }

  /** The whole run's figures (after `finish`). */
  totals(): RunTotals {
    const until = this.finishedAt;
    if (until === undefined) throw new Error("totals() before finish()");
    const sorted = [...this.allLatencies].sort((a, b) => a - b);
    const histogram = LATENCY_BUCKETS.map(() => 0).concat([0]);
    for (const value of sorted) {
      const bucket = LATENCY_BUCKETS.findIndex((bound) => value <= bound);
      const index = bucket === -1 ? LATENCY_BUCKETS.length : bucket;
      histogram[index] = (histogram[index] as number) + 1;
    }
    const byReason: Record<string, number> = {};
    let waiting = 0;
    let untried = 0;
    const slowest = [...this.slowBound];
    for (const [key, pod] of this.pods) {
      if (pod.phase !== PENDING || pod.node !== undefined || pod.deleted) continue;
      slowest.push({ pod: key, createdAt: pod.createdAt, waited: until - pod.createdAt, bound: false });
      waiting++;
      if (pod.waitingFor === undefined) untried++;
      for (const reason of pod.waitingFor ?? []) byReason[reason] = (byReason[reason] ?? 0) + 1;
    }
    const services: Record<string, RunTotals["services"][string]> = {};
    for (const service of [...this.goneServices, ...this.services.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const desired = desiredOf(service);
      services[service.name] = { ...(desired !== undefined ? { desired } : {}), ready: service.ready, since: service.since, noEndpoint: service.noEndpoint, belowDesired: service.belowDesired };
    }
    const mean = (total: number) => (until > 0 ? total / until : 0);
    return {
      until,
      pods: { created: this.whole.created, bound: this.whole.bound, succeeded: this.whole.succeeded, failed: this.whole.failed, deleted: this.whole.deleted, atEnd: this.phaseCounts() },
      waitingAtEnd: { pods: waiting, untried, byReason: sortedByCount(byReason) },
      pending: { peak: this.pendingPeak.count, peakAt: this.pendingPeak.at, mean: mean(this.pendingTime) },
      unschedulable: this.unschedulableSpans,
      attempts: { bound: this.whole.bound, unschedulable: this.whole.unschedulable, byReason: sortedByCount(this.wholeBy) },
      latency: {
        pods: sorted.length,
        p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99),
        max: sorted.length === 0 ? null : (sorted[sorted.length - 1] as number),
        mean: sorted.length === 0 ? null : sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
        histogram,
      },
      allocation: Object.fromEntries(Object.keys(this.peakShares).sort().map((name) => {
        const peak = this.peakShares[name] as { share: number; at: number; requested: number };
        return [name, { meanRequested: mean(this.timeRequested[name] ?? 0), meanAllocatable: mean(this.timeAllocatable[name] ?? 0), peakShare: peak.share, peakAt: peak.at, peakRequested: peak.requested }];
      })),
      fragmentation: Object.fromEntries(Object.keys(this.timeFragmentation).sort().map((name) => [name, mean(this.timeFragmentation[name] as number)])),
      nodes: { atEnd: this.nodes.size, peak: this.nodesPeak, peakInUse: this.inUsePeak.count, peakInUseAt: this.inUsePeak.at, meanInUse: mean(this.inUseTime) },
      lowerBound: Object.fromEntries(Object.keys(this.peakBounds).sort().map((shape) => [shape, { peak: (this.peakBounds[shape] as { peak: number }).peak, peakAt: (this.peakBounds[shape] as { at: number }).at }])),
      restarts: this.whole.restarts,
      oomKills: this.whole.oomKills,
      evictions: clean(this.wholeEvictions),
      services,
      slowest: slowest.sort((a, b) => b.waited - a.waited || (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0)).slice(0, SLOWEST),
    };
  }

  /** Every node's allocation trace, in the order the nodes joined (those removed first, in the order they went). */
  nodeTraces(): NodeTrace[] {
    return [...this.departed, ...[...this.nodes.values()].map((node) => node.trace)];
  }

  private hold(pod: TrackedPod, node: TrackedNode): void {
    if (pod.node !== undefined) return;
    pod.node = node;
    pod.slot = node.members.length;
    if (node.members.length === 0) this.nodesInUse++;
    node.members.push(pod);
    this.requestedCpu += pod.cpu;
    this.requestedMemory += pod.memory;
    // Pod slots, as the node counts them against allocatable pods.
    this.requestedPods++;
    this.requestedSeen = true;
    this.requestedCache = undefined;
    node.requestedCpu += pod.cpu;
    node.requestedMemory += pod.memory;
    if (pod.other !== undefined) {
      const sums = (node.requestedOther ??= {});
      for (const [name, amount] of pod.other) {
        this.requestedOther[name] = (this.requestedOther[name] ?? 0) + amount;
        sums[name] = (sums[name] ?? 0) + amount;
      }
    }
    this.restrand(node);
    this.retrace(node);
  }

  private release(pod: TrackedPod): void {
    const node = pod.node;
    if (node === undefined) return;
    pod.node = undefined;
    this.requestedCpu -= pod.cpu;
    this.requestedMemory -= pod.memory;
    this.requestedPods--;
    this.requestedCache = undefined;
    if (pod.other !== undefined) for (const [name, amount] of pod.other) this.requestedOther[name] = (this.requestedOther[name] as number) - amount;
    // Out of the node's members: the last one takes its slot.
    const members = node.members;
    const last = members.pop() as TrackedPod;
    if (last !== pod) {
      members[pod.slot] = last;
      last.slot = pod.slot;
    }
    pod.slot = -1;
    if (members.length === 0) this.nodesInUse--;
    node.requestedCpu -= pod.cpu;
    node.requestedMemory -= pod.memory;
    if (pod.other !== undefined && node.requestedOther !== undefined) for (const [name, amount] of pod.other) node.requestedOther[name] = (node.requestedOther[name] as number) - amount;
    this.restrand(node);
    this.retrace(node);
  }

  /** The tracked pod of a key (the last one looked up again at once). */
  private pod(key: PodKey): TrackedPod | undefined {
    if (key === this.lastKey) return this.lastPod;
    const pod = this.pods.get(key);
    this.lastKey = key;
    this.lastPod = pod;
    return pod;
  }

  /** Σ requests by resource name: cpu, memory and pods once any pod held a place, and every other resource ever requested. */
  private requestedRecord(): Record<string, number> {
    if (this.requestedCache !== undefined) return this.requestedCache;
    const record: Record<string, number> = this.requestedSeen ? { cpu: this.requestedCpu, memory: this.requestedMemory, pods: this.requestedPods } : {};
    for (const name in this.requestedOther) record[name] = this.requestedOther[name] as number;
    this.requestedCache = record;
    return record;
  }

  private phaseCounts(): Record<Phase, number> {
    const counts = this.phases;
    return { pending: counts[PENDING] as number, running: counts[RUNNING] as number, terminating: counts[TERMINATING] as number, succeeded: counts[SUCCEEDED] as number, failed: counts[FAILED] as number };
  }

  /**
   * The node's dominant share changed (or not): its heat-map trace follows, one pair per change.
   * The dominant share is the largest requested/allocatable over its resources but pod slots and
   * ephemeral storage (cpu, memory, and extended resources such as GPUs); 0 for an empty node.
   */
  private retrace(node: TrackedNode): void {
    let share = 0;
    if (node.allocatableCpu > 0 && node.requestedCpu > 0) share = node.requestedCpu / node.allocatableCpu;
    if (node.allocatableMemory > 0 && node.requestedMemory > 0) share = Math.max(share, node.requestedMemory / node.allocatableMemory);
    const other = node.requestedOther;
    if (other !== undefined) {
      for (const name in other) {
        if (name === "ephemeral-storage") continue;
        const per = node.allocatable[name] ?? 0;
        const amount = other[name] as number;
        if (per > 0 && amount > 0) share = Math.max(share, amount / per);
      }
    }
    const trace = node.trace;
    const last = trace.shares.length - 1;
    if (trace.shares[last] === share) return;
    if (trace.ticks[last] === this.now) {
      // A change back within the tick leaves no trace.
      if (last > 0 && trace.shares[last - 1] === share) {
        trace.ticks.pop();
        trace.shares.pop();
      } else trace.shares[last] = share;
    } else {
      trace.ticks.push(this.now);
      trace.shares.push(share);
    }
  }

  /** What tick 0 brings: unowned pods once each, unowned workloads' templates once per replica (a DaemonSet's per node, a Job's per parallel pod). */
  private noteStarting(event: ClusterEvent): void {
    const requestOf = (pod: Pod) => (this.fitBy === "limits" ? podLimitsOrRequests(pod) : podRequests(pod));
    const starting = this.startingPods as { request: ResourceList; count: number }[];
    if (event.type === "PodCreated" && (event.spec.ownerReferences ?? []).length === 0) starting.push({ request: requestOf(event.spec), count: 1 });
    if (event.type === "ObjectApplied" && isWorkload(event.spec) && event.spec.ownerReferences.length === 0) {
      const spec = event.spec;
      const count = spec.kind === "DaemonSet" ? this.nodes.size : spec.kind === "Job" ? (spec.job?.parallelism ?? 1) : spec.kind === "CronJob" ? (spec.cronJob?.job.parallelism ?? 1) : spec.replicas;
      starting.push({ request: requestOf(spec.template), count });
    }
  }

  /** The median pod is known once tick 0 is over: every node's stranded capacity is measured against it from then on. */
  private settleMedian(): void {
    if (!this.medianGiven) this.medianPod = medianRequest(this.startingPods ?? []);
    this.startingPods = undefined;
    for (const node of this.nodes.values()) this.restrand(node);
  }

  /** The node's stranded capacity, after its requests changed: free cpu and memory if it cannot hold the median pod. */
  private restrand(node: TrackedNode): void {
    const median = this.medianPod;
    if (median === undefined || this.startingPods !== undefined) return;
    const freeCpu = node.allocatableCpu - node.requestedCpu;
    const freeMemory = node.allocatableMemory - node.requestedMemory;
    const freeSlots = node.allocatablePods - node.members.length;
    const full = freeCpu < median.cpu || freeMemory < median.memory || freeSlots < 1;
    const cpu = full ? Math.max(0, freeCpu) : 0;
    const memory = full ? Math.max(0, freeMemory) : 0;
    this.fragmentation["cpu"] = (this.fragmentation["cpu"] ?? 0) + cpu - node.strandedCpu;
    this.fragmentation["memory"] = (this.fragmentation["memory"] ?? 0) + memory - node.strandedMemory;
    node.strandedCpu = cpu;
    node.strandedMemory = memory;
  }

  /** A change to what the pod's Services see of it: their ready counts follow (O(its Services)). */
  private serve(key: PodKey, apply: (pod: TrackedPod) => void): void {
    const pod = this.pod(key);
    if (pod === undefined) return;
    const before = pod.started && pod.ready && !pod.out;
    apply(pod);
    const after = pod.started && pod.ready && !pod.out;
    if (before === after) return;
    for (const service of pod.services) {
      service.ready += after ? 1 : -1;
      this.dirty.add(service);
    }
  }

  private setPhase(key: PodKey, phase: PhaseIndex): void {
    const pod = this.pod(key);
    if (pod === undefined || pod.phase === phase) return;
    // A terminating pod stays terminating until it is gone, unless it ends first.
    if (pod.phase === TERMINATING && phase === RUNNING) return;
    (this.phases[pod.phase] as number)--;
    (this.phases[phase] as number)++;
    pod.phase = phase;
  }

  private stopWaiting(pod: TrackedPod): void {
    if (pod.waitingFor === undefined) return;
    pod.waitingFor = undefined;
    this.waitingNow--;
  }

  private forget(key: PodKey, pod: TrackedPod): void {
    this.stopWaiting(pod);
    if (pod.started && pod.ready && !pod.out) {
      for (const service of pod.services) {
        service.ready--;
        this.dirty.add(service);
      }
    }
    (this.phases[pod.phase] as number)--;
    this.pods.delete(key);
    if (key === this.lastKey) this.lastKey = undefined;
    if (pod.nodeName !== undefined) this.waiting.get(pod.nodeName)?.delete(key);
  }

  private close(to: number): void {
    const sorted = this.latencies.sort((a, b) => a - b);
    this.rows.push({
      from: this.from,
      to,
      allocatable: clean(this.allocatable),
      requested: clean(this.requestedRecord()),
      nodes: this.nodes.size,
      nodesInUse: this.nodesInUse,
      ...this.phaseCounts(),
      bound: this.bound,
      unschedulable: this.unschedulable,
      unschedulableBy: clean(this.unschedulableBy),
      fragmentation: this.medianPod === undefined ? {} : clean(this.fragmentation),
      latencyP50: percentile(sorted, 50),
      latencyP90: percentile(sorted, 90),
      latencyP99: percentile(sorted, 99),
      latencyMax: sorted.length === 0 ? null : (sorted[sorted.length - 1] as number),
      restarts: this.restarts,
      oomKills: this.oomKills,
      evictions: { ...this.evictions },
      lowerBound: Object.fromEntries([...this.shapes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, allocatable]) => [name, lowerBound(this.requestedRecord(), allocatable)])),
      services: Object.fromEntries([...this.services.keys()].sort().map((name) => {
        const service = this.services.get(name) as TrackedService;
        return [name, { ready: service.ready, desired: [...service.workloads.values()].reduce((sum, value) => sum + value, 0) }];
      })),
    });
    this.from = to;
    this.bound = 0;
    this.unschedulable = 0;
    this.unschedulableBy = {};
    this.restarts = 0;
    this.oomKills = 0;
    this.latencies = [];
    this.evictions = {};
  }
}

const NO_SERVICES: readonly TrackedService[] = Object.freeze([]);

/** Σ replicas of the workloads the Service's selector picks; none when it picks none. */
function desiredOf(service: TrackedService): number | undefined {
  if (service.workloads.size === 0) return undefined;
  let sum = 0;
  for (const replicas of service.workloads.values()) sum += replicas;
  return sum;
}

function closeService(service: TrackedService, end: number): void {
  if (service.noneSince !== undefined) service.noEndpoint.push([service.noneSince, end]);
  if (service.belowSince !== undefined) service.belowDesired.push([service.belowSince, end]);
  service.noneSince = undefined;
  service.belowSince = undefined;
}

/** The counts, the largest first (ties by name). */
function sortedByCount(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)));
}

/** `ceil(max over resources of requested / allocatable)`: nodes of one shape that could hold the requests (a resource the shape lacks: it never could, Infinity). */
export function lowerBound(requested: Readonly<Record<string, number>>, allocatable: ResourceList): number {
  let nodes = 0;
  for (const name in requested) {
    const amount = requested[name] as number;
    if (amount <= 0) continue;
    const per = allocatable[name] ?? 0;
    nodes = Math.max(nodes, per > 0 ? Math.ceil(amount / per) : Number.POSITIVE_INFINITY);
  }
  return nodes;
}


function add(sums: Record<string, number>, amounts: ResourceList, sign: 1 | -1): void {
  for (const name in amounts) sums[name] = (sums[name] ?? 0) + sign * (amounts[name] as number);
}

function clean(sums: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(sums).sort()) out[name] = sums[name] as number;
  return out;
}

/** metrics.csv: one header, one line per row; resource and eviction columns for every name any row has. */
export function metricsCsv(rows: readonly MetricsRow[]): string {
  const resources = [...new Set(rows.flatMap((row) => [...Object.keys(row.allocatable), ...Object.keys(row.requested)]))].sort();
  const reasons = [...new Set(rows.flatMap((row) => Object.keys(row.evictions)))].sort();
  const failures = [...new Set(rows.flatMap((row) => Object.keys(row.unschedulableBy)))].sort();
  const stranded = [...new Set(rows.flatMap((row) => Object.keys(row.fragmentation)))].sort();
  const services = [...new Set(rows.flatMap((row) => Object.keys(row.services)))].sort();
  const shapes = [...new Set(rows.flatMap((row) => Object.keys(row.lowerBound)))].sort();
  const header = [
    "from", "to", ...resources.flatMap((name) => [`allocatable.${name}`, `requested.${name}`]), "nodes", "nodesInUse",
    "pending", "running", "terminating", "succeeded", "failed", "bound", "unschedulable", ...failures.map((reason) => `unschedulableBy.${reason}`),
    "latencyP50", "latencyP90", "latencyP99", "latencyMax", "restarts", "oomKills", ...reasons.map((reason) => `evictions.${reason}`),
    ...stranded.map((name) => `fragmentation.${name}`),
    ...services.flatMap((name) => [`service.${name}.ready`, `service.${name}.desired`]),
    ...shapes.map((name) => `lowerBound.${name}`),
  ];
  const lines = rows.map((row) => [
    row.from, row.to, ...resources.flatMap((name) => [row.allocatable[name] ?? 0, row.requested[name] ?? 0]), row.nodes, row.nodesInUse,
    row.pending, row.running, row.terminating, row.succeeded, row.failed, row.bound, row.unschedulable, ...failures.map((reason) => row.unschedulableBy[reason] ?? 0),
    row.latencyP50 ?? "", row.latencyP90 ?? "", row.latencyP99 ?? "", row.latencyMax ?? "", row.restarts, row.oomKills, ...reasons.map((reason) => row.evictions[reason] ?? 0),
    ...stranded.map((name) => row.fragmentation[name] ?? 0),
    ...services.flatMap((name) => [row.services[name]?.ready ?? "", row.services[name]?.desired ?? ""]),
    ...shapes.map((name) => (Number.isFinite(row.lowerBound[name]) ? (row.lowerBound[name] as number) : "")),
  ].map(String).map(csvField).join(","));
  return [header.map(csvField).join(","), ...lines].join("\n") + "\n";
}

/** A CSV field: quoted when it holds a comma, a quote or a line break (resource names are DNS-like; kept safe all the same). */
function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The scenario's median pod for fragmentation: the median cpu and the median memory request (each
 * on its own, lower middle) of the pods given, a workload's template counted once per replica.
 */
export function medianRequest(pods: readonly { readonly request: ResourceList; readonly count: number }[]): { cpu: number; memory: number } | undefined {
  const median = (name: string): number => {
    const weighted = pods.filter((pod) => pod.count > 0).map((pod) => [pod.request[name] ?? 0, pod.count] as const).sort((a, b) => a[0] - b[0]);
    const total = weighted.reduce((sum, [, count]) => sum + count, 0);
    let seen = 0;
    for (const [amount, count] of weighted) {
      seen += count;
      if (seen * 2 >= total) return amount;
    }
    return 0;
  };
  if (pods.every((pod) => pod.count <= 0)) return undefined;
  return { cpu: median("cpu"), memory: median("memory") };
}
