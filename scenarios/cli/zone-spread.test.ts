/**
 * examples/zone-spread.yaml through the CLI: two Deployments spread over three zones, zone-c
 * failing at 5m and back at 20m. Every figure is worked out by hand from the scenario beside the
 * assertion (kube's rules: PodTopologySpread's skew, the node lifecycle's timings).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ClusterEvent } from "../../core/index.js";
import { cli, runExample } from "./testing.js";

const ZONE_OF: Record<string, string> = { "zone-a-1": "a", "zone-a-2": "a", "zone-b-1": "b", "zone-b-2": "b", "zone-c-1": "c", "zone-c-2": "c" };

describe("examples/zone-spread.yaml: DoNotSchedule zone spreading through a zone outage", () => {
  let log: string;
  let events: ClusterEvent[];
  beforeAll(() => {
    ({ log, events } = runExample("zone-spread.yaml"));
  });
  const boundAt = (t: number, app: string) => events.filter((event): event is Extract<ClusterEvent, { type: "PodBound" }> => event.type === "PodBound" && event.t === t && event.pod.startsWith(`default/${app}-`));

  it("at 0s each Deployment has one pod on every node: two per zone (zone maxSkew 1), one per node (hostname, ScheduleAnyway)", () => {
    for (const app of ["web", "api"]) {
      const nodes = boundAt(0, app).map((event) => event.node).sort();
      expect(nodes, app).toEqual(["zone-a-1", "zone-a-2", "zone-b-1", "zone-b-2", "zone-c-1", "zone-c-2"]);
    }
  });

  it("zone-c's pods are evicted 300 s after each node's NoExecute taint: 5m50s and 6m (one node per 10 s) → 10m50s, 11m", () => {
    const evicted = events.filter((event) => event.type === "PodEvicted");
    expect(evicted.map((event) => event.t)).toEqual([650, 650, 660, 660]);
  });

  it("api (nodeTaintsPolicy Honor) is replaced at once, in zone-a and zone-b: 3 and 3", () => {
    // zone-c's nodes are tainted, so out of the count: zone-a 2, zone-b 2, min 2. The first
    // replacement makes one zone 3 (2 + 1 − 2 = 1 ≤ 1); the second then must go to the other.
    const replacements = [...boundAt(650, "api"), ...boundAt(660, "api")].map((event) => ZONE_OF[event.node]).sort();
    expect(replacements).toEqual(["a", "b"]);
  });

  it("web (nodeTaintsPolicy Ignore) waits: zone-c still counts, with 0 pods, so zone-a and zone-b would skew 2 + 1 − 0 = 3 > 1", () => {
    expect([...boundAt(650, "web"), ...boundAt(660, "web")]).toEqual([]);
    const pending = cli("get", "pods", "--log", log, "--at", "15m", "-o", "wide").out.split("\n").filter((line) => line.startsWith("web-") && line.includes("Pending"));
    expect(pending).toHaveLength(2);
    // zone-c's two nodes are refused by TaintToleration first (unreachable, NoSchedule), the four others by spreading.
    for (const line of pending) expect(line).toContain("0/6 nodes are available: 2 node(s) had untolerated taint(s), 4 node(s) didn't match pod topology spread constraints.");
  });

  it("when zone-c is back at 20m, web's two pods go there, one per node", () => {
    const back = boundAt(1200, "web").map((event) => event.node).sort();
    expect(back).toEqual(["zone-c-1", "zone-c-2"]);
  });

  it("the summary says the pods waited for reasons other than capacity, 10m50s–20m", () => {
    const summary = cli("report", log).out;
    expect(summary).toMatch(/Capacity:\s+pods waited for a node 10m50s–20m \(9m10s in all\), for reasons other than capacity/);
  });
});
