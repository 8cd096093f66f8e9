import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nodeTieHash, tieBreakPrefix, tieBreakRank, tieBreakRankOf } from "./tiebreak.js";

/** FNV-1a, 32 bits, written out again from its definition. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of text.split("").map((character) => character.charCodeAt(0))) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** MurmurHash3's fmix32, written out again. */
function fmix32(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}

describe("tieBreakRank", () => {
  it("is fmix32 of FNV-1a(seed \\0 pod) XOR FNV-1a(node), whole or from its parts", () => {
    fc.assert(fc.property(fc.integer(), fc.string(), fc.string(), (seed, pod, node) => {
      const expected = fmix32(fnv1a(`${seed}\u0000${pod}`) ^ fnv1a(node));
      expect(tieBreakRank(seed, pod, node)).toBe(expected);
      expect(tieBreakRankOf(tieBreakPrefix(seed, pod), nodeTieHash(node))).toBe(expected);
    }));
  });

  it("gives the known answers (FNV-1a's and fmix32's published test values)", () => {
    // FNV-1a 32: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968 (the reference test vectors).
    expect(nodeTieHash("")).toBe(0x811c9dc5);
    expect(nodeTieHash("a")).toBe(0xe40c292c);
    expect(nodeTieHash("foobar")).toBe(0xbf9cf968);
    // fmix32(0) = 0, and the rank of a node whose hash equals the pod's prefix is fmix32(0).
    expect(tieBreakRankOf(0x1234, 0x1234)).toBe(0);
    // fmix32(1) = 0x514e28b7 (MurmurHash3's finalizer applied to 1).
    expect(tieBreakRankOf(1, 0)).toBe(0x514e28b7);
  });

  it("orders a fixed set of nodes differently for different pods", () => {
    const nodes = Array.from({ length: 8 }, (_, index) => `node-${index}`);
    const orders = new Set(Array.from({ length: 50 }, (_, pod) => [...nodes].sort((a, b) => tieBreakRank(1, `default/p-${pod}`, a) - tieBreakRank(1, `default/p-${pod}`, b)).join(",")));
    expect(orders.size).toBeGreaterThan(40);
  });
});
