/**
 * kube-scheduler's queue timing (pkg/scheduler/backend/queue, v1.35): backoff 1 s doubling to
 * 10 s, released in the first whole-second window after expiry; the leftover flush every 30 s for
 * pods unschedulable more than 5 minutes; PrioritySort and backoffQ order.
 */
import { describe, expect, it } from "vitest";
import {
  backoffExpiry,
  backoffSeconds,
  compareActive,
  compareBackoff,
  nextQueueChange,
  queueStatus,
  requeuePool,
  unschedulableFlushAt,
  type QueuedPod,
} from "./queue.js";

/** A queue entry, changed only where a test cares. */
function queued(overrides: Partial<QueuedPod> = {}): QueuedPod {
  return { pool: "active", timestamp: 0, order: 1, priority: 0, attempts: 0, unschedulableCount: 0, plugins: [], error: false, ...overrides };
}

describe("backoffSeconds", () => {
  // kube: initial 1 s << (count − 1), capped at the 10 s maximum.
  const rows: Array<[string, number, number]> = [
    ["no backoff before any failed attempt", 0, 0],
    ["1 s after the first", 1, 1],
    ["2 s after the second", 2, 2],
    ["4 s after the third", 3, 4],
    ["8 s after the fourth", 4, 8],
    ["10 s (not 16) after the fifth: the cap", 5, 10],
    ["still 10 s after the sixth", 6, 10],
    ["still 10 s after many", 60, 10],
  ];
  it.each(rows)("%s: count %d → %d s", (_name, count, seconds) => {
    expect(backoffSeconds(count)).toBe(seconds);
  });
});

describe("backoffExpiry", () => {
  const rows: Array<[string, QueuedPod, number]> = [
    // 12 + 1 = 13.
    ["the timestamp plus the backoff for one failure", queued({ timestamp: 12, unschedulableCount: 1 }), 13],
    // 12 + 8 = 20.
    ["the timestamp plus the backoff for four failures", queued({ timestamp: 12, unschedulableCount: 4 }), 20],
    ["the timestamp itself before any failure", queued({ timestamp: 12 }), 12],
  ];
  it.each(rows)("%s", (_name, entry, expiry) => {
    expect(backoffExpiry(entry)).toBe(expiry);
  });
});

describe("unschedulableFlushAt: the first multiple of 30 s strictly after timestamp + 300 s", () => {
  const rows: Array<[number, number]> = [
    [0, 330], // 300 is a multiple: strictly after → 330
    [5, 330], // 305 → 330
    [29, 330], // 329 → 330
    [30, 360], // 330 is a multiple: strictly after → 360
    [60, 390], // 360 → 390
    [61, 390], // 361 → 390
  ];
  it.each(rows)("timestamp %d → %d", (timestamp, flushAt) => {
    expect(unschedulableFlushAt(queued({ pool: "unschedulable", timestamp, unschedulableCount: 1 }))).toBe(flushAt);
  });
});

describe("queueStatus over time", () => {
  const active = queued({ pool: "active", timestamp: 10 });
  // failed at 10 for the 2nd time: backoff 2 s, expiry 12, released at 13.
  const backoff = queued({ pool: "backoff", timestamp: 10, unschedulableCount: 2 });
  // failed at 0 for the first time: flushed at 330; its 1 s backoff is long over by then.
  const unschedulable = queued({ pool: "unschedulable", timestamp: 0, unschedulableCount: 1 });

  const rows: Array<{ name: string; entry: QueuedPod; now: number; status: string }> = [
    { name: "activeQ stays active", entry: active, now: 10, status: "active" },
    { name: "activeQ stays active later", entry: active, now: 1000, status: "active" },
    { name: "backoffQ at its failure tick", entry: backoff, now: 10, status: "backoff" },
    { name: "backoffQ at its expiry tick is still backing off", entry: backoff, now: 12, status: "backoff" },
    { name: "backoffQ one tick after its expiry", entry: backoff, now: 13, status: "active" },
    { name: "unschedulable just after failing", entry: unschedulable, now: 1, status: "unschedulable" },
    { name: "unschedulable at 5 minutes exactly", entry: unschedulable, now: 300, status: "unschedulable" },
    { name: "unschedulable one tick before the flush", entry: unschedulable, now: 329, status: "unschedulable" },
    { name: "unschedulable at the flush", entry: unschedulable, now: 330, status: "active" },
  ];
  it.each(rows)("$name: at t=$now → $status", ({ entry, now, status }) => {
    expect(queueStatus(entry, now)).toBe(status);
  });
});

