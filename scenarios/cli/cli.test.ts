import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runScenario, serializeState, type Service } from "../../core/index.js";
import { readEventLog, replayLog } from "../log/files.js";
import { loadScenarioText } from "../loaders/scenario.js";
import { BUILT_IN_EXAMPLE, packageRoot } from "./run.js";
import { serviceAvailability } from "./services.js";
import { cli } from "./testing.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "timoneiro-"));
}

/** The row of the events table for this event type and object, or -1. */
function rowIndex(out: string, type: string, object: string): number {
  return out.split("\n").findIndex((line) => new RegExp(`^\\S+\\s+${type}\\s+${object.replace(/\//g, "\\/")}\\s`).test(line));
}

describe("timoneiro run (the seed example, the built-in default)", () => {
  const result = cli("run");

  it("exits 0", () => {
    expect(result.code).toBe(0);
    expect(result.err).toBe("");
  });

  it("tells the story: C and D wait with kube's messages, C is bound once A's resources are freed", () => {
    const { out } = result;
    expect(out).toMatch(/^0s\s+PodUnschedulable\s+pod\/default\/pod-c\s+0\/1 nodes are available: 1 Insufficient memory\. preemption: 0\/1 nodes are available: 1 No preemption victims found for incoming pod\.$/m);
    expect(out).toMatch(/^0s\s+PodUnschedulable\s+pod\/default\/pod-d\s+0\/1 nodes are available: 1 Insufficient cpu\. preemption: 0\/1 nodes are available: 1 No preemption victims found for incoming pod\.$/m);
    expect(out).toMatch(/^2m\s+ResourcesFreed\s+pod\/default\/pod-a\s+freed cpu 250m, memory 256M on node-1$/m);
    const freed = rowIndex(out, "ResourcesFreed", "pod/default/pod-a");
    const bound = rowIndex(out, "PodBound", "pod/default/pod-c");
    expect(freed).toBeGreaterThan(0);
    expect(bound).toBeGreaterThan(freed);
    expect(rowIndex(out, "PodBound", "pod/default/pod-d")).toBe(-1);
  });

  it("ends with the run's summary, each figure worked out by hand", () => {
    // cpu: 500m held 0–2m, 750m (b + c) 2m–10m: (500·120 + 750·480)/600 = 700m of 1 (70%).
    // memory: 384M all along (a + b, then b + c) of 512M; pods: 2 slots of 110 (1.8%).
    // pending: 2 (c, d) 0–2m, 1 (d) 2m–10m → mean (2·120 + 1·480)/600 = 1.2.
    // latency: a, b at 0 s, c at 120 s → p50 0s, p90 = p99 = max = 2m (nearest rank of 3).
    // attempts: c once (memory), d at 0s, 2m, 7m30s (cpu) → 4 failed; 3 bound.
    const lines = [
      "  Capacity:      short for cpu, memory: pods waited for a node 0s–10m (10m in all)",
      "  Pods:          4 created, 3 bound, 1 succeeded, 0 failed, 0 deleted; at 10m: 1 Pending, 2 Running, 1 Succeeded",
      "  Still pending: 1 pod(s) at 10m: Insufficient cpu (1)",
      "  Pending:       peak 2 at 0s, mean 1.2",
      "  Scheduling:    3 bound, 4 failed attempt(s): Insufficient cpu (3), Insufficient memory (1)",
      "  Latency:       creation → bound over 3 pod(s): p50 0s, p90 2m, p99 2m, max 2m",
      "  Allocation:    cpu      mean 70% (700m of 1), peak 75% at 2m",
      "                 memory   mean 75% (384M of 512M), peak 75% at 0s",
      "                 pods     mean 1.8% (2 of 110), peak 1.8% at 0s",
    ];
    for (const line of lines) expect(result.out.split("\n")).toContain(line);
    // The whole cluster is behind --tables.
    expect(result.out).not.toMatch(/^NAME\s+READY\s+STATUS/m);
  });

  it("--tables ends with a kubectl-like pod table", () => {
    const result = cli("run", "--tables");
    expect(result.out).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+NODE\s+CPU\s+MEMORY$/m);
    expect(result.out).toMatch(/^pod-a\s+0\/1\s+Completed\s+0\s+node-1\s+250m\s+256M$/m);
    expect(result.out).toMatch(/^pod-c\s+1\/1\s+Running\s+0\s+node-1\s+500m\s+256M$/m);
    expect(result.out).toMatch(/^pod-d\s+0\/1\s+Pending\s+0\s+<none>\s+750m\s+64M$/m);
    expect(result.out).toMatch(/^node-1\s+Ready\s+750m\/1 \(75%\)\s+384M\/512M \(75%\)\s+2\/110$/m);
  });
});

