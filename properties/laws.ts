/**
 * Laws of a run: documented, reusable predicates that any scheduler — kube's profiles, a classic
 * policy, a profile with a user's out-of-tree plugin — must keep. Each takes a `LawSubject` (a
 * scenario and the scheduler that runs it) and returns what it found broken (empty: it holds).
 *
 * Every law compares against an independent source, never against the thing under test: the
 * events as emitted replayed through the reference reducer one at a time, a rebuild from scratch,
 * a second run, the other engine.
 *
 *   import { LAWS, lawsBroken } from "timoneiro/properties";
 *   const broken = lawsBroken({ scenario, scheduler }, ["no-overcommit", "replay-equals-live"]);
 */
import {
  awaitingAdmission,
  backoffSeconds,
  checkInvariants,
  decide,
  createState,
  defaultSchedulerChoice,
  engineOptionsFor,
  overcommittedNodes,
  reduce,
  runScenario,
  serializeState,
  type ClusterEvent,
  type ClusterState,
  type EngineKind,
  type RunResult,
  type Scenario,
  type SchedulerChoice,
} from "../core/index.js";

/** What a law is checked on: a scenario, the scheduler that runs it, and the runs made so far. */
export interface LawSubject {
  readonly scenario: Scenario;
  /** kube's default profile when absent. */
  readonly scheduler?: SchedulerChoice;
  /** The engine whose run the laws read (default fast); `fast-equals-reference` runs both. */
  readonly engine?: EngineKind;
}

export interface Law {
  readonly name: string;
  /** One sentence: what holds. */
  readonly description: string;
  /** Whether the law is a promise this scheduler makes (absent: every scheduler does). */
  appliesTo?(subject: LawSubject): boolean;
  /** What it found broken, each a sentence naming the event (seq, tick), pod or node; empty when it holds. */
  check(subject: LawSubject, runs: RunCache): string[];
}

/** The runs of one subject, made once and shared by the laws (a run per engine, and a second one on demand). */
export class RunCache {
  private readonly made = new Map<string, RunResult>();
  private replayed?: Replay;
  constructor(private readonly subject: LawSubject) {}
  /**
   * The fast engine's events replayed one at a time through the reference reducer from a fresh
   * state: the state after each event (immutable states share structure, so keeping them all is
   * cheap), up to the first event the reducer refuses.
   */
  replay(): Replay {
    if (this.replayed !== undefined) return this.replayed;
    const events = this.run().events;
    const states: ClusterState[] = [];
    let state = createState(engineOptionsFor(this.subject.scenario, schedulerOf(this.subject)));
    const initial = state;
    let refused: string | undefined;
    for (const event of events) {
      const result = reduce(state, event);
      if (!result.ok) {
        refused = `${where(event)}: the reducer refuses the engine's own event: ${result.rejection.message}`;
        break;
      }
      state = result.state;
      states.push(state);
    }
    this.replayed = { initial, events, states, ...(refused !== undefined ? { refused } : {}) };
    return this.replayed;
  }
  run(engine: EngineKind = this.subject.engine ?? "fast", again = false): RunResult {
    const key = `${engine}${again ? "/again" : ""}`;
    let run = this.made.get(key);
    if (run === undefined) {
      run = runScenario(this.subject.scenario, { engine }, schedulerOf(this.subject));
      this.made.set(key, run);
    }
    return run;
  }
}

/** A run's events and the reference reducer's state after each (`states[i]` after `events[i]`). */
export interface Replay {
  readonly initial: ClusterState;
  readonly events: readonly ClusterEvent[];
  readonly states: readonly ClusterState[];
  /** The first event the reducer refused, if any (the replay stops there). */
  readonly refused?: string;
}

/** The state event `index` of a replay was folded into (the initial state for the first). */
function stateBefore(replayed: Replay, index: number): ClusterState | undefined {
  return index === 0 ? replayed.initial : replayed.states[index - 1];
}

function schedulerOf(subject: LawSubject): SchedulerChoice {
  return subject.scheduler ?? defaultSchedulerChoice();
}

function where(event: ClusterEvent): string {
  return `event ${event.seq} at ${event.t}s (${event.type}${"pod" in event ? ` ${String(event.pod)}` : ""})`;
}

/**
 * The run's events replayed one at a time through the reference reducer (a fresh state), with a
 * look after each: `visit` gets the event and the state after it. Events the reducer refuses are
 * reported and stop the replay.
 */