describe("nextQueueChange", () => {
  const rows: Array<[string, QueuedPod, number, number | undefined]> = [
    ["an active pod never moves by time", queued(), 0, undefined],
    // expiry 10 + 2 = 12 → released at 13.
    ["a backing-off pod is released the tick after its expiry", queued({ pool: "backoff", timestamp: 10, unschedulableCount: 2 }), 10, 13],
    ["an unschedulable pod is released by the flush", queued({ pool: "unschedulable", timestamp: 60, unschedulableCount: 1 }), 60, 390],
    ["a flushed pod is active: nothing more", queued({ pool: "unschedulable", timestamp: 60, unschedulableCount: 1 }), 390, undefined],
  ];
  it.each(rows)("%s", (_name, entry, now, change) => {
    expect(nextQueueChange(entry, now)).toBe(change);
  });
});

describe("requeuePool", () => {
  const entry = queued({ pool: "unschedulable", timestamp: 10, unschedulableCount: 3 }); // 4 s backoff: expiry 14
  it.each([
    [12, "backoff"],
    [14, "backoff"],
    [15, "active"],
  ])("a pod requeued at t=%i goes to %s", (now, pool) => {
    expect(requeuePool(entry, now)).toBe(pool);
  });
});

describe("compareActive (PrioritySort)", () => {
  const rows: Array<[string, QueuedPod, QueuedPod]> = [
    ["higher priority first, even if younger", queued({ priority: 10, timestamp: 50, order: 9 }), queued({ priority: 0, timestamp: 0, order: 1 })],
    ["same priority: older timestamp first", queued({ timestamp: 3, order: 9 }), queued({ timestamp: 5, order: 1 })],
    ["same priority and timestamp: lower order first", queued({ timestamp: 3, order: 4 }), queued({ timestamp: 3, order: 7 })],
    ["negative priorities order too", queued({ priority: -1 }), queued({ priority: -5 })],
  ];
  it.each(rows)("%s", (_name, first, second) => {
    expect(compareActive(first, second)).toBeLessThan(0);
    expect(compareActive(second, first)).toBeGreaterThan(0);
  });

  it("an entry ties with itself", () => {
    const entry = queued({ priority: 3, timestamp: 7, order: 2 });
    expect(compareActive(entry, { ...entry })).toBe(0);
  });
});

describe("compareBackoff", () => {
  const rows: Array<[string, QueuedPod, QueuedPod]> = [
    [
      // 5 + 1 = 6 before 0 + 8 = 8, although the second is older.
      "earliest expiry first",
      queued({ pool: "backoff", timestamp: 5, unschedulableCount: 1 }),
      queued({ pool: "backoff", timestamp: 0, unschedulableCount: 4 }),
    ],
    [
      // both expire at 6; then PrioritySort.
      "same expiry: higher priority first",
      queued({ pool: "backoff", timestamp: 5, unschedulableCount: 1, priority: 1, order: 9 }),
      queued({ pool: "backoff", timestamp: 4, unschedulableCount: 2, priority: 0, order: 1 }),
    ],
    [
      // both expire at 6 with the same priority; 4 is older than 5.
      "same expiry and priority: older timestamp first",
      queued({ pool: "backoff", timestamp: 4, unschedulableCount: 2, order: 9 }),
      queued({ pool: "backoff", timestamp: 5, unschedulableCount: 1, order: 1 }),
    ],
  ];
  it.each(rows)("%s", (_name, first, second) => {
    expect(compareBackoff(first, second)).toBeLessThan(0);
    expect(compareBackoff(second, first)).toBeGreaterThan(0);
  });
});
