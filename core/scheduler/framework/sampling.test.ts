/**
 * numFeasibleNodesToFind (schedule_one.go, v1.35): every node below 100; otherwise the
 * percentage (profile's, else the configuration's; 0 means adaptive 50 − nodes/125, at least 5)
 * of all nodes, never fewer than 100.
 */
import { describe, expect, it } from "vitest";
import { numFeasibleNodesToFind } from "./sampling.js";

describe("numFeasibleNodesToFind", () => {
  const rows: Array<{ name: string; nodes: number; percentage?: number; expected: number }> = [
    { name: "50 nodes: all of them", nodes: 50, expected: 50 },
    { name: "99 nodes: still all of them", nodes: 99, expected: 99 },
    // 50 − 100/125 = 50 − 0 = 50% → 50 → at least 100
    { name: "100 nodes: 50% is 50, raised to 100", nodes: 100, expected: 100 },
    // 50 − 150/125 = 50 − 1 = 49% → 150 × 49 / 100 = 73.5 → 73 → at least 100
    { name: "150 nodes: 49% is 73, raised to 100", nodes: 150, expected: 100 },
    // 50 − 500/125 = 46% → 500 × 46 / 100 = 230
    { name: "500 nodes: 46% → 230", nodes: 500, expected: 230 },
    // 50 − 1000/125 = 42% → 420
    { name: "1000 nodes: 42% → 420", nodes: 1000, expected: 420 },
    // 50 − 5000/125 = 10% → 500
    { name: "5000 nodes: 10% → 500", nodes: 5000, expected: 500 },
    // 50 − 6000/125 = 50 − 48 = 2% → at least 5% → 6000 × 5 / 100 = 300
    { name: "6000 nodes: 2%, raised to the 5% floor → 300", nodes: 6000, expected: 300 },
    // 50 − 10000/125 = −30% → 5% → 500
    { name: "10000 nodes: the 5% floor → 500", nodes: 10000, expected: 500 },
    // 500 × 10 / 100 = 50 → at least 100
    { name: "explicit 10% of 500 is 50, raised to 100", nodes: 500, percentage: 10, expected: 100 },
    // 1000 × 30 / 100 = 300
    { name: "explicit 30% of 1000 → 300", nodes: 1000, percentage: 30, expected: 300 },
    { name: "explicit 100% → every node", nodes: 1000, percentage: 100, expected: 1000 },
    // the explicit percentage does not apply below 100 nodes
    { name: "explicit 10% of 50 nodes: all 50", nodes: 50, percentage: 10, expected: 50 },
    // 333 × 77 / 100 = 256.41 → 256
    { name: "explicit percentages truncate", nodes: 333, percentage: 77, expected: 256 },
  ];
  it.each(rows)("$name", ({ nodes, percentage, expected }) => {
    expect(numFeasibleNodesToFind(nodes, percentage)).toBe(expected);
  });
});
