/**
 * Why an event is refused: typed rejections with a message naming the event and the reason, the
 * same in both engines. A reducer's rule throws `Rejected` (through `reject`) before it writes
 * anything; `rejectionOf` turns what it threw into a `Rejection`. An event without its type's
 * shape is refused before any rule reads it (`shapeRejection`).
 */
import type { ClusterEvent } from "../events/events.js";
import { eventShapeError } from "../events/shape.js";

export type RejectionCode =
  | "OutOfOrder"
  | "UnknownNode"
  | "UnknownPod"
  | "UnknownObject"
  | "AlreadyExists"
  | "DoesNotFit"
  | "InvalidTransition"
  | "NodeNotEmpty"
  /** The event's data does not have the shape its type needs. */
  | "Malformed";

/** Why an event was refused. `message` names the event and the reason. */
export interface Rejection {
  readonly code: RejectionCode;
  readonly event: ClusterEvent;
  readonly message: string;
}

/** A rule's refusal, thrown inside a reducer and turned into a `Rejection` (both engines). */
export class Rejected {
  constructor(readonly code: RejectionCode, readonly reason: string) {}
}

export function reject(code: RejectionCode, reason: string): never {
  throw new Rejected(code, reason);
}

/**
 * The rejection for what a reducer threw on `event`. Total: an event whose data breaks the
 * reducer (a hand-edited log, say) is rejected too, as Malformed.
 */
export function rejectionOf(error: unknown, event: ClusterEvent): Rejection {
  const rejected = error instanceof Rejected ? error : new Rejected("Malformed", `malformed event data (${error instanceof Error ? error.message : String(error)})`);
  const subject = "pod" in event ? `pod ${event.pod}` : "node" in event ? `node ${event.node}` : "no subject";
  return { code: rejected.code, event, message: `${event.type} (seq ${event.seq}, ${subject}) rejected: ${rejected.reason}` };
}

/**
 * The rejection for an event that does not have its type's shape (`eventShapeError`: a field
 * missing, of the wrong type, or not a field of its type), before any rule reads it; undefined
 * for a well-formed event. Both engines' public entry points check it.
 */
export function shapeRejection(event: ClusterEvent): Rejection | undefined {
  const problem = eventShapeError(event);
  if (problem === undefined) return undefined;
  const fields = (typeof event === "object" && event !== null ? event : {}) as Record<string, unknown>;
  const subject = typeof fields["pod"] === "string" ? `, pod ${fields["pod"]}` : typeof fields["node"] === "string" ? `, node ${fields["node"]}` : "";
  const type = String(fields["type"]);
  const reason = problem.startsWith(`${type}: `) ? problem.slice(type.length + 2) : problem;
  return { code: "Malformed", event, message: `${type} (seq ${String(fields["seq"])}${subject}) rejected: malformed: ${reason}` };
}
