/**
 * The kubelet, as a controller (DESIGN.md "Controllers"): a pure function from the state, the
 * event that just happened (or its timer that is due) and the tick, to the events it emits and
 * the timers it sets. What it does, as kube's kubelet (pkg/kubelet, v1.35):
 *
 * - admission: a pod bound to a node by its manifest (`spec.nodeName`), or by a scheduler that
 *   overcommitted the node, is admitted against the pods already there — one at a time in
 *   creation order (HandlePodAdditions) — or fails with `OutOf<resource>` and frees what it held;
 *   pods waiting for a node that joins are admitted then, in creation order;
 * - a bound pod starts after its image pull (`sim.timoneiro.dev/image-pull`);
 * - each run of its container ends as the pod's simulation annotations say
 *   (`containerRunOutcome`); the restart policy decides: success or failure for the pod, or a
 *   restart after the crash-loop back-off (at once, then 10 s doubling to 5 minutes);
 * - a pod is Ready as its containers (re)start, or `sim.timoneiro.dev/ready-after` later
 *   (`PodReadyChanged`: a readiness probe's delay); not ready once they exit;
 * - a deleted pod holds its resources until its grace period ends;
 * - a kubelet that stopped (`KubeletStopped`, the timeline's failNode) does nothing: the API sees
 *   its pods as they were (a deleted one stays Terminating, holding its place on the node). When it
 *   starts again (`KubeletStarted`) it reports its node Ready, then catches up on each pod: a
 *   Terminating pod whose grace period ran out is gone at once; a pod bound while it was down
 *   starts after its image pull from now; a container whose run ended meanwhile ends now; a pod
 *   whose readiness delay passed is Ready again (the node lifecycle controller had marked it not
 *   Ready); a container waiting for its restart restarts when its back-off ends, or now.
 *
 * Timers carry only the pod's key; when one fires, the kubelet checks the pod again, so a stale
 * timer does nothing.
 */
import { CRASH_LOOP_MAX_SECONDS } from "../cluster/created.js";
import type { NodeUsage } from "../cluster/fit.js";
import type { PodState } from "../cluster/state.js";
import type { ClusterEvent, EventDraft } from "../events/events.js";
import type { Pod, PodKey } from "../model/pod.js";
import { MEMORY, addResources, subtractResources, type ResourceList } from "../model/resources.js";
import { podQOSClass } from "../model/requests.js";
import { kubeletAdmission } from "../scheduler/plugins/noderesourcesfit/filter.js";
import { nothing, type ClusterReader, type ControllerTimer, type Reaction } from "./controller.js";

/** The kubelet's timers: a pod starts, its container's run ends, it restarts, its grace period ends, its readiness delay ends. */
export interface KubeletTimer {
  readonly kind: "start" | "runEnd" | "restart" | "graceEnd" | "ready";
  readonly pod: PodKey;
}

type KubeletReaction = Reaction<KubeletTimer>;

/**
 * What the kubelet does about an event that just happened. `pressureSeen`: whether any node has
 * had MemoryPressure in this run (until then admission need not look at the node).
 */
