/**
 * `timoneiro bench fgd` through the CLI: a small trace worked out by hand, bad input, their
 * expected results read back, and — with ../shared/traces — the paper's experiment itself, each
 * policy within a point of their simulator's expected results and in their order.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GPU_POLICIES } from "../../core/index.js";
import { cliAsync } from "../cli/testing.js";
import { expectedResults, type FgdResult } from "./fgd.js";

const NODE_HEADER = "sn,cpu_milli,memory_mib,gpu,model";
const POD_HEADER = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time";
const SHARED = join(import.meta.dirname, "../../../shared/traces/alibaba-gpu-v2023");

function smallTrace(): { nodes: string; pods: string } {
  const dir = mkdtempSync(join(tmpdir(), "fgd-"));
  const nodes = join(dir, "nodes.csv");
  const pods = join(dir, "pods.csv");
  writeFileSync(nodes, [NODE_HEADER, "a,16000,64000,1,T4", "b,64000,256000,2,T4"].join("\n") + "\n");
  writeFileSync(pods, [POD_HEADER, "p1,8000,1000,1,600,,LS,Running,0,10,0", "p2,8000,1000,1,600,,LS,Running,0,10,0", "p3,8000,1000,1,600,,LS,Running,0,10,0"].join("\n") + "\n");
  return { nodes, pods };
}

describe("bench fgd on a small trace", () => {
  it("-o json: per policy the figures by arrived %, as worked out by hand", async () => {
    const trace = smallTrace();
    const result = await cliAsync("bench", "fgd", "--nodes", trace.nodes, "--pods", trace.pods, "--policies", "bestfit,DotProd", "--seeds", "1,2", "-o", "json", "--threads", "1");
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out) as FgdResult;
    expect(Object.keys(json.policies)).toEqual(["BestFit", "DotProduct"]);
    expect([json.nodes, json.gpus, json.tracePods, json.seeds]).toEqual([2, 3, 3, [1, 2]]);
    // 3000 milli-GPU; three pods of 600m, clones to 3600 (six pods). Pod 1 on a (its only card: 400 left), pods 2 and 3
    // on b's cards; pods 4–6 fit nowhere. At 100% (3000 arrived, pod 5): 1800 allocated = 60%; the typical pod (600m, 8
    // cores) cannot use a's 400 nor b's two 400s: 1200 = 40% of the GPUs, all the idle GPU (100%).
    for (const policy of ["BestFit", "DotProduct"]) {
      expect(json.policies[policy]?.arrived["100"]).toEqual({ gpuAllocation: 60, fragAmount: 40, fragRatio: 100 });
      expect(json.policies[policy]?.arrived["20"]).toEqual({ gpuAllocation: 20, fragAmount: 13.33, fragRatio: 16.67 });
      expect([json.policies[policy]?.pods, json.policies[policy]?.failed]).toEqual([6, 3]);
      expect(json.policies[policy]?.seconds).toHaveLength(2);
      // not their trace: no expected results
      expect(json.policies[policy]?.expected).toBeUndefined();
    }
  });

  it("the table and --out: fgd.json and fgd.html", async () => {
    const trace = smallTrace();
    const out = join(mkdtempSync(join(tmpdir(), "fgd-")), "results");
    const result = await cliAsync("bench", "fgd", "--nodes", trace.nodes, "--pods", trace.pods, "--seeds", "7", "--out", out);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^BestFit\s+60\.00\s+40\.00\s+100\.00\s+3 of 6\s+\d+\.\d{3}$/m);
    expect(result.out).toContain("Ranking by GPU allocation at 100%:");
    expect(result.err).toContain("6 policies × 1 seed(s) = 6 run(s)");
    expect((JSON.parse(readFileSync(join(out, "fgd.json"), "utf8")) as FgdResult).policies["FGD"]?.arrived["100"]?.gpuAllocation).toBe(60);
    expect(readFileSync(join(out, "fgd.html"), "utf8")).toContain("<title>Timoneiro: the FGD experiment (2 nodes, 3 GPUs)</title>");
  });

  it("--typical-pods prints FGDScore's pluginConfig: the trace's pod shapes and their shares", async () => {
    const trace = smallTrace();
    // three pods of one shape (8 cores, 600m of a card): one typical pod, all of them
    const printed = await cliAsync("bench", "fgd", "--nodes", trace.nodes, "--pods", trace.pods, "--typical-pods");
    expect(printed.code, printed.err).toBe(0);
    expect(printed.out.split("\n").slice(2)).toEqual(["pluginConfig:", "  - name: FGDScore", "    args:", "      typicalPods:", "        - {milliCpu: 8000, milliGpu: 600, gpuNumber: 1, percentage: 1}"]);
    expect(printed.out.split("\n")[0]).toContain("1 shapes, 100.00% of its 3 pods");
  });

  it("bad input: exit 2 and what would be valid", async () => {
    const trace = smallTrace();
    const policy = await cliAsync("bench", "fgd", "--nodes", trace.nodes, "--pods", trace.pods, "--policies", "FGD,Tetris");
    expect(policy.code).toBe(2);
    expect(policy.err).toContain(`--policies: unknown policy "Tetris"; valid: ${GPU_POLICIES.join(", ")}`);
    const none = await cliAsync("bench", "fgd");
    expect(none.code).toBe(2);
    expect(none.err).toContain("bench fgd needs the openb trace (Alibaba's cluster-trace-gpu-v2023): --trace DIR");
    const bad = join(mkdtempSync(join(tmpdir(), "fgd-")), "pods.csv");
    writeFileSync(bad, [POD_HEADER, "p1,8000,1000,1,600,,LS,Running,0,10,0", "p2,8000,1000,1,6000,,LS,Running,0,10,0"].join("\n") + "\n");
    const row = await cliAsync("bench", "fgd", "--nodes", trace.nodes, "--pods", bad);
    expect(row.code).toBe(2);
    expect(row.err).toContain(`${bad}:3:5: gpu_milli must be the share of each card, 1 to 1000, for a pod with GPUs, got 6000`);
    expect(row.err).not.toMatch(/\n\s+at /);
    const seeds = await cliAsync("bench", "fgd", "--nodes", trace.nodes, "--pods", trace.pods, "--seeds", "5..1");
    expect(seeds.code).toBe(2);
  });
});

describe("their expected results (data/fgd-expected)", () => {
  it("the medians over seeds 42–51 at 100% arrived, as computed from their CSV rows by hand", () => {
    const expected = expectedResults();
    // FGD's ten allocations at 100: 95.06 95.14 95.14 95.15 95.18 95.28 95.29 95.30 95.35 95.38; the middle two (95.18 + 95.28) / 2 = 95.23
    expect(expected.get("FGD")?.["100"]?.gpuAllocation).toBeCloseTo(95.23, 9);
    expect(expected.get("Random")?.["100"]?.gpuAllocation).toBeCloseTo(86.25, 9);
    expect(expected.get("BestFit")?.["100"]?.fragAmount).toBeCloseTo(7.015, 9);
    expect(expected.get("FGD")?.["100"]?.fragAmount).toBeCloseTo(4.735, 9);
    expect(Object.keys(expected.get("DotProduct") ?? {})).toHaveLength(131);
  });
});

describe.runIf(existsSync(SHARED))("the paper's experiment on the openb trace (../shared/traces)", () => {
  it("examples/gpu-sharing-fgd.ksc.yaml holds the trace's typical pods as --typical-pods prints them", async () => {
    const printed = await cliAsync("bench", "fgd", "--trace", SHARED, "--typical-pods");
    const example = readFileSync(join(import.meta.dirname, "../../examples/gpu-sharing-fgd.ksc.yaml"), "utf8");
    const entries = (text: string) => text.split("\n").filter((line) => line.trim().startsWith("- {milliCpu:")).map((line) => line.trim());
    expect(entries(printed.out)).toHaveLength(35);
    expect(entries(example)).toEqual(entries(printed.out));
  });

  it("every policy within a point of their expected results at 100% arrived (allocation and fragmentation), in their order", async () => {
    const result = await cliAsync("bench", "fgd", "--trace", SHARED, "-o", "json");
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out) as FgdResult;
    expect([json.nodes, json.gpus, json.tracePods]).toEqual([1213, 6212, 8152]);
    for (const policy of GPU_POLICIES) {
      const ours = json.policies[policy]?.arrived["100"];
      const theirs = json.policies[policy]?.expected?.["100"];
      expect(Math.abs((ours?.gpuAllocation ?? 0) - (theirs?.gpuAllocation ?? 100)), `${policy} allocation`).toBeLessThan(1);
      expect(Math.abs((ours?.fragAmount ?? 0) - (theirs?.fragAmount ?? 100)), `${policy} fragmentation`).toBeLessThan(1);
    }
    const order = (pick: (policy: string) => number) => [...GPU_POLICIES].sort((a, b) => pick(a) - pick(b));
    expect(order((p) => json.policies[p]?.arrived["100"]?.gpuAllocation ?? 0)).toEqual(order((p) => json.policies[p]?.expected?.["100"]?.gpuAllocation ?? 0));
  }, 120_000);
});
