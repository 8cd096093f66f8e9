import { describe, expect, it } from "vitest";
import { isKnownTimeZone, zoneOffsetAt, zoneOffsets } from "./zones.js";

describe("time zones from the IANA database (the offsets worked out with Python's zoneinfo)", () => {
  it("Europe/Berlin in 2026: CET +1 h, CEST +2 h from 2026-03-29T01:00Z, CET again from 2026-10-25T01:00Z", () => {
    // 2026-03-01T00:00Z to 2026-11-01T00:00Z.
    expect(zoneOffsets("Europe/Berlin", 1_772_323_200, 1_793_491_200)).toEqual({
      name: "Europe/Berlin",
      offsets: [{ from: 1_772_323_200, offset: 3600 }, { from: 1_774_746_000, offset: 7200 }, { from: 1_792_890_000, offset: 3600 }],
    });
  });

  it("a zone without daylight time has one offset; a half-hour one; UTC", () => {
    expect(zoneOffsets("Asia/Kolkata", 1_772_323_200, 1_793_491_200).offsets).toEqual([{ from: 1_772_323_200, offset: 19_800 }]);
    expect(zoneOffsetAt("America/St_Johns", 1_767_225_600)).toBe(-12_600);
    expect(zoneOffsetAt("UTC", 1_767_225_600)).toBe(0);
  });

  it("knows the names Go's LoadLocation knows, and not others", () => {
    expect(isKnownTimeZone("America/New_York")).toBe(true);
    expect(isKnownTimeZone("Etc/GMT+5")).toBe(true);
    expect(isKnownTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});