export function kubeletOnEvent(state: ClusterReader, event: ClusterEvent, now: number, pressureSeen = true): KubeletReaction {
  switch (event.type) {
    case "PodCreated": {
      // At once, not on a timer: the kubelet admits pods one at a time in creation order, each
      // against the pods admitted before it (HandlePodAdditions), never against later ones.
      const pod = state.pod(event.pod);
      if (pod?.holdsResources === true && pressureSeen && underPressure(state, pod)) return drafts(...refused(event.pod, pod, MEMORY_PRESSURE_REFUSAL));
      return pod?.holdsResources === true ? admit(state, event.pod, pod, now) : nothing();
    }
    case "NodeJoined":
      return admitWaiting(state, event, now);
    case "PodBound": {
      // A pod bound where it does not fit: the kubelet's admission refuses it (OutOf<resource>).
      const pod = state.pod(event.pod);
      if (pod === undefined) return nothing();
      if (pressureSeen && underPressure(state, pod)) return drafts(...refused(event.pod, pod, MEMORY_PRESSURE_REFUSAL));
      if (event.overcommits === true) return admit(state, event.pod, pod, now);
      return timers({ at: now + (pod.pod.sim.imagePullSeconds ?? 0), payload: { kind: "start", pod: event.pod } });
    }
    case "PodStarted":
    case "ContainerRestarted": {
      // The run's end, then (a readiness probe's delay) the pod becoming Ready: a run that ends first leaves it not ready.
      const pod = state.pod(event.pod);
      const outcome = pod && containerRunOutcome(pod.pod);
      const readyAfter = pod?.pod.sim.readyAfterSeconds;
      const out: ControllerTimer<KubeletTimer>[] = [];
      if (outcome !== undefined) out.push({ at: now + outcome.after, payload: { kind: "runEnd", pod: event.pod } });
      if (readyAfter !== undefined) out.push({ at: now + readyAfter, payload: { kind: "ready", pod: event.pod } });
      return out.length === 0 ? nothing() : { drafts: [], timers: out };
    }
    case "ContainerFailed":
    case "ContainerCompleted": {
      // The exit counted (the reducer updated the back-off): a restart after the back-off, unless
      // the pod fails for good (restartPolicy Never: the run's end emits PodFailed next).
      const pod = state.pod(event.pod);
      if (pod === undefined || pod.pod.restartPolicy === "Never") return nothing();
      return timers({ at: now + crashLoopBackoffSeconds(pod.backOff?.exits ?? 1), payload: { kind: "restart", pod: event.pod } });
    }
    case "PodDeleted": {
      const deadline = state.pod(event.pod)?.deletionDeadline;
      return deadline === undefined ? nothing() : timers({ at: deadline, payload: { kind: "graceEnd", pod: event.pod } });
    }
    case "KubeletStarted":
      return catchUp(state, event.node, now);
    default:
      return nothing();
  }
}

/**
 * What the kubelet does when one of its timers is due. `nodesFailed`: whether any kubelet has
 * stopped or any node was removed in this run (until then the pod's node needs no look).
 */
