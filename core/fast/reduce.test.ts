/**
 * The fast reducer's edges the model-based tests reach rarely: refused batches, malformed data,
 * questions about an earlier tick, and a node named like an Object.prototype property. Each is
 * compared with the reference engine (the oracle) on the same events.
 */
import { describe, expect, it } from "vitest";
import type { ClusterEvent, EventDraft } from "../events/events.js";
import { reduceAll } from "../reference/reduce.js";
import { createState, serializeState } from "../cluster/state.js";
import { nextPodToSchedule } from "../scheduler/firstfit.js";
import { decide } from "../scheduler/policies.js";
import { makeNode, makePod } from "../testing/builders.js";
import { decideFast } from "./decide.js";
import { applyEvent, fastReduce, fastReduceAll } from "./reduce.js";
import { createFastState, materialize, type FastState } from "./state.js";

function events(drafts: readonly (EventDraft & { t?: number })[], firstSeq = 1): ClusterEvent[] {
  return drafts.map((draft, index) => ({ t: 0, ...draft, seq: firstSeq + index }) as ClusterEvent);
}

function both(list: readonly ClusterEvent[]): { fast: FastState; reference: ReturnType<typeof createState> } {
  const fast = fastReduceAll(createFastState(), list);
  const reference = reduceAll(createState(), list);
  if (!fast.ok || !reference.ok) throw new Error("setup refused");
  return { fast: fast.state, reference: reference.state };
}

const small = (name: string) => makeNode(name, { cpu: "1", memory: "1Gi", pods: "1" });

describe("a refused batch", () => {
  it("leaves the state it started from answering as before (the batch's index changes are not handed back)", () => {
    const { fast, reference } = both(events([
      { type: "NodeJoined", node: "a", spec: small("a") },
      { type: "NodeJoined", node: "b", spec: small("b") },
      { type: "PodCreated", pod: "default/p", spec: makePod("p", { cpu: "100m" }) },
      { type: "PodCreated", pod: "default/q", spec: makePod("q", { cpu: "100m" }) },
    ]));
    // Warm the accelerators, as the engine would, then a batch that binds p to a and is refused.
    expect(decideFast(fast, "default/p", { policy: "first-fit" }, 1)).toEqual(decide(reference, "default/p", { policy: "first-fit" }, 1));
    const refused = fastReduceAll(fast, events([
      { type: "PodBound", pod: "default/p", node: "a" },
      { type: "PodBound", pod: "default/q", node: "nowhere" },
    ], 5));
    expect(refused.ok).toBe(false);
    expect(refused.state).toBe(fast);
    expect(decideFast(fast, "default/q", { policy: "first-fit" }, 1)).toEqual(decide(reference, "default/q", { policy: "first-fit" }, 1));
    expect(serializeState(materialize(fast))).toBe(serializeState(reference));
  });
});

describe("malformed data", () => {
  it("is refused as the reference refuses it, before anything is written", () => {
    const { fast, reference } = both(events([
      { type: "NodeJoined", node: "tainted", spec: { ...small("tainted"), taints: [{ key: "k", value: "v", effect: "NoSchedule" }] } },
      { type: "PodCreated", pod: "default/p", spec: makePod("p", { cpu: "100m" }) },
      { type: "PodUnschedulable", pod: "default/p", message: "0/1 nodes are available: 1 node(s) had untolerated taint(s).", plugins: ["TaintToleration"] },
    ]));
    const broken = { type: "NodeJoined", node: "x", spec: { ...small("x"), taints: [null], images: { "img:1": 100 } }, t: 0, seq: 4 } as unknown as ClusterEvent;
    const fastResult = fastReduce(fast, broken);
    const referenceResult = reduceAll(reference, [broken]);
    expect(fastResult.ok).toBe(false);
    expect(referenceResult.ok).toBe(false);
    if (!fastResult.ok && !referenceResult.ok) expect(fastResult.rejection.message).toBe(referenceResult.rejection.message);
    expect([...fast.imageNodeCounts()]).toEqual([]);
    expect(serializeState(materialize(fast))).toBe(serializeState(reference));
  });

  it("that breaks an event half-way poisons the batch: it refuses what follows and cannot be sealed", () => {
    const batch = createFastState().transient();
    const node = small("a");
    // A spec that can be read until the node is written, then throws (data no loader would give).
    const treacherous = { type: "NodeJoined", node: "a", t: 0, seq: 1, get spec() {
      if (batch.eventTouched) throw new Error("gone");
      return node;
    } } as unknown as ClusterEvent;
    expect(applyEvent(batch, treacherous)?.code).toBe("Malformed");
    expect(applyEvent(batch, events([{ type: "NodeJoined", node: "b", spec: small("b") }], 2)[0] as ClusterEvent)?.message).toMatch(/half-applied/);
    expect(() => batch.seal()).toThrow(/cannot be sealed/);
  });
});