describe("the event log", () => {
  let dir: string;
  let logPath: string;
  beforeAll(() => {
    dir = tempDir();
    logPath = join(dir, "events.jsonl");
    expect(cli("run", "--out", dir).code).toBe(0);
  });

  it("writes events.jsonl with a header and one event per line, and no partial file", () => {
    const lines = readFileSync(logPath, "utf8").trimEnd().split("\n");
    const header = JSON.parse(lines[0] as string);
    expect(header).toMatchObject({ format: "timoneiro.events/v1", scenario: "seed-example", seed: 1, tick: "1s", untilSeconds: 600 });
    expect(header.scenarioHash).toMatch(/^[0-9a-f]{64}$/);
    expect(lines[1]).toMatch(/^\{"seq":1,"t":0,"type":"NodeJoined","node":"node-1",/);
    expect(lines).toContainEqual('{"seq":14,"t":120,"type":"PodBound","pod":"default/pod-c","node":"node-1"}');
    expect(existsSync(`${logPath}.partial`)).toBe(false);
  });

  it("is byte-identical for the same scenario and seed", () => {
    const again = tempDir();
    expect(cli("run", "--out", again).code).toBe(0);
    expect(readFileSync(join(again, "events.jsonl"), "utf8")).toBe(readFileSync(logPath, "utf8"));
  });

  it("--engine reference (the oracle) writes the same events.jsonl, byte for byte, as the fast default", () => {
    const oracle = tempDir();
    expect(cli("run", "--engine", "reference", "--out", oracle).code).toBe(0);
    expect(readFileSync(join(oracle, "events.jsonl"), "utf8")).toBe(readFileSync(logPath, "utf8"));
    expect(cli("run", "--engine", "quick").code).toBe(2);
  });

  it("replays to the live run's final state", () => {
    const text = readFileSync(join(packageRoot(), BUILT_IN_EXAMPLE), "utf8");
    const scenario = loadScenarioText(text, "seed", { validate: "warn" }).scenario;
    if (scenario === undefined) throw new Error("the built-in example does not load");
    const live = runScenario(scenario).state;
    const replayed = replayLog(readEventLog(logPath), logPath);
    expect(serializeState(replayed)).toBe(serializeState(live));
  });

  it("`replay` shows the final state", () => {
    const result = cli("replay", logPath);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Replayed 17 events of scenario "seed-example"/);
    expect(result.out).toMatch(/^pod-c\s+1\/1\s+Running/m);
  });

  it("`get pods --at` shows the cluster as it was at that tick", () => {
    const before = cli("get", "pods", "--log", logPath, "--at", "1m");
    expect(before.code).toBe(0);
    expect(before.out).toMatch(/^pod-c\s+0\/1\s+Pending\s+0\s+<none>/m);
    const after = cli("get", "pods", "--log", logPath, "--at", "2m", "-o", "json");
    const pods = JSON.parse(after.out) as Array<{ name: string; status: string; node: string | null }>;
    expect(pods.find((pod) => pod.name === "pod-c")).toMatchObject({ status: "Running", node: "node-1" });
    expect(cli("get", "nodes", "--log", logPath).out).toMatch(/^node-1\s+Ready/m);
    expect(cli("get", "events", "--log", logPath, "--at", "0s").out.split("\n")).toHaveLength(12);
  });

  it("`describe pod` shows the pod, why it waits, and its events, at a tick", () => {
    const result = cli("describe", "pod", "pod-c", "--log", logPath, "--at", "1m");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Status:\s+Pending$/m);
    expect(result.out).toMatch(/^Message:\s+0\/1 nodes are available: 1 Insufficient memory\. preemption: 0\/1 nodes are available: 1 No preemption victims found for incoming pod\.$/m);
    expect(result.out).toMatch(/^ {2}0s\s+PodUnschedulable\s+0\/1 nodes are available: 1 Insufficient memory\. preemption: 0\/1 nodes are available: 1 No preemption victims found for incoming pod\.$/m);
    expect(result.out).not.toMatch(/PodBound/);
    expect(cli("describe", "pod", "default/pod-c", "--log", logPath).out).toMatch(/^ {2}2m\s+PodBound\s+bound to node-1$/m);
  });

  it("`describe node` shows allocation and the pods there, with the resources each freed", () => {
    const result = cli("describe", "node", "node-1", "--log", logPath);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^ {2}cpu\s+750m \(75%\)\s+1$/m);
    expect(result.out).toMatch(/^ {2}default\/pod-c\s+Running\s+500m\s+256M$/m);
    expect(result.out).toMatch(/^ {2}2m\s+ResourcesFreed\s+pod\/default\/pod-a\s+freed cpu 250m, memory 256M on node-1$/m);
  });

  it("`describe` of something that does not exist exits 2, as kubectl's NotFound", () => {
    const result = cli("describe", "pod", "nope", "--log", logPath);
    expect(result.code).toBe(2);
    expect(result.err).toBe('error: pods "default/nope" not found at this tick');
  });

  it("`get --at` after the run's end says so", () => {
    const result = cli("get", "pods", "--log", logPath, "--at", "1h");
    expect(result.code).toBe(0);
    expect(result.err).toBe("warning: --at 1h is after the run's end (10m): showing the end");
  });

  it("reports a truncated last line with its number and replays the rest", () => {
    const text = readFileSync(logPath, "utf8");
    const cut = join(tempDir(), "events.jsonl");
    writeFileSync(cut, text.slice(0, text.length - 20));
    const lines = text.trimEnd().split("\n").length;
    const result = cli("replay", cut);
    expect(result.code).toBe(0);
    expect(result.err).toContain(`${cut}:${lines}: truncated last line left out`);
    expect(result.out).toMatch(/^Replayed 16 events/);
  });

  it("refuses a malformed line in the middle, naming it, with exit code 2", () => {
    const lines = readFileSync(logPath, "utf8").split("\n");
    lines[4] = '{"seq":4,"t":0,"type":"PodTeleported","pod":"default/x"}';
    const broken = join(tempDir(), "events.jsonl");
    writeFileSync(broken, lines.join("\n"));
    const result = cli("replay", broken);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(new RegExp(`^error: ${broken}:5: unknown event type "PodTeleported"`));
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it("refuses an event the reducer rejects, naming its line", () => {
    const lines = readFileSync(logPath, "utf8").split("\n");
    lines[7] = '{"seq":7,"t":0,"type":"PodStarted","pod":"default/pod-d","node":"node-1"}';
    const broken = join(tempDir(), "events.jsonl");
    writeFileSync(broken, lines.join("\n"));
    const result = cli("replay", broken);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/:8: PodStarted \(seq 7, pod default\/pod-d\) rejected: only a pending pod assigned to node-1 can start \(it is Pending, unbound\)$/);
  });
});

describe("bad input and usage exit 2 with a message, never a stack trace", () => {
  it("a scenario with errors names file and line, runs nothing and keeps an earlier log intact", () => {
    const dir = tempDir();
    const logPath = join(dir, "events.jsonl");
    writeFileSync(logPath, "an earlier run's log\n");
    const scenario = join(dir, "bad.yaml");
    writeFileSync(scenario, "apiVersion: timoneiro.dev/v1\nkind: Scenario\nmetadata: {name: bad}\nspec:\n  until: soon\n");
    const result = cli("run", scenario, "--out", dir);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`${scenario}:5: error: spec.until: invalid duration "soon"`);
    expect(result.err).not.toMatch(/\n\s+at /);
    expect(readFileSync(logPath, "utf8")).toBe("an earlier run's log\n");
  });

  it("--out naming a file, not a folder, says so", () => {
    const file = join(tempDir(), "taken");
    writeFileSync(file, "x");
    const result = cli("run", "--out", file);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--out .*taken: cannot write events\.jsonl into .*: it is a file, not a folder/);
    // A folder under a file: the file is named as the problem too, by run and by report.
    expect(cli("run", "--out", join(file, "deeper")).err).toMatch(/cannot write events\.jsonl into .*: it is a file, not a folder/);
  });

  it("--out where no folder can be made (under /proc, where Node's own recursive mkdir never returns) is exit 2 at once", () => {
    const result = cli("run", "--out", "/proc/timoneiro-out/inner");
    expect(result.code).toBe(2);
    expect(result.err).toContain("--out /proc/timoneiro-out/inner: cannot write events.jsonl into /proc/timoneiro-out/inner: no folder can be made there");
    const logDir = tempDir();
    expect(cli("run", "--out", logDir).code).toBe(0);
    expect(cli("report", join(logDir, "events.jsonl"), "--out", "/proc/timoneiro-out")).toMatchObject({ code: 2, err: expect.stringContaining("--out /proc/timoneiro-out: cannot make the folder: no folder can be made there") });
  });

  it.each([
    ["a missing log", ["replay", "/nonexistent/events.jsonl"], /^error: \/nonexistent\/events\.jsonl: no such file$/],
    ["a missing scenario file", ["run", "/nonexistent/scenario.yaml"], /cannot read scenario \/nonexistent\/scenario\.yaml: no such file/],
    ["an unknown command", ["frobnicate"], /unknown command 'frobnicate'/],
    ["an unknown resource", ["get", "ingresses", "--log", "x"], /unknown resource type "ingresses": use one of pods, nodes, events, services, endpoints, deployments, replicasets, replicationcontrollers, statefulsets, daemonsets, jobs, cronjobs, priorityclasses, poddisruptionbudgets/],
    ["get without --log", ["get", "pods"], /--log is required/],
    ["a bad --at", ["get", "pods", "--log", "x", "--at", "soon"], /--at: invalid duration "soon"/],
    ["a bad --validate", ["run", "--validate", "loose"], /Allowed choices are warn, strict, ignore/],
  ])("%s", (_name, args, expected) => {
    const result = cli(...args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(expected);
  });

  it("--help exits 0", () => {
    const result = cli("--help");
    expect(result.code).toBe(0);
    expect(result.out).toContain("run [options] [scenario]");
  });
});

