import { describe, expect, it } from "vitest";
import { runScenario } from "../engine/engine.js";
import { makeNode, makePod } from "../testing/builders.js";
import { podDisplayStatus, type PodState } from "./state.js";

describe("podDisplayStatus: kubectl's STATUS column", () => {
  // One run holds a pod in each state at tick 45: see the comment on each pod.
  const node = makeNode("node-1", { cpu: "2", memory: "2Gi" });
  const run = runScenario({
    name: "statuses", seed: 1, untilSeconds: 45, options: { fitBy: "requests" },
    nodes: [node],
    pods: [
      makePod("running", { cpu: "100m" }),
      makePod("pulling", { cpu: "100m" }, { sim: { imagePullSeconds: 60 } }), // bound, image still pulling
      makePod("crashing", { cpu: "100m" }, { sim: { failAfterSeconds: 20 } }), // fails at 20 s (restarts at once) and 40 s, restarts at 50 s
      makePod("done", { cpu: "100m" }, { restartPolicy: "Never", sim: { durationSeconds: 10 } }),
      makePod("broken", { cpu: "100m" }, { restartPolicy: "Never", sim: { failAfterSeconds: 10 } }),
      makePod("too-big", { cpu: "8" }),
      makePod("gated", { cpu: "100m" }, { schedulingGates: ["example.com/wait"] }),
      makePod("pinned", { cpu: "4" }, { nodeName: "node-1" }), // refused by the kubelet
      makePod("leaving", { cpu: "100m" }, { terminationGracePeriodSeconds: 60 }),
    ],
    timeline: [{ at: 30, action: "deletePod", pod: "default/leaving" }],
  });
  const status = (name: string) => podDisplayStatus(run.state.pods[`default/${name}`] as PodState);

  it.each([
    ["running", "Running"],
    ["pulling", "ContainerCreating"],
    ["crashing", "CrashLoopBackOff"],
    ["done", "Completed"],
    ["broken", "Error"],
    ["too-big", "Pending"],
    ["gated", "SchedulingGated"],
    ["pinned", "OutOfcpu"],
    ["leaving", "Terminating"],
  ])("%s → %s", (name, expected) => {
    expect(status(name)).toBe(expected);
  });
});
