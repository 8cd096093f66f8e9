/**
 * The `timoneiro` command, in kubectl's shape: `timoneiro <command> <resource> <flags>`.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { ENGINE_VERSION, GPU_POLICIES, PluginError } from "../../core/index.js";
import { completionScript } from "./completion.js";
import { explainCommand } from "./explain.js";
import { describeCommand, getCommand, replayCommand, type OutputFormat } from "./inspect.js";
import { CommandFailed, EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED, InputError, type Output } from "./output.js";
import { reportCommand, runCommand, traceScenario } from "./run.js";
import { compareCommand } from "../compare/compare.js";
import { preloadPlugins, scenarioPluginFiles } from "./plugins.js";
import { preloadScenarioTraces, preloadScenarioTraceValue } from "../loaders/traces/index.js";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { LAWS } from "../../properties/laws.js";

/** A count or a seed: a whole number that JavaScript holds exactly (0 to 2^53 − 1). */
function positiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text)) throw new InvalidArgumentError(`must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got ${JSON.stringify(text)}`);
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError(`${text} is too large: the largest is ${Number.MAX_SAFE_INTEGER} (2^53 − 1)`);
  return value;
}

/** `-f` may be repeated. */
function appendFile(file: string, files: string[] = []): string[] {
  return [...files, file];
}

const PLUGIN_HELP = "an out-of-tree plugin module (an ES module exporting {name, filter?, score?, …}; see examples/*-plugin.js): with --config, a profile enables it by name; without, kube's default profile runs it at every point it implements. Repeat for several";

/**
 * Before a command runs, its plugin modules are imported (`--plugin`, and a run's or compare's
 * scenario's spec.scheduler.plugins): the only asynchronous step, so a command without plugins
 * still runs synchronously under `main`.
 */
function preloadHook(_program: Command, action: Command): Promise<void> | undefined {
  const options = action.opts() as { plugin?: string[]; trace?: string; until?: string; seed?: number };
  const files = [...(options.plugin ?? [])];
  const scenario = action.args[0];
  const runs = action.name() === "run" || action.name() === "compare";
  if (runs && scenario !== undefined) files.push(...scenarioPluginFiles(scenario));
  const work: Promise<void>[] = [];
  if (files.length > 0) work.push(preloadPlugins(files));
  // Traces stream from disk: read now, taken by the (synchronous) scenario loader later.
  if (runs && scenario !== undefined && hasTrace(scenario)) work.push(preloadScenarioTraces(scenario));
  if (runs && options.trace !== undefined) work.push(preloadTraceOption(options.trace));
  return work.length > 0 ? Promise.all(work).then(() => undefined) : undefined;
}

/** Whether a scenario file mentions a trace at all (a cheap look before parsing it). */
function hasTrace(file: string): boolean {
  try {
    return readFileSync(file, "utf8").includes("trace");
  } catch {
    return false;
  }
}

/** The traces `--trace KIND:PATH` names, read now; a malformed value is reported when the command runs. */
async function preloadTraceOption(trace: string): Promise<void> {
  let built: ReturnType<typeof traceScenario>;
  try {
    built = traceScenario(trace, {});
  } catch (error) {
    if (error instanceof InputError) return;
    throw error;
  }
  await preloadScenarioTraceValue(built.value, dirname(built.file));
}

