/** The scenario clock's RFC 3339 reading and kubectl's formats; expected epochs worked out by hand. */
import { describe, expect, it } from "vitest";
import { ClockError, DEFAULT_START_TIME, formatRfc1123z, formatRfc3339, parseRfc3339 } from "./clock.js";

describe("the scenario clock", () => {
  it.each([
    // 2026-01-01T00:00:00Z = 20,454 days after 1970-01-01 (56 years, 14 of them leap) × 86,400 s = 1,767,225,600.
    ["2026-01-01T00:00:00Z", 1_767_225_600],
    ["2026-01-01T01:00:00+01:00", 1_767_225_600],
    ["2025-12-31T19:00:00-05:00", 1_767_225_600],
    ["2026-01-01t00:00:30.750z", 1_767_225_630],
    // 2024 is a leap year: Feb 29 exists.
    ["2024-02-29T12:00:00Z", 1_709_208_000],
  ])("%s is %i", (text, epoch) => {
    expect(parseRfc3339(text)).toBe(epoch);
  });

  it.each(["2026-01-01", "2026-01-01 00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "yesterday"])("refuses %s, saying what is valid", (text) => {
    expect(() => parseRfc3339(text)).toThrow(ClockError);
    expect(() => parseRfc3339(text)).toThrow(/RFC 3339|no such date/);
  });

  it("the default is 2026-01-01T00:00:00Z; kubectl's RFC 1123Z form", () => {
    expect(formatRfc3339(DEFAULT_START_TIME)).toBe("2026-01-01T00:00:00Z");
    expect(formatRfc1123z(DEFAULT_START_TIME + 90)).toBe("Thu, 01 Jan 2026 00:01:30 +0000");
    // The day after Feb 28 in a leap year, and the end of a century year that is not one.
    expect(formatRfc3339(1_709_208_000)).toBe("2024-02-29T12:00:00Z");
    expect(formatRfc1123z(4_107_542_399)).toBe("Sun, 28 Feb 2100 23:59:59 +0000"); // 2100-01-01 is a Friday; 58 days later, a Sunday
    expect(formatRfc3339(4_107_542_400)).toBe("2100-03-01T00:00:00Z");
  });

  it("reads back what it writes, over four centuries of days", () => {
    for (let epoch = -4_000_000_000; epoch < 9_000_000_000; epoch += 86_400 * 97 + 3_601) {
      expect(parseRfc3339(formatRfc3339(epoch))).toBe(epoch);
    }
  });
});
