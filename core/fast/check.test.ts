/**
 * `checkAccelerators` on a hand-built cluster: silent on a healthy state (the newest, which kept
 * its accelerators event by event, and an older one, which builds its own), and naming the part
 * when one accelerator is corrupted by hand. The accelerators are private to the state: the
 * corruptions reach them through the public handles where there are some (the index, the
 * columns, the slots, the image counts) and through a cast otherwise.
 */
import { describe, expect, it } from "vitest";
import type { ClusterEvent, EventDraft } from "../events/events.js";
import { makeNode, makePod } from "../testing/builders.js";
import { checkAccelerators } from "./check.js";
import { fastReduceAll } from "./reduce.js";
import { createFastState, NODE_COLUMNS, type Accelerators, type FastState } from "./state.js";

const zone = (name: string) => ({ "topology.kubernetes.io/zone": name });

/** Three nodes in two zones (one tainted, one listing an image); a pod bound, one unschedulable, one backing off after an error, one waiting. */
const DRAFTS: readonly (EventDraft & { readonly t: number })[] = [
  { type: "NodeJoined", node: "a", spec: makeNode("a", { cpu: "4", memory: "8Gi" }, { labels: zone("x"), images: { "docker.io/example/app:1": 100 } }), t: 0 },
  { type: "NodeJoined", node: "b", spec: makeNode("b", { cpu: "2", memory: "4Gi" }, { labels: zone("y"), taints: [{ key: "dedicated", effect: "NoSchedule" }] }), t: 0 },
  { type: "NodeJoined", node: "c", spec: makeNode("c", { cpu: "1", memory: "2Gi" }, { labels: zone("x") }), t: 0 },
  { type: "PodCreated", pod: "default/bound", spec: makePod("bound", { cpu: "500m", memory: "1Gi" }), t: 1 },
  { type: "PodBound", pod: "default/bound", node: "a", t: 1 },
  { type: "PodCreated", pod: "default/huge", spec: makePod("huge", { cpu: "64" }), t: 1 },
  { type: "PodUnschedulable", pod: "default/huge", message: "0/3 nodes are available: 3 Insufficient cpu.", plugins: ["NodeResourcesFit"], t: 1 },
  { type: "PodCreated", pod: "default/erred", spec: makePod("erred", { cpu: "100m" }), t: 1 },
  { type: "PodUnschedulable", pod: "default/erred", message: "no nodes available to schedule pods", plugins: [], t: 1 },
  { type: "PodCreated", pod: "default/waiting", spec: makePod("waiting", { cpu: "100m" }, { priority: 5 }), t: 2 },
];

function reduceDrafts(drafts: readonly (EventDraft & { readonly t: number })[]): FastState {
  const events = drafts.map((draft, index) => ({ ...draft, seq: index + 1 }) as ClusterEvent);
  const result = fastReduceAll(createFastState(), events);
  if (!result.ok) throw new Error(result.rejection.message);
  return result.state;
}

/** A fresh state, its accelerators built and kept up to date by the reducer. */
function cluster(): FastState {
  const state = reduceDrafts(DRAFTS.slice(0, 3));
  // Asking builds the accelerators; the rest of the events then update them in place.
  state.nodeOrder();
  const result = fastReduceAll(state, DRAFTS.slice(3).map((draft, index) => ({ ...draft, seq: index + 4 }) as ClusterEvent));
  if (!result.ok) throw new Error(result.rejection.message);
  return result.state;
}

/** The state's accelerators, which it keeps private. */
function acceleratorsOf(state: FastState): Accelerators {
  return (state as unknown as { accelerators(): Accelerators }).accelerators();
}

/** A private field, reached through a cast. */
function privateOf<T>(owner: object, field: string): T {
  return (owner as unknown as Record<string, T>)[field] as T;
}

const slotOf = (state: FastState, node: string): number => state.nodeSlots().indexOf(state.facts.nodeNames.id(node));

