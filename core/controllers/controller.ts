/**
 * What a controller is (DESIGN.md "Controllers"): a pure function from what it reads of the
 * state, the event that just happened or the timer of its that is due, and the tick, to a
 * `Reaction` — the events it emits (drafts, in order) and the timers it wants. It never changes a
 * state; only the reducers do, when the engine emits its drafts. A timer is plain data, so a run
 * replays from its log and the agenda holds nothing but values.
 */
import type { QueuedPod } from "../cluster/queue-entry.js";
import type { NodeState, PodState } from "../cluster/state.js";
import type { ObjectState, OwnedCounts } from "../cluster/objects.js";
import type { EventDraft } from "../events/events.js";
import type { PodKey } from "../model/pod.js";

/** What a controller may read: the current state's records, by key (never a scan). */
export interface ClusterReader {
  pod(key: PodKey): PodState | undefined;
  node(name: string): NodeState | undefined;
  queued(key: PodKey): QueuedPod | undefined;
}

/** What the workload controllers read besides: objects and the owner index (never a scan of all pods). */
export interface WorkloadReader extends ClusterReader {
  object(key: string): ObjectState | undefined;
  /** The pods whose controller reference names `owner` (a state key), any uid, in no set order. */
  podsOwnedBy(owner: string): PodState[];
  /** Objects (state keys) whose controller reference names `owner`. */
  objectsOwnedBy(owner: string): string[];
  /** The counts of the pods whose controller reference carries this uid (active, ready, present). */
  ownedCounts(uid: string): OwnedCounts | undefined;
  /** Every node's name, sorted (a DaemonSet's full sync visits them all, as kube's does). */
  nodeNames(): readonly string[];
  /** The state keys of the objects of a kind, sorted (there are few: workloads, not pods). */
  objectKeys(kind: string): readonly string[];
}

/** A controller's timer: due at tick `at`, handed back to the controller then. */
export interface ControllerTimer<Payload> {
  readonly at: number;
  readonly payload: Payload;
}

export interface Reaction<Payload> {
  /** Events to emit, in order (each one's own reactions run before the next is emitted). */
  readonly drafts: readonly EventDraft[];
  readonly timers: readonly ControllerTimer<Payload>[];
}

const NOTHING: Reaction<never> = Object.freeze({ drafts: Object.freeze([]), timers: Object.freeze([]) });

/** The reaction of a controller with nothing to do (shared: reactions are never changed). */
export function nothing<Payload>(): Reaction<Payload> {
  return NOTHING;
}
