import { describe, expect, it } from "vitest";
import {
  QuantityError,
  cpuMillis,
  formatBytes,
  formatCpuMillis,
  formatQuantity,
  memoryBytes,
  parseQuantity,
} from "./quantity.js";

describe("memoryBytes: every suffix, as Kubernetes' Value()", () => {
  const rows: Array<[string, string, number]> = [
    ["a plain integer is bytes", "128", 128],
    ["k is 10^3", "2k", 2_000],
    ["M is 10^6 (the seed's 128M)", "128M", 128_000_000],
    ["G is 10^9", "2G", 2_000_000_000],
    ["T is 10^12", "1T", 1e12],
    ["P is 10^15", "3P", 3e15],
    ["E is 10^18 but beyond 2^53 is refused elsewhere; 0.001E is 10^15", "0.001E", 1e15],
    ["Ki is 2^10", "1Ki", 1024],
    ["Mi is 2^20", "256Mi", 268_435_456],
    ["Gi is 2^30, fractions exact", "1.5Gi", 1_610_612_736],
    ["Ti is 2^40", "2Ti", 2 * 2 ** 40],
    ["Pi is 2^50", "1Pi", 2 ** 50],
    ["Ei is 2^60 (0.001Ei is still exact in BigInt)", "0.001Ei", Math.ceil(2 ** 60 / 1000)],
    ["m is 10^-3 and rounds up to one byte", "500m", 1],
    ["u is 10^-6", "2000000u", 2],
    ["n is 10^-9", "1000000000n", 1],
    ["a lowercase exponent", "1e3", 1_000],
    ["an uppercase exponent with a sign", "1E+6", 1_000_000],
    ["a negative exponent", "12e-1", 2],
    ["a leading-dot decimal", ".5", 1],
    ["a trailing dot", "3.", 3],
    ["a leading plus sign", "+7", 7],
    ["zeros", "0", 0],
    ["a zero with a suffix", "0Gi", 0],
  ];
  it.each(rows)("%s: %s → %d", (_name, text, expected) => {
    expect(memoryBytes(text)).toBe(expected);
  });
});

describe("cpuMillis: rounding up like MilliValue()", () => {
  const rows: Array<[string, string, number]> = [
    ["one core", "1", 1000],
    ["half a core", "0.5", 500],
    ["millicores as written", "100m", 100],
    ["a tenth of a millicore rounds up to 1", "0.0001", 1],
    ["1.5m rounds up to 2", "1.5m", 2],
    ["64000m", "64000m", 64000],
    ["a bare float as YAML writes it", "0.15", 150],
    ["an exponent", "1e-3", 1],
    ["a nano-core rounds up", "1n", 1],
    ["micro-cores", "1500u", 2],
    ["kilo-cores", "2k", 2_000_000],
  ];
  it.each(rows)("%s: %s → %d", (_name, text, expected) => {
    expect(cpuMillis(text)).toBe(expected);
  });
});

describe("invalid text throws QuantityError quoting it and showing valid forms", () => {
  const rows: Array<[string, string]> = [
    ["two decimal points", "1.5.5"],
    ["an unknown suffix", "1Q"],
    ["a space before the suffix", "1 Mi"],
    ["a leading space", " 1"],
    ["a trailing space", "1 "],
    ["KB is not a Kubernetes suffix", "1KB"],
    ["a lowercase binary suffix", "1mi"],
    ["hexadecimal", "0x10"],
    ["empty text", ""],
    ["a suffix with no number (Kubernetes' parser reads it as 0)", "Mi"],
    ["a lone sign", "+"],
    ["a lone dot", "."],
    ["an uppercase K", "1K"],
    ["an exponent with no digits", "1e"],
    ["a fractional exponent", "1e1.5"],
    ["two signs", "--1"],
    ["a unit word", "1cores"],
  ];
  it.each(rows)("%s: %j", (_name, text) => {
    let caught: unknown;
    try {
      parseQuantity(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(QuantityError);
    const error = caught as QuantityError;
    expect(error.text).toBe(text);
    expect(error.message).toContain(JSON.stringify(text));
    expect(error.message).toContain('"2Gi"');
  });

  it("hints at k or Ki for an uppercase K", () => {
    expect(() => parseQuantity("1K")).toThrow(/"k" \(1000\) or "Ki" \(1024\)/);
  });

  it("refuses negative resource amounts but parses a negative quantity", () => {
    expect(parseQuantity("-1.5").nanos).toBe(-1_500_000_000n);
    expect(() => cpuMillis("-1")).toThrow(/must not be negative/);
    expect(() => memoryBytes("-1Mi")).toThrow(QuantityError);
  });

  it("refuses a value beyond 2^63-1 units, which Kubernetes would silently cap", () => {
    expect(() => parseQuantity("10E")).toThrow(/2\^63-1/);
    expect(() => parseQuantity("1e40")).toThrow(/2\^63-1/);
  });

  it("refuses a result beyond 2^53-1 instead of rounding it", () => {
    expect(() => memoryBytes("7Ei")).toThrow(/2\^53-1/);
    expect(() => cpuMillis("9007199254741")).toThrow(/2\^53-1/);
    expect(cpuMillis("9007199254740")).toBe(9_007_199_254_740_000);
  });
});

describe("parseQuantity keeps nano precision, rounding up away from zero", () => {
  const rows: Array<[string, string, bigint]> = [
    ["exact nanos", "1n", 1n],
    ["below a nano rounds up to 1n", "0.1n", 1n],
    ["far below a nano rounds up to 1n", "1e-30", 1n],
    ["a negative below a nano rounds away from zero", "-0.1n", -1n],
    ["binary fractions", "0.5Ki", 512_000_000_000n],
  ];
  it.each(rows)("%s: %s", (_name, text, nanos) => {
    expect(parseQuantity(text).nanos).toBe(nanos);
  });
});

describe("formatQuantity writes the canonical form of Quantity.String()", () => {
  const rows: Array<[string, string]> = [
    ["1000", "1k"],
    ["1500", "1500"],
    ["0.1", "100m"],
    ["1.5", "1500m"],
    ["100m", "100m"],
    ["1024", "1024"],
    ["1Ki", "1Ki"],
    ["1.5Gi", "1536Mi"],
    ["1536Ki", "1536Ki"],
    ["2048Ki", "2Mi"],
    ["0.5Ki", "512"],
    ["1.5Ki", "1536"],
    ["1e3", "1e3"],
    ["1E6", "1e6"],
    ["1.5e3", "1500"],
    ["128M", "128M"],
    ["128000000", "128M"],
    ["0", "0"],
    ["0.0001", "100u"],
    ["-1.5", "-1500m"],
    ["-2Mi", "-2Mi"],
  ];
  it.each(rows)("%s → %s", (text, canonical) => {
    expect(formatQuantity(parseQuantity(text))).toBe(canonical);
  });

  it("round-trips: parsing the canonical form gives the same value", () => {
    for (const [text] of rows) {
      const quantity = parseQuantity(text);
      expect(parseQuantity(formatQuantity(quantity)).nanos).toBe(quantity.nanos);
    }
  });

  it("formats millicores and bytes for people", () => {
    expect(formatCpuMillis(500)).toBe("500m");
    expect(formatCpuMillis(2000)).toBe("2");
    expect(formatBytes(268_435_456)).toBe("256Mi");
    expect(formatBytes(256_000_000)).toBe("256M");
    expect(formatBytes(0)).toBe("0");
  });
});
