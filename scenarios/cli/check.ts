/**
 * `timoneiro check --plugin ./my-plugin.js [--config ksc.yaml] [--law NAME …] [--runs N] [--seed S] [--path P] [--out FILE]`:
 * checks a scheduler — kube's default profile plus a user's out-of-tree plugins, a
 * KubeSchedulerConfiguration that enables them, or a classic policy — against the laws of a run
 * (properties/laws.ts), on random scenario documents (properties/manifests.ts).
 *
 * Each generated document is written as YAML and loaded by the real scenario loader before it
 * runs, so what fails is a scenario file as it is. On a violation fast-check shrinks it to a
 * minimal one, which is written (with `spec.scheduler` naming the plugins and configuration, and a
 * header saying what broke and how to replay the check) for `timoneiro run` to reproduce; the
 * command then exits 1. A plugin that throws or returns what the framework cannot use breaks the
 * law `plugin-contract`.
 */
import { writeFileSync, renameSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import { PluginError, type SchedulerChoice } from "../../core/index.js";
import { LAWS, lawsBroken, lawsFor } from "../../properties/laws.js";
import { scenarioDocumentArbitrary, type ClusterKnobs, type Manifest } from "../../properties/manifests.js";
import { loadScenarioText } from "../loaders/scenario.js";
import { InputError, type Output } from "./output.js";
import { schedulerFor } from "./run.js";
import { RunProgress } from "./progress.js";

export interface CheckOptions {
  readonly plugins: readonly string[];
  readonly config?: string;
  readonly policy?: "kube" | "first-fit" | "best-fit" | "worst-fit";
  readonly laws: readonly string[];
  readonly runs: number;
  readonly seed?: number;
  readonly path?: string;
  readonly out: string;
  readonly maxNodes?: number;
  readonly maxPods?: number;
}

/** The law a plugin breaks by throwing or returning what the framework cannot use. */
export const PLUGIN_CONTRACT = "plugin-contract";

/** The laws `check` knows, with one line each (for --help and errors). */
export function checkLawNames(): string[] {
  return [...Object.keys(LAWS), PLUGIN_CONTRACT];
}

const FILE = "counterexample.yaml";

/** The document as YAML, every object written out (no anchors). */
function yamlOf(document: Manifest): string {
  return stringify(document, { aliasDuplicateObjects: false });
}

/** Loads the generated document as a user's file would be loaded. */
function scenarioOf(document: Manifest) {
  const loaded = loadScenarioText(yamlOf(document), FILE, { validate: "strict" });
  if (loaded.scenario === undefined) {
    const problems = loaded.diagnostics.map((diagnostic) => `${diagnostic.path}: ${diagnostic.message}`).join("; ");
    throw new Error(`the generated scenario does not load (a bug in timoneiro's arbitraries): ${problems}`);
  }
  return loaded.scenario;
}

/** What the laws find broken on one document (a PluginError is the plugin-contract law). */
function findings(document: Manifest, choice: SchedulerChoice, laws: readonly string[]): string[] {
  const scenario = scenarioOf(document);
  const engineLaws = laws.filter((law) => law !== PLUGIN_CONTRACT);
  try {
    return lawsBroken({ scenario, scheduler: choice }, engineLaws);
  } catch (error) {
    if (error instanceof PluginError) return laws.includes(PLUGIN_CONTRACT) ? [`${PLUGIN_CONTRACT}: ${error.message}`] : [];
    throw error;
  }
}

function relativeTo(folder: string, path: string): string {
  const target = relative(folder, resolve(path));
  return target.startsWith(".") || isAbsolute(target) ? target : `./${target}`;
}

export function checkCommand(options: CheckOptions, output: Output): number {
  const unknown = options.laws.filter((law) => !checkLawNames().includes(law));
  if (unknown.length > 0) throw new InputError(`--law ${unknown.join(", ")}: no such law; the laws are ${checkLawNames().join(", ")}`);
  if (options.runs < 1) throw new InputError("--runs: must be at least 1");
  if (options.path !== undefined && options.seed === undefined) throw new InputError("--path replays a failure found with a seed: give --seed too (both are printed with the counterexample)");
  if (options.path !== undefined && !/^\d+(:\d+)*$/.test(options.path)) throw new InputError(`--path: ${JSON.stringify(options.path)} is not a fast-check path (numbers separated by ":", as printed with the counterexample)`);
  const scheduler = schedulerFor({ ...(options.policy !== undefined ? { policy: options.policy } : {}), ...(options.config !== undefined ? { config: options.config } : {}), plugins: options.plugins, validate: "warn" }, {}, output);
  // Without --law: the laws that apply to this scheduler (work conservation is no promise of a user's filter).
  const applying = lawsFor({ scenario: { name: "", seed: 1, untilSeconds: 0, options: { fitBy: "requests" }, nodes: [], pods: [], timeline: [] }, scheduler: scheduler.choice });
  const laws = options.laws.length > 0 ? options.laws : [...applying, PLUGIN_CONTRACT];
  const knobs: ClusterKnobs = {
    nodes: { min: 1, max: options.maxNodes ?? 4 },
    pods: { max: options.maxPods ?? 12 },
  };
  output.error(`check: ${scheduler.description}; laws ${laws.join(", ")}; ${options.runs} run(s)`);
  // What each failing document broke, as found then (a plugin that is not deterministic may not fail again).
  const found = new WeakMap<Manifest, string[]>();
  // A bar on stderr for checks longer than a second (RunProgress shows none otherwise, nor off a terminal).
  const progress = new RunProgress(options.runs, process.stderr, Date.now, "runs");
  let tried = 0;
  const property = fc.property(scenarioDocumentArbitrary(knobs), (document) => {
    tried += 1;
    if (tried <= options.runs) progress.update(tried);
    const broken = findings(document, scheduler.choice, laws);
    if (broken.length > 0) found.set(document, broken);
    return broken.length === 0;
  });
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  let details: fc.RunDetails<[Manifest]>;
  try {
    details = fc.check(property, { numRuns: options.runs, seed, ...(options.path !== undefined ? { path: options.path, endOnFailure: true } : {}) });
  } finally {
    progress.stop();
  }
  if (!details.failed) {
    output.print(`${details.numRuns} runs, all laws hold (${laws.join(", ")}) for ${scheduler.description}. Seed ${seed}.`);
    return 0;
  }
  if (details.counterexample === null) {
    const error: unknown = details.errorInstance;
    throw error instanceof Error ? error : new Error(String(error));
  }
  const document = details.counterexample[0] as Manifest;
  const again = findings(document, scheduler.choice, laws);
  const broken = found.get(document) ?? (again.length > 0 ? again : ["(the failure did not repeat when this scenario ran again: the scheduler is not deterministic)"]);
  const out = resolve(options.out);
  const folder = dirname(out);
  const spec = document["spec"] as Record<string, unknown>;
  const withScheduler: Manifest = {
    ...document,
    metadata: { name: "counterexample" },
    spec: {
      ...spec,
      scheduler: {
        ...(options.policy !== undefined ? { policy: options.policy } : {}),
        ...(options.config !== undefined ? { config: relativeTo(folder, options.config) } : {}),
        ...(options.plugins.length > 0 ? { plugins: options.plugins.map((plugin) => relativeTo(folder, plugin)) } : {}),
      },
    },
  };
  const replayFlags = [...options.plugins.map((plugin) => `--plugin ${plugin}`), ...(options.config !== undefined ? [`--config ${options.config}`] : []), ...(options.policy !== undefined ? [`--policy ${options.policy}`] : [])].join(" ");
  const header = [
    `A counterexample found by timoneiro check after ${details.numRuns} run(s) and ${details.numShrinks} shrink(s).`,
    "Broken:",
    ...broken.map((finding) => `  ${finding}`),
    `Reproduce the run:   timoneiro run ${relativeTo(process.cwd(), out)} --show-all`,
    `Replay the check:    timoneiro check ${replayFlags} --seed ${details.seed} --path ${details.counterexamplePath ?? ""}`,
  ];
  const text = header.map((line) => `# ${line}`.trimEnd()).join("\n") + "\n" + yamlOf(withScheduler);
  try {
    writeFileSync(`${out}.partial`, text);
    renameSync(`${out}.partial`, out);
  } catch (error) {
    throw new InputError(`--out ${options.out}: cannot write the counterexample: ${(error as Error).message}`);
  }
  const nodes = ((spec["cluster"] as { nodes?: unknown[] } | undefined)?.nodes ?? []).length;
  const pods = ((spec["workloads"] as unknown[] | undefined) ?? []).length + ((spec["timeline"] as { create?: unknown }[] | undefined) ?? []).filter((entry) => entry.create !== undefined).length;
  output.print(`A law is broken after ${details.numRuns} run(s); shrunk ${details.numShrinks} time(s) to ${nodes} node(s) and ${pods} pod(s):`);
  for (const finding of broken) output.print(`  ${finding}`);
  output.print(`Counterexample written to ${options.out}: timoneiro run ${options.out} reproduces it.`);
  output.print(`Replay this check: timoneiro check ${replayFlags} --seed ${details.seed} --path ${details.counterexamplePath ?? ""}`);
  return 1;
}
