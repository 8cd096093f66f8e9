/**
 * The compact in-memory event log (DESIGN.md "Event log"): events in typed columns — a type
 * code, the tick, interned ids for pods, nodes, containers and texts, one integer field, a flag — with
 * the few object-valued fields (a PodCreated's spec, a NodeJoined's node, a taint, a plugin list)
 * kept by reference. Appending writes a handful of numbers; no event object is kept.
 *
 * `get(i)` rebuilds the event exactly (same fields, same values), so `encodeEvent(log.get(i))`
 * is byte-identical to encoding the original; `seq` is the position + 1 — the log holds a run's
 * events from seq 1, in order.
 */
import { EVENT_TYPES, type ClusterEvent, type EventType } from "../events/events.js";
import { Names } from "../state/names.js";

const TYPE_CODE = Object.fromEntries(EVENT_TYPES.map((type, index) => [type, index])) as Readonly<Record<EventType, number>>;
const ABSENT = -1;
/** A `flag` field (a `true` that is otherwise absent) sits in the text column of a type that has no text. */
const FLAG_SET = 1;

/** Which column holds which field, per event type (the fields each type carries besides seq, t, type). */
/** `bool`: a required true or false, kept as 1 or 0 in the integer column. */
type FieldKind = "pod" | "node" | "container" | "text" | "int" | "object" | "flag" | "bool";
const LAYOUT: Readonly<Record<EventType, readonly (readonly [string, FieldKind])[]>> = {
  NodeJoined: [["node", "node"], ["spec", "object"]],
  NodeRemoved: [["node", "node"]],
  KubeletStopped: [["node", "node"]],
  KubeletStarted: [["node", "node"]],
  NodeDrainStarted: [["node", "node"], ["warning", "text"]],
  NodeDrainFinished: [["node", "node"], ["drained", "bool"], ["message", "container"]],
  NodeConditionChanged: [["node", "node"], ["condition", "text"], ["status", "container"]],
  NodeTainted: [["node", "node"], ["taint", "object"]],
  NodeUntainted: [["node", "node"], ["taint", "object"]],
  NodeCordoned: [["node", "node"]],
  NodeUncordoned: [["node", "node"]],
  PodCreated: [["pod", "pod"], ["spec", "object"]],
  PodBound: [["pod", "pod"], ["node", "node"], ["nextStartNodeIndex", "int"], ["overcommits", "flag"], ["gpus", "object"]],
  PodUnschedulable: [["pod", "pod"], ["message", "text"], ["plugins", "object"], ["nextStartNodeIndex", "int"]],
  PodStarted: [["pod", "pod"], ["node", "node"]],
  PodReadyChanged: [["pod", "pod"], ["ready", "bool"]],
  ContainerFailed: [["pod", "pod"], ["container", "container"], ["exitCode", "int"], ["reason", "text"]],
  ContainerCompleted: [["pod", "pod"], ["container", "container"]],
  ContainerRestarted: [["pod", "pod"], ["container", "container"], ["restartCount", "int"]],
  PodSucceeded: [["pod", "pod"]],
  PodFailed: [["pod", "pod"], ["reason", "text"], ["message", "container"]],
  PodDeleted: [["pod", "pod"], ["gracePeriodSeconds", "int"]],
  PodEvicted: [["pod", "pod"], ["reason", "text"], ["message", "container"]],
  PodEvictionRefused: [["pod", "pod"], ["code", "int"], ["message", "container"]],
  ResourcesFreed: [["pod", "pod"], ["node", "node"]],
  ObjectApplied: [["kind", "text"], ["object", "container"], ["spec", "object"]],
  ObjectDeleted: [["kind", "text"], ["object", "container"], ["propagation", "object"]],
  WorkloadScaled: [["kind", "text"], ["object", "container"], ["replicas", "int"]],
  WorkloadStatusChanged: [["kind", "text"], ["object", "container"], ["status", "object"]],
  PodNominated: [["pod", "pod"], ["node", "text"]],
  PodPreempted: [["pod", "pod"], ["node", "node"], ["preemptor", "text"], ["message", "container"]],
};

export class CompactLog {
  private length = 0;
  private types = new Uint8Array(1024);
  private ticks = new Float64Array(1024);
  private pods = new Int32Array(1024);
  private nodes = new Int32Array(1024);
  /** Containers, and second texts (a condition's status, a failure's message). */
  private containers = new Int32Array(1024);
  private texts = new Int32Array(1024);
  private ints = new Float64Array(1024);
  /** Each event's object-valued field (at most one per type) as an index into `objects`, or −1. */
  private objectRefs = new Int32Array(1024);
  private readonly objects: unknown[] = [];
  private readonly podNames: Names;
  private readonly nodeNames: Names;
  private readonly strings = new Names();

  /**
   * `names`: pod and node name tables to share (the fast engine's, which has already interned
   * every name a logged event carries, so appending costs a lookup of the name it just saw).
   */
  constructor(names: { readonly pods?: Names; readonly nodes?: Names } = {}) {
    this.podNames = names.pods ?? new Names();
    this.nodeNames = names.nodes ?? new Names();
  }

