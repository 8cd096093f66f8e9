/**
 * Input given the wrong way, or too much of it, as a new user gives it: every case through the
 * CLI, with the exit code and what a person reads.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "./run.js";
import { cli } from "./testing.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "timoneiro-inputs-"));
}

const NODE = "apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\nstatus: {allocatable: {cpu: \"2\", memory: 4Gi, pods: \"110\"}}\n";
const pod = (name: string, extra = "") =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    resources: {requests: {cpu: 100m${extra}}}\n`;

describe("a YAML alias bomb is bad input, not a crash", () => {
  const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let level = 1; level < 9; level++) {
    const name = String.fromCharCode(97 + level);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${String.fromCharCode(96 + level)}`).join(", ")}]`);
  }
  const bomb = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n${levels.join("\n")}\n`;

  it.each([["run -f", true], ["run SCENARIO", false]])("%s: exit 2, the file named, no stack trace, no output written", (_how, asManifest) => {
    const dir = tempDir();
    const file = join(dir, "bomb.yaml");
    writeFileSync(file, bomb);
    const out = join(dir, "out");
    const result = asManifest ? cli("run", "-f", file, "--out", out) : cli("run", file, "--out", out);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:\\d+: error: .*billion laughs`));
    expect(result.err).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});

describe("inputs given the wrong way", () => {
  it("a Scenario given to -f: says to run it as a scenario, exit 2", () => {
    const scenario = join(packageRoot(), "examples/seed-example.yaml");
    const result = cli("run", "-f", scenario);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`this is a scenario file, not a Kubernetes manifest; run it with timoneiro run ${scenario}`);
  });

  it("manifests given as a scenario: says to run them with -f, exit 2", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "cluster.yaml"), `${NODE}---\n${pod("web")}`);
    const result = cli("run", join(dir, "cluster.yaml"));
    expect(result.code).toBe(2);
    expect(result.err).toContain(`holds Kubernetes manifests (Node, Pod), not a Scenario; run them with timoneiro run -f ${join(dir, "cluster.yaml")}`);
  });

  it("-f DIR reads the folder's .yaml, .yml and .json files in sorted order, and -R its sub-folders", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "b-pods.yml"), pod("web"));
    writeFileSync(join(dir, "a-nodes.yaml"), NODE);
    writeFileSync(join(dir, "c.json"), JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "api" }, spec: { containers: [{ name: "app", image: "nginx:1.27" }] } }));
    writeFileSync(join(dir, "notes.txt"), "not a manifest");
    mkdirSync(join(dir, "more"));
    writeFileSync(join(dir, "more", "d.yaml"), pod("deep"));
    const flat = cli("run", "-f", dir, "--until", "1s", "--tables");
    expect(flat.code).toBe(0);
    expect(flat.out).toMatch(/1 node\(s\), 2 pod\(s\)/);
    // Sorted: the node (a-nodes.yaml) joins before the pods are created.
    expect(flat.out.indexOf("NodeJoined")).toBeLessThan(flat.out.indexOf("PodCreated"));
    const deep = cli("run", "-f", dir, "-R", "--until", "1s", "--tables");
    expect(deep.code).toBe(0);
    expect(deep.out).toMatch(/1 node\(s\), 3 pod\(s\)/);
    expect(deep.out).toMatch(/^deep\s+1\/1\s+Running/m);
  });

  it("-f on a folder without manifests, or a missing path: exit 2 naming it", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "notes.txt"), "x");
    expect(cli("run", "-f", dir)).toMatchObject({ code: 2, err: expect.stringContaining(`${dir}: no .json, .yaml, .yml files here (-R reads sub-folders too)`) });
    expect(cli("run", "-f", join(dir, "nope.yaml"))).toMatchObject({ code: 2, err: expect.stringContaining(`cannot read ${join(dir, "nope.yaml")}: no such file or folder`) });
  });

  it("an empty file is named in a warning; input with no Nodes, Pods or workloads at all is an error, exit 2", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "empty.yaml"), "# nothing here yet\n");
    writeFileSync(join(dir, "nodes.yaml"), NODE);
    const withNodes = cli("run", "-f", join(dir, "empty.yaml"), "-f", join(dir, "nodes.yaml"), "--until", "1s");
    expect(withNodes.code).toBe(0);
    expect(withNodes.err).toContain(`${join(dir, "empty.yaml")}:1: warning: holds no Kubernetes objects (the file is empty, or only comments)`);
    const nothing = cli("run", "-f", join(dir, "empty.yaml"));
    expect(nothing.code).toBe(2);
    expect(nothing.err).toContain("no Nodes, Pods or workloads to run (no objects at all)");
  });

  it("--seed beyond 2^53 − 1 names the range", () => {
    const result = cli("run", "-f", "x.yaml", "--seed", "99999999999999999999");
    expect(result.code).toBe(2);
    expect(result.err).toContain("99999999999999999999 is too large: the largest is 9007199254740991 (2^53 − 1)");
    expect(cli("run", "-f", "x.yaml", "--seed", "-3").err).toContain('must be a whole number from 0 to 9007199254740991, got "-3"');
  });

  it("a kind not simulated yet is still validated as the API server would: replicas -1 is an error, exit 2", () => {
    const dir = tempDir();
    const file = join(dir, "web.yaml");
    writeFileSync(file, `${NODE}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: -1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: app, image: nginx:1.27}]}\n`);
    const result = cli("run", "-f", file, "--tables");
    expect(result.code).toBe(2);
    expect(result.err).toContain(`${file}:10: error: spec.replicas: Invalid value: -1: must be greater than or equal to 0`);
    expect(result.err).not.toContain("ignored");
  });
});

describe("explain and run agree", () => {
  const gated = `${NODE}---\napiVersion: v1\nkind: Pod\nmetadata: {name: gated}\nspec:\n  schedulingGates: [{name: example.com/quota}]\n  containers: [{name: app, image: nginx:1.27}]\n`;

  it("on a pod with schedulingGates: run keeps it Pending (SchedulingGated), explain says it is gated and what would happen without the gates", () => {
    const dir = tempDir();
    const file = join(dir, "gated.yaml");
    writeFileSync(file, gated);
    const run = cli("run", "-f", file, "--until", "1m", "--tables");
    expect(run.out).toMatch(/^gated\s+0\/1\s+SchedulingGated\s+0\s+<none>/m);
    const explained = cli("explain", "-f", file, "--pod", "gated");
    expect(explained.code).toBe(0);
    expect(explained.out).toContain("Not scheduled: the pod has scheduling gates (example.com/quota).");
    expect(explained.out).toContain('reason SchedulingGated: "Scheduling is blocked due to non-empty scheduling gates"');
    expect(explained.out).toContain("What would happen without the gates:");
    expect(explained.out).toMatch(/^Without its gates: Selected: node-1/m);
    expect(explained.out).not.toMatch(/^Selected:/m);
    expect(JSON.parse(cli("explain", "-f", file, "--pod", "gated", "-o", "json").out)).toMatchObject({ schedulingGates: ["example.com/quota"], selected: "node-1" });
  });

  it("--pod naming a Deployment explains a pod of its template, and says so; naming a Service says what it is", () => {
    const dir = tempDir();
    const file = join(dir, "web.yaml");
    writeFileSync(file, `${NODE}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: app, image: nginx:1.27, resources: {requests: {cpu: "3"}}}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web-svc}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n`);
    const deployment = cli("explain", "-f", file, "--pod", "web");
    expect(deployment.code).toBe(0);
    expect(deployment.err).toContain("note: web is a Deployment (not simulated yet); explaining a pod of its template, web-template, as its controller would create one");
    expect(deployment.out).toContain("Pod default/web-template (requests cpu 3)");
    expect(deployment.out).toContain("Unschedulable: 0/1 nodes are available: 1 Insufficient cpu.");
    const service = cli("explain", "-f", file, "--pod", "web-svc");
    expect(service.code).toBe(2);
    expect(service.err).toContain("web-svc is a Service, not a Pod or a workload that makes pods");
  });
});

describe("PriorityClasses: kube's Priority admission gives pods their priority, and the queue orders by it", () => {
  const shared = join(packageRoot(), "..", "shared", "manifests", "kwok");

  it("kwok's high-priority pod runs with its class's priority; without the classes it is refused, naming the class", () => {
    const out = tempDir();
    const withClasses = cli("run", "-f", join(shared, "node.yaml"), "-f", join(shared, "priority-classes.yaml"), "-f", join(shared, "high-priority-pod.yaml"), "--until", "5s", "--out", out, "--tables");
    expect(withClasses.code).toBe(0);
    expect(withClasses.out).toMatch(/^high-priority-pod\s+1\/1\s+Running/m);
    // priority-classes.yaml: high-priority has value 200.
    const described = cli("describe", "pod", "high-priority-pod", "--log", join(out, "events.jsonl")).out;
    expect(described).toMatch(/^Priority:\s+200$/m);
    expect(described).toMatch(/^Priority Class Name:\s+high-priority$/m);
    const without = cli("run", "-f", join(shared, "node.yaml"), "-f", join(shared, "high-priority-pod.yaml"));
    expect(without.code).toBe(2);
    expect(without.err).toContain('high-priority-pod.yaml:1: error: spec.priorityClassName: pods "high-priority-pod" is forbidden: no PriorityClass with name high-priority was found');
  });

  it("a pod created later but with a higher class is scheduled first (PrioritySort); the global default applies to pods without a class", () => {
    const dir = tempDir();
    const file = join(dir, "cluster.yaml");
    // One node with room for one 600m pod: whichever is popped first gets it.
    writeFileSync(file, [
      "apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\nstatus: {allocatable: {cpu: \"1\", memory: 4Gi, pods: \"110\"}}\n",
      "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: urgent}\nvalue: 1000\n",
      "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: normal}\nvalue: 10\nglobalDefault: true\n",
      pod("first", "").replace("cpu: 100m", "cpu: 600m"),
      pod("second", "").replace("cpu: 100m", "cpu: 600m").replace("spec:\n", "spec:\n  priorityClassName: urgent\n"),
    ].join("---\n"));
    const result = cli("run", "-f", file, "--until", "5s", "--tables");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^second\s+1\/1\s+Running/m);
    expect(result.out).toMatch(/^first\s+0\/1\s+Pending/m);
  });

  it("a pod that sets spec.priority without a class keeps it, with a warning that kube-apiserver would refuse it (kube's scheduler_perf templates do this)", () => {
    const result = cli("run", "-f", join(packageRoot(), "..", "shared", "manifests", "kubernetes", "pod-high-priority-large-cpu.yaml"), "-f", join(shared, "node.yaml"), "--until", "1s");
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/pod-high-priority-large-cpu\.yaml:1: warning: spec\.priority: kube-apiserver's Priority admission would refuse this pod \(the integer value of priority \(10\) must not be provided in pod spec; it computes 0\); Timoneiro keeps 10/);
  });
});

describe("resource names under kubernetes.io/", () => {
  it("are scheduled as kube does: NodeResourcesFit reports Insufficient kubernetes.io/something", () => {
    const dir = tempDir();
    const file = join(dir, "cluster.yaml");
    writeFileSync(file, [
      "apiVersion: v1\nkind: Node\nmetadata: {name: small}\nstatus: {allocatable: {cpu: \"2\", memory: 4Gi, pods: \"110\", kubernetes.io/something: \"5\"}}\n",
      "apiVersion: v1\nkind: Node\nmetadata: {name: big}\nstatus: {allocatable: {cpu: \"2\", memory: 4Gi, pods: \"110\", kubernetes.io/something: \"20\"}}\n",
      pod("web", ", kubernetes.io/something: 10"),
    ].join("---\n"));
    const explained = JSON.parse(cli("explain", "-f", file, "--pod", "web", "-o", "json").out) as { selected: string; nodes: { node: string; reasons: string[] }[] };
    expect(explained.selected).toBe("big");
    expect(explained.nodes.find((node) => node.node === "small")?.reasons).toEqual(["Insufficient kubernetes.io/something"]);
  });
});

describe("big inputs", () => {
  it("runs 250,000 pods from one JSON List through the CLI, and prints a screenful", () => {
    const dir = tempDir();
    const file = join(dir, "big.json");
    const items: unknown[] = [];
    for (let index = 0; index < 2_300; index++) {
      items.push({ apiVersion: "v1", kind: "Node", metadata: { name: `node-${index}` }, status: { allocatable: { cpu: "64", memory: "256Gi", pods: "110" } } });
    }
    for (let index = 0; index < 250_000; index++) {
      items.push({ apiVersion: "v1", kind: "Pod", metadata: { name: `pod-${index}` }, spec: { containers: [{ name: "app", image: "nginx:1.27", resources: { requests: { cpu: "100m", memory: "128Mi" } } }] } });
    }
    writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items }));
    items.length = 0;
    const bin = join(packageRoot(), "dist/scenarios/cli/bin.js");
    const result = spawnSync(process.execPath, [bin, "run", "-f", file, "--until", "1s", "--policy", "first-fit", "--tables"], { encoding: "utf8", maxBuffer: 64 << 20 });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines.length).toBeLessThan(120);
    expect(result.stdout).toContain("2300 node(s), 250000 pod(s)");
    expect(result.stdout).toContain("… and 249,980 more pods; run with --show-all, or with --out DIR and then timoneiro get pods --log DIR/events.jsonl");
    expect(result.stdout).toContain("… and 2,280 more nodes;");
  }, 120_000);
});
