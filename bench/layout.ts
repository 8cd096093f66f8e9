/**
 * `layout/pod-update/…`: why the fast state keeps pods as records in a persistent vector rather
 * than in column leaves (structure of arrays). Both layouts are persistent the same way — a
 * `PVec` whose nodes a batch copies once and then changes in place (`Edit`) — and both apply the
 * same update to a pod (three fields, as PodStarted does) in batches of `perBatch` updates:
 *
 * - `records`: one record per pod; a batch copies a pod's record the first time it touches it
 *   (the fast state's `Stamps`) and the trie path to it;
 * - `leaves`: 32 pods per leaf, 14 numeric fields each in one array of doubles plus 4 object
 *   fields in another, as a column store would keep them; a batch copies a whole leaf the first
 *   time it touches any of its pods.
 *
 * `random` touches uniformly random pods (pods finishing in a churn run); `sequential` touches
 * pods in creation order, four updates each (a burst of new pods). ns per update; the ratio
 * line is leaves ÷ records measured in the same process.
 */
import { Edit, PVec } from "../core/index.js";
import { median, timeMs, type BenchResult } from "./engine.js";

const LEAF = 32;
const NUMBERS = 14;
const OBJECTS = 4;

interface PodRecord {
  createdSeq: number;
  phase: string;
  node: string | undefined;
  holdsResources: boolean;
  startedAt: number | undefined;
  runningSince: number | undefined;
  restartCount: number;
  deletionDeadline: number | undefined;
  reason: string | undefined;
  message: string | undefined;
  lastExitCode: number | undefined;
  spec: unknown;
  request: unknown;
  nonZero: unknown;
  backOff: unknown;
}

interface Leaf {
  readonly edit: Edit;
  readonly numbers: number[];
  readonly objects: unknown[];
}

function newRecord(seq: number): PodRecord {
  return {
    createdSeq: seq, phase: "Pending", node: undefined, holdsResources: false, startedAt: undefined, runningSince: undefined, restartCount: 0,
    deletionDeadline: undefined, reason: undefined, message: undefined, lastExitCode: undefined, spec: undefined, request: undefined, nonZero: undefined, backOff: undefined,
  };
}

/** A field-by-field copy, as the fast reducer's `fullShape` (a spread is slower in V8). */
function copyRecord(pod: PodRecord): PodRecord {
  return {
    createdSeq: pod.createdSeq, phase: pod.phase, node: pod.node, holdsResources: pod.holdsResources, startedAt: pod.startedAt, runningSince: pod.runningSince,
    restartCount: pod.restartCount, deletionDeadline: pod.deletionDeadline, reason: pod.reason, message: pod.message, lastExitCode: pod.lastExitCode,
    spec: pod.spec, request: pod.request, nonZero: pod.nonZero, backOff: pod.backOff,
  };
}

/** The pods each update touches: seeded, so both layouts see the same sequence. */
function touches(pods: number, updates: number, pattern: "random" | "sequential"): Int32Array {
  const ids = new Int32Array(updates);
  let state = 12345;
  for (let index = 0; index < updates; index++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    ids[index] = pattern === "random" ? state % pods : (index >> 2) % pods;
  }
  return ids;
}

/** Applies `update` to each touched pod, `perBatch` updates per batch (a fresh `Edit` each); ms. */
function batched(ids: Int32Array, perBatch: number, update: (id: number, index: number, edit: Edit) => void): number {
  return timeMs(() => {
    let edit = new Edit();
    for (let index = 0; index < ids.length; index++) {
      if (index % perBatch === 0) {
        edit.sealed = true;
        edit = new Edit();
      }
      update(ids[index] as number, index, edit);
    }
  });
}

function recordsRun(pods: number, ids: Int32Array, perBatch: number): number {
  let table = PVec.empty<PodRecord>();
  const setup = new Edit();
  for (let id = 0; id < pods; id++) table = table.set(id, newRecord(id), setup);
  setup.sealed = true;
  const stamps: (Edit | undefined)[] = new Array<Edit | undefined>(pods).fill(undefined);
  return batched(ids, perBatch, (id, index, edit) => {
    let pod = table.get(id) as PodRecord;
    if (stamps[id] !== edit) {
      pod = copyRecord(pod);
      table = table.set(id, pod, edit);
      stamps[id] = edit;
    }
    pod.phase = "Running";
    pod.startedAt = index;
    pod.runningSince = index;
  });
}

function leavesRun(pods: number, ids: Int32Array, perBatch: number): number {
  let table = PVec.empty<Leaf>();
  const setup = new Edit();
  for (let first = 0; first < pods; first += LEAF) {
    table = table.set(first / LEAF, { edit: setup, numbers: new Array<number>(LEAF * NUMBERS).fill(0.5), objects: new Array<unknown>(LEAF * OBJECTS).fill(undefined) }, setup);
  }
  setup.sealed = true;
  return batched(ids, perBatch, (id, index, edit) => {
    const at = Math.floor(id / LEAF);
    let leaf = table.get(at) as Leaf;
    if (leaf.edit !== edit) {
      leaf = { edit, numbers: leaf.numbers.slice(), objects: leaf.objects.slice() };
      table = table.set(at, leaf, edit);
    }
    const base = (id % LEAF) * NUMBERS;
    leaf.numbers[base + 2] = 1;
    leaf.numbers[base + 5] = index;
    leaf.numbers[base + 6] = index;
  });
}

export function layoutUpdates(pods: number, updates: number, perBatch: number, repeats: number): BenchResult[] {
  return (["random", "sequential"] as const).flatMap((pattern) => {
    const ids = touches(pods, updates, pattern);
    recordsRun(pods, ids, perBatch);
    leavesRun(pods, ids, perBatch);
    const recordsMs = median(Array.from({ length: repeats }, () => recordsRun(pods, ids, perBatch)));
    const leavesMs = median(Array.from({ length: repeats }, () => leavesRun(pods, ids, perBatch)));
    return [
      { name: `layout/pod-update/records/${pattern}`, value: Math.round((recordsMs * 1e6) / updates), unit: "ns", median_of: repeats },
      { name: `layout/pod-update/leaves/${pattern}`, value: Math.round((leavesMs * 1e6) / updates), unit: "ns", median_of: repeats },
      { name: `layout/pod-update/leaves-vs-records/${pattern}`, value: Math.round((leavesMs / recordsMs) * 100) / 100, unit: "x", median_of: repeats },
    ];
  });
}
