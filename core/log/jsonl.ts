/**
 * The event log as JSON Lines (DESIGN.md "Event log"). Line 1 is a header; every next line is
 * one event, keys in a fixed order: `{"seq":…,"t":…,"type":"PodBound","pod":"default/web-1","node":"node-2"}`.
 *
 * Pure encoding and decoding; reading and writing files happens in `scenarios/`.
 */
import { EVENT_TYPES, type ClusterEvent, type EventType } from "../events/events.js";
import type { EngineOptions } from "../reference/state.js";

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
  const known = Object.keys(REQUIRED_FIELDS[event.type]);
  const others = Object.keys(fields).filter((key) => key !== "seq" && key !== "t" && key !== "type" && !known.includes(key)).sort();
  const ordered: Record<string, unknown> = { seq: event.seq, t: event.t, type: event.type };
  for (const key of [...known, ...others]) if (fields[key] !== undefined) ordered[key] = fields[key];
  return JSON.stringify(ordered);
}

/** Fields each event type must carry, beyond seq, t and type, with their JSON types. */
const REQUIRED_FIELDS: Readonly<Record<EventType, Readonly<Record<string, "string" | "number" | "object">>>> = {
  NodeJoined: { node: "string", spec: "object" },
  NodeRemoved: { node: "string" },
  NodeConditionChanged: { node: "string", condition: "string", status: "string" },
  NodeTainted: { node: "string", taint: "object" },
  NodeUntainted: { node: "string", taint: "object" },
  NodeCordoned: { node: "string" },
  NodeUncordoned: { node: "string" },
  PodCreated: { pod: "string", spec: "object" },
  PodBound: { pod: "string", node: "string" },
  PodUnschedulable: { pod: "string", message: "string", plugins: "object" },
  PodStarted: { pod: "string", node: "string" },
  ContainerFailed: { pod: "string", container: "string", exitCode: "number", reason: "string" },
  ContainerCompleted: { pod: "string", container: "string" },
  ContainerRestarted: { pod: "string", container: "string", restartCount: "number" },
  PodSucceeded: { pod: "string" },
  PodFailed: { pod: "string", reason: "string", message: "string" },
  PodDeleted: { pod: "string", gracePeriodSeconds: "number" },
  ResourcesFreed: { pod: "string", node: "string" },
};

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
  const options = header["options"] as { fitBy?: unknown } | undefined;
  if (options?.fitBy !== "requests" && options?.fitBy !== "limits") {
    throw new LogError(1, `header field "options.fitBy" must be "requests" or "limits"`);
  }
  return header as unknown as LogHeader;
}

/** Decodes one event line; `line` is its 1-based number in the file (for errors). */
export function decodeEvent(text: string, line: number, isLast = false): ClusterEvent {
  const event = parseJsonObject(text, line, isLast);
  const type = event["type"];
  if (typeof type !== "string" || !(EVENT_TYPES as readonly string[]).includes(type)) {
    throw new LogError(line, `unknown event type ${JSON.stringify(type)}; known types: ${EVENT_TYPES.join(", ")}`);
  }
  for (const field of ["seq", "t"]) {
    if (!Number.isSafeInteger(event[field]) || (event[field] as number) < 0) throw new LogError(line, `${type}: "${field}" must be a non-negative integer`);
  }
  for (const [field, kind] of Object.entries(REQUIRED_FIELDS[type as EventType])) {
    const value = event[field];
    if (typeof value !== kind || value === null) throw new LogError(line, `${type}: field "${field}" must be ${kind === "object" ? "an object" : `a ${kind}`}`);
  }
  const spec = event["spec"] as Record<string, unknown> | undefined;
  const shapes: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    PodCreated: { namespace: "string", name: "string", containers: "array", initContainers: "array", tolerations: "array", nodeSelector: "object", sim: "object", priority: "number" },
    NodeJoined: { name: "string", labels: "object", taints: "array", allocatable: "object", capacity: "object" },
  };
  for (const [field, kind] of Object.entries(shapes[type] ?? {})) {
    const value = spec?.[field];
    const ok = kind === "array" ? Array.isArray(value) : typeof value === kind && value !== null && !Array.isArray(value);
    if (!ok) throw new LogError(line, `${type}: spec.${field} must be ${kind === "array" ? "a list" : kind === "object" ? "an object" : `a ${kind}`}`);
  }
  return event as unknown as ClusterEvent;
}
