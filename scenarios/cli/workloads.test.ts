/** kubectl's AGE column (apimachinery pkg/util/duration HumanDuration), row by row from its thresholds. */
import { describe, expect, it } from "vitest";
import { humanDuration } from "./workloads.js";

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
