/**
 * The discrete-time loop end to end: the seed example, kubelet admission, container runs and
 * restarts, deletion with a grace period, image pulls, and the log's order, determinism and
 * replay. Expected event lists were derived by hand from the rules cited next to them.
 */
import { describe, expect, it } from "vitest";
import type { ClusterEvent } from "../events/events.js";
import { reduceAll } from "../reference/reduce.js";
import { DEFAULT_OPTIONS, createState, podsByPhase, serializeState } from "../cluster/state.js";
import { makeNode, makePod, seedScenario } from "../testing/builders.js";
import { runScenario } from "./engine.js";
import { crashLoopBackoffSeconds } from "../controllers/kubelet.js";
import type { Scenario } from "./scenario.js";

function scenario(fields: Partial<Scenario>): Scenario {
  return { name: "test", seed: 1, untilSeconds: 100, options: DEFAULT_OPTIONS, nodes: [], pods: [], timeline: [], ...fields };
}

/** One event as `t Type subject [node]`, enough to read a run at a glance. */
function brief(event: ClusterEvent): string {
  const subject = "pod" in event ? event.pod : "node" in event ? event.node : `${event.kind}/${event.object}`;
  const node = event.type === "PodBound" || event.type === "PodStarted" || event.type === "ResourcesFreed" ? ` ${event.node}` : "";
  return `${event.t} ${event.type} ${subject}${node}`;
}

function ofType<T extends ClusterEvent["type"]>(events: readonly ClusterEvent[], type: T): Array<Extract<ClusterEvent, { type: T }>> {
  return events.filter((event): event is Extract<ClusterEvent, { type: T }> => event.type === type);
}

