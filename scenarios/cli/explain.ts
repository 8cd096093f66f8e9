/**
 * `timoneiro explain -f MANIFESTS [--config KSC.yaml] --pod NAME [-o json]`: how kube-scheduler
 * would place one pod on the nodes of the manifests — per node the filter verdict and reasons,
 * per score plugin its score and the weighted total, then the chosen node or the
 * FailedScheduling message. Pods with spec.nodeName are already running on their node.
 *
 * `timoneiro explain --log LOG [--at T] --pod NAME`: the same for a pod that is pending at tick T
 * of a run, in the cluster as the log holds it then (nodes, pods, taints, Namespaces …), from the
 * run's next sampling start and with its seed.
 */
import { readFileSync } from "node:fs";
import {
  EMPTY_TREE,
  ExplainError,
  addToTree,
  createState,
  defaultSchedulerConfiguration,
  formatPath,
  KSC_API_VERSION,
  schedulerConfigurationFrom,
  SCHEDULING_GATED_MESSAGE,
  explainPod,
  parsePodKey,
  podFromManifest,
  podKey,
  reduceAll,
  type ClusterEvent,
  type ClusterState,
  type NodeTree,
  type Explanation,
  type Pod,
  type SchedulerConfiguration,
  type SchedulerOptions,
} from "../../core/index.js";
import { formatDiagnostic, terminatingPods, type LoadedManifests, type ValidationMode } from "../loaders/manifests.js";
import { loadSchedulerConfigText } from "../loaders/schedulerconfig.js";
import { formatResources, formatTick, table } from "./format.js";
import { stateFromLog } from "./inspect.js";
import { InputError, type Output } from "./output.js";
import { readManifests } from "./run.js";
import { pluginRegistryFor } from "./plugins.js";

export interface ExplainOptions {
  readonly files: readonly string[];
  /** A run's events.jsonl, instead of manifests; `at` the tick to look at. */
  readonly log?: string;
  readonly at?: string;
  /** Read `-f` folders' sub-folders too (kubectl's -R). */
  readonly recursive?: boolean;
  readonly pod: string;
  readonly config?: string;
  readonly output: "table" | "json";
  readonly validate: ValidationMode;
  /** Undefined: 1, or the run's seed with `log`. */
  readonly seed?: number;
  readonly balancedAllocation: SchedulerOptions["balancedAllocationFormula"];
  /** Out-of-tree plugin modules (`--plugin`), loaded by `preloadPlugins`. */
  readonly plugins?: readonly string[];
}

/**
 * `--pod` names no pod: a workload that is not simulated yet gives a pod of its template (what its
 * controller would create), said so; anything else is an error that says what the name is.
 */
function templatePod(loaded: LoadedManifests, namespace: string, name: string, output: Output): Pod {
  const workload = loaded.templates.find((candidate) => candidate.name === name && candidate.namespace === namespace);
  if (workload === undefined) {
    const other = loaded.objects.find((object) => object.name === name && object.kind !== "Pod");
    const pods = loaded.pods.map(podKey);
    throw new InputError(other !== undefined
      ? `${name} is a ${other.kind}, not a Pod or a workload that makes pods; explain takes a Pod (pods here: ${pods.slice(0, 10).join(", ") || "none"}${pods.length > 10 ? ", …" : ""})`
      : `no pod ${namespace}/${name} in the manifests (pods: ${pods.slice(0, 10).join(", ") || "none"}${pods.length > 10 ? ", …" : ""})`);
  }
  const metadata = (workload.template["metadata"] ?? {}) as Record<string, unknown>;
  const converted = podFromManifest({ apiVersion: "v1", kind: "Pod", metadata: { ...metadata, namespace, name: `${name}-template` }, spec: workload.template["spec"] });
  if (converted.value === undefined) throw new InputError(`${workload.kind} ${name}: its pod template is not a valid pod: ${converted.diagnostics.map((item) => item.message).join("; ")}`);
  const each = workload.kind === "DaemonSet" ? "a DaemonSet runs one such pod on each node it selects; here, one pod as any node would take it" : "as its controller would create one";
  output.error(`note: ${name} is a ${workload.kind} (not simulated yet); explaining a pod of its template, ${name}-template, ${each}`);
  return converted.value;
}

