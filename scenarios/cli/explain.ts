/**
 * `timoneiro explain -f MANIFESTS [--config KSC.yaml] --pod NAME [-o json]`: how kube-scheduler
 * would place one pod on the nodes of the manifests — per node the filter verdict and reasons,
 * per score plugin its score and the weighted total, then the chosen node or the
 * FailedScheduling message. Pods with spec.nodeName are already running on their node.
 */
import { readFileSync } from "node:fs";
import {
  EMPTY_TREE,
  ExplainError,
  addToTree,
  createState,
  defaultSchedulerConfiguration,
  explainPod,
  parsePodKey,
  podKey,
  reduceAll,
  type ClusterEvent,
  type Explanation,
  type SchedulerConfiguration,
  type SchedulerOptions,
} from "../../core/index.js";
import { formatDiagnostic, type ValidationMode } from "../loaders/manifests.js";
import { loadSchedulerConfigText } from "../loaders/schedulerconfig.js";
import { formatResources, table } from "./format.js";
import { InputError, type Output } from "./output.js";
import { readManifests } from "./run.js";

export interface ExplainOptions {
  readonly files: readonly string[];
  /** Read `-f` folders' sub-folders too (kubectl's -R). */
  readonly recursive?: boolean;
  readonly pod: string;
  readonly config?: string;
  readonly output: "table" | "json";
  readonly validate: ValidationMode;
  readonly seed: number;
  readonly balancedAllocation: SchedulerOptions["balancedAllocationFormula"];
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
  if (path === undefined) return defaultSchedulerConfiguration(options);
  const loaded = loadSchedulerConfigText(read(path, "scheduler configuration"), path, options, validate);
  for (const diagnostic of loaded.diagnostics) output.error(formatDiagnostic(diagnostic));
  if (loaded.configuration === undefined) throw new InputError(`${path}: the scheduler configuration has errors; nothing was explained`);
  return loaded.configuration;
}

export function explainCommand(options: ExplainOptions, output: Output): void {
  if (options.files.length === 0) throw new InputError("-f is required: manifests with the cluster's Nodes and Pods");
  const configuration = loadConfiguration(options.config, { balancedAllocationFormula: options.balancedAllocation }, options.validate, output);
  const loaded = readManifests(options.files, options.recursive ?? false, options.validate, output, "nothing was explained").manifests;

  const { namespace, name } = parsePodKey(options.pod);
  const key = `${namespace}/${name}`;
  if (!loaded.pods.some((pod) => podKey(pod) === key)) {
    throw new InputError(`no pod ${key} in the manifests (pods: ${loaded.pods.map(podKey).join(", ") || "none"})`);
  }
  let seq = 0;
  const events = [
    ...loaded.nodes.map((node) => ({ type: "NodeJoined" as const, node: node.name, spec: node })),
    ...loaded.pods.map((pod) => ({ type: "PodCreated" as const, pod: podKey(pod), spec: pod })),
  ].map((event) => ({ ...event, t: 0, seq: ++seq }) as ClusterEvent);
  const result = reduceAll(createState(), events);
  if (!result.ok) throw new InputError(result.rejection.message);
  let tree = EMPTY_TREE;
  for (const node of loaded.nodes) tree = addToTree(tree, node);

  let explanation: Explanation;
  try {
    explanation = explainPod(result.state, tree, configuration, key, options.seed);
  } catch (error) {
    if (error instanceof ExplainError) throw new InputError(error.message);
    throw error;
  }
  if (options.output === "json") {
    output.print(JSON.stringify(explanation, null, 2));
    return;
  }
  const request = result.state.pods[key]?.request ?? {};
  output.print(`Pod ${key} (requests ${formatResources(request)}), profile ${explanation.profile}, ${explanation.nodes.length} node(s)`);
  output.print("");
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
  if (explanation.selected !== null) {
    output.print(`Selected: ${explanation.selected}` + (explanation.scored ? "" : " (the only feasible node: kube-scheduler selects it without scoring)"));
  } else if (explanation.error) {
    output.print(`Scheduler error: ${explanation.message}`);
    output.print("(kube-scheduler reports it as FailedScheduling; the pod backs off and is retried)");
  } else {
    output.print(`Unschedulable: ${explanation.message}`);
  }
  if (explanation.podConstraintsIgnored.length > 0) {
    output.error(`warning: ${key} has ${explanation.podConstraintsIgnored.join(", ")}, which Timoneiro does not simulate yet; this answer ignores them`);
  }
}
