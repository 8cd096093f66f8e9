import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Edit, PVec } from "./pvec.js";

/** The twin: a plain array, copied on every write. */
function naiveSet<T>(array: readonly (T | undefined)[], index: number, value: T | undefined): (T | undefined)[] {
  const copy = array.slice();
  copy[index] = value;
  return copy;
}

/** The slots written, their neighbours and the ends: where a wrong write would show. */
function probes(operations: readonly { index: number }[]): number[] {
  return [...new Set([0, 31, 32, 1023, 1024, 5000, ...operations.flatMap(({ index }) => [index - 1, index, index + 1])])].filter((index) => index >= 0);
}

const operation = fc.record({
  index: fc.oneof(fc.nat(40), fc.nat(5000)),
  value: fc.option(fc.integer(), { nil: undefined }),
  /** Which batch the write belongs to: a new Edit starts when this changes. */
  batch: fc.nat(3),
});

describe("PVec", () => {
  it("reads back what was written and undefined elsewhere", () => {
    let vector = PVec.empty<string>();
    vector = vector.set(3, "a").set(1000, "b").set(40_000, "c");
    expect(vector.get(3)).toBe("a");
    expect(vector.get(1000)).toBe("b");
    expect(vector.get(40_000)).toBe("c");
    expect(vector.get(4)).toBeUndefined();
    expect(vector.get(-1)).toBeUndefined();
    expect(vector.get(2 ** 29)).toBeUndefined();
    expect(() => vector.set(2 ** 30, "x")).toThrow(RangeError);
  });

  it("equals its naive twin, and every earlier version stays as it was, with and without transients", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 120, size: "max" }), (operations) => {
        let vector = PVec.empty<number>();
        let naive: (number | undefined)[] = [];
        const history: { vector: PVec<number>; naive: (number | undefined)[] }[] = [];
        let edit: Edit | undefined;
        let batch = -1;
        for (const { index, value, batch: opBatch } of operations) {
          if (opBatch !== batch) {
            // Seal the batch: the version before the next batch must never change again.
            if (edit) edit.sealed = true;
            history.push({ vector, naive });
            batch = opBatch;
            edit = opBatch === 0 ? undefined : new Edit();
          }
          vector = vector.set(index, value, edit);
          naive = naiveSet(naive, index, value);
        }
        history.push({ vector, naive });
        const at = probes(operations);
        for (const version of history) expect(at.map((index) => version.vector.get(index))).toEqual(at.map((index) => version.naive[index]));
      }),
      { numRuns: Number(process.env["TIMONEIRO_PROPERTY_RUNS"] ?? 200) },
    );
  });

  it("changes nodes in place under a live edit and copies them once it is sealed", () => {
    const edit = new Edit();
    const first = PVec.empty<number>().set(5, 1, edit);
    const second = first.set(6, 2, edit);
    // In place: the same root, so the earlier handle sees the write (it is not sealed yet).
    expect(first.get(6)).toBe(2);
    edit.sealed = true;
    const third = second.set(7, 3, edit);
    expect(second.get(7)).toBeUndefined();
    expect(third.get(7)).toBe(3);
  });
});
