/**
 * The heat map's downsampling on traces small enough to work out by hand.
 */
import { describe, expect, it } from "vitest";
import { heatmap } from "./heatmap.js";

// a: 50% from 0, 90% from 30; b joins at 10 with 20%, removed at 40. The run covers [0, 60).
const a = { name: "a", ticks: [0, 30], shares: [0.5, 0.9] };
const b = { name: "b", ticks: [10], shares: [0.2], removed: 40 };

describe("the heat map", () => {
  it("one row per node, three columns of 20 s: each cell the node's time-weighted share while it was there", () => {
    expect(heatmap([a, b], 60, 3, 10)).toEqual({
      columnSeconds: 20,
      columns: 3,
      rows: [
        // a: [0, 20) 50%; [20, 40) 10 s at 50% and 10 s at 90% → 70%; [40, 60) 90%.
        { first: "a", last: "a", nodes: 1, cells: [50, 70, 90] },
        // b: [10, 20) 20% (present half the column: the mean is over its presence); [20, 40) 20%; gone from 40 → -1.
        { first: "b", last: "b", nodes: 1, cells: [20, 20, -1] },
      ],
    });
  });

  it("rows of several nodes when there are more than maxRows: the mean of the cells its nodes have", () => {
    // (50 + 20)/2 = 35; (70 + 20)/2 = 45; only a in the last column: 90.
    expect(heatmap([a, b], 60, 3, 1).rows).toEqual([{ first: "a", last: "b", nodes: 2, cells: [35, 45, 90] }]);
  });

  it("at most maxColumns columns, wider ones for a long run: a day of 86,401 s in 240 columns of 361 s", () => {
    const day = heatmap([{ name: "n", ticks: [0], shares: [1] }], 86_401, 240, 400);
    expect(day.columnSeconds).toBe(361); // ⌈86401 / 240⌉
    expect(day.columns).toBe(240); // ⌈86401 / 361⌉ = 239.3… → 240
    expect(day.rows[0]?.cells.every((cell) => cell === 100)).toBe(true);
  });
});
