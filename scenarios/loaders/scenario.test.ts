import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "./manifests.js";
import { loadScenarioText } from "./scenario.js";

const NODE = `
      - apiVersion: v1
        kind: Node
        metadata: {name: node-1}
        status: {capacity: {cpu: "2", memory: 4Gi}}`;

function scenario(body: string): string {
  return `apiVersion: timoneiro.dev/v1
kind: Scenario
metadata: {name: test}
spec:
${body}`;
}

function load(text: string, validate: "warn" | "strict" | "ignore" = "warn") {
  return loadScenarioText(text, "s.yaml", { validate });
}

describe("scenario files", () => {
  it("reads seed, until, fitBy, nodes, pools, workloads and every timeline action", () => {
    const result = load(scenario(`  seed: 7
  until: 1h30m
  fitBy: limits
  cluster:
    nodes:${NODE}
    pools:
      - name: big
        count: 2
        template:
          metadata: {labels: {size: big}}
          status: {capacity: {cpu: "64", memory: 256Gi}}
  workloads:
    - {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: [{name: c, image: i}]}}
  timeline:
    - {at: 1m, create: {apiVersion: v1, kind: Pod, metadata: {name: b}, spec: {containers: [{name: c, image: i}]}}}
    - {at: 2m, delete: {kind: Pod, name: a, gracePeriodSeconds: 0}}
    - {at: 3m, cordon: node-1}
    - {at: 4m, uncordon: node-1}
    - {at: 5m, addNodes: {pool: big, count: 1}}
`));
    expect(result.diagnostics).toEqual([]);
    const loaded = result.scenario;
    expect(loaded?.seed).toBe(7);
    expect(loaded?.untilSeconds).toBe(5400);
    expect(loaded?.options.fitBy).toBe("limits");
    expect(loaded?.nodes.map((node) => node.name)).toEqual(["node-1", "big-1", "big-2"]);
    // the pool's label, and the hostname label its kubelet adds on registering
    expect(loaded?.nodes[1]?.labels).toEqual({ size: "big", "kubernetes.io/hostname": "big-1" });
    expect(loaded?.pods.map((pod) => pod.name)).toEqual(["a"]);
    expect(loaded?.timeline.map((action) => [action.at, action.action])).toEqual([
      [60, "createPod"], [120, "deletePod"], [180, "cordon"], [240, "uncordon"], [300, "addNode"],
    ]);
    const added = loaded?.timeline[4];
    expect(added?.action === "addNode" && added.node.name).toBe("big-3");
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  const errors: Array<[string, string, RegExp]> = [
    ["a wrong kind", "apiVersion: timoneiro.dev/v1\nkind: Scenaro\n", /^s\.yaml:1: error: a scenario starts with/],
    ["a bad duration", scenario("  until: ten minutes\n"), /^s\.yaml:5: error: spec\.until: invalid duration "ten minutes"/],
    ["fitBy misspelt", scenario("  fitBy: limit\n"), /^s\.yaml:5: error: spec\.fitBy: must be "requests" or "limits"/],
    ["an unknown spec field, an error in Timoneiro's own schema", scenario("  util: 10m\n"), /^s\.yaml:5: error: spec\.util: unknown field "util" in ScenarioSpec \(did you mean "until"\?\)/],
    ["a node defined twice", scenario(`  cluster:\n    nodes:${NODE}${NODE}\n`), /node "node-1" is defined twice/],
    ["an action after the end of the run", scenario("  until: 1m\n  timeline:\n    - {at: 2m, cordon: a}\n"), /^s\.yaml:7: warning: spec\.timeline\[0\]\.at: after the end of the run/],
    ["an unknown action", scenario("  timeline:\n    - {at: 1m, explode: node-1}\n"), /^s\.yaml:6: error: spec\.timeline\[0\]\.explode: unknown action "explode"; supported actions: create, delete/],
    ["a drain with a misspelt flag", scenario(`  cluster:\n    nodes:${NODE}\n  timeline:\n    - {at: 1m, drain: {node: node-1, ignoreDaemonsets: true}}\n`), /spec\.timeline\[0\]\.drain\.ignoreDaemonsets: unknown field; drain takes node, timeout, force, ignoreDaemonSets/],
    ["failNode naming a node that does not exist", scenario(`  cluster:\n    nodes:${NODE}\n  timeline:\n    - {at: 1m, failNode: node-9}\n`), /^s\.yaml:12: error: spec\.timeline\[0\]\.failNode: no node named "node-9" in the scenario/],
    ["removeNode before the node joins", scenario(`  cluster:\n    pools: [{name: big, count: 1, template: {status: {capacity: {cpu: "2"}}}}]\n  timeline:\n    - {at: 1m, removeNode: big-2}\n    - {at: 2m, addNodes: {pool: big}}\n`), /^s\.yaml:8: error: spec\.timeline\[0\]\.removeNode: node "big-2" joins at 120s, after this action \(at 60s\)/],
    ["recoverNode after the node was removed", scenario(`  cluster:\n    nodes:${NODE}\n  timeline:\n    - {at: 1m, removeNode: node-1}\n    - {at: 2m, recoverNode: node-1}\n`), /^s\.yaml:13: error: spec\.timeline\[1\]\.recoverNode: node "node-1" is removed at 60s, before this action \(at 120s\)/],
    ["a taint with a bad effect", scenario(`  cluster:\n    nodes:${NODE}\n  timeline:\n    - {at: 1m, taint: {node: node-1, key: k, effect: NoRun}}\n`), /spec\.timeline\[0\]\.taint\.effect: must be one of NoSchedule, PreferNoSchedule, NoExecute, got "NoRun"/],
    ["two actions in one entry", scenario("  timeline:\n    - {at: 1m, cordon: a, uncordon: b}\n"), /exactly one action/],
    ["an entry without at", scenario("  timeline:\n    - {cordon: a}\n"), /^s\.yaml:6: error: spec\.timeline\[0\]\.at: required: when the action happens/],
    ["a pod with a bad quantity, at its own line", scenario("  workloads:\n    - apiVersion: v1\n      kind: Pod\n      metadata: {name: a}\n      spec:\n        containers:\n          - name: c\n            image: i\n            resources: {requests: {memory: 1GB}}\n"),
      /^s\.yaml:13: error: spec\.workloads\[0\]\.spec\.containers\[0\]\.resources\.requests\.memory: invalid quantity "1GB"/],
    ["addNodes for an unknown pool", scenario("  timeline:\n    - {at: 1m, addNodes: {pool: nope}}\n"), /no pool named "nope"/],
    ["a Node among the workloads", scenario(`  workloads:${NODE}\n`), /Nodes belong in spec\.cluster\.nodes/],
    ["two documents", scenario("  seed: 1\n---\nfoo: 1\n"), /exactly one document/],
  ];
  it.each(errors)("reports %s at its line", (_name, text, expected) => {
    const result = load(text);
    expect(result.diagnostics.map(formatDiagnostic)).toContainEqual(expect.stringMatching(expected));
  });

  it("refuses the scenario when any error is found, keeps it with warnings only", () => {
    expect(load(scenario("  until: ten\n")).scenario).toBeUndefined();
    expect(load(scenario("  util: 10m\n"), "ignore").scenario).toBeUndefined();
    expect(load(scenario(`  cluster:\n    nodes:${NODE}\n  until: 1m\n  timeline:\n    - {at: 2m, cordon: node-1}\n`)).scenario).toBeDefined();
  });
});

describe("spec.controllers", () => {
  const base = "apiVersion: timoneiro.dev/v1\nkind: Scenario\nmetadata: {name: gc}\nspec:\n  cluster: {nodes: []}\n";
  it("reads PodGC's threshold", () => {
    const loaded = loadScenarioText(`${base}  controllers: {terminatedPodGCThreshold: 100}\n`, "gc.yaml", { validate: "warn" });
    expect(loaded.scenario?.controllers).toEqual({ terminatedPodGCThreshold: 100 });
  });
  it("refuses a threshold that is not a whole number, naming the field", () => {
    const loaded = loadScenarioText(`${base}  controllers: {terminatedPodGCThreshold: lots}\n`, "gc.yaml", { validate: "warn" });
    expect(loaded.scenario).toBeUndefined();
    expect(loaded.diagnostics.map((diagnostic) => formatDiagnostic(diagnostic)).join("\n")).toMatch(/spec\.controllers\.terminatedPodGCThreshold.*whole number/);
  });
});

describe("large scenarios", () => {
  it("stamps a pool of 150,000 nodes without spreading them into a call's arguments (which overflows the stack)", () => {
    const text = "apiVersion: timoneiro.dev/v1\nkind: Scenario\nmetadata: {name: big-pool}\nspec:\n  cluster:\n    pools:\n    - {name: big, count: 150000, template: {status: {allocatable: {cpu: \"4\"}}}}\n";
    const result = loadScenarioText(text, "pool.yaml", { validate: "warn" });
    expect(result.diagnostics).toEqual([]);
    expect(result.scenario?.nodes).toHaveLength(150_000);
    expect(result.scenario?.nodes[149_999]?.name).toBe("big-150000");
  }, 30_000);
});

describe("scenario files: workloads and what the timeline does to them", () => {
  const web = `
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: web, image: "nginx:1.26"}, {name: log, image: "fluent:1"}]}`;

  it("reads Deployments into objects; scale, update (a strategic merge patch) and delete resolve against them in order", () => {
    const result = load(scenario(`  cluster:
    nodes:${NODE}
  workloads:${web}
  timeline:
    - {at: 1m, scale: {kind: Deployment, name: web, replicas: 5}}
    - {at: 2m, update: {kind: Deployment, name: web, patch: {spec: {template: {spec: {containers: [{name: web, image: "nginx:1.27"}]}}}}}}
    - {at: 3m, delete: {kind: Deployment, name: web, cascade: orphan}}
`));
    expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === "error")).toEqual([]);
    const objects = result.scenario?.objects ?? [];
    expect(objects.map((object) => `${object.kind} ${object.name}`)).toEqual(["Deployment web"]);
    const timeline = result.scenario?.timeline ?? [];
    expect(timeline.map((action) => `${action.at} ${action.action}`)).toEqual(["60 scale", "120 update", "180 deleteObject"]);
    const update = timeline[1];
    if (update?.action !== "update") throw new Error("not an update");
    // The patch merged containers by name (log kept) on the object as scaled (replicas 5), and does not set replicas itself.
    expect(update.workload.template.containers.map((container) => `${container.name}=${container.image}`)).toEqual(["web=nginx:1.27", "log=fluent:1"]);
    expect(update.workload.replicas).toBe(5);
    expect(update.setsReplicas).toBe(false);
    expect(timeline[2]).toMatchObject({ kind: "Deployment", object: "default/web", propagation: "Orphan" });
    // Kube's default spreading is simulated: nothing to warn about.
    expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === "warning")).toEqual([]);
  });

  it.each([
    ["a workload that does not exist", "- {at: 1m, scale: {kind: Deployment, name: api, replicas: 2}}", /spec\.timeline\[0\]\.scale\.name: no Deployment default\/api in the scenario at this point .*there is default\/web/],
    ["negative replicas", "- {at: 1m, scale: {kind: Deployment, name: web, replicas: -1}}", /replicas: must be a whole number ≥ 0, got -1/],
    ["a patch that breaks the object", "- {at: 1m, update: {kind: Deployment, name: web, patch: {spec: {replicas: -2}}}}", /Deployment "web" after the patch: spec\.replicas: Invalid value: -2: must be greater than or equal to 0/],
    ["a patch without merge keys", "- {at: 1m, update: {kind: Deployment, name: web, patch: {spec: {template: {spec: {containers: [{image: x}]}}}}}}", /does not contain declared merge key: name/],
    ["a scale after the delete", "- {at: 1m, delete: {kind: Deployment, name: web}}\n    - {at: 2m, scale: {kind: Deployment, name: web, replicas: 2}}", /timeline\[1\]\.scale\.name: no Deployment default\/web/],
    ["foreground deletion", "- {at: 1m, delete: {kind: Deployment, name: web, cascade: foreground}}", /foreground deletion is not simulated/],
    ["a kind that cannot be scaled", "- {at: 1m, scale: {kind: Pod, name: web, replicas: 2}}", /scale applies to Deployment, ReplicaSet, ReplicationController or StatefulSet, not "Pod"/],
  ])("refuses %s at its line (exit 2)", (_name, action, message) => {
    const text = scenario(`  cluster:
    nodes:${NODE}
  workloads:${web}
  timeline:
    ${action}
`);
    const result = load(text);
    expect(result.scenario).toBeUndefined();
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === "error").map(formatDiagnostic);
    expect(errors.join("\n")).toMatch(message);
    // The line named is the action's (the timeline starts after the 14 lines of the workload).
    const line = result.diagnostics.find((diagnostic) => diagnostic.severity === "error")?.line ?? 0;
    expect(text.split("\n")[line - 1]).toMatch(/at: [12]m/);
  });

  it("creates a workload at a tick", () => {
    const result = load(scenario(`  cluster:
    nodes:${NODE}
  timeline:
    - at: 5m
      create:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: i}]}}}
    - {at: 6m, scale: {kind: Deployment, name: web, replicas: 1}}
`));
    expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === "error").map(formatDiagnostic)).toEqual([]);
    expect(result.scenario?.timeline.map((action) => `${action.at} ${action.action}`)).toEqual(["300 createObject", "360 scale"]);
  });
});

