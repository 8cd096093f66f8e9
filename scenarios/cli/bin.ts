#!/usr/bin/env node
/** The `timoneiro` executable: runs the CLI on this process's arguments. */
import { mainAsync } from "./main.js";

// A reader that stops early (`timoneiro run | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await mainAsync(process.argv.slice(2), {
  print: (line) => process.stdout.write(line + "\n"),
  error: (line) => process.stderr.write(line + "\n"),
});
