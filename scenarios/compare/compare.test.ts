/**
 * compare: candidates and seeds as a person writes them, the median and range over seeds, and
 * through the CLI (worker threads from the built package): a policy against itself gives identical
 * columns, and the results do not depend on the number of threads.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mainAsync } from "../cli/main.js";
import { memoryOutput } from "../cli/output.js";
import { packageRoot } from "../cli/run.js";
import { candidatesOf, comparisonOf, comparisonTable, comparisonVerdict, seedsOf, spread, type Comparison } from "./compare.js";
import { runCandidate } from "./worker.js";

async function cli(...args: string[]) {
  const output = memoryOutput();
  const code = await mainAsync(args, output);
  return { code, out: output.out.join("\n"), err: output.err.join("\n") };
}

describe("compare's inputs", () => {
  it("candidates: comma lists and repeats, configurations after policies, a repeated name numbered", () => {
    expect(candidatesOf(["kube,first-fit", "first-fit"], ["/x/most.yaml"]).map((candidate) => candidate.name)).toEqual(["kube", "first-fit", "first-fit (2)", "kube:most.yaml"]);
    expect(candidatesOf([], ["a.yaml"])).toEqual([{ name: "kube:a.yaml", policy: "kube", config: "a.yaml" }]);
    expect(() => candidatesOf(["kube,fastest"], [])).toThrow(/unknown policy "fastest"; valid: kube, first-fit, best-fit, worst-fit/);
    expect(() => candidatesOf([], [])).toThrow(/nothing to compare/);
  });

  it("seeds: one, a range or a list; anything else says what is valid", () => {
    expect(seedsOf("4")).toEqual([4]);
    expect(seedsOf("1..5")).toEqual([1, 2, 3, 4, 5]);
    expect(seedsOf("1,3,7")).toEqual([1, 3, 7]);
    expect(() => seedsOf("5..1")).toThrow(/must go upwards/);
    expect(() => seedsOf("1,1")).toThrow(/names a seed twice/);
    expect(() => seedsOf("one")).toThrow(/valid: 4, 1\.\.5 or 1,3,7/);
  });

  it("the spread over seeds: the median (the middle two's mean for an even count), the least, the most", () => {
    expect(spread([3, 1, 2])).toMatchObject({ median: 2, min: 1, max: 3, values: [3, 1, 2] });
    expect(spread([4, 1, 2, 10])).toMatchObject({ median: 3, min: 1, max: 10 }); // (2 + 4)/2
    expect(spread([null, 5])).toMatchObject({ median: 5, min: 5, max: 5 });
    expect(spread([null])).toMatchObject({ median: null, min: null, max: null });
  });
});

describe("the table and the verdict", () => {
  // The seed example under first fit: 1 node in use all along, 1.2 pods pending on average, pods waiting 0s–10m.
  const seedRun = runCandidate({ source: { validate: "warn" }, seed: 1, candidate: { name: "a", policy: "first-fit" }, interval: 60 });
  const base = seedRun.summary;
  // A second candidate, made by hand: 2 nodes in use on average, 0.5 pending, waiting only [0, 30).
  const other = { ...base, nodes: { ...base.nodes, meanInUse: 2 }, pending: { ...base.pending, mean: 0.5 }, unschedulable: [[0, 30]] as [number, number][] };
  const candidates = [{ name: "a", policy: "first-fit" as const }, { name: "b", policy: "best-fit" as const }];

  it("says which packs tightest and which keeps pods waiting least, with both figures", () => {
    const comparison = comparisonOf("seed", candidates, [1], [seedRun, { summary: other, rows: [] }]);
    expect(base.nodes.meanInUse).toBe(1);
    expect(comparisonVerdict(comparison)).toEqual([
      "Packs tightest: a (1 node(s) in use on average, against 2 for b).",
      "Least waiting: b (0.5 pods pending on average, pods waited 30s; a: 1.2, 10m).",
    ]);
    expect(comparisonTable(comparison)).toMatch(/^nodes in use \(mean\)\s+1\s+2$/m);
  });

  it("a range only where the seeds differ as shown: 1.2 and 1.2004 read as one value, 1 and 2 as [1–2]", () => {
    const nudged = { ...base, pending: { ...base.pending, mean: 1.2004 } };
    const comparison = comparisonOf("seed", [candidates[0] as (typeof candidates)[0]], [1, 2], [seedRun, { summary: { ...nudged, nodes: { ...base.nodes, meanInUse: 2 } }, rows: [] }]);
    const table = comparisonTable(comparison);
    expect(table).toMatch(/^pending \(mean\)\s+1\.2$/m);
    expect(table).toMatch(/^nodes in use \(mean\)\s+1\.5 \[1–2\]$/m); // the median of 1 and 2
  });
});

describe("timoneiro compare", () => {
  const scenario = join(packageRoot(), "examples/node-failure.yaml");

  it("a policy against itself: identical columns; the same JSON on one thread and on two", async () => {
    const one = await cli("compare", scenario, "--policy", "first-fit,first-fit,best-fit", "--seeds", "1..2", "--threads", "1", "-o", "json");
    const two = await cli("compare", scenario, "--policy", "first-fit,first-fit,best-fit", "--seeds", "1..2", "--threads", "2", "-o", "json");
    expect(one.code, one.err).toBe(0);
    expect(two.code, two.err).toBe(0);
    expect(one.err).toContain("3 candidate(s) × 2 seed(s) = 6 run(s) of \"node-failure\" on 1 thread(s)");
    expect(two.err).toContain("on 2 thread(s)");
    expect(two.out).toBe(one.out);
    const comparison = JSON.parse(one.out) as Comparison;
    expect(comparison.candidates.map((candidate) => candidate.name)).toEqual(["first-fit", "first-fit (2)", "best-fit"]);
    for (const figure of comparison.figures) expect(figure.candidates["first-fit (2)"], figure.name).toEqual(figure.candidates["first-fit"]);
    // Every run's summary is there, candidate by candidate, seed by seed.
    expect(comparison.runs.map((run) => `${run.candidate}/${run.seed}`)).toEqual(["first-fit/1", "first-fit/2", "first-fit (2)/1", "first-fit (2)/2", "best-fit/1", "best-fit/2"]);
  }, 60_000);

  it("the table: figures as rows, candidates as columns, each cell what that run's summary says", async () => {
    const dir = mkdtempSync(join(tmpdir(), "timoneiro-compare-"));
    const result = await cli("compare", scenario, "--policy", "kube,first-fit", "--out", dir);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^FIGURE\s+kube\s+first-fit$/m);
    // kube spreads web over the three nodes, so node-2's failure hits two web pods (below desired 1m45s–7m) besides
    // the start-up (0s–10s) and node-3's removal (12m40s–12m50s): 10 + 315 + 10 = 335 s = 5m35s, as describe service says.
    expect(result.out).toMatch(/^Service time below desired \(Σ Services\)\s+5m35s\s+/m);
    const comparison = JSON.parse(readFileSync(join(dir, "compare.json"), "utf8")) as Comparison;
    const kube = comparison.runs.find((run) => run.candidate === "kube")?.summary;
    expect(kube?.services["default/web"]?.belowDesired).toEqual([[0, 10], [105, 420], [760, 770]]);
    expect(readFileSync(join(dir, "compare.html"), "utf8")).toContain("<title>Timoneiro comparison: node-failure</title>");
  }, 60_000);

  it("bad input is exit 2, before any thread starts", async () => {
    expect(await cli("compare", scenario, "--policy", "fastest")).toMatchObject({ code: 2, err: expect.stringContaining("unknown policy \"fastest\"") });
    expect(await cli("compare", scenario, "--policy", "kube", "--seeds", "x")).toMatchObject({ code: 2, err: expect.stringContaining("--seeds:") });
    expect(await cli("compare", scenario)).toMatchObject({ code: 2, err: expect.stringContaining("nothing to compare") });
    expect(await cli("compare", "/nonexistent.yaml", "--policy", "kube")).toMatchObject({ code: 2, err: expect.stringContaining("cannot read scenario /nonexistent.yaml") });
    expect(await cli("compare", scenario, "--policy", "kube", "--threads", "0")).toMatchObject({ code: 2, err: expect.stringContaining("--threads: must be at least 1") });
    expect(await cli("compare", scenario, "--policy", "kube", "--out", "/proc/timoneiro-out")).toMatchObject({ code: 2, err: expect.stringContaining("--out /proc/timoneiro-out: cannot make the folder: no folder can be made there") });
  });
});
