/**
 * core/ is pure (DESIGN.md "Purity and state"): the lint rule must reject I/O, the clock,
 * randomness and the environment there, and every core source file must pass it.
 */
import { ESLint } from "eslint";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: root });

async function ruleIdsFor(code: string, file = "core/model/example.ts"): Promise<string[]> {
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
    ["new Date()", "export const r = new Date();\n", "no-restricted-syntax"],
    ["process.env", "export const r = process.env;\n", "no-restricted-globals"],
    ["setTimeout", "setTimeout(() => undefined, 1);\n", "no-restricted-globals"],
  ];
  it.each(impure)("rejects %s", async (_name, code, rule) => {
    expect(await ruleIdsFor(code)).toContain(rule);
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