function replay(runs: RunCache, visit: (event: ClusterEvent, state: ClusterState) => void): string[] {
  const replayed = runs.replay();
  replayed.states.forEach((state, index) => visit(replayed.events[index] as ClusterEvent, state));
  return replayed.refused !== undefined ? [replayed.refused] : [];
}

/**
 * `no-overcommit`: the scheduler never binds a pod to a node that lacks room for its requests
 * (NodeResourcesFit's promise), and no node ever holds more than it has; the only exceptions are
 * kube's own: a pod whose manifest names its node, before the kubelet admits or refuses it.
 */
export const noOvercommit: Law = {
  name: "no-overcommit",
  description: "no pod is bound where its requests do not fit, and no node holds more than its allocatable (pods bound by their manifest's nodeName aside, until the kubelet admits or refuses them)",
  check(subject, runs) {
    const broken: string[] = [];
    broken.push(...replay(runs, (event, state) => {
      if (event.type === "PodBound" && event.overcommits === true) {
        broken.push(`${where(event)}: the scheduler bound ${event.pod} to ${event.node}, where its requests do not fit (the kubelet will refuse it)`);
      }
      for (const over of overcommittedNodes(state)) {
        const node = over.slice(0, over.indexOf(":"));
        const excused = Object.values(state.pods).some((pod) => pod.node === node && (awaitingAdmission(pod) || (pod.pod.nodeName !== undefined && pod.phase === "Failed" && pod.holdsResources)));
        if (!excused) broken.push(`${where(event)}: node over-committed: ${over}`);
      }
    }));
    return broken;
  },
};

/** `ordered-log`: events are numbered 1, 2, 3 … in order, time never goes back, and nothing happens after the scenario's end. */
export const orderedLog: Law = {
  name: "ordered-log",
  description: "the log's seq numbers are 1, 2, 3 … in order, its ticks never go back, and none is after the scenario's end",
  check(subject, runs) {
    const broken: string[] = [];
    let previous: ClusterEvent | undefined;
    runs.run().events.forEach((event, index) => {
      if (event.seq !== index + 1) broken.push(`${where(event)}: seq ${event.seq} should be ${index + 1}`);
      if (previous !== undefined && event.t < previous.t) broken.push(`${where(event)}: time went back from ${previous.t}s to ${event.t}s`);
      if (event.t > subject.scenario.untilSeconds) broken.push(`${where(event)}: after the end (${subject.scenario.untilSeconds}s)`);
      previous = event;
    });
    return broken;
  },
};

/** `state-invariants`: after every event every created pod is in exactly one phase (or deleted), every bound pod is on an existing node, and the state's books balance (cluster/invariants.ts). */
export const stateInvariants: Law = {
  name: "state-invariants",
  description: "after every event: each pod in exactly one phase or deleted, each bound pod on an existing node, each node's requested sum equal to its pods' requests",
  check(subject, runs) {
    const broken: string[] = [];
    broken.push(...replay(runs, (event, state) => {
      for (const problem of checkInvariants(state)) broken.push(`${where(event)}: ${problem}`);
    }));
    return broken;
  },
};

/** `freed-once`: a pod's resources are freed at most once per life, and a pod that ends frees them in the same tick. */
export const freedOnce: Law = {
  name: "freed-once",
  description: "resources are freed exactly once per pod life, at the tick the pod ends",
  check(subject, runs) {
    const broken: string[] = [];
    const freed = new Map<string, number>();
    let previous: ClusterEvent | undefined;
    broken.push(...replay(runs, (event, state) => {
      if (event.type === "PodCreated") freed.delete(event.pod);
      if (event.type === "ResourcesFreed") {
        freed.set(event.pod, (freed.get(event.pod) ?? 0) + 1);
        if ((freed.get(event.pod) ?? 0) > 1) broken.push(`${where(event)}: the resources of ${event.pod} are freed a second time`);
      }
      if (previous !== undefined && (previous.type === "PodSucceeded" || previous.type === "PodFailed") && state.pods[previous.pod]?.holdsResources === true) {
        broken.push(`${where(previous)}: ${previous.pod} ended without freeing its resources right away`);
      }
      previous = event;
    }));
    return broken;
  },
};

/** `replay-equals-live`: the log replayed from an empty state rebuilds the live final state, byte for byte. */
export const replayEqualsLive: Law = {
  name: "replay-equals-live",
  description: "replaying the event log from scratch rebuilds the run's final state exactly",
  check(_subject, runs) {
    const run = runs.run();
    const replayed = runs.replay();
    const broken = replay(runs, () => undefined);
    const final = replayed.states[replayed.states.length - 1] ?? replayed.initial;
    if (broken.length === 0 && serializeState(final) !== serializeState(run.state)) broken.push("replaying the events does not rebuild the live final state");
    return broken;
  },
};

