import { describe, expect, it } from "vitest";
import { DurationError, formatDuration, parseDurationSeconds } from "./duration.js";

describe("parseDurationSeconds: Go durations or whole seconds", () => {
  it.each([
    ["seconds", "90s", 90],
    ["minutes and seconds", "1m30s", 90],
    ["hours", "2h", 7200],
    ["hours, minutes and seconds", "1h2m3s", 3723],
    ["milliseconds that make whole seconds (ms is not m)", "2000ms", 2],
    ["a fraction that makes whole seconds", "1.5m", 90],
    ["a bare number of seconds", "45", 45],
    ["a YAML number", 30, 30],
    ["zero", "0", 0],
  ])("%s: %j → %d", (_name, text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  it.each([
    ["empty text", ""],
    ["a fraction of a second", "1500ms"],
    ["an unknown unit", "3d"],
    ["words", "ten minutes"],
    ["a negative number", -5],
    ["a number beyond 2^53", "99999999999999999999"],
    ["a duration beyond 2^53 seconds", "99999999999999999h"],
  ])("refuses %s", (_name, text) => {
    expect(() => parseDurationSeconds(text)).toThrow(DurationError);
  });

  it("says what a valid duration looks like", () => {
    expect(() => parseDurationSeconds("soon")).toThrow(/invalid duration "soon": not a duration; write e\.g\. "90s", "1m30s", "2h"/);
  });
});

describe("formatDuration: kubectl's short form", () => {
  it.each([[0, "0s"], [45, "45s"], [120, "2m"], [150, "2m30s"], [3600, "1h"], [3900, "1h5m"], [90000, "1d1h"]])("%d → %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
