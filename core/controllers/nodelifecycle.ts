/**
 * The node lifecycle controller (kube v1.35 pkg/controller/nodelifecycle/node_lifecycle_controller.go)
 * with the kubelet's heartbeats it watches. Its rules, as kube runs them with its defaults:
 *
 * | what | rule | kube's source |
 * |------|------|---------------|
 * | heartbeat | a running kubelet renews its Lease every 10 s from the tick its node joined (40 s lease × 0.25); nothing is logged for it | kubelet.go `nodeLeaseRenewIntervalFraction`, v1beta1 defaults `nodeLeaseDurationSeconds` |
 * | kubelet stops at F (`failNode`) | its last renewal is the last one before F (a renewal due at F itself does not happen: the failure comes first in the tick) | — |
 * | monitor pass | every 5 s, at ticks that are multiples of 5 (`--node-monitor-period`) | cloud-provider config defaults `NodeMonitorPeriod` |
 * | probe time | the pass that first sees a renewal: the renewal's tick rounded up to a pass | `tryUpdateNodeHealth` (`probeTimestamp = nc.now()`) |
 * | Ready → Unknown | at the first pass strictly after probe + 50 s (`--node-monitor-grace-period`, 50 s since v1.32) | `tryUpdateNodeHealth`: `now.After(probeTimestamp + gracePeriod)` |
 * | in that pass | `NodeConditionChanged Ready=Unknown`; the `node.kubernetes.io/unreachable:NoSchedule` taint at once; the node's Ready pods not Ready (`PodReadyChanged false`) | `monitorNodeHealth`, `MarkPodsNotReady`, `doNoScheduleTaintingPass` |
 * | NoExecute taint | queued at the next pass (the pass decides on the condition it read before its own change), then added by the zone's rate-limited queue: `unreachable:NoExecute` for Unknown, `not-ready:NoExecute` for False, each replacing the other | `processTaintBaseEviction`, `markNodeForTainting`, `doNoExecuteTaintingPass` |
 * | zone | region + zone labels (`GetZoneKey`); nodes labelled `node.kubernetes.io/exclude-disruption` are not counted | `monitorNodeHealth` |
 * | zone state | FullDisruption: no node Ready; PartialDisruption: more than 2 not Ready and ≥ 0.55 of the zone (`--unhealthy-zone-threshold`); else Normal | `ComputeZoneState` |
 * | zone's rate | Normal and FullDisruption: 0.1 nodes/s (`--node-eviction-rate`); PartialDisruption: 0.01/s (`--secondary-node-eviction-rate`) if the zone has more than 50 nodes (`--large-cluster-size-threshold`), else 0 | `setLimiterInZone`, `ReducedQPSFunc`, `HealthyQPSFunc` |
 * | rate limiter | a token bucket of burst 1 per zone; one token per node tainted; a new rate starts empty unless the old one had a token | `RateLimitedTimedQueue`, `SwapLimiter`, `EvictionRateLimiterBurst` |
 * | every zone FullDisruption | "master disruption mode": every lifecycle NoExecute taint removed, no zone taints; on leaving it, every node's probe time becomes now (a fresh grace period), and each zone gets its state's rate | `handleDisruption` |
 * | node Ready again | `unreachable:NoSchedule` removed at once; the NoExecute taint at the next pass | `doNoScheduleTaintingPass`, `markNodeAsReachable` |
 * | MemoryPressure True / False | `node.kubernetes.io/memory-pressure:NoSchedule` added / removed at once | `doNoScheduleTaintingPass` |
 *
 * Decisions where kube is silent or racy: a pass and a tainting step at the same tick run in that
 * order (kube's tainting runs every 100 ms, so within the pass's second); the queue of a zone
 * serves its nodes in name order (kube re-adds every waiting node at each pass with the same
 * time, so its heap has only ties); the tainting step runs at whole ticks (a token every 10 s is
 * exact; a rate whose period is not whole seconds is rounded up to the next tick).
 *
 * The controller keeps what kube's keeps in memory (each zone's size, state, limiter and queue;
 * the grace deadlines of nodes whose kubelet is down), updated by events in O(1) and by timers:
 * nothing scans all nodes or pods. A pass touches the nodes that changed; entering or leaving
 * master disruption mode touches the nodes it concerns (tainted, or waiting for their deadline).
 */
