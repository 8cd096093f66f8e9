/**
 * The state an engine run folds its events into, behind one interface: the reference engine
 * (immer records, the oracle) or the fast engine (persistent vectors, transient batches, the
 * free-capacity index). The run loop (engine.ts) is the same for both, so the two differ only in
 * how they hold the state — which is what the property tests compare.
 */
import type { ClusterEvent } from "../events/events.js";
import type { PodKey } from "../model/pod.js";
import { decideFast } from "../fast/decide.js";
import { applyEvent } from "../fast/reduce.js";
import { createFastState, materialize, type FastState, type Names, type Transient } from "../fast/state.js";
import { reduce } from "../reference/reduce.js";

/**
 * The reference engine's reducer, for the library API (`reduce(state, event)` on plain
 * `ClusterState`s): the one way out of core/reference/ besides the backend below.
 */
export { reduce, reduceAll, type ReduceResult } from "../reference/reduce.js";
import { type Rejection } from "../cluster/rejections.js";
import { addPart, controllerKeyOf, countsOf, objectOwnerKey, type ObjectState, type OwnedCounts } from "../cluster/objects.js";
import type { WorkloadReader } from "../controllers/controller.js";
import type { TerminatedReader } from "../controllers/podgc.js";
import { terminatedRank, createState, type ClusterState, type EngineOptions, type NodeState, type PodState } from "../cluster/state.js";
import { nextPodToSchedule } from "../scheduler/firstfit.js";
import { decide, type Decision, type SchedulerChoice } from "../scheduler/policies.js";
import type { QueuedPod } from "../scheduler/queue.js";

export type EngineKind = "fast" | "reference";

function isTerminated(pod: PodState): boolean {
  return pod.phase === "Succeeded" || pod.phase === "Failed";
}
export const ENGINE_KINDS: readonly EngineKind[] = ["fast", "reference"];

/** What the controllers read (controllers/controller.ts, podgc.ts), and the engine's own needs. */
export interface EngineBackend extends WorkloadReader, TerminatedReader {
  readonly seq: number;
  readonly nextStartNodeIndex: number;
  /** Applies the event, or returns why it was refused (nothing changed then). */
  apply(event: ClusterEvent): Rejection | undefined;
  nextPodToSchedule(now: number): PodKey | undefined;
  decide(key: PodKey, choice: SchedulerChoice, seed: number): Decision;
  /** The tick's events are all in: the fast engine seals its batch. */
  endTick(): void;
  /** The state as the reference engine's records. */
  clusterState(): ClusterState;
  /** The fast engine's last sealed state. */
  readonly sealed?: FastState;
  /** The fast engine's name tables, for the run's compact log to share. */
  readonly names?: { readonly pods: Names; readonly nodes: Names };
}

export function createBackend(kind: EngineKind, options: EngineOptions): EngineBackend {
  return kind === "fast" ? new FastBackend(options) : new ReferenceBackend(options);
}

class ReferenceBackend implements EngineBackend {
  private state: ClusterState;

  constructor(options: EngineOptions) {
    this.state = createState(options);
  }

  get seq(): number { return this.state.seq; }
  get nextStartNodeIndex(): number { return this.state.nextStartNodeIndex; }
  // Own keys only: "constructor" is a valid node name and an Object.prototype property.
  pod(key: PodKey): PodState | undefined { return Object.hasOwn(this.state.pods, key) ? this.state.pods[key] : undefined; }
  node(name: string): NodeState | undefined { return Object.hasOwn(this.state.nodes, name) ? this.state.nodes[name] : undefined; }
  queued(key: PodKey): QueuedPod | undefined { return Object.hasOwn(this.state.queue, key) ? this.state.queue[key] : undefined; }
  object(key: string): ObjectState | undefined { return Object.hasOwn(this.state.objects, key) ? this.state.objects[key] : undefined; }

  /** The naive twin of the fast engine's owner index: a scan of every pod. */
  podsOwnedBy(owner: string): PodState[] {
    return Object.values(this.state.pods).filter((pod) => controllerKeyOf(pod.pod) === owner);
  }

