/**
 * helper.DefaultNormalizeScore (v1.35): score × maxPriority / highest, multiplied first and then
 * truncated; `reverse` gives maxPriority − that. All zero: stays 0, or all maxPriority reversed.
 */
import { describe, expect, it } from "vitest";
import { defaultNormalizeScore } from "./normalize.js";

describe("defaultNormalizeScore", () => {
  const rows: Array<{ name: string; scores: number[]; reverse: boolean; maxPriority?: number; expected: number[] }> = [
    // highest 40: 100·10/40 = 25, 100·25/40 = 2500/40 = 62.5 → 62, 100
    { name: "the highest becomes 100, the others scale and truncate", scores: [10, 25, 40], reverse: false, expected: [25, 62, 100] },
    // 100 − 25 = 75, 100 − 62 = 38, 100 − 100 = 0
    { name: "reversed: 100 minus the truncated scaled score", scores: [10, 25, 40], reverse: true, expected: [75, 38, 0] },
    // highest 5: 100·2/5 = 40, 100, 0
    { name: "the source's worked example", scores: [2, 5, 0], reverse: false, expected: [40, 100, 0] },
    { name: "the source's worked example, reversed", scores: [2, 5, 0], reverse: true, expected: [60, 0, 100] },
    { name: "all zero stays zero", scores: [0, 0, 0], reverse: false, expected: [0, 0, 0] },
    { name: "all zero reversed: every node gets the maximum", scores: [0, 0, 0], reverse: true, expected: [100, 100, 100] },
    // highest 3, max 10: 10·1/3 = 3, 10
    { name: "another maximum", scores: [1, 3], reverse: false, maxPriority: 10, expected: [3, 10] },
    { name: "already in range with 100 on top: unchanged", scores: [30, 70, 100], reverse: false, expected: [30, 70, 100] },
    { name: "no nodes: nothing to do", scores: [], reverse: true, expected: [] },
  ];
  it.each(rows)("$name", ({ scores, reverse, maxPriority, expected }) => {
    const copy = [...scores];
    defaultNormalizeScore(copy, reverse, maxPriority);
    expect(copy).toEqual(expected);
  });
});