describe("the installed command", () => {
  it("runs from the built package with plain node, without a TypeScript loader", () => {
    const bin = join(packageRoot(), "dist/scenarios/cli/bin.js");
    expect(existsSync(bin), "npm ci builds dist/ (the prepare script)").toBe(true);
    expect(statSync(bin).mode & 0o111, "the bin is executable, so npx timoneiro runs it").not.toBe(0);
    const out = execFileSync(process.execPath, [bin, "run"], { encoding: "utf8" });
    expect(out).toMatch(/PodBound\s+pod\/default\/pod-c/);
    const failed = spawnSync(process.execPath, [bin, "run", "/nonexistent.yaml"], { encoding: "utf8" });
    expect(failed.status).toBe(2);
  });

  it("stops quietly when its reader stops early (`timoneiro run | head`)", async () => {
    const bin = join(packageRoot(), "dist/scenarios/cli/bin.js");
    const child = spawn(process.execPath, [bin, "run", "--show-events", "100000"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });

  it("exposes the library API to plain Node as the package's main export", async () => {
    const api = (await import(join(packageRoot(), "dist/core/index.js"))) as typeof import("../../core/index.js");
    expect(api.cpuMillis("1.5m")).toBe(2);
    expect(api.memoryBytes("1.5Gi")).toBe(1_610_612_736);
  });
});

describe("timoneiro completion", () => {
  /** What bash's completion offers for these words, by running the generated script in bash. */
  function complete(script: string, ...words: string[]): string {
    const program = `COMP_WORDS=(${words.map((word) => JSON.stringify(word)).join(" ")}); COMP_CWORD=${words.length - 1}; _timoneiro; echo "\${COMPREPLY[*]}"`;
    return execFileSync("bash", ["-c", `${script}\n${program}`], { encoding: "utf8" }).trim();
  }

  const script = cli("completion", "bash").out;

  it.each([
    [["timoneiro", "de"], "describe"],
    [["timoneiro", "get", ""], "pods nodes events deployments replicasets replicationcontrollers statefulsets daemonsets jobs cronjobs priorityclasses poddisruptionbudgets services endpoints"],
    [["timoneiro", "describe", "s"], "service statefulset"],
    [["timoneiro", "compare", "x.yaml", "--policy", "b"], "best-fit"],
    [["timoneiro", "compare", "--"], "--policy --config --plugin --seeds --threads --output --out --interval --filename --recursive --until --validate --help"],
    [["timoneiro", "get", "pods", "--l"], "--log"],
    [["timoneiro", "get", "pods", "-o", "w"], "wide"],
    [["timoneiro", "run", "--validate", ""], "warn strict ignore"],
    [["timoneiro", "completion", ""], "bash zsh"],
  ])("%j → %s", (words, expected) => {
    expect(complete(script, ...words)).toBe(expected);
  });

  it("offers every command and every option the program has", () => {
    for (const command of ["run", "compare", "replay", "report", "get", "describe", "explain", "completion", "version"]) expect(script).toContain(command);
    for (const option of ["--out", "--validate", "--show-events", "--log", "--at", "--namespace"]) expect(script).toContain(option);
  });

  it("zsh gets the same completion through bashcompinit; another shell is bad input", () => {
    expect(cli("completion", "zsh").out).toMatch(/bashcompinit[\s\S]*complete -o default -F _timoneiro timoneiro/);
    const fish = cli("completion", "fish");
    expect(fish.code).toBe(2);
    expect(fish.err).toContain('unsupported shell "fish": use bash or zsh');
  });
});

const CLUSTER = `apiVersion: v1
kind: Node
metadata: {name: node-1}
status: {capacity: {cpu: "1", memory: 1Gi}}
---
apiVersion: v1
kind: Node
metadata: {name: node-2}
status: {capacity: {cpu: "4", memory: 8Gi}}
---
apiVersion: v1
kind: Node
metadata: {name: node-3}
spec: {taints: [{key: dedicated, value: batch, effect: PreferNoSchedule}]}
status: {capacity: {cpu: "4", memory: 8Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: running}
spec:
  nodeName: node-2
  containers: [{name: c, image: nginx, resources: {requests: {cpu: "1", memory: 2Gi}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-1}
spec:
  containers: [{name: c, image: nginx, resources: {requests: {cpu: "2", memory: 1Gi}}}]
`;

describe("timoneiro explain", () => {
  const dir = tempDir();
  const cluster = join(dir, "cluster.yaml");
  writeFileSync(cluster, CLUSTER);
  const shared = join(packageRoot(), "../shared/manifests");

  it("-o json: per node the verdict, per plugin the score, the weighted total and the choice", () => {
    const result = cli("explain", "-f", cluster, "--pod", "web-1", "-o", "json");
    expect(result.code).toBe(0);
    const explanation = JSON.parse(result.out);
    expect(explanation).toMatchObject({ pod: "default/web-1", selected: "node-2", message: null });
    expect(explanation.nodes[0]).toMatchObject({ node: "node-1", feasible: false, reasons: ["Insufficient cpu"], scores: {}, total: 0 });
    // node-2 holds `running` (1 cpu, 2Gi); with web-1: cpu 3000/4000, memory 3Gi/8Gi.
    // LeastAllocated: cpu (4000−3000)·100/4000 = 25, memory (8−3)·100/8 = 62 → (25+62)/2 = 43.
    // BalancedAllocation: fractions 0.75 and 0.375 → std 0.1875 → trunc(81.25) = 81.
    // TaintToleration: no PreferNoSchedule taint (0) vs node-3's one → reversed → 100.
    // Total: 100·3 + 43·1 + 81·1 + ImageLocality 0 = 424.
    expect(explanation.nodes[1]).toMatchObject({
      node: "node-2", feasible: true, reasons: [],
      scores: { TaintToleration: 100, NodeResourcesFit: 43, NodeResourcesBalancedAllocation: 81, ImageLocality: 0 }, total: 424,
    });
    // node-3 is empty: cpu (4000−2000)·100/4000 = 50, memory 7·100/8 = 87 → 68; balanced 0.5/0.125 → 81; taint → 0: 0 + 68 + 81 = 149.
    expect(explanation.nodes[2]).toMatchObject({ node: "node-3", feasible: true, total: 149 });
  });

  it("the table names each plugin with its weight and the chosen node", () => {
    const result = cli("explain", "-f", cluster, "--pod", "default/web-1");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/NODE\s+FEASIBLE\s+REASONS\s+TaintToleration×3\s+NodeAffinity×2\s+NodeResourcesFit×1/);
    expect(result.out).toMatch(/^node-1\s+no\s+Insufficient cpu$/m);
    expect(result.out).toMatch(/^Selected: node-2$/m);
  });

  it("takes a real KubeSchedulerConfiguration: MostAllocated packs", () => {
    const config = join(shared, "kubernetes-website/resource-bin-packing.md__MostAllocated.yaml");
    const explanation = JSON.parse(cli("explain", "-f", cluster, "--pod", "web-1", "--config", config, "-o", "json").out);
    // MostAllocated, cpu 3000·100/4000 = 75, memory 3·100/8 = 37 → 56 on node-2; node-3: 50 and 12 → 31.
    expect(explanation.nodes[1].scores.NodeResourcesFit).toBe(56);
    expect(explanation.nodes[2].scores.NodeResourcesFit).toBe(31);
  });

  it("refuses configurations it cannot simulate, naming file, line and plugin, with exit 2", () => {
    const config = join(shared, "scheduler-plugins/coscheduling__scheduler-config.yaml");
    const result = cli("explain", "-f", cluster, "--pod", "web-1", "--config", config);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/coscheduling__scheduler-config\.yaml:\d+: error: profiles\[0\]\.plugins\.multiPoint\.enabled\[0\]\.name: "Coscheduling" is not an in-tree plugin/);
    const old = cli("explain", "-f", cluster, "--pod", "web-1", "--config", join(shared, "kubernetes-website/config.md__v1beta2-equivalent.yaml"));
    expect(old.code).toBe(2);
    expect(old.err).toMatch(/apiVersion: kubescheduler\.config\.k8s\.io\/v1beta2 is not served by kube-scheduler v1\.35/);
  });

  it("reads a configuration shipped in a ConfigMap, counting lines in the file", () => {
    const config = join(shared, "scheduler-plugins/scheduler-configmap.yaml");
    const result = cli("explain", "-f", cluster, "--pod", "web-1", "--config", config);
    expect(result.code).toBe(2);
    const lines = readFileSync(config, "utf8").split("\n");
    const match = /scheduler-configmap\.yaml:(\d+): error: ConfigMap data "scheduler-config\.yaml": profiles\[0\]\.plugins\.multiPoint\.enabled\[0\]\.name: "NodeResourceTopologyMatch" is not an in-tree plugin/.exec(result.err);
    expect(match).not.toBeNull();
    expect(lines[Number(match?.[1]) - 1]).toContain("name: NodeResourceTopologyMatch");
    const usable = join(dir, "configmap.yaml");
    writeFileSync(usable, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: sched}\ndata:\n  config.yaml: |\n    apiVersion: kubescheduler.config.k8s.io/v1\n    kind: KubeSchedulerConfiguration\n    profiles:\n    - pluginConfig:\n      - {name: NodeResourcesFit, args: {scoringStrategy: {type: MostAllocated}}}\n");
    const explanation = JSON.parse(cli("explain", "-f", cluster, "--pod", "web-1", "--config", usable, "-o", "json").out);
    expect(explanation.nodes[1].scores.NodeResourcesFit).toBe(56);
  });

  it("refuses a file with several configurations: kube-scheduler takes one", () => {
    const result = cli("explain", "-f", cluster, "--pod", "web-1", "--config", join(shared, "scheduler-plugins/nodemetadata__scheduler-config.yaml"));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/holds 4 KubeSchedulerConfigurations; kube-scheduler takes one/);
  });

  it.each([
    ["a pod that is not in the manifests", ["--pod", "nope"], /no pod default\/nope in the manifests \(pods: default\/running, default\/web-1\)/],
    ["a pod bound by spec.nodeName", ["--pod", "running"], /names its node \(spec\.nodeName: node-2\): it skips the scheduler/],
  ])("refuses %s", (_name, args, expected) => {
    const result = cli("explain", "-f", cluster, ...args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(expected);
  });
});

