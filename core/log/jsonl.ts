/**
 * The event log as JSON Lines (DESIGN.md "Event log"). Line 1 is a header; every next line is
 * one event, keys in a fixed order: `{"seq":…,"t":…,"type":"PodBound","pod":"default/web-1","node":"node-2"}`.
 *
 * Pure encoding and decoding; reading and writing files happens in `scenarios/`.
 */
import type { ClusterEvent } from "../events/events.js";
import { EVENT_SHAPES, eventShapeError } from "../events/shape.js";
import { ClockError, parseRfc3339 } from "../model/clock.js";
import type { EngineOptions } from "../cluster/state.js";

export const LOG_FORMAT = "timoneiro.events/v1";

export interface LogHeader {
  readonly format: typeof LOG_FORMAT;
  /** e.g. "timoneiro 0.1.0" */
  readonly engine: string;
  readonly scenario: string;
  /** sha256 of the scenario's canonical text, to tell which scenario a log came from. */
  readonly scenarioHash: string;
  readonly seed: number;
  /** Length of one tick; always "1s" for now. */
  readonly tick: "1s";
  readonly untilSeconds: number;
  readonly options: EngineOptions;
  /** The scheduler that decided placements, for people ("kube-scheduler v1.35 default profile", "best-fit" …). */
  readonly scheduler?: string;
  /** Tick 0's time (RFC 3339); logs written before the scenario clock have none (the default then). */
  readonly startTime?: string;
}

/** A log line that is not what it should be; `line` is 1-based. */
export class LogError extends Error {
  override readonly name = "LogError";
  constructor(readonly line: number, readonly reason: string, readonly truncated = false) {
    super(`line ${line}: ${reason}`);
  }
}

export function encodeHeader(header: LogHeader): string {
  return JSON.stringify(header);
}

/**
 * One event as one line (no newline), its keys in a fixed order whatever the object's own:
 * `seq`, `t`, `type`, then the type's fields in vocabulary order, then any others sorted.
 * (Nested objects, such as a PodCreated's spec, keep the order they were built in.)
 */
export function encodeEvent(event: ClusterEvent): string {
  const fields = event as unknown as Record<string, unknown>;
  const known = Object.keys(EVENT_SHAPES[event.type].required);
  const others = Object.keys(fields).filter((key) => key !== "seq" && key !== "t" && key !== "type" && !known.includes(key)).sort();
  const ordered: Record<string, unknown> = { seq: event.seq, t: event.t, type: event.type };
  for (const key of [...known, ...others]) if (fields[key] !== undefined) ordered[key] = fields[key];
  return JSON.stringify(ordered);
}

function parseJsonObject(text: string, line: number, isLast: boolean): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (isLast) throw new LogError(line, `truncated last line (the run that wrote it stopped mid-write?): ${reason}`, true);
    throw new LogError(line, `not valid JSON: ${reason}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new LogError(line, "must be a JSON object");
  return value as Record<string, unknown>;
}

export function decodeHeader(text: string, isLast = false): LogHeader {
  const header = parseJsonObject(text, 1, isLast);
  if (header["format"] !== LOG_FORMAT) {
    throw new LogError(1, `not a Timoneiro event log: the header's format is ${JSON.stringify(header["format"])}, expected ${JSON.stringify(LOG_FORMAT)}`);
  }
  for (const field of ["engine", "scenario", "scenarioHash"]) {
    if (typeof header[field] !== "string") throw new LogError(1, `header field "${field}" must be a string`);
  }
  for (const field of ["seed", "untilSeconds"]) {
    if (typeof header[field] !== "number") throw new LogError(1, `header field "${field}" must be a number`);
  }
  if (header["startTime"] !== undefined) {
    if (typeof header["startTime"] !== "string") throw new LogError(1, `header field "startTime" must be an RFC 3339 time`);
    try {
      parseRfc3339(header["startTime"]);
    } catch (error) {
      if (error instanceof ClockError) throw new LogError(1, `header field "startTime": ${error.message}`);
      throw error;
    }
  }
  const options = header["options"] as { fitBy?: unknown } | undefined;
  if (options?.fitBy !== "requests" && options?.fitBy !== "limits") {
    throw new LogError(1, `header field "options.fitBy" must be "requests" or "limits"`);
  }
  return header as unknown as LogHeader;
}

/**
 * Decodes one event line; `line` is its 1-based number in the file (for errors). The event must
 * have its type's shape exactly (`eventShapeError`), as `reduce` requires of a library caller.
 */
export function decodeEvent(text: string, line: number, isLast = false): ClusterEvent {
  const event = parseJsonObject(text, line, isLast);
  const problem = eventShapeError(event);
  if (problem !== undefined) throw new LogError(line, problem);
  return event as unknown as ClusterEvent;
}