import type { ClusterEvent, EventDraft } from "../events/events.js";
import type { NodeState } from "../cluster/state.js";
import type { ConditionStatus, Taint } from "../model/node.js";
import { NOT_READY_TAINT, UNREACHABLE_TAINT } from "../model/manifest.js";
import { zoneKey } from "../cluster/node-tree.js";
import type { ClusterReader, ControllerTimer, Reaction } from "./controller.js";

/** kube-controller-manager's and the kubelet's settings the chain depends on (defaults: kube's). */
export interface NodeLifecycleSettings {
  /** `--node-monitor-period`. */
  readonly monitorPeriodSeconds: number;
  /** `--node-monitor-grace-period` (50 s since v1.32). */
  readonly gracePeriodSeconds: number;
  /** `--node-eviction-rate`, nodes per second per zone. */
  readonly evictionRate: number;
  /** `--secondary-node-eviction-rate`. */
  readonly secondaryEvictionRate: number;
  /** `--large-cluster-size-threshold`. */
  readonly largeClusterSizeThreshold: number;
  /** `--unhealthy-zone-threshold`. */
  readonly unhealthyZoneThreshold: number;
  /** The kubelet's lease renewal interval. */
  readonly heartbeatSeconds: number;
}

export const DEFAULT_NODE_LIFECYCLE: NodeLifecycleSettings = Object.freeze({
  monitorPeriodSeconds: 5,
  gracePeriodSeconds: 50,
  evictionRate: 0.1,
  secondaryEvictionRate: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
  heartbeatSeconds: 10,
});

export const MEMORY_PRESSURE_TAINT = "node.kubernetes.io/memory-pressure";

/** A node with this label is left out of its zone's state (kube's `labelNodeDisruptionExclusion`). */
export const EXCLUDE_DISRUPTION_LABEL = "node.kubernetes.io/exclude-disruption";

export type ZoneState = "Initial" | "Normal" | "PartialDisruption" | "FullDisruption";

export interface NodeLifecycleTimer {
  readonly kind: "nodeLifecycle";
}

interface Zone {
  /** Nodes counted (not excluded). */
  size: number;
  /** Of them, those whose Ready is not True. */
  notReady: number;
  /** The state the controller acts on (kube's `zoneStates`). */
  state: ZoneState;
  /** The limiter's rate (0: never). */
  qps: number;
  /** The tick from which the limiter has a token. */
  tokenAt: number;
  /** Nodes waiting for their NoExecute taint. */
  readonly waiting: Set<string>;
}

interface Tracked {
  readonly zone: string;
  readonly counted: boolean;
  ready: boolean;
}

const TIMER: NodeLifecycleTimer = Object.freeze({ kind: "nodeLifecycle" });

/** `ComputeZoneState`. */
export function computeZoneState(size: number, notReady: number, threshold: number): ZoneState {
  const ready = size - notReady;
  if (ready === 0 && notReady > 0) return "FullDisruption";
  if (notReady > 2 && notReady / size >= threshold) return "PartialDisruption";
  return "Normal";
}

/** The tick the last lease renewal of a kubelet that joined at `joinedAt` and stopped at `stoppedAt` happened. */
export function lastHeartbeat(joinedAt: number, stoppedAt: number, heartbeat: number): number {
  if (stoppedAt <= joinedAt) return joinedAt;
  return joinedAt + heartbeat * Math.floor((stoppedAt - joinedAt - 1) / heartbeat);
}

