/**
 * Every case a property ever found, kept as a scenario file under properties/regressions/ and run
 * here against every law on both engines. A file whose header says `# broken: LAW` is a case a
 * law must keep catching (a deliberately broken plugin's counterexample, from `timoneiro check`).
 * docs/properties.md says how to add one.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LAWS, lawsBroken } from "./laws.js";
import { loadScenarioText } from "../scenarios/loaders/scenario.js";
import { preloadPlugins } from "../scenarios/cli/plugins.js";
import { schedulerFor } from "../scenarios/cli/run.js";

const FOLDER = join(import.meta.dirname, "regressions");
const SILENT = { print: () => undefined, error: () => undefined };
const files = readdirSync(FOLDER).filter((name) => name.endsWith(".yaml")).sort();

describe("regressions", () => {
  it("are kept: at least the ones this folder started with", () => {
    expect(files).toEqual(expect.arrayContaining(["cronjob-same-minute-job-name.yaml", "cpu-only-plugin-overcommits.yaml"]));
  });

  it.each(files)("%s", async (name) => {
    const path = join(FOLDER, name);
    const text = readFileSync(path, "utf8");
    const loaded = loadScenarioText(text, path, { validate: "strict" });
    expect(loaded.diagnostics.filter((diagnostic) => diagnostic.severity === "error")).toEqual([]);
    const scenario = loaded.scenario;
    if (scenario === undefined) throw new Error(`${name} does not load`);
    if (loaded.scheduler.plugins !== undefined) await preloadPlugins(loaded.scheduler.plugins);
    const { choice } = schedulerFor({ validate: "strict" }, loaded.scheduler, SILENT);
    const expected = [...text.matchAll(/^# broken: (\S+)$/gm)].map((match) => match[1] as string);
    for (const engine of ["fast", "reference"] as const) {
      const broken = lawsBroken({ scenario, scheduler: choice, engine }, Object.keys(LAWS));
      const lawsHit = [...new Set(broken.map((finding) => finding.slice(0, finding.indexOf(":"))))];
      expect(lawsHit, `${engine}: ${broken.join("\n")}`).toEqual(expected);
    }
  });
});
