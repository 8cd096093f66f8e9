/**
 * core/ is pure (DESIGN.md "Purity and state"): the lint rule must reject I/O, the clock,
 * randomness and the environment there, and every core source file must pass it.
 */
import { ESLint } from "eslint";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: root });

async function ruleIdsFor(code: string, file = "core/scheduler/plugins/x/example.ts"): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe("the purity rule for core/", () => {
  const impure: Array<[string, string, string]> = [
    ["a node: import", 'import { readFileSync } from "node:fs";\nexport const f = readFileSync;\n', "no-restricted-imports"],
    ["a bare fs import", 'import * as fs from "fs";\nexport const f = fs;\n', "no-restricted-imports"],
    ["an import from scenarios/", 'import { main } from "../../scenarios/index.js";\nexport const f = main;\n', "no-restricted-imports"],
    ["Math.random", "export const r = Math.random();\n", "no-restricted-properties"],
    ["Date.now", "export const r = Date.now();\n", "no-restricted-properties"],
    ["new Date()", "export const r = new Date();\n", "no-restricted-globals"],
    ["Date()", "export const r = Date();\n", "no-restricted-globals"],
    ["process.env", "export const r = process.env;\n", "no-restricted-globals"],
    ["globalThis.process", "export const r = globalThis.process;\n", "no-restricted-globals"],
    ["setTimeout", "setTimeout(() => undefined, 1);\n", "no-restricted-globals"],
    ["setImmediate", "setImmediate(() => undefined);\n", "no-restricted-globals"],
    ["fetch", "export const r = fetch;\n", "no-restricted-globals"],
    ["crypto.randomUUID()", "export const r = crypto.randomUUID();\n", "no-restricted-globals"],
    ["a bare package import", 'import { inspect } from "util";\nexport const f = inspect;\n', "no-restricted-imports"],
    ["perf_hooks", 'import { performance } from "perf_hooks";\nexport const f = performance;\n', "no-restricted-imports"],
    ["a dynamic import", 'export const f = import("node:fs");\n', "no-restricted-syntax"],
    ["an import three levels up into scenarios/", 'import { main } from "../../../scenarios/index.js";\nexport const f = main;\n', "no-restricted-imports"],
  ];
  it.each(impure)("rejects %s", async (_name, code, rule) => {
    expect(await ruleIdsFor(code)).toContain(rule);
  });

  it("allows core's own modules and immer", async () => {
    expect(await ruleIdsFor('import { produce } from "immer";\nimport { cpuMillis } from "../../quantity/quantity.js";\nexport const f = [produce, cpuMillis];\n', "core/scheduler/plugins/example.ts")).toEqual([]);
  });

  it("allows the same code outside core/", async () => {
    expect(await ruleIdsFor("export const r = Math.random();\n", "scenarios/example.ts")).toEqual([]);
  });

  it("passes every file in core/", async () => {
    const results = await eslint.lintFiles([join(root, "core/**/*.ts")]);
    const problems = results.flatMap((result) => result.messages.map((message) => `${result.filePath}:${message.line} ${message.ruleId}: ${message.message}`));
    expect(problems).toEqual([]);
  });
});
