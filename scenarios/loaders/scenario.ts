/**
 * Scenario files (`apiVersion: timoneiro.dev/v1`, `kind: Scenario`; DESIGN.md "Scenario file"):
 * a cluster (nodes and node pools), workloads (manifests) and a timeline of actions.
 *
 *   spec:
 *     seed: 1                  # default 1
 *     until: 10m               # default 1h
 *     startTime: "2026-01-01T00:00:00Z"   # tick 0's time (RFC 3339); this is the default
 *     fitBy: requests          # or limits
 *     include: [app.yaml, manifests/]   # manifest files and folders, relative to this file ({path, recursive: true})
 *     cluster:
 *       nodes: [<v1 Node>]
 *       pools: [{name: big, count: 3, template: <v1 Node without a name>}]
 *     workloads: [<v1 Pod> …]
 *     timeline:
 *       - {at: 1m, create: <v1 Pod, v1 Node, Deployment, ReplicaSet or ReplicationController>}
 *       - {at: 2m, delete: {kind: Pod, name: pod-a, namespace: default, gracePeriodSeconds: 0}}
 *       - {at: 2m, delete: {kind: Deployment, name: web, cascade: orphan}}   # default background
 *       - {at: 5m, scale: {kind: Deployment, name: web, replicas: 10}}
 *       - {at: 9m, update: {kind: Deployment, name: web, patch: {spec: {template: …}}}}   # strategic merge
 *       - {at: 3m, cordon: node-1}
 *       - {at: 4m, uncordon: node-1}
 *       - {at: 60s, failNode: node-2}       # its kubelet stops posting status
 *       - {at: 10m, recoverNode: node-2}
 *       - {at: 2h, removeNode: node-3}      # the Node object is deleted, whatever it holds
 *       - {at: 5m, taint: {node: node-1, key: node.kubernetes.io/out-of-service, value: nodeshutdown, effect: NoExecute}}
 *       - {at: 6m, untaint: {node: node-1, key: node.kubernetes.io/out-of-service, effect: NoExecute}}
 *       - {at: 1h, addNodes: {pool: big, count: 3}}
 *     controllers:
 *       terminatedPodGCThreshold: 12500   # PodGC; 0 turns it off
 *     scheduler:               # default: kube's default profile
 *       policy: kube           # or first-fit, best-fit, worst-fit
 *       config: ksc.yaml       # a KubeSchedulerConfiguration, relative to this file
 *       balancedAllocation: v1.35
 *       plugins: [my-plugin.js] # out-of-tree plugins (ES modules), relative to this file
 */
import { createHash } from "node:crypto";
import { isAbsolute, join } from "node:path";
import {
  DEFAULT_START_TIME,
  DiagnosticList,
  DurationError,
  checkUnknownFields,
  formatPath,
  parseDurationSeconds,
  type FieldPath,
  type FieldSchema,
  type ClassicPolicy,
  CLASSIC_POLICIES,
  ClockError,
  PatchError,
  canonicalJson,
  parseRfc3339,
  PriorityClasses,
  isWorkloadKind,
  DEFAULT_DRAIN,
  type DrainOptions,
  strategicMerge,
  workloadFromManifest,
  type ClusterObject,
  type Workload,
  type WorkloadKind,
  type Node,
  type Pod,
  type Scenario,
  type TimelineAction,
} from "../../core/index.js";
import { admitPods, admitWorkloads, emptyManifests, loadManifestFile, loadObject, priorityClassesOf, type FileDiagnostic, type LoadOptions, type LoadedManifests } from "./manifests.js";
import { ManifestPathError, manifestFiles } from "./paths.js";
import { loadedTrace, traceSpecOf, type TraceRead } from "./traces/index.js";
import { YamlSyntaxError, parseDocuments, type SourceDocument } from "./yaml.js";
import { withTimeZones } from "./zones.js";

/** The scheduler a scenario asks for (`spec.scheduler`); the CLI's flags override it. */
export interface ScenarioScheduler {
  readonly policy?: "kube" | ClassicPolicy;
  /** A KubeSchedulerConfiguration file, resolved against the scenario file's folder. */
  readonly config?: string;
  readonly balancedAllocation?: "v1.35" | "v1.36";
  /** Out-of-tree plugin modules, resolved against the scenario file's folder. */
  readonly plugins?: readonly string[];
}

export interface LoadedScenario {
  /** Undefined when an error refused the scenario. */
  readonly scenario: Scenario | undefined;
  readonly scheduler: ScenarioScheduler;
  readonly diagnostics: readonly FileDiagnostic[];
  /** sha256 of the file's text, for the log header. */
  readonly hash: string;
}

const ANY: FieldSchema = { type: "any" };
const SCALAR: FieldSchema = { type: "scalar" };
const SCENARIO_SCHEMA: FieldSchema = {
  type: "object",
  name: "Scenario",
  fields: {
    apiVersion: SCALAR,
    kind: SCALAR,
    metadata: { type: "object", name: "metadata", fields: { name: SCALAR, description: SCALAR, labels: ANY, annotations: ANY } },
    spec: {
      type: "object",
      name: "ScenarioSpec",
      fields: {
        seed: SCALAR,
        until: SCALAR,
        startTime: SCALAR,
        fitBy: SCALAR,
        include: { type: "list", items: ANY },
        cluster: {
          type: "object",
          name: "cluster",
          fields: {
            nodes: ANY,
            trace: ANY,
            pools: { type: "list", items: { type: "object", name: "pool", fields: { name: SCALAR, count: SCALAR, template: ANY } } },
          },
        },
        workloads: ANY,
        timeline: ANY,
        scheduler: { type: "object", name: "scheduler", fields: { policy: SCALAR, config: SCALAR, balancedAllocation: SCALAR, plugins: { type: "list", items: SCALAR } } },
        controllers: { type: "object", name: "controllers", fields: { terminatedPodGCThreshold: SCALAR } },
      },
    },
  },
};