export class NodeLifecycle {
  private readonly zones = new Map<string, Zone>();
  private readonly nodes = new Map<string, Tracked>();
  /** Nodes whose kubelet is down while Ready is still True, by the pass that turns them Unknown. */
  private readonly deadlines = new Map<number, Set<string>>();
  private readonly deadlineOf = new Map<string, number>();
  /** Nodes whose Ready changed, by the pass that first reads the change (`processTaintBaseEviction`). */
  private readonly observe = new Map<number, Set<string>>();
  private readonly observeAt = new Map<string, number>();
  /** Nodes carrying a lifecycle NoExecute taint. */
  private readonly tainted = new Set<string>();
  /** Zones whose counts changed since the last pass. */
  private readonly dirtyZones = new Set<string>();
  /** Ticks a timer of ours is on the agenda for. */
  private readonly timers = new Set<number>();
  /** Whether every zone was FullDisruption at the last pass. */
  private masterDisruption = false;

  constructor(private readonly settings: NodeLifecycleSettings = DEFAULT_NODE_LIFECYCLE) {}

  /** What the controller does about an event: its bookkeeping, the NoSchedule taints at once, its next pass. */
  onEvent(reader: ClusterReader, event: ClusterEvent, now: number): Reaction<NodeLifecycleTimer> {
    switch (event.type) {
      case "NodeJoined": {
        const counted = event.spec.labels[EXCLUDE_DISRUPTION_LABEL] === undefined;
        const zone = zoneKey(event.spec);
        const ready = event.spec.ready === "True";
        this.nodes.set(event.node, { zone, counted, ready });
        if (counted) {
          const record = this.zone(zone, now);
          record.size += 1;
          if (!ready) record.notReady += 1;
          this.dirtyZones.add(zone);
        }
        const drafts = this.noScheduleTaints(reader.node(event.node));
        if (!ready) this.observeFrom(event.node, this.passAtOrAfter(now));
        return this.reaction(drafts, this.passAtOrAfter(now));
      }
      case "NodeRemoved": {
        const tracked = this.nodes.get(event.node);
        this.nodes.delete(event.node);
        this.forgetDeadline(event.node);
        this.tainted.delete(event.node);
        if (tracked?.counted === true) {
          const zone = this.zones.get(tracked.zone) as Zone;
          zone.size -= 1;
          if (!tracked.ready) zone.notReady -= 1;
          zone.waiting.delete(event.node);
          this.dirtyZones.add(tracked.zone);
        }
        return this.reaction([], this.passAtOrAfter(now));
      }
      case "KubeletStopped": {
        const node = reader.node(event.node);
        if (node === undefined || node.node.ready !== "True") return this.reaction([]);
        const probe = this.passAtOrAfter(lastHeartbeat(node.joinedAt ?? 0, now, this.settings.heartbeatSeconds));
        return this.reaction([], this.setDeadline(event.node, this.unknownAfter(probe)));
      }
      case "KubeletStarted":
        this.forgetDeadline(event.node);
        return this.reaction([]);
      case "NodeConditionChanged": {
        if (event.condition !== "Ready") return this.reaction(this.noScheduleTaints(reader.node(event.node)));
        const tracked = this.nodes.get(event.node);
        const ready = event.status === "True";
        if (tracked !== undefined && tracked.ready !== ready) {
          if (tracked.counted) {
            const zone = this.zones.get(tracked.zone) as Zone;
            zone.notReady += ready ? -1 : 1;
            this.dirtyZones.add(tracked.zone);
          }
          tracked.ready = ready;
        }
        // The controller's own change to Unknown is read by the next pass; the kubelet's by the next one at or after now.
        const pass = event.status === "Unknown" ? this.passAtOrAfter(now + 1) : this.passAtOrAfter(now);
        this.observeFrom(event.node, pass);
        return this.reaction(this.noScheduleTaints(reader.node(event.node)), pass);
      }
      case "NodeTainted":
      case "NodeUntainted":
        if (isLifecycleNoExecute(event.taint)) {
          if (event.type === "NodeTainted") this.tainted.add(event.node);
          else if (!this.hasLifecycleNoExecute(reader.node(event.node), event.taint.key)) this.tainted.delete(event.node);
        }
        return this.reaction([]);
      default:
        return this.reaction([]);
    }
  }

