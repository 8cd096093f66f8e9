/**
 * Both engines refuse a malformed event from a library caller — a field missing, of the wrong
 * type, or one its type does not have — as `Malformed`, and leave the state as it was; the same
 * event, well-formed, is accepted. The events come from random runs (so they are valid where
 * they stand), and one of them is broken at random.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createFastState,
  createState,
  decodeEvent,
  encodeEvent,
  fastReduce,
  fastReduceAll,
  materialize,
  reduceAll,
  reduce,
  runScenario,
  serializeState,
  type ClusterEvent,
} from "../core/index.js";
import { scenarioArbitrary } from "./arbitraries.js";

const RUNS = Number(process.env["TIMONEIRO_PROPERTY_RUNS"] ?? 100);

type Breakage =
  | { readonly kind: "drop"; readonly field: number }
  | { readonly kind: "retype"; readonly field: number; readonly value: unknown }
  | { readonly kind: "extra"; readonly name: string };

const wrongValue = fc.oneof(fc.constant(null), fc.constant("text"), fc.constant(-1.5), fc.constant(true), fc.constant([1]), fc.constant({ nested: {} }));
const breakageArbitrary: fc.Arbitrary<Breakage> = fc.oneof(
  fc.record({ kind: fc.constant("drop" as const), field: fc.nat() }),
  fc.record({ kind: fc.constant("retype" as const), field: fc.nat(), value: wrongValue }),
  fc.record({ kind: fc.constant("extra" as const), name: fc.constantFrom("ready", "extra", "podName", "nodeName", "reason2") }),
);

/** The event broken as told; undefined when the breakage does not apply (a retyped value of the right type). */
function broken(event: ClusterEvent, breakage: Breakage): Record<string, unknown> | undefined {
  const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  // type, seq and t stay: without them the event is not an event of anything (checked elsewhere).
  const fields = Object.keys(copy).filter((key) => key !== "type");
  switch (breakage.kind) {
    case "drop": {
      const field = fields[breakage.field % fields.length] as string;
      // Optional fields may be dropped freely: that is still a well-formed event.
      if (field === "nextStartNodeIndex" || field === "overcommits") return undefined;
      delete copy[field];
      return copy;
    }
    case "retype": {
      const field = fields[breakage.field % fields.length] as string;
      const value = breakage.value;
      if (typeof value === typeof copy[field] && !Array.isArray(value) && value !== null && typeof value !== "object") return undefined;
      if (Array.isArray(copy[field]) && Array.isArray(value)) return undefined;
      copy[field] = value;
      return copy;
    }
    case "extra":
      if (breakage.name in copy) return undefined;
      copy[breakage.name] = "x";
      return copy;
    default: {
      const unreachable: never = breakage;
      return unreachable;
    }
  }
}

describe("malformed events from a library caller", () => {
  it("are refused as Malformed by both engines, the state unchanged; the well-formed event is accepted", () => {
    fc.assert(fc.property(scenarioArbitrary, fc.nat(), breakageArbitrary, (scenario, which, breakage) => {
      const events = runScenario(scenario).events;
      fc.pre(events.length > 0);
      const index = which % events.length;
      const event = events[index] as ClusterEvent;
      const bad = broken(event, breakage);
      fc.pre(bad !== undefined);

      const before = reduceAll(createState(scenario.options), events.slice(0, index));
      expect(before.ok).toBe(true);
      const reference = reduce(before.state, bad as unknown as ClusterEvent);
      expect(reference.ok).toBe(false);
      if (!reference.ok) expect(reference.rejection.code).toBe("Malformed");
      expect(reference.state).toBe(before.state);
      expect(reduce(before.state, event).ok).toBe(true);

      const fastBefore = fastReduceAll(createFastState(scenario.options), events.slice(0, index));
      expect(fastBefore.ok).toBe(true);
      const snapshot = serializeState(materialize(fastBefore.state));
      const fast = fastReduce(fastBefore.state, bad as unknown as ClusterEvent);
      expect(fast.ok).toBe(false);
      if (!fast.ok) expect(fast.rejection.code).toBe("Malformed");
      expect(serializeState(materialize(fast.state))).toBe(snapshot);
      expect(fastReduce(fastBefore.state, event).ok).toBe(true);

      // A log line of the same event is refused for the same reason.
      expect(() => decodeEvent(JSON.stringify(bad), 2)).toThrow();
      expect(decodeEvent(encodeEvent(event), 2)).toEqual(JSON.parse(encodeEvent(event)));
    }), { numRuns: RUNS });
  });

  it("the issue's example: a NodeConditionChanged without its condition and with `ready` instead of `status`", () => {
    const joined = reduceAll(createState(), [{ type: "NodeJoined", node: "n", t: 0, seq: 1, spec: { name: "n", labels: {}, annotations: {}, taints: [], unschedulable: false, capacity: { cpu: 1000 }, allocatable: { cpu: 1000, pods: 110 }, ready: "True" } }]);
    expect(joined.ok).toBe(true);
    const event = { type: "NodeConditionChanged", node: "n", ready: false, t: 1, seq: 2 } as unknown as ClusterEvent;
    const result = reduce(joined.state, event);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.rejection.message).toBe('NodeConditionChanged (seq 2, node n) rejected: malformed: field "condition" must be one of "Ready", "MemoryPressure", got nothing');
    const fast = fastReduce(fastReduceAll(createFastState(), [{ type: "NodeJoined", node: "n", t: 0, seq: 1, spec: { name: "n", labels: {}, annotations: {}, taints: [], unschedulable: false, capacity: { cpu: 1000 }, allocatable: { cpu: 1000, pods: 110 }, ready: "True" } }]).state, event);
    expect(fast.ok).toBe(false);
  });
});