/**
 * `checkpoint-plus-rest`: the state at any point (a checkpoint) plus the rest of the log equals
 * the full replay; and folding an event never changes the state it started from (states are
 * immutable: `reduce` never changes an earlier state).
 */
export const checkpointPlusRest: Law = {
  name: "checkpoint-plus-rest",
  description: "a checkpoint plus the rest of the log equals the full replay, and reduce never changes an earlier state",
  check(_subject, runs) {
    const replayed = runs.replay();
    const events = replayed.events;
    const broken = replay(runs, () => undefined);
    const full = replayed.states[replayed.states.length - 1];
    if (broken.length > 0 || full === undefined) return broken;
    // Four checkpoints spread over the log, each one's text taken before the rest is folded again.
    const count = replayed.states.length;
    const picks = [...new Set([0, Math.floor(count / 3), Math.floor((2 * count) / 3), count - 1])];
    const sealed = picks.map((index): [ClusterState, string, number] => [replayed.states[index] as ClusterState, serializeState(replayed.states[index] as ClusterState), index + 1]);
    const fullText = serializeState(full);
    for (const [state, text, seq] of sealed) {
      let resumed = state;
      for (const event of events.slice(seq)) {
        const result = reduce(resumed, event);
        if (!result.ok) {
          broken.push(`resuming from the checkpoint at event ${seq}: ${where(event)} is refused: ${result.rejection.message}`);
          break;
        }
        resumed = result.state;
      }
      if (serializeState(resumed) !== fullText) broken.push(`the checkpoint at event ${seq} plus the rest of the log does not equal the full replay`);
      // Folding the rest (twice now) from this state must have left it as it was.
      if (serializeState(state) !== text) broken.push(`the state after event ${seq} changed when later events were folded from it`);
    }
    return broken;
  },
};

/** `same-seed-same-log`: running the same scenario (same seed) twice gives the same events, byte for byte. */
export const sameSeedSameLog: Law = {
  name: "same-seed-same-log",
  description: "the same scenario and seed give a byte-identical event log (no hidden randomness, clock or state kept between cycles)",
  check(_subject, runs) {
    const first = JSON.stringify(runs.run().events);
    const second = JSON.stringify(runs.run(undefined, true).events);
    return first === second ? [] : [`two runs of the same scenario differ from event ${firstDifference(runs.run().events, runs.run(undefined, true).events)}`];
  },
};

function firstDifference(a: readonly ClusterEvent[], b: readonly ClusterEvent[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    if (JSON.stringify(a[index]) !== JSON.stringify(b[index])) return index + 1;
  }
  return 0;
}

/** `fast-equals-reference`: the indexed engine's choices equal the reference engine's scans: the same log, byte for byte. */
export const fastEqualsReference: Law = {
  name: "fast-equals-reference",
  description: "the fast (indexed) engine and the reference (scanning) engine give the same event log",
  check(_subject, runs) {
    const fast = runs.run("fast").events;
    const reference = runs.run("reference").events;
    if (JSON.stringify(fast) === JSON.stringify(reference)) return [];
    const at = firstDifference(fast, reference);
    return [`the engines differ at event ${at}: fast ${JSON.stringify(fast[at - 1] ?? null)}, reference ${JSON.stringify(reference[at - 1] ?? null)}`];
  },
};

/** `scores-in-range`: no score plugin's score leaves [0, 100] after NormalizeScore (kube fails such a cycle with an error). */
export const scoresInRange: Law = {
  name: "scores-in-range",
  description: "every score plugin's scores lie within [0, 100] after NormalizeScore",
  check(_subject, runs) {
    return runs.run().events.flatMap((event) => (event.type === "PodUnschedulable" && event.message.includes("returns an invalid score") ? [`${where(event)}: ${event.message}`] : []));
  },
};

const finishedJob = (record: ClusterState["objects"][string] | undefined): boolean =>
  record?.status?.conditions.some((item) => (item.type === "Complete" || item.type === "Failed") && item.status === "True") ?? false;

