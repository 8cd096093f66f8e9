/**
 * Long runs (a trace of months): the metrics' default interval grows so a run has at most 10,000
 * of them, the same for `run` and `report`; metrics.json is written a row at a time, compared
 * with JSON.stringify's text.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { MetricsRow } from "../metrics/metrics.js";
import { cli } from "./testing.js";
import { defaultInterval, writeMetricsJson } from "./run.js";

describe("metrics.json", () => {
  it("written a row at a time, it is JSON.stringify's text, rows or none", () => {
    const dir = mkdtempSync(join(tmpdir(), "metrics-json-"));
    const rows = [{ from: 0, requested: { cpu: 500 }, lowerBound: { "cpu=1": 2 } }, { from: 60, requested: {}, lowerBound: {} }] as unknown as MetricsRow[];
    for (const list of [rows, []]) {
      writeMetricsJson(join(dir, "metrics.json"), 60, list);
      expect(readFileSync(join(dir, "metrics.json"), "utf8")).toBe(JSON.stringify({ intervalSeconds: 60, rows: list }, null, 2) + "\n");
    }
  });
});

describe("the metrics' interval of a long run", () => {
  it("1m up to a week, then the first step within 10,000 intervals; run and report agree", () => {
    // an hour: 3601 / 60 = 60 intervals; a week (604,800 s): 10,081 at 1m, 2,017 at 5m; the openb trace's 12,902,961 s:
    // 14,337 at 15m, 3,585 at 1h; ten years: 3,651 at 1d; a century: over 10,000 even at 1d, so 1d.
    expect([3600, 604_800, 12_902_960, 315_360_000, 3_153_600_000].map(defaultInterval)).toEqual([60, 300, 3600, 86_400, 86_400]);
    const dir = mkdtempSync(join(tmpdir(), "long-run-"));
    const scenario = join(dir, "month.yaml");
    writeFileSync(scenario, [
      "apiVersion: timoneiro.dev/v1", "kind: Scenario", "metadata: {name: a-month}", "spec:", "  until: 720h",
      "  cluster: {nodes: [{apiVersion: v1, kind: Node, metadata: {name: n1}, status: {allocatable: {cpu: '4', memory: 8Gi}}}]}",
      "  workloads: [{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: x, resources: {requests: {cpu: '1'}}}]}}]",
    ].join("\n") + "\n");
    // 720 h = 2,592,000 s: 43,201 intervals at 1m, 8,641 at 5m
    const run = cli("run", scenario, "--out", join(dir, "out"));
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain("metrics: 8641 interval(s) of 5m written");
    const csv = readFileSync(join(dir, "out", "metrics.csv"), "utf8");
    const report = cli("report", join(dir, "out", "events.jsonl"), "--out", join(dir, "again"));
    expect(report.code, report.err).toBe(0);
    expect(readFileSync(join(dir, "again", "metrics.csv"), "utf8")).toBe(csv);
  });
});