describe("timoneiro run -f: plain manifests", () => {
  const dir = tempDir();
  const cluster = join(dir, "cluster.yaml");
  writeFileSync(cluster, CLUSTER);

  it("runs the manifests' nodes and pods, and places the pod where explain says", () => {
    const result = cli("run", "-f", cluster, "--until", "5m");
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^Scenario "manifests" from .*cluster\.yaml: seed 1, from 2026-01-01T00:00:00Z until 5m, 3 node\(s\), 2 pod\(s\)/);
    expect(result.out).toMatch(/PodBound\s+pod\/default\/web-1\s+bound to node-2$/m);
    expect(JSON.parse(cli("explain", "-f", cluster, "--pod", "web-1", "-o", "json").out).selected).toBe("node-2");
  });

  it.each([
    ["a scenario and -f together", ["run", "scenario.yaml", "-f", "x.yaml"], /either a scenario file or -f manifests, not both/],
    ["--until without -f", ["run", "--until", "5m"], /--until and --seed go with -f manifests/],
    ["a bad --until", ["run", "-f", "CLUSTER", "--until", "soon"], /--until: invalid duration "soon"/],
  ])("refuses %s", (_name, args, expected) => {
    const result = cli(...args.map((arg) => (arg === "CLUSTER" ? cluster : arg)));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(expected);
  });
});

describe("timoneiro run: the scheduler", () => {
  const dir = tempDir();
  const scenario = join(dir, "pack.yaml");
  writeFileSync(join(dir, "most.yaml"), "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args: {scoringStrategy: {type: MostAllocated}}\n");
  const write = (scheduler: string) => writeFileSync(scenario, `apiVersion: timoneiro.dev/v1
kind: Scenario
metadata: {name: pack}
spec:
  until: 1m
${scheduler}
  cluster:
    nodes:
      - {apiVersion: v1, kind: Node, metadata: {name: big}, status: {capacity: {cpu: "8", memory: 16Gi}}}
      - {apiVersion: v1, kind: Node, metadata: {name: small}, status: {capacity: {cpu: "2", memory: 4Gi}}}
  workloads:
    - {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: [{name: c, image: i, resources: {requests: {cpu: "1", memory: 1Gi}}}]}}
`);
  const boundTo = (out: string) => /PodBound\s+pod\/default\/a\s+bound to (\S+)/.exec(out)?.[1];

  it.each([
    // LeastAllocated: big (8−1)/8 = 87, (16−1)/16 = 93 → 90; small (2−1)/2 = 50, (4−1)/4 = 75 → 62: big.
    ["kube's default profile spreads to the emptiest node", "", [], "big"],
    ["best-fit takes the tightest node", "", ["--policy", "best-fit"], "small"],
    ["worst-fit takes the loosest node", "", ["--policy", "worst-fit"], "big"],
    ["first-fit takes the first by name", "", ["--policy", "first-fit"], "big"],
    // MostAllocated: big 12 and 6 → 9; small 50 and 25 → 37: small.
    ["a configuration from spec.scheduler.config, relative to the scenario", "  scheduler: {config: most.yaml}", [], "small"],
    ["spec.scheduler.policy", "  scheduler: {policy: best-fit}", [], "small"],
    ["the command line over spec.scheduler", "  scheduler: {policy: best-fit}", ["--policy", "worst-fit"], "big"],
  ])("%s", (_name, scheduler, flags, expected) => {
    write(scheduler);
    const result = cli("run", scenario, ...flags);
    expect(result.code, result.err).toBe(0);
    expect(boundTo(result.out)).toBe(expected);
  });

  it("records the scheduler in the log header", () => {
    write("");
    const out = join(dir, "out");
    expect(cli("run", scenario, "--policy", "best-fit", "--out", out).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "events.jsonl"), "utf8").split("\n")[0] as string).scheduler).toBe("best-fit");
  });

  it("refuses a configuration with a classic policy", () => {
    write("");
    const result = cli("run", scenario, "--policy", "best-fit", "--config", join(dir, "most.yaml"));
    expect(result.code).toBe(2);
    expect(result.err).toContain("--config goes with --policy kube, not best-fit");
  });
});