/**
 * The controllers' books in one state, at the end of a tick (their syncs done): what each
 * controller's status says against the pods and objects themselves.
 * - a DaemonSet: at most one pod that is not terminating per node (two while a surge rolls);
 * - a StatefulSet: its pods are named <set>-<ordinal>;
 * - a Job: no more active pods than its parallelism, none once finished or suspended, `active`
 *   equal to them, `succeeded` equal to its Succeeded pods (an Indexed Job's: its completed indexes);
 * - a CronJob: every Job in its active list exists, is its own and has not finished; at most one
 *   active under Forbid or Replace;
 * - a ReplicaSet or ReplicationController: exactly `replicas` active pods;
 * - every owned pod names a live owner (or is on its way out).
 */
export function controllerBooksBroken(state: ClusterState): string[] {
  const broken: string[] = [];
  const pods = Object.values(state.pods);
  const ownedBy = (uid: string, controllerOnly = false) => pods.filter((pod) => pod.pod.ownerReferences?.some((ref) => ref.uid === uid && (!controllerOnly || ref.controller)) ?? false);
  const activePod = (pod: (typeof pods)[number]) => pod.deletionDeadline === undefined && pod.phase !== "Succeeded" && pod.phase !== "Failed";
  for (const [key, record] of Object.entries(state.objects)) {
    const object = record.object;
    if (object.kind === "DaemonSet") {
      const perNode = new Map<string, number>();
      for (const pod of ownedBy(record.uid)) {
        if (pod.deletionDeadline !== undefined || pod.node === undefined) continue;
        perNode.set(pod.node, (perNode.get(pod.node) ?? 0) + 1);
      }
      const most = object.updateStrategy?.type === "RollingUpdate" && object.updateStrategy.maxSurge !== 0 ? 2 : 1;
      for (const [node, count] of perNode) if (count > most) broken.push(`${key}: ${count} pods on ${node} (at most ${most})`);
    } else if (object.kind === "StatefulSet") {
      for (const pod of ownedBy(record.uid)) {
        if (!new RegExp(`^${object.name}-[0-9]+$`).test(pod.pod.name)) broken.push(`${key}: pod ${pod.pod.name} is not named ${object.name}-<ordinal>`);
      }
    } else if (object.kind === "Job" && object.job !== undefined) {
      const job = object.job;
      const active = ownedBy(record.uid, true).filter(activePod);
      const finished = finishedJob(record);
      const most = finished || job.suspend ? 0 : job.parallelism;
      if (active.length > most) broken.push(`${key}: ${active.length} active pods, at most ${most}${finished ? " (finished)" : job.suspend ? " (suspended)" : " (parallelism)"}`);
      if ((record.status?.active ?? 0) !== active.length) broken.push(`${key}: status.active ${record.status?.active ?? 0}, but ${active.length} active pods`);
      const counted = new Set(record.status?.countedTerminating ?? []);
      const succeeded = ownedBy(record.uid).filter((pod) => pod.phase === "Succeeded" && !counted.has(pod.pod.name));
      if (job.completionMode === "Indexed") {
        const indexes = record.status?.completedIndexes?.length ?? 0;
        if ((record.status?.succeeded ?? 0) !== indexes) broken.push(`${key}: status.succeeded ${record.status?.succeeded ?? 0}, but ${indexes} completed indexes`);
        const held = new Set(succeeded.map((pod) => pod.pod.annotations["batch.kubernetes.io/job-completion-index"])).size;
        if (held !== indexes) broken.push(`${key}: ${indexes} completed indexes, but Succeeded pods hold ${held}`);
      } else if ((record.status?.succeeded ?? 0) !== succeeded.length) {
        broken.push(`${key}: status.succeeded ${record.status?.succeeded ?? 0}, but ${succeeded.length} Succeeded pods`);
      }
    } else if (object.kind === "CronJob" && object.cronJob !== undefined) {
      const active = record.status?.activeJobs ?? [];
      for (const name of active) {
        const job = state.objects[`Job/${object.namespace}/${name}`];
        if (job?.object.kind !== "Job" || job.object.ownerReferences[0]?.uid !== record.uid) broken.push(`${key}: active Job ${name} does not exist or is not its own`);
        else if (finishedJob(job)) broken.push(`${key}: active Job ${name} has finished`);
      }
      if (object.cronJob.concurrencyPolicy !== "Allow" && active.length > 1) broken.push(`${key}: ${active.length} active Jobs under ${object.cronJob.concurrencyPolicy}`);
    } else if (object.kind === "ReplicaSet" || object.kind === "ReplicationController") {
      const active = ownedBy(record.uid, true).filter(activePod).length;
      if (active !== object.replicas) broken.push(`${key}: ${active} active pods, ${object.replicas} replicas`);
    }
  }
  for (const pod of pods) {
    const ref = pod.pod.ownerReferences?.find((item) => item.controller);
    if (ref === undefined || pod.deletionDeadline !== undefined) continue;
    const owner = state.objects[`${ref.kind}/${pod.pod.namespace}/${ref.name}`];
    if (owner?.uid !== ref.uid) broken.push(`pod ${pod.pod.name}: its owner ${ref.kind} ${ref.name} is gone`);
  }
  return broken;
}

