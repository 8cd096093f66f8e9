/**
 * The day-long examples (examples/web-shop.yaml, examples/batch-day.yaml) run through the CLI
 * with `-o json`: each summary's figures, worked out by hand from the scenario beside each
 * assertion — never copied from a run. Where a figure hangs on a tie the scheduler breaks at
 * random (which pods share a node), the assertion is the bound the scenario guarantees.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../metrics/summary.js";
import { packageRoot } from "./run.js";
import { cli } from "./testing.js";

/** `run EXAMPLE -o json`: the summary, the only thing on stdout. */
function summaryOf(example: string): RunSummary {
  const result = cli("run", join(packageRoot(), "examples", example), "-o", "json");
  expect(result.code, result.err).toBe(0);
  expect(result.err).not.toMatch(/error:/);
  return JSON.parse(result.out) as RunSummary;
}

/** A tick from a time of day: seconds since 00:00. */
function at(hours: number, minutes = 0, seconds = 0): number {
  return hours * 3600 + minutes * 60 + seconds;
}

/** The summary keeps means and shares to 4 decimals. */
function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

const DAY = 86_400;
const Mi = 1024 * 1024;
const Gi = 1024 * Mi;

describe("examples/web-shop.yaml: a web shop on three nodes through a day of load, with a node failure", () => {
  let summary: RunSummary;
  beforeAll(() => {
    summary = summaryOf("web-shop.yaml");
  });
  // The arithmetic every figure below rests on. Nodes: 8 cpu, 32Gi. On each node from 1m30s on:
  // log-agent (100m, 128Mi) and one orders-db pod (1 cpu, 4Gi) — the db pods are made one at a
  // time (0 s, 30 s, 60 s: each Ready 30 s after it starts) and LeastAllocated sends each to a node
  // without one. That leaves 8 − 1.1 = 6.9 cpu per node: 13 stateless pods of 500m (6.5), 400m
  // over. Three nodes hold 39 stateless pods, two hold 26. Memory never binds (13 × 512Mi + 4Gi +
  // 128Mi = 10880Mi of 32768Mi).
  // Stateless pods are all 500m/512Mi, so both LeastAllocated and BalancedAllocation prefer the
  // node with fewest of them, and kube's default spreading (hostname, ScheduleAnyway) the node with
  // fewest of the pod's own Deployment, the emptiest among those alike: until the failure (only
  // scale-ups) the nodes' counts differ by at most one, so 24 pods at 15:00 are 8 on each node.
  // The failure: node-2's kubelet stops at 15:00 (54000), its last lease renewal at 14:59:50
  // (renewals every 10 s from 0); the node lifecycle controller looks every 5 s and marks it
  // Ready=Unknown once more than 50 s passed: at 15:00:45 (54045), its pods not Ready; NoExecute
  // taint at the next pass, 15:00:50; eviction 300 s later, 15:05:50 (54350).

  it("pods: 45 created, 30 deleted, 15 running at the end", () => {
    // Created: 9 stateless at 0 + 3 orders-db (0, 30 s, 60 s) + 3 log-agent = 15; 07:00 +9 (9 → 18);
    // 12:00 +6 (18 → 24); 15:05:50 +8 replacements for node-2's 8 stateless pods; 17:00 +2 (catalog
    // 6 → 7, cart 5 → 6); 18:00 +4 (frontend 8 → 12); 20:00 +1 (orders-db's pod on node-2, made
    // again once node-2's kubelet ends it): 15 + 9 + 6 + 8 + 2 + 4 + 1 = 45, all bound in the end.
    // Deleted: 9 by the taint eviction (8 stateless + 1 orders-db; the DaemonSet's pod tolerates the
    // taint) + 21 at 22:00 (frontend 12 → 3, catalog 7 → 2, cart 6 → 2, checkout 5 → 2: 9+5+4+3) = 30.
    // At 24h: 9 stateless + 3 orders-db + 3 log-agent Running; the 22:00 pods' 30 s grace is over.
    expect(summary.run.scenario).toBe("web-shop");
    expect(summary.until).toBe(DAY);
    expect(summary.pods).toEqual({
      created: 45, bound: 45, succeeded: 0, failed: 0, deleted: 30,
      atEnd: { pending: 0, running: 15, terminating: 0, succeeded: 0, failed: 0 },
    });
    expect(summary.waitingAtEnd).toEqual({ pods: 0, untried: 0, byReason: {} });
  });

  it("capacity: pods waited only from the evening peak (18:00) until node-2 came back (20:00)", () => {
    // 15:05:50: node-1 and node-3 hold 8 stateless pods each, room for 5 more each: the 8
    // replacements fit (4 + 4 → 12 each). 17:00: +2 fill the last slot of each (13 each).
    // 18:00: frontend's 4 new pods find 2 full nodes and node-2 tainted (unreachable:NoSchedule) →
    // Pending until 20:00, when node-2 is Ready and untainted and takes them.
    expect(summary.unschedulable).toEqual([[at(18), at(20)]]);
    // Pending: 4 pods for 2 h of 24 → mean 4 × 7200 / 86400 = 1/3. Every other pod is bound in the
    // tick it is made.
    expect(summary.pending).toEqual({ peak: 4, peakAt: at(18), mean: round4((4 * 7200) / DAY) });
    // Retries: a pod unschedulable for more than 300 s goes back at the next 30-s flush, so each of
    // the 4 is tried at 18:00 + 330 s × k (64800, 65130, … 71730: k = 0 … 21, 72060 is past 20:00) —
    // nothing else happens in the cluster between 18:00 and 20:00 to wake them: 4 × 22 = 88 failed
    // attempts, each reporting both reasons (2 nodes Insufficient cpu, node-2's untolerated taint).
    expect(summary.attempts).toEqual({ bound: 45, unschedulable: 88, byReason: { "Insufficient cpu": 88, "node(s) had untolerated taint(s)": 88 } });
  });

  it("latency: 41 pods bound at once, the 4 peak frontend pods after 2 h", () => {
    // Sorted latencies: 41 × 0 s, 4 × 7200 s. Nearest rank of 45: p50 → 23rd, p90 → 41st (both 0),
    // p99 → 45th (7200). Mean 4 × 7200 / 45 = 640 s. Histogram: 41 in "0s", 4 in ">1h".
    expect(summary.latency).toEqual({ pods: 45, p50: 0, p90: 0, p99: 7200, max: 7200, mean: 640, histogram: [41, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4] });
    expect(summary.slowest.slice(0, 4).map((pod) => [pod.pod.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, ""), pod.createdAt, pod.waited, pod.bound])).toEqual(
      Array.from({ length: 4 }, () => ["default/frontend", at(18), 7200, true]),
    );
    expect(summary.slowest[4]?.waited).toBe(0);
  });

  it("allocation: cpu requested over the day, and its peak while node-2's pods still hold their place", () => {
    // Requested cpu (millicores) × seconds; node-2's evicted pods stay Terminating, holding their
    // requests, until its kubelet returns at 20:00; the 22:00 pods hold theirs for their 30 s grace.
    //   0–30 s          9 × 500 + 300 (agents) + 1000 (orders-db-0)          5800 ×    30
    //   30–60 s         + orders-db-1                                         6800 ×    30
    //   60 s–07:00      + orders-db-2                                         7800 × 25140
    //   07:00–12:00     18 stateless                                         12300 × 18000
    //   12:00–15:05:50  24 stateless                                         15300 × 11150
    //   15:05:50–17:00  + 8 replacements (node-2's 8 + db still held)        19300 ×  6850
    //   17:00–20:00     + 2 (the 4 pending pods hold nothing)                20300 × 10800
    //   20:00–22:00     − node-2's 8 + db freed, + db again + 4 frontend     18300 ×  7200
    //   22:00–22:00:30  21 deleted pods in their grace period                18300 ×    30
    //   22:00:30–24:00  9 stateless                                           7800 ×  7170
    const cpuSeconds = 5800 * 30 + 6800 * 30 + 7800 * 25140 + 12300 * 18000 + 15300 * 11150 + 19300 * 6850 + 20300 * 10800 + 18300 * 7200 + 18300 * 30 + 7800 * 7170;
    expect(cpuSeconds).toBe(1_128_145_000);
    const cpu = summary.allocation["cpu"];
    // 1,128,145,000 / 86,400 = 13057.2338m of 3 × 8000m: 54.4%.
    expect(cpu?.meanRequested).toBe(round4(cpuSeconds / DAY));
    expect(cpu?.meanAllocatable).toBe(24_000);
    // Peak 20300m of 24000m (84.58%) from 17:00: more than two nodes' 16 cpu, while only two run.
    expect(cpu).toMatchObject({ peakShare: round4(20_300 / 24_000), peakAt: at(17), peakRequested: 20_300 });
    // Memory at 17:00: node-1 and node-3 13 × 512Mi + 4Gi + 128Mi = 10880Mi each; node-2 8 × 512Mi
    // + 4Gi + 128Mi = 8320Mi → 30080Mi of 98304Mi (30.6%).
    expect(summary.allocation["memory"]).toMatchObject({ peakShare: round4(30_080 / 98_304), peakAt: at(17), peakRequested: 30_080 * Mi });
  });

  it("stranded capacity: cpu-bound, the two full nodes' memory idle through the evening", () => {
    // The median pod of tick 0 (9 × 500m/512Mi, 3 × 1/4Gi, 3 × 100m/128Mi): 500m, 512Mi. A node
    // cannot hold it once it has 13 stateless pods (400m free): node-1 and node-3 hold 26 of them
    // from 17:00 until the 22:00 pods are gone at 22:00:30 — 18030 s, both full. Each strands
    // 400m and 32768 − 10880 = 21888Mi.
    // Between the eviction (15:05:50) and 17:00 they hold 24: 12 and 12, or 13 and 11. Kube's
    // default spreading (hostname, maxSkew 3) puts each replacement beside the fewest pods of its
    // Deployment; where two nodes hold as many, the emptier node wins, and where they are as full
    // too, the tie-break hash — twice here (the first catalog and the checkout replacements). So
    // one node may also be full for those 6850 s (15:05:50–17:00): either figure is kube's.
    const both = 2 * 18_030;
    const cpu = summary.fragmentation["cpu"];
    expect([round4((400 * both) / DAY), round4((400 * (both + 6_850)) / DAY)]).toContain(cpu);
    const oneEarly = cpu === round4((400 * (both + 6_850)) / DAY);
    expect(summary.fragmentation["memory"]).toBe(round4((21_888 * Mi * (both + (oneEarly ? 6_850 : 0))) / DAY));
  });

  it("nodes: all three hold pods all day; the requests needed three nodes from the eviction on", () => {
    // Each node holds its log-agent from 0 s to the end (node-2's stays through the failure).
    expect(summary.nodes).toEqual({ atEnd: 3, peak: 3, peakInUse: 3, peakInUseAt: 0, meanInUse: 3 });
    // ceil(requested cpu / 8000): 15300 → 2 until 15:05:50, then 19300 → 3 (node-2's held pods and
    // their replacements); 20300 at 17:00 is still 3.
    expect(summary.lowerBound).toEqual({ "cpu=8/memory=32Gi/pods=110": { peak: 3, peakAt: at(15, 5, 50) } });
  });

  it("disruptions: the taint eviction of node-2's 9 pods, nothing else", () => {
    // node-2 held 8 stateless pods (8 on each node at 15:00), its orders-db pod and its log-agent:
    // the agent tolerates unreachable:NoExecute; the other 9 go at 15:05:50.
    expect(summary.evictions).toEqual({ TaintManagerEviction: 9 });
    expect(summary.restarts).toBe(0);
    expect(summary.oomKills).toBe(0);
  });

  it("services: frontend short during the failure and the peak, orders-db on two replicas from 15:00:45 to 20:00:30", () => {
    // frontend (Ready 15 s after a start): desired 3 at 0 (Ready at 15 s); 6 at 07:00, 8 at 12:00
    // (the new ones Ready 15 s later); node-2's frontend pods not Ready from 15:00:45 until their
    // replacements, made at 15:05:50, are Ready at 15:06:05 — node-2 has at least one: at 0 s the
    // ReplicaSets make their pods in key order (cart, catalog, checkout, frontend) and the queue
    // takes them in that order, each to a node with the fewest: the first 6 go 2 to each node, so
    // frontend's 3 go one to each; no frontend pod is deleted before 22:00; 12 at 18:00, 4 Pending until 20:00, Ready at 20:00:15; 3 at 22:00 (no gap: the
    // deleted ones leave as the desired count drops).
    const frontend = summary.services["default/frontend"];
    expect(frontend).toEqual({
      desired: 3, ready: 3, since: 0,
      noEndpoint: [[0, 15]],
      belowDesired: [[0, 15], [at(7), at(7, 0, 15)], [at(12), at(12, 0, 15)], [at(15, 0, 45), at(15, 6, 5)], [at(18), at(20, 0, 15)]],
    });
    // orders-db (headless; desired = the StatefulSet's 3): Ready at 30 s, 60 s, 90 s; the replica
    // on node-2 not Ready from 15:00:45, evicted at 15:05:50 but Terminating (no kubelet), made
    // again at 20:00 and Ready 30 s later.
    expect(summary.services["default/orders-db"]).toEqual({
      desired: 3, ready: 3, since: 0,
      noEndpoint: [[0, 30]],
      belowDesired: [[0, 90], [at(15, 0, 45), at(20, 0, 30)]],
    });
    // catalog (20 s), cart (10 s), checkout (15 s): short while their new pods get Ready at 0, 07:00,
    // 12:00, and for catalog and cart at 17:00 (they fit: the last slot of each node). Whether they
    // lose pods at 15:00:45 hangs on which node the scheduler's ties sent them to: if they do, they
    // are short until their replacements are Ready (15:05:50 + their delay), never at the peak.
    const cases: [string, number, boolean][] = [["catalog", 20, true], ["cart", 10, true], ["checkout", 15, false]];
    for (const [name, delay, scaledAt17] of cases) {
      const service = summary.services[`default/${name}`];
      expect(service?.desired, name).toBe(2);
      expect(service?.ready, name).toBe(2);
      expect(service?.noEndpoint, name).toEqual([[0, delay]]);
      const expected = [[0, delay], [at(7), at(7) + delay], [at(12), at(12) + delay], ...(scaledAt17 ? [[at(17), at(17) + delay]] : [])];
      const failure = [at(15, 0, 45), at(15, 5, 50) + delay];
      const spans = service?.belowDesired ?? [];
      expect(spans.filter((span) => span[0] !== failure[0]), name).toEqual(expected);
      expect(spans.filter((span) => span[0] === failure[0]).every((span) => span[1] === failure[1]), name).toBe(true);
    }
  });
});