describe("workloads through the CLI: examples/rolling-update.yaml, then get and describe from its log", () => {
  let log: string;
  beforeAll(() => {
    const dir = tempDir();
    const run = cli("run", join(packageRoot(), "examples/rolling-update.yaml"), "--out", dir);
    expect(run.code).toBe(0);
    log = join(dir, "events.jsonl");
  });

  it("get deployments: READY ready/desired, UP-TO-DATE, AVAILABLE, AGE (kubectl's columns)", () => {
    expect(cli("get", "deployments", "--log", log).out).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+4\/4\s+4\s+4\s+10m$/);
    // At 65 s the rollout is under way: old 8 ready, new 5 created and pulling their image (10 s): 8/10 ready, 5 up-to-date.
    expect(cli("get", "deploy", "--log", log, "--at", "65s").out).toMatch(/^web\s+8\/10\s+5\s+8\s+65s$/m);
  });

  it("get replicasets at 75 s: the old one at 3, the new one at 10 with 5 ready (the other 5 still pulling)", () => {
    // t=60: new 0→3 and old 10→8, then new 3→5; t=70 (new pods up): old 8→3, new 5→10; t=80: old 3→0.
    const lines = cli("get", "rs", "--log", log, "--at", "75s").out.split("\n");
    expect(lines[0]).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(1).join(" "))).toEqual(["3 3 3 75s", "10 10 5 15s"]);
  });

  it("describe deployment: kube's replicas line, conditions, and the ScalingReplicaSet events step by step", () => {
    const out = cli("describe", "deployment", "web", "--log", log).out;
    expect(out).toMatch(/^Replicas:\s+4 desired \| 4 updated \| 4 total \| 4 available \| 0 unavailable$/m);
    expect(out).toMatch(/^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
    expect(out).toMatch(/^\s+Available\s+True\s+MinimumReplicasAvailable$/m);
    expect(out).toMatch(/^\s+Progressing\s+True\s+NewReplicaSetAvailable$/m);
    const scaling = out.split("\n").filter((line) => line.includes("ScalingReplicaSet")).map((line) => line.trim().replace(/\s+/g, " ").replace(/web-[4-9bcdf]+/g, "RS"));
    expect(scaling).toEqual([
      "0s ScalingReplicaSet deployment-controller Scaled up replica set RS from 0 to 10",
      "1m ScalingReplicaSet deployment-controller Scaled up replica set RS from 0 to 3",
      "1m ScalingReplicaSet deployment-controller Scaled down replica set RS from 10 to 8",
      "1m ScalingReplicaSet deployment-controller Scaled up replica set RS from 3 to 5",
      "1m10s ScalingReplicaSet deployment-controller Scaled down replica set RS from 8 to 3",
      "1m10s ScalingReplicaSet deployment-controller Scaled up replica set RS from 5 to 10",
      "1m20s ScalingReplicaSet deployment-controller Scaled down replica set RS from 3 to 0",
      "5m ScalingReplicaSet deployment-controller Scaled down replica set RS from 10 to 4",
    ]);
  });

  it("describe replicaset: Controlled By, replicas and pod status, and its pods' creations and deletions", () => {
    const name = cli("get", "rs", "--log", log).out.split("\n")[2]?.split(/\s+/)[0] as string;
    const out = cli("describe", "rs", name, "--log", log).out;
    expect(out).toMatch(/^Controlled By:\s+Deployment\/web$/m);
    expect(out).toMatch(/^Replicas:\s+4 current \/ 4 desired$/m);
    expect(out).toMatch(/^Pods Status:\s+4 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    // 10 created (5 at 1m, 5 at 1m10s), 6 deleted at 5m (10 → 4).
    expect(out.match(/SuccessfulCreate/g)).toHaveLength(10);
    expect(out.match(/SuccessfulDelete/g)).toHaveLength(6);
  });

  it("get priorityclasses lists the two system classes; unknown names are errors (exit 2)", () => {
    expect(cli("get", "priorityclasses", "--log", log).out).toMatch(/^system-cluster-critical\s+2000000000\s+false\s+10m\s+PreemptLowerPriority$/m);
    expect(cli("describe", "deployment", "nope", "--log", log)).toMatchObject({ code: 2, err: expect.stringContaining('deployments.apps "nope" not found') });
    expect(cli("get", "rc", "--log", log).out).toBe("No replicationcontrollers found.");
  });
});

describe("DaemonSets through the CLI: examples/daemonset.yaml", () => {
  let log: string;
  beforeAll(() => {
    const dir = tempDir();
    expect(cli("run", join(packageRoot(), "examples/daemonset.yaml"), "--out", dir).code).toBe(0);
    log = join(dir, "events.jsonl");
  });

  it("get daemonsets: 4 nodes should run one (not the tainted gpu-1); mid-update at 3m45s, 1 up to date", () => {
    // t=180: node-1's old pod deleted; gone at 210 and replaced at once; then node-2's deleted (gone at 240).
    expect(cli("get", "ds", "--log", log, "--at", "3m45s").out).toMatch(/^agent\s+4\s+4\s+4\s+1\s+4\s+<none>\s+3m45s$/m);
    expect(cli("get", "daemonsets", "--log", log).out).toMatch(/^agent\s+4\s+4\s+4\s+4\s+4\s+<none>\s+10m$/m);
  });

  it("describe daemonset: kube's node counts and its pods' creations and deletions", () => {
    const out = cli("describe", "daemonset", "agent", "--log", log).out;
    expect(out).toMatch(/^Desired Number of Nodes Scheduled: 4$/m);
    expect(out).toMatch(/^Number of Nodes Misscheduled: 0$/m);
    // 2 at 0s, 2 at 1m, then 4 replacements; 4 deletions.
    expect(out.match(/SuccessfulCreate/g)).toHaveLength(8);
    expect(out.match(/SuccessfulDelete/g)).toHaveLength(4);
  });
});

describe("StatefulSets through the CLI: examples/statefulset.yaml", () => {
  let log: string;
  beforeAll(() => {
    const dir = tempDir();
    expect(cli("run", join(packageRoot(), "examples/statefulset.yaml"), "--out", dir).code).toBe(0);
    log = join(dir, "events.jsonl");
  });

  it("get statefulsets: READY is ready over desired — 2/3 at 25 s (db-2 made at 20 s, pulling until 30 s)", () => {
    expect(cli("get", "sts", "--log", log, "--at", "25s").out).toMatch(/^NAME\s+READY\s+AGE\ndb\s+2\/3\s+25s$/);
    expect(cli("get", "statefulsets", "--log", log).out).toMatch(/^db\s+1\/1\s+10m$/m);
  });

  it("describe statefulset: replicas, strategy, and kube's pod events in order", () => {
    const out = cli("describe", "statefulset", "db", "--log", log).out;
    expect(out).toMatch(/^Replicas:\s+1 desired \| 1 total$/m);
    expect(out).toMatch(/^Update Strategy:\s+RollingUpdate$/m);
    const messages = out.split("\n").filter((line) => line.includes("statefulset-controller")).map((line) => line.trim().split(/\s{3,}/).pop());
    expect(messages.slice(0, 4)).toEqual([
      "create Pod db-0 in StatefulSet db successful",
      "create Pod db-1 in StatefulSet db successful",
      "create Pod db-2 in StatefulSet db successful",
      "delete Pod db-2 in StatefulSet db successful",
    ]);
  });
});