/** `controller-books`: at the end of the run, every controller's status agrees with the pods and objects (`controllerBooksBroken`). */
export const controllerBooks: Law = {
  name: "controller-books",
  description: "at the end of the run each controller's status agrees with its pods and objects (Jobs, CronJobs, DaemonSets, StatefulSets, ReplicaSets; owners alive)",
  check(_subject, runs) {
    return controllerBooksBroken(runs.run().state);
  },
};

/**
 * Whether only kube's in-tree plugins decide feasibility (a classic policy, or kube's profiles
 * with NodeResourcesFit's filter and no user plugin at PreFilter or Filter — a user's Score plugin
 * only ranks): then the promises of kube's own filters hold.
 */
function inTreeFeasibility(subject: LawSubject): boolean {
  const choice = schedulerOf(subject);
  if (choice.policy !== "kube") return true;
  return choice.configuration.profiles.every((profile) => {
    const user = new Set(profile.outOfTree ?? []);
    return profile.filter.some((plugin) => plugin.name === "NodeResourcesFit") && ![...profile.filter, ...profile.preFilter].some((plugin) => user.has(plugin.name));
  });
}

/**
 * A node that could take the pod by the simplest reading of kube's filters, written here
 * independently of the scheduler: it exists, is not cordoned, every NoSchedule/NoExecute taint is
 * tolerated, a pod slot is free, and every resource the pod requests fits in what is left.
 * Only asked for pods without host ports, node selection, affinity or spreading.
 */
function roomFor(state: ClusterState, key: string): string | undefined {
  const pod = state.pods[key];
  if (pod === undefined) return undefined;
  for (const record of Object.values(state.nodes)) {
    const node = record.node;
    if (node.unschedulable) continue;
    const tolerated = node.taints.every((taint) => taint.effect === "PreferNoSchedule" || pod.pod.tolerations.some((toleration) =>
      (toleration.key === undefined || toleration.key === "" ? toleration.operator === "Exists" : toleration.key === taint.key) &&
      (toleration.operator === "Exists" || (toleration.value ?? "") === (taint.value ?? "")) &&
      (toleration.effect === undefined || toleration.effect === taint.effect)));
    if (!tolerated) continue;
    if (record.pods.length + 1 > (node.allocatable["pods"] ?? 0)) continue;
    const fits = Object.entries(pod.request).every(([resource, amount]) => amount === 0 || (record.requested[resource] ?? 0) + amount <= (node.allocatable[resource] ?? 0));
    if (fits) return node.name;
  }
  return undefined;
}

/** Whether a pod asks only for resources (the shape `roomFor` reads whole). */
function plainPod(pod: ClusterState["pods"][string]): boolean {
  const spec = pod.pod;
  return spec.nodeAffinity === undefined && Object.keys(spec.nodeSelector).length === 0 && spec.podAffinity === undefined && spec.podAntiAffinity === undefined &&
    (spec.topologySpreadConstraints ?? []).length === 0 && !spec.hostNetwork && [...spec.containers, ...spec.initContainers].every((container) => container.ports.every((port) => port.hostPort === undefined || port.hostPort === 0));
}

/**
 * `work-conservation`: a pod the scheduler tries and leaves pending has no node with room for it.
 * Checked on pods that ask only for resources (and tolerations), while no pod is nominated (a
 * nomination holds room for a preemptor) and no placed pod has required anti-affinity (it may
 * refuse this one), for schedulers that make the promise: the classic
 * policies and kube's in-tree profiles (kube filters every node before giving up).
 */
