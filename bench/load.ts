/**
 * `load/manifests/{n}-pods`: what a new user pays to run their own manifests — the CLI's
 * `timoneiro run -f FILE --until 1s`, from reading the file to the printed tables, on the shared
 * workload (DESIGN.md "Benchmarks": nodes of 64 cores / 256 GiB / 110 pods, pods of 50–1500m and
 * 128 MiB–6 GiB) written as manifests, one node per 70 pods so that every pod fits.
 *
 * Each measurement runs in a process of its own (its peak RSS is the run's): a JSON List (as
 * `kubectl get -o json` writes it) and multi-document YAML, plus the load alone (reading and
 * converting the manifests, no run) for the JSON List, and for a Scenario file holding the same
 * pods inline (one YAML document).
 *
 *   node dist/bench/load.js [pods]        the lines, as `npm run bench` prints them
 *   node dist/bench/load.js child F MODE  one measurement (MODE run or load): {"ms":…,"rssMiB":…}
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatBytes, formatCpuMillis } from "../core/index.js";
import { loadManifestPaths } from "../scenarios/loaders/manifests.js";
import { loadScenarioText } from "../scenarios/loaders/scenario.js";
import { main } from "../scenarios/cli/main.js";
import { median, timeMs, type BenchResult } from "./engine.js";
import { makeNodes, makePods } from "./workload.js";

/** Writes the shared workload as manifests: a JSON List, or YAML documents. */
function writeManifests(file: string, pods: number, format: "json" | "yaml"): void {
  const nodes = makeNodes(Math.ceil(pods / 70), 1).map((node) => ({
    apiVersion: "v1", kind: "Node", metadata: { name: node.name },
    status: { allocatable: { cpu: formatCpuMillis(node.allocatable["cpu"] ?? 0), memory: formatBytes(node.allocatable["memory"] ?? 0), pods: "110" } },
  }));
  const podManifests = makePods(pods, 1).map((pod) => ({
    apiVersion: "v1", kind: "Pod", metadata: { name: pod.name, namespace: pod.namespace },
    spec: { containers: pod.containers.map((container) => ({ name: container.name, image: container.image, resources: { requests: { cpu: formatCpuMillis(container.requests["cpu"] ?? 0), memory: formatBytes(container.requests["memory"] ?? 0) } } })) },
  }));
  const descriptor = openSync(file, "w");
  const objects = [...nodes, ...podManifests];
  if (format === "json") {
    writeSync(descriptor, '{"apiVersion":"v1","kind":"List","items":[\n');
    objects.forEach((object, index) => writeSync(descriptor, (index === 0 ? "" : ",\n") + JSON.stringify(object, null, 2)));
    writeSync(descriptor, "\n]}\n");
  } else {
    for (const object of objects) writeSync(descriptor, `---\n${toYaml(object, "")}`);
  }
  closeSync(descriptor);
}

/** The same workload as a Scenario file: a node pool and every pod inline in `workloads` (one YAML document). */
function writeScenario(file: string, pods: number): void {
  const descriptor = openSync(file, "w");
  writeSync(descriptor, `apiVersion: timoneiro.dev/v1\nkind: Scenario\nmetadata: {name: load}\nspec:\n  until: 1s\n  cluster:\n    pools:\n    - {name: node, count: ${Math.ceil(pods / 70)}, template: {status: {allocatable: {cpu: "64", memory: 256Gi, pods: "110"}}}}\n  workloads:\n`);
  for (const pod of makePods(pods, 1)) {
    const requests = pod.containers[0]?.requests ?? {};
    writeSync(descriptor, `  - {apiVersion: v1, kind: Pod, metadata: {name: ${pod.name}}, spec: {containers: [{name: app, image: "example/app:1", resources: {requests: {cpu: ${formatCpuMillis(requests["cpu"] ?? 0)}, memory: ${formatBytes(requests["memory"] ?? 0)}}}}]}}\n`);
  }
  closeSync(descriptor);
}

