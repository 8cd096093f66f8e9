/**
 * The discrete-time loop (DESIGN.md "Time"): an agenda of timers; the clock jumps from one due
 * tick to the next. At each tick:
 * 1. the due timers fire in (priority, insertion) order — timeline actions, then the kubelets'
 *    timers, then the node lifecycle controller's passes and the taint eviction controller's
 *    deletions, then the other controllers' (PodGC's checks, a workload's resync) — each turning
 *    into events;
 * 2. the workload controllers run on what those events made dirty: Deployments (in key order),
 *    then ReplicaSets and ReplicationControllers, then StatefulSets, then DaemonSets, then CronJobs, then Jobs, then the garbage collector,
 *    round after round until none has anything left (controllers/);
 * 3. the scheduler pops pods until its queue has nothing ready, one cycle at a time (a cycle
 *    takes no simulated time);
 * then whatever those steps made due at the same tick runs, and so on. Every controller is a pure
 * function of the state (core/controllers/); this loop only routes events and timers.
 *
 * Every event goes through the backend's reducer (backend.ts: the fast engine, one batch per
 * tick, or the reference engine); the engine never changes a state itself. A rejected event from
 * the engine is a bug and throws. Events are kept in a compact log. Timers are derived from the
 * events (a pod that started gets its end timer …) and re-checked against the state when they
 * fire, so a stale timer is a no-op.
 */
import type { ClusterEvent, EventDraft } from "../events/events.js";
import { podKey, type PodKey } from "../model/pod.js";
import { defaultSchedulerChoice, profileOf, schedulerNamesOf, type SchedulerChoice } from "../scheduler/policies.js";
import { cycleStateWith, nodeInfoOf } from "../scheduler/framework/snapshot.js";
import { nextQueueChange } from "../scheduler/queue.js";
import type { ClusterState, EngineOptions, PodState } from "../cluster/state.js";
import { kubeletOnEvent, kubeletOnTimer, type KubeletTimer } from "../controllers/kubelet.js";
import type { Reaction } from "../controllers/controller.js";
import { syncReplicaSet } from "../controllers/replicaset.js";
import { syncDeployment, relatedPodsOf, type WorkloadTimer } from "../controllers/deployment.js";
import { collectGarbage } from "../controllers/garbage-collector.js";
import { daemonSetRollingOut, syncDaemonSet, targetNode } from "../controllers/daemonset.js";
import { syncStatefulSet } from "../controllers/statefulset.js";
import { syncJob } from "../controllers/job.js";
import { syncCronJob } from "../controllers/cronjob.js";
import { DEFAULT_START_TIME } from "../model/clock.js";
import { controllerKeyOf, isWorkload, objectOwnerKey, stateKey } from "../cluster/objects.js";
import { objectName } from "../model/objects.js";
import { canonicalJson, withReplicas } from "../model/workload.js";
import type { FastState } from "../fast/state.js";
import { CompactLog } from "../log/compact.js";
import { Agenda } from "./agenda.js";
import { createBackend, type EngineBackend, type EngineKind } from "./backend.js";
import type { Scenario, TimelineAction } from "./scenario.js";
import { DEFAULT_TERMINATED_POD_GC_THRESHOLD, PodGCNodes, podGCOnEvent, podGCOnTimer, type PodGCNodesTimer, type PodGCTimer } from "../controllers/podgc.js";
import { NodeLifecycle, type NodeLifecycleTimer } from "../controllers/nodelifecycle.js";
import { TaintEviction, type TaintEvictionTimer } from "../controllers/tainteviction.js";
import { budgetCovers, budgetOwners, evictPod, MULTIPLE_PDBS, PDB_VIOLATION, syncDisruptionBudget } from "../controllers/disruption.js";
import { EVICTION_RETRY_SECONDS, evictionSubject, goDuration, planDrain, type DrainOptions } from "../controllers/drain.js";
import type { DisruptionBudget } from "../model/policy.js";
import { EvictionManager, type EvictionTimer } from "../controllers/eviction-manager.js";

/** The agenda's payloads: a controller's own timers (the kubelet's kinds are its own) or the engine's. */
type TimerPayload =
  | { readonly kind: "timeline"; readonly index: number }
  | KubeletTimer
  | { readonly kind: "queueWake" }
  | PodGCTimer
  | PodGCNodesTimer
  | NodeLifecycleTimer
  | TaintEvictionTimer
  | { readonly kind: "drain"; readonly node: string }
  | EvictionTimer
  | WorkloadTimer;

const QUEUE_WAKE: TimerPayload = { kind: "queueWake" };

const PRIORITY_TIMELINE = 0;
const PRIORITY_KUBELET = 1;
const PRIORITY_QUEUE = 2;
const PRIORITY_NODE_CONTROLLERS = 3;
const PRIORITY_CONTROLLER = 4;
/** The pod events whose pod's controller is woken (read before the event: it may remove the pod). */
const OWNER_EVENTS: ReadonlySet<string> = new Set(["PodDeleted", "PodFailed", "PodSucceeded", "PodStarted", "PodReadyChanged", "ContainerFailed", "ContainerCompleted", "ContainerRestarted", "ResourcesFreed"]);
/** Rounds of workload controllers in one tick before the engine calls it a loop (a bug). */
const MAX_CONTROLLER_ROUNDS = 10_000;


/** Something the run could not do as asked, e.g. a timeline action naming a pod that is gone. */
export interface RunNotice {
  readonly t: number;
  readonly message: string;
}

export interface RunResult {
  /** Every event, rebuilt from the compact log on first use. */
  readonly events: readonly ClusterEvent[];
  /** The run's events as the engine logged them (typed columns). */
  readonly log: CompactLog;
  /** The final state as the reference engine's records (built on first use by the fast engine). */
  readonly state: ClusterState;
  /** The fast engine's final sealed state. */
  readonly fastState?: FastState;
  readonly notices: readonly RunNotice[];
}

export interface RunHooks {
  /** Called with each event as it is logged (e.g. to stream it to disk). */
  readonly onEvent?: (event: ClusterEvent) => void;
  /** Which engine folds the events: the fast one unless told (`reference`: the oracle). */
  readonly engine?: EngineKind;
}

