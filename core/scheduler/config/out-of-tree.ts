/**
 * Out-of-tree plugins: a user's own Filter, Score (and PreFilter, PreScore, NormalizeScore)
 * plugins, registered by name beside kube's in-tree ones, as kube-scheduler's `app.WithPlugin`
 * adds a plugin to its registry (cmd/kube-scheduler/app/server.go; runtime/registry.go Merge).
 *
 * What kube does with such a plugin, and so what we do:
 * - its name must not be taken: registering a name twice, or an in-tree plugin's name, fails with
 *   `a plugin named NAME already exists` (runtime/registry.go Register/Merge);
 * - the extension points it may be enabled at are the interfaces its object implements (kube's
 *   type assertions in runtime/framework.go updatePluginList): here, the methods it has;
 * - a profile enables it like any plugin: by name at a point or in `multiPoint`, with a weight;
 * - a Score outside [0, 100] after NormalizeScore fails the cycle with kube's error (selectHost).
 *
 * The user's code is wrapped, not trusted: a method that throws, or returns something that is not
 * a Status or a whole-number score, stops the run with a `PluginError` naming the plugin, the
 * extension point and what was wrong (the CLI prints it and exits 2), never a stack trace of ours.
 */
import type { CycleState, NodeInfo, Plugin, PreFilterResult, Status, StatusCode } from "../framework/types.js";
import { isInTreePlugin } from "./in-tree.js";
import { BUNDLED_GPU_PLUGINS, bundledGpuPlugins } from "../plugins/gpushare/index.js";
import type { ExtensionPoint } from "./plugins.js";

/** A user's plugin went wrong: threw, or returned what the framework cannot use. */
export class PluginError extends Error {
  constructor(readonly plugin: string, readonly point: string, readonly problem: string) {
    super(`plugin ${JSON.stringify(plugin)} (${point}): ${problem}`);
    this.name = "PluginError";
  }
}

/** The out-of-tree plugins of a run, by name (built by `outOfTreeRegistry`). */
export type PluginRegistry = ReadonlyMap<string, Plugin>;

const STATUS_CODES: readonly StatusCode[] = ["Success", "Unschedulable", "UnschedulableAndUnresolvable", "Skip", "Error"];
const METHODS = ["preFilter", "filter", "preScore", "score", "normalizeScore"] as const;

/** The extension points an out-of-tree plugin implements: the methods it has (NormalizeScore belongs to score). */
export function outOfTreePoints(plugin: Plugin): ExtensionPoint[] {
  const points: ExtensionPoint[] = [];
  if (typeof plugin.preFilter === "function") points.push("preFilter");
  if (typeof plugin.filter === "function") points.push("filter");
  if (typeof plugin.preScore === "function") points.push("preScore");
  if (typeof plugin.score === "function") points.push("score");
  if (typeof plugin.reserve === "function") points.push("reserve");
  return points;
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A Status from what a user's method returned: `{code, reasons?}` (reasons default to none). */
function statusFrom(value: unknown, plugin: string, point: string): Status & { nodeNames?: ReadonlySet<string> } {
  if (typeof value !== "object" || value === null || !STATUS_CODES.includes((value as { code?: unknown }).code as StatusCode)) {
    throw new PluginError(plugin, point, `returned ${describe(value)}; a status is {code: ${STATUS_CODES.map((code) => JSON.stringify(code)).join(" | ")}, reasons?: string[]}`);
  }
  const { code, reasons, nodeNames } = value as { code: StatusCode; reasons?: unknown; nodeNames?: unknown };
  if (reasons !== undefined && (!Array.isArray(reasons) || reasons.some((reason) => typeof reason !== "string"))) {
    throw new PluginError(plugin, point, `returned reasons ${describe(reasons)}; reasons must be a list of strings`);
  }
  const status = { code, reasons: (reasons as string[] | undefined) ?? [] };
  if (nodeNames === undefined) return status;
  if (!(nodeNames instanceof Set) || [...nodeNames].some((name) => typeof name !== "string")) throw new PluginError(plugin, point, "returned nodeNames that is not a Set of node names");
  return { ...status, nodeNames: nodeNames as ReadonlySet<string> };
}

/** Calls the user's code; what it throws becomes a PluginError. */
function guarded<T>(plugin: string, point: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof PluginError) throw error;
    throw new PluginError(plugin, point, `threw ${error instanceof Error ? `${error.name}: ${error.message}` : describe(error)}`);
  }
}

