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
import { CRASH_LOOP_MAX_SECONDS } from "../cluster/created.js";
import type { Pod } from "../model/pod.js";
import { MEMORY } from "../model/resources.js";

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
