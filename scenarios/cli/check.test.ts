/**
 * `timoneiro check` and `--plugin`, through the CLI as a researcher uses them: a plugin module
 * on disk, a KubeSchedulerConfiguration that runs it, a counterexample file that `timoneiro run`
 * replays.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cliAsync } from "./testing.js";
import { packageRoot } from "./run.js";

const root = packageRoot();
const BROKEN = join(root, "properties", "fixtures", "cpu-only-plugin.js");
const BROKEN_CONFIG = join(root, "properties", "fixtures", "cpu-only.ksc.yaml");
const EXAMPLE = join(root, "examples", "maintenance-plugin.js");

function folder(): string {
  return mkdtempSync(join(tmpdir(), "timoneiro-check-"));
}

describe("timoneiro check", () => {
  it("shrinks a plugin that ignores memory to a scenario of one node and one pod, which timoneiro run reproduces", async () => {
    const dir = folder();
    const out = join(dir, "cex.yaml");
    const started = Date.now();
    const checked = await cliAsync("check", "--plugin", BROKEN, "--config", BROKEN_CONFIG, "--seed", "1", "--runs", "100", "--out", out);
    expect(Date.now() - started).toBeLessThan(30_000); // "in seconds" (about 1.5 s here)
    expect(checked.code).toBe(1);
    expect(checked.out).toContain("no-overcommit: event");
    expect(checked.out).toContain("where its requests do not fit");
    expect(checked.out).toMatch(/Replay this check: timoneiro check .* --seed 1 --path [\d:]+/);
    const document = parse(readFileSync(out, "utf8")) as { spec: { cluster: { nodes: unknown[] }; workloads?: unknown[]; timeline?: { create?: unknown }[]; scheduler: { config: string; plugins: string[] } } };
    const pods = (document.spec.workloads ?? []).length + (document.spec.timeline ?? []).filter((entry) => entry.create !== undefined).length;
    // Minimal: the over-commit needs one node and one pod asking for more memory than it has.
    expect(document.spec.cluster.nodes.length).toBe(1);
    expect(pods).toBe(1);
    expect(document.spec.scheduler).toEqual({ config: relative(dir, BROKEN_CONFIG), plugins: [relative(dir, BROKEN)] });
    // The file runs as it is: the kubelet refuses the pod the scheduler bound where it did not fit.
    const run = await cliAsync("run", out, "--show-all");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/PodFailed\s+pod\/default\/pod-1\s+OutOfmemory: Pod was rejected/);
    expect(run.out).toContain("out-of-tree: CpuOnlyFit");
    // The printed seed and path replay the same failure at once.
    const path = /--path ([\d:]+)/.exec(checked.out)?.[1] as string;
    const replayed = await cliAsync("check", "--plugin", BROKEN, "--config", BROKEN_CONFIG, "--seed", "1", "--path", path, "--out", join(dir, "again.yaml"));
    expect(replayed.code).toBe(1);
    expect(readFileSync(join(dir, "again.yaml"), "utf8").replace(/^#.*\n/gm, "")).toBe(readFileSync(out, "utf8").replace(/^#.*\n/gm, ""));
  }, 60_000);

  it("says how many runs held for a sound plugin, with every law", async () => {
    const checked = await cliAsync("check", "--plugin", EXAMPLE, "--seed", "7", "--runs", "15", "--out", join(folder(), "none.yaml"));
    expect(checked.err).toContain("kube-scheduler v1.35 default profile + out-of-tree AvoidMaintenance");
    expect(checked.code).toBe(0);
    expect(checked.out).toBe("15 runs, all laws hold (no-overcommit, ordered-log, state-invariants, freed-once, replay-equals-live, checkpoint-plus-rest, controller-books, same-seed-same-log, fast-equals-reference, scores-in-range, adding-capacity, backoff-as-kubernetes, plugin-contract) for kube-scheduler v1.35 default profile + out-of-tree AvoidMaintenance (at every point each implements). Seed 7.");
  }, 60_000);

  it("catches a plugin that scores out of [0, 100] and one that keeps state between cycles", async () => {
    const dir = folder();
    const big = join(dir, "big-plugin.mjs");
    writeFileSync(big, 'export default { name: "Big", score(cycle, node) { return node.node.allocatable.cpu; } };\n');
    const scored = await cliAsync("check", "--plugin", big, "--law", "scores-in-range", "--seed", "3", "--runs", "50", "--out", join(dir, "big.yaml"));
    expect(scored.code).toBe(1);
    expect(scored.out).toMatch(/scores-in-range: event \d+ at \d+s \(PodUnschedulable default\/pod-\d+\): applying score defaultWeights on Score plugins: plugin "Big" returns an invalid score \d+, it should in the range of \[0, 100\] after normalizing/);
    const counter = join(dir, "counter-plugin.mjs");
    // A score that depends on how many cycles ran before: a second run of the same scenario differs.
    writeFileSync(counter, 'let calls = 0;\nexport default { name: "Counter", score() { calls += 1; return (Math.floor(calls / 3) % 2) * 100; } };\n');
    const counted = await cliAsync("check", "--plugin", counter, "--law", "same-seed-same-log", "--seed", "3", "--runs", "50", "--out", join(dir, "counter.yaml"));
    expect(counted.code).toBe(1);
    expect(counted.out).toMatch(/same-seed-same-log: two runs of the same scenario differ from event \d+/);
  }, 60_000);

  it("reports a plugin that throws as the plugin-contract law, naming the plugin and the point", async () => {
    const dir = folder();
    const thrower = join(dir, "thrower-plugin.mjs");
    writeFileSync(thrower, 'export default { name: "Thrower", filter(cycle, node) { if (node.node.name === "node-2") throw new TypeError("no label"); return { code: "Success" }; } };\n');
    const checked = await cliAsync("check", "--plugin", thrower, "--seed", "2", "--runs", "50", "--out", join(dir, "t.yaml"));
    expect(checked.code).toBe(1);
    expect(checked.out).toContain('plugin-contract: plugin "Thrower" (Filter): threw TypeError: no label');
  }, 60_000);

  it("refuses bad input with exit 2 and what would be valid", async () => {
    const dir = folder();
    expect(await cliAsync("check", "--law", "no-such-law")).toMatchObject({ code: 2, err: expect.stringContaining("--law no-such-law: no such law; the laws are no-overcommit, ordered-log, state-invariants") });
    expect(await cliAsync("check", "--path", "1:2")).toMatchObject({ code: 2, err: expect.stringContaining("--path replays a failure found with a seed: give --seed too") });
    expect(await cliAsync("check", "--plugin", join(dir, "missing.js"))).toMatchObject({ code: 2, err: expect.stringContaining("missing.js: no such plugin module") });
    const empty = join(dir, "empty.mjs");
    writeFileSync(empty, "export const x = 1;\n");
    expect(await cliAsync("check", "--plugin", empty)).toMatchObject({ code: 2, err: expect.stringContaining("empty.mjs: exports no plugin; a plugin module's default export is a plugin object") });
    const clash = join(dir, "clash.mjs");
    writeFileSync(clash, 'export default { name: "NodeResourcesFit", filter() { return { code: "Success" }; } };\n');
    expect(await cliAsync("check", "--plugin", clash)).toMatchObject({ code: 2, err: expect.stringContaining("a plugin named NodeResourcesFit already exists (an in-tree plugin of kube-scheduler v1.35)") });
    const broken = join(dir, "syntax.mjs");
    writeFileSync(broken, "export default {\n");
    const syntax = await cliAsync("check", "--plugin", broken);
    expect(syntax).toMatchObject({ code: 2, err: expect.stringContaining("syntax.mjs: the plugin module does not load (") });
    expect(syntax.err).not.toContain("    at ");
  });
});

describe("--plugin in run, explain and compare", () => {
  const dir = folder();
  const cluster = join(dir, "cluster.yaml");
  // Two nodes alike but for the maintenance label; the plugin's filter refuses node-b.
  writeFileSync(cluster, [
    "apiVersion: v1\nkind: Node\nmetadata: {name: node-a}\nstatus: {allocatable: {cpu: '4', memory: 8Gi, pods: '110'}}",
    "apiVersion: v1\nkind: Node\nmetadata: {name: node-b, labels: {example.com/maintenance: 'true'}}\nstatus: {allocatable: {cpu: '4', memory: 8Gi, pods: '110'}}",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: app, image: nginx, resources: {requests: {cpu: 500m}}}]}",
  ].join("\n---\n") + "\n");

  it("run: the plugin's filter keeps pods off the node under maintenance", async () => {
    const run = await cliAsync("run", "-f", cluster, "--plugin", EXAMPLE, "--until", "1m");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/PodBound\s+pod\/default\/web\s+bound to node-a/);
  });

  it("explain: shows the plugin's verdict per node", async () => {
    const explained = await cliAsync("explain", "-f", cluster, "--pod", "web", "--plugin", EXAMPLE);
    expect(explained.code).toBe(0);
    expect(explained.out).toContain("AvoidMaintenance×1");
    expect(explained.out).toMatch(/node-b\s+no\s+node\(s\) are under maintenance/);
  });

  it("a configuration naming a plugin that is not registered is refused, saying how to register it", async () => {
    const config = join(dir, "ksc.yaml");
    writeFileSync(config, "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - plugins:\n      filter:\n        enabled: [{name: AvoidMaintenance}]\n");
    const refused = await cliAsync("run", "-f", cluster, "--config", config);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('"AvoidMaintenance" is not an in-tree plugin of kube-scheduler v1.35, nor one Timoneiro bundles (Open-Gpu-Share, BestFitScore, DotProductScore, GpuClusteringScore, GpuPackingScore, FGDScore), nor an out-of-tree plugin of this run (none is registered); write it as a plugin module and register it with --plugin FILE');
    const accepted = await cliAsync("run", "-f", cluster, "--config", config, "--plugin", EXAMPLE, "--until", "1m");
    expect(accepted.code).toBe(0);
    expect(accepted.out).toMatch(/bound to node-a/);
  });

  it("compare: worker threads load the plugin too", async () => {
    const compared = await cliAsync("compare", "-f", cluster, "--policy", "kube,first-fit", "--plugin", EXAMPLE, "--until", "1m", "-o", "json", "--threads", "2");
    expect(compared.code).toBe(0);
    expect(JSON.parse(compared.out)).toMatchObject({ candidates: [{ name: "kube" }, { name: "first-fit" }] });
  }, 60_000);
});