const SUPPORTED_ACTIONS = ["create", "delete", "scale", "update", "cordon", "uncordon", "drain", "failNode", "recoverNode", "removeNode", "taint", "untaint", "addNodes"];
const PLANNED_ACTIONS: Readonly<Record<string, string>> = {};
const DRAIN_FIELDS = ["node", "timeout", "force", "ignoreDaemonSets", "deleteEmptyDirData", "gracePeriodSeconds"];
const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** Loads a scenario from its text; `file` names it in diagnostics. */
export function loadScenarioText(text: string, file: string, options: LoadOptions): LoadedScenario {
  const hash = createHash("sha256").update(text).digest("hex");
  const diagnostics: FileDiagnostic[] = [];
  let documents: SourceDocument[];
  try {
    documents = parseDocuments(text).filter((document) => document.value !== null && document.value !== undefined);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    diagnostics.push({ severity: "error", file, line: error.line, path: "", message: `not valid YAML: ${error.reason} (column ${error.column})` });
    return { scenario: undefined, scheduler: {}, diagnostics, hash };
  }
  const document = documents[0];
  const manifests = documents.filter((candidate) => isManifest(candidate.value));
  if (manifests.length > 0 && manifests.length === documents.length) {
    // Kubernetes manifests given where a scenario is expected: say how to run them.
    const kinds = [...new Set(manifests.map((candidate) => (candidate.value as Record<string, unknown>)["kind"]))].join(", ");
    diagnostics.push({ severity: "error", file, line: document?.line ?? 1, path: "",
      message: `this file holds Kubernetes manifests (${kinds}), not a Scenario; run them with timoneiro run -f ${file}` });
    return { scenario: undefined, scheduler: {}, diagnostics, hash };
  }
  if (document === undefined || documents.length > 1) {
    diagnostics.push({ severity: "error", file, line: documents[1]?.line ?? 1, path: "", message: "a scenario file holds exactly one document, a Scenario" });
    return { scenario: undefined, scheduler: {}, diagnostics, hash };
  }
  // The hash covers the files the scenario includes too: the log header names what ran.
  const hasher = createHash("sha256").update(text);
  const builder = new ScenarioBuilder(document, file, options, diagnostics, (bytes) => hasher.update(bytes));
  const scenario = builder.build();
  const scheduler = builder.scheduler();
  const failed = diagnostics.some((diagnostic) => diagnostic.severity === "error");
  const fullHash = builder.included > 0 ? hasher.digest("hex") : hash;
  return { scenario: failed || scenario === undefined ? undefined : withTimeZones(scenario, scenario.startTime ?? DEFAULT_START_TIME), scheduler, diagnostics, hash: fullHash };
}

/** A Kubernetes object (apiVersion and kind, not a Scenario). */
function isManifest(value: unknown): boolean {
  return isRecord(value) && typeof value["apiVersion"] === "string" && !value["apiVersion"].startsWith("timoneiro.dev/") && typeof value["kind"] === "string";
}

class ScenarioBuilder {
  private readonly pools = new Map<string, { template: Record<string, unknown>; count: number }>();
  /** The timeline's actions that name a node, checked once every node the timeline adds is known. */
  private readonly nodeActions: { at: number; node: string; path: FieldPath; removes: boolean }[] = [];
  /** The cluster's PriorityClasses, once the workloads are read (the system ones before). */
  private priorityClasses = new PriorityClasses();
  /**
   * The workloads as the timeline leaves them so far, by `Kind/namespace/name` (undefined once
   * deleted): `scale` and `update` are checked, and patches applied, against them in the order
   * the timeline lists them.
   */
  private readonly workloads = new Map<string, Workload | undefined>();
  /** How many files `spec.include` read. */
  included = 0;

  /** The scenario file's folder: the paths it names are relative to it. */
  private get folder(): string {
    return this.file.includes("/") ? this.file.slice(0, this.file.lastIndexOf("/")) : ".";
  }

  constructor(
    private readonly document: SourceDocument,
    private readonly file: string,
    private readonly options: LoadOptions,
    private readonly diagnostics: FileDiagnostic[],
    private readonly onIncludedBytes: (bytes: Uint8Array) => void = () => undefined,
  ) {}