describe("Jobs through the CLI: examples/jobs.yaml", () => {
  let log: string;
  beforeAll(() => {
    const dir = tempDir();
    expect(cli("run", join(packageRoot(), "examples/jobs.yaml"), "--out", dir).code).toBe(0);
    log = join(dir, "events.jsonl");
  });

  it("get jobs at 2m: STATUS, COMPLETIONS (succeeded/completions) and DURATION (completion − start, or now − start)", () => {
    // render: 0,0 → 60,60 → 120: four succeeded by 120 s, the fifth runs until 180. flaky failed at 90, crash at 20:
    // neither has a completionTime, so kubectl's DURATION is now − start. shards completed at 45 s.
    expect(cli("get", "jobs", "--log", log, "--at", "2m").out).toMatch(
      /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\ncrash\s+Failed\s+0\/1\s+2m\s+2m\nflaky\s+Failed\s+0\/1\s+2m\s+2m\nrender\s+Running\s+4\/5\s+2m\s+2m\nshards\s+Complete\s+3\/3\s+45s\s+2m$/,
    );
    // At the end render is gone: its TTL (120 s after completing at 180) deleted it at 300.
    expect(cli("get", "jobs", "--log", log).out).not.toMatch(/^render/m);
    expect(cli("get", "jobs", "--log", log, "--at", "299s").out).toMatch(/^render\s+Complete\s+5\/5\s+3m\s+4m59s$/m);
  });

  it("describe job flaky: back-off between its pods (0, 30, 70 s) and kube's failure reason", () => {
    const out = cli("describe", "job", "flaky", "--log", log).out;
    expect(out).toMatch(/^Selector:\s+batch\.kubernetes\.io\/controller-uid=[0-9a-f-]{36}$/m);
    expect(out).toMatch(/^Backoff Limit:\s+2$/m);
    expect(out).toMatch(/^Pods Statuses:\s+0 Active \(0 Ready\) \/ 0 Succeeded \/ 3 Failed$/m);
    expect(out).not.toMatch(/^Duration:/m);
    const rows = out.split("\n").filter((line) => line.includes("job-controller")).map((line) => line.trim().split(/\s{3,}/));
    expect(rows.map((row) => `${row[0]} ${row[1]}`)).toEqual(["0s SuccessfulCreate", "30s SuccessfulCreate", "1m10s SuccessfulCreate", "1m30s BackoffLimitExceeded"]);
    expect(rows[3]?.[3]).toBe("Job has reached the specified backoff limit");
  });

  it("describe job: a suspended and resumed Job shows kube's Suspended and Resumed events", () => {
    const dir = tempDir();
    const file = join(dir, "pause.yaml");
    writeFileSync(file, [
      "apiVersion: timoneiro.dev/v1", "kind: Scenario", "metadata: {name: pause}", "spec:", "  until: 5m", "  cluster:", "    nodes:",
      '      - {apiVersion: v1, kind: Node, metadata: {name: n1}, status: {allocatable: {cpu: "8", memory: 16Gi, pods: "110"}}}',
      "  workloads:", "    - apiVersion: batch/v1", "      kind: Job", "      metadata: {name: pause}", "      spec:", "        template:",
      "          metadata: {annotations: {sim.timoneiro.dev/duration: 100s}}", '          spec: {restartPolicy: Never, containers: [{name: w, image: "w:1"}]}',
      "  timeline:", "    - at: 20s", "      update: {kind: Job, name: pause, patch: {spec: {suspend: true}}}",
      "    - at: 60s", "      update: {kind: Job, name: pause, patch: {spec: {suspend: false}}}", "",
    ].join("\n"));
    expect(cli("run", file, "--out", dir).code).toBe(0);
    const rows = cli("describe", "job", "pause", "--log", join(dir, "events.jsonl")).out.split("\n").filter((line) => line.includes("job-controller")).map((line) => line.trim().split(/\s{3,}/));
    // 20 s: suspended, its pod deleted; 60 s: resumed, a new pod, which runs 100 s: complete at 160 s.
    expect(rows.map((row) => `${row[0]} ${row[1]}`)).toEqual(["0s SuccessfulCreate", "20s SuccessfulDelete", "20s Suspended", "1m SuccessfulCreate", "1m Resumed", "2m40s Completed"]);
  });

  it("describe job shards: Indexed, its completed indexes as kube writes them", () => {
    const out = cli("describe", "job", "shards", "--log", log).out;
    expect(out).toMatch(/^Completion Mode:\s+Indexed$/m);
    expect(out).toMatch(/^Completed Indexes:\s+0-2$/m);
    expect(out).toMatch(/^Duration:\s+45s$/m);
  });
});

