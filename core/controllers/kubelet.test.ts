import { describe, expect, it } from "vitest";
import type { Pod, PodSimulation } from "../model/pod.js";
import { makePod } from "../testing/builders.js";
import { OOM_EXIT_CODE, containerRunOutcome, type RunOutcome } from "./kubelet.js";

const GI = 2 ** 30;

function pod(sim: PodSimulation, memoryLimit?: number, podLimit?: number): Pod {
  return makePod("p", {}, {
    sim,
    containers: [{ name: "app", image: "i", ports: [], requests: {}, limits: memoryLimit === undefined ? {} : { memory: memoryLimit } }],
    ...(podLimit === undefined ? {} : { resources: { requests: {}, limits: { memory: podLimit } } }),
  });
}

describe("containerRunOutcome: how each run of a pod's container ends", () => {
  const rows: Array<[string, Pod, RunOutcome | undefined]> = [
    ["no annotations: it runs until deleted", pod({}), undefined],
    ["duration: exit 0 after it", pod({ durationSeconds: 90 }), { after: 90, kind: "completed" }],
    ["fail-after: exit 1 by default", pod({ failAfterSeconds: 30 }), { after: 30, kind: "failed", exitCode: 1, reason: "Error" }],
    ["fail-after with an exit code", pod({ failAfterSeconds: 30, exitCode: 42 }), { after: 30, kind: "failed", exitCode: 42, reason: "Error" }],
    ["fail-after with exit code 0 is a completion", pod({ failAfterSeconds: 30, exitCode: 0 }), { after: 30, kind: "completed" }],
    ["fail-after before duration wins", pod({ failAfterSeconds: 30, durationSeconds: 60 }), { after: 30, kind: "failed", exitCode: 1, reason: "Error" }],
    ["duration before fail-after wins", pod({ failAfterSeconds: 60, durationSeconds: 30 }), { after: 30, kind: "completed" }],
    ["at a tie, the run completes", pod({ failAfterSeconds: 30, durationSeconds: 30 }), { after: 30, kind: "completed" }],
    ["memory above the container limit: OOM-killed at once", pod({ memoryUsageBytes: 2 * GI, durationSeconds: 60 }, GI), { after: 0, kind: "failed", exitCode: OOM_EXIT_CODE, reason: "OOMKilled" }],
    ["memory equal to the limit is not killed", pod({ memoryUsageBytes: GI, durationSeconds: 60 }, GI), { after: 60, kind: "completed" }],
    ["memory above the pod-level limit when the container sets none", pod({ memoryUsageBytes: 2 * GI }, undefined, GI), { after: 0, kind: "failed", exitCode: 137, reason: "OOMKilled" }],
    ["memory use without any limit is never killed", pod({ memoryUsageBytes: 100 * GI }), undefined],
  ];
  it.each(rows)("%s", (_name, input, expected) => {
    expect(containerRunOutcome(input)).toEqual(expected);
  });
});