  objectsOwnedBy(owner: string): string[] {
    return Object.keys(this.state.objects).filter((key) => objectOwnerKey(this.state.objects[key] as ObjectState) === owner);
  }

  nodeNames(): readonly string[] {
    return Object.keys(this.state.nodes).sort();
  }

  objectKeys(kind: string): readonly string[] {
    return Object.keys(this.state.objects).filter((key) => key.startsWith(`${kind}/`)).sort();
  }

  /** The naive twin of the fast engine's owner counts: a scan. */
  ownedCounts(uid: string): OwnedCounts | undefined {
    const counts: OwnedCounts = { active: 0, ready: 0, present: 0, revisions: new Map() };
    let any = false;
    for (const pod of Object.values(this.state.pods)) {
      const part = countsOf(pod);
      if (part === undefined || part[0] !== uid) continue;
      any = addPart(counts, part, 1) || any;
    }
    return any ? counts : undefined;
  }

  /** The naive twin of the fast engine's terminated index: a scan. */
  terminatedCount(): number {
    return Object.values(this.state.pods).filter(isTerminated).length;
  }

  oldestTerminated(count: number): PodState[] {
    return Object.values(this.state.pods).filter(isTerminated).sort((a, b) => terminatedRank(a) - terminatedRank(b)).slice(0, count);
  }

  apply(event: ClusterEvent): Rejection | undefined {
    const result = reduce(this.state, event);
    if (!result.ok) return result.rejection;
    this.state = result.state;
    return undefined;
  }

  nextPodToSchedule(now: number): PodKey | undefined {
    return nextPodToSchedule(this.state, now);
  }

  decide(key: PodKey, choice: SchedulerChoice, seed: number): Decision {
    return decide(this.state, key, choice, seed);
  }

  endTick(): void {}

  clusterState(): ClusterState {
    return this.state;
  }
}

/** Each tick is one batch on a transient, sealed when the tick ends (the next batch starts when next needed). */
class FastBackend implements EngineBackend {
  sealed: FastState;
  private batch: Transient | undefined;

  constructor(options: EngineOptions) {
    this.sealed = createFastState(options);
  }

  get names(): { readonly pods: Names; readonly nodes: Names } {
    return { pods: this.sealed.facts.podNames, nodes: this.sealed.facts.nodeNames };
  }

  private get current(): Transient {
    return (this.batch ??= this.sealed.transient());
  }

  get seq(): number { return this.current.seq; }
  get nextStartNodeIndex(): number { return this.current.nextStartNodeIndex; }
  pod(key: PodKey): PodState | undefined { return this.current.pod(key); }
  node(name: string): NodeState | undefined { return this.current.node(name); }
  queued(key: PodKey): QueuedPod | undefined { return this.current.queued(key); }
  object(key: string): ObjectState | undefined { return this.current.object(key); }
  podsOwnedBy(owner: string): PodState[] { return this.current.podsOwnedBy(owner); }
  objectsOwnedBy(owner: string): string[] { return this.current.objectsOwnedBy(owner); }
  ownedCounts(uid: string): OwnedCounts | undefined { return this.current.ownedCounts(uid); }
  nodeNames(): readonly string[] { return this.current.nodeNames(); }
  objectKeys(kind: string): readonly string[] { return this.current.objectKeys(kind); }
  terminatedCount(): number { return this.current.terminatedCount(); }
  oldestTerminated(count: number): PodState[] { return this.current.oldestTerminated(count); }

  apply(event: ClusterEvent): Rejection | undefined {
    return applyEvent(this.current, event);
  }

  nextPodToSchedule(now: number): PodKey | undefined {
    return this.current.nextPodToSchedule(now);
  }

  decide(key: PodKey, choice: SchedulerChoice, seed: number): Decision {
    return decideFast(this.current, key, choice, seed);
  }

  endTick(): void {
    if (this.batch === undefined) return;
    this.sealed = this.batch.seal();
    this.batch = undefined;
  }

  clusterState(): ClusterState {
    return materialize(this.batch ?? this.sealed);
  }
}