export const workConservation: Law = {
  name: "work-conservation",
  description: "a pod the scheduler tried and left pending fits no node (for pods that ask only for resources, while nothing is nominated and no placed pod has required anti-affinity); promised when only in-tree plugins filter",
  appliesTo: inTreeFeasibility,
  check(_subject, runs) {
    const replayed = runs.replay();
    const broken: string[] = [];
    replayed.events.forEach((event, index) => {
      if (event.type !== "PodUnschedulable") return;
      const before = stateBefore(replayed, index);
      const pod = before?.pods[event.pod];
      if (before === undefined || pod === undefined || !plainPod(pod)) return;
      // A nomination holds room for a preemptor; a placed pod's required anti-affinity may refuse this one.
      if (Object.values(before.pods).some((other) => (other.nominatedNode !== undefined && other.node === undefined) || (other.node !== undefined && (other.pod.podAntiAffinity?.required.length ?? 0) > 0))) return;
      const room = roomFor(before, event.pod);
      if (room !== undefined) broken.push(`${where(event)}: left pending although ${room} had room for it ("${event.message}")`);
    });
    return broken;
  },
};

/**
 * `adding-capacity`: adding a node never makes a feasible pod infeasible. For each pod the
 * scheduler bound (the first 20 of a run), the state it was decided on plus a copy of the node it
 * went to (another name, uncordoned) must still place it somewhere.
 */
export const addingCapacity: Law = {
  name: "adding-capacity",
  description: "adding a node never makes a pod that could be placed unplaceable",
  check(subject, runs) {
    const replayed = runs.replay();
    const choice = schedulerOf(subject);
    const broken: string[] = [];
    let tried = 0;
    replayed.events.forEach((event, index) => {
      if (event.type !== "PodBound" || tried >= 20) return;
      const before = stateBefore(replayed, index);
      const pod = before?.pods[event.pod];
      const target = before?.nodes[event.node];
      if (before === undefined || pod === undefined || target === undefined || pod.pod.nodeName !== undefined || pod.nominatedNode !== undefined) return;
      tried += 1;
      const name = "added-capacity-node";
      const spec = { ...target.node, name, unschedulable: false, labels: { ...target.node.labels, ...("kubernetes.io/hostname" in target.node.labels ? { "kubernetes.io/hostname": name } : {}) } };
      const joined = reduce(before, { type: "NodeJoined", seq: before.seq + 1, t: before.t, node: name, spec } as ClusterEvent);
      if (!joined.ok) return;
      const decision = decide(joined.state, event.pod, choice, subject.scenario.seed);
      if (decision.kind !== "bind") broken.push(`${where(event)}: with a copy of ${event.node} added, ${event.pod} can no longer be placed: ${decision.message}`);
    });
    return broken;
  },
};

/**
 * `backoff-as-kubernetes`: after the n-th unschedulable attempt a pod backs off 1 s doubled per
 * attempt up to 10 s — kube-scheduler v1.35's podInitialBackoffSeconds 1 and podMaxBackoffSeconds
 * 10 (pkg/scheduler/backend/queue: calculateBackoffDuration). The table is written out here, not
 * computed.
 */
export const backoffAsKubernetes: Law = {
  name: "backoff-as-kubernetes",
  description: "the back-off after the n-th failed attempt is kube's: 1, 2, 4, 8, then 10 s",
  check() {
    const kube: Readonly<Record<number, number>> = { 0: 0, 1: 1, 2: 2, 3: 4, 4: 8, 5: 10, 6: 10, 10: 10, 100: 10 };
    return Object.entries(kube).flatMap(([attempts, seconds]) => {
      const ours = backoffSeconds(Number(attempts));
      return ours === seconds ? [] : [`after ${attempts} unschedulable attempt(s) the back-off is ${ours}s; kube's is ${seconds}s`];
    });
  },
};

/** Every law, by name. */
export const LAWS: Readonly<Record<string, Law>> = Object.fromEntries([
  noOvercommit, orderedLog, stateInvariants, freedOnce, replayEqualsLive, checkpointPlusRest, controllerBooks, sameSeedSameLog, fastEqualsReference, scoresInRange,
  workConservation, addingCapacity, backoffAsKubernetes,
].map((law) => [law.name, law]));

/** The laws that apply to a subject's scheduler (those without `appliesTo`, and those whose `appliesTo` says so). */
export function lawsFor(subject: LawSubject): string[] {
  return Object.values(LAWS).filter((law) => law.appliesTo?.(subject) ?? true).map((law) => law.name);
}

/** The laws named (default: those that apply), checked on one subject; each broken law's findings, prefixed by its name. */
export function lawsBroken(subject: LawSubject, names: readonly string[] = lawsFor(subject)): string[] {
  const runs = new RunCache(subject);
  return names.flatMap((name) => {
    const law = LAWS[name];
    if (law === undefined) throw new Error(`no law ${JSON.stringify(name)}; the laws are ${Object.keys(LAWS).join(", ")}`);
    return law.check(subject, runs).map((finding) => `${name}: ${finding}`);
  });
}