  /**
   * `spec.include`: manifest files and folders (a folder's .yaml/.yml/.json files, by name;
   * `{path, recursive: true}` for its sub-folders too), relative to the scenario's folder, read as
   * `run -f` reads them into `into`: their Nodes join the cluster, everything else is created at
   * tick 0. Problems in them are reported at their own file and line.
   */
  private include(value: unknown, into: LoadedManifests): void {
    const folder = this.folder;
    this.list(value, ["spec", "include"]).forEach((item, index) => {
      const path: FieldPath = ["spec", "include", index];
      const entry = typeof item === "string" ? { path: item, recursive: false } : isRecord(item) && typeof item["path"] === "string" ? { path: item["path"], recursive: item["recursive"] === true } : undefined;
      if (entry === undefined || (isRecord(item) && Object.keys(item).some((key) => key !== "path" && key !== "recursive"))) {
        this.report("error", path, "an include is a path (a manifest file or a folder of them, relative to this file) or {path, recursive: true}");
        return;
      }
      const target = isAbsolute(entry.path) ? entry.path : join(folder, entry.path);
      let files: string[];
      try {
        files = manifestFiles([target], entry.recursive);
      } catch (error) {
        if (!(error instanceof ManifestPathError)) throw error;
        this.report("error", path, `${error.message} (paths are relative to the scenario's folder, ${folder})`);
        return;
      }
      if (files.length === 0) this.report("warning", path, `${target} holds no .yaml, .yml or .json file`);
      for (const included of files) {
        const before = into.diagnostics.length;
        try {
          loadManifestFile(included, included, this.options, into, this.onIncludedBytes);
        } catch (error) {
          this.report("error", path, `cannot read ${included}: ${(error as Error).message}`);
          continue;
        }
        this.included += 1;
        for (let at = before; at < into.diagnostics.length; at++) this.diagnostics.push(into.diagnostics[at] as FileDiagnostic);
      }
    });
  }

  private report(severity: "error" | "warning", path: FieldPath, message: string): void {
    this.diagnostics.push({ severity, file: this.file, line: this.document.lineOf(path), path: formatPath(path), message });
  }