/** Thrown when the engine produced an event the reducer refused: a bug, never bad input. */
export class EngineBug extends Error {
  override readonly name = "EngineBug";
}

/**
 * Runs a scenario to its end tick and returns every event, the final state and any notices.
 * `scheduler` decides placements: kube's default profile unless given.
 */
export function runScenario(scenario: Scenario, hooks: RunHooks = {}, scheduler: SchedulerChoice = DEFAULT_CHOICE): RunResult {
  return new Run(scenario, hooks, scheduler).run();
}

const DEFAULT_CHOICE = defaultSchedulerChoice();

/** The engine options a run uses: the scenario's, with the scheduler names its scheduler serves. */
export function engineOptionsFor(scenario: Scenario, scheduler: SchedulerChoice): EngineOptions {
  const names = schedulerNamesOf(scheduler);
  const isDefault = names.length === 1 && names[0] === "default-scheduler";
  return isDefault ? scenario.options : { ...scenario.options, schedulerNames: names };
}

/** The whole timeline, initial objects first (tick 0), then the scenario's actions in tick order. */
export function fullTimeline(scenario: Scenario): TimelineAction[] {
  const initial: TimelineAction[] = [
    ...scenario.nodes.map((node): TimelineAction => ({ at: 0, action: "addNode", node })),
    ...(scenario.objects ?? []).map((object): TimelineAction => ({ at: 0, action: "createObject", object })),
    ...scenario.pods.map((pod): TimelineAction => ({ at: 0, action: "createPod", pod })),
  ];
  return [...initial, ...scenario.timeline.map((action, index) => ({ action, index }))
    .sort((a, b) => a.action.at - b.action.at || a.index - b.index)
    .map(({ action }) => action)];
}

class Run {
  private readonly state: EngineBackend;
  private readonly agenda = new Agenda<TimerPayload>();
  /** The ticks with a queue wake on the agenda. */
  private readonly wakes = new Set<number>();
  private readonly log: CompactLog;
  private readonly notices: RunNotice[] = [];
  private readonly timeline: TimelineAction[];
  private now = 0;
  /** PodGC's `--terminated-pod-gc-threshold`, and whether its next check is on the agenda. */
  private readonly podGCThreshold: number;
  private podGCPending = false;
  /** Whether any workload was applied: until then no event needs its pod's owner looked up. */
  private workloads = false;
  private readonly dirtyDeployments = new Set<string>();
  private readonly dirtyReplicaSets = new Set<string>();
  private readonly dirtyGC = new Set<string>();
  private readonly dirtyStatefulSets = new Set<string>();
  private readonly dirtyJobs = new Set<string>();
  private readonly dirtyCronJobs = new Set<string>();
  /** Tick 0's time (epoch seconds): CronJobs' schedules are absolute. */
  private readonly startTime: number;
  /** DaemonSets to sync: every node ("all": the object, one of its pods or a timer woke it), or only the nodes that changed. */
  private readonly dirtyDaemonSets = new Map<string, Set<string> | "all">();
  /** Whether any DaemonSet was applied: until then node events wake none. */
  private daemonSets = false;
  /** Each ReplicaSet's controller (a Deployment's key, or "" for none), as last read: its pods' events wake it. */
  private readonly ownerOfObject = new Map<string, string>();
  /** Workload sync timers on the agenda, as `tick|key`, so one (tick, object) is asked for once. */
  private readonly workloadTimers = new Set<string>();
  /** The node lifecycle and taint eviction controllers, and PodGC's node duties: each keeps what kube's keeps in memory. */
  private readonly nodeLifecycle = new NodeLifecycle();
  private readonly taintEviction = new TaintEviction();
  private readonly podGCNodes = new PodGCNodes();
  /** Whether a kubelet stopped or a node was removed in this run: until then the kubelet's timers need not look at their node. */
  private nodesFailed = false;
  /** PodDisruptionBudgets to sync, each budget's pod owners, and the budgets of each owner. */
  private readonly dirtyBudgets = new Set<string>();
  private readonly budgetOwnersOf = new Map<string, string[]>();
  private readonly budgetsOfOwner = new Map<string, string[]>();
  /** The kubelets' eviction managers (memory), and whether any pod declares a memory usage (until then they have nothing to watch). */
  private readonly evictionManager = new EvictionManager();
  private memoryUsers = false;
  private pressureSeen = false;
  /** The drains under way, by node (kubectl drain runs as a client: its memory is its own). */
  private readonly drains = new Map<string, Drain>();

  constructor(private readonly scenario: Scenario, private readonly hooks: RunHooks, private readonly scheduler: SchedulerChoice) {
    this.state = createBackend(hooks.engine ?? "fast", engineOptionsFor(scenario, scheduler));
    this.log = new CompactLog(this.state.names ?? {});
    this.timeline = fullTimeline(scenario);
    this.podGCThreshold = scenario.controllers?.terminatedPodGCThreshold ?? DEFAULT_TERMINATED_POD_GC_THRESHOLD;
    this.startTime = scenario.startTime ?? DEFAULT_START_TIME;
    this.timeline.forEach((action, index) => this.agenda.push(action.at, PRIORITY_TIMELINE, { kind: "timeline", index }));
  }

  run(): RunResult {
    const until = this.scenario.untilSeconds;
    const agenda = this.agenda;
    for (let next = agenda.nextTime(); next !== undefined && next <= until; next = agenda.nextTime()) {
      this.now = next;
      do {
        while (agenda.nextTime() === this.now) this.fire(agenda.popPayload() as TimerPayload);
        this.runControllers();
        this.schedule();
      } while (agenda.nextTime() === this.now || this.dirtyCount() > 0);
      this.state.endTick();
    }
    const { log, state, notices } = this;
    let events: ClusterEvent[] | undefined;
    let clusterState: ClusterState | undefined;
    return {
      get events() { return (events ??= [...log]); },
      log,
      get state() { return (clusterState ??= state.clusterState()); },
      ...(state.sealed !== undefined ? { fastState: state.sealed } : {}),
      notices,
    };
  }

