/**
 * examples/anti-affinity.yaml through the CLI: a StatefulSet with hard anti-affinity, a cache that
 * must follow it, a probe that finds it by namespace labels; zone-c-1 fails at 10m and returns at
 * 20m. Every figure is worked out by hand from the scenario beside the assertion (kube's rules:
 * InterPodAffinity's filter and hints, the StatefulSet's ordering, the node lifecycle's timings).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ClusterEvent } from "../../core/index.js";
import { cli, runExample } from "./testing.js";

type Bound = Extract<ClusterEvent, { type: "PodBound" }>;

describe("examples/anti-affinity.yaml: hard anti-affinity, required affinity and a namespaceSelector through a node failure", () => {
  let log: string;
  let events: ClusterEvent[];
  beforeAll(() => {
    ({ log, events } = runExample("anti-affinity.yaml"));
  });
  const binds = (prefix: string) => events.filter((event): event is Bound => event.type === "PodBound" && event.pod.startsWith(prefix));
  const nodeOf = (pod: string, before = Number.POSITIVE_INFINITY) => binds(pod).filter((event) => event.pod === pod && event.t < before).at(-1)?.node;

  it("db-0, db-1 and db-2 take a node each at 0s; db-3 fits nowhere: every node holds a db pod", () => {
    const first = ["default/db-0", "default/db-1", "default/db-2"].map((pod) => nodeOf(pod, 600));
    expect(new Set(first).size).toBe(3);
    expect(binds("default/db-3").filter((event) => event.t < 1200)).toEqual([]);
    const message = events.find((event) => event.type === "PodUnschedulable" && event.pod === "default/db-3" && event.t === 0);
    // The three nodes refuse it as Unschedulable, so preemption tries each: every pod there has its priority (0), none is a victim.
    expect(message).toMatchObject({ message: "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod." });
  });

  it("the cache pods wait for a db pod, then all three go to db-0's node, the only one with a db pod at that moment", () => {
    const unschedulable = events.filter((event) => event.type === "PodUnschedulable" && event.pod.startsWith("default/cache-") && event.t === 0);
    expect(unschedulable).toHaveLength(3);
    // Affinity refuses as UnschedulableAndUnresolvable: no node is worth a preemption.
    for (const event of unschedulable) expect(event).toMatchObject({ message: "0/3 nodes are available: 3 node(s) didn't match pod affinity rules. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling." });
    const db0 = nodeOf("default/db-0", 600);
    const cache = binds("default/cache-").filter((event) => event.t === 0);
    expect(cache.map((event) => event.node)).toEqual([db0, db0, db0]);
  });

  it("probe is placed by the leftover flush at 5m30s (its last attempt at 0s + 300 s, on the next 30 s tick), in a zone with a db pod", () => {
    const probe = binds("monitoring/probe-");
    expect(probe.map((event) => event.t)).toEqual([330]);
  });

  it("zone-c-1's pods are evicted at 15m50s (NoExecute taint at 10m50s + 300 s); the cache is replaced at once next to the other db pods", () => {
    const failed = "zone-c-1";
    const evicted = events.filter((event) => event.type === "PodEvicted").map((event) => ({ t: event.t, pod: event.pod }));
    expect(new Set(evicted.map((event) => event.t))).toEqual(new Set([950]));
    const replaced = binds("default/cache-").filter((event) => event.t === 950).map((event) => event.node).sort();
    // Two db pods remain (on the two healthy nodes): the preference spreads the first two, the third goes to either.
    expect(replaced).toHaveLength(3);
    expect(replaced).not.toContain(failed);
    expect(new Set(replaced).size).toBe(2);
  });

  it("at 20m db-3 takes zone-c-1, and the StatefulSet's new db-0 stays Pending to the end", () => {
    expect(binds("default/db-3").map((event) => [event.t, event.node])).toEqual([[1200, "zone-c-1"]]);
    const pods = cli("get", "pods", "--log", log, "-o", "wide").out.split("\n").filter((line) => /^default\s+db-0\s/.test(line));
    expect(pods).toHaveLength(1);
    expect(pods[0]).toContain("Pending");
    expect(pods[0]).toContain("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
  });

  it("explain --log shows each node's verdict for the pending db-3 at 5m, and refuses a bound pod", () => {
    const explained = cli("explain", "--log", log, "--at", "5m", "--pod", "db-3");
    expect(explained.code, explained.err).toBe(0);
    const rows = explained.out.split("\n").filter((line) => line.startsWith("zone-"));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(/^zone-[abc]-1\s+no\s+node\(s\) didn't match pod anti-affinity rules/);
    expect(explained.out).toContain("Unschedulable: 0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
    const bound = cli("explain", "--log", log, "--at", "5m", "--pod", "db-1");
    expect(bound.code).toBe(2);
    expect(bound.err).toContain("pod default/db-1 is on");
  });
});
