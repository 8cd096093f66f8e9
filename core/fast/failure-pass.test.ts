/**
 * FailurePass's bookkeeping against its naive twin (plain arrays scanned each time): after any
 * sequence of verdicts set, slots marked and dry runs kept as hopeless, the counts per mask, the
 * special slots, how many slots are worth a preemption and the k-th of them, the slots still open
 * to a candidate search (how many, and the next one from any slot), and the hopeless slots' reasons
 * counted. Then FailurePasses' log of touched nodes and its least-recently-used passes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EMPTY_SLOT, FailurePass, FailurePasses, SPECIAL_SLOT } from "./failure-pass.js";

const NO_VICTIMS = ["No preemption victims found for incoming pod"];
const CPU = ["Insufficient cpu"];

/** The first slot of `members` at or after `from`, round the end (−1: none). */
function nextOf(members: readonly number[], from: number): number {
  return members.find((slot) => slot >= from) ?? members[0] ?? -1;
}

describe("FailurePass equals a scan of its slots", () => {
  it("after random verdicts, marks and hopeless dry runs", () => {
    const step = fc.record({
      slot: fc.nat(), verdict: fc.constantFrom(EMPTY_SLOT, SPECIAL_SLOT, 0, 1, 2, 6, 10, 12), potential: fc.boolean(),
      kind: fc.constantFrom("set", "mark", "hopeless"), reasons: fc.constantFrom(NO_VICTIMS, CPU),
    });
    fc.assert(fc.property(fc.integer({ min: 1, max: 70 }), fc.array(step, { maxLength: 200 }), (size, steps) => {
      const pass = new FailurePass();
      pass.start("k", size);
      const verdicts: number[] = new Array<number>(size).fill(EMPTY_SLOT);
      const potential: boolean[] = new Array<boolean>(size).fill(false);
      const hopeless: (readonly string[] | undefined)[] = new Array<readonly string[] | undefined>(size).fill(undefined);
      for (const { slot: raw, verdict, potential: worth, kind, reasons } of steps) {
        const slot = raw % size;
        if (kind === "mark") {
          pass.mark(slot, worth);
          potential[slot] = worth;
        } else if (kind === "set") {
          pass.set(slot, verdict, worth);
          verdicts[slot] = verdict;
          potential[slot] = worth;
          hopeless[slot] = undefined; // a verdict redone: the node was touched, its dry run forgotten
        } else if (potential[slot] === true) {
          pass.markHopeless(slot, reasons);
          hopeless[slot] = reasons;
        }
      }
      const counts = Array.from({ length: 16 }, (_, mask) => verdicts.filter((verdict) => verdict === mask).length);
      expect([...pass.counts]).toEqual(counts);
      expect([...pass.specials].sort((a, b) => a - b)).toEqual(verdicts.flatMap((verdict, slot) => (verdict === SPECIAL_SLOT ? [slot] : [])));
      const worthSlots = potential.flatMap((worth, slot) => (worth ? [slot] : []));
      expect(pass.potentialCount()).toBe(worthSlots.length);
      worthSlots.forEach((slot, k) => expect(pass.kth(k)).toBe(slot));
      const openSlots = worthSlots.filter((slot) => hopeless[slot] === undefined);
      expect(pass.openCount()).toBe(openSlots.length);
      for (let from = 0; from < size; from++) {
        expect(pass.nextOpen(from)).toBe(nextOf(openSlots, from));
      }
      const tally = new Map<readonly string[], number>();
      for (const slot of worthSlots) {
        const reasons = hopeless[slot];
        if (reasons !== undefined) tally.set(reasons, (tally.get(reasons) ?? 0) + 1);
      }
      expect(new Map(pass.hopelessReasons)).toEqual(tally);
    }), { numRuns: 300 });
  });
});

describe("FailurePasses", () => {
  it("gives each pass the nodes touched since it was last used, or a fresh start", () => {
    const passes = new FailurePasses();
    passes.touched(3); // nothing kept: nothing logged
    const first = passes.use("a", 10, 100);
    expect(first.touched).toBeUndefined(); // new: started afresh
    first.pass.start("a", 10);
    for (const id of [3, 7, 3]) passes.touched(id);
    const b = passes.use("b", 10, 100);
    expect(b.touched).toBeUndefined();
    b.pass.start("b", 10);
    passes.touched(9);
    // "a" has not seen 3, 7, 3 or 9; "b" only 9.
    expect(passes.use("a", 10, 100).touched).toEqual([3, 7, 3, 9]);
    expect(passes.use("b", 10, 100).touched).toEqual([9]);
    expect(passes.use("a", 10, 100).touched).toEqual([]);
    // Other slots: afresh.
    expect(passes.use("a", 11, 100).touched).toBeUndefined();
  });

  it("starts a pass afresh when more than a quarter of the nodes' worth of touches behind", () => {
    const passes = new FailurePasses();
    passes.use("a", 8, 8).pass.start("a", 8);
    passes.touched(1);
    passes.touched(2);
    expect(passes.use("a", 8, 8).touched).toEqual([1, 2]); // 2 × 4 ≤ 8
    for (const id of [1, 2, 3]) passes.touched(id);
    expect(passes.use("a", 8, 8).touched).toBeUndefined(); // 3 × 4 > 8
  });

  it("keeps the most recently used passes, up to its limit", () => {
    const passes = new FailurePasses();
    for (let index = 0; index <= FailurePasses.LIMIT; index++) passes.use(`k${index}`, 4, 4).pass.start(`k${index}`, 4);
    // k0, used first, went to make room for the last; k1 is still kept.
    expect(passes.use("k1", 4, 4).touched).toEqual([]);
    expect(passes.use("k0", 4, 4).touched).toBeUndefined();
  });

  it("drops every pass when the slots move", () => {
    const passes = new FailurePasses();
    passes.use("a", 4, 4).pass.start("a", 4);
    passes.drop();
    expect(passes.use("a", 4, 4).touched).toBeUndefined();
  });

  it("keeps its log short without losing what a kept pass has not seen", () => {
    const passes = new FailurePasses();
    const count = 1000;
    passes.use("behind", 4, count).pass.start("behind", 4);
    for (let id = 0; id < 5000; id++) passes.touched(id);
    expect(passes.use("behind", 4, count).touched).toBeUndefined(); // 5,000 behind: afresh, and up to date
    for (let id = 0; id < 100; id++) passes.touched(7000 + id);
    // "ahead" is new: the log (5,100 ids, over 4,096) is cut to what "behind" has not seen.
    passes.use("ahead", 4, count).pass.start("ahead", 4);
    expect(passes.logged).toBe(100);
    passes.touched(5);
    const behind = passes.use("behind", 4, count).touched as readonly number[];
    expect(behind.length).toBe(101); // 100 × 4 ≤ 1,000: taken in, not started afresh
    expect(behind[0]).toBe(7000);
    expect(behind[100]).toBe(5);
    expect(passes.use("ahead", 4, count).touched).toEqual([5]);
  });
});