describe("CronJobs through the CLI: examples/cronjobs.yaml", () => {
  let log: string;
  beforeAll(() => {
    const dir = tempDir();
    expect(cli("run", join(packageRoot(), "examples/cronjobs.yaml"), "--out", dir).code).toBe(0);
    log = join(dir, "events.jsonl");
  });

  it("get cronjobs at 2h: kubectl's columns; backup ran at 01:00Z (02:00 in Berlin), cleanup's Job was just replaced, report's last run was for 1:45", () => {
    // report (20-minute Jobs, Forbid): runs for 0:15, then late for 0:30 at 0:35, for 0:45 at 0:55, 1:15 on time, late for 1:30 at 1:35,
    // late for 1:45 at 1:55 — still running at 2:00, when 2:00 is skipped: last schedule 1:45, 15m ago.
    expect(cli("get", "cronjobs", "--log", log, "--at", "2h").out).toBe([
      "NAME      SCHEDULE       TIMEZONE        SUSPEND   ACTIVE   LAST SCHEDULE   AGE",
      "backup    0 2 * * *      Europe/Berlin   False     0        60m             120m",
      "cleanup   @hourly        <none>          False     1        0s              120m",
      "report    */15 * * * *   <none>          False     1        15m             120m",
    ].join("\n"));
    // Jobs named for the scheduled minute since the epoch: 2026-01-01T00:00Z is minute 29,453,760.
    const jobs = cli("get", "jobs", "--log", log, "--at", "2h").out;
    expect(jobs).toMatch(/^backup-29453820\s+Complete\s+1\/1\s+20m\s+60m$/m);
    expect(jobs).toMatch(/^cleanup-29453880\s+Running\s+0\/1\s+0s\s+0s$/m);
    // Replace: the 1:00 cleanup Job was deleted at 2:00.
    expect(jobs).not.toMatch(/^cleanup-29453820/m);
  });

  it("describe cronjob report: policy, last schedule, active Jobs and the controller's events in order", () => {
    const out = cli("describe", "cronjob", "report", "--log", log, "--at", "2h").out;
    expect(out).toMatch(/^Concurrency Policy:\s+Forbid$/m);
    expect(out).toMatch(/^Last Schedule Time:\s+Thu, 01 Jan 2026 01:45:00 \+0000 \(tick 1h45m\)$/m);
    expect(out).toMatch(/^Active Jobs:\s+report-29453865$/m);
    const rows = out.split("\n").filter((line) => line.includes("cronjob-controller")).map((line) => line.trim().split(/\s{3,}/));
    expect(rows.slice(0, 4).map((row) => `${row[0]} ${row[1]} ${row[3]}`)).toEqual([
      "15m SuccessfulCreate Created job report-29453775",
      "35m SawCompletedJob Saw completed job: report-29453775, condition: Complete",
      "35m SuccessfulCreate Created job report-29453790",
      "55m SawCompletedJob Saw completed job: report-29453790, condition: Complete",
    ]);
    // The fourth success (report-…835 at 1:35) is one over the history limit of 3: the oldest goes.
    expect(rows.map((row) => `${row[0]} ${row[1]} ${row[3]}`)).toContain("1h35m SuccessfulDelete Deleted job report-29453775");
  });

  it("a time zone the IANA database does not know: exit 2, file and line, nothing run", () => {
    const dir = tempDir();
    const file = join(dir, "cron.yaml");
    writeFileSync(file, 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\nspec:\n  schedule: "@daily"\n  timeZone: Mars/Olympus\n  jobTemplate:\n    spec:\n      template:\n        spec: {restartPolicy: Never, containers: [{name: a, image: a}]}\n');
    const result = cli("run", "-f", file);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`${file}:6: error: spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus`);
    expect(result.err).not.toMatch(/\n\s+at /);
    // Beside the object's other errors, once each: a bad schedule too; a malformed name is the validator's alone.
    writeFileSync(file, 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\nspec:\n  schedule: "61 * * * *"\n  timeZone: Mars/Olympus\n  jobTemplate:\n    spec:\n      template:\n        spec: {restartPolicy: Never, containers: [{name: a, image: a}]}\n');
    const both = cli("run", "-f", file);
    expect(both.err).toContain("unknown time zone Mars/Olympus");
    expect(both.err).toContain("end of range (61) above maximum (59): 61");
    writeFileSync(file, 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\nspec:\n  schedule: "@daily"\n  timeZone: Europe/-Berlin\n  jobTemplate:\n    spec:\n      template:\n        spec: {restartPolicy: Never, containers: [{name: a, image: a}]}\n');
    expect(cli("run", "-f", file).err.match(/unknown time zone Europe\/-Berlin/g)).toHaveLength(1);
  });
});

describe("readiness through the CLI", () => {
  it("describe pod shows the Ready condition: False until its delay has passed, then True since then; the run's events say so", () => {
    const dir = tempDir();
    const file = join(dir, "ready.yaml");
    writeFileSync(file, [
      "apiVersion: timoneiro.dev/v1", "kind: Scenario", "metadata: {name: ready}", "spec:", "  until: 1m", "  cluster:", "    nodes:",
      '      - {apiVersion: v1, kind: Node, metadata: {name: n1}, status: {allocatable: {cpu: "2", memory: 4Gi, pods: "110"}}}',
      "  workloads:",
      '    - {apiVersion: v1, kind: Pod, metadata: {name: web, annotations: {sim.timoneiro.dev/ready-after: 20s}}, spec: {containers: [{name: w, image: "w:1"}]}}', "",
    ].join("\n"));
    const ran = cli("run", file, "--out", dir);
    expect(ran.code).toBe(0);
    expect(ran.out).toMatch(/^20s\s+PodReadyChanged\s+pod\/default\/web\s+ready: its readiness probe passed$/m);
    const log = join(dir, "events.jsonl");
    // Started at 0 (no image pull), ready at 20.
    expect(cli("describe", "pod", "web", "--log", log, "--at", "10s").out).toMatch(/^ {2}Ready\s+False$/m);
    expect(cli("describe", "pod", "web", "--log", log).out).toMatch(/^ {2}Ready\s+True \(since 20s\)$/m);
    // kubectl's READY column: 0/1 while Running but not yet Ready, 1/1 after.
    expect(cli("get", "pods", "--log", log, "--at", "10s").out).toMatch(/^web\s+0\/1\s+Running\s/m);
    expect(cli("get", "pods", "--log", log).out).toMatch(/^web\s+1\/1\s+Running\s/m);
  });
});

describe("the scenario clock through the CLI", () => {
  it("the log's header records tick 0's time; --at takes a time as well as a duration", () => {
    const dir = tempDir();
    expect(cli("run", join(packageRoot(), "examples/statefulset.yaml"), "--out", dir).code).toBe(0);
    const log = join(dir, "events.jsonl");
    expect(JSON.parse(readFileSync(log, "utf8").split("\n")[0] as string)).toMatchObject({ startTime: "2026-01-01T00:00:00Z" });
    // 00:00:25Z is tick 25: db-2 made at 20 s is still pulling its image.
    expect(cli("get", "sts", "--log", log, "--at", "2026-01-01T00:00:25Z").out).toMatch(/^db\s+2\/3\s+25s$/m);
    expect(cli("describe", "sts", "db", "--log", log).out).toMatch(/^CreationTimestamp:\s+Thu, 01 Jan 2026 00:00:00 \+0000 \(tick 0s, age 10m\)$/m);
    expect(cli("get", "sts", "--log", log, "--at", "2026-13-01T00:00:00Z")).toMatchObject({ code: 2, err: expect.stringContaining("--at: invalid time") });
  });
});

describe("Node failure through the CLI: examples/node-failure.yaml", () => {
  let log: string;
  beforeAll(() => {
    const dir = tempDir();
    expect(cli("run", join(packageRoot(), "examples/node-failure.yaml"), "--out", dir).code).toBe(0);
    log = join(dir, "events.jsonl");
  });

  it("describe node node-2 at 2m: NotReady, its taints, and the Ready condition kube writes (last lease renewal 50s, Unknown since 1m45s)", () => {
    const out = cli("describe", "node", "node-2", "--log", log, "--at", "2m").out;
    expect(out).toMatch(/^Status:\s+NotReady$/m);
    expect(out).toMatch(/^Taints:\s+node\.kubernetes\.io\/unreachable:NoSchedule, node\.kubernetes\.io\/unreachable:NoExecute$/m);
    expect(out).toMatch(/^\s+Ready\s+Unknown\s+50s\s+1m45s\s+NodeStatusUnknown\s+Kubelet stopped posting node status\.$/m);
    expect(out).toMatch(/^Kubelet:\s+stopped at 1m \(failNode\)/m);
    // Before the failure it was Ready, its lease renewed every 10 s.
    expect(cli("describe", "node", "node-2", "--log", log, "--at", "55s").out).toMatch(/^\s+Ready\s+True\s+50s\s+0s\s+KubeletReady\s+kubelet is posting ready status$/m);
  });

  it("get nodes at 2m: kubectl prints NotReady for Ready=Unknown", () => {
    expect(cli("get", "nodes", "--log", log, "--at", "2m").out).toMatch(/^node-2\s+NotReady\s/m);
  });

  it("at 8m (evicted at 6m50s, 110 s + 300 s): node-2's web and db pods are Terminating and not ready; web's replacements run elsewhere; the agent stays", () => {
    const out = cli("get", "pods", "--log", log, "--at", "8m").out;
    const onNode2 = out.split("\n").filter((line) => /\snode-2\s/.test(line));
    expect(onNode2.map((line) => line.split(/\s+/).slice(1, 3).join(" ")).sort()).toEqual(["0/1 Running", "0/1 Terminating", "0/1 Terminating", "0/1 Terminating"]);
    expect(out.split("\n").filter((line) => /^web-/.test(line) && /\sRunning\s/.test(line))).toHaveLength(6);
    const db = onNode2.find((line) => line.startsWith("db-"))?.split(/\s+/)[0] as string;
    expect(cli("describe", "pod", db, "--log", log, "--at", "8m").out).toMatch(/^\s+DisruptionTarget\s+True \(since 6m50s\): TaintManagerEviction: Taint manager: deleting due to NoExecute taint$/m);
  });

  it("get services, get endpoints at 3m (n2's 2 web pods not Ready: not listed), describe service web: its availability", () => {
    expect(cli("get", "services", "--log", log).out).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nweb\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80\/TCP\s+15m$/);
    // 4 ready endpoints: the first 3, then "+ 1 more..." (kubectl's formatEndpoints).
    expect(cli("get", "endpoints", "--log", log, "--at", "3m").out).toMatch(/^web\s+(10\.0\.\d+\.\d+:8080,){2}10\.0\.\d+\.\d+:8080 \+ 1 more\.\.\.\s+3m$/m);
    const described = cli("describe", "service", "web", "--log", log, "--at", "9m").out;
    expect(described).toMatch(/^DNS name:\s+web\.default\.svc\.cluster\.local$/m);
    // Pods start at 0 and are Ready 10 s later (ready-after); n2's two are not Ready from 1m45s;
    // their replacements start at 6m50s and are Ready at 7m: 10 s + 5m15s.
    expect(described).toMatch(/^\s+No ready endpoint:\s+0s–10s \(10s in all\)$/m);
    expect(described).toMatch(/^\s+Fewer than desired:\s+0s–10s, 1m45s–7m \(5m25s in all\)$/m);
  });

  it("a timeline action naming a node that does not exist is an error at its line, exit 2, before anything runs", () => {
    const dir = tempDir();
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "apiVersion: timoneiro.dev/v1\nkind: Scenario\nmetadata: {name: bad}\nspec:\n  cluster:\n    pools: [{name: node, count: 2, template: {status: {allocatable: {cpu: \"2\"}}}}]\n  timeline:\n    - {at: 1m, failNode: node-3}\n");
    const result = cli("run", file, "--out", join(dir, "out"));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/bad\.yaml:8: error: spec\.timeline\[0\]\.failNode: no node named "node-3" in the scenario/);
    expect(result.err).not.toMatch(/\n\s+at /);
  });
});

