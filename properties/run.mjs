#!/usr/bin/env node
/* global process, console */
// `npm run properties -- --runs N [vitest filters…]`: the property tests with N runs each (no
// per-test timeout: long runs take minutes). Without --runs, the bounded runs of `npm test`.
import { spawnSync } from "node:child_process";

const args = process.argv.slice(2);
const at = args.indexOf("--runs");
const env = { ...process.env };
if (at >= 0) {
  const runs = args[at + 1];
  if (runs === undefined || !/^[1-9][0-9]*$/.test(runs)) {
    console.error(`error: --runs needs a positive whole number of runs, got ${JSON.stringify(runs ?? "")}`);
    process.exit(2);
  }
  env.TIMONEIRO_PROPERTY_RUNS = runs;
  args.splice(at, 2);
}
const filters = args.length > 0 ? args : ["properties", "core/fast/pvec"];
const result = spawnSync("npx", ["vitest", "run", "--testTimeout=0", ...filters], { stdio: "inherit", env });
process.exit(result.status ?? 1);
