/**
 * Where commands write, and the errors that map to exit codes (DESIGN.md "CLI"):
 * 0 done, 1 the run failed, 2 bad input or usage.
 */

export interface Output {
  /** A line of the command's result (stdout). */
  print(line: string): void;
  /** A line of diagnostics (stderr). */
  error(line: string): void;
}

/** Bad input or usage: the message says what is wrong and what would be valid. Exit code 2. */
export class InputError extends Error {
  override readonly name = "InputError";
}

/** The command did its work and the answer is "no" (a law broken): exit code 1; what it found is already printed. */
export class CommandFailed extends Error {
  override readonly name = "CommandFailed";
}

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** An output that collects lines, for tests. */
export function memoryOutput(): Output & { readonly out: string[]; readonly err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, print: (line) => out.push(line), error: (line) => err.push(line) };
}
