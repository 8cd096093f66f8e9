/**
 * What the CLI's tests share: `main` run in memory, and an example scenario run to a fresh folder.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClusterEvent } from "../../core/index.js";
import { readEventLog } from "../log/files.js";
import { main, mainAsync } from "./main.js";
import { memoryOutput } from "./output.js";
import { packageRoot } from "./run.js";

/** `timoneiro ARGS…` in memory: its exit code and what it printed. */
export function cli(...args: string[]): { code: number; out: string; err: string } {
  const output = memoryOutput();
  const code = main(args, output);
  return { code, out: output.out.join("\n"), err: output.err.join("\n") };
}

/** `timoneiro run examples/NAME --out DIR` into a fresh folder: its log's path and events (throws if the run fails). */
export function runExample(name: string): { log: string; events: ClusterEvent[] } {
  const dir = mkdtempSync(join(tmpdir(), "timoneiro-"));
  const run = cli("run", join(packageRoot(), "examples", name), "--out", dir);
  if (run.code !== 0) throw new Error(`examples/${name} exited ${run.code}: ${run.err}`);
  const log = join(dir, "events.jsonl");
  return { log, events: readEventLog(log).events };
}

/** `timoneiro ARGS…` in memory through `mainAsync`: for commands that load plugin modules or take time. */
export async function cliAsync(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const output = memoryOutput();
  const code = await mainAsync(args, output);
  return { code, out: output.out.join("\n"), err: output.err.join("\n") };
}
