/**
 * The Alibaba 2017 and 2018 loaders: small tables written here with every expected node, pod and
 * action worked out from the rows beside them, bad rows, and the real tables of ../shared/traces
 * against counts taken from them with awk (server_event: 1,313 adds at time 0; machine_meta:
 * 4,033 machines with a USING row).
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { podFromManifest, type Pod } from "../../../core/index.js";
import { readAlibaba2017Machines, readAlibaba2017Tasks, readAlibaba2018Machines } from "./alibaba.js";

const GI = 2 ** 30;
const OPTIONS = { machineMemory: 128 * GI };
const TEMPLATE = podFromManifest({ apiVersion: "v1", kind: "Pod", metadata: { name: "t", namespace: "default" }, spec: { restartPolicy: "Never", containers: [{ name: "task", image: "alibaba-batch-task" }] } }).value as Pod;
const SHARED = join(import.meta.dirname, "../../../../shared/traces");
const HEADER = "task_create_time, task_end_time, job_id, task_id,number_of_instances, status, number_of_cpus_requested_per_instance_in_the_task,normalized_memory_requested_per_instance_in_the_task";

function write(lines: readonly string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), "alibaba-")), "table.csv");
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

describe("alibaba-2017 server_event", () => {
  it("add at 0 is a node (64 cpu, memory × 128Gi), a later add an addNode, remove a removeNode; errors are counted", async () => {
    const path = write([
      "0,1,add,,64,0.5,1", //               node machine-1: 64 cpu, 64Gi
      "-5,2,add,,64,1,1", //                before the start: also a node at tick 0
      "100,3,add,,32,0.25,1", //            tick 100: machine-3 joins (32 cpu, 32Gi)
      "150,1,softerror,agent_check,0,0,0", // counted, not simulated
      "200,2,remove,,0,0,0", //             tick 200: machine-2 leaves
    ]);
    const read = await readAlibaba2017Machines(path, "server_event.csv", OPTIONS);
    expect(read.nodes.map((node) => [node.name, node.allocatable])).toEqual([
      ["machine-1", { cpu: 64_000, memory: 64 * GI, pods: 110 }],
      ["machine-2", { cpu: 64_000, memory: 128 * GI, pods: 110 }],
    ]);
    expect(read.actions.map((action) => [action.at, action.action, action.action === "addNode" ? action.node.name : "node" in action ? action.node : ""])).toEqual([[100, "addNode", "machine-3"], [200, "removeNode", "machine-2"]]);
    expect(read.errors).toBe(1);
  });

  it("a bad row names file, line and column", async () => {
    await expect(readAlibaba2017Machines(write(["0,1,add,,64,0.5,1", "0,2,crash,,64,0.5,1"]), "s.csv", OPTIONS)).rejects.toThrow('s.csv:2:3: event type must be add, remove, softerror or harderror, got "crash"');
    await expect(readAlibaba2017Machines(write(["0,1,add,,64,1.5,1"]), "s.csv", OPTIONS)).rejects.toThrow('s.csv:1:6: normalized memory must be a number from 0 to 1, got "1.5"');
    await expect(readAlibaba2017Machines(write(["0,1,add,,64"]), "s.csv", OPTIONS)).rejects.toThrow("s.csv:1:6: a server_event row has 7 columns (schema.csv), this one has 5");
  });
});

describe("alibaba-2017 batch_task", () => {
  const rows = [
    HEADER,
    "0,60,3,4,2,Terminated,50,0.0078125", //   2 instances at 0: 500m, 0.0078125 × 128Gi = 1Gi, run 60 s and succeed
    "30,40,3,5,1,Failed,100,0.015625", //       1 instance at 30: 1 cpu, 2Gi, fails after 10 s
    "45,45,4,7,3,Waiting,,", //                3 instances at 45, no request, never end
    "-10,-20,5,1,1,Running,200,", //            at 0 (before the start), 2 cpu, runs on; ends before it starts
  ];

  it("each instance a pod, created at its task's creation, with its requests and how it ends", async () => {
    const read = await readAlibaba2017Tasks(write(rows), "batch_task.csv", OPTIONS, TEMPLATE);
    expect(read.pods.map((pod) => [pod.name, pod.containers[0]?.requests, pod.sim])).toEqual([
      ["job-3-task-4-0", { cpu: 500, memory: GI }, { durationSeconds: 60 }],
      ["job-3-task-4-1", { cpu: 500, memory: GI }, { durationSeconds: 60 }],
      ["job-5-task-1-0", { cpu: 2000 }, {}],
    ]);
    expect(read.actions.map((action) => [action.at, action.action === "createPod" ? action.pod.name : "", action.action === "createPod" ? action.pod.sim : {}])).toEqual([
      [30, "job-3-task-5-0", { failAfterSeconds: 10, exitCode: 1 }],
      [45, "job-4-task-7-0", {}], [45, "job-4-task-7-1", {}], [45, "job-4-task-7-2", {}],
    ]);
    // the last end: task 4's 0 + 60
    expect(read.lastTick).toBe(60);
    expect(read.warnings).toEqual(["1 task(s) end before they are created: they run for 0 s"]);
    // without the header line (as alibaba/clusterdata ships it), the same pods
    const bare = await readAlibaba2017Tasks(write(rows.slice(1)), "batch_task.csv", OPTIONS, TEMPLATE);
    expect(bare.pods.map((pod) => pod.name)).toEqual(read.pods.map((pod) => pod.name));
  });

  it("instanceScale keeps a share of each task's instances, at least one; too many instances is an error saying what to do", async () => {
    // 2 × 0.4 = 0.8 → 1; 3 × 0.4 = 1.2 → 1; 1 → 1
    const scaled = await readAlibaba2017Tasks(write(rows), "batch_task.csv", { ...OPTIONS, instanceScale: 0.4 }, TEMPLATE);
    expect([...scaled.pods, ...scaled.actions.flatMap((action) => (action.action === "createPod" ? [action.pod] : []))].map((pod) => pod.name)).toEqual(["job-3-task-4-0", "job-5-task-1-0", "job-3-task-5-0", "job-4-task-7-0"]);
    await expect(readAlibaba2017Tasks(write([HEADER, "0,60,3,4,2000001,Terminated,50,0.01"]), "b.csv", OPTIONS, TEMPLATE)).rejects.toThrow("b.csv:2:5: the tasks so far hold over 2,000,000 instances, more pods than a run holds: keep a share with sample (of the tasks) or instanceScale (of each task's instances), e.g. instanceScale: 0.1");
    await expect(readAlibaba2017Tasks(write([HEADER, "0,60,3,4,2,Done,50,0.01"]), "b.csv", OPTIONS, TEMPLATE)).rejects.toThrow('b.csv:2:6: status must be one of Terminated, Failed, Running, Waiting, got "Done"');
  });
});

describe("alibaba-2018 machine_meta", () => {
  it("a node per machine from its first USING row, its failure domains as labels", async () => {
    const path = write([
      "m_1,0,219,17,96,100,USING", //              node machine-m-1 at 0: 96 cpu, 128Gi
      "m_1,500,219,17,96,100,USING", //            the same machine again: nothing new
      "m_2,0,12,3,96,50,IMPORT_INSTALLING", //     not in service yet…
      "m_2,700,12,3,96,50,USING", //               …joins at 700 with 64Gi
    ]);
    const read = await readAlibaba2018Machines(path, "machine_meta.csv", OPTIONS);
    expect(read.nodes.map((node) => [node.name, node.allocatable, node.labels["alibaba.com/failure-domain-1"]])).toEqual([["machine-m-1", { cpu: 96_000, memory: 128 * GI, pods: 110 }, "219"]]);
    expect(read.actions.map((action) => [action.at, action.action, action.action === "addNode" ? action.node.allocatable["memory"] : 0])).toEqual([[700, "addNode", 64 * GI]]);
    await expect(readAlibaba2018Machines(write(["m_1,0,219,17,96,100,BROKEN"]), "m.csv", OPTIONS)).rejects.toThrow('m.csv:1:7: status must be USING or IMPORT_INSTALLING, got "BROKEN"');
  });
});

describe.runIf(existsSync(SHARED))("the real tables (../shared/traces)", () => {
  it("2017: 1,313 machines at 0 and 39 errors; 80,553 tasks; 2018: 4,033 machines in service", async () => {
    const machines = await readAlibaba2017Machines(join(SHARED, "alibaba-v2017/server_event.csv"), "server_event.csv", OPTIONS);
    expect([machines.nodes.length, machines.actions.length, machines.errors]).toEqual([1313, 0, 39]);
    const tasks = await readAlibaba2017Tasks(join(SHARED, "alibaba-v2017/batch_task.csv"), "batch_task.csv", { ...OPTIONS, sample: 0.01, instanceScale: 0.01 }, TEMPLATE);
    expect(tasks.tasks).toBe(80_553);
    const meta = await readAlibaba2018Machines(join(SHARED, "alibaba-v2018/machine_meta.csv"), "machine_meta.csv", OPTIONS);
    expect(meta.nodes.length + meta.actions.length).toBe(4033);
  });
});