  /**
   * Logs and applies an event. `draft` is a fresh literal at every call site, so it is completed
   * in place: a spread into a new object costs about a microsecond per event in V8, adding two
   * fields a few nanoseconds. The keys keep their order (the draft's, then t and seq).
   */
  private emit(draft: EventDraft): void {
    const event = draft as { t: number; seq: number } & EventDraft;
    event.t = this.now;
    event.seq = this.state.seq + 1;
    // The pod's controller (and, for a daemon pod, its node), read before the event may delete the pod (only once workloads exist);
    // a deleted Job's CronJob, read before the Job is gone.
    const owner = this.workloads && OWNER_EVENTS.has(event.type)
      ? this.ownerOfPod((event as { pod: PodKey }).pod)
      : event.type === "ObjectDeleted" && event.kind === "Job" ? this.cronJobOf(stateKey("Job", event.object)) : undefined;
    const daemonNode = owner !== undefined && owner.startsWith("DaemonSet/") ? this.daemonNodeOf((event as { pod: PodKey }).pod) : undefined;
    // The pods a removed node held (the event orphans them: PodGC deletes them later).
    // (A copy: the fast reducer may empty the node's own list in place as it releases them.)
    const orphans = event.type === "NodeRemoved" ? [...(this.state.node(event.node)?.pods ?? [])] : undefined;
    const rejection = this.state.apply(event);
    if (rejection !== undefined) throw new EngineBug(rejection.message);
    this.log.append(event);
    this.hooks.onEvent?.(event);
    this.afterEvent(event, orphans);
    if (this.workloads || event.type === "ObjectApplied") this.markDirty(event, owner, daemonNode);
    if (this.budgetOwnersOf.size > 0 || (event.type === "ObjectApplied" && event.kind === "PodDisruptionBudget")) this.markBudgets(event, owner);
    if (this.drains.size > 0 && (event.type === "ResourcesFreed" || event.type === "PodDeleted")) this.drainPodGone(event.pod);
    if (this.daemonSets && "node" in event && !("pod" in event)) this.markNodeChanged(event.node);
  }

  private dirtyCount(): number {
    return this.dirtyDeployments.size + this.dirtyReplicaSets.size + this.dirtyStatefulSets.size + this.dirtyDaemonSets.size + this.dirtyCronJobs.size + this.dirtyJobs.size + this.dirtyGC.size + this.dirtyBudgets.size;
  }

  private ownerOfPod(key: PodKey): string | undefined {
    const pod = this.state.pod(key);
    return pod === undefined ? undefined : controllerKeyOf(pod.pod);
  }

  /** The CronJob that owns the Job at `key`, if one does. */
  private cronJobOf(key: string): string | undefined {
    const record = this.state.object(key);
    const owner = record === undefined ? undefined : objectOwnerKey(record);
    return owner !== undefined && owner.startsWith("CronJob/") ? owner : undefined;
  }

  private daemonNodeOf(key: PodKey): string | undefined {
    const pod = this.state.pod(key);
    return pod === undefined ? undefined : targetNode(pod);
  }

  /**
   * A daemon pod changed on `node`: its DaemonSet looks at that node alone, or at every node while
   * it rolls out (the update step counts over all of them).
   */
  private markDaemonSet(key: string, node: string | undefined): void {
    const dirty = this.dirtyDaemonSets.get(key);
    if (dirty === "all") return;
    const record = this.state.object(key);
    if (node === undefined || record === undefined || daemonSetRollingOut(this.state, record)) {
      this.dirtyDaemonSets.set(key, "all");
      return;
    }
    if (dirty === undefined) this.dirtyDaemonSets.set(key, new Set([node]));
    else dirty.add(node);
  }

  /**
   * The workload controllers' dirty sets (DESIGN.md "Controllers"): which owners an event
   * concerns. A ReplicaSet syncs when its own object changes or one of its pods stops being
   * active; a Deployment when it changes, or when one of its ReplicaSets or their pods does
   * (ready, available, gone); the garbage collector looks at an owner when it is deleted.
   */
  private markDirty(event: ClusterEvent, podOwner: string | undefined, daemonNode: string | undefined): void {
    switch (event.type) {
      case "ObjectApplied":
      case "WorkloadScaled": {
        if (event.kind === "PriorityClass" || event.kind === "PodDisruptionBudget" || event.kind === "Service" || event.kind === "Namespace") return;
        this.workloads = true;
        if (event.kind === "DaemonSet") this.daemonSets = true;
        const key = stateKey(event.kind, event.object);
        if (event.type === "ObjectApplied") this.ownerOfObject.delete(key);
        this.markWorkload(key);
        return;
      }
      case "ObjectDeleted":
        if (event.kind === "PriorityClass" || event.kind === "PodDisruptionBudget" || event.kind === "Service" || event.kind === "Namespace") return;
        // A CronJob's Job gone: it leaves the CronJob's active list.
        if (podOwner !== undefined) this.dirtyCronJobs.add(podOwner);
        // Orphaning changes its dependents' owners: forget them all (rare).
        if (event.propagation === "Orphan") this.ownerOfObject.clear();
        else this.dirtyGC.add(stateKey(event.kind, event.object));
        this.ownerOfObject.delete(stateKey(event.kind, event.object));
        return;
      case "WorkloadStatusChanged": {
        // A Job that finished wakes its CronJob (its active list, its last success, a Forbid schedule's late run).
        if (event.kind !== "Job" || !event.status.conditions.some((item) => (item.type === "Complete" || item.type === "Failed") && item.status === "True")) return;
        const cronJob = this.cronJobOf(stateKey("Job", event.object));
        if (cronJob !== undefined) this.dirtyCronJobs.add(cronJob);
        return;
      }
      case "PodCreated": {
        // A creation seen: a ReplicaSet past its burst of 500 creates the next ones (kube's expectations).
        // Its Deployment's status counts it (kube: the ReplicaSet's status changed, which wakes the Deployment).
        const owner = controllerKeyOf(event.spec);
        if (owner !== undefined && !owner.startsWith("Deployment/")) {
          if (owner.startsWith("StatefulSet/")) this.dirtyStatefulSets.add(owner);
          else if (owner.startsWith("Job/")) this.dirtyJobs.add(owner);
          else if (owner.startsWith("DaemonSet/")) {
            const node = event.spec.nodeAffinity?.required?.[0]?.matchFields[0]?.values[0];
            this.markDaemonSet(owner, node);
          } else this.dirtyReplicaSets.add(owner);
          this.markOwnerOf(owner);
        }
        return;
      }
      case "PodDeleted":
      case "PodFailed":
      case "PodSucceeded":
        if (podOwner !== undefined && podOwner.startsWith("DaemonSet/")) this.markDaemonSet(podOwner, daemonNode);
        else if (podOwner !== undefined) this.markWorkload(podOwner);
        return;
      case "PodStarted":
      case "PodReadyChanged":
      case "ContainerFailed":
      case "ContainerCompleted":
      case "ContainerRestarted":
      case "ResourcesFreed":
        // Readiness and removal matter to the Deployment above, not to the ReplicaSet's count; to a DaemonSet's update.
        if (podOwner !== undefined) {
          if (podOwner.startsWith("DaemonSet/")) this.markDaemonSet(podOwner, daemonNode);
          // A StatefulSet waits on its pods' readiness and termination.
          else if (podOwner.startsWith("StatefulSet/")) this.dirtyStatefulSets.add(podOwner);
          else if (podOwner.startsWith("Job/")) this.dirtyJobs.add(podOwner);
          else this.markOwnerOf(podOwner);
        }
        return;
      default:
        return;
    }
  }

