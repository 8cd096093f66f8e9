/**
 * `run --trace KIND:PATH` through the CLI: a small Google 2011 trace folder written here runs
 * end to end; bad flags and bad rows are exit 2 with what would be valid.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { cliAsync } from "./testing.js";

const START = 600_000_000; // the trace starts at 600 s, in microseconds

function traceFolder(machines: readonly string[], tasks: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "google-trace-"));
  mkdirSync(join(dir, "machine_events"));
  mkdirSync(join(dir, "task_events"));
  writeFileSync(join(dir, "machine_events", "part-00000-of-00001.csv.gz"), gzipSync(machines.join("\n") + "\n"));
  writeFileSync(join(dir, "task_events", "part-00000-of-00001.csv.gz"), gzipSync(tasks.join("\n") + "\n"));
  return dir;
}

describe("run --trace", () => {
  it("runs a Google 2011 trace folder: machines are nodes, tasks are pods that run as long as the trace says", async () => {
    // One machine of 0.5 × 32 = 16 cpu; task 1/0 asks 0.25 × 32 = 8 cpu at tick 0 and runs 120 s;
    // task 1/1 is submitted at tick 60 and never ends in the trace.
    const dir = traceFolder(["0,1,0,P,0.5,0.5"], [
      "0,,1,0,,0,U,1,0,0.25,0.1,,", "0,,1,0,,1,U,1,0,0.25,0.1,,", `${START + 120_000_000},,1,0,,4,U,1,0,,,,`,
      `${START + 60_000_000},,1,1,,0,U,1,0,0.25,0.1,,`,
    ]);
    const run = await cliAsync("run", "--trace", `google-2011:${dir}`, "--show-all");
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/0s\s+NodeJoined\s+node\/machine-1\s+allocatable cpu 16/);
    expect(run.out).toMatch(/1m\s+PodCreated\s+pod\/default\/job-1-1\s+requests cpu 8/);
    expect(run.out).toMatch(/2m\s+PodSucceeded\s+pod\/default\/job-1-0/);
    // The run ends a second after the tasks' last event (job-1-0's end at 120 s).
    expect(run.out).toContain("Summary (0s–2m1s)");
  });

  it("refuses a kind it does not know, a folder without the tables, and a bad row — exit 2, saying what is valid", async () => {
    expect(await cliAsync("run", "--trace", "borg:/tmp")).toMatchObject({ code: 2, err: expect.stringContaining("--trace borg:/tmp: give KIND:PATH, KIND one of google-2011") });
    const empty = mkdtempSync(join(tmpdir(), "google-trace-"));
    expect(await cliAsync("run", "--trace", `google-2011:${empty}`)).toMatchObject({ code: 2, err: expect.stringContaining("is not a folder of .csv or .csv.gz parts (a google-2011 trace folder holds machine_events/ and task_events/)") });
    const bad = traceFolder(["0,1,0,P,0.5,0.5"], ["0,,1,zero,,0,U,1,0,0.25,0.1,,"]);
    const refused = await cliAsync("run", "--trace", `google-2011:${bad}`);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('task_events/part-00000-of-00001.csv.gz:1:4: task index must be a whole number, got "zero"');
    expect(refused.err).not.toContain("    at ");
  });

  it("runs an openb folder (the whole cluster's nodes, the default pods) and an Alibaba 2017 folder, each from its CSVs", async () => {
    const openb = mkdtempSync(join(tmpdir(), "openb-trace-"));
    writeFileSync(join(openb, "openb_node_list_all_node.csv"), "sn,cpu_milli,memory_mib,gpu,model\nopenb-node-0000,32000,131072,0,\nopenb-node-0001,64000,262144,2,P100\n");
    // a one-GPU pod (the GPU node only), created at 10 s and deleted at 70 s
    writeFileSync(join(openb, "openb_pod_list_default.csv"), "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\nopenb-pod-0000,4000,8192,1,1000,,LS,Running,10,70,10\n");
    const run = await cliAsync("run", "--trace", `openb:${openb}`, "--show-all");
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/10s\s+PodBound\s+pod\/default\/openb-pod-0000\s+bound to openb-node-0001/);
    expect(run.out).toMatch(/1m10s\s+PodDeleted\s+pod\/default\/openb-pod-0000/);
    const alibaba = mkdtempSync(join(tmpdir(), "alibaba-trace-"));
    writeFileSync(join(alibaba, "server_event.csv"), "0,1,add,,64,0.5,1\n");
    // 100 instances at 0, scaled to 1 by run --trace's instanceScale 0.01: 1 cpu, runs 30 s
    writeFileSync(join(alibaba, "batch_task.csv"), "0,30,7,1,100,Terminated,100,0.01\n");
    const batch = await cliAsync("run", "--trace", `alibaba-2017:${alibaba}`, "--show-all");
    expect(batch.code, batch.err).toBe(0);
    expect(batch.out).toMatch(/0s\s+PodCreated\s+pod\/default\/job-7-task-1-0\s+requests cpu 1/);
    expect(batch.out).not.toContain("job-7-task-1-1");
    expect(batch.out).toMatch(/30s\s+PodSucceeded\s+pod\/default\/job-7-task-1-0/);
  });
});