function read(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${what} ${file}: ${code === "ENOENT" ? "no such file" : String(code ?? error)}`);
  }
}

export function loadConfiguration(path: string | undefined, options: SchedulerOptions, validate: ValidationMode, output: Output): SchedulerConfiguration {
  if (path === undefined) {
    if (options.plugins === undefined || options.plugins.size === 0) return defaultSchedulerConfiguration(options);
    // No configuration with out-of-tree plugins: kube's default profile with each enabled at every
    // point it implements (multiPoint), weight 1 — the profile a user would write for them.
    const names = [...options.plugins.keys()].map((name) => ({ name }));
    const result = schedulerConfigurationFrom({ apiVersion: KSC_API_VERSION, kind: "KubeSchedulerConfiguration", profiles: [{ schedulerName: "default-scheduler", plugins: { multiPoint: { enabled: names } } }] }, options);
    for (const diagnostic of result.diagnostics) output.error(`out-of-tree plugins: ${formatPath(diagnostic.path)}: ${diagnostic.message}`);
    if (result.value === undefined) throw new InputError("the out-of-tree plugins do not fit kube's default profile (see above)");
    return result.value;
  }
  const loaded = loadSchedulerConfigText(read(path, "scheduler configuration"), path, options, validate);
  for (const diagnostic of loaded.diagnostics) output.error(formatDiagnostic(diagnostic));
  if (loaded.configuration === undefined) throw new InputError(`${path}: the scheduler configuration has errors; nothing was explained`);
  return loaded.configuration;
}

export function explainCommand(options: ExplainOptions, output: Output): void {
  if (options.log !== undefined && options.files.length > 0) throw new InputError("give either -f (manifests) or --log (a run's events), not both");
  if (options.log === undefined && options.files.length === 0) throw new InputError("-f or --log is required: manifests with the cluster's Nodes and Pods, or a run's events.jsonl");
  const registry = pluginRegistryFor(options.plugins ?? []);
  const configuration = loadConfiguration(options.config, { balancedAllocationFormula: options.balancedAllocation, ...(registry !== undefined ? { plugins: registry } : {}) }, options.validate, output);
  if (options.log !== undefined) {
    explainFromLog(options.log, options, configuration, output);
    return;
  }
  const loaded = readManifests(options.files, options.recursive ?? false, options.validate, output, "nothing was explained").manifests;

  const { namespace, name } = parsePodKey(options.pod);
  let key = `${namespace}/${name}`;
  const pods = [...loaded.pods];
  if (!pods.some((pod) => podKey(pod) === key)) {
    const fromTemplate = templatePod(loaded, namespace, name, output);
    pods.push(fromTemplate);
    key = podKey(fromTemplate);
  }
  let seq = 0;
  const events = [
    ...loaded.nodes.map((node) => ({ type: "NodeJoined" as const, node: node.name, spec: node })),
    ...pods.map((pod) => ({ type: "PodCreated" as const, pod: podKey(pod), spec: pod })),
    // Pods already being deleted (metadata.deletionTimestamp) are terminating: spreading leaves them out.
    ...terminatingPods(loaded).map(({ pod, gracePeriodSeconds }) => ({ type: "PodDeleted" as const, pod, gracePeriodSeconds })),
  ].map((event) => ({ ...event, t: 0, seq: ++seq }) as ClusterEvent);
  const result = reduceAll(createState(), events);
  if (!result.ok) throw new InputError(result.rejection.message);
  let tree = EMPTY_TREE;
  for (const node of loaded.nodes) tree = addToTree(tree, node);

  printExplanation(result.state, tree, configuration, key, options.seed ?? 1, 0, options.output, output);
}

/** `explain --log`: a pod pending at the tick, in the state the log holds then. */
function explainFromLog(file: string, options: ExplainOptions, configuration: SchedulerConfiguration, output: Output): void {
  const { state, seed, tick, scheduler } = stateFromLog(file, options.at, output);
  const { namespace, name } = parsePodKey(options.pod);
  const key = `${namespace}/${name}`;
  const pod = state.pods[key];
  if (pod === undefined) {
    const pending = Object.values(state.pods).filter((record) => record.node === undefined).map((record) => podKey(record.pod));
    throw new InputError(`no pod ${key} at ${formatTick(tick)} (pending then: ${pending.slice(0, 10).join(", ") || "none"}${pending.length > 10 ? ", …" : ""})`);
  }
  if (pod.node !== undefined) throw new InputError(`pod ${key} is on ${pod.node} at ${formatTick(tick)}: explain shows the cycle of a pending pod (look at a tick before it was bound)`);
  if (options.config === undefined && scheduler !== undefined && !scheduler.includes("default profile")) {
    output.error(`note: the run's scheduler was ${scheduler}; this explains kube's default profile unless --config gives the run's configuration`);
  }
  output.print(`At ${formatTick(tick)} of ${file}:`);
  printExplanation(state, state.nodeTree, configuration, key, options.seed ?? seed, state.nextStartNodeIndex, options.output, output);
}