  /** A workload and the Deployment that owns it, if any. */
  private markWorkload(key: string): void {
    if (key.startsWith("Deployment/")) this.dirtyDeployments.add(key);
    else if (key.startsWith("DaemonSet/")) this.dirtyDaemonSets.set(key, "all");
    else if (key.startsWith("StatefulSet/")) this.dirtyStatefulSets.add(key);
    else if (key.startsWith("Job/")) this.dirtyJobs.add(key);
    else if (key.startsWith("CronJob/")) this.dirtyCronJobs.add(key);
    else this.dirtyReplicaSets.add(key);
    this.markOwnerOf(key);
  }

  /** A node joined, left or changed: each DaemonSet looks at it. */
  private markNodeChanged(node: string): void {
    for (const key of this.state.objectKeys("DaemonSet")) {
      const dirty = this.dirtyDaemonSets.get(key);
      if (dirty === "all") continue;
      if (dirty === undefined) this.dirtyDaemonSets.set(key, new Set([node]));
      else dirty.add(node);
    }
  }

  private markOwnerOf(key: string): void {
    if (key.startsWith("Deployment/")) {
      this.dirtyDeployments.add(key);
      return;
    }
    let owner = this.ownerOfObject.get(key);
    if (owner === undefined) {
      const record = this.state.object(key);
      owner = (record === undefined ? undefined : objectOwnerKey(record)) ?? "";
      this.ownerOfObject.set(key, owner);
    }
    if (owner.startsWith("Deployment/")) this.dirtyDeployments.add(owner);
  }