  /** A timer of ours is due: a monitor pass (at a multiple of the period), then the tainting step. */
  onTimer(reader: ClusterReader, now: number): Reaction<NodeLifecycleTimer> {
    this.timers.delete(now);
    const drafts: EventDraft[] = [];
    const timers: number[] = [];
    if (now % this.settings.monitorPeriodSeconds === 0) this.monitorPass(reader, now, drafts, timers);
    const next = this.taintingStep(reader, now, drafts);
    if (next !== undefined) timers.push(next);
    return this.reaction(drafts, ...timers);
  }

  private monitorPass(reader: ClusterReader, now: number, drafts: EventDraft[], timers: number[]): void {
    // 1. The nodes whose grace period is over: Ready=Unknown, their NoSchedule taint, their pods not Ready.
    const due = this.deadlines.get(now);
    if (due !== undefined) {
      this.deadlines.delete(now);
      for (const name of [...due].sort()) {
        this.deadlineOf.delete(name);
        const node = reader.node(name);
        if (node === undefined || node.kubeletStoppedAt === undefined || node.node.ready !== "True") continue;
        // The NoSchedule taint follows as the condition's own reaction (onEvent); MarkPodsNotReady here.
        drafts.push({ type: "NodeConditionChanged", node: name, condition: "Ready", status: "Unknown" });
        for (const key of node.pods) {
          if (reader.pod(key)?.readySince !== undefined) drafts.push({ type: "PodReadyChanged", pod: key, ready: false });
        }
        // The zone counts it now (this pass's handleDisruption sees it); the next pass reads the change.
        const tracked = this.nodes.get(name);
        if (tracked !== undefined && tracked.ready) {
          tracked.ready = false;
          if (tracked.counted) {
            (this.zones.get(tracked.zone) as Zone).notReady += 1;
            this.dirtyZones.add(tracked.zone);
          }
        }
        const next = now + this.settings.monitorPeriodSeconds;
        this.observeFrom(name, next);
        timers.push(next);
      }
    }
    // 2. processTaintBaseEviction for the nodes whose change this pass reads.
    const observed = this.observe.get(now);
    if (observed !== undefined) {
      this.observe.delete(now);
      for (const name of [...observed].sort()) {
        if (this.observeAt.get(name) !== now) continue;
        this.observeAt.delete(name);
        const node = reader.node(name);
        const tracked = this.nodes.get(name);
        if (node === undefined || tracked === undefined) continue;
        if (node.node.ready === "True") {
          drafts.push(...this.markReachable(node));
          if (tracked.counted) (this.zones.get(tracked.zone) as Zone).waiting.delete(name);
          continue;
        }
        const [wanted, opposite] = taintsFor(node.node.ready);
        if (hasTaint(node, wanted.key, "NoExecute")) continue;
        if (hasTaint(node, opposite.key, "NoExecute")) {
          // The other NoExecute taint is swapped at once, without the rate limiter.
          drafts.push({ type: "NodeTainted", node: name, taint: wanted }, { type: "NodeUntainted", node: name, taint: opposite });
        } else if (tracked.counted) {
          this.zone(tracked.zone, now).waiting.add(name);
        }
      }
    }
    // 3. handleDisruption.
    this.handleDisruption(reader, now, drafts, timers);
  }