describe("runScenario: the seed example", () => {
  const run = runScenario(seedScenario());

  it("produces the hand-derived event list", () => {
    expect(run.events.map(brief)).toEqual([
      "0 NodeJoined node-1",
      "0 PodCreated default/a",
      "0 PodCreated default/b",
      "0 PodCreated default/c",
      "0 PodCreated default/d",
      "0 PodBound default/a node-1", // 250m / 256M
      "0 PodBound default/b node-1", // 500m / 384M
      "0 PodUnschedulable default/c", // memory 384M + 256M = 640M > 512M (cpu 500 + 500 = 1000 fits)
      "0 PodUnschedulable default/d", // cpu 500 + 750 = 1250 > 1000 (memory 384M + 64M fits)
      "0 PodStarted default/a node-1",
      "0 PodStarted default/b node-1",
      "60 PodSucceeded default/a", // duration 60 s, restartPolicy Never
      "60 ResourcesFreed default/a node-1", // left: b 250m / 128M
      "60 PodBound default/c node-1", // requeued by ResourcesFreed; 750m / 384M
      "60 PodUnschedulable default/d", // requeued too; cpu 750 + 750 = 1500 > 1000
      "60 PodStarted default/c node-1",
      "390 PodUnschedulable default/d", // leftover flush: first multiple of 30 after 60 + 300 = 360 → 390
    ]);
  });

  it("gives kube's FailedScheduling messages", () => {
    const messages = ofType(run.events, "PodUnschedulable").map((event) => `${event.t} ${event.pod}: ${event.message}`);
    expect(messages).toEqual([
      "0 default/c: 0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
      "0 default/d: 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
      "60 default/d: 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
      "390 default/d: 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    ]);
  });

  it("logs events in (t, seq) order with seq 1, 2, 3 …", () => {
    expect(run.events.map((event) => event.seq)).toEqual(run.events.map((_, index) => index + 1));
    for (let i = 1; i < run.events.length; i++) expect((run.events[i] as ClusterEvent).t).toBeGreaterThanOrEqual((run.events[i - 1] as ClusterEvent).t);
  });

  it("ends with a Succeeded, b and c Running and d Pending", () => {
    expect(podsByPhase(run.state).map((pod) => `${pod.pod.name} ${pod.phase}`)).toEqual(["a Succeeded", "b Running", "c Running", "d Pending"]);
    // b + c: 250m + 500m = 750m; 128M + 256M = 384M.
    expect(run.state.nodes["node-1"]?.requested).toEqual({ cpu: 750, memory: 384_000_000 });
  });

  it("gives identical event lists when run twice", () => {
    expect(JSON.stringify(runScenario(seedScenario()).events)).toBe(JSON.stringify(run.events));
  });

  it("replaying its events from an empty state rebuilds its final state", () => {
    const replayed = reduceAll(createState(seedScenario().options), run.events);
    expect(replayed.ok).toBe(true);
    expect(serializeState(replayed.state)).toBe(serializeState(run.state));
  });

  it("hands every event to onEvent as it is logged", () => {
    const seen: ClusterEvent[] = [];
    runScenario(seedScenario(), { onEvent: (event) => seen.push(event) });
    expect(seen).toEqual(run.events);
  });
});

describe("runScenario: kubelet admission of a pod bound by spec.nodeName", () => {
  const node = makeNode("node-1", { cpu: "1", memory: "1Gi" });
  const running = makePod("running", { cpu: "500m" });

  it("fails a pod that does not fit with OutOfcpu and frees its resources", () => {
    const pinned = makePod("pinned", { cpu: "750m" }, { nodeName: "node-1" });
    const run = runScenario(scenario({ nodes: [node], pods: [running], timeline: [{ at: 10, action: "createPod", pod: pinned }] }));
    expect(run.events.filter((event) => event.t === 10).map(brief)).toEqual([
      "10 PodCreated default/pinned",
      "10 PodFailed default/pinned",
      "10 ResourcesFreed default/pinned node-1",
    ]);
    // The kubelet's first failing check: 500 used + 750 > 1000.
    expect(ofType(run.events, "PodFailed")[0]).toMatchObject({
      reason: "OutOfcpu",
      message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 750, used: 500, capacity: 1000",
    });
    expect(run.state.pods["default/pinned"]).toMatchObject({ phase: "Failed", holdsResources: false, reason: "OutOfcpu" });
    expect(run.state.nodes["node-1"]?.requested).toEqual({ cpu: 500 });
  });

  it("admits pods created at the same tick one at a time, in creation order, each against those admitted before", () => {
    // kubelet HandlePodAdditions: p1 is admitted on an empty node (600 ≤ 1000); p2 then finds 600 used (600 + 600 > 1000).
    const p1 = makePod("p1", { cpu: "600m" }, { nodeName: "node-1" });
    const p2 = makePod("p2", { cpu: "600m" }, { nodeName: "node-1" });
    const run = runScenario(scenario({ nodes: [node], pods: [p1, p2] }));
    expect(run.events.map(brief)).toEqual([
      "0 NodeJoined node-1",
      "0 PodCreated default/p1",
      "0 PodCreated default/p2",
      "0 PodFailed default/p2",
      "0 ResourcesFreed default/p2 node-1",
      "0 PodStarted default/p1 node-1",
    ]);
    expect(ofType(run.events, "PodFailed")[0]?.message).toBe("Pod was rejected: Node didn't have enough resource: cpu, requested: 600, used: 600, capacity: 1000");
  });

  it("pods waiting for their node are admitted in creation order when it joins", () => {
    // node-1 joins at 20 s; p1 (600m) is admitted on the empty node, p2 (600m) finds 600 used.
    const p1 = makePod("p1", { cpu: "600m" }, { nodeName: "node-1" });
    const p2 = makePod("p2", { cpu: "600m" }, { nodeName: "node-1" });
    const run = runScenario(scenario({ pods: [p1, p2], timeline: [{ at: 20, action: "addNode", node }] }));
    expect(run.events.filter((event) => event.t === 20).map(brief)).toEqual([
      "20 NodeJoined node-1",
      "20 PodFailed default/p2",
      "20 ResourcesFreed default/p2 node-1",
      "20 PodStarted default/p1 node-1",
    ]);
    expect(ofType(run.events, "PodFailed")[0]?.message).toBe("Pod was rejected: Node didn't have enough resource: cpu, requested: 600, used: 600, capacity: 1000");
  });

  it("starts a pod that fits at once, without the scheduler", () => {
    const pinned = makePod("pinned", { cpu: "500m" }, { nodeName: "node-1" });
    const run = runScenario(scenario({ nodes: [node], pods: [running], timeline: [{ at: 10, action: "createPod", pod: pinned }] }));
    expect(run.events.filter((event) => event.t === 10).map(brief)).toEqual(["10 PodCreated default/pinned", "10 PodStarted default/pinned node-1"]);
    expect(ofType(run.events, "PodBound").map((event) => event.pod)).toEqual(["default/running"]);
  });
});

describe("runScenario: container runs", () => {
  const node = makeNode("node-1");

  it("restartPolicy Never: a failure ends the pod (ContainerFailed, PodFailed, ResourcesFreed)", () => {
    const pod = makePod("job", { cpu: "100m" }, { restartPolicy: "Never", sim: { failAfterSeconds: 30, exitCode: 3 } });
    const run = runScenario(scenario({ nodes: [node], pods: [pod] }));
    expect(run.events.filter((event) => event.t === 30).map(brief)).toEqual([
      "30 ContainerFailed default/job",
      "30 PodFailed default/job",
      "30 ResourcesFreed default/job node-1",
    ]);
    expect(ofType(run.events, "ContainerFailed")[0]).toMatchObject({ container: "app", exitCode: 3, reason: "Error" });
    expect(run.state.pods["default/job"]).toMatchObject({ phase: "Failed", holdsResources: false });
  });

  it("restartPolicy OnFailure: restarts at once, then after the crash-loop back-off, 10 s then 20 s", () => {
    const pod = makePod("flaky", {}, { restartPolicy: "OnFailure", sim: { failAfterSeconds: 30 } });
    const run = runScenario(scenario({ untilSeconds: 150, nodes: [node], pods: [pod] }));
    expect(run.events.filter((event) => event.t > 0).map(brief)).toEqual([
      "30 ContainerFailed default/flaky", // started 0, fails after 30
      "30 ContainerRestarted default/flaky", // the first restart is immediate (kubelet doBackOff)
      "60 ContainerFailed default/flaky", // 30 + 30
      "70 ContainerRestarted default/flaky", // + 10 s
      "100 ContainerFailed default/flaky", // 70 + 30
      "120 ContainerRestarted default/flaky", // + 20 s
      "150 ContainerFailed default/flaky", // 120 + 30
    ]);
    expect(ofType(run.events, "ContainerRestarted").map((event) => event.restartCount)).toEqual([1, 2, 3]);
    expect(run.state.pods["default/flaky"]).toMatchObject({ phase: "Running", restartCount: 3, holdsResources: true });
  });

  it("restartPolicy Always: a container that exits 0 completes and is restarted", () => {
    const pod = makePod("loop", {}, { sim: { durationSeconds: 60 } });
    const run = runScenario(scenario({ untilSeconds: 130, nodes: [node], pods: [pod] }));
    expect(run.events.filter((event) => event.t > 0).map(brief)).toEqual([
      "60 ContainerCompleted default/loop",
      "60 ContainerRestarted default/loop", // the first restart is immediate
      "120 ContainerCompleted default/loop", // 60 + 60
      "130 ContainerRestarted default/loop", // + 10 s
    ]);
  });

  it("memory use above the limit: the container is OOM-killed as it starts (exit 137)", () => {
    const pod = makePod("hog", {}, {
      restartPolicy: "Never",
      containers: [{ name: "app", image: "i", ports: [], requests: { memory: 2 ** 30 }, limits: { memory: 2 ** 30 } }],
      sim: { memoryUsageBytes: 2 * 2 ** 30, durationSeconds: 60 },
    });
    const run = runScenario(scenario({ nodes: [node], pods: [pod] }));
    expect(run.events.slice(-4).map(brief)).toEqual([
      "0 PodStarted default/hog node-1",
      "0 ContainerFailed default/hog",
      "0 PodFailed default/hog",
      "0 ResourcesFreed default/hog node-1",
    ]);
    expect(ofType(run.events, "ContainerFailed")[0]).toMatchObject({ exitCode: 137, reason: "OOMKilled" });
    expect(ofType(run.events, "PodFailed")[0]).toMatchObject({ reason: "OOMKilled" });
  });

  it("memory use with no limit is not OOM-killed (it counts only in its node's working set: 64Mi here, far from memory pressure)", () => {
    const within = makePod("ok", {}, { restartPolicy: "Never", sim: { memoryUsageBytes: 64 * 2 ** 20, durationSeconds: 5 } });
    const run = runScenario(scenario({ nodes: [node], pods: [within] }));
    expect(ofType(run.events, "ContainerFailed")).toEqual([]);
    expect(ofType(run.events, "PodSucceeded").map(brief)).toEqual(["5 PodSucceeded default/ok"]);
  });

  it("fail-after with exit code 0 is a completion, not a failure", () => {
    const pod = makePod("zero", { cpu: "100m" }, { restartPolicy: "OnFailure", sim: { failAfterSeconds: 7, exitCode: 0 } });
    const run = runScenario(scenario({ nodes: [node], pods: [pod] }));
    expect(ofType(run.events, "ContainerFailed")).toEqual([]);
    expect(ofType(run.events, "PodSucceeded").map(brief)).toEqual(["7 PodSucceeded default/zero"]);
  });

  it("the crash-loop back-off by exits in a row: the first restart at once, then 10 s doubling, capped at 5 minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(crashLoopBackoffSeconds)).toEqual([0, 10, 20, 40, 80, 160, 300, 300, 300]);
  });

  it("the back-off is forgotten when exits are more than 10 minutes apart", () => {
    // Fails 11 minutes after each start: exits at 660, 1320, 1980 are 660 s apart (> 600), so each restart is immediate.
    const pod = makePod("slow", {}, { restartPolicy: "OnFailure", sim: { failAfterSeconds: 660 } });
    const run = runScenario(scenario({ untilSeconds: 2000, nodes: [node], pods: [pod] }));
    expect(run.events.filter((event) => event.t > 0).map(brief)).toEqual([
      "660 ContainerFailed default/slow", "660 ContainerRestarted default/slow",
      "1320 ContainerFailed default/slow", "1320 ContainerRestarted default/slow",
      "1980 ContainerFailed default/slow", "1980 ContainerRestarted default/slow",
    ]);
  });

  it("an image pull delays PodStarted, and the run is measured from the start", () => {
    const pod = makePod("slow", {}, { restartPolicy: "Never", sim: { imagePullSeconds: 15, durationSeconds: 10 } });
    const run = runScenario(scenario({ nodes: [node], pods: [pod] }));
    expect(run.events.filter((event) => "pod" in event).map(brief)).toEqual([
      "0 PodCreated default/slow",
      "0 PodBound default/slow node-1",
      "15 PodStarted default/slow node-1", // 0 + 15
      "25 PodSucceeded default/slow", // 15 + 10
      "25 ResourcesFreed default/slow node-1",
    ]);
  });
});

describe("runScenario: deleting a pod", () => {
  const node = makeNode("node-1", { cpu: "1", memory: "1Gi" });
  const old = makePod("old", { cpu: "750m" });
  const waiting = makePod("new", { cpu: "500m" });

  it("a running pod terminates for its grace period, then frees its resources, and a waiting pod is bound at that tick", () => {
    const run = runScenario(scenario({ nodes: [node], pods: [old, waiting], timeline: [{ at: 20, action: "deletePod", pod: "default/old" }] }));
    expect(run.events.filter((event) => event.t > 0).map(brief)).toEqual([
      "20 PodDeleted default/old",
      "50 ResourcesFreed default/old node-1", // 20 + the default grace period of 30 s
      "50 PodBound default/new node-1", // 500m now fits in 1000m
      "50 PodStarted default/new node-1",
    ]);
    expect(ofType(run.events, "PodDeleted")[0]?.gracePeriodSeconds).toBe(30);
    expect(run.state.pods["default/old"]).toBeUndefined();
  });

  it("the timeline's grace period overrides the pod's", () => {
    const run = runScenario(scenario({ nodes: [node], pods: [old], timeline: [{ at: 20, action: "deletePod", pod: "default/old", gracePeriodSeconds: 5 }] }));
    expect(ofType(run.events, "ResourcesFreed").map(brief)).toEqual(["25 ResourcesFreed default/old node-1"]);
  });

  it("a terminating pod's crashed container is not restarted", () => {
    // fails at 30 (restarted at once) and 60, second restart due at 70, but the pod is deleted at 65.
    const flaky = makePod("flaky", {}, { restartPolicy: "OnFailure", sim: { failAfterSeconds: 30 } });
    const run = runScenario(scenario({ nodes: [node], pods: [flaky], timeline: [{ at: 65, action: "deletePod", pod: "default/flaky" }] }));
    expect(run.events.filter((event) => event.t > 0).map(brief)).toEqual([
      "30 ContainerFailed default/flaky",
      "30 ContainerRestarted default/flaky",
      "60 ContainerFailed default/flaky",
      "65 PodDeleted default/flaky",
      "95 ResourcesFreed default/flaky node-1", // 65 + 30
    ]);
  });

  it("a pending pod is deleted at once", () => {
    const run = runScenario(scenario({ pods: [waiting], timeline: [{ at: 20, action: "deletePod", pod: "default/new" }] }));
    expect(run.events.filter((event) => event.t === 20).map(brief)).toEqual(["20 PodDeleted default/new"]);
    expect(run.state.pods).toEqual({});
  });

  it("deleting a pod that does not exist is a notice, not an event", () => {
    const run = runScenario(scenario({ nodes: [node], timeline: [{ at: 20, action: "deletePod", pod: "default/ghost" }] }));
    expect(run.events.map(brief)).toEqual(["0 NodeJoined node-1"]);
    expect(run.notices).toEqual([{ t: 20, message: "pod default/ghost does not exist; nothing to delete" }]);
  });
});

describe("runScenario: fitBy", () => {
  // node 1 cpu; a requests 250m with a 500m limit, b requests 250m with a 600m limit, c has no limit.
  const node = makeNode("node-1", { cpu: "1", memory: "1Gi" });
  const withLimit = (name: string, request: string, limit: string) =>
    makePod(name, {}, { containers: [{ name: "app", image: "i", ports: [], requests: { cpu: cpuOf(request) }, limits: { cpu: cpuOf(limit) } }] });
  const cpuOf = (text: string) => (text.endsWith("m") ? Number(text.slice(0, -1)) : Number(text) * 1000);
  const pods = [withLimit("a", "250m", "500m"), withLimit("b", "250m", "600m"), makePod("c", { cpu: "300m" })];

  it("requests (Kubernetes): a, b and c fit (250 + 250 + 300 = 800 ≤ 1000)", () => {
    const run = runScenario(scenario({ nodes: [node], pods }));
    expect(ofType(run.events, "PodBound").map((event) => event.pod)).toEqual(["default/a", "default/b", "default/c"]);
  });

  it("limits (the seed's wording): limits where set, else requests — b does not fit (500 + 600 > 1000), c does (500 + 300)", () => {
    const run = runScenario(scenario({ nodes: [node], pods, options: { fitBy: "limits" } }));
    expect(ofType(run.events, "PodBound").map((event) => event.pod)).toEqual(["default/a", "default/c"]);
    expect(ofType(run.events, "PodUnschedulable").map((event) => `${event.pod}: ${event.message}`)).toEqual([
      "default/b: 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    ]);
    expect(run.state.nodes["node-1"]?.requested).toMatchObject({ cpu: 800 });
  });
});

describe("runScenario: kube's sampling on a large cluster", () => {
  // 300 empty nodes: kube looks for numFeasibleNodesToFind(300) = 300 × (50 − 2)% = 144 feasible
  // nodes, then starts the next cycle where it stopped: 0 → 144 → 288 → (288 + 144) mod 300 = 132.
  const nodes = Array.from({ length: 300 }, (_, index) => makeNode(`node-${String(index).padStart(3, "0")}`, { cpu: "4", memory: "8Gi" }));
  const pods = [1, 2, 3, 4].map((index) => makePod(`p${index}`, { cpu: "100m" }));
  const run = runScenario(scenario({ nodes, pods, untilSeconds: 0 }));

  it("logs where each cycle leaves the round-robin start", () => {
    expect(ofType(run.events, "PodBound").map((event) => event.nextStartNodeIndex)).toEqual([144, 288, 132, 276]);
    expect(run.state.nextStartNodeIndex).toBe(276);
  });

  it("replays to the same state, sampling start included", () => {
    const replayed = reduceAll(createState(), run.events);
    expect(replayed.ok && serializeState(replayed.state)).toBe(serializeState(run.state));
  });
});

describe("runScenario: PodGC deletes the oldest terminated pods over the threshold", () => {
  // Pods a..e each run 5 s on one node and succeed at t=5 (a, b, c) and t=25 (d, e). With a
  // threshold of 2: 3 terminated at t=5 → at the controller's next check (t=20) the oldest, a, is
  // force-deleted; 4 at t=25 → at t=40, b and c go. kube sorts by creation time, oldest first.
  const pod = (name: string) => makePod(name, { cpu: "100m" }, { restartPolicy: "Never", sim: { durationSeconds: 5 } });
  const run = (threshold?: number, engine: "fast" | "reference" = "fast") => runScenario({
    ...scenario({ nodes: [makeNode("node-1")], pods: [pod("a"), pod("b"), pod("c")], untilSeconds: 60,
      timeline: [{ at: 20, action: "createPod", pod: pod("d") }, { at: 20, action: "createPod", pod: pod("e") }] }),
    ...(threshold !== undefined ? { controllers: { terminatedPodGCThreshold: threshold } } : {}),
  }, { engine });

  it("force-deletes (grace 0) at the next 20-second check, oldest first, down to the threshold", () => {
    const deleted = ofType(run(2).events, "PodDeleted").map((event) => `${event.t} ${event.pod} grace ${event.gracePeriodSeconds}`);
    expect(deleted).toEqual(["20 default/a grace 0", "40 default/b grace 0", "40 default/c grace 0"]);
    expect(Object.keys(run(2).state.pods).sort()).toEqual(["default/d", "default/e"]);
  });

  it("gives the same events in both engines", () => {
    expect(JSON.stringify(run(2, "reference").events)).toBe(JSON.stringify(run(2, "fast").events));
  });

  it("keeps every pod under kube's default threshold of 12,500, and with 0 (off)", () => {
    expect(ofType(run().events, "PodDeleted")).toEqual([]);
    expect(ofType(run(0).events, "PodDeleted")).toEqual([]);
    expect(Object.keys(run(0).state.pods)).toHaveLength(5);
  });
});