/** The user's plugin behind checks on every call (the object itself is never changed). */
function wrap(user: Plugin): Plugin {
  const name = user.name;
  const wrapped: { name: string } & Record<string, unknown> = { name };
  if (typeof user.preFilter === "function") {
    const method = user.preFilter.bind(user);
    wrapped["preFilter"] = (cycle: CycleState): PreFilterResult => statusFrom(guarded(name, "PreFilter", () => method(cycle)), name, "PreFilter");
  }
  if (typeof user.filter === "function") {
    const method = user.filter.bind(user);
    wrapped["filter"] = (cycle: CycleState, node: NodeInfo): Status => statusFrom(guarded(name, "Filter", () => method(cycle, node)), name, `Filter on node ${node.node.name}`);
  }
  if (typeof user.preScore === "function") {
    const method = user.preScore.bind(user);
    wrapped["preScore"] = (cycle: CycleState, nodes: readonly NodeInfo[]): Status => statusFrom(guarded(name, "PreScore", () => method(cycle, nodes)), name, "PreScore");
  }
  if (typeof user.score === "function") {
    const method = user.score.bind(user);
    wrapped["score"] = (cycle: CycleState, node: NodeInfo): number => {
      const score = guarded(name, "Score", () => method(cycle, node));
      if (typeof score !== "number" || !Number.isSafeInteger(score)) {
        throw new PluginError(name, `Score on node ${node.node.name}`, `returned ${describe(score)}; a score is a whole number (kube's int64), within [0, 100] after NormalizeScore`);
      }
      return score;
    };
    const normalize = user.normalizeScore;
    if (typeof normalize === "function") {
      wrapped["normalizeScore"] = (cycle: CycleState, nodes: readonly NodeInfo[], scores: number[]): void => {
        guarded(name, "NormalizeScore", () => normalize.call(user, cycle, nodes, scores));
        const bad = scores.findIndex((score) => typeof score !== "number" || !Number.isSafeInteger(score));
        if (bad >= 0) throw new PluginError(name, "NormalizeScore", `left ${describe(scores[bad])} as the score of node ${nodes[bad]?.node.name}; scores are whole numbers`);
      };
    }
  }
  return wrapped as Plugin;
}

/**
 * The registry of out-of-tree plugins: each must be an object with a non-empty string `name`
 * not taken by an in-tree plugin or another user plugin, and at least one of kube's methods.
 * @returns the registry, or the problems (each naming the plugin by `where(index)`).
 */
export function outOfTreeRegistry(plugins: readonly unknown[], where: (index: number) => string): { registry?: PluginRegistry; problems: string[] } {
  const problems: string[] = [];
  const registry = new Map<string, Plugin>();
  plugins.forEach((value, index) => {
    const at = where(index);
    if (typeof value !== "object" || value === null) {
      problems.push(`${at}: a plugin is an object {name, filter?, score?, …}, got ${describe(value)}`);
      return;
    }
    const plugin = value as Plugin & Record<string, unknown>;
    if (typeof plugin.name !== "string" || !/^[A-Za-z][A-Za-z0-9_.-]*$/.test(plugin.name)) {
      problems.push(`${at}: the plugin's name must be a non-empty string of letters, digits, "_", "." or "-" starting with a letter (it is how a KubeSchedulerConfiguration names it), got ${describe(plugin.name)}`);
      return;
    }
    for (const method of METHODS) {
      if (plugin[method] !== undefined && typeof plugin[method] !== "function") problems.push(`${at}: plugin ${JSON.stringify(plugin.name)}: ${method} must be a function, got ${describe(plugin[method])}`);
    }
    if (outOfTreePoints(plugin).length === 0) {
      problems.push(`${at}: plugin ${JSON.stringify(plugin.name)} implements no extension point Timoneiro runs: give it a filter(cycle, node) or score(cycle, node) method (preFilter, preScore, normalizeScore optional)`);
      return;
    }
    if (plugin.normalizeScore !== undefined && typeof plugin.score !== "function") problems.push(`${at}: plugin ${JSON.stringify(plugin.name)} has normalizeScore without score`);
    if (isInTreePlugin(plugin.name) || BUNDLED_GPU_PLUGINS.includes(plugin.name) || registry.has(plugin.name)) {
      problems.push(`${at}: a plugin named ${plugin.name} already exists${isInTreePlugin(plugin.name) ? " (an in-tree plugin of kube-scheduler v1.35)" : BUNDLED_GPU_PLUGINS.includes(plugin.name) ? " (a GPU-sharing plugin bundled with Timoneiro)" : ""}: kube-scheduler refuses to register it; rename it`);
      return;
    }
    registry.set(plugin.name, wrap(plugin));
  });
  return problems.length > 0 ? { problems } : { registry, problems };
}

/**
 * The run's registry with the plugins bundled with Timoneiro (the GPU-sharing ones,
 * plugins/gpushare) beside the user's: a profile enables them by name like any out-of-tree plugin.
 */
export function withBundledPlugins(registry: PluginRegistry | undefined): PluginRegistry {
  const merged = new Map(bundledGpuPlugins());
  for (const [name, plugin] of registry ?? []) merged.set(name, plugin);
  return merged;
}