  build(): Scenario | undefined {
    const root = this.document.value;
    if (!isRecord(root) || root["apiVersion"] !== "timoneiro.dev/v1" || root["kind"] !== "Scenario") {
      this.report("error", [], 'a scenario starts with "apiVersion: timoneiro.dev/v1" and "kind: Scenario"');
      return undefined;
    }
    // Timoneiro's own schema: a typo there (`untill`, `workload`) would silently run an empty
    // scenario, so unknown fields of the Scenario itself are errors whatever --validate says.
    const unknown = new DiagnosticList();
    checkUnknownFields(root, SCENARIO_SCHEMA, [], unknown);
    for (const item of unknown.items) this.report("error", item.path, item.message);
    const metadata = isRecord(root["metadata"]) ? root["metadata"] : {};
    const name = typeof metadata["name"] === "string" ? metadata["name"] : this.file.replace(/^.*\//, "").replace(/\.(ya?ml|json)$/, "");
    const spec = isRecord(root["spec"]) ? root["spec"] : {};
    if (!isRecord(root["spec"])) this.report("error", ["spec"], "required: the scenario's cluster, workloads and timeline");

    const seed = spec["seed"] ?? 1;
    if (!Number.isSafeInteger(seed)) this.report("error", ["spec", "seed"], `must be an integer, got ${JSON.stringify(seed)}`);
    let untilSeconds = this.duration(spec["until"] ?? "1h", ["spec", "until"]) ?? 0;
    let startTime: number | undefined;
    if (spec["startTime"] !== undefined) {
      try {
        startTime = parseRfc3339(spec["startTime"] instanceof Date ? spec["startTime"].toISOString() : String(spec["startTime"]));
      } catch (error) {
        if (!(error instanceof ClockError)) throw error;
        this.report("error", ["spec", "startTime"], error.message);
      }
    }
    const fitBy = spec["fitBy"] ?? "requests";
    if (fitBy !== "requests" && fitBy !== "limits") this.report("error", ["spec", "fitBy"], `must be "requests" or "limits", got ${JSON.stringify(fitBy)}`);

    const controllers = isRecord(spec["controllers"]) ? spec["controllers"] : {};
    const threshold = controllers["terminatedPodGCThreshold"];
    if (threshold !== undefined && !Number.isSafeInteger(threshold)) {
      this.report("error", ["spec", "controllers", "terminatedPodGCThreshold"], `must be a whole number (0 or less turns PodGC off), got ${JSON.stringify(threshold)}`);
    }

    const cluster = isRecord(spec["cluster"]) ? spec["cluster"] : {};
    // Included manifests first: their Nodes before the inline ones, their objects before the inline workloads.
    const workloads = emptyManifests();
    this.include(spec["include"], workloads);
    const includedNodes = workloads.nodes.splice(0);
    const loaded = emptyManifests();
    loaded.nodes.push(...includedNodes);
    this.list(cluster["nodes"], ["spec", "cluster", "nodes"]).forEach((item, index) =>
      this.loadExpecting(item, ["spec", "cluster", "nodes", index], "Node", loaded));
    const nodes: Node[] = [...loaded.nodes];
    const traced: TimelineAction[] = [];
    if (cluster["trace"] !== undefined) {
      const read = this.trace(cluster["trace"], ["spec", "cluster", "trace"], "machines");
      if (read?.part === "machines") {
        // (Loops, not push(...list): a trace holds more items than a call takes arguments.)
        for (const node of read.read.nodes) nodes.push(node);
        for (const action of read.read.actions) traced.push(action);
        if (read.read.updates > 0) this.report("warning", ["spec", "cluster", "trace"], `${read.read.updates} machine UPDATE row(s) (capacity changes) are not simulated: each machine keeps the capacity it was added with`);
        for (const warning of read.read.warnings ?? []) this.report("warning", ["spec", "cluster", "trace"], warning);
      }
    }
    this.list(cluster["pools"], ["spec", "cluster", "pools"]).forEach((item, index) => {
      for (const node of this.pool(item, ["spec", "cluster", "pools", index])) nodes.push(node);
    });
    const tracedPods: Pod[] = [];
    // The workloads' trace sets a run's default end (the machines' trace may go on for weeks).
    let tasksEnd: number | undefined;
    if (isRecord(spec["workloads"])) {
      // `workloads: {trace: …}`: the pods of a trace instead of a list of manifests.
      for (const key of Object.keys(spec["workloads"])) if (key !== "trace") this.report("error", ["spec", "workloads", key], `unknown field "${key}": workloads are a list of manifests, or {trace: …}`);
      const read = this.trace(spec["workloads"]["trace"], ["spec", "workloads", "trace"], "tasks");
      if (read?.part === "tasks") {
        for (const pod of read.read.pods) tracedPods.push(pod);
        for (const action of read.read.actions) traced.push(action);
        tasksEnd = read.read.lastTick;
        for (const warning of read.read.warnings ?? []) this.report("warning", ["spec", "workloads", "trace"], warning);
        if (read.read.updates > 0) this.report("warning", ["spec", "workloads", "trace"], `${read.read.updates} task UPDATE row(s) (request changes while pending or running) are not simulated: each pod keeps the requests it was submitted with`);
      }
    } else {
      this.list(spec["workloads"], ["spec", "workloads"]).forEach((item, index) => this.load(item, ["spec", "workloads", index], workloads));
    }
    if (workloads.nodes.length > 0) this.report("error", ["spec", "workloads"], "Nodes belong in spec.cluster.nodes, not in workloads");
    // kube's Priority admission: the workloads' PriorityClasses exist from the start; every pod,
    // at tick 0 or created later, takes its priority from them.
    this.priorityClasses = priorityClassesOf(workloads.priorityClasses, this.diagnostics);
    admitPods(this.priorityClasses, workloads.pods, workloads.podSources, this.diagnostics);
    admitWorkloads(this.priorityClasses, workloads.workloads, this.diagnostics);
    this.checkUnique(workloads.workloads.map((entry) => `${entry.value.kind} ${entry.value.namespace}/${entry.value.name}`), "object", ["spec", "workloads"]);
    for (const { value } of workloads.workloads) this.workloads.set(`${value.kind}/${value.namespace}/${value.name}`, value);

    // With a trace and no spec.until, the run lasts until the last event of the workloads' trace
    // (or, with machines only, of the machines'), and a second.
    if (spec["until"] === undefined && traced.length > 0) untilSeconds = (tasksEnd ?? traced.reduce((latest, action) => Math.max(latest, action.at), 0)) + 1;
    const timeline: TimelineAction[] = [...traced];
    this.list(spec["timeline"], ["spec", "timeline"]).forEach((item, index) => {
      const actions = this.action(item, ["spec", "timeline", index]);
      if (actions.some((action) => action.at > untilSeconds)) {
        this.report("warning", ["spec", "timeline", index, "at"], `after the end of the run (until ${untilSeconds}s): this action never happens`);
      }
      for (const action of actions) timeline.push(action);
    });
    this.checkUnique(nodes.map((node) => node.name), "node", ["spec", "cluster"]);
    this.checkNodeActions(nodes, timeline);
    this.checkUnique([...workloads.pods, ...timeline.flatMap((action) => (action.action === "createPod" ? [action.pod] : []))].map((pod) => `${pod.namespace}/${pod.name}`), "pod", ["spec", "workloads"]);

    return {
      name,
      seed: Number.isSafeInteger(seed) ? (seed as number) : 1,
      untilSeconds,
      ...(startTime !== undefined ? { startTime } : {}),
      options: { fitBy: fitBy === "limits" ? "limits" : "requests" },
      nodes,
      pods: tracedPods.length > 0 ? workloads.pods.concat(tracedPods) : workloads.pods,
      objects: [
        ...workloads.priorityClasses.map(({ value }): ClusterObject => ({ kind: "PriorityClass", ...value })),
        ...workloads.workloads.map(({ value }) => value),
        ...workloads.policies.map(({ value }) => value),
      ],
      timeline,
      ...(Number.isSafeInteger(threshold) ? { controllers: { terminatedPodGCThreshold: threshold as number } } : {}),
    };
  }

  /** `spec.scheduler`: the policy, a KubeSchedulerConfiguration file, the BalancedAllocation formula. */
  scheduler(): ScenarioScheduler {
    const root = this.document.value;
    const spec = isRecord(root) && isRecord(root["spec"]) ? root["spec"] : {};
    const value = spec["scheduler"];
    if (value === undefined || value === null) return {};
    const path = ["spec", "scheduler"];
    if (!isRecord(value)) {
      this.report("error", path, "must be {policy, config, balancedAllocation, plugins}");
      return {};
    }
    const policies = ["kube", ...CLASSIC_POLICIES];
    const policy = value["policy"];
    if (policy !== undefined && !policies.includes(policy as string)) {
      this.report("error", [...path, "policy"], `must be one of ${policies.join(", ")}, got ${JSON.stringify(policy)}`);
    }
    const config = value["config"];
    if (config !== undefined && typeof config !== "string") this.report("error", [...path, "config"], "must be the path of a KubeSchedulerConfiguration file");
    if (config !== undefined && policy !== undefined && policy !== "kube") this.report("error", [...path, "config"], "a scheduler configuration goes with policy kube");
    const formula = value["balancedAllocation"];
    if (formula !== undefined && formula !== "v1.35" && formula !== "v1.36") this.report("error", [...path, "balancedAllocation"], 'must be "v1.35" or "v1.36"');
    const plugins = value["plugins"];
    const pluginList = Array.isArray(plugins) && plugins.every((plugin) => typeof plugin === "string") ? plugins as string[] : undefined;
    if (plugins !== undefined && pluginList === undefined) this.report("error", [...path, "plugins"], "must be a list of plugin module paths (ES modules), relative to this file");
    if (pluginList !== undefined && policy !== undefined && policy !== "kube") this.report("error", [...path, "plugins"], "out-of-tree plugins go with policy kube");
    const folder = this.folder;
    return {
      ...(pluginList !== undefined && pluginList.length > 0 ? { plugins: pluginList.map((plugin) => (isAbsolute(plugin) ? plugin : join(folder, plugin))) } : {}),
      ...(typeof policy === "string" && policies.includes(policy) ? { policy: policy as ScenarioScheduler["policy"] } : {}),
      ...(typeof config === "string" ? { config: isAbsolute(config) ? config : join(folder, config) } : {}),
      ...(formula === "v1.35" || formula === "v1.36" ? { balancedAllocation: formula } : {}),
    };
  }

  /** Two objects of one kind with the same name: the API server would answer AlreadyExists. */
  private checkUnique(names: readonly string[], kind: string, path: FieldPath): void {
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) this.report("error", path, `${kind} ${JSON.stringify(name)} is defined twice (the API server would answer AlreadyExists)`);
      seen.add(name);
    }
  }

  private list(value: unknown, path: FieldPath): unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.report("error", path, "must be a list");
    return [];
  }

  private duration(value: unknown, path: FieldPath): number | undefined {
    try {
      return parseDurationSeconds(value as string | number);
    } catch (error) {
      if (!(error instanceof DurationError)) throw error;
      this.report("error", path, error.message);
      return undefined;
    }
  }

  /** A `trace:` (spec.cluster.trace or spec.workloads.trace), as `preloadScenarioTraces` read it. */
  private trace(value: unknown, path: FieldPath, part: "machines" | "tasks"): TraceRead | undefined {
    const folder = this.folder;
    const { spec, problems } = traceSpecOf(value, folder);
    for (const problem of problems) this.report("error", [...path, ...problem.field], problem.message);
    if (spec === undefined) return undefined;
    const read = loadedTrace(spec, part);
    if ("error" in read) {
      this.report("error", [...path, "path"], read.error);
      return undefined;
    }
    return read;
  }

  /** Loads one manifest found inside the scenario, reporting at its own lines. */
  private load(value: unknown, path: FieldPath, into: LoadedManifests): void {
    const before = into.diagnostics.length;
    loadObject(value, path, this.document, this.file, this.options, into);
    for (let index = before; index < into.diagnostics.length; index++) this.diagnostics.push(into.diagnostics[index] as FileDiagnostic);
  }

  private loadExpecting(value: unknown, path: FieldPath, kind: "Node" | "Pod", into: LoadedManifests): void {
    if (isRecord(value) && value["kind"] !== kind) {
      this.report("error", [...path, "kind"], `expected a ${kind} here, got ${JSON.stringify(value["kind"])}`);
      return;
    }
    this.load(value, path, into);
  }

  /** A node pool: `count` nodes named `<name>-1` … from one template. */
  private pool(value: unknown, path: FieldPath): Node[] {
    if (!isRecord(value)) {
      this.report("error", path, "a pool is {name, count, template}");
      return [];
    }
    const name = value["name"];
    const count = value["count"] ?? 1;
    if (typeof name !== "string" || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
      this.report("error", [...path, "name"], "required: a lowercase name (nodes are called <name>-1, <name>-2 …)");
      return [];
    }
    if (!Number.isSafeInteger(count) || (count as number) < 0) {
      this.report("error", [...path, "count"], `must be a whole number of nodes, got ${JSON.stringify(count)}`);
      return [];
    }
    if (this.pools.has(name)) this.report("error", [...path, "name"], `a pool named ${JSON.stringify(name)} is already defined`);
    const template = isRecord(value["template"]) ? value["template"] : {};
    const manifest = (index: number) => ({
      apiVersion: "v1",
      kind: "Node",
      ...template,
      metadata: { ...(isRecord(template["metadata"]) ? template["metadata"] : {}), name: `${name}-${index}` },
    });
    // Check the template once, reporting at its lines; then stamp out the nodes.
    const check = emptyManifests();
    const templatePath = [...path, "template"];
    loadObject(manifest(1), templatePath, this.document, this.file, this.options, check);
    for (const diagnostic of check.diagnostics) this.diagnostics.push({ ...diagnostic, path: diagnostic.path.replace(/^template\.metadata\.name/, "name") });
    if (check.nodes.length === 0) return [];
    this.pools.set(name, { template, count: count as number });
    return this.stampNodes(name, 1, count as number);
  }

  private stampNodes(pool: string, first: number, count: number): Node[] {
    const template = this.pools.get(pool)?.template ?? {};
    const nodes: Node[] = [];
    for (let index = first; index < first + count; index++) {
      const check = emptyManifests();
      loadObject({ apiVersion: "v1", kind: "Node", ...template, metadata: { ...(isRecord(template["metadata"]) ? template["metadata"] : {}), name: `${pool}-${index}` } }, [], this.document, this.file, { validate: "ignore" }, check);
      for (const node of check.nodes) nodes.push(node);
    }
    return nodes;
  }

  /** The workload a `scale`, `update` or `delete` names: {kind, name, namespace}, known to the scenario so far. */
  private target(body: unknown, path: FieldPath, action: string, extra: string): { kind: WorkloadKind; key: string; object: string; workload: Workload } | undefined {
    if (!isRecord(body) || typeof body["kind"] !== "string" || typeof body["name"] !== "string") {
      this.report("error", path, `${action} takes {kind: Deployment|ReplicaSet|ReplicationController|StatefulSet|DaemonSet, name: <name>, namespace: <namespace>${extra}}`);
      return undefined;
    }
    const kind = body["kind"];
    if (!isWorkloadKind(kind)) {
      this.report("error", [...path, "kind"], `${action} applies to ${action === "scale" ? "Deployment, ReplicaSet, ReplicationController or StatefulSet" : "Deployment, ReplicaSet, ReplicationController, StatefulSet or DaemonSet"}, not ${JSON.stringify(kind)}`);
      return undefined;
    }
    const namespace = typeof body["namespace"] === "string" ? body["namespace"] : "default";
    const object = `${namespace}/${body["name"]}`;
    const key = `${kind}/${object}`;
    const workload = this.workloads.get(key);
    if (workload === undefined) {
      const known = [...this.workloads.entries()].filter(([, value]) => value !== undefined && value.kind === kind).map(([name]) => name.slice(kind.length + 1));
      this.report("error", [...path, "name"], `no ${kind} ${object} in the scenario at this point (spec.workloads, or a create earlier in the timeline)${known.length > 0 ? `; there is ${known.slice(0, 5).join(", ")}` : ""}`);
      return undefined;
    }
    return { kind, key, object, workload };
  }

  private scaleAction(at: number, body: unknown, path: FieldPath): TimelineAction[] {
    const target = this.target(body, path, "scale", ", replicas: <count>");
    if (target === undefined) return [];
    if (target.kind === "DaemonSet") {
      this.report("error", [...path, "kind"], "a DaemonSet cannot be scaled: it runs one pod on each node that should run one (change its nodeSelector or the nodes instead)");
      return [];
    }
    if (target.kind === "Job") {
      this.report("error", [...path, "kind"], "a Job is not scaled (kubectl scale job was removed): update its spec.parallelism instead");
      return [];
    }
    if (target.kind === "CronJob") {
      this.report("error", [...path, "kind"], "a CronJob has no scale: update its jobTemplate's parallelism, or suspend it");
      return [];
    }
    const replicas = (body as Record<string, unknown>)["replicas"];
    if (!Number.isSafeInteger(replicas) || (replicas as number) < 0) {
      this.report("error", [...path, "replicas"], `must be a whole number ≥ 0, got ${JSON.stringify(replicas)}`);
      return [];
    }
    const spec = isRecord(target.workload.manifest["spec"]) ? target.workload.manifest["spec"] : {};
    this.workloads.set(target.key, { ...target.workload, replicas: replicas as number, manifest: { ...target.workload.manifest, spec: { ...spec, replicas } } });
    return [{ at, action: "scale", kind: target.kind, object: target.object, replicas: replicas as number }];
  }

  /** `update`: the patch applied now to the object as the timeline leaves it, and validated as the API server would. */
  private updateAction(at: number, body: unknown, path: FieldPath): TimelineAction[] {
    const target = this.target(body, path, "update", ", patch: <a strategic merge patch of the object>");
    if (target === undefined) return [];
    const patch = (body as Record<string, unknown>)["patch"];
    if (!isRecord(patch)) {
      this.report("error", [...path, "patch"], "required: a strategic merge patch of the whole object, as kubectl patch takes it, e.g. {spec: {template: {spec: {containers: [{name: web, image: nginx:1.27}]}}}}");
      return [];
    }
    let manifest: unknown;
    try {
      manifest = strategicMerge(target.workload.manifest, patch);
    } catch (error) {
      if (!(error instanceof PatchError)) throw error;
      this.report("error", [...path, "patch"], error.message);
      return [];
    }
    const converted = workloadFromManifest(manifest as Record<string, unknown>);
    const name = `${target.kind} ${JSON.stringify(target.workload.name)}`;
    for (const diagnostic of converted.diagnostics) {
      if (diagnostic.severity !== "error" && diagnostic.unknownField === true && this.options.validate === "ignore") continue;
      const severity = diagnostic.unknownField === true && this.options.validate === "strict" ? "error" : diagnostic.severity;
      this.report(severity, [...path, "patch"], `${name} after the patch: ${formatPath(diagnostic.path)}: ${diagnostic.message}`);
    }
    if (converted.value === undefined) return [];
    if (target.kind === "Job" && canonicalJson(converted.value.template) !== canonicalJson(target.workload.template)) {
      this.report("error", [...path, "patch"], `Job ${JSON.stringify(target.workload.name)} after the patch: spec.template: Invalid value: field is immutable`);
      return [];
    }
    if (converted.value.name !== target.workload.name || converted.value.namespace !== target.workload.namespace || converted.value.kind !== target.kind) {
      this.report("error", [...path, "patch"], `a patch cannot change the object's kind, name or namespace`);
      return [];
    }
    const spec = isRecord(patch["spec"]) ? patch["spec"] : {};
    const entry = { value: converted.value, file: this.file, line: this.document.lineOf(path), priorityGiven: false };
    admitWorkloads(this.priorityClasses, [entry], this.diagnostics);
    this.workloads.set(target.key, entry.value);
    return [{ at, action: "update", kind: target.kind, object: target.object, workload: entry.value, setsReplicas: spec["replicas"] !== undefined }];
  }

  private deleteWorkload(at: number, body: Record<string, unknown>, path: FieldPath): TimelineAction[] {
    const target = this.target(body, path, "delete", ", cascade: background|orphan");
    if (target === undefined) return [];
    const cascade = body["cascade"] ?? "background";
    if (cascade !== "background" && cascade !== "orphan") {
      this.report("error", [...path, "cascade"], cascade === "foreground"
        ? "foreground deletion is not simulated (kubectl's default is background)"
        : `invalid cascade value (${JSON.stringify(cascade)}). Must be "background" or "orphan"`);
      return [];
    }
    this.workloads.set(target.key, undefined);
    return [{ at, action: "deleteObject", kind: target.kind, object: target.object, propagation: cascade === "orphan" ? "Orphan" : "Background" }];
  }

  /** kubectl drain NODE [--timeout] [--force] [--ignore-daemonsets] [--delete-emptydir-data] [--grace-period]: `drain: NODE` or `drain: {node, …}`. */
  private drainAction(at: number, body: unknown, path: FieldPath): TimelineAction[] {
    if (typeof body === "string" && body !== "") {
      this.nodeActions.push({ at, node: body, path, removes: false });
      return [{ at, action: "drain", node: body, options: DEFAULT_DRAIN }];
    }
    if (!isRecord(body) || typeof body["node"] !== "string" || body["node"] === "") {
      this.report("error", path, "drain takes a node name, or {node, timeout, force, ignoreDaemonSets, deleteEmptyDirData, gracePeriodSeconds} (kubectl drain's flags; defaults: no timeout, false, false, false, each pod's own grace period)");
      return [];
    }
    let ok = true;
    for (const field of Object.keys(body)) {
      if (!DRAIN_FIELDS.includes(field)) {
        this.report("error", [...path, field], `unknown field; drain takes ${DRAIN_FIELDS.join(", ")}`);
        ok = false;
      }
    }
    for (const field of ["force", "ignoreDaemonSets", "deleteEmptyDirData"]) {
      if (body[field] !== undefined && typeof body[field] !== "boolean") {
        this.report("error", [...path, field], `must be true or false, got ${JSON.stringify(body[field])}`);
        ok = false;
      }
    }
    const timeout = body["timeout"] === undefined ? 0 : this.duration(body["timeout"], [...path, "timeout"]);
    const grace = body["gracePeriodSeconds"];
    if (grace !== undefined && (!Number.isSafeInteger(grace) || (grace as number) < -1)) {
      this.report("error", [...path, "gracePeriodSeconds"], "must be whole seconds, 0 or more (or -1: each pod's own)");
      ok = false;
    }
    if (!ok || timeout === undefined) return [];
    this.nodeActions.push({ at, node: body["node"], path: [...path, "node"], removes: false });
    const options: DrainOptions = {
      ...(timeout > 0 ? { timeoutSeconds: timeout } : {}),
      force: body["force"] === true,
      ignoreDaemonSets: body["ignoreDaemonSets"] === true,
      deleteEmptyDirData: body["deleteEmptyDirData"] === true,
      ...(typeof grace === "number" && grace >= 0 ? { gracePeriodSeconds: grace } : {}),
    };
    return [{ at, action: "drain", node: body["node"], options }];
  }

  /** kubectl taint NODE KEY[=VALUE]:EFFECT (and `KEY:EFFECT-` to remove it). */
  private taintAction(at: number, key: "taint" | "untaint", body: unknown, path: FieldPath): TimelineAction[] {
    if (!isRecord(body) || typeof body["node"] !== "string" || typeof body["key"] !== "string" || body["key"] === "") {
      this.report("error", path, `${key} takes {node: <name>, key: <taint key>, ${key === "taint" ? "value: <optional>, " : ""}effect: NoSchedule|PreferNoSchedule|NoExecute}`);
      return [];
    }
    const effect = body["effect"];
    if (typeof effect !== "string" || !TAINT_EFFECTS.includes(effect)) {
      this.report("error", [...path, "effect"], `must be one of ${TAINT_EFFECTS.join(", ")}, got ${JSON.stringify(effect)}`);
      return [];
    }
    const value = body["value"];
    if (value !== undefined && typeof value !== "string") {
      this.report("error", [...path, "value"], `must be a string, got ${JSON.stringify(value)}`);
      return [];
    }
    for (const field of Object.keys(body)) if (!["node", "key", "value", "effect"].includes(field)) this.report("error", [...path, field], `unknown field; ${key} takes node, key, value and effect`);
    this.nodeActions.push({ at, node: body["node"], path: [...path, "node"], removes: false });
    const taint = { key: body["key"], effect: effect as "NoSchedule" | "PreferNoSchedule" | "NoExecute", ...(value !== undefined && value !== "" ? { value } : {}) };
    return [{ at, action: key, node: body["node"], taint }];
  }

  /**
   * Every action naming a node names one that exists at its tick: a node of the cluster, or one a
   * timeline action added at or before that tick, and not removed before it.
   */
  private checkNodeActions(nodes: readonly Node[], timeline: readonly TimelineAction[]): void {
    const added = new Map<string, number>();
    for (const node of nodes) added.set(node.name, 0);
    for (const action of timeline) if (action.action === "addNode" && (added.get(action.node.name) ?? Infinity) > action.at) added.set(action.node.name, action.at);
    const removed = new Map<string, number>();
    for (const action of this.nodeActions) if (action.removes && (removed.get(action.node) ?? Infinity) > action.at) removed.set(action.node, action.at);
    for (const action of this.nodeActions) {
      const since = added.get(action.node);
      if (since === undefined) this.report("error", action.path, `no node named ${JSON.stringify(action.node)} in the scenario (spec.cluster.nodes, spec.cluster.pools, or a node the timeline creates)`);
      else if (since > action.at) this.report("error", action.path, `node ${JSON.stringify(action.node)} joins at ${since}s, after this action (at ${action.at}s)`);
      else if ((removed.get(action.node) ?? Infinity) < action.at) this.report("error", action.path, `node ${JSON.stringify(action.node)} is removed at ${removed.get(action.node)}s, before this action (at ${action.at}s)`);
    }
  }

  private action(value: unknown, path: FieldPath): TimelineAction[] {
    if (!isRecord(value)) {
      this.report("error", path, `a timeline entry is {at: <duration>, <action>: …} with one action of ${SUPPORTED_ACTIONS.join(", ")}`);
      return [];
    }
    if (value["at"] === undefined) this.report("error", [...path, "at"], 'required: when the action happens, e.g. "at: 90s"');
    const at = value["at"] === undefined ? undefined : this.duration(value["at"], [...path, "at"]);
    const keys = Object.keys(value).filter((key) => key !== "at");
    if (keys.length !== 1) {
      this.report("error", path, `a timeline entry has exactly one action (one of ${SUPPORTED_ACTIONS.join(", ")}), found ${keys.length === 0 ? "none" : keys.join(", ")}`);
      return [];
    }
    const key = keys[0] as string;
    const body = value[key];
    const actionPath = [...path, key];
    if (at === undefined) return [];
    switch (key) {
      case "create": {
        const created = emptyManifests();
        this.load(body, actionPath, created);
        if (created.priorityClasses.length > 0) this.report("error", actionPath, "PriorityClasses go in spec.workloads (they exist from the start); creating one at a tick is not simulated yet");
        admitPods(this.priorityClasses, created.pods, created.podSources, this.diagnostics);
        admitWorkloads(this.priorityClasses, created.workloads, this.diagnostics);
        for (const { value } of created.workloads) this.workloads.set(`${value.kind}/${value.namespace}/${value.name}`, value);
        return [
          ...created.nodes.map((node): TimelineAction => ({ at, action: "addNode", node })),
          ...created.workloads.map(({ value }): TimelineAction => ({ at, action: "createObject", object: value })),
          ...created.policies.map(({ value }): TimelineAction => ({ at, action: "createObject", object: value })),
          ...created.pods.map((pod): TimelineAction => ({ at, action: "createPod", pod })),
        ];
      }
      case "scale":
        return this.scaleAction(at, body, actionPath);
      case "update":
        return this.updateAction(at, body, actionPath);
      case "delete": {
        if (isRecord(body) && typeof body["kind"] === "string" && isWorkloadKind(body["kind"]) && typeof body["name"] === "string") return this.deleteWorkload(at, body, actionPath);
        if (!isRecord(body) || body["kind"] !== "Pod" || typeof body["name"] !== "string") {
          this.report("error", actionPath, "delete takes {kind: Pod, name: <name>, namespace: <namespace>, gracePeriodSeconds: <seconds>} or {kind: Deployment|ReplicaSet|ReplicationController, name, namespace, cascade: background|orphan}");
          return [];
        }
        const namespace = typeof body["namespace"] === "string" ? body["namespace"] : "default";
        const grace = body["gracePeriodSeconds"];
        if (grace !== undefined && (!Number.isSafeInteger(grace) || (grace as number) < 0)) {
          this.report("error", [...actionPath, "gracePeriodSeconds"], "must be zero or more whole seconds");
          return [];
        }
        return [{ at, action: "deletePod", pod: `${namespace}/${body["name"]}`, ...(grace !== undefined ? { gracePeriodSeconds: grace as number } : {}) }];
      }
      case "cordon":
      case "uncordon":
      case "failNode":
      case "recoverNode":
      case "removeNode":
        if (typeof body !== "string" || body === "") {
          this.report("error", actionPath, `${key} takes a node name, e.g. {at: 60s, ${key}: node-2}`);
          return [];
        }
        this.nodeActions.push({ at, node: body, path: actionPath, removes: key === "removeNode" });
        return [{ at, action: key, node: body }];
      case "taint":
      case "untaint":
        return this.taintAction(at, key, body, actionPath);
      case "drain":
        return this.drainAction(at, body, actionPath);
      case "addNodes": {
        if (!isRecord(body) || typeof body["pool"] !== "string") {
          this.report("error", actionPath, "addNodes takes {pool: <a pool of spec.cluster.pools>, count: <nodes>}");
          return [];
        }
        const pool = this.pools.get(body["pool"]);
        const count = body["count"] ?? 1;
        if (pool === undefined) {
          this.report("error", [...actionPath, "pool"], `no pool named ${JSON.stringify(body["pool"])} in spec.cluster.pools`);
          return [];
        }
        if (!Number.isSafeInteger(count) || (count as number) < 1) {
          this.report("error", [...actionPath, "count"], "must be a whole number of nodes, at least 1");
          return [];
        }
        const nodes = this.stampNodes(body["pool"], pool.count + 1, count as number);
        pool.count += count as number;
        return nodes.map((node): TimelineAction => ({ at, action: "addNode", node }));
      }
      default: {
        const planned = PLANNED_ACTIONS[key];
        this.report("error", actionPath, planned !== undefined
          ? `action ${JSON.stringify(key)} is not supported yet: ${planned}; supported actions: ${SUPPORTED_ACTIONS.join(", ")}`
          : `unknown action ${JSON.stringify(key)}; supported actions: ${SUPPORTED_ACTIONS.join(", ")}`);
        return [];
      }
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
