/**
 * First fit with kube's Filter plugins (NodeUnschedulable, then NodeResourcesFit) and kube's
 * FailedScheduling text (`FitError.Error()`, v1.35), and the order the scheduler pops pods in.
 */
import { describe, expect, it } from "vitest";
import type { ClusterEvent, EventDraft } from "../events/events.js";
import type { Node } from "../model/node.js";
import { podKey, type Pod } from "../model/pod.js";
import { reduceAll } from "../reference/reduce.js";
import { createState, type ClusterState } from "../cluster/state.js";
import { makeNode, makePod } from "../testing/builders.js";
import { decideFirstFit, nextPodToSchedule } from "./firstfit.js";

/** The decision without where kube's next cycle would start (first fit does not sample). */
type Decision = { kind: "bind"; node: string } | { kind: "unschedulable"; message: string; plugins: string[] };
import { NO_NODES_AVAILABLE } from "./message.js";
import { NODE_RESOURCES_FIT } from "./plugins/noderesourcesfit/filter.js";
import { NODE_UNSCHEDULABLE, UNSCHEDULABLE_TAINT_KEY } from "./plugins/nodeunschedulable/index.js";

/** Events from `[t, draft]` pairs, numbered 1, 2, 3 … */
function log(steps: ReadonlyArray<readonly [number, EventDraft]>): ClusterEvent[] {
  return steps.map(([t, draft], index) => ({ ...draft, t, seq: index + 1 }) as ClusterEvent);
}

function stateOf(steps: ReadonlyArray<readonly [number, EventDraft]>): ClusterState {
  const result = reduceAll(createState(), log(steps));
  if (!result.ok) throw new Error(result.rejection.message);
  return result.state;
}

/** A cluster at t=0: nodes joined in the given order, `placed` pods bound where given, then `pod` created. */
function cluster(nodes: readonly Node[], pod: Pod, placed: ReadonlyArray<readonly [Pod, string]> = []): ClusterState {
  return stateOf([
    ...nodes.map((node) => [0, { type: "NodeJoined", node: node.name, spec: node }] as const),
    ...placed.flatMap(([other, node]) => [
      [0, { type: "PodCreated", pod: podKey(other), spec: other }] as const,
      [0, { type: "PodBound", pod: podKey(other), node }] as const,
    ]),
    [0, { type: "PodCreated", pod: podKey(pod), spec: pod }],
  ]);
}

const unschedulable = (message: string, plugins: string[]): Decision => ({ kind: "unschedulable", message, plugins });

describe("decideFirstFit", () => {
  const pod = makePod("p", { cpu: "500m", memory: "256Mi" });
  const cordoned = { unschedulable: true };
  const small = (name: string) => makeNode(name, { cpu: "250m", memory: "8Gi" });
  const lowMemory = (name: string) => makeNode(name, { cpu: "4", memory: "64Mi" });

  const rows: Array<{ name: string; state: ClusterState; decision: Decision }> = [
    {
      // joined c, a, b; first fit walks the node tree (join order), so c, not b by name.
      name: "picks the first feasible node in join order, not by name",
      state: cluster([small("node-a"), makeNode("node-c"), makeNode("node-b")], pod),
      decision: { kind: "bind", node: "node-c" },
    },
    {
      // 500m used + 500m = 1000m ≤ 1000m: requests may fill a node exactly.
      name: "a node filled exactly is still feasible",
      state: cluster([makeNode("node-1", { cpu: "1", memory: "1Gi" })], pod, [[makePod("other", { cpu: "500m" }), "node-1"]]),
      decision: { kind: "bind", node: "node-1" },
    },
    {
      // 600m used + 500m = 1100m > 1000m.
      name: "what other pods request counts",
      state: cluster([makeNode("node-1", { cpu: "1", memory: "1Gi" })], pod, [[makePod("other", { cpu: "600m" }), "node-1"]]),
      decision: unschedulable("0/1 nodes are available: 1 Insufficient cpu.", [NODE_RESOURCES_FIT]),
    },
    {
      // plain string sort: "10 Insufficient memory" < "2 Insufficient cpu" because '1' < '2'.
      name: "entries are sorted as plain strings, so 10 comes before 2",
      state: cluster([small("cpu-0"), small("cpu-1"), ...Array.from({ length: 10 }, (_, i) => lowMemory(`mem-${i}`))], pod),
      decision: unschedulable("0/12 nodes are available: 10 Insufficient memory, 2 Insufficient cpu.", [NODE_RESOURCES_FIT]),
    },
    {
      name: "a node failing several resources contributes each reason once",
      state: cluster([makeNode("node-1", { cpu: "100m", memory: "64Mi" })], pod),
      decision: unschedulable("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.", [NODE_RESOURCES_FIT]),
    },
    {
      name: "a cordoned node reports only that it is unschedulable, its first failing plugin",
      state: cluster([makeNode("node-1", { cpu: "100m", memory: "64Mi" }, cordoned)], pod),
      decision: unschedulable("0/1 nodes are available: 1 node(s) were unschedulable.", [NODE_UNSCHEDULABLE]),
    },
    {
      // "1 Insufficient cpu" < "1 node(s) …": 'I' sorts before 'n'.
      name: "a cordoned node and a small node each give their own reason",
      state: cluster([makeNode("node-1", undefined, cordoned), small("node-2")], pod),
      decision: unschedulable("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable.", [NODE_RESOURCES_FIT, NODE_UNSCHEDULABLE]),
    },
    {
      name: "a pod tolerating the unschedulable taint may go to a cordoned node",
      state: cluster(
        [makeNode("node-1", undefined, cordoned)],
        makePod("p", { cpu: "500m" }, { tolerations: [{ key: UNSCHEDULABLE_TAINT_KEY, operator: "Exists", effect: "NoSchedule" }] }),
      ),
      decision: { kind: "bind", node: "node-1" },
    },
    {
      // 1 pod there + 1 > 1 allowed; checked even for a pod that requests nothing.
      name: "a full node reports Too many pods",
      state: cluster([makeNode("node-1", { cpu: "4", memory: "8Gi", pods: "1" })], makePod("p"), [[makePod("other"), "node-1"]]),
      decision: unschedulable("0/1 nodes are available: 1 Too many pods.", [NODE_RESOURCES_FIT]),
    },
    {
      name: "an extended resource the node lacks",
      state: cluster([makeNode("node-1")], makePod("p", { "nvidia.com/gpu": "1" })),
      decision: unschedulable("0/1 nodes are available: 1 Insufficient nvidia.com/gpu.", [NODE_RESOURCES_FIT]),
    },
    {
      name: "no nodes at all is an error with no rejecting plugin",
      state: cluster([], pod),
      decision: unschedulable(NO_NODES_AVAILABLE, []),
    },
  ];

  it.each(rows)("$name", ({ state, decision }) => {
    const { nextStartNodeIndex: _start, ...actual } = decideFirstFit(state, "default/p");
    expect(actual).toEqual(decision);
  });

  it("the no-nodes message is kube's", () => {
    expect(NO_NODES_AVAILABLE).toBe("no nodes available to schedule pods");
  });
});

