/**
 * The records events make, written once for both engines: a new pod's record and queue entry
 * (PodCreated), and the kubelet's back-off count after a container exits.
 */
import type { ClusterEvent } from "../events/events.js";
import { nonZeroRequest, podLimitsOrRequests, podRequests } from "../model/requests.js";
import { normalizeResources } from "../model/resources.js";
import type { QueuedPod } from "./queue-entry.js";
import { simulatedSchedulers, type ClusterState, type PodState } from "./state.js";

/** The kubelet's crash-loop back-off cap (kuberuntime's MaxContainerBackOff): 5 minutes. */
export const CRASH_LOOP_MAX_SECONDS = 300;

/**
 * What a PodCreated makes (both engines): the pod's record, whether it counts against its node at
 * once (bound by its manifest to a node that exists) and its scheduling-queue entry, if it waits
 * for a scheduler this run simulates.
 */
export function createdPod(
  event: Extract<ClusterEvent, { type: "PodCreated" }>,
  options: ClusterState["options"],
  nodeExists: boolean,
): { pod: PodState; hold: boolean; queue?: QueuedPod } {
  const spec = event.spec;
  const request = normalizeResources(options.fitBy === "limits" ? podLimitsOrRequests(spec) : podRequests(spec));
  const nonZero = nonZeroRequest(spec, request);
  // Every field present (undefined when absent, which serialises as absent): one shape for all
  // pod records keeps the fast engine's copies and in-place changes on V8's fast path.
  const pod: { -readonly [K in keyof PodState]: PodState[K] } = {
    pod: spec, createdSeq: event.seq, createdAt: event.t, request, nonZero: { cpu: nonZero["cpu"] ?? 0, memory: nonZero["memory"] ?? 0 },
    phase: "Pending", node: undefined, holdsResources: false, startedAt: undefined, runningSince: undefined, readySince: undefined, restartCount: 0,
    deletionDeadline: undefined, reason: undefined, message: undefined, lastExitCode: undefined, backOff: undefined,
  };
  if (spec.nodeName !== undefined) {
    // Bound by its manifest: the scheduler never sees it; it counts against the node at once and
    // the kubelet decides whether to admit it. On a node that does not exist it waits, unbound.
    if (nodeExists) {
      pod.node = spec.nodeName;
      return { pod, hold: true };
    }
    pod.reason = "NodeNotFound";
    pod.message = `node ${JSON.stringify(spec.nodeName)} does not exist`;
    return { pod, hold: false };
  }
  if (!simulatedSchedulers(options).includes(spec.schedulerName)) {
    pod.reason = "OtherScheduler";
    pod.message = `waiting for scheduler ${JSON.stringify(spec.schedulerName)}, which this run does not simulate`;
    return { pod, hold: false };
  }
  if (spec.schedulingGates.length > 0) {
    pod.reason = "SchedulingGated";
    pod.message = `blocked by scheduling gates: ${spec.schedulingGates.join(", ")}`;
    return { pod, hold: false };
  }
  const queue: QueuedPod = {
    pool: "active",
    timestamp: event.t,
    order: event.seq,
    priority: spec.priority,
    attempts: 0,
    unschedulableCount: 0,
    plugins: NO_PLUGINS,
    error: false,
  };
  return { pod, hold: false, queue };
}

/** The plugin list of a queue entry no plugin has rejected yet (shared: lists are never changed in place). */
const NO_PLUGINS: readonly string[] = Object.freeze([]);

/** The kubelet's back-off after an exit at `t`: one more in a row, or the first again after 10 quiet minutes (2 × the 5-minute cap). */
export function nextBackOff(previous: PodState["backOff"], t: number): { exits: number; lastExitAt: number } {
  const forgotten = previous === undefined || t - previous.lastExitAt > 2 * CRASH_LOOP_MAX_SECONDS;
  return { exits: forgotten ? 1 : previous.exits + 1, lastExitAt: t };
}