describe("the queue asked about an earlier tick", () => {
  it("answers as the reference does, from any state", () => {
    const list = events([
      { type: "NodeJoined", node: "a", spec: small("a") },
      { type: "PodCreated", pod: "default/p", spec: makePod("p", { cpu: "100m" }) },
      { type: "PodUnschedulable", pod: "default/p", message: "no nodes available to schedule pods", plugins: [], t: 10 },
      { type: "NodeCordoned", node: "a", t: 20 },
    ]);
    const { fast, reference } = both(list);
    const old = fastReduceAll(createFastState(), list).state; // not the owner of `fast`'s accelerators
    for (const now of [11, 12, 20, 25]) {
      expect(fast.nextPodToSchedule(now)).toBe(nextPodToSchedule(reference, now));
      expect(old.nextPodToSchedule(now)).toBe(nextPodToSchedule(reference, now));
    }
  });
});

describe("a node named constructor (a valid name, and an Object.prototype property)", () => {
  it("joins, takes a pod bound to it, and leaves, in both engines alike", () => {
    const list = events([
      { type: "NodeJoined", node: "constructor", spec: small("constructor") },
      { type: "PodCreated", pod: "default/p", spec: makePod("p", { cpu: "100m" }, { nodeName: "constructor" }) },
    ]);
    const { fast, reference } = both(list);
    expect(serializeState(materialize(fast))).toBe(serializeState(reference));
    expect(reference.pods["default/p"]?.holdsResources).toBe(true);
  });
});

describe("records a batch made", () => {
  const setup = events([
    { type: "NodeJoined", node: "a", spec: makeNode("a", { cpu: "4", memory: "4Gi", pods: "10" }) },
    { type: "PodCreated", pod: "default/p", spec: makePod("p", { cpu: "100m" }) },
    { type: "PodCreated", pod: "default/q", spec: makePod("q", { cpu: "200m" }) },
  ]);

  it("are changed in place by the batch's later events: one node record for two binds, one pod record for its events", () => {
    const { fast } = both(setup);
    const batch = fast.transient();
    expect(applyEvent(batch, { type: "PodBound", pod: "default/p", node: "a", t: 1, seq: 4 })).toBeUndefined();
    const node = batch.node("a");
    const pod = batch.pod("default/p");
    expect(applyEvent(batch, { type: "PodBound", pod: "default/q", node: "a", t: 1, seq: 5 })).toBeUndefined();
    expect(applyEvent(batch, { type: "PodStarted", pod: "default/p", node: "a", t: 1, seq: 6 })).toBeUndefined();
    expect(batch.node("a")).toBe(node);
    expect(batch.pod("default/p")).toBe(pod);
    expect(batch.node("a")?.pods).toEqual(["default/p", "default/q"]);
    expect(batch.node("a")?.requested).toEqual({ cpu: 300 });
    expect(batch.pod("default/p")?.phase).toBe("Running");
  });

  it("are never those of a sealed state: the next batch copies them, and the sealed state keeps its values", () => {
    const { fast } = both(setup);
    const first = fastReduce(fast, { type: "PodBound", pod: "default/p", node: "a", t: 1, seq: 4 });
    if (!first.ok) throw new Error(first.rejection.message);
    const sealed = first.state;
    const before = serializeState(materialize(sealed));
    const batch = sealed.transient();
    expect(applyEvent(batch, { type: "PodBound", pod: "default/q", node: "a", t: 2, seq: 5 })).toBeUndefined();
    expect(applyEvent(batch, { type: "PodStarted", pod: "default/p", node: "a", t: 2, seq: 6 })).toBeUndefined();
    expect(batch.node("a")).not.toBe(sealed.node("a"));
    expect(batch.pod("default/p")).not.toBe(sealed.pod("default/p"));
    expect(serializeState(materialize(sealed))).toBe(before);
    expect(sealed.node("a")?.pods).toEqual(["default/p"]);
  });

  it("stop being changed in place once the batch was materialized (its records were handed out)", () => {
    const { fast } = both(setup);
    const batch = fast.transient();
    expect(applyEvent(batch, { type: "PodBound", pod: "default/p", node: "a", t: 1, seq: 4 })).toBeUndefined();
    const handedOut = materialize(batch);
    const text = serializeState(handedOut);
    expect(applyEvent(batch, { type: "PodBound", pod: "default/q", node: "a", t: 1, seq: 5 })).toBeUndefined();
    expect(serializeState(handedOut)).toBe(text);
    expect(batch.node("a")?.pods).toEqual(["default/p", "default/q"]);
  });
});
