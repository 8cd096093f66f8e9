/**
 * The agenda pops timers in (t, priority, insertion) order — SimPy's event-queue order.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Agenda } from "./agenda.js";

/** Pops everything, returning the payloads in pop order. */
function drain<T>(agenda: Agenda<T>): T[] {
  const popped: T[] = [];
  for (let timer = agenda.pop(); timer !== undefined; timer = agenda.pop()) popped.push(timer.payload);
  return popped;
}

describe("Agenda", () => {
  const rows: Array<{ name: string; pushes: Array<[t: number, priority: number, payload: string]>; order: string[] }> = [
    { name: "earlier ticks first", pushes: [[5, 0, "late"], [1, 0, "early"], [3, 0, "middle"]], order: ["early", "middle", "late"] },
    { name: "at the same tick, lower priority first", pushes: [[2, 2, "queue"], [2, 0, "timeline"], [2, 1, "kubelet"]], order: ["timeline", "kubelet", "queue"] },
    { name: "the tick beats the priority", pushes: [[3, 0, "later tick"], [2, 9, "earlier tick"]], order: ["earlier tick", "later tick"] },
    { name: "same tick and priority: insertion order", pushes: [[4, 1, "first"], [4, 1, "second"], [4, 1, "third"]], order: ["first", "second", "third"] },
  ];
  it.each(rows)("$name", ({ pushes, order }) => {
    const agenda = new Agenda<string>();
    for (const [t, priority, payload] of pushes) agenda.push(t, priority, payload);
    expect(drain(agenda)).toEqual(order);
  });

  it("peek shows the earliest timer without removing it; size counts timers", () => {
    const agenda = new Agenda<string>();
    expect(agenda.peek()).toBeUndefined();
    expect(agenda.pop()).toBeUndefined();
    agenda.push(9, 0, "b");
    agenda.push(2, 0, "a");
    expect(agenda.size).toBe(2);
    expect(agenda.peek()).toMatchObject({ t: 2, priority: 0, payload: "a" });
    expect(agenda.size).toBe(2);
    expect(agenda.pop()?.payload).toBe("a");
    expect(agenda.size).toBe(1);
  });

  it("many random pushes pop in (t, priority, insertion) order", () => {
    const timer = fc.record({ t: fc.integer({ min: 0, max: 20 }), priority: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(timer, { maxLength: 300, size: "max" }), (timers) => {
        const agenda = new Agenda<number>();
        timers.forEach(({ t, priority }, index) => agenda.push(t, priority, index));
        const expected = timers
          .map((item, index) => ({ ...item, index }))
          .sort((x, y) => x.t - y.t || x.priority - y.priority || x.index - y.index)
          .map(({ index }) => index);
        expect(agenda.size).toBe(timers.length);
        expect(drain(agenda)).toEqual(expected);
      }),
    );
  });

  it("pushes between pops keep the order", () => {
    // The engine pushes timers while it fires others; pops must stay sorted among what remains.
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 10 }), fc.boolean()), { maxLength: 200, size: "max" }), (script) => {
        const agenda = new Agenda<number>();
        const model: Array<{ t: number; index: number }> = [];
        script.forEach(([t, popAfter], index) => {
          agenda.push(t, 0, index);
          model.push({ t, index });
          if (popAfter) {
            model.sort((x, y) => x.t - y.t || x.index - y.index);
            expect(agenda.pop()?.payload).toBe(model.shift()?.index);
          }
        });
        model.sort((x, y) => x.t - y.t || x.index - y.index);
        expect(drain(agenda)).toEqual(model.map(({ index }) => index));
      }),
    );
  });
});

describe("Agenda keys", () => {
  it("nextTime and popPayload agree with peek and pop", () => {
    const agenda = new Agenda<string>();
    expect(agenda.nextTime()).toBeUndefined();
    expect(agenda.popPayload()).toBeUndefined();
    agenda.push(7, 3, "c");
    agenda.push(7, 1, "b");
    agenda.push(2.5, 5, "a");
    expect(agenda.nextTime()).toBe(2.5);
    expect(agenda.peek()).toEqual({ t: 2.5, priority: 5, seq: 2, payload: "a" });
    expect(agenda.popPayload()).toBe("a");
    expect(agenda.pop()).toEqual({ t: 7, priority: 1, seq: 1, payload: "b" });
    expect(agenda.nextTime()).toBe(7);
  });

  it("refuses a priority that is not a small whole number (it is folded into the key with the insertion order)", () => {
    const agenda = new Agenda<string>();
    expect(() => agenda.push(1, -1, "x")).toThrow(RangeError);
    expect(() => agenda.push(1, 0.5, "x")).toThrow(RangeError);
    expect(() => agenda.push(1, 2 ** 20, "x")).toThrow(RangeError);
    expect(agenda.size).toBe(0);
  });

  it("keeps the order past its first growth (more than 1,024 timers)", () => {
    const agenda = new Agenda<number>();
    const ticks = Array.from({ length: 5000 }, (_, index) => (index * 7919) % 613);
    ticks.forEach((t, index) => agenda.push(t, index % 3, index));
    const expected = ticks.map((t, index) => ({ t, priority: index % 3, index })).sort((x, y) => x.t - y.t || x.priority - y.priority || x.index - y.index).map(({ index }) => index);
    expect(drain(agenda)).toEqual(expected);
  });
});