/** Builds the program; `output` receives what commands print. */
export function buildProgram(output: Output): Command {
  const program = new Command("timoneiro")
    .description("An event-sourced, discrete-time Kubernetes scheduling engine")
    .version(`timoneiro ${ENGINE_VERSION} (Kubernetes v1.35 behaviour)`, "--version")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (text) => output.print(text.trimEnd()), writeErr: (text) => output.error(text.trimEnd()) })
    .hook("preAction", preloadHook);

  program
    .command("run")
    .description("run a scenario (the built-in seed example when none is given) and show what happened")
    .argument("[scenario]", "a Scenario file (apiVersion: timoneiro.dev/v1)")
    .option("--out <dir>", "write events.jsonl, metrics.csv, metrics.json, summary.json and report.html into this folder")
    .option("--interval <time>", "the metrics' interval of simulated time, e.g. 30s (default 1m; a run of over a week: 5m, 15m, 1h, 6h or 1d, the first that keeps it within 10,000 intervals)")
    .addOption(new Option("-o, --output <format>", "text (events, then the summary) or json (the summary as one JSON document)").choices(["text", "json"]).default("text"))
    .option("--tables", "after the summary, print the cluster at the end: workloads, the first 20 pods and nodes, why pods wait")
    .addOption(new Option("--validate <mode>", "unknown fields in manifests: warn, strict (errors) or ignore").choices(["warn", "strict", "ignore", "true", "false"]).default("warn"))
    .option("--show-events <n>", "print at most this many events (default 50, all with --show-all; all are logged)", positiveInteger)
    .option("-f, --filename <file>", "run plain manifests (Nodes and Pods, at tick 0) instead of a scenario: a file, or a folder's .yaml/.yml/.json files; repeat for several", appendFile)
    .option("-R, --recursive", "with -f: read folders' sub-folders too")
    .option("--show-all", "print every event, and after the summary every pod and node")
    .option("--trace <kind:path>", "run a trace instead of a scenario: google-2011:DIR (DIR holds machine_events/ and task_events/ .csv.gz parts; a 1.0 machine is 32 cpu and 128Gi) openb:DIR (DIR holds openb_node_list_*.csv and openb_pod_list_*.csv), alibaba-2017:DIR (server_event.csv, batch_task.csv) or alibaba-2018:DIR (machine_meta.csv) — a scenario's spec.cluster.trace takes every option")
    .option("--until <time>", "with -f or --trace: when the run ends, e.g. 30m (default 1h; a trace's: its last event)")
    .option("--seed <n>", "with -f or --trace: the seed (default 1)", positiveInteger)
    .addOption(new Option("--policy <policy>", "who places pods: kube (kube-scheduler profiles) or a classic policy").choices(["kube", "first-fit", "best-fit", "worst-fit"]))
    .option("--config <file>", "a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) for --policy kube")
    .option("--plugin <file>", PLUGIN_HELP, appendFile)
    .addOption(new Option("--balanced-allocation <formula>", "NodeResourcesBalancedAllocation's formula").choices(["v1.35", "v1.36"]))
    .addOption(new Option("--engine <engine>", "fast (indexed, the default) or reference (the plain oracle it is proven equal to; same events)").choices(["fast", "reference"]).default("fast"))
    .action((scenario: string | undefined, options: { out?: string; interval?: string; validate: string; showEvents?: number; policy?: "kube" | "first-fit" | "best-fit" | "worst-fit"; config?: string; plugin?: string[]; balancedAllocation?: "v1.35" | "v1.36"; filename?: string[]; trace?: string; recursive?: boolean; showAll?: boolean; tables?: boolean; output: "text" | "json"; until?: string; seed?: number; engine: "fast" | "reference" }) => {
      const validate = options.validate === "true" ? "strict" : options.validate === "false" ? "ignore" : (options.validate as "warn" | "strict" | "ignore");
      runCommand(scenario, {
        ...(options.out !== undefined ? { out: options.out } : {}),
        ...(options.interval !== undefined ? { interval: options.interval } : {}),
        validate,
        showEvents: options.showEvents ?? (options.showAll === true ? Number.POSITIVE_INFINITY : 50),
        ...(options.policy !== undefined ? { policy: options.policy } : {}),
        ...(options.config !== undefined ? { config: options.config } : {}),
        ...(options.plugin !== undefined ? { plugins: options.plugin } : {}),
        ...(options.balancedAllocation !== undefined ? { balancedAllocation: options.balancedAllocation } : {}),
        ...(options.filename !== undefined ? { files: options.filename } : {}),
        ...(options.trace !== undefined ? { trace: options.trace } : {}),
        recursive: options.recursive === true,
        showAll: options.showAll === true,
        tables: options.tables === true,
        output: options.output,
        ...(options.until !== undefined ? { until: options.until } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        engine: options.engine,
      }, output);
    });

  program
    .command("compare")
    .description("run one scenario under several schedulers (and seeds) in worker threads, and show them side by side")
    .argument("[scenario]", "a Scenario file (the built-in seed example when none is given)")
    .option("--policy <policies>", "candidates: kube, first-fit, best-fit, worst-fit, comma-separated (repeat a name to repeat a column)", appendFile)
    .option("--config <file>", "a candidate: kube-scheduler with this KubeSchedulerConfiguration; repeat for several", appendFile)
    .option("--plugin <file>", "an out-of-tree plugin module every kube candidate may use (--config names it in a profile; a kube candidate without --config runs kube's default profile plus the plugins); repeat for several", appendFile)
    .option("--seeds <seeds>", "the seeds, e.g. 1..5 or 1,3,7 (default: the scenario's)")
    .option("--threads <n>", "worker threads (default: one per core)", positiveInteger)
    .addOption(new Option("-o, --output <format>", "table, or json").choices(["table", "json"]).default("table"))
    .option("--out <dir>", "write compare.json and compare.html into this folder")
    .option("--interval <time>", "the metrics' interval of simulated time (default 1m; over a week: the first of 5m, 15m, 1h, 6h, 1d within 10,000 intervals)")
    .option("-f, --filename <file>", "compare on plain manifests instead of a scenario file (as run -f)", appendFile)
    .option("-R, --recursive", "with -f: read folders' sub-folders too")
    .option("--until <time>", "with -f: when the runs end (default 1h)")
    .addOption(new Option("--validate <mode>", "unknown fields in manifests: warn, strict (errors) or ignore").choices(["warn", "strict", "ignore"]).default("warn"))
    .action(async (scenario: string | undefined, options: { policy?: string[]; config?: string[]; plugin?: string[]; seeds?: string; threads?: number; output: "table" | "json"; out?: string; interval?: string; filename?: string[]; recursive?: boolean; until?: string; validate: "warn" | "strict" | "ignore" }) => {
      if (options.threads === 0) throw new InputError("--threads: must be at least 1");
      await compareCommand(scenario, {
        source: { validate: options.validate, recursive: options.recursive === true, ...(options.filename !== undefined ? { files: options.filename } : {}), ...(options.until !== undefined ? { until: options.until } : {}) },
        policies: options.policy ?? [],
        configs: options.config ?? [],
        plugins: options.plugin ?? [],
        ...(options.seeds !== undefined ? { seeds: options.seeds } : {}),
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
        output: options.output,
        ...(options.out !== undefined ? { out: options.out } : {}),
        ...(options.interval !== undefined ? { interval: options.interval } : {}),
      }, output);
    });

  program
    .command("replay")
    .description("rebuild the cluster's state from an event log and show it")
    .argument("<log>", "an events.jsonl written by timoneiro run --out")
    .option("--show-all", "print every pod and node (default: the first 20 of each)")
    .action((log: string, options: { showAll?: boolean }) => replayCommand(log, output, options.showAll === true));

  program
    .command("report")
    .description("rebuild a run's metrics (metrics.csv, metrics.json) from its event log")
    .argument("<log>", "an events.jsonl written by timoneiro run --out")
    .option("--out <dir>", "where to write them (default: the log's folder)")
    .option("--interval <time>", "the metrics' interval of simulated time (default 1m; over a week: the first of 5m, 15m, 1h, 6h, 1d within 10,000 intervals)")
    .action((log: string, options: { out?: string; interval?: string }) => reportCommand(log, options, output));

  program
    .command("get")
    .description("list pods, nodes, events, deployments, replicasets, replicationcontrollers, statefulsets, daemonsets, jobs, cronjobs or priorityclasses from an event log, as they were at a tick")
    .argument("<resource>", "pods, nodes, events, deployments, replicasets, replicationcontrollers, statefulsets, daemonsets, jobs, cronjobs or priorityclasses")
    .option("--log <file>", "the events.jsonl to read")
    .option("--at <time>", "the tick to look at, e.g. 90s or 5m (default: the end)")
    .addOption(new Option("-o, --output <format>", "output format").choices(["table", "wide", "json"]).default("table"))
    .action((resource: string, options: { log?: string; at?: string; output: OutputFormat }) => getCommand(resource, options, output));

  program
    .command("describe")
    .description("show one object in detail, with its events, from an event log")
    .argument("<resource>", "pod, node, deployment, replicaset, replicationcontroller, statefulset, daemonset, job, cronjob or priorityclass")
    .argument("<name>", "the object's name (or namespace/name)")
    .option("--log <file>", "the events.jsonl to read")
    .option("--at <time>", "the tick to look at, e.g. 90s or 5m (default: the end)")
    .option("-n, --namespace <namespace>", "the object's namespace", "default")
    .action((resource: string, name: string, options: { log?: string; at?: string; namespace: string }) => describeCommand(resource, name, options, output));

  program
    .command("explain")
    .description("show how kube-scheduler would place a pod: each node's filter verdict, each plugin's score, the choice")
    .option("-f, --filename <file>", "manifests with the Nodes and Pods: a file, or a folder's .yaml/.yml/.json files; repeat for several", appendFile)
    .option("-R, --recursive", "read folders' sub-folders too")
    .option("--log <file>", "instead of -f: a run's events.jsonl; the pod must be pending at --at")
    .option("--at <time>", "with --log: the tick to look at, e.g. 90s or 5m (default: the end)")
    .requiredOption("--pod <name>", "the pod to schedule: name or namespace/name")
    .option("--config <file>", "a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1); default: kube's default profile")
    .option("--plugin <file>", PLUGIN_HELP, appendFile)
    .addOption(new Option("-o, --output <format>", "output format").choices(["table", "json"]).default("table"))
    .addOption(new Option("--validate <mode>", "unknown fields: warn, strict (errors) or ignore").choices(["warn", "strict", "ignore"]).default("warn"))
    .option("--seed <n>", "the seed that breaks score ties (default: 1, or the run's with --log)", positiveInteger)
    .addOption(new Option("--balanced-allocation <formula>", "NodeResourcesBalancedAllocation's formula").choices(["v1.35", "v1.36"]).default("v1.35"))
    .action((options: { filename?: string[]; recursive?: boolean; log?: string; at?: string; pod: string; config?: string; plugin?: string[]; output: "table" | "json"; validate: "warn" | "strict" | "ignore"; seed?: number; balancedAllocation: "v1.35" | "v1.36" }) =>
      explainCommand({
        files: options.filename ?? [],
        ...(options.log !== undefined ? { log: options.log } : {}),
        ...(options.at !== undefined ? { at: options.at } : {}),
        recursive: options.recursive === true,
        pod: options.pod,
        ...(options.config !== undefined ? { config: options.config } : {}),
        ...(options.plugin !== undefined ? { plugins: options.plugin } : {}),
        output: options.output,
        validate: options.validate,
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        balancedAllocation: options.balancedAllocation,
      }, output));

  program
    .command("check")
    .description("check a scheduler — kube's profile with your out-of-tree plugins, or a policy — against the laws of a run on random scenarios; a violation is shrunk to a minimal scenario file (exit 1)")
    .option("--plugin <file>", PLUGIN_HELP, appendFile)
    .option("--config <file>", "a KubeSchedulerConfiguration whose profile enables the plugins (default: kube's default profile plus each plugin at every point it implements)")
    .addOption(new Option("--policy <policy>", "check a classic policy instead of kube's profiles").choices(["kube", "first-fit", "best-fit", "worst-fit"]))
    .option("--law <name>", `a law to check (repeat for several; default: every law that applies to the scheduler checked): ${[...Object.keys(LAWS), "plugin-contract"].join(", ")}`, appendFile)
    .option("--runs <n>", "random scenarios to try (default 100)", positiveInteger)
    .option("--seed <n>", "fast-check's seed (default: a random one, printed)", positiveInteger)
    .option("--path <path>", "with --seed: replay one failing case (the path printed with a counterexample)")
    .option("--out <file>", "where to write a counterexample (default counterexample.yaml)")
    .option("--max-nodes <n>", "nodes per scenario at most (default 4)", positiveInteger)
    .option("--max-pods <n>", "pods per scenario at most (default 12)", positiveInteger)
    .action(async (options: { plugin?: string[]; config?: string; policy?: "kube" | "first-fit" | "best-fit" | "worst-fit"; law?: string[]; runs?: number; seed?: number; path?: string; out?: string; maxNodes?: number; maxPods?: number }) => {
      // fast-check and the laws load only for this command.
      const { checkCommand } = await import("./check.js");
      const code = checkCommand({
        plugins: options.plugin ?? [],
        ...(options.config !== undefined ? { config: options.config } : {}),
        ...(options.policy !== undefined ? { policy: options.policy } : {}),
        laws: options.law ?? [],
        runs: options.runs ?? 100,
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.path !== undefined ? { path: options.path } : {}),
        out: options.out ?? "counterexample.yaml",
        ...(options.maxNodes !== undefined ? { maxNodes: options.maxNodes } : {}),
        ...(options.maxPods !== undefined ? { maxPods: options.maxPods } : {}),
      }, output);
      if (code !== 0) throw new CommandFailed("a law is broken");
    });

  const bench = program.command("bench").description("published experiments, reproduced: bench fgd (the FGD paper's, on Alibaba's GPU trace)");
  bench
    .command("fgd")
    .description("the FGD paper's experiment (Weng et al., ATC'23) on the openb GPU trace: six policies × seeds in worker threads; per policy, GPU allocation and fragmentation by arrived workload, beside their simulator's expected results")
    .option("--trace <dir>", "the folder of Alibaba's cluster-trace-gpu-v2023 CSVs (openb_node_list_gpu_node.csv and openb_pod_list_default.csv)")
    .option("--nodes <file>", "the node list instead (CSV or Node YAML)")
    .option("--pods <file>", "the pod list instead (CSV; e.g. one of the trace's other openb_pod_list_*.csv)")
    .option("--policies <list>", `comma-separated, from ${GPU_POLICIES.join(", ")} (default: all six)`)
    .option("--seeds <seeds>", "the seeds, e.g. 42..51 (default) or 1,3,7")
    .option("--inflation <ratio>", "submit until the GPU request is this share of the cluster's GPUs (default 1.3)", (text: string) => {
      const value = Number(text);
      if (!/^\s*\d*\.?\d+\s*$/.test(text) || !(value > 0)) throw new InvalidArgumentError(`must be a number above 0, e.g. 1.3, got ${JSON.stringify(text)}`);
      return value;
    })
    .option("--threads <n>", "worker threads (default: one per core)", positiveInteger)
    .addOption(new Option("-o, --output <format>", "table, or json").choices(["table", "json"]).default("table"))
    .option("--out <dir>", "write fgd.json and fgd.html (the paper's plots) into this folder")
    .option("--typical-pods", "print FGDScore's pluginConfig with the trace's typical pods (for a run's KubeSchedulerConfiguration) instead of running")
    .action(async (options: { trace?: string; nodes?: string; pods?: string; policies?: string; seeds?: string; inflation?: number; threads?: number; output: "table" | "json"; out?: string; typicalPods?: boolean }) => {
      if (options.threads === 0) throw new InputError("--threads: must be at least 1");
      const { fgdCommand } = await import("../fgd/fgd.js");
      await fgdCommand({
        ...(options.trace !== undefined ? { trace: options.trace } : {}),
        ...(options.nodes !== undefined ? { nodes: options.nodes } : {}),
        ...(options.pods !== undefined ? { pods: options.pods } : {}),
        ...(options.policies !== undefined ? { policies: options.policies } : {}),
        ...(options.seeds !== undefined ? { seeds: options.seeds } : {}),
        ...(options.inflation !== undefined ? { inflation: options.inflation } : {}),
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
        output: options.output,
        ...(options.out !== undefined ? { out: options.out } : {}),
        ...(options.typicalPods === true ? { typicalPods: true } : {}),
      }, output);
    });

  program
    .command("completion")
    .description("print a shell completion script: source <(timoneiro completion bash)")
    .argument("<shell>", "bash or zsh")
    .action((shell: string) => output.print(completionScript(program, shell).trimEnd()));

  program
    .command("version")
    .description("print the version")
    .action(() => output.print(`timoneiro ${ENGINE_VERSION} (Kubernetes v1.35 behaviour)`));

  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code; for the commands that finish at once (all but compare: use `mainAsync`). */
export function main(argv: readonly string[], output: Output): number {
  const program = buildProgram(output);
  try {
    program.parse([...argv], { from: "user" });
    return EXIT_OK;
  } catch (error) {
    return exitCodeFor(error, output);
  }
}

/** Runs the CLI with `argv`, waiting for commands that take time (compare's worker threads). */
export async function mainAsync(argv: readonly string[], output: Output): Promise<number> {
  const program = buildProgram(output);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT_OK;
  } catch (error) {
    return exitCodeFor(error, output);
  }
}

function exitCodeFor(error: unknown, output: Output): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
  if (error instanceof CommandFailed) return EXIT_RUN_FAILED;
  if (error instanceof PluginError) {
    output.error(`error: ${error.message}`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof InputError) {
    output.error(`error: ${error.message}`);
    return EXIT_BAD_INPUT;
  }
  output.error(`internal error (a bug in timoneiro; please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT_RUN_FAILED;
}