  private handleDisruption(reader: ClusterReader, now: number, drafts: EventDraft[], timers: number[]): void {
    if (this.dirtyZones.size === 0) return;
    const fresh = new Map<string, ZoneState>();
    for (const [key, zone] of this.zones) {
      if (zone.size === 0) {
        if (zone.waiting.size === 0) this.zones.delete(key);
        continue;
      }
      fresh.set(key, computeZoneState(zone.size, zone.notReady, this.settings.unhealthyZoneThreshold));
    }
    this.dirtyZones.clear();
    const allAre = [...fresh.values()].every((state) => state === "FullDisruption");
    const allWere = [...fresh.keys()].every((key) => (this.zones.get(key) as Zone).state === "FullDisruption");
    if (allAre && allWere) return;
    const keys = [...fresh.keys()].sort();
    if (allAre) {
      // Entering master disruption mode: every lifecycle NoExecute taint goes, no zone taints.
      this.masterDisruption = true;
      for (const name of [...this.tainted].sort()) {
        drafts.push(...this.markReachable(reader.node(name)));
        // kube's next pass queues it again (its taint is gone); with no rate it waits there.
        const tracked = this.nodes.get(name);
        if (tracked?.counted === true) this.zone(tracked.zone, now).waiting.add(name);
      }
      for (const key of keys) {
        const zone = this.zones.get(key) as Zone;
        this.swapLimiter(zone, 0, now);
        zone.state = "FullDisruption";
      }
      return;
    }
    if (allWere && this.masterDisruption) {
      // Leaving it: every node's probe time is now; a kubelet still down gets a fresh grace period.
      this.masterDisruption = false;
      const waiting = [...this.deadlineOf.keys()].sort();
      const deadline = this.unknownAfter(now);
      for (const name of waiting) timers.push(this.setDeadline(name, deadline));
    }
    for (const key of keys) {
      const zone = this.zones.get(key) as Zone;
      const state = fresh.get(key) as ZoneState;
      if (zone.state === state) continue;
      this.swapLimiter(zone, this.rateFor(state, zone.size), now);
      zone.state = state;
    }
  }

  /** `doNoExecuteTaintingPass`: each zone with a token and a waiting node taints one; returns when to try next. */
  private taintingStep(reader: ClusterReader, now: number, drafts: EventDraft[]): number | undefined {
    let next: number | undefined;
    for (const key of [...this.zones.keys()].sort()) {
      const zone = this.zones.get(key) as Zone;
      while (zone.waiting.size > 0 && zone.qps > 0 && zone.tokenAt <= now) {
        const name = [...zone.waiting].sort()[0] as string;
        zone.waiting.delete(name);
        zone.tokenAt = now + 1 / zone.qps;
        const node = reader.node(name);
        if (node === undefined || node.node.ready === "True") continue;
        const [wanted, opposite] = taintsFor(node.node.ready);
        if (!hasTaint(node, wanted.key, "NoExecute")) drafts.push({ type: "NodeTainted", node: name, taint: wanted });
        if (hasTaint(node, opposite.key, "NoExecute")) drafts.push({ type: "NodeUntainted", node: name, taint: opposite });
      }
      if (zone.waiting.size > 0 && zone.qps > 0) next = Math.min(next ?? Infinity, Math.max(now + 1, Math.ceil(zone.tokenAt)));
    }
    return next;
  }

  /** `markNodeAsReachable`: the lifecycle's NoExecute taints off the node. */
  private markReachable(node: NodeState | undefined): EventDraft[] {
    if (node === undefined) return [];
    const drafts: EventDraft[] = [];
    for (const key of [UNREACHABLE_TAINT, NOT_READY_TAINT]) {
      if (hasTaint(node, key, "NoExecute")) drafts.push({ type: "NodeUntainted", node: node.node.name, taint: { key, effect: "NoExecute" } });
    }
    return drafts;
  }

  /** `doNoScheduleTaintingPass` for the Ready condition: not-ready for False, unreachable for Unknown, none for True. */
  private noScheduleTaints(node: NodeState | undefined): EventDraft[] {
    if (node === undefined) return [];
    const name = node.node.name;
    const wanted = node.node.ready === "False" ? NOT_READY_TAINT : node.node.ready === "Unknown" ? UNREACHABLE_TAINT : undefined;
    const drafts: EventDraft[] = [];
    for (const key of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
      const has = hasTaint(node, key, "NoSchedule");
      if (key === wanted && !has) drafts.push({ type: "NodeTainted", node: name, taint: { key, effect: "NoSchedule" } });
      if (key !== wanted && has) drafts.push({ type: "NodeUntainted", node: name, taint: { key, effect: "NoSchedule" } });
    }
    // MemoryPressure=True → node.kubernetes.io/memory-pressure:NoSchedule (nodeConditionToTaintKeyStatusMap).
    const pressure = node.memoryPressureSince !== undefined;
    const tainted = hasTaint(node, MEMORY_PRESSURE_TAINT, "NoSchedule");
    if (pressure && !tainted) drafts.push({ type: "NodeTainted", node: name, taint: { key: MEMORY_PRESSURE_TAINT, effect: "NoSchedule" } });
    if (!pressure && tainted) drafts.push({ type: "NodeUntainted", node: name, taint: { key: MEMORY_PRESSURE_TAINT, effect: "NoSchedule" } });
    return drafts;
  }