/** Block YAML for the plain objects above (maps, one list of maps, strings). */
function toYaml(value: Record<string, unknown>, indent: string): string {
  return Object.entries(value).map(([key, item]) => {
    if (Array.isArray(item)) return `${indent}${key}:\n${item.map((entry) => `${indent}- ${toYaml(entry as Record<string, unknown>, `${indent}  `).trimStart()}`).join("")}`;
    if (typeof item === "object" && item !== null) return `${indent}${key}:\n${toYaml(item as Record<string, unknown>, `${indent}  `)}`;
    return `${indent}${key}: ${JSON.stringify(item)}\n`;
  }).join("");
}

const SILENT = { print: () => undefined, error: () => undefined };

/** One measurement in this process: the CLI run, or the load alone (of manifests, or of a scenario file). */
function child(file: string, mode: "run" | "load" | "scenario"): { ms: number; rssMiB: number } {
  const ms = timeMs(() => {
    if (mode === "load") loadManifestPaths([file], { validate: "warn", recursive: false });
    else if (mode === "scenario") {
      if (loadScenarioText(readFileSync(file, "utf8"), file, { validate: "warn" }).scenario === undefined) throw new Error(`scenario ${file} does not load`);
    } else if (main(["run", "-f", file, "--until", "1s"], SILENT) !== 0) throw new Error(`timoneiro run -f ${file} failed`);
  });
  return { ms, rssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
}

/** `load/manifests/{pods}-pods…` lines, each a median of `repeats` processes. */
export function loadManifests(pods: number, repeats: number): BenchResult[] {
  const dir = mkdtempSync(join(tmpdir(), "timoneiro-load-"));
  // The built script (tests run this file from source, and node runs only JavaScript).
  const here = fileURLToPath(import.meta.url);
  const script = here.includes(join("dist", "bench")) ? here : join(here, "..", "..", "dist", "bench", "load.js");
  const measure = (file: string, mode: "run" | "load" | "scenario") => {
    const runs = Array.from({ length: repeats }, () => {
      const result = spawnSync(process.execPath, [script, "child", file, mode], { encoding: "utf8", maxBuffer: 1 << 20 });
      if (result.status !== 0) throw new Error(`load benchmark child failed: ${result.stderr}`);
      return JSON.parse(result.stdout) as { ms: number; rssMiB: number };
    });
    return { seconds: median(runs.map((run) => run.ms)) / 1000, rssMiB: median(runs.map((run) => run.rssMiB)) };
  };
  const name = `load/manifests/${pods >= 1000 && pods % 1000 === 0 ? `${pods / 1000}k` : pods}-pods`;
  try {
    const json = join(dir, "pods.json");
    const yaml = join(dir, "pods.yaml");
    const scenario = join(dir, "scenario.yaml");
    writeManifests(json, pods, "json");
    writeManifests(yaml, pods, "yaml");
    writeScenario(scenario, pods);
    const run = measure(json, "run");
    const load = measure(json, "load");
    const yamlRun = measure(yaml, "run");
    const scenarioLoad = measure(scenario, "scenario");
    const round = (seconds: number) => Math.round(seconds * 100) / 100;
    return [
      { name, value: round(run.seconds), unit: "s", median_of: repeats },
      { name: `${name}-rss`, value: run.rssMiB, unit: "MiB", median_of: repeats },
      { name: `${name}/load-only`, value: round(load.seconds), unit: "s", median_of: repeats },
      { name: `${name}/yaml`, value: round(yamlRun.seconds), unit: "s", median_of: repeats },
      { name: `${name}/yaml-rss`, value: yamlRun.rssMiB, unit: "MiB", median_of: repeats },
      { name: `${name}/scenario-load-only`, value: round(scenarioLoad.seconds), unit: "s", median_of: repeats },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  if (process.argv[2] === "child") {
    const mode = process.argv[4] === "load" || process.argv[4] === "scenario" ? process.argv[4] : "run";
    process.stdout.write(JSON.stringify(child(process.argv[3] as string, mode)));
  } else {
    for (const result of loadManifests(Number(process.argv[2] ?? 100_000), 3)) process.stdout.write(JSON.stringify(result) + "\n");
  }
}