export function kubeletOnTimer(state: ClusterReader, timer: KubeletTimer, now: number, nodesFailed = true): KubeletReaction {
  const pod = state.pod(timer.pod);
  if (pod === undefined || pod.node === undefined) return nothing();
  if (nodesFailed) {
    // A kubelet that is down (or a node that is gone) does nothing; it catches up when it starts again.
    const node = pod.orphaned === true ? undefined : state.node(pod.node);
    if (node === undefined || node.kubeletStoppedAt !== undefined) return nothing();
  }
  switch (timer.kind) {
    case "start":
      return pod.phase === "Pending" && pod.holdsResources && pod.deletionDeadline === undefined
        ? drafts({ type: "PodStarted", pod: timer.pod, node: pod.node as string })
        : nothing();
    case "runEnd":
      return endRun(timer.pod, pod, now);
    case "restart":
      // The kubelet does not restart the containers of a pod that is being deleted.
      return pod.phase === "Running" && pod.runningSince === undefined && pod.deletionDeadline === undefined
        ? drafts({ type: "ContainerRestarted", pod: timer.pod, container: firstContainer(pod), restartCount: pod.restartCount + 1 })
        : nothing();
    case "graceEnd":
      return pod.deletionDeadline === now && pod.holdsResources ? drafts({ type: "ResourcesFreed", pod: timer.pod, node: pod.node as string }) : nothing();
    case "ready":
      // Still the same run (its containers up since exactly the delay ago) and not ready yet.
      return pod.phase === "Running" && pod.runningSince !== undefined && pod.readySince === undefined && now - pod.runningSince === pod.pod.sim.readyAfterSeconds
        ? drafts({ type: "PodReadyChanged", pod: timer.pod, ready: true })
        : nothing();
    default: {
      const unreachable: never = timer.kind;
      throw new Error(`unknown kubelet timer ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The eviction manager's admission (eviction_manager.go Admit): under MemoryPressure a BestEffort pod is refused. */
const MEMORY_PRESSURE_REFUSAL = { reason: "Evicted", message: "The node had condition: [MemoryPressure]. " };

function underPressure(state: ClusterReader, pod: PodState): boolean {
  return pod.node !== undefined && state.node(pod.node)?.memoryPressureSince !== undefined && podQOSClass(pod.pod) === "BestEffort";
}

/** A pod bound to its node, admitted against the pods already there (itself left out). */
function admit(state: ClusterReader, key: PodKey, pod: PodState, now: number): KubeletReaction {
  if (pod.phase !== "Pending" || !pod.holdsResources) return nothing();
  const node = state.node(pod.node as string);
  if (node === undefined) return nothing();
  const usage: NodeUsage = { allocatable: node.node.allocatable, requested: subtractResources(node.requested, pod.request), podCount: node.pods.length - 1 };
  const refusal = kubeletAdmission(pod.request, usage);
  return refusal === undefined ? timers(startTimer(key, pod, now)) : drafts(...refused(key, pod, refusal));
}

/**
 * Pods bound by their manifest to a node that has just joined: admitted one at a time in creation
 * order, each against those admitted before it on the new (otherwise empty) node.
 */
function admitWaiting(state: ClusterReader, event: Extract<ClusterEvent, { type: "NodeJoined" }>, now: number): KubeletReaction {
  const keys = state.node(event.node)?.pods ?? [];
  if (keys.length === 0) return nothing();
  const waiting = keys
    .map((key) => [key, state.pod(key)] as const)
    .filter((entry): entry is readonly [PodKey, PodState] => entry[1] !== undefined)
    .sort((a, b) => a[1].createdSeq - b[1].createdSeq);
  const out: { drafts: EventDraft[]; timers: ControllerTimer<KubeletTimer>[] } = { drafts: [], timers: [] };
  let requested: ResourceList = {};
  let podCount = 0;
  for (const [key, pod] of waiting) {
    const refusal = kubeletAdmission(pod.request, { allocatable: event.spec.allocatable, requested, podCount });
    if (refusal === undefined) {
      out.timers.push(startTimer(key, pod, now));
      requested = addResources(requested, pod.request);
      podCount += 1;
    } else {
      out.drafts.push(...refused(key, pod, refusal));
    }
  }
  return out;
}

function startTimer(key: PodKey, pod: PodState, now: number): ControllerTimer<KubeletTimer> {
  return { at: now + (pod.pod.sim.imagePullSeconds ?? 0), payload: { kind: "start", pod: key } };
}

/** A refused pod fails and frees what it held. */
function refused(key: PodKey, pod: PodState, refusal: { reason: string; message: string }): EventDraft[] {
  return [
    { type: "PodFailed", pod: key, reason: refusal.reason, message: refusal.message },
    { type: "ResourcesFreed", pod: key, node: pod.node as string },
  ];
}

/**
 * A kubelet that starts again: its node Ready (when it was not), then each of its pods (name
 * order) caught up with the time it was down. A timer still ahead of now fires as set.
 */
function catchUp(state: ClusterReader, nodeName: string, now: number): KubeletReaction {
  const node = state.node(nodeName);
  if (node === undefined) return nothing();
  const out: { drafts: EventDraft[]; timers: ControllerTimer<KubeletTimer>[] } = { drafts: [], timers: [] };
  if (node.node.ready !== "True") out.drafts.push({ type: "NodeConditionChanged", node: nodeName, condition: "Ready", status: "True" });
  for (const key of node.pods) {
    const pod = state.pod(key);
    if (pod === undefined) continue;
    if (pod.deletionDeadline !== undefined) {
      // Its grace period ran out while the kubelet was down: it finishes the termination now.
      if (pod.deletionDeadline < now) out.drafts.push({ type: "ResourcesFreed", pod: key, node: nodeName });
      continue;
    }
    if (pod.phase === "Pending") {
      out.timers.push(startTimer(key, pod, now));
      continue;
    }
    if (pod.phase !== "Running") continue;
    if (pod.runningSince === undefined) {
      // Its restart was due while the kubelet was down: now (one still ahead fires as set).
      const due = (pod.backOff?.lastExitAt ?? now) + crashLoopBackoffSeconds(pod.backOff?.exits ?? 1);
      if (due < now) out.timers.push({ at: now, payload: { kind: "restart", pod: key } });
      continue;
    }
    const outcome = containerRunOutcome(pod.pod);
    if (outcome !== undefined && pod.runningSince + outcome.after < now) {
      out.drafts.push(...endRun(key, pod, now, true).drafts);
      continue;
    }
    const readyAt = pod.runningSince + (pod.pod.sim.readyAfterSeconds ?? 0);
    if (pod.readySince === undefined && readyAt < now) out.drafts.push({ type: "PodReadyChanged", pod: key, ready: true });
  }
  return out;
}

/** The current container run ends: completion (success or restart) or failure (restart or give up). `late`: it ended while the kubelet was down. */
function endRun(key: PodKey, pod: PodState, now: number, late = false): KubeletReaction {
  if (pod.phase !== "Running" || pod.runningSince === undefined) return nothing();
  const outcome = containerRunOutcome(pod.pod);
  if (outcome === undefined || (late ? now - pod.runningSince < outcome.after : now - pod.runningSince !== outcome.after)) return nothing();
  const container = firstContainer(pod);
  const policy = pod.pod.restartPolicy;
  if (outcome.kind === "completed") {
    // Restarted (restartPolicy Always: the restart follows the ContainerCompleted event), or done.
    return policy === "Always"
      ? drafts({ type: "ContainerCompleted", pod: key, container })
      : drafts({ type: "PodSucceeded", pod: key }, { type: "ResourcesFreed", pod: key, node: pod.node as string });
  }
  const failed: EventDraft = { type: "ContainerFailed", pod: key, container, exitCode: outcome.exitCode, reason: outcome.reason };
  if (policy !== "Never") return drafts(failed);
  const why = outcome.reason === "OOMKilled" ? "was OOM-killed: its memory use exceeded its limit" : `exited with code ${outcome.exitCode}`;
  return drafts(
    failed,
    { type: "PodFailed", pod: key, reason: outcome.reason === "OOMKilled" ? "OOMKilled" : "Error", message: `container ${JSON.stringify(container)} ${why}` },
    { type: "ResourcesFreed", pod: key, node: pod.node as string },
  );
}

function firstContainer(pod: PodState): string {
  return (pod.pod.containers[0] as { name: string }).name;
}

// A reaction per pod event: kept small (no empty arrays of its own), as the engine makes millions.
const NO_DRAFTS: readonly EventDraft[] = Object.freeze([]);
const NO_TIMERS: readonly ControllerTimer<KubeletTimer>[] = Object.freeze([]);

function drafts(...list: EventDraft[]): KubeletReaction {
  return { drafts: list, timers: NO_TIMERS };
}

function timers(...list: ControllerTimer<KubeletTimer>[]): KubeletReaction {
  return { drafts: NO_DRAFTS, timers: list };
}

/**
 * How a pod's containers run, from its simulation annotations: each run of the (first) container
 * ends the same way, measured from its (re)start.
 *
 * - `memory-usage` above the container's memory limit (or the pod-level limit): the kernel
 *   OOM-kills it as soon as it runs — exit code 137, reason OOMKilled.
 * - `fail-after` (before `duration`, if both): it exits with `exit-code` (default 1); exit 0 is a
 *   normal completion.
 * - `duration`: it exits 0.
 * - none of these: it runs until deleted.
 */
export type RunOutcome =
  | { readonly after: number; readonly kind: "completed" }
  | { readonly after: number; readonly kind: "failed"; readonly exitCode: number; readonly reason: "Error" | "OOMKilled" };

/** The exit code the kubelet reports for an OOM kill (128 + SIGKILL). */
export const OOM_EXIT_CODE = 137;

/** How each run of the pod's container ends, or undefined if it runs until deleted. */
export function containerRunOutcome(pod: Pod): RunOutcome | undefined {
  const { durationSeconds, failAfterSeconds, exitCode, memoryUsageBytes } = pod.sim;
  const memoryLimit = pod.containers[0]?.limits[MEMORY] ?? pod.resources?.limits[MEMORY];
  if (memoryUsageBytes !== undefined && memoryLimit !== undefined && memoryUsageBytes > memoryLimit) {
    return { after: 0, kind: "failed", exitCode: OOM_EXIT_CODE, reason: "OOMKilled" };
  }
  if (failAfterSeconds !== undefined && (durationSeconds === undefined || failAfterSeconds < durationSeconds)) {
    const code = exitCode ?? 1;
    return code === 0 ? { after: failAfterSeconds, kind: "completed" } : { after: failAfterSeconds, kind: "failed", exitCode: code, reason: "Error" };
  }
  return durationSeconds === undefined ? undefined : { after: durationSeconds, kind: "completed" };
}

/**
 * The wait before restarting a container after its `exits`-th exit in a row (kubelet doBackOff):
 * the first restart is at once, then 10 s doubling to 5 minutes. Exits more than 10 minutes apart
 * start the count again (the back-off entry expires).
 */
export function crashLoopBackoffSeconds(exits: number): number {
  return exits <= 1 ? 0 : Math.min(10 * 2 ** Math.min(exits - 2, 10), CRASH_LOOP_MAX_SECONDS);
}