describe("scenario files: the clock", () => {
  it("spec.startTime gives tick 0's time; a bad one is an error at its line", () => {
    expect(load(scenario(`  startTime: "2026-06-01T08:00:00+02:00"\n  cluster:\n    nodes:${NODE}\n`)).scenario?.startTime).toBe(1_780_293_600);
    const bad = load(scenario(`  startTime: "June 1st"\n  cluster:\n    nodes:${NODE}\n`));
    expect(bad.scenario).toBeUndefined();
    expect(bad.diagnostics.map(formatDiagnostic).join("\n")).toMatch(/^s\.yaml:5: error: spec\.startTime: invalid time "June 1st": an RFC 3339 time is expected/m);
  });
});

describe("spec.include", () => {
  const demo = join(import.meta.dirname, "../../../shared/manifests/microservices-demo");

  function scenarioIn(dir: string, include: string): string {
    const file = join(dir, "scenario.yaml");
    writeFileSync(file, [
      "apiVersion: timoneiro.dev/v1",
      "kind: Scenario",
      "metadata: {name: shop}",
      "spec:",
      "  until: 10m",
      `  include: ${include}`,
      "  cluster:",
      "    pools: [{name: node, count: 3, template: {status: {allocatable: {cpu: '4', memory: 16Gi, pods: '110'}}}}]",
      "  timeline:",
      "    - {at: 5m, failNode: node-2}",
    ].join("\n") + "\n");
    return file;
  }

  it("reads the microservices demo's real manifests from a folder, and its nodes come from the pools", () => {
    const dir = mkdtempSync(join(tmpdir(), "timoneiro-include-"));
    // The folder's loadgenerator.yaml repeats kubernetes-manifests.yaml's loadgenerator Deployment
    // (kubectl create would answer AlreadyExists): the one file holds the whole shop.
    const file = scenarioIn(dir, `[${JSON.stringify(relative(dir, join(demo, "kubernetes-manifests.yaml")))}]`);
    const loaded = loadScenarioText(readFileSync(file, "utf8"), file, { validate: "warn" });
    expect(loaded.diagnostics.filter((diagnostic) => diagnostic.severity === "error")).toEqual([]);
    const scenario = loaded.scenario;
    // kubernetes-manifests.yaml: 12 Deployments (the 11 services and the load generator) and 12 Services.
    const kinds = (scenario?.objects ?? []).map((object) => object.kind);
    expect(kinds.filter((kind) => kind === "Deployment")).toHaveLength(12);
    expect(kinds.filter((kind) => kind === "Service")).toHaveLength(12);
    expect(scenario?.nodes.map((node) => node.name)).toEqual(["node-1", "node-2", "node-3"]);
    // The included files count in the run's identity: the hash is not the scenario text's alone.
    const alone = loadScenarioText(readFileSync(file, "utf8").replace(/ {2}include: .*\n/, ""), file, { validate: "warn" });
    expect(loaded.hash).not.toBe(alone.hash);
  });

  it("names a path that does not exist, and a problem inside an included file at its own line", () => {
    const dir = mkdtempSync(join(tmpdir(), "timoneiro-include-"));
    const missing = loadScenarioText(readFileSync(scenarioIn(dir, "[nowhere.yaml]"), "utf8"), join(dir, "scenario.yaml"), { validate: "warn" });
    expect(missing.scenario).toBeUndefined();
    expect(missing.diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/scenario\.yaml:6: error: spec\.include\[0\]: cannot read .*nowhere\.yaml: no such file or folder \(paths are relative to the scenario's folder/)]);
    writeFileSync(join(dir, "bad.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - name: app\n      image: nginx\n      resources: {requests: {cpu: 2 cores}}\n");
    const bad = loadScenarioText(readFileSync(scenarioIn(dir, "[bad.yaml]"), "utf8"), join(dir, "scenario.yaml"), { validate: "warn" });
    expect(bad.scenario).toBeUndefined();
    expect(bad.diagnostics.map(formatDiagnostic).join("\n")).toMatch(/bad\.yaml:8: error: spec\.containers\[0\]\.resources\.requests\.cpu: /);
  });
});
