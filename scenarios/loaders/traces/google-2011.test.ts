/**
 * The Google 2011 trace loader: small traces written here, gzipped as the real ones are, with
 * every expected node, pod and action worked out from the rows beside them; then the real
 * machine_events table of ../shared/traces against the figures its README gives.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { podFromManifest, type Pod } from "../../../core/index.js";
import { loadScenarioText } from "../scenario.js";
import { preloadScenarioTraces } from "./index.js";
import { readGoogleMachines, readGoogleTasks, TraceError } from "./google-2011.js";

const SECOND = 1_000_000; // the trace counts microseconds
const START = 600 * SECOND; // and starts at 600 s
const OPTIONS = { machineCpu: 32_000, machineMemory: 128 * 2 ** 30 };
const TEMPLATE = podFromManifest({ apiVersion: "v1", kind: "Pod", metadata: { name: "t", namespace: "default" }, spec: { restartPolicy: "Never", containers: [{ name: "task", image: "borg-task" }] } }).value as Pod;

function gz(dir: string, name: string, rows: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, gzipSync(rows.join("\n") + "\n"));
  return path;
}

describe("machine_events", () => {
  it("ADD at 0 is a node, a later ADD an addNode, REMOVE a removeNode; UPDATE is counted; blank capacity waits for the first row with it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "google-"));
    const path = gz(dir, "machines.csv.gz", [
      "0,5,0,P,0.5,0.2493", //                                   node machine-5: 16 cpu (0.5 × 32), 0.2493 × 128Gi
      "0,6,0,P,1,1", //                                          node machine-6: 32 cpu, 128Gi
      `${START + 60 * SECOND},7,0,P,0.25,0.5`, //                  tick 60: machine-7 joins (8 cpu, 64Gi)
      `${START + 90 * SECOND},5,2,P,0.5,0.4995`, //                an UPDATE: counted, not simulated
      `${START + 120 * SECOND},6,1,P,1,1`, //                      tick 120: machine-6 removed
      `${START + 130 * SECOND},8,0,Q,,`, //                        machine-8 added without capacity…
      `${START + 140 * SECOND},8,2,P,0.5,0.5`, //                  …joins at its first UPDATE with it, tick 140
    ]);
    const read = await readGoogleMachines(path, "machines.csv.gz", OPTIONS);
    expect(read.nodes.map((node) => [node.name, node.allocatable])).toEqual([
      ["machine-5", { cpu: 16_000, memory: Math.round(0.2493 * 128 * 2 ** 30), pods: 110 }],
      ["machine-6", { cpu: 32_000, memory: 128 * 2 ** 30, pods: 110 }],
    ]);
    expect(read.actions.map((action) => [action.at, action.action, action.action === "addNode" ? action.node.name : "node" in action ? action.node : ""])).toEqual([
      [60, "addNode", "machine-7"],
      [120, "removeNode", "machine-6"],
      [140, "addNode", "machine-8"],
    ]);
    expect(read.updates).toBe(1);
  });

  it("a bad row is an error naming file, line and column", async () => {
    const dir = mkdtempSync(join(tmpdir(), "google-"));
    const columns = gz(dir, "a.csv.gz", ["0,5,0,P,0.5,0.25", "0,6,0,P,0.5"]);
    await expect(readGoogleMachines(columns, "a.csv.gz", OPTIONS)).rejects.toThrow(new TraceError("a.csv.gz", 2, 6, "a machine_events row has 6 columns (schema.csv), this one has 5"));
    const type = gz(dir, "b.csv.gz", ["0,5,9,P,0.5,0.25"]);
    await expect(readGoogleMachines(type, "b.csv.gz", OPTIONS)).rejects.toThrow("b.csv.gz:1:3: event type must be 0 (ADD), 1 (REMOVE) or 2 (UPDATE), got 9");
    const amount = gz(dir, "c.csv.gz", ["0,5,0,P,1.5,0.25"]);
    await expect(readGoogleMachines(amount, "c.csv.gz", OPTIONS)).rejects.toThrow('c.csv.gz:1:5: CPUs must be a normalised amount from 0 to 1, got "1.5"');
  });

  it("reads the real 2011 table: 12,477 machines at tick 0 (its README's count)", async () => {
    const read = await readGoogleMachines(join(import.meta.dirname, "../../../../shared/traces/google-2011/machine_events/part-00000-of-00001.csv.gz"), "machine_events", OPTIONS);
    expect(read.nodes).toHaveLength(12_477);
    // The README: at t=0, capacity totals of 6,603.25 CPU and 5,862.75 memory (normalised units).
    const cpu = read.nodes.reduce((sum, node) => sum + (node.allocatable["cpu"] ?? 0), 0);
    expect(Math.round(cpu / 32_000 * 100) / 100).toBe(6603.25);
  }, 30_000);
});

describe("task_events", () => {
  const row = (micros: number, job: number, index: number, type: number, priority = 0, cpu = "", memory = "", restriction = "") =>
    `${micros},,${job},${index},,${type},U,1,${priority},${cpu},${memory},,${restriction}`;

  it("makes a pod per incarnation: created at SUBMIT, running SCHEDULE→FINISH, failing SCHEDULE→FAIL, deleted at KILL/EVICT, resubmitted as a new pod", async () => {
    const dir = mkdtempSync(join(tmpdir(), "google-"));
    const path = gz(dir, "tasks.csv.gz", [
      row(0, 1, 0, 0, 9, "0.125", "0.0625"), //           job 1 task 0: before the trace; 4000m (0.125 × 32000), 8Gi (0.0625 × 128Gi), priority 9
      row(0, 1, 0, 1), //                                  scheduled at tick 0
      row(START + 100 * SECOND, 1, 0, 4), //               finishes at tick 100: ran 100 s
      row(START + 10 * SECOND, 2, 3, 0, 0, "0.5", ""), //  job 2 task 3 at tick 10: 16000m, no memory request
      row(START + 20 * SECOND, 2, 3, 1), //                started at 20
      row(START + 50 * SECOND, 2, 3, 3), //                fails at 50: 30 s after starting
      row(START + 60 * SECOND, 2, 3, 0, 0, "0.5", ""), //  resubmitted at 60: job-2-3-2
      row(START + 70 * SECOND, 2, 3, 5), //                killed at 70: deleted then, grace 0
      row(START + 30 * SECOND, 3, 0, 0, 2, "0.01", "0.01", "1"), // job 3: different machines → anti-affinity by hostname
      row(START + 40 * SECOND, 3, 0, 7), //                an UPDATE_PENDING: counted only
    ]);
    const read = await readGoogleTasks(path, "tasks.csv.gz", OPTIONS, TEMPLATE);
    expect(read.tasks).toBe(3);
    expect(read.updates).toBe(1);
    expect(read.pods.map((pod) => [pod.name, pod.containers[0]?.requests, pod.priority, pod.sim])).toEqual([
      ["job-1-0", { cpu: 4000, memory: 8 * 2 ** 30 }, 9, { durationSeconds: 100 }],
    ]);
    const created = read.actions.flatMap((action) => (action.action === "createPod" ? [[action.at, action.pod.name, action.pod.containers[0]?.requests, action.pod.sim]] : []));
    expect(created).toEqual([
      [10, "job-2-3", { cpu: 16_000 }, { failAfterSeconds: 30, exitCode: 1 }],
      [30, "job-3-0", { cpu: 320, memory: Math.round(0.01 * 128 * 2 ** 30) }, {}],
      [60, "job-2-3-2", { cpu: 16_000 }, {}],
    ]);
    expect(read.actions.filter((action) => action.action === "deletePod")).toEqual([{ at: 70, action: "deletePod", pod: "default/job-2-3-2", gracePeriodSeconds: 0 }]);
    const spread = read.actions.find((action) => action.action === "createPod" && action.pod.name === "job-3-0");
    expect(spread?.action === "createPod" ? spread.pod.podAntiAffinity?.required[0]?.topologyKey : undefined).toBe("kubernetes.io/hostname");
  });

  it("a window keeps [from, until) and counts ticks from its start; a sample keeps the same tasks every time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "google-"));
    const rows = Array.from({ length: 200 }, (_, index) => row(START + index * 10 * SECOND, 5, index, 0, 0, "0.01", "0.01"));
    const path = gz(dir, "many.csv.gz", rows);
    const windowed = await readGoogleTasks(path, "many.csv.gz", { ...OPTIONS, window: { from: 100, until: 200 } }, TEMPLATE);
    // Submissions at ticks 100, 110 … 190 (indexes 10–19), counted from 100: 0 … 90.
    expect([...windowed.pods, ...windowed.actions.flatMap((action) => (action.action === "createPod" ? [action.pod] : []))].map((pod) => pod.name)).toEqual(Array.from({ length: 10 }, (_, index) => `job-5-${index + 10}`));
    const sampled = await readGoogleTasks(path, "many.csv.gz", { ...OPTIONS, sample: 0.25 }, TEMPLATE);
    const again = await readGoogleTasks(path, "many.csv.gz", { ...OPTIONS, sample: 0.25 }, TEMPLATE);
    const names = (read: typeof sampled) => [...read.pods, ...read.actions.flatMap((action) => (action.action === "createPod" ? [action.pod] : []))].map((pod) => pod.name);
    expect(names(sampled)).toEqual(names(again));
    expect(names(sampled).length).toBeGreaterThan(25); // about 50 of 200
    expect(names(sampled).length).toBeLessThan(75);
  });
});

describe("a scenario made of a trace", () => {
  it("takes its nodes and pods from spec.cluster.trace and spec.workloads.trace, and ends after the tasks' last event", async () => {
    const dir = mkdtempSync(join(tmpdir(), "google-"));
    gz(dir, "machines.csv.gz", ["0,1,0,P,0.5,0.5", "0,2,0,P,0.5,0.5"]);
    gz(dir, "tasks.csv.gz", ["0,,1,0,,0,U,1,0,0.1,0.1,,", `${START + 300 * SECOND},,1,1,,0,U,1,0,0.1,0.1,,`]);
    const file = join(dir, "scenario.yaml");
    writeFileSync(file, [
      "apiVersion: timoneiro.dev/v1",
      "kind: Scenario",
      "metadata: {name: tiny}",
      "spec:",
      "  cluster: {trace: {kind: google-2011, path: machines.csv.gz, machineCpu: '8'}}",
      "  workloads: {trace: {kind: google-2011, path: tasks.csv.gz, machineCpu: '8'}}",
    ].join("\n") + "\n");
    await preloadScenarioTraces(file);
    const loaded = loadScenarioText((await import("node:fs")).readFileSync(file, "utf8"), file, { validate: "warn" });
    expect(loaded.diagnostics).toEqual([]);
    // Two machines of 4 cpu (0.5 × 8); job-1-0 at tick 0, job-1-1 at 300 s; the run ends at 301 s.
    expect(loaded.scenario?.nodes.map((node) => node.allocatable["cpu"])).toEqual([4000, 4000]);
    expect(loaded.scenario?.pods.map((pod) => pod.name)).toEqual(["job-1-0"]);
    expect(loaded.scenario?.untilSeconds).toBe(301);
  });

  it("names a bad trace field, a missing file and a bad row at the scenario's line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "google-"));
    gz(dir, "bad.csv.gz", ["0,1,0,P,0.5"]);
    const file = join(dir, "scenario.yaml");
    writeFileSync(file, [
      "apiVersion: timoneiro.dev/v1",
      "kind: Scenario",
      "spec:",
      "  cluster: {trace: {kind: google-2011, path: bad.csv.gz}}",
      "  workloads: {trace: {kind: borg, path: nowhere.csv.gz, sample: 2}}",
    ].join("\n") + "\n");
    await preloadScenarioTraces(file);
    const loaded = loadScenarioText((await import("node:fs")).readFileSync(file, "utf8"), file, { validate: "warn" });
    expect(loaded.scenario).toBeUndefined();
    expect(loaded.diagnostics.map((diagnostic) => `${diagnostic.line}: ${diagnostic.path}: ${diagnostic.message}`)).toEqual([
      "4: spec.cluster.trace.path: bad.csv.gz:1:6: a machine_events row has 6 columns (schema.csv), this one has 5",
      '5: spec.workloads.trace.kind: must be one of google-2011, openb, alibaba-2017, alibaba-2018, got "borg"',
      "5: spec.workloads.trace.sample: must be a share of the tasks, above 0 and at most 1, got 2",
    ]);
  });
});