  get size(): number {
    return this.length;
  }

  private grow(): void {
    const capacity = this.types.length * 2;
    const copy = <T extends Uint8Array | Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.types = copy(this.types, (n) => new Uint8Array(n));
    this.ticks = copy(this.ticks, (n) => new Float64Array(n));
    this.pods = copy(this.pods, (n) => new Int32Array(n));
    this.nodes = copy(this.nodes, (n) => new Int32Array(n));
    this.containers = copy(this.containers, (n) => new Int32Array(n));
    this.texts = copy(this.texts, (n) => new Int32Array(n));
    this.ints = copy(this.ints, (n) => new Float64Array(n));
    this.objectRefs = copy(this.objectRefs, (n) => new Int32Array(n));
  }

  /** The id of a pod key, a node name, or any other text (container, reason, message). */
  podId(key: string): number {
    return this.podNames.intern(key);
  }

  nodeId(name: string): number {
    return this.nodeNames.intern(name);
  }

  textId(text: string): number {
    return this.strings.intern(text);
  }

  /**
   * The hot path: appends the next event from ids the caller interned once (`podId`, `nodeId`,
   * `textId`); −1 (and NaN for `int`) where the type has no such field. The fields go where
   * `append` would put them (see LAYOUT), so `get` rebuilds the same event.
   */
  appendIds(type: EventType, t: number, pod: number, node: number, container = ABSENT, text = ABSENT, int = NaN, object?: unknown): void {
    if (this.length === this.types.length) this.grow();
    const index = this.length;
    this.types[index] = TYPE_CODE[type];
    this.ticks[index] = t;
    this.pods[index] = pod;
    this.nodes[index] = node;
    this.containers[index] = container;
    this.texts[index] = text;
    this.ints[index] = int;
    this.objectRefs[index] = object === undefined ? ABSENT : this.objects.push(object) - 1;
    this.length += 1;
  }

  /** Appends the next event; its seq must be size + 1. */
  append(event: ClusterEvent): void {
    if (event.seq !== this.length + 1) throw new Error(`CompactLog: seq ${event.seq} appended at position ${this.length + 1}`);
    if (this.length === this.types.length) this.grow();
    const index = this.length;
    const fields = event as unknown as Record<string, unknown>;
    this.types[index] = TYPE_CODE[event.type];
    this.ticks[index] = event.t;
    this.pods[index] = ABSENT;
    this.nodes[index] = ABSENT;
    this.containers[index] = ABSENT;
    this.texts[index] = ABSENT;
    this.ints[index] = NaN;
    this.objectRefs[index] = ABSENT;
    for (const [name, kind] of LAYOUT[event.type]) {
      const value = fields[name];
      if (value === undefined) continue;
      switch (kind) {
        case "pod": this.pods[index] = this.podNames.intern(value as string); break;
        case "node": this.nodes[index] = this.nodeNames.intern(value as string); break;
        case "container": this.containers[index] = this.strings.intern(value as string); break;
        case "text": this.texts[index] = this.strings.intern(value as string); break;
        case "int": this.ints[index] = value as number; break;
        case "object": this.objectRefs[index] = this.objects.push(value) - 1; break;
        case "flag": this.texts[index] = value === true ? FLAG_SET : ABSENT; break;
        case "bool": this.ints[index] = value === true ? 1 : 0; break;
      }
    }
    this.length += 1;
  }

  /** The event at position `index` (0-based), rebuilt with the same fields as appended. */
  get(index: number): ClusterEvent {
    if (index < 0 || index >= this.length) throw new RangeError(`CompactLog: no event at ${index}`);
    const type = EVENT_TYPES[this.types[index] as number] as EventType;
    const event: Record<string, unknown> = { type };
    for (const [name, kind] of LAYOUT[type]) {
      let value: unknown;
      switch (kind) {
        case "pod": value = this.pods[index] === ABSENT ? undefined : this.podNames.list[this.pods[index] as number]; break;
        case "node": value = this.nodes[index] === ABSENT ? undefined : this.nodeNames.list[this.nodes[index] as number]; break;
        case "container": value = this.containers[index] === ABSENT ? undefined : this.strings.list[this.containers[index] as number]; break;
        case "text": value = this.texts[index] === ABSENT ? undefined : this.strings.list[this.texts[index] as number]; break;
        case "int": value = Number.isNaN(this.ints[index]) ? undefined : this.ints[index]; break;
        case "object": value = this.objectRefs[index] === ABSENT ? undefined : this.objects[this.objectRefs[index] as number]; break;
        case "flag": value = this.texts[index] === FLAG_SET ? true : undefined; break;
        case "bool": value = Number.isNaN(this.ints[index]) ? undefined : this.ints[index] === 1; break;
      }
      if (value !== undefined) event[name] = value;
    }
    event["t"] = this.ticks[index];
    event["seq"] = index + 1;
    return event as unknown as ClusterEvent;
  }

  /** Every event, in order. */
  *[Symbol.iterator](): IterableIterator<ClusterEvent> {
    for (let index = 0; index < this.length; index++) yield this.get(index);
  }
}
