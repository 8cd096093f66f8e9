/** kubectl's AGE column (apimachinery pkg/util/duration HumanDuration), row by row from its thresholds; a Job's completed indexes. */
import { describe, expect, it } from "vitest";
import { formatIndexes, humanDuration } from "./workloads.js";

describe("humanDuration", () => {
  it.each([
    [45, "45s"], [119, "119s"], // under 2 minutes: seconds
    [120, "2m"], [200, "3m20s"], [599, "9m59s"], // under 10 minutes: minutes and seconds (none when 0)
    [600, "10m"], [179 * 60 + 59, "179m"], // under 3 hours: minutes
    [3 * 3600, "3h"], [3 * 3600 + 15 * 60, "3h15m"], // under 8 hours: hours and minutes
    [8 * 3600, "8h"], [47 * 3600, "47h"], // under 2 days: hours
    [48 * 3600, "2d"], [51 * 3600, "2d3h"], // under 8 days: days and hours
    [8 * 86400, "8d"], [729 * 86400, "729d"], // under 2 years: days
    [730 * 86400, "2y"], [760 * 86400, "2y30d"], // under 8 years: years and days
    [8 * 365 * 86400, "8y"],
  ])("%i s → %s", (seconds, text) => {
    expect(humanDuration(seconds)).toBe(text);
  });
});

describe("formatIndexes: a Job's completed indexes as kube writes them (succeededIndexes.String, kubectl's capIndexesListOrNone)", () => {
  it("runs of three or more as a range, shorter ones listed, none as <none>", () => {
    expect(formatIndexes([0, 1, 3, 4, 5, 7])).toBe("0,1,3-5,7");
    expect(formatIndexes([])).toBe("<none>");
  });
  it("cut after the first comma from the 50th character on, with \"...\"", () => {
    // The even numbers 0–100, written out by hand up to the cut.
    expect(formatIndexes(Array.from({ length: 51 }, (_, index) => index * 2))).toBe("0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,...");
  });
});
