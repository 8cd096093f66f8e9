/**
 * Out-of-tree plugin modules (`--plugin ./my-plugin.js`, a scenario's `spec.scheduler.plugins`):
 * ES modules whose default export is a plugin object (or a list of them), or which export
 * `plugins` (a list). They are imported before the command runs (`preloadPlugins`, asynchronous),
 * then looked up by path (`pluginRegistryFor`) by the synchronous loaders.
 *
 * A module that is missing, does not load, or exports no valid plugin is an input error naming
 * the file and what a plugin module looks like.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { pathToFileURL } from "node:url";
import { outOfTreeRegistry, type PluginRegistry } from "../../core/index.js";
import { InputError } from "./output.js";

const loaded = new Map<string, readonly unknown[]>();

const SHAPE = "a plugin module's default export is a plugin object {name, filter?(cycle, node), score?(cycle, node), …} or a list of them (or it exports `plugins`, a list)";

/** The plugins a module exports. */
function pluginsOf(module: Record<string, unknown>, file: string): readonly unknown[] {
  const exported = module["default"] ?? module["plugins"];
  if (exported === undefined) throw new InputError(`${file}: exports no plugin; ${SHAPE}`);
  return Array.isArray(exported) ? exported : [exported];
}

/** Imports each plugin module (once per process); problems are input errors naming the file. */
export async function preloadPlugins(files: readonly string[]): Promise<void> {
  for (const file of files) {
    const path = resolve(file);
    if (loaded.has(path)) continue;
    if (!existsSync(path)) throw new InputError(`${file}: no such plugin module`);
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new InputError(`${file}: the plugin module does not load (${reason}); it must be an ES module (a .mjs file, or .js in a package with "type": "module")`);
    }
    loaded.set(path, pluginsOf(module, file));
  }
}

/** The registry of the out-of-tree plugins in these modules, which `preloadPlugins` has imported. */
export function pluginRegistryFor(files: readonly string[]): PluginRegistry | undefined {
  if (files.length === 0) return undefined;
  const plugins: unknown[] = [];
  const origins: string[] = [];
  for (const file of files) {
    const exported = loaded.get(resolve(file));
    if (exported === undefined) throw new InputError(`${file}: the plugin module was not loaded (plugins load through the timoneiro command, or call preloadPlugins first)`);
    exported.forEach((plugin, index) => {
      plugins.push(plugin);
      origins.push(exported.length === 1 ? file : `${file} [${index}]`);
    });
  }
  const { registry, problems } = outOfTreeRegistry(plugins, (index) => origins[index] as string);
  if (registry === undefined) throw new InputError(problems.join("\n  "));
  return registry;
}

/**
 * The plugin modules a scenario file names in `spec.scheduler.plugins`, resolved against its
 * folder, so that they can be imported before the (synchronous) loader reads the file; a file
 * that does not parse names none here (the loader reports its problems).
 */
export function scenarioPluginFiles(file: string): string[] {
  let value: unknown;
  try {
    const text = readFileSync(file, "utf8");
    // A large scenario is parsed here only if it can name plugins at all (the loader parses it anyway).
    if (!text.includes("plugins")) return [];
    value = parseYaml(text);
  } catch {
    return [];
  }
  const plugins = (value as { spec?: { scheduler?: { plugins?: unknown } } } | null)?.spec?.scheduler?.plugins;
  if (!Array.isArray(plugins)) return [];
  return plugins.filter((plugin): plugin is string => typeof plugin === "string").map((plugin) => (isAbsolute(plugin) ? plugin : join(dirname(file), plugin)));
}