describe("checkAccelerators", () => {
  it("finds nothing wrong with the newest state, which kept its accelerators event by event", () => {
    const state = cluster();
    expect(state.anyNodeTainted()).toBe(true);
    expect(state.queued("default/huge")?.pool).toBe("unschedulable");
    expect(state.queued("default/erred")?.pool).toBe("backoff");
    expect(checkAccelerators(state)).toEqual([]);
  });

  it("finds nothing wrong with an older state, which builds its own from its facts", () => {
    const older = cluster();
    const newer = fastReduceAll(older, [{ type: "NodeUntainted", node: "b", taint: { key: "dedicated", effect: "NoSchedule" }, t: 3, seq: DRAFTS.length + 1 }]);
    if (!newer.ok) throw new Error(newer.rejection.message);
    expect(checkAccelerators(newer.state)).toEqual([]);
    expect(checkAccelerators(older)).toEqual([]);
  });

  const corruptions: [string, (state: FastState) => void, RegExp][] = [
    ["the tainted-node count (private) off by one", (state) => {
      const accelerators = acceleratorsOf(state) as unknown as Record<string, number>;
      accelerators["taintedNodes"] = (accelerators["taintedNodes"] as number) + 1;
    }, /^the tainted-node count is 2, but 1 node has taints$/],
    ["the tainted-node count (private) at zero, with a tainted node", (state) => {
      (acceleratorsOf(state) as unknown as Record<string, number>)["taintedNodes"] = 0;
    }, /^anyNodeTainted\(\) is false, but 1 node has taints$/],
    ["node a's requested-cpu column", (state) => {
      state.nodeColumns()[slotOf(state, "a") * NODE_COLUMNS + 4] = 0;
    }, /^node a \(slot \d+\): column requested cpu is 0, its record says 500$/],
    ["node c's free cpu in the capacity index", (state) => {
      const slot = slotOf(state, "c");
      state.capacityIndex().set(slot, { cpuFree: 300, memoryFree: 2 * 2 ** 30, podsFree: 110, cpuAllocatable: 1000, memoryAllocatable: 2 * 2 ** 30, schedulable: true });
    }, /^capacity index: node c \(slot \d+, 1000m cpu, \d+ B memory, 110 pods free\) does not take a request of 1000m cpu/],
    ["a stray node in the capacity index", (state) => {
      state.capacityIndex().set(state.nodeSlots().length + 3, { cpuFree: 1, memoryFree: 1, podsFree: 1, cpuAllocatable: 1, memoryAllocatable: 1, schedulable: true });
    }, /^capacity index: 4 slots occupied, but 3 nodes hold slots$/],
    ["kube's order, two slots swapped", (state) => {
      const slots = state.nodeSlots() as (number | undefined)[];
      const held = slots.flatMap((id, slot) => (id === undefined ? [] : [slot]));
      const [first, last] = [held[0] as number, held[held.length - 1] as number];
      [slots[first], slots[last]] = [slots[last], slots[first]];
    }, /^the nodes in the index's slots, in slot order: position 0 holds c, the tree's list has a there$/],
    ["an image count", (state) => {
      (state.imageNodeCounts() as Map<string, number>).set("docker.io/example/app:1", 2);
    }, /^image docker\.io\/example\/app:1: counted on 2 nodes, 1 node lists it$/],
    ["an image no node lists", (state) => {
      (state.imageNodeCounts() as Map<string, number>).set("docker.io/library/nginx:1", 1);
    }, /^image docker\.io\/library\/nginx:1: counted on 1 node, no node lists it$/],
    ["the queue's unschedulable set", (state) => {
      acceleratorsOf(state).queue.unschedulable.clear();
    }, /^queue: default\/huge is in pool unschedulable but not in the unschedulable set$/],
    ["the queue's active heap (private), emptied", (state) => {
      privateOf<{ clear(): void }>(acceleratorsOf(state).queue, "active").clear();
    }, /^queue: at tick 2 the heaps pop undefined, a scan of the entries pops default\/waiting$/],
    ["the queue's timed heap (private), emptied", (state) => {
      privateOf<{ clear(): void }>(acceleratorsOf(state).queue, "timed").clear();
    }, /^queue: default\/huge \(unschedulable at tick 2\) is missing from the timed heap$/],
    ["node a's cached NodeInfo (private), its pod count", (state) => {
      const id = state.facts.nodeNames.id("a") as number;
      (state.nodeInfo(id) as { podCount: number }).podCount = 7;
    }, /^cached NodeInfo of a: pod count 7 \(record: 1\)$/],
  ];

  it.each(corruptions)("reports %s", (_name, corrupt, message) => {
    const state = cluster();
    expect(checkAccelerators(state)).toEqual([]);
    corrupt(state);
    const broken = checkAccelerators(state);
    expect(broken.some((line) => message.test(line)), broken.join("\n")).toBe(true);
  });
});
