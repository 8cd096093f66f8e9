/**
 * The event log on disk (DESIGN.md "Event log"): `events.jsonl`, header line first.
 *
 * Writing: lines are buffered and written in batches (not one syscall per event), into
 * `<file>.partial`, renamed over `<file>` only when the run completes — so a finished log from
 * an earlier run is never replaced by a half-written one, and a crash leaves the `.partial`
 * file, whose truncated last line `readEventLog` reports.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import {
  LogError,
  applyEvent,
  createFastState,
  decodeEvent,
  decodeHeader,
  encodeEvent,
  encodeHeader,
  materialize,
  type ClusterEvent,
  type ClusterState,
  type LogHeader,
} from "../../core/index.js";

const BATCH_LINES = 4096;

/**
 * Makes an output folder and its missing parents, one level at a time. Node's own
 * `mkdirSync(…, { recursive: true })` never returns for a path under /proc (it retries the ENOENT
 * forever), so the folders are made from the nearest one that exists, each with a plain mkdir:
 * any refusal is an error with its code (ENOENT, EACCES, ENOTDIR, EEXIST …).
 */
export function makeFolder(path: string): void {
  const missing: string[] = [];
  let folder = resolve(path);
  for (;;) {
    try {
      if (statSync(folder).isDirectory()) break;
      throw Object.assign(new Error(`${folder} is a file, not a folder`), { code: "ENOTDIR" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    missing.push(folder);
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  for (const each of missing.reverse()) mkdirSync(each);
}

/** Why a folder could not be made or written, for a person. */
export function folderProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EEXIST" || code === "ENOTDIR") return "it is a file, not a folder";
  if (code === "EACCES" || code === "EROFS" || code === "EPERM") return "permission denied";
  if (code === "ENOENT") return "no folder can be made there";
  return code ?? String(error);
}

export class EventLogWriter {
  private readonly fd: number;
  private readonly partialPath: string;
  private buffer: string[] = [];
  private closed = false;

  constructor(private readonly path: string, header: LogHeader) {
    this.partialPath = `${path}.partial`;
    this.fd = openSync(this.partialPath, "w");
    this.buffer.push(encodeHeader(header));
  }

  write(event: ClusterEvent): void {
    this.buffer.push(encodeEvent(event));
    if (this.buffer.length >= BATCH_LINES) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join("\n") + "\n");
    this.buffer = [];
  }

  /** Writes what is left and puts the complete log in place. */
  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    renameSync(this.partialPath, this.path);
    this.closed = true;
  }
}

/** A problem reading a log file, positioned at `file:line`. */
export class LogFileError extends Error {
  override readonly name = "LogFileError";
  constructor(readonly file: string, readonly line: number, reason: string) {
    super(line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`);
  }
}

export interface ReadLog {
  readonly header: LogHeader;
  readonly events: ClusterEvent[];
  /** Set when the last line was cut short (a crash mid-write): it was left out. */
  readonly truncatedLine?: number;
}

/** Reads and checks a whole log. A truncated last line is left out and reported, not fatal. */
export function readEventLog(file: string): ReadLog {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LogFileError(file, 0, code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not a log file" : `cannot read it (${code ?? String(error)})`);
  }
  return parseEventLog(text, file);
}

/** Parses a log's text; `file` names it in errors. */
export function parseEventLog(text: string, file: string): ReadLog {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new LogFileError(file, 1, "empty file: a log starts with its header line");
  let header: LogHeader;
  try {
    header = decodeHeader(lines[0] as string, lines.length === 1 && !text.endsWith("\n"));
  } catch (error) {
    if (error instanceof LogError) throw new LogFileError(file, error.line, error.reason);
    throw error;
  }
  const events: ClusterEvent[] = [];
  const endsCleanly = text.endsWith("\n");
  for (let index = 1; index < lines.length; index++) {
    const isLast = index === lines.length - 1 && !endsCleanly;
    try {
      events.push(decodeEvent(lines[index] as string, index + 1, isLast));
    } catch (error) {
      if (!(error instanceof LogError)) throw error;
      if (error.truncated) return { header, events, truncatedLine: index + 1 };
      throw new LogFileError(file, error.line, error.reason);
    }
  }
  return { header, events };
}

/**
 * Rebuilds the state from a log, up to and including tick `at` (all of it by default).
 * @throws LogFileError naming the line of an event the reducer rejects.
 */
export function replayLog(log: ReadLog, file: string, at = Number.POSITIVE_INFINITY): ClusterState {
  // The fast engine, one batch for the whole replay; rejections are the reference's, word for word.
  const batch = createFastState(log.header.options).transient();
  for (let index = 0; index < log.events.length; index++) {
    const event = log.events[index] as ClusterEvent;
    if (event.t > at) break;
    const rejection = applyEvent(batch, event);
    if (rejection !== undefined) throw new LogFileError(file, index + 2, rejection.message);
  }
  return materialize(batch.seal());
}