describe("nextPodToSchedule", () => {
  const node = makeNode("node-1");
  const joined: EventDraft = { type: "NodeJoined", node: node.name, spec: node };
  const created = (pod: Pod): EventDraft => ({ type: "PodCreated", pod: podKey(pod), spec: pod });
  const failed = (pod: Pod, plugins: string[]): EventDraft => ({ type: "PodUnschedulable", pod: podKey(pod), message: "…", plugins });

  const low = makePod("low");
  const high = makePod("high", {}, { priority: 100 });
  const first = makePod("first");
  const second = makePod("second");

  const rows: Array<{ name: string; steps: ReadonlyArray<readonly [number, EventDraft]>; now: number; pod: string | undefined }> = [
    { name: "nothing queued, nothing to pop", steps: [[0, joined]], now: 0, pod: undefined },
    { name: "higher priority first, even if it arrived later", steps: [[0, joined], [0, created(low)], [5, created(high)]], now: 5, pod: "default/high" },
    { name: "same priority: the older timestamp first", steps: [[0, joined], [3, created(second)], [4, created(first)]], now: 4, pod: "default/second" },
    { name: "same priority and timestamp: arrival order", steps: [[0, joined], [0, created(second)], [0, created(first)]], now: 0, pod: "default/second" },
    {
      name: "an unschedulable pod is not popped before the flush",
      steps: [[0, joined], [0, created(first)], [0, failed(first, [NODE_RESOURCES_FIT])]],
      now: 329,
      pod: undefined,
    },
    {
      // failed at 0 (backoff 1 s, expiry 1); a node joining at t=1 requeues it into backoffQ.
      name: "with activeQ empty, the head of backoffQ is popped",
      steps: [[0, created(first)], [0, failed(first, [NODE_RESOURCES_FIT])], [1, joined]],
      now: 1,
      pod: "default/first",
    },
    {
      name: "an active pod goes before a backing-off one",
      steps: [[0, created(first)], [0, failed(first, [NODE_RESOURCES_FIT])], [1, joined], [1, created(second)]],
      now: 1,
      pod: "default/second",
    },
    {
      // failed at 0 with no nodes (no plugin): the error backoff queue, expiry 1, never popped early.
      name: "a pod backing off after an error is never popped early",
      steps: [[0, created(first)], [0, failed(first, [])]],
      now: 1,
      pod: undefined,
    },
    {
      name: "a pod backing off after an error is popped once its backoff is over",
      steps: [[0, created(first)], [0, failed(first, [])]],
      now: 2,
      pod: "default/first",
    },
  ];

  it.each(rows)("$name", ({ steps, now, pod }) => {
    expect(nextPodToSchedule(stateOf(steps), now)).toBe(pod);
  });
});