  private hasLifecycleNoExecute(node: NodeState | undefined, removed: string): boolean {
    if (node === undefined) return false;
    return node.node.taints.some((taint) => taint.effect === "NoExecute" && taint.key !== removed && (taint.key === UNREACHABLE_TAINT || taint.key === NOT_READY_TAINT));
  }

  private rateFor(state: ZoneState, size: number): number {
    if (state === "PartialDisruption") return size > this.settings.largeClusterSizeThreshold ? this.settings.secondaryEvictionRate : 0;
    return this.settings.evictionRate;
  }

  /** `SwapLimiter`: the same rate keeps its bucket; a new one starts empty unless the old one had a token. */
  private swapLimiter(zone: Zone, qps: number, now: number): void {
    if (zone.qps === qps) return;
    const hadToken = zone.qps > 0 && zone.tokenAt <= now;
    zone.qps = qps;
    zone.tokenAt = qps <= 0 || hadToken ? now : now + 1 / qps;
  }

  private zone(key: string, now: number): Zone {
    let zone = this.zones.get(key);
    if (zone === undefined) {
      zone = { size: 0, notReady: 0, state: "Initial", qps: this.settings.evictionRate, tokenAt: now, waiting: new Set() };
      this.zones.set(key, zone);
    }
    return zone;
  }

  /** The first pass strictly after `probe` + the grace period. */
  private unknownAfter(probe: number): number {
    const period = this.settings.monitorPeriodSeconds;
    return (Math.floor((probe + this.settings.gracePeriodSeconds) / period) + 1) * period;
  }

  private passAtOrAfter(t: number): number {
    const period = this.settings.monitorPeriodSeconds;
    return Math.ceil(t / period) * period;
  }

  private setDeadline(name: string, at: number): number {
    this.forgetDeadline(name);
    this.deadlineOf.set(name, at);
    let set = this.deadlines.get(at);
    if (set === undefined) this.deadlines.set(at, (set = new Set()));
    set.add(name);
    return at;
  }

  private forgetDeadline(name: string): void {
    const at = this.deadlineOf.get(name);
    if (at === undefined) return;
    this.deadlineOf.delete(name);
    this.deadlines.get(at)?.delete(name);
  }

  private observeFrom(name: string, at: number): void {
    const before = this.observeAt.get(name);
    if (before !== undefined && before !== at) this.observe.get(before)?.delete(name);
    this.observeAt.set(name, at);
    let set = this.observe.get(at);
    if (set === undefined) this.observe.set(at, (set = new Set()));
    set.add(name);
  }

  /** Drafts, and one timer per tick asked for (a tick already on the agenda is not asked again). */
  private reaction(drafts: EventDraft[], ...ticks: number[]): Reaction<NodeLifecycleTimer> {
    const timers: ControllerTimer<NodeLifecycleTimer>[] = [];
    for (const at of ticks) {
      if (this.timers.has(at)) continue;
      this.timers.add(at);
      timers.push({ at, payload: TIMER });
    }
    return { drafts, timers };
  }
}

function hasTaint(node: NodeState, key: string, effect: Taint["effect"]): boolean {
  return node.node.taints.some((taint) => taint.key === key && taint.effect === effect);
}

function isLifecycleNoExecute(taint: Taint): boolean {
  return taint.effect === "NoExecute" && (taint.key === UNREACHABLE_TAINT || taint.key === NOT_READY_TAINT);
}

/** The NoExecute taint a Ready status asks for, and the one it replaces. */
function taintsFor(ready: ConditionStatus): [Taint, Taint] {
  const unreachable: Taint = { key: UNREACHABLE_TAINT, effect: "NoExecute" };
  const notReady: Taint = { key: NOT_READY_TAINT, effect: "NoExecute" };
  return ready === "False" ? [notReady, unreachable] : [unreachable, notReady];
}