  /**
   * The workload controllers and the garbage collector, until none has anything left to do this
   * tick: dirty Deployments in key order, then dirty ReplicaSets and ReplicationControllers, then
   * StatefulSets, then DaemonSets, then CronJobs, then Jobs, then the collector; what they emit may make others dirty, which run in the next round.
   */
  private runControllers(): void {
    for (let round = 0; this.dirtyCount() > 0; round++) {
      if (round > MAX_CONTROLLER_ROUNDS) throw new EngineBug(`the workload controllers did not settle at tick ${this.now} after ${MAX_CONTROLLER_ROUNDS} rounds`);
      this.syncEach(this.dirtyDeployments, (key) => syncDeployment(this.state, key, this.now, this.scenario.seed));
      const replicaSets = [...this.dirtyReplicaSets].sort();
      this.dirtyReplicaSets.clear();
      for (const key of replicaSets) {
        for (const draft of syncReplicaSet(this.state, key, this.now, this.scenario.seed, (own) => relatedPodsOf(this.state, key, own))) this.emit(draft);
      }
      this.syncEach(this.dirtyStatefulSets, (key) => syncStatefulSet(this.state, key, this.now));
      const daemonSets = [...this.dirtyDaemonSets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      this.dirtyDaemonSets.clear();
      for (const [key, nodes] of daemonSets) this.reactWorkload(syncDaemonSet(this.state, key, this.now, this.scenario.seed, nodes === "all" ? undefined : [...nodes].sort()));
      this.syncEach(this.dirtyCronJobs, (key) => syncCronJob(this.state, key, this.now, this.startTime));
      this.syncEach(this.dirtyJobs, (key) => syncJob(this.state, key, this.now, this.scenario.seed));
      const owners = [...this.dirtyGC].sort();
      this.dirtyGC.clear();
      for (const key of owners) for (const draft of collectGarbage(this.state, key)) this.emit(draft);
      // The disruption controller, last: it reads what the others made of the pods.
      this.syncBudgets();
    }
  }

  /** A workload controller's reaction: its timers on the agenda (one per tick and object), its drafts emitted in order. */
  private reactWorkload(reaction: Reaction<WorkloadTimer>): void {
    this.addWorkloadTimers(reaction.timers);
    for (const draft of reaction.drafts) this.emit(draft);
  }

  /** Syncs each dirty key in key order; the set is emptied first, so what the syncs make dirty runs in the next round. */
  private syncEach(dirty: Set<string>, sync: (key: string) => Reaction<WorkloadTimer>): void {
    const keys = [...dirty].sort();
    dirty.clear();
    for (const key of keys) this.reactWorkload(sync(key));
  }

  private addWorkloadTimers(timers: readonly { readonly at: number; readonly payload: WorkloadTimer }[]): void {
    for (const timer of timers) {
      const id = `${timer.at}|${timer.payload.object}`;
      if (this.workloadTimers.has(id)) continue;
      this.workloadTimers.add(id);
      this.agenda.push(timer.at, PRIORITY_CONTROLLER, timer.payload);
    }
  }

  private notice(message: string): void {
    this.notices.push({ t: this.now, message });
  }

  private pod(key: PodKey): PodState | undefined {
    return this.state.pod(key);
  }

  /**
   * What follows from an event: PodGC's bookkeeping, the kubelet's reaction, the node controllers'
   * (node events; pod events only while some node is tainted NoExecute or out of service), the
   * queue's wake-up.
   */
  private afterEvent(event: ClusterEvent, orphans: readonly PodKey[] | undefined): void {
    if (!this.podGCPending && (event.type === "PodSucceeded" || event.type === "PodFailed")) {
      const check = podGCOnEvent(this.state, event, this.now, this.podGCThreshold);
      if (check !== undefined) {
        this.podGCPending = true;
        this.agenda.push(check.at, PRIORITY_CONTROLLER, check.payload);
      }
    }
    if (event.type === "NodeConditionChanged" && event.condition === "MemoryPressure") this.pressureSeen = true;
    this.react(kubeletOnEvent(this.state, event, this.now, this.pressureSeen));
    if (event.type === "PodCreated" && event.spec.sim.memoryUsageBytes !== undefined) this.memoryUsers = true;
    if (this.memoryUsers) {
      const reaction = this.evictionManager.onEvent(this.state, event, this.now);
      for (const timer of reaction.timers) this.agenda.push(timer.at, PRIORITY_KUBELET, timer.payload);
    }
    if ("node" in event && !("pod" in event)) {
      if (event.type === "KubeletStopped" || event.type === "NodeRemoved") this.nodesFailed = true;
      this.reactNodes(this.nodeLifecycle.onEvent(this.state, event, this.now));
      this.reactNodes(this.taintEviction.onEvent(this.state, event, this.now));
      this.pushNodeTimers(this.podGCNodes.onEvent(this.state, event, this.now, orphans));
    } else {
      if (this.taintEviction.active && (event.type === "PodBound" || event.type === "PodCreated")) this.reactNodes(this.taintEviction.onEvent(this.state, event, this.now));
      if (this.podGCNodes.active && event.type === "PodDeleted") this.pushNodeTimers(this.podGCNodes.onEvent(this.state, event, this.now));
    }
    if (event.type === "PodUnschedulable") {
      const entry = this.state.queued(event.pod);
      const wake = entry && nextQueueChange(entry, this.now);
      // One wake per tick: a wake only makes the tick happen, and a retry round of thousands of
      // pods would otherwise put thousands alike on the agenda, kept until the unschedulable flush.
      if (wake !== undefined && !this.wakes.has(wake)) {
        this.wakes.add(wake);
        this.agenda.push(wake, PRIORITY_QUEUE, QUEUE_WAKE);
      }
    }
  }

  /** The node controllers' reactions: their timers after the kubelets', before the workload controllers'. */
  private reactNodes(reaction: Reaction<NodeLifecycleTimer | TaintEvictionTimer>): void {
    this.pushNodeTimers(reaction.timers);
    for (const draft of reaction.drafts) this.emit(draft);
  }

  private pushNodeTimers(timers: readonly { readonly at: number; readonly payload: NodeLifecycleTimer | TaintEvictionTimer | PodGCNodesTimer }[]): void {
    for (const timer of timers) this.agenda.push(timer.at, PRIORITY_NODE_CONTROLLERS, timer.payload);
  }

  /** A controller's reaction: its timers on the agenda, then its events, in order (each one's own reactions first). */
  private react(reaction: Reaction<KubeletTimer>): void {
    for (const timer of reaction.timers) this.agenda.push(timer.at, PRIORITY_KUBELET, timer.payload);
    // Drafts are fresh objects from the controller: emit completes each in place.
    for (const draft of reaction.drafts) this.emit(draft);
  }

  private fire(timer: TimerPayload): void {
    switch (timer.kind) {
      case "timeline":
        this.act(this.timeline[timer.index] as TimelineAction);
        return;
      case "start":
      case "runEnd":
      case "restart":
      case "graceEnd":
      case "ready":
        this.react(kubeletOnTimer(this.state, timer, this.now, this.nodesFailed));
        return;
      case "queueWake":
        this.wakes.delete(this.now);
        return; // the scheduler runs after the timers of this tick
      case "podGC":
        this.podGCPending = false;
        for (const draft of podGCOnTimer(this.state, this.podGCThreshold)) this.emit(draft);
        return;
      case "nodeLifecycle":
        this.reactNodes(this.nodeLifecycle.onTimer(this.state, this.now));
        return;
      case "taintEviction":
        this.reactNodes(this.taintEviction.onTimer(this.state, timer, this.now));
        return;
      case "drain":
        this.drainStep(timer.node);
        return;
      case "evictionPass": {
        const reaction = this.evictionManager.onTimer(this.state, timer, this.now);
        for (const next of reaction.timers) this.agenda.push(next.at, PRIORITY_KUBELET, next.payload);
        for (const draft of reaction.drafts) this.emit(draft);
        return;
      }
      case "podGCNodes":
        for (const draft of this.podGCNodes.onTimer(this.state, this.now)) this.emit(draft);
        return;
      case "workloadSync":
        this.workloadTimers.delete(`${this.now}|${timer.object}`);
        this.markWorkload(timer.object);
        return;
      default: {
        const unreachable: never = timer;
        throw new EngineBug(`unknown timer ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private act(action: TimelineAction): void {
    switch (action.action) {
      case "addNode":
        if (this.state.node(action.node.name)) this.notice(`node ${action.node.name} already exists; not added again`);
        else this.emit({ type: "NodeJoined", node: action.node.name, spec: action.node });
        return;
      case "createPod": {
        const key = podKey(action.pod);
        if (this.state.pod(key)) this.notice(`pod ${key} already exists; not created again`);
        else this.emit({ type: "PodCreated", pod: key, spec: action.pod });
        return;
      }
      case "deletePod": {
        const pod = this.pod(action.pod);
        if (pod === undefined) this.notice(`pod ${action.pod} does not exist; nothing to delete`);
        else if (pod.deletionDeadline !== undefined) this.notice(`pod ${action.pod} is already terminating`);
        else this.emit({ type: "PodDeleted", pod: action.pod, gracePeriodSeconds: action.gracePeriodSeconds ?? pod.pod.terminationGracePeriodSeconds });
        return;
      }
      case "cordon":
      case "uncordon": {
        const node = this.state.node(action.node);
        if (node === undefined) this.notice(`node ${action.node} does not exist; cannot ${action.action} it`);
        else if (node.node.unschedulable === (action.action === "cordon")) this.notice(`node ${action.node} is already ${action.action}ed`);
        else this.emit({ type: action.action === "cordon" ? "NodeCordoned" : "NodeUncordoned", node: action.node });
        return;
      }
      case "failNode":
      case "recoverNode": {
        const node = this.state.node(action.node);
        const stopped = node?.kubeletStoppedAt !== undefined;
        if (node === undefined) this.notice(`node ${action.node} does not exist; cannot ${action.action === "failNode" ? "fail" : "recover"} it`);
        else if (stopped === (action.action === "failNode")) this.notice(`node ${action.node}'s kubelet is already ${stopped ? "stopped" : "running"}`);
        else this.emit({ type: action.action === "failNode" ? "KubeletStopped" : "KubeletStarted", node: action.node });
        return;
      }
      case "removeNode":
        if (this.state.node(action.node) === undefined) this.notice(`node ${action.node} does not exist; nothing to remove`);
        else this.emit({ type: "NodeRemoved", node: action.node });
        return;
      case "taint":
      case "untaint": {
        const node = this.state.node(action.node);
        const { key, effect } = action.taint;
        const has = node?.node.taints.some((taint) => taint.key === key && taint.effect === effect) === true;
        if (node === undefined) this.notice(`node ${action.node} does not exist; cannot ${action.action} it`);
        else if (has === (action.action === "taint")) this.notice(`node ${action.node} ${has ? "already has" : "has no"} taint ${key}:${effect}`);
        else this.emit({ type: action.action === "taint" ? "NodeTainted" : "NodeUntainted", node: action.node, taint: action.taint });
        return;
      }
      case "drain":
        if (this.state.node(action.node) === undefined) this.notice(`node ${action.node} does not exist; nothing to drain`);
        else if (this.drains.has(action.node)) this.notice(`node ${action.node} is already being drained`);
        else this.startDrain(action.node, action.options);
        return;
      case "createObject": {
        const name = objectName(action.object);
        if (this.state.object(stateKey(action.object.kind, name)) !== undefined) this.notice(`${action.object.kind.toLowerCase()} ${name} already exists; not created again`);
        else this.emit({ type: "ObjectApplied", kind: action.object.kind, object: name, spec: action.object });
        return;
      }
      case "deleteObject":
        if (this.state.object(stateKey(action.kind, action.object)) === undefined) this.notice(`${action.kind.toLowerCase()} ${action.object} does not exist; nothing to delete`);
        else this.emit({ type: "ObjectDeleted", kind: action.kind, object: action.object, propagation: action.propagation });
        return;
      case "scale": {
        const record = this.state.object(stateKey(action.kind, action.object));
        if (record === undefined || !isWorkload(record.object)) this.notice(`${action.kind.toLowerCase()} ${action.object} does not exist; cannot scale it`);
        else if (record.object.kind === "DaemonSet") this.notice(`daemonset ${action.object} cannot be scaled: it runs a pod on each node that should run one`);
        else if (record.object.kind === "Job") this.notice(`job ${action.object} cannot be scaled: change its spec.parallelism`);
        else if (record.object.kind === "CronJob") this.notice(`cronjob ${action.object} cannot be scaled`);
        else if (record.object.replicas !== action.replicas) this.emit({ type: "WorkloadScaled", kind: action.kind, object: action.object, replicas: action.replicas });
        return;
      }
      case "update": {
        const record = this.state.object(stateKey(action.kind, action.object));
        if (record === undefined || !isWorkload(record.object)) {
          this.notice(`${action.kind.toLowerCase()} ${action.object} does not exist; cannot update it`);
          return;
        }
        const workload = action.setsReplicas ? action.workload : withReplicas(action.workload, record.object.replicas);
        // kubectl patch: "patched (no change)" when the object is the same.
        if (canonicalJson(workload.manifest) !== canonicalJson(record.object.manifest)) this.emit({ type: "ObjectApplied", kind: action.kind, object: action.object, spec: workload });
        return;
      }
      default: {
        const unreachable: never = action;
        throw new EngineBug(`unknown timeline action ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /**
   * The disruption controller's dirty set, and which budgets cover which pod owners, kept by each
   * event in what it touches: a budget applied finds its owners (its selector against the
   * workloads' templates, once); a pod-owning workload applied or deleted is matched against each
   * budget; a workload scaled (a Deployment through its ReplicaSets) wakes the budgets that count
   * its replicas; a pod event, the budgets of its owner.
   */
  private markBudgets(event: ClusterEvent, podOwner: string | undefined): void {
    switch (event.type) {
      case "ObjectApplied":
      case "ObjectDeleted": {
        if (event.kind === "PriorityClass" || event.kind === "Service" || event.kind === "Namespace") return;
        const key = stateKey(event.kind, event.object);
        if (event.kind === "PodDisruptionBudget") {
          for (const owner of this.budgetOwnersOf.get(key) ?? []) this.uncover(owner, key);
          this.budgetOwnersOf.delete(key);
          if (event.type === "ObjectApplied") {
            const owners = budgetOwners(this.state, event.spec as DisruptionBudget);
            this.budgetOwnersOf.set(key, owners);
            for (const owner of owners) this.budgetsOfOwner.set(owner, [...(this.budgetsOfOwner.get(owner) ?? []), key]);
            this.dirtyBudgets.add(key);
          }
          return;
        }
        // A workload: the budgets that count it now, and those that did.
        for (const budget of this.budgetsOfOwner.get(key) ?? []) this.dirtyBudgets.add(budget);
        if (event.kind === "Deployment" || event.kind === "CronJob") {
          this.markBudgetsOfDeployment(key);
          return;
        }
        for (const budget of [...(this.budgetsOfOwner.get(key) ?? [])]) this.uncover(key, budget);
        if (event.type === "ObjectDeleted") return;
        for (const [budgetKey, owners] of this.budgetOwnersOf) {
          const budget = this.state.object(budgetKey)?.object as DisruptionBudget | undefined;
          if (budget === undefined || !budgetCovers(budget, event.spec)) continue;
          owners.push(key);
          owners.sort();
          this.budgetsOfOwner.set(key, [...(this.budgetsOfOwner.get(key) ?? []), budgetKey]);
          this.dirtyBudgets.add(budgetKey);
        }
        return;
      }
      case "WorkloadScaled": {
        const key = stateKey(event.kind, event.object);
        for (const budget of this.budgetsOfOwner.get(key) ?? []) this.dirtyBudgets.add(budget);
        if (event.kind === "Deployment") this.markBudgetsOfDeployment(key);
        return;
      }
      case "PodCreated": {
        const owner = controllerKeyOf(event.spec);
        for (const key of (owner === undefined ? undefined : this.budgetsOfOwner.get(owner)) ?? []) this.dirtyBudgets.add(key);
        return;
      }
      // Whatever changes a pod's readiness or ends it: Ready as it starts or restarts (or later), not once its container exits.
      case "PodStarted":
      case "ContainerRestarted":
      case "ContainerFailed":
      case "ContainerCompleted":
      case "PodDeleted":
      case "PodFailed":
      case "PodSucceeded":
      case "PodReadyChanged":
      case "ResourcesFreed":
        for (const key of (podOwner === undefined ? undefined : this.budgetsOfOwner.get(podOwner)) ?? []) this.dirtyBudgets.add(key);
        return;
      default:
        return;
    }
  }

  /** The budgets counting a Deployment's replicas: those covering its ReplicaSets. */
  private markBudgetsOfDeployment(key: string): void {
    for (const replicaSet of this.state.objectsOwnedBy(key)) for (const budget of this.budgetsOfOwner.get(replicaSet) ?? []) this.dirtyBudgets.add(budget);
  }

  private uncover(owner: string, budget: string): void {
    const budgets = (this.budgetsOfOwner.get(owner) ?? []).filter((item) => item !== budget);
    if (budgets.length === 0) this.budgetsOfOwner.delete(owner);
    else this.budgetsOfOwner.set(owner, budgets);
    const owners = this.budgetOwnersOf.get(budget);
    if (owners !== undefined) this.budgetOwnersOf.set(budget, owners.filter((item) => item !== owner));
  }

  private syncBudgets(): void {
    const budgets = [...this.dirtyBudgets].sort();
    this.dirtyBudgets.clear();
    for (const key of budgets) for (const draft of syncDisruptionBudget(this.state, key, this.budgetOwnersOf.get(key) ?? [], this.now)) this.emit(draft);
  }

  /** kubectl drain: the filters, the cordon, then the first evictions (controllers/drain.ts). */
  private startDrain(node: string, options: DrainOptions): void {
    const plan = planDrain(this.state, node, options);
    this.emit({ type: "NodeDrainStarted", node, warning: plan.warning });
    if (this.state.node(node)?.node.unschedulable !== true) this.emit({ type: "NodeCordoned", node });
    if (plan.errors.length > 0) {
      this.emit({ type: "NodeDrainFinished", node, drained: false, message: plan.errors.join("\n") });
      return;
    }
    const drain: Drain = { node, options, startedAt: this.now, pending: [...plan.evict], waiting: new Map(), failures: [] };
    this.drains.set(node, drain);
    const timeout = options.timeoutSeconds ?? 0;
    if (timeout > 0) this.agenda.push(this.now + timeout, PRIORITY_NODE_CONTROLLERS, { kind: "drain", node });
    this.drainAttempt(drain);
  }

  /** One round of evictions of the pods still to evict; a refused one is tried again 5 s later. */
  private drainAttempt(drain: Drain): void {
    // The disruption controller answers within milliseconds of a change in kube: a budget that
    // changed this tick is synced before the Eviction API reads it.
    this.syncBudgets();
    const budgets = this.state.objectKeys("PodDisruptionBudget");
    const still: PodKey[] = [];
    for (const key of drain.pending) {
      const answer = evictPod(this.state, key, budgets, this.now, drain.options.gracePeriodSeconds);
      if (answer.outcome === "gone") continue;
      if (answer.outcome === "evicted") {
        const pod = this.state.pod(key) as PodState;
        drain.waiting.set(key, pod.createdSeq);
        for (const draft of answer.drafts) this.emit(draft);
        continue;
      }
      if (answer.code === 429) {
        this.emit({ type: "PodEvictionRefused", pod: key, code: 429, message: `error when evicting ${evictionSubject(key)} (will retry after ${EVICTION_RETRY_SECONDS}s): ${PDB_VIOLATION}` });
        still.push(key);
      } else {
        const message = `error when evicting ${evictionSubject(key)}: ${MULTIPLE_PDBS}`;
        this.emit({ type: "PodEvictionRefused", pod: key, code: answer.code, message });
        drain.failures.push(message);
      }
    }
    drain.pending = still;
    if (still.length > 0) {
      drain.nextAttempt = this.now + EVICTION_RETRY_SECONDS;
      this.agenda.push(drain.nextAttempt, PRIORITY_NODE_CONTROLLERS, { kind: "drain", node: drain.node });
    }
    this.drainPodGone(undefined);
  }

  /** A drain timer: a retry, or the timeout (a retry due at the timeout's own tick still happens first). */
  private drainStep(node: string): void {
    const drain = this.drains.get(node);
    if (drain === undefined) return;
    const timeout = drain.options.timeoutSeconds ?? 0;
    if (drain.nextAttempt === this.now && drain.pending.length > 0) this.drainAttempt(drain);
    if (!this.drains.has(node) || timeout <= 0 || this.now - drain.startedAt < timeout) return;
    for (const key of drain.pending) drain.failures.push(`error when evicting ${evictionSubject(key)}: global timeout reached: ${goDuration(timeout)}`);
    for (const key of drain.waiting.keys()) {
      const slash = key.indexOf("/");
      drain.failures.push(`error when waiting for pod ${JSON.stringify(key.slice(slash + 1))} in namespace ${JSON.stringify(key.slice(0, slash))} to terminate: context deadline exceeded`);
    }
    drain.pending = [];
    drain.waiting.clear();
    this.drainPodGone(undefined);
  }

  /** A pod may be gone (`key`), or a drain's lists changed: each drain with nothing left ends. */
  private drainPodGone(key: PodKey | undefined): void {
    for (const drain of [...this.drains.values()]) {
      if (key !== undefined) {
        const seq = drain.waiting.get(key);
        if (seq !== undefined && this.state.pod(key)?.createdSeq !== seq) drain.waiting.delete(key);
      }
      if (drain.pending.length > 0 || drain.waiting.size > 0) continue;
      this.drains.delete(drain.node);
      const drained = drain.failures.length === 0;
      this.emit({ type: "NodeDrainFinished", node: drain.node, drained, message: drained ? `node/${drain.node} drained` : drain.failures.join("\n") });
    }
  }

  /**
   * A preemption's effects, in kube's order (handleSchedulingFailure, then the async preemption's
   * API calls): the preemptor nominated to the node, lower-priority pods nominated there cleared,
   * then each victim not already terminating marked (DisruptionTarget, PreemptionByScheduler)
   * and deleted with its own grace period.
   */
  private preempted(key: PodKey, preemption: { readonly node: string; readonly victims: readonly PodKey[]; readonly clear: readonly PodKey[] }): void {
    const preemptor = this.pod(key);
    if (preemptor?.nominatedNode !== preemption.node) this.emit({ type: "PodNominated", pod: key, node: preemption.node });
    for (const other of preemption.clear) this.emit({ type: "PodNominated", pod: other, node: "" });
    const message = `${preemptor?.pod.schedulerName ?? "default-scheduler"}: preempting to accommodate a higher priority pod`;
    for (const victim of preemption.victims) {
      const pod = this.pod(victim);
      if (pod === undefined || pod.deletionDeadline !== undefined) continue;
      this.emit({ type: "PodPreempted", pod: victim, node: preemption.node, preemptor: key, message });
      this.emit({ type: "PodDeleted", pod: victim, gracePeriodSeconds: pod.pod.terminationGracePeriodSeconds });
    }
  }

  /** Whether a profile runs a Reserve plugin that claims something (Open-Gpu-Share). */
  private get reserves(): boolean {
    return (this.reservesCached ??= this.scheduler.policy === "kube" && this.scheduler.configuration.profiles.some((profile) => profile.reserve !== undefined));
  }
  private reservesCached: boolean | undefined;

  /** The pod's profile's Reserve plugins on the chosen node: the GPU cards it takes there, if any. */
  private reserved(key: PodKey, nodeName: string): readonly number[] | undefined {
    const pod = this.state.pod(key);
    const node = this.state.node(nodeName);
    if (pod === undefined || node === undefined || this.scheduler.policy !== "kube") return undefined;
    const plugins = profileOf(this.scheduler, pod).reserve;
    if (plugins === undefined) return undefined;
    const info = nodeInfoOf(node, (other) => this.state.pod(other));
    const cycle = cycleStateWith(pod.pod, pod.request, 0, new Map());
    for (const plugin of plugins) {
      const gpus = plugin.reserve(cycle, info).gpus;
      if (gpus !== undefined && gpus.length > 0) return gpus;
    }
    return undefined;
  }

  /** The rejecting plugins' lists, one array per list: the log keeps each event's by reference, and a run may fail millions of cycles. */
  private readonly pluginLists = new Map<string, readonly string[]>();

  private pluginList(plugins: readonly string[]): readonly string[] {
    const key = plugins.join("\u0000");
    const known = this.pluginLists.get(key);
    if (known !== undefined) return known;
    this.pluginLists.set(key, plugins);
    return plugins;
  }

  /** Scheduling cycles until nothing in the queue is ready at this tick. */
  private schedule(): void {
    for (let key = this.state.nextPodToSchedule(this.now); key !== undefined; key = this.state.nextPodToSchedule(this.now)) {
      const decision = this.state.decide(key, this.scheduler, this.scenario.seed);
      // The sampling start is logged only when it moves (never below 100 nodes).
      const moved = decision.nextStartNodeIndex !== this.state.nextStartNodeIndex;
      if (decision.kind === "bind") {
        const bound: EventDraft = moved ? { type: "PodBound", pod: key, node: decision.node, nextStartNodeIndex: decision.nextStartNodeIndex } : { type: "PodBound", pod: key, node: decision.node };
        const gpus = this.reserves ? this.reserved(key, decision.node) : undefined;
        const claimed: EventDraft = gpus === undefined ? bound : { ...bound, gpus };
        this.emit(decision.overcommits === true ? { ...claimed, overcommits: true } : claimed);
      } else {
        const plugins = this.pluginList(decision.plugins);
        this.emit(moved
          ? { type: "PodUnschedulable", pod: key, message: decision.message, plugins, nextStartNodeIndex: decision.nextStartNodeIndex }
          : { type: "PodUnschedulable", pod: key, message: decision.message, plugins });
        if (decision.preemption !== undefined) this.preempted(key, decision.preemption);
        else if (decision.clearNomination === true) this.emit({ type: "PodNominated", pod: key, node: "" });
      }
    }
  }
}

/** A drain under way: the pods still to evict, those evicted and not yet gone (with which pod each was), what failed. */
interface Drain {
  readonly node: string;
  readonly options: DrainOptions;
  readonly startedAt: number;
  pending: PodKey[];
  readonly waiting: Map<PodKey, number>;
  readonly failures: string[];
  nextAttempt?: number;
}
