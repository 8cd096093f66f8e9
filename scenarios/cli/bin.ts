#!/usr/bin/env node
/** The `timoneiro` executable: runs the CLI on this process's arguments. */
import { main } from "./main.js";

process.exitCode = main(process.argv.slice(2), {
  print: (line) => process.stdout.write(line + "\n"),
  error: (line) => process.stderr.write(line + "\n"),
});
