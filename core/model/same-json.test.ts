/**
 * `sameJson`, the controllers' status comparison, against its naive twin: the canonical JSON
 * texts of both values, equal or not.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, sameJson } from "./workload.js";

describe("sameJson agrees with comparing canonicalJson texts", () => {
  // Small alphabets so that equal values (and near misses) come up often.
  const key = fc.constantFrom("a", "b", "c", "conditions", "active");
  const leaf = fc.oneof(fc.constantFrom(0, 1, 2, "x", "y", true, false, null), fc.constant(undefined));
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("node"), { maxLength: 3 }), fc.dictionary(key, tie("node"), { maxKeys: 4 })),
  })).node;

  it("on random pairs, and on a value against a copy with its keys in another order", () => {
    fc.assert(fc.property(value, value, (a, b) => {
      expect(sameJson(a, b)).toBe(canonicalJson(a) === canonicalJson(b));
      const reordered = JSON.parse(canonicalJson(a) ?? "null") as unknown;
      if (a !== undefined) expect(sameJson(a, reordered)).toBe(true);
    }), { numRuns: 2000 });
  });

  it("worked by hand: key order, undefined keys, arrays by position", () => {
    expect(sameJson({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, c: 0 })).toBe(false);
  });
});