function printExplanation(state: ClusterState, tree: NodeTree, configuration: SchedulerConfiguration, key: string, seed: number, startIndex: number, format: "table" | "json", output: Output): void {
  let explanation: Explanation;
  try {
    explanation = explainPod(state, tree, configuration, key, seed, startIndex);
  } catch (error) {
    if (error instanceof ExplainError) throw new InputError(error.message);
    throw error;
  }
  if (format === "json") {
    output.print(JSON.stringify(explanation, null, 2));
    return;
  }
  const request = state.pods[key]?.request ?? {};
  output.print(`Pod ${key} (requests ${formatResources(request)}), profile ${explanation.profile}, ${explanation.nodes.length} node(s)`);
  output.print("");
  const gated = explanation.schedulingGates.length > 0;
  if (gated) {
    output.print(`Not scheduled: the pod has scheduling gates (${explanation.schedulingGates.join(", ")}). kube-scheduler's SchedulingGates plugin keeps it`);
    output.print(`out of the scheduling queue until every gate is removed (PodScheduled=False, reason SchedulingGated: "${SCHEDULING_GATED_MESSAGE}").`);
    output.print("");
    output.print("What would happen without the gates:");
  }
  const plugins = Object.keys(explanation.weights);
  const rows = explanation.nodes.map((node) => [
    node.node,
    node.feasible ? "yes" : node.evaluated ? "no" : "-",
    node.reasons.join(", "),
    ...plugins.map((plugin) => (node.scores[plugin] === undefined ? "" : String(node.scores[plugin]))),
    node.feasible && explanation.scored ? String(node.total) : "",
  ]);
  output.print(table(["NODE", "FEASIBLE", "REASONS", ...plugins.map((plugin) => `${plugin}×${explanation.weights[plugin]}`), "TOTAL"], rows));
  output.print("");
  const without = gated ? "Without its gates: " : "";
  if (explanation.selected !== null) {
    output.print(`${without}Selected: ${explanation.selected}` + (explanation.scored ? "" : " (the only feasible node: kube-scheduler selects it without scoring)"));
  } else if (explanation.error) {
    output.print(`${without}Scheduler error: ${explanation.message}`);
    output.print("(kube-scheduler reports it as FailedScheduling; the pod backs off and is retried)");
  } else {
    output.print(`${without}Unschedulable: ${explanation.message}`);
    const preemption = explanation.preemption;
    if (preemption !== undefined) {
      output.print(`Preemption: the pod would be nominated to ${preemption.node} and these pods of lower priority deleted there (each with its grace period), then scheduled there once they are gone:`);
      for (const victim of preemption.victims) {
        const pod = state.pods[victim];
        output.print(`  ${victim}  priority ${pod?.pod.priority ?? 0}, requests ${formatResources(pod?.request ?? {})}`);
      }
    }
  }
  if (gated) output.print(`Gated: not scheduled while its scheduling gates remain (${explanation.schedulingGates.join(", ")}).`);
}
