/**
 * Node-pressure eviction (eviction_manager.go, helpers.go), through the engine on both engines.
 * Every tick is worked out by hand: the kubelet's loop passes every 10 s from its node's join,
 * and 1 s after an eviction; memory.available = capacity − the running pods' usage; the threshold
 * is 100Mi; MemoryPressure stays 300 s after the last pass that saw it crossed.
 */
import { describe, expect, it } from "vitest";
import type { RunResult } from "../engine/engine.js";
import type { TimelineAction } from "../engine/scenario.js";
import { DEFAULT_OPTIONS } from "../cluster/state.js";
import type { Pod } from "../model/pod.js";
import { makeNode, makePod, runOnBothEngines } from "../testing/builders.js";
import { binaryQuantity } from "./eviction-manager.js";

const MI = 2 ** 20;
/** A pod bound to n1 by its manifest, using `usageMi` while it runs. */
function user(name: string, usageMi: number, requestMi: number, overrides: Partial<Pod> = {}): Pod {
  const base = makePod(name, requestMi > 0 ? { memory: `${requestMi}Mi` } : {}, { nodeName: "n1", ...overrides });
  return { ...base, sim: { ...base.sim, memoryUsageBytes: usageMi * MI } };
}

function run(pods: Pod[], untilSeconds: number, timeline: TimelineAction[] = [], threshold?: number): RunResult {
  return runOnBothEngines({
    name: "pressure", seed: 1, untilSeconds, options: DEFAULT_OPTIONS, nodes: [makeNode("n1", { cpu: "8", memory: "4Gi" }), makeNode("n2", { cpu: "8", memory: "8Gi" })], pods, timeline,
    ...(threshold !== undefined ? { controllers: { terminatedPodGCThreshold: threshold } } : {}),
  });
}

const story = (result: RunResult) => result.events.flatMap((event) => {
  switch (event.type) {
    case "NodeConditionChanged": return [`${event.t} ${event.condition}=${event.status} ${event.node}`];
    case "NodeTainted": case "NodeUntainted": return [`${event.t} ${event.type} ${event.taint.key.replace("node.kubernetes.io/", "")}`];
    case "PodEvicted": return [`${event.t} evicted ${event.pod.slice(8)}`];
    case "PodFailed": return [`${event.t} failed ${event.pod.slice(8)} ${event.reason}`];
    case "PodDeleted": return [`${event.t} deleted ${event.pod.slice(8)}`];
    default: return [];
  }
});

describe("the kubelet's eviction manager (memory)", () => {
  it("a 4Gi node with 3100Mi + 900Mi used (96Mi available < 100Mi): MemoryPressure and the over-request pod evicted at 0; pressure clears at the first pass 300 s after (301)", () => {
    const result = run([user("hog", 3100, 512), user("steady", 900, 1024)], 600);
    expect(story(result)).toEqual([
      "0 MemoryPressure=True n1", "0 NodeTainted memory-pressure",
      "0 evicted hog", "0 failed hog Evicted",
      // The loop: 1 s after the eviction, then every 10 s: 1, 11 … 291, 301.
      "301 MemoryPressure=False n1", "301 NodeUntainted memory-pressure",
    ]);
    const evicted = result.events.find((event) => event.type === "PodEvicted");
    expect(evicted).toMatchObject({ reason: "Evicted", message: "The node was low on resource: memory. Threshold quantity: 100Mi, available: 96Mi. Container app was using 3100Mi, request is 512Mi, has larger consumption of memory. " });
    expect(result.state.pods["default/hog"]).toMatchObject({ phase: "Failed", reason: "Evicted", holdsResources: false });
  });

  it("rankMemoryPressure: pods over their request first, lower priority first among them, then the most above request; one per pass", () => {
    // 4096Mi: a 1100 (request 1000, +100), b 1500 (request 2000, under), c 1400 (request 200, +1200, priority 10).
    // 4000Mi used → 96Mi available: a goes first (over, priority 0); then 1100 less: 1196Mi available, done.
    const result = run([user("a", 1100, 1000), user("b", 1500, 2000), user("c", 1400, 200, { priority: 10 })], 30);
    expect(story(result).filter((line) => line.includes("evicted"))).toEqual(["0 evicted a"]);
  });

  it("one pod per pass: with pods smaller than the shortfall, a second eviction 1 s after the first", () => {
    // 81 pods of 50Mi and one of 36Mi: 4086Mi used, 10Mi available. Evicting one 50Mi pod leaves
    // 60Mi (< 100Mi): the pass 1 s later evicts another (110Mi), then none. All are over their
    // request (0) at one priority: the most above request first (50Mi), ties by name.
    const pods = [...Array.from({ length: 81 }, (_, index) => user(`u${String(index).padStart(2, "0")}`, 50, 0)), user("z", 36, 0)];
    expect(story(run(pods, 30)).filter((line) => line.includes("evicted"))).toEqual(["0 evicted u00", "1 evicted u01"]);
  });

  it("admission under MemoryPressure: a BestEffort pod is refused (Evicted, \"The node had condition: [MemoryPressure]. \"); a Burstable one is admitted", () => {
    const besteffort = makePod("late", {}, { nodeName: "n1" });
    const burstable = makePod("sized", { memory: "64Mi" }, { nodeName: "n1" });
    const result = run([user("hog", 3100, 512), user("steady", 900, 1024)], 120, [{ at: 60, action: "createPod", pod: besteffort }, { at: 60, action: "createPod", pod: burstable }]);
    expect(result.state.pods["default/late"]).toMatchObject({ phase: "Failed", reason: "Evicted", message: "The node had condition: [MemoryPressure]. " });
    expect(result.state.pods["default/sized"]?.phase).toBe("Running");
  });

  it("PodGC deletes evicted pods first (byEvictionAndCreationTimestamp): over a threshold of 1, the evicted pod goes before an older finished one", () => {
    const done = { ...makePod("done", {}, { nodeName: "n2", restartPolicy: "Never" }) };
    const finished: Pod = { ...done, sim: { ...done.sim, durationSeconds: 5 } };
    // finished is created first (older) and succeeds at 5; hog is evicted at 0. 2 terminated > 1: the check at 20 deletes one: hog.
    const result = run([finished, user("hog", 3100, 512), user("steady", 900, 1024)], 30, [], 1);
    expect(story(result).filter((line) => line.includes("deleted"))).toEqual(["20 deleted hog"]);
  });

  it("quantities as the kubelet prints them (BinarySI)", () => {
    expect(binaryQuantity(100 * MI)).toBe("100Mi");
    expect(binaryQuantity(49_217_536)).toBe("48064Ki"); // 48064 × 1024
    expect(binaryQuantity(1000)).toBe("1k"); // not a multiple of 1024: the decimal form
  });
});