describe("Drain under a PodDisruptionBudget through the CLI: examples/drain.yaml", () => {
  let log: string;
  beforeAll(() => {
    const dir = tempDir();
    expect(cli("run", join(packageRoot(), "examples/drain.yaml"), "--out", dir).code).toBe(0);
    log = join(dir, "events.jsonl");
  });

  it("get pdb: minAvailable 3 of web's 4 Ready pods allows 1 before the drain, 0 while a replacement is not Ready", () => {
    expect(cli("get", "pdb", "--log", log, "--at", "1m").out).toMatch(/^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\nweb\s+3\s+N\/A\s+1\s+60s$/);
    expect(cli("get", "pdb", "--log", log, "--at", "2m10s").out).toMatch(/^web\s+3\s+N\/A\s+0\s+2m10s$/m);
    expect(cli("describe", "pdb", "web", "--log", log, "--at", "2m10s").out).toMatch(/Allowed disruptions:\s+0\n\s+Current:\s+3\n\s+Desired:\s+3/);
  });

  it("the log: drain at 2m with the DaemonSet warning, one eviction at once, 429s every 5 s, the second eviction at 2m20s, drained at 2m50s", () => {
    const out = cli("get", "events", "--log", log).out;
    expect(out).toMatch(/^2m\s+NodeDrainStarted\s+node\/node-1\s+kubectl drain; Warning: ignoring DaemonSet-managed Pods: default\/agent-[a-z0-9]{5}$/m);
    const refused = out.split("\n").filter((line) => /\sPodEvictionRefused\s/.test(line)).map((line) => line.split(/\s+/)[0]);
    expect(refused).toEqual(["2m", "2m5s", "2m10s", "2m15s"]);
    expect(out).toMatch(/^2m20s\s+PodEvicted\s/m);
    expect(out).toMatch(/^2m50s\s+NodeDrainFinished\s+node\/node-1\s+node\/node-1 drained$/m);
  });
});

describe("run --out writes the metrics", () => {
  it("metrics.csv and metrics.json for the built-in example, one row per --interval, and a bad interval is exit 2", () => {
    const dir = tempDir();
    const ran = cli("run", "--out", dir, "--interval", "2m");
    expect(ran.code).toBe(0);
    expect(ran.err).toMatch(/metrics: \d+ interval\(s\) of 2m written to .*metrics\.csv, metrics\.json, summary\.json and report\.html/);
    const csv = readFileSync(join(dir, "metrics.csv"), "utf8").trimEnd().split("\n");
    expect(csv[0]).toMatch(/^from,to,allocatable\.cpu,requested\.cpu,allocatable\.memory,requested\.memory,allocatable\.pods,requested\.pods,nodes,nodesInUse,pending,running/);
    expect(csv[1]).toMatch(/^0,120,/);
    const json = JSON.parse(readFileSync(join(dir, "metrics.json"), "utf8")) as { intervalSeconds: number; rows: unknown[] };
    expect(json.intervalSeconds).toBe(120);
    expect(json.rows).toHaveLength(csv.length - 1);
    const bad = cli("run", "--out", tempDir(), "--interval", "soon");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--interval: /);
  });
});

describe("timoneiro report", () => {
  it("rebuilds the run's metrics from its log alone, the same bytes", () => {
    const dir = tempDir();
    const ran = cli("run", join(packageRoot(), "examples/node-failure.yaml"), "--out", dir, "--interval", "30s");
    expect(ran.code).toBe(0);
    // web: 6 desired; short at start-up (Ready 10 s after starting), from node-2's NotReady pass (1m45s) until its
    // replacements are Ready (7m), and while node-3's pods are replaced after its removal (12m40s–12m50s).
    expect(ran.out).toContain("  Services:      default/web: 6/6 ready at 15m; fewer than 6 ready 0s–10s, 1m45s–7m, 12m40s–12m50s (5m35s in all); none ready 0s–10s (10s in all)");
    const rebuilt = tempDir();
    const report = cli("report", join(dir, "events.jsonl"), "--out", rebuilt, "--interval", "30s");
    expect(report.code).toBe(0);
    // It prints the run's summary, as run did.
    expect(report.out).toContain(ran.out.slice(ran.out.indexOf("Summary (0s–15m):"), ran.out.indexOf("\n\n", ran.out.indexOf("Summary ("))));
    expect(readFileSync(join(rebuilt, "metrics.csv"), "utf8")).toBe(readFileSync(join(dir, "metrics.csv"), "utf8"));
    expect(readFileSync(join(rebuilt, "metrics.json"), "utf8")).toBe(readFileSync(join(dir, "metrics.json"), "utf8"));
    expect(readFileSync(join(rebuilt, "summary.json"), "utf8")).toBe(readFileSync(join(dir, "summary.json"), "utf8"));
    // The summary's availability of web is what describe service works out from the events on its own.
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as { run: { scenario: string; seed: number; events: number }; services: Record<string, { desired: number; noEndpoint: unknown; belowDesired: unknown }> };
    const log = readEventLog(join(dir, "events.jsonl"));
    expect(summary.run).toMatchObject({ scenario: "node-failure", seed: 1, events: log.events.length });
    const applied = log.events.find((event) => event.type === "ObjectApplied" && event.spec.kind === "Service");
    const service = (applied as { spec: Service }).spec;
    const availability = serviceAvailability(log.events, service, log.header.untilSeconds);
    expect(summary.services["default/web"]).toMatchObject({ desired: availability.desired, noEndpoint: availability.noEndpoint, belowDesired: availability.belowDesired });
    // node-2 fails at 1m: its web pods stop being Ready at the 1m45s pass; the replacements are Ready by 7m.
    expect(availability.belowDesired[1]).toEqual([105, 420]);
    // The failure shows in the rows: node-2's pods Terminating from the eviction at 6m50s until recovery at 10m.
    const rows = (JSON.parse(readFileSync(join(rebuilt, "metrics.json"), "utf8")) as { rows: { from: number; terminating: number; evictions: Record<string, number> }[] }).rows;
    expect(rows.find((row) => row.from === 420)?.terminating).toBe(3);
    expect(rows.find((row) => row.from === 390)?.evictions).toEqual({ TaintManagerEviction: 3 });
    expect(cli("report", join(dir, "missing.jsonl")).code).toBe(2);
  });
});
