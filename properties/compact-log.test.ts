/**
 * The compact log gives back every event exactly: same fields, same values, the same JSONL bytes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompactLog, encodeEvent, runScenario } from "../core/index.js";
import { scenarioArbitrary } from "./arbitraries.js";

const RUNS = Number(process.env["TIMONEIRO_PROPERTY_RUNS"] ?? 100);

describe("CompactLog round trip", () => {
  it("rebuilds every event of random runs, byte for byte in JSONL", () => {
    fc.assert(fc.property(scenarioArbitrary, (scenario) => {
      const log = new CompactLog();
      const run = runScenario(scenario, { onEvent: (event) => log.append(event) });
      expect(log.size).toBe(run.events.length);
      run.events.forEach((event, index) => {
        const rebuilt = log.get(index);
        expect(rebuilt).toEqual(event);
        expect(encodeEvent(rebuilt)).toBe(encodeEvent(event));
      });
    }), { numRuns: RUNS });
  });
});
