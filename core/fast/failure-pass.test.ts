/**
 * FailurePass's bookkeeping against its naive twin (plain arrays scanned each time): after any
 * sequence of verdicts set and slots marked, the counts per mask, the special slots, how many
 * slots are worth a preemption, the k-th of them and the next one from any slot.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EMPTY_SLOT, FailurePass, SPECIAL_SLOT } from "./failure-pass.js";

describe("FailurePass equals a scan of its slots", () => {
  it("after random verdicts and marks", () => {
    const step = fc.record({ slot: fc.nat(), verdict: fc.constantFrom(EMPTY_SLOT, SPECIAL_SLOT, 0, 1, 2, 6, 10, 12), potential: fc.boolean(), markOnly: fc.boolean() });
    fc.assert(fc.property(fc.integer({ min: 1, max: 70 }), fc.array(step, { maxLength: 200 }), (size, steps) => {
      const pass = new FailurePass();
      pass.start("k", size);
      const verdicts: number[] = new Array<number>(size).fill(EMPTY_SLOT);
      const potential: boolean[] = new Array<boolean>(size).fill(false);
      for (const { slot: raw, verdict, potential: worth, markOnly } of steps) {
        const slot = raw % size;
        if (markOnly) pass.mark(slot, worth);
        else {
          pass.set(slot, verdict, worth);
          verdicts[slot] = verdict;
        }
        potential[slot] = worth;
      }
      const counts = Array.from({ length: 16 }, (_, mask) => verdicts.filter((verdict) => verdict === mask).length);
      expect([...pass.counts]).toEqual(counts);
      expect([...pass.specials].sort((a, b) => a - b)).toEqual(verdicts.flatMap((verdict, slot) => (verdict === SPECIAL_SLOT ? [slot] : [])));
      const worthSlots = potential.flatMap((worth, slot) => (worth ? [slot] : []));
      expect(pass.potentialCount()).toBe(worthSlots.length);
      worthSlots.forEach((slot, k) => expect(pass.kth(k)).toBe(slot));
      for (let from = 0; from < size; from++) {
        const next = worthSlots.find((slot) => slot >= from) ?? worthSlots[0] ?? -1;
        expect(pass.nextPotential(from)).toBe(next);
      }
    }), { numRuns: 200 });
  });

  it("keeps the ids touched once each, only while it holds verdicts", () => {
    const pass = new FailurePass();
    pass.touched(3);
    expect(pass.dirty).toEqual([]); // nothing kept: nothing to redo
    pass.start("k", 10);
    for (const id of [3, 7, 3, 100, 7]) pass.touched(id);
    expect(pass.dirty).toEqual([3, 7, 100]);
    pass.clearDirty();
    pass.touched(3);
    expect(pass.dirty).toEqual([3]);
    pass.drop();
    expect(pass.key).toBeUndefined();
    expect(pass.dirty).toEqual([]);
  });
});
