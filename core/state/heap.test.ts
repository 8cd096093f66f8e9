/**
 * Both heaps against their naive twin, a sorted array: pushes and pops interleaved at random.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MinHeap, NumericHeap } from "./heap.js";

// Each step pushes an entry (two small keys, so ties are common) or pops one.
const steps = fc.array(fc.oneof(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 3 })), fc.constant("pop" as const)), { maxLength: 3000, size: "max" });

describe("NumericHeap", () => {
  it("pops the least (first, second) key, as a sorted list does, through growth and interleaved pops", () => {
    fc.assert(fc.property(steps, (script) => {
      const heap = new NumericHeap<number>();
      const model: { first: number; second: number; payload: number }[] = [];
      script.forEach((step, payload) => {
        if (step === "pop") {
          const first = heap.peekFirst();
          const second = heap.peekSecond();
          const popped = heap.pop();
          if (model.length === 0) {
            expect([first, second, popped]).toEqual([undefined, undefined, undefined]);
            return;
          }
          // The least keys; among equal keys any entry may come first.
          const least = [...model].sort((a, b) => a.first - b.first || a.second - b.second)[0];
          expect([first, second]).toEqual([least?.first, least?.second]);
          const at = model.findIndex((item) => item.payload === popped);
          expect(at).toBeGreaterThanOrEqual(0);
          expect([model[at]?.first, model[at]?.second]).toEqual([first, second]);
          model.splice(at, 1);
        } else {
          heap.push(step[0], step[1], payload);
          model.push({ first: step[0], second: step[1], payload });
        }
        expect(heap.size).toBe(model.length);
      });
    }), { numRuns: 50 });
  });

  it("empties on clear", () => {
    const heap = new NumericHeap<string>();
    heap.push(1, 0, "a");
    heap.clear();
    expect(heap.size).toBe(0);
    expect(heap.pop()).toBeUndefined();
    expect(heap.peekFirst()).toBeUndefined();
  });
});

describe("MinHeap", () => {
  it("pops in comparator order, as a sorted list does", () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant(-1)), { maxLength: 500 }), (script) => {
      const heap = new MinHeap<number>((a, b) => a - b);
      const model: number[] = [];
      for (const step of script) {
        if (step < 0) {
          model.sort((a, b) => a - b);
          expect(heap.pop()).toBe(model.shift());
        } else {
          heap.push(step);
          model.push(step);
        }
      }
    }));
  });
});
