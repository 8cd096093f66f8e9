import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tieBreakPrefix, tieBreakRank, tieBreakRankFrom } from "./tiebreak.js";

/** The rank as first written: FNV-1a over the whole "seed\0pod\0node" text. Logs depend on these values. */
function original(seed: number, pod: string, node: string): number {
  let hash = 0x811c9dc5;
  const text = `${seed}\u0000${pod}\u0000${node}`;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

describe("tieBreakRank", () => {
  it("keeps its values when computed from a pod's prefix", () => {
    fc.assert(fc.property(fc.integer(), fc.string(), fc.string(), (seed, pod, node) => {
      expect(tieBreakRank(seed, pod, node)).toBe(original(seed, pod, node));
      expect(tieBreakRankFrom(tieBreakPrefix(seed, pod), node)).toBe(original(seed, pod, node));
    }));
  });

  it("gives FNV-1a's 32-bit value (a known answer, worked out with the formula above)", () => {
    expect(tieBreakRank(1, "default/p", "node-a")).toBe(2038578664);
  });
});
