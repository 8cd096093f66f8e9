/** PodGC's rules on a hand-made reader (gc_controller.go gcTerminated). */
import { describe, expect, it } from "vitest";
import type { PodState } from "../cluster/state.js";
import { makePod } from "../testing/builders.js";
import { podGCOnEvent, podGCOnTimer, type TerminatedReader } from "./podgc.js";

function terminated(name: string, createdSeq: number, terminating = false): PodState {
  return {
    pod: makePod(name), createdSeq, createdAt: 0, request: {}, nonZero: { cpu: 0, memory: 0 }, phase: "Succeeded", node: "n1",
    holdsResources: false, restartCount: 0, ...(terminating ? { deletionDeadline: 99 } : {}),
  };
}

function reader(pods: PodState[]): TerminatedReader {
  const sorted = [...pods].sort((a, b) => a.createdSeq - b.createdSeq);
  return { pod: () => undefined, node: () => undefined, queued: () => undefined, terminatedCount: () => pods.length, oldestTerminated: (count) => sorted.slice(0, count) };
}

describe("PodGC", () => {
  const pods = [terminated("c", 3), terminated("a", 1, true), terminated("b", 2), terminated("d", 4)];

  it("over the threshold by 2: the two oldest are force-deleted; one already terminating is skipped and still counts", () => {
    // 4 terminated, threshold 2 → the oldest two by creation: a (terminating: skipped) and b.
    expect(podGCOnTimer(reader(pods), 2)).toEqual([{ type: "PodDeleted", pod: "default/b", gracePeriodSeconds: 0 }]);
  });

  it("at or under the threshold, or with 0 (off), deletes nothing", () => {
    expect(podGCOnTimer(reader(pods), 4)).toEqual([]);
    expect(podGCOnTimer(reader(pods), 0)).toEqual([]);
  });

  it("a pod turning terminal over the threshold asks for the next 20-second check", () => {
    expect(podGCOnEvent(reader(pods), { type: "PodSucceeded", pod: "default/d", t: 25, seq: 9 }, 25, 2)).toEqual({ at: 40, payload: { kind: "podGC" } });
    expect(podGCOnEvent(reader(pods), { type: "PodSucceeded", pod: "default/d", t: 40, seq: 9 }, 40, 2)).toEqual({ at: 60, payload: { kind: "podGC" } });
    expect(podGCOnEvent(reader(pods), { type: "PodSucceeded", pod: "default/d", t: 25, seq: 9 }, 25, 4)).toBeUndefined();
  });
});
