/**
 * The ReplicaSet controller's rules on hand-made pods: burstReplicas and the deletion order of
 * `ActivePodsWithRanks.Less` (controller_utils.go), each comparison alone.
 */
import { describe, expect, it } from "vitest";
import type { ObjectState } from "../cluster/objects.js";
import type { PodState } from "../cluster/state.js";
import { makePod, makeWorkload } from "../testing/builders.js";
import type { WorkloadReader } from "./controller.js";
import { BURST_REPLICAS, deletionOrder, syncReplicaSet } from "./replicaset.js";
import { generatedName } from "../model/workload.js";

function pod(name: string, fields: Partial<PodState> = {}, annotations: Record<string, string> = {}): PodState {
  return {
    pod: makePod(name, { cpu: "100m" }, { annotations }), createdSeq: 1, createdAt: 0, request: {}, nonZero: { cpu: 100, memory: 0 },
    phase: "Running", node: "n1", holdsResources: true, startedAt: 0, runningSince: 0, readySince: 0, restartCount: 0, ...fields,
  };
}

const names = (pods: readonly PodState[]) => pods.map((item) => item.pod.name);

describe("ActivePodsWithRanks.Less, one rule at a time (the rest equal)", () => {
  const now = 1000;
  it("1. unassigned before assigned", () => {
    expect(names(deletionOrder([pod("a"), pod("b", { node: undefined, phase: "Pending", holdsResources: false })], [], now, 1))).toEqual(["b", "a"]);
  });
  it("2. Pending before Running", () => {
    expect(names(deletionOrder([pod("a"), pod("b", { phase: "Pending", runningSince: undefined, readySince: undefined })], [], now, 1))).toEqual(["b", "a"]);
  });
  it("3. not ready (a container waiting to restart, or running but not past its readiness delay) before ready", () => {
    expect(names(deletionOrder([pod("a"), pod("b", { runningSince: undefined, readySince: undefined })], [], now, 1))).toEqual(["b", "a"]);
    expect(names(deletionOrder([pod("a"), pod("b", { readySince: undefined })], [], now, 1))).toEqual(["b", "a"]);
  });
  it("4. lower controller.kubernetes.io/pod-deletion-cost first (\"008\", \"+3\" and beyond int32 count 0)", () => {
    const cost = (value: string) => ({ "controller.kubernetes.io/pod-deletion-cost": value });
    const pods = [pod("a", {}, cost("10")), pod("b", {}, cost("-5")), pod("c", {}, cost("008")), pod("d", {}, cost("3000000000")), pod("e", {}, cost("5"))];
    // b −5 < c, d 0 (invalid) < e 5 < a 10; c and d tie on cost (their order is the uid's).
    const order = names(deletionOrder(pods, [], now, 1));
    expect(order[0]).toBe("b");
    expect(order.slice(1, 3).sort()).toEqual(["c", "d"]);
    expect(order.slice(3)).toEqual(["e", "a"]);
  });
  it("5. more pods of the family on the same node first", () => {
    const a = pod("a", { node: "n1" });
    const b = pod("b", { node: "n2" });
    const family = [a, b, pod("c", { node: "n2" })];
    expect(names(deletionOrder([a, b], family, now, 1))).toEqual(["b", "a"]);
  });
  it("6. ready for less time first, in ⌊log₂ age⌋ buckets: 10 s and 15 s share a bucket, 100 s does not", () => {
    // Ages in ns: 10 s → 2^33.2, 15 s → 2^33.8 (both bucket 33); 100 s → 2^36.5 (bucket 36).
    const young = pod("young", { runningSince: now - 10, readySince: now - 10 });
    const old = pod("old", { runningSince: now - 100, readySince: now - 100 });
    expect(names(deletionOrder([old, young], [], now, 1))).toEqual(["young", "old"]);
    const a = pod("a", { runningSince: now - 10, readySince: now - 10 });
    const b = pod("b", { runningSince: now - 15, readySince: now - 15 });
    // Same bucket: the order is the uid's (a seeded hash here), whichever seed — but both seeds agree with themselves.
    const once = names(deletionOrder([a, b], [], now, 1));
    expect(names(deletionOrder([b, a], [], now, 1))).toEqual(once);
  });
  it("7. more restarts first", () => {
    expect(names(deletionOrder([pod("a"), pod("b", { restartCount: 3 })], [], now, 1))).toEqual(["b", "a"]);
  });
  it("8. newer first, in ⌊log₂ age⌋ buckets of creation time", () => {
    expect(names(deletionOrder([pod("a", { createdAt: 0 }), pod("b", { createdAt: 990 })], [], now, 1))).toEqual(["b", "a"]);
  });
});

describe("syncReplicaSet", () => {
  const record = (replicas: number): ObjectState => ({ object: makeWorkload("ReplicaSet", "big", replicas), uid: "u-1", createdSeq: 1, createdAt: 0, podsCreated: 0 });
  const reader = (state: ObjectState, pods: PodState[] = []): WorkloadReader => ({
    pod: (key) => pods.find((item) => `default/${item.pod.name}` === key),
    node: () => undefined,
    queued: () => undefined,
    object: (key) => (key === "ReplicaSet/default/big" ? state : undefined),
    podsOwnedBy: () => [...pods],
    nodeNames: () => [],
    objectKeys: () => [],
    ownedCounts: (uid) => {
      const mine = pods.filter((item) => item.pod.ownerReferences?.some((ref) => ref.uid === uid));
      const active = mine.filter((item) => item.phase !== "Succeeded" && item.phase !== "Failed" && item.deletionDeadline === undefined);
      return { active: active.length, ready: active.filter((item) => item.readySince !== undefined).length, present: mine.length, revisions: new Map() };
    },
    objectsOwnedBy: () => [],
  });

  it(`creates at most burstReplicas (${BURST_REPLICAS}) pods per sync: 1,200 wanted → 500`, () => {
    const drafts = syncReplicaSet(reader(record(1200)), "ReplicaSet/default/big", 0, 1);
    expect(drafts).toHaveLength(500);
    expect(new Set(drafts.map((draft) => (draft.type === "PodCreated" ? draft.pod : ""))).size).toBe(500);
  });

  it("never drafts one name twice: with five characters of 27, names collide within one burst for some seeds", () => {
    // Search for a seed whose first 500 names for this owner hold a repeat (about 1 seed in 115: 500² / 2 / 27⁵).
    let seed = 0;
    for (; seed < 5000; seed++) {
      const names = new Set(Array.from({ length: 500 }, (_, n) => generatedName("big-", seed, "ReplicaSet/default/big", n)));
      if (names.size < 500) break;
    }
    expect(seed).toBeLessThan(5000);
    const drafts = syncReplicaSet(reader(record(500)), "ReplicaSet/default/big", 0, seed);
    expect(new Set(drafts.map((draft) => (draft.type === "PodCreated" ? draft.pod : ""))).size).toBe(500);
  });

  it("deletes at most 500 per sync too", () => {
    const owned = Array.from({ length: 700 }, (_, index) => {
      const item = pod(`big-${index}`);
      return { ...item, pod: { ...item.pod, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "big", uid: "u-1", controller: true }] } };
    });
    expect(syncReplicaSet(reader(record(0), owned), "ReplicaSet/default/big", 0, 1)).toHaveLength(500);
  });
});
