/**
 * examples/preemption.yaml through the CLI (a full cluster of batch pods; at 5m a critical
 * Deployment preempts three of them), and `explain -f` naming the victims. Every figure is worked
 * out by hand from the scenario beside the assertion (kube v1.35's DefaultPreemption and nominator).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ClusterEvent } from "../../core/index.js";
import { cli, runExample } from "./testing.js";

type Of<T extends ClusterEvent["type"]> = Extract<ClusterEvent, { type: T }>;
const NO_VICTIMS = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";

describe("examples/preemption.yaml: a critical Deployment on a full cluster", () => {
  let log: string;
  let events: ClusterEvent[];
  beforeAll(() => {
    ({ log, events } = runExample("preemption.yaml"));
  });
  const ofType = <T extends ClusterEvent["type"]>(type: T) => events.filter((event): event is Of<T> => event.type === type);

  it("12 batch pods of 1 cpu fill the three 4-cpu nodes at 0s", () => {
    expect(ofType("PodBound").filter((event) => event.t === 0)).toHaveLength(12);
  });

  it("reindex (500, preemptionPolicy Never) outranks batch but may not preempt", () => {
    const reindex = ofType("PodUnschedulable").find((event) => event.pod === "default/reindex");
    expect(reindex).toMatchObject({ t: 60, message: "0/3 nodes are available: 3 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never." });
    expect(ofType("PodNominated").filter((event) => event.pod === "default/reindex")).toEqual([]);
  });

  it("at 5m each checkout pod fails with the filters' message only, is nominated, and one batch pod on that node is preempted and deleted (30 s)", () => {
    const failed = ofType("PodUnschedulable").filter((event) => event.t === 300 && event.pod.startsWith("default/checkout-"));
    expect(failed.map((event) => event.message)).toEqual(["0/3 nodes are available: 3 Insufficient cpu.", "0/3 nodes are available: 3 Insufficient cpu.", "0/3 nodes are available: 3 Insufficient cpu."]);
    const nominated = ofType("PodNominated").filter((event) => event.t === 300);
    // The second and third find the first's node holding its room (a nominated pod of equal
    // priority counts there): a victim on another node costs one pod, on that one two. Three nodes.
    expect(new Set(nominated.map((event) => event.node)).size).toBe(3);
    const preempted = ofType("PodPreempted");
    expect(preempted).toHaveLength(3);
    for (const event of preempted) {
      expect(event.message).toBe("default-scheduler: preempting to accommodate a higher priority pod");
      expect(nominated.find((item) => item.pod === event.preemptor)?.node).toBe(event.node);
      expect(ofType("PodDeleted").find((item) => item.pod === event.pod)).toMatchObject({ t: 300, gracePeriodSeconds: 30 });
    }
  });

  it("at 5m30s the victims are gone and each checkout pod is bound to its nominated node", () => {
    const nominated = new Map(ofType("PodNominated").map((event) => [event.pod, event.node]));
    const bound = ofType("PodBound").filter((event) => event.pod.startsWith("default/checkout-"));
    expect(bound.map((event) => event.t)).toEqual([330, 330, 330]);
    for (const event of bound) expect(event.node).toBe(nominated.get(event.pod));
  });

  it("batch's three replacements wait: every pod left is of their priority or higher (and reindex), so no victim", () => {
    const replacements = ofType("PodCreated").filter((event) => event.t === 300 && event.pod.startsWith("default/batch-"));
    expect(replacements).toHaveLength(3);
    for (const created of replacements) {
      const last = ofType("PodUnschedulable").filter((event) => event.pod === created.pod).at(-1);
      expect(last?.message).toBe(NO_VICTIMS);
    }
    const wide = cli("get", "pods", "--log", log, "-o", "wide").out.split("\n").filter((line) => line.includes("Pending"));
    expect(wide).toHaveLength(4);
  });

  it("get pods -o wide shows each checkout pod's nominated node while it waits, at 5m", () => {
    const lines = cli("get", "pods", "--log", log, "--at", "5m", "-o", "wide").out.split("\n");
    expect(lines[0]).toMatch(/NOMINATED NODE/);
    const checkout = lines.filter((line) => line.startsWith("checkout-"));
    expect(checkout).toHaveLength(3);
    for (const line of checkout) expect(line).toMatch(/Pending\s+0\s+<none>\s+1\s+1Gi\s+<none>\s+node-[123]\s/);
  });
});

describe("explain -f: the victims a pod would preempt", () => {
  it("names the node and the pods of lower priority it would delete there", () => {
    // node-1 (2 cpu) runs low-a (1 cpu, priority 0) and low-b (1 cpu, priority 0); node-2 (2 cpu)
    // runs mid (2 cpu, priority 500). urgent (1 cpu, priority 1000) fits nowhere. node-1: low-a and
    // low-b both below it; removing both fits, low-a (first) comes back (1 + 1 = 2), low-b goes.
    // node-2: mid goes (2 + 1 > 2 with it back). Highest victim priority: node-1 0, node-2 500 → node-1.
    const dir = mkdtempSync(join(tmpdir(), "timoneiro-"));
    const file = join(dir, "cluster.yaml");
    const node = (name: string) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\nstatus: {allocatable: {cpu: "2", memory: 8Gi, pods: "110"}}\n`;
    const pod = (name: string, cpu: string, priority: number, nodeName?: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {priority: ${priority}, ${nodeName !== undefined ? `nodeName: ${nodeName}, ` : ""}containers: [{name: c, image: x, resources: {requests: {cpu: "${cpu}"}}}]}\n`;
    writeFileSync(file, [node("node-1"), node("node-2"), pod("low-a", "1", 0, "node-1"), pod("low-b", "1", 0, "node-1"), pod("mid", "2", 500, "node-2"), pod("urgent", "1", 1000)].join("---\n"));
    const explained = cli("explain", "-f", file, "--pod", "urgent");
    expect(explained.code, explained.err).toBe(0);
    expect(explained.out).toContain("Unschedulable: 0/2 nodes are available: 2 Insufficient cpu.");
    expect(explained.out).toMatch(/Preemption: the pod would be nominated to node-1/);
    expect(explained.out).toMatch(/^ {2}default\/low-b {2}priority 0, requests cpu 1$/m);
    expect(explained.out).not.toMatch(/^ {2}default\/low-a/m);
  });
});