describe("examples/batch-day.yaml: a batch cluster's day of CronJobs", () => {
  let summary: RunSummary;
  beforeAll(() => {
    summary = summaryOf("batch-day.yaml");
  });
  // Nodes: 3 × 8 cpu, 32Gi. CronJob times are "after the CronJob was made" (00:00, tick 0):
  //   etl "15 * * * *": 00:15 … 23:15 → 24 runs × 2 pods (1 cpu, 2Gi, 10 min);
  //   reindex "0 2 * * *": 02:00 → 1 run, 24 completions, 12 at a time (2 cpu, 4Gi, 20 min);
  //   partner-export "30 */6 * * *": 00:30, 06:30, 12:30, 18:30 → 4 runs × 3 pods (250m, fail after
  //   30 s; pods at +0, +40, +90 s, backoffLimit 2 exceeded at +120 s).
  // 02:00: reindex's first 12 pods take exactly the cluster (4 × 2 cpu per node). 02:15: etl's 2
  // pods fit nowhere. 02:20: the 12 succeed; etl's pods (queued first: priority 1000, and older)
  // go to two different empty nodes (LeastAllocated), leaving them 7 cpu each: 3 reindex pods each,
  // 4 on the third node → 10 of the 12 new ones bound, 2 Pending until etl ends at 02:30 (one on
  // each node etl leaves); the 10 end at 02:40, the last 2 at 02:50.

  it("pods: created, succeeded and failed as the schedules say; the history limits delete the rest", () => {
    // Created 24 × 2 (etl) + 24 (reindex) + 4 × 3 (export) = 84, all bound.
    // Succeeded 48 + 24 = 72; failed 12 (every export pod).
    // Deleted with their Jobs by the history limits: etl keeps 3 of 24 finished Jobs → 21 × 2 = 42;
    // partner-export keeps 1 of 4 failed → 3 × 3 = 9; reindex's one Job stays: 42 + 9 = 51.
    // At 24h: 3 etl Jobs × 2 + 24 reindex pods Succeeded, 1 export Job × 3 Failed.
    expect(summary.run.scenario).toBe("batch-day");
    expect(summary.pods).toEqual({
      created: 84, bound: 84, succeeded: 72, failed: 12, deleted: 51,
      atEnd: { pending: 0, running: 0, terminating: 0, succeeded: 30, failed: 3 },
    });
    expect(summary.restarts).toBe(0);
    expect(summary.evictions).toEqual({});
    expect(summary.services).toEqual({});
  });

  it("capacity: pods waited only 02:15–02:30, for cpu", () => {
    // etl waits 02:15–02:20; at 02:20 etl is bound but 2 reindex pods fail in the same tick, and wait
    // until 02:30: one span.
    expect(summary.unschedulable).toEqual([[at(2, 15), at(2, 30)]]);
    expect(summary.waitingAtEnd).toEqual({ pods: 0, untried: 0, byReason: {} });
    // 2 Pending 02:15–02:20 (etl) and 2 Pending 02:20–02:30 (reindex): peak 2 first at 02:15; mean
    // (2 × 300 + 2 × 600) / 86400.
    expect(summary.pending).toEqual({ peak: 2, peakAt: at(2, 15), mean: round4((2 * 300 + 2 * 600) / DAY) });
    // Failed attempts: etl's 2 at 02:15 (woken at 02:20 by the freed cpu, before their 30-s flush
    // at 02:20:30); reindex's 2 at 02:20 and again at the flush after 300 s (the first multiple of
    // 30 s after 02:25:00: 02:25:30) — the next flush, 02:31:00, comes after etl frees its cpu at
    // 02:30. Each message: 3 nodes Insufficient cpu.
    expect(summary.attempts).toEqual({ bound: 84, unschedulable: 6, byReason: { "Insufficient cpu": 6 } });
  });

  it("latency: 80 pods bound at once; etl at 02:15 waited 5 min, 2 of reindex's second wave 10 min", () => {
    // 84 latencies: 80 × 0, 2 × 300, 2 × 600. Nearest rank: p50 → 42nd, p90 → 76th (0); p99 → 84th
    // (600). Mean (2 × 300 + 2 × 600) / 84 = 21.4286 s. Buckets 0s: 80, ≤5m: 2, ≤10m: 2.
    expect(summary.latency).toEqual({ pods: 84, p50: 0, p90: 0, p99: 600, max: 600, mean: round4(1800 / 84), histogram: [80, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0] });
    // The Jobs' names: the scheduled time in minutes since the epoch; 2026-01-01T00:00:00Z is
    // 1767225600 s = 29453760 min: reindex at 02:00 → 29453880, etl at 02:15 → 29453895.
    expect(summary.slowest.slice(0, 4).map((pod) => [pod.pod.replace(/-[a-z0-9]{5}$/, ""), pod.createdAt, pod.waited])).toEqual([
      ["default/reindex-29453880", at(2, 20), 600],
      ["default/reindex-29453880", at(2, 20), 600],
      ["default/etl-29453895", at(2, 15), 300],
      ["default/etl-29453895", at(2, 15), 300],
    ]);
  });

  it("allocation: the day's cpu and memory from the pods' durations; the whole cluster at 02:00", () => {
    // cpu-seconds (millicores): etl 24 runs × 2 × 1000 × 600; reindex 24 × 2000 × 1200; export
    // 12 × 250 × 30 → 28,800,000 + 57,600,000 + 90,000 = 86,490,000 → mean 1001.04m of 24000m.
    const cpu = summary.allocation["cpu"];
    expect(cpu?.meanRequested).toBe(round4((24 * 2 * 1000 * 600 + 24 * 2000 * 1200 + 12 * 250 * 30) / DAY));
    expect(cpu?.meanAllocatable).toBe(24_000);
    expect(cpu).toMatchObject({ peakShare: 1, peakAt: at(2), peakRequested: 24_000 });
    // Memory: etl 48 × 2Gi × 600, reindex 24 × 4Gi × 1200, export 12 × 256Mi × 30; peak 12 × 4Gi of 96Gi.
    const memory = summary.allocation["memory"];
    expect(memory?.meanRequested).toBe(round4((48 * 2 * Gi * 600 + 24 * 4 * Gi * 1200 + 12 * 256 * Mi * 30) / DAY));
    expect(memory).toMatchObject({ peakShare: 0.5, peakAt: at(2), peakRequested: 48 * Gi });
  });

  it("stranded capacity: the cpu etl leaves beside reindex's second wave", () => {
    // Median pod of tick 0 (the CronJobs' templates once per parallel pod: 2 × etl, 12 × reindex,
    // 1 × export): 2 cpu, 4Gi. Nodes that cannot take one: 02:00–02:20 all three full (0 cpu, 16Gi
    // each); 02:20–02:30 the two etl nodes (1 cpu, 32 − 2 − 12 = 18Gi each) and the third (0, 16Gi);
    // 02:30–02:40 all three full again (0, 16Gi each); otherwise none.
    expect(summary.fragmentation["cpu"]).toBe(round4((2 * 1000 * 600) / DAY));
    expect(summary.fragmentation["memory"]).toBe(round4(((48 * 1200 + 52 * 600 + 48 * 600) * Gi) / DAY));
  });

  it("nodes: in use only while a Job runs", () => {
    // etl's 2 pods on 2 nodes for 600 s in each of its 23 runs away from reindex; 3 nodes 02:00–02:40
    // (2400 s), 2 nodes 02:40–02:50 (the last two reindex pods, one on each etl node); each export pod
    // 30 s on one node (12): (23 × 2 × 600 + 3 × 2400 + 2 × 600 + 12 × 30) / 86400.
    expect(summary.nodes).toEqual({ atEnd: 3, peak: 3, peakInUse: 3, peakInUseAt: at(2), meanInUse: round4((23 * 2 * 600 + 3 * 2400 + 2 * 600 + 12 * 30) / DAY) });
    // ceil(24000 / 8000) = 3 at 02:00, the cluster's whole cpu.
    expect(summary.lowerBound).toEqual({ "cpu=8/memory=32Gi/pods=110": { peak: 3, peakAt: at(2) } });
  });
});

describe("examples/online-boutique.yaml: Google's microservices demo, included from its real manifests, on three nodes with one failing", () => {
  // 12 Deployments of one replica each; node-2 fails at 5m, its pods are evicted (NoExecute,
  // tolerated 300 s after NotReady) and their ReplicaSets make them again on the other two nodes.
  it("keeps every Deployment's pod running at the end: each evicted pod was made again", () => {
    const summary = summaryOf("online-boutique.yaml");
    const evicted = summary.evictions["TaintManagerEviction"] ?? 0;
    expect(evicted).toBeGreaterThan(0); // node-2 held some of the shop
    expect(summary.pods.created).toBe(12 + evicted);
    expect(summary.pods.deleted).toBe(evicted);
    expect(summary.pods.atEnd).toEqual({ pending: 0, running: 12, terminating: 0, succeeded: 0, failed: 0 });
  });
});
