/**
 * `get deployments|replicasets|replicationcontrollers|priorityclasses` and `describe` of each,
 * in kubectl's shape (v1.35: pkg/printers/internalversion/printers.go for the columns,
 * staging/src/k8s.io/kubectl/pkg/describe/describe.go for the layouts):
 *
 * | kind | columns (`-o wide` adds) |
 * |------|--------------------------|
 * | Deployment | NAME READY UP-TO-DATE AVAILABLE AGE (CONTAINERS IMAGES SELECTOR) |
 * | ReplicaSet, ReplicationController | NAME DESIRED CURRENT READY AGE (CONTAINERS IMAGES SELECTOR) |
 * | StatefulSet | NAME READY AGE (CONTAINERS IMAGES) — READY is ready over desired |
 * | Job | NAME STATUS COMPLETIONS DURATION AGE (CONTAINERS IMAGES SELECTOR) |
 * | DaemonSet | NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE (CONTAINERS IMAGES SELECTOR) |
 * | PriorityClass | NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY |
 *
 * A Deployment's cells come from its status as its controller wrote it; a ReplicaSet's from its
 * pods (its controller's status here is never stale: see core/controllers/deployment.ts). AGE is
 * kubectl's `duration.HumanDuration` of the simulated time since creation.
 */
import { type DisruptionBudget,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  SYSTEM_PRIORITY_CLASSES,
  controllerReference,
  formatSelector,
  isWorkload,
  type ClusterEvent,
  type ClusterState,
  type ObjectState,
  type PodState,
  type PriorityClassObject,
  type Workload,
  type WorkloadKind,
} from "../../core/index.js";
import { formatTick, table } from "./format.js";
import { DEFAULT_START_TIME, daemonSetStatus, formatRfc1123z, type DaemonSetStatus } from "../../core/index.js";
import { InputError } from "./output.js";

/**
 * kubectl's `duration.HumanDuration` (apimachinery pkg/util/duration): seconds under 2 minutes,
 * then minutes and seconds under 10 minutes, minutes under 3 hours, hours and minutes under 8,
 * hours under 2 days, days and hours under 8 days, days under 2 years, then years and days, then years.
 */
export function humanDuration(seconds: number): string {
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  const s = Math.floor(seconds);
  if (s < 120) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 10) return s % 60 === 0 ? `${minutes}m` : `${minutes}m${s % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(s / 3600);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 192) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 730) return `${days}d`;
  const years = Math.floor(days / 365);
  if (years < 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

export type WorkloadResource = "deployments" | "replicasets" | "replicationcontrollers" | "statefulsets" | "daemonsets" | "jobs" | "cronjobs" | "priorityclasses" | "poddisruptionbudgets";

export const WORKLOAD_ALIASES: Readonly<Record<string, WorkloadResource>> = {
  deployment: "deployments", deployments: "deployments", deploy: "deployments",
  replicaset: "replicasets", replicasets: "replicasets", rs: "replicasets",
  replicationcontroller: "replicationcontrollers", replicationcontrollers: "replicationcontrollers", rc: "replicationcontrollers",
  daemonset: "daemonsets", daemonsets: "daemonsets", ds: "daemonsets",
  statefulset: "statefulsets", statefulsets: "statefulsets", sts: "statefulsets",
  job: "jobs", jobs: "jobs",
  cronjob: "cronjobs", cronjobs: "cronjobs", cj: "cronjobs",
  priorityclass: "priorityclasses", priorityclasses: "priorityclasses", pc: "priorityclasses",
  poddisruptionbudget: "poddisruptionbudgets", poddisruptionbudgets: "poddisruptionbudgets", pdb: "poddisruptionbudgets",
};

const KIND_OF: Readonly<Record<WorkloadResource, WorkloadKind | "PriorityClass" | "PodDisruptionBudget">> = {
  deployments: "Deployment", replicasets: "ReplicaSet", replicationcontrollers: "ReplicationController", statefulsets: "StatefulSet", daemonsets: "DaemonSet", jobs: "Job", cronjobs: "CronJob", priorityclasses: "PriorityClass",
  poddisruptionbudgets: "PodDisruptionBudget",
};

/** A ReplicaSet's status from its pods: current (active), ready, and pods by phase. */
interface PodCounts { current: number; ready: number; running: number; waiting: number; succeeded: number; failed: number }

function countsByOwner(state: ClusterState): Map<string, PodCounts> {
  const counts = new Map<string, PodCounts>();
  for (const pod of Object.values(state.pods)) {
    const uid = controllerReference(pod.pod.ownerReferences)?.uid;
    if (uid === undefined) continue;
    let entry = counts.get(uid);
    if (entry === undefined) counts.set(uid, (entry = { current: 0, ready: 0, running: 0, waiting: 0, succeeded: 0, failed: 0 }));
    countPod(entry, pod);
  }
  return counts;
}

function countPod(entry: PodCounts, pod: PodState): void {
  if (pod.phase === "Running") entry.running++;
  else if (pod.phase === "Pending") entry.waiting++;
  else if (pod.phase === "Succeeded") entry.succeeded++;
  else entry.failed++;
  const active = pod.deletionDeadline === undefined && pod.phase !== "Succeeded" && pod.phase !== "Failed";
  if (!active) return;
  entry.current++;
  if (pod.phase === "Running" && pod.runningSince !== undefined) entry.ready++;
}

function shownName(object: { namespace: string; name: string }): string {
  return object.namespace === "default" ? object.name : `${object.namespace}/${object.name}`;
}

function recordsOf(state: ClusterState, kind: string): [string, ObjectState][] {
  return Object.entries(state.objects).filter(([key]) => key.startsWith(`${kind}/`)).sort(([a], [b]) => a.localeCompare(b));
}

/** The rows of `get <resource>` at tick `now`, as a table, or as JSON objects. */
export function workloadsTable(state: ClusterState, resource: WorkloadResource, now: number, wide: boolean, rows = Number.POSITIVE_INFINITY, onlyUnowned = false): string {
  const kind = KIND_OF[resource];
  if (kind === "PriorityClass") {
    const classes: { value: PriorityClassObject; createdAt: number }[] = [
      ...SYSTEM_PRIORITY_CLASSES.map((value) => ({ value: { kind: "PriorityClass" as const, ...value }, createdAt: 0 })),
      ...recordsOf(state, "PriorityClass").map(([, record]) => ({ value: record.object as PriorityClassObject, createdAt: record.createdAt })),
    ].sort((a, b) => a.value.name.localeCompare(b.value.name));
    return table(["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"], classes.map(({ value, createdAt }) => [
      value.name, String(value.value), String(value.globalDefault), humanDuration(now - createdAt), value.preemptionPolicy,
    ]));
  }
  if (kind === "PodDisruptionBudget") {
    // kubectl's printPodDisruptionBudget: N/A for the field not set.
    return table(["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"], recordsOf(state, kind).slice(0, rows).map(([, record]) => {
      const budget = record.object as DisruptionBudget;
      return [shownName(budget), String(budget.minAvailable ?? "N/A"), String(budget.maxUnavailable ?? "N/A"), String(record.status?.disruptionsAllowed ?? 0), humanDuration(now - record.createdAt)];
    }));
  }
  const counts = countsByOwner(state);
  const records = recordsOf(state, kind).filter(([, record]) => !onlyUnowned || controllerReference((record.object as Workload).ownerReferences) === undefined);
  const lines = records.slice(0, rows).map(([, record]) => {
    const workload = record.object as Workload;
    const age = humanDuration(now - record.createdAt);
    const extra = wide ? [workload.template.containers.map((container) => container.name).join(","), workload.template.containers.map((container) => container.image).join(","), formatSelector(workload.selector)] : [];
    if (kind === "Deployment") {
      const status = record.status;
      return [shownName(workload), `${status?.readyReplicas ?? 0}/${workload.replicas}`, String(status?.updatedReplicas ?? 0), String(status?.availableReplicas ?? 0), age, ...extra];
    }
    if (kind === "Job") {
      return [shownName(workload), jobStatusWord(record), jobCompletions(record), jobDuration(record, now), age, ...extra];
    }
    if (kind === "CronJob") {
      // printers.go printCronJob: SUSPEND is the pointer's value (defaulted, so True or False); LAST SCHEDULE its age.
      const cronJob = workload.cronJob;
      const last = record.status?.lastScheduleTime;
      return [
        shownName(workload), cronJob?.schedule ?? "", cronJob?.timeZone ?? "<none>", cronJob?.suspend === true ? "True" : "False",
        String(record.status?.activeJobs?.length ?? 0), last === undefined ? "<none>" : humanDuration(now - last), age,
        // -o wide: the jobTemplate's selector, which the API server generates per Job: <none> on the CronJob.
        ...(wide ? [...extra.slice(0, 2), "<none>"] : []),
      ];
    }
    if (kind === "StatefulSet") {
      // READY is ready over desired (printers.go).
      return [shownName(workload), `${record.status?.readyReplicas ?? 0}/${workload.replicas}`, age, ...extra.slice(0, 2)];
    }
    if (kind === "DaemonSet") {
      const status = daemonStatusOf(state, record, now);
      return [shownName(workload), String(status.desiredNumberScheduled), String(status.currentNumberScheduled), String(status.numberReady), String(status.updatedNumberScheduled), String(status.numberAvailable), formatNodeSelector(workload.template.nodeSelector), age, ...extra];
    }
    const count = counts.get(record.uid);
    return [shownName(workload), String(workload.replicas), String(count?.current ?? 0), String(count?.ready ?? 0), age, ...extra];
  });
  const headers = kind === "Deployment" ? ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    : kind === "DaemonSet" ? ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"]
    : kind === "StatefulSet" ? ["NAME", "READY", "AGE"]
    : kind === "Job" ? ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]
    : kind === "CronJob" ? ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"]
    : ["NAME", "DESIRED", "CURRENT", "READY", "AGE"];
  if (lines.length === 0) return `No ${resource} found.`;
  const more = records.length > lines.length ? `\n… and ${(records.length - lines.length).toLocaleString("en-US")} more ${resource}` : "";
  // -o wide: CONTAINERS IMAGES (and SELECTOR, but for StatefulSets).
  const wideHeaders = kind === "StatefulSet" ? ["CONTAINERS", "IMAGES"] : ["CONTAINERS", "IMAGES", "SELECTOR"];
  return table(wide ? [...headers, ...wideHeaders] : headers, lines) + more;
}

/** A DaemonSet's counters from the nodes and its pods (core's `daemonSetStatus`). */
function daemonStatusOf(state: ClusterState, record: ObjectState, now: number): DaemonSetStatus {
  const pods = Object.values(state.pods).filter((pod) => controllerReference(pod.pod.ownerReferences)?.uid === record.uid);
  return daemonSetStatus(record.object as Workload, Object.values(state.nodes).map((node) => node.node), pods, now);
}

/** printers.go's Job STATUS: Complete, Failed, Suspended, FailureTarget, else Running. */
function jobStatusWord(record: ObjectState): string {
  const conditions = record.status?.conditions ?? [];
  for (const type of ["Complete", "Failed", "Suspended", "FailureTarget"] as const) {
    if (conditions.some((item) => item.type === type && item.status === "True")) return type;
  }
  return "Running";
}

/** COMPLETIONS: succeeded/completions, or succeeded/1 of parallelism when completions is unset. */
function jobCompletions(record: ObjectState): string {
  const job = (record.object as Workload).job;
  const succeeded = record.status?.succeeded ?? 0;
  if (job?.completions !== undefined) return `${succeeded}/${job.completions}`;
  return job !== undefined && job.parallelism > 1 ? `${succeeded}/1 of ${job.parallelism}` : `${succeeded}/1`;
}

/** DURATION: from the start to completion, or to now while it runs. */
function jobDuration(record: ObjectState, now: number): string {
  const start = record.status?.startTime;
  if (start === undefined) return "";
  return humanDuration((record.status?.completionTime ?? now) - start);
}

/** How many objects of the resource the state holds. */
export function workloadCount(state: ClusterState, resource: WorkloadResource): number {
  return recordsOf(state, KIND_OF[resource]).length;
}

/** `get <resource> -o json`: each object with its spec (the manifest as applied) and status. */
export function workloadsJson(state: ClusterState, resource: WorkloadResource): object[] {
  const kind = KIND_OF[resource];
  const counts = countsByOwner(state);
  return recordsOf(state, kind).map(([, record]) => {
    const object = record.object;
    if (!isWorkload(object)) return { ...object, uid: record.uid, createdAt: record.createdAt, ...(object.kind === "PodDisruptionBudget" ? { status: record.status ?? null } : {}) };
    const count = counts.get(record.uid);
    const status = object.kind === "Deployment" || object.kind === "StatefulSet" ? (record.status === undefined ? null : { ...record.status, currentTemplate: undefined })
      // The controller's bookkeeping (counted and terminating pods, its back-off) is not kube's status.
      : object.kind === "Job" || object.kind === "CronJob" ? (record.status === undefined ? null : { ...record.status, countedThrough: undefined, countedLast: undefined, countedTerminating: undefined, terminatingPods: undefined, failuresSinceSuccess: undefined, lastFailureAt: undefined })
      : object.kind === "DaemonSet" ? daemonStatusOf(state, record, Number.POSITIVE_INFINITY)
      : { replicas: count?.current ?? 0, readyReplicas: count?.ready ?? 0 };
    return { kind: object.kind, namespace: object.namespace, name: object.name, uid: record.uid, createdAt: record.createdAt, replicas: object.replicas, manifest: object.manifest, status };
  });
}

function mapLines(title: string, map: Readonly<Record<string, string>>, width: number, separator = "="): string[] {
  const entries = Object.entries(map).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return [`${title.padEnd(width)}<none>`];
  return entries.map(([key, value], index) => `${(index === 0 ? title : "").padEnd(width)}${key}${separator}${value}`);
}

/** kubectl's Pod Template block. */
function templateLines(workload: Workload): string[] {
  const template = workload.template;
  const lines = ["Pod Template:", ...mapLines("  Labels:", template.labels, 16)];
  const annotations = Object.entries(template.annotations);
  if (annotations.length > 0) lines.push(...mapLines("  Annotations:", template.annotations, 16, ": "));
  lines.push("  Containers:");
  for (const container of template.containers) {
    lines.push(`   ${container.name}:`);
    lines.push(`    Image:      ${container.image}`);
    lines.push(`    Ports:      ${container.ports.map((port) => `${port.containerPort}/${port.protocol}`).join(", ") || "<none>"}`);
    const requests = Object.entries(container.requests);
    if (requests.length > 0) lines.push("    Requests:", ...requests.map(([name, value]) => `      ${name}:  ${formatQuantity(name, value)}`));
    const limits = Object.entries(container.limits);
    if (limits.length > 0) lines.push("    Limits:", ...limits.map(([name, value]) => `      ${name}:  ${formatQuantity(name, value)}`));
  }
  if (template.priorityClassName !== undefined) lines.push(`  Priority Class Name:  ${template.priorityClassName}`);
  return lines;
}

function formatQuantity(name: string, value: number): string {
  if (name === "cpu") return value % 1000 === 0 ? String(value / 1000) : `${value}m`;
  if (name === "memory" || name.includes("storage")) {
    for (const [unit, size] of [["Gi", 2 ** 30], ["Mi", 2 ** 20], ["Ki", 2 ** 10]] as const) if (value % size === 0 && value >= size) return `${value / size}${unit}`;
  }
  return String(value);
}

function eventTable(rows: string[][]): string[] {
  if (rows.length === 0) return ["Events:  <none>"];
  return ["Events:", ...table(["TIME", "REASON", "FROM", "MESSAGE"], rows).split("\n").map((line) => `  ${line}`)];
}

/** The ReplicaSet events a Deployment's controller made: kube's ScalingReplicaSet lines. */
function scalingEvents(events: readonly ClusterEvent[], owner: (spec: Workload) => boolean, at: number): string[][] {
  const rows: string[][] = [];
  const sizes = new Map<string, number>();
  const ours = new Set<string>();
  for (const event of events) {
    if (event.t > at) break;
    if (event.type === "ObjectApplied" && event.kind === "ReplicaSet" && isWorkload(event.spec)) {
      if (owner(event.spec)) ours.add(event.object);
      if (!ours.has(event.object)) continue;
      const before = sizes.get(event.object) ?? 0;
      sizes.set(event.object, event.spec.replicas);
      if (before !== event.spec.replicas) rows.push([formatTick(event.t), "ScalingReplicaSet", "deployment-controller", `Scaled ${event.spec.replicas > before ? "up" : "down"} replica set ${event.spec.name} from ${before} to ${event.spec.replicas}`]);
    } else if (event.type === "WorkloadScaled" && event.kind === "ReplicaSet" && ours.has(event.object)) {
      const before = sizes.get(event.object) ?? 0;
      sizes.set(event.object, event.replicas);
      const name = event.object.slice(event.object.indexOf("/") + 1);
      rows.push([formatTick(event.t), "ScalingReplicaSet", "deployment-controller", `Scaled ${event.replicas > before ? "up" : "down"} replica set ${name} from ${before} to ${event.replicas}`]);
    }
  }
  return rows;
}

/** kubectl's CreationTimestamp (RFC 1123Z, from the scenario's clock), with the tick and age. */
function creation(record: ObjectState, now: number, start: number): string {
  return `${formatRfc1123z(start + record.createdAt)} (tick ${formatTick(record.createdAt)}, age ${humanDuration(now - record.createdAt)})`;
}

/** kubectl describe deployment. */
function describeDeployment(state: ClusterState, events: readonly ClusterEvent[], record: ObjectState, now: number, start: number): string[] {
  const deployment = record.object as Workload;
  const status = record.status;
  const replicaSets = recordsOf(state, "ReplicaSet").map(([, item]) => item).filter((item) => controllerReference((item.object as Workload).ownerReferences)?.uid === record.uid);
  const counts = countsByOwner(state);
  // The new ReplicaSet: the one whose template is the Deployment's (its hash label is the difference).
  const newest = replicaSets.find((item) => {
    const template = (item.object as Workload).template;
    const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...labels } = template.labels;
    return JSON.stringify({ ...template, labels }) === JSON.stringify(deployment.template);
  });
  const revision = newest === undefined ? undefined : (newest.object as Workload).annotations[REVISION_ANNOTATION];
  const rsLine = (items: ObjectState[]) => (items.length === 0 ? "<none>" : items.map((item) => `${(item.object as Workload).name} (${counts.get(item.uid)?.current ?? 0}/${(item.object as Workload).replicas} replicas created)`).join(", "));
  const strategy = deployment.strategy;
  const lines = [
    `Name:                   ${deployment.name}`,
    `Namespace:              ${deployment.namespace}`,
    `CreationTimestamp:      ${creation(record, now, start)}`,
    ...mapLines("Labels:", deployment.labels, 24),
    ...mapLines("Annotations:", { ...deployment.annotations, ...(revision !== undefined ? { [REVISION_ANNOTATION]: revision } : {}) }, 24, ": "),
    `Selector:               ${formatSelector(deployment.selector)}`,
    `Replicas:               ${deployment.replicas} desired | ${status?.updatedReplicas ?? 0} updated | ${status?.replicas ?? 0} total | ${status?.availableReplicas ?? 0} available | ${status?.unavailableReplicas ?? 0} unavailable`,
    `StrategyType:           ${strategy?.type ?? "RollingUpdate"}`,
    `MinReadySeconds:        ${deployment.minReadySeconds}`,
    ...(strategy?.type === "RollingUpdate" ? [`RollingUpdateStrategy:  ${strategy.maxUnavailable} max unavailable, ${strategy.maxSurge} max surge`] : []),
    ...(deployment.paused ? ["Paused:                 true"] : []),
    ...templateLines(deployment),
  ];
  const conditions = status?.conditions ?? [];
  if (conditions.length > 0) {
    lines.push("Conditions:", ...table(["Type", "Status", "Reason"], conditions.map((condition) => [condition.type, condition.status, condition.reason])).split("\n").map((line) => `  ${line}`));
  }
  lines.push(`OldReplicaSets:  ${rsLine(replicaSets.filter((item) => item !== newest))}`);
  lines.push(`NewReplicaSet:   ${rsLine(newest === undefined ? [] : [newest])}`);
  const owned = (spec: Workload) => spec.ownerReferences.some((reference) => reference.controller && reference.uid === record.uid);
  lines.push(...eventTable(scalingEvents(events, owned, now)));
  return lines;
}

/** kubectl describe replicaset / replicationcontroller. */
function describeReplicaSet(state: ClusterState, events: readonly ClusterEvent[], record: ObjectState, now: number): string[] {
  const rs = record.object as Workload;
  const count = countsByOwner(state).get(record.uid);
  const owner = controllerReference(rs.ownerReferences);
  const from = rs.kind === "ReplicaSet" ? "replicaset-controller" : "replication-controller";
  const lines = [
    `Name:         ${rs.name}`,
    `Namespace:    ${rs.namespace}`,
    `Selector:     ${formatSelector(rs.selector)}`,
    ...mapLines("Labels:", rs.labels, 14),
    ...mapLines("Annotations:", rs.annotations, 14, ": "),
    ...(owner !== undefined && rs.kind === "ReplicaSet" ? [`Controlled By:  ${owner.kind}/${owner.name}`] : []),
    `Replicas:     ${count?.current ?? 0} current / ${rs.replicas} desired`,
    `Pods Status:  ${count?.running ?? 0} Running / ${count?.waiting ?? 0} Waiting / ${count?.succeeded ?? 0} Succeeded / ${count?.failed ?? 0} Failed`,
    ...templateLines(rs),
  ];
  lines.push(...eventTable(podEvents(events, record, from, now)));
  return lines;
}

/** An owner's pods' creations and deletions, as its controller reports them (kube's SuccessfulCreate / SuccessfulDelete), by the owner's uid. */
function podEvents(events: readonly ClusterEvent[], record: ObjectState, from: string, now: number): string[][] {
  const ours = new Set<string>();
  const rows: string[][] = [];
  for (const event of events) {
    if (event.t > now) break;
    if (event.type === "PodCreated" && controllerReference(event.spec.ownerReferences)?.uid === record.uid) {
      ours.add(event.pod);
      rows.push([formatTick(event.t), "SuccessfulCreate", from, `Created pod: ${event.spec.name}`]);
    } else if (event.type === "PodDeleted" && ours.has(event.pod)) {
      rows.push([formatTick(event.t), "SuccessfulDelete", from, `Deleted pod: ${event.pod.slice(event.pod.indexOf("/") + 1)}`]);
    }
  }
  return rows;
}

/** `labels.FormatLabels` of a node selector: `k=v,k2=v2` sorted, `<none>` if empty. */
function formatNodeSelector(selector: Readonly<Record<string, string>>): string {
  return Object.keys(selector).sort().map((key) => `${key}=${selector[key]}`).join(",") || "<none>";
}

/** kubectl describe daemonset (its "Number of Nodes" lines unaligned, as kubectl prints them). */
function describeDaemonSet(state: ClusterState, events: readonly ClusterEvent[], record: ObjectState, now: number): string[] {
  const ds = record.object as Workload;
  const status = daemonStatusOf(state, record, now);
  const count = countsByOwner(state).get(record.uid);
  const strategy = ds.updateStrategy;
  const lines = [
    `Name:           ${ds.name}`,
    `Namespace:      ${ds.namespace}`,
    `Selector:       ${formatSelector(ds.selector)}`,
    `Node-Selector:  ${formatNodeSelector(ds.template.nodeSelector)}`,
    ...mapLines("Labels:", ds.labels, 16),
    ...mapLines("Annotations:", ds.annotations, 16, ": "),
    `Desired Number of Nodes Scheduled: ${status.desiredNumberScheduled}`,
    `Current Number of Nodes Scheduled: ${status.currentNumberScheduled}`,
    `Number of Nodes Scheduled with Up-to-date Pods: ${status.updatedNumberScheduled}`,
    `Number of Nodes Scheduled with Available Pods: ${status.numberAvailable}`,
    `Number of Nodes Misscheduled: ${status.numberMisscheduled}`,
    `Pods Status:    ${count?.running ?? 0} Running / ${count?.waiting ?? 0} Waiting / ${count?.succeeded ?? 0} Succeeded / ${count?.failed ?? 0} Failed`,
    ...(strategy?.type === "RollingUpdate" ? [`Update Strategy: RollingUpdate (${strategy.maxUnavailable} max unavailable, ${strategy.maxSurge} max surge)`] : [`Update Strategy: OnDelete`]),
    ...templateLines(ds),
  ];
  lines.push(...eventTable(podEvents(events, record, "daemonset-controller", now)));
  return lines;
}

/** kubectl describe statefulset. */
function describeStatefulSet(state: ClusterState, events: readonly ClusterEvent[], record: ObjectState, now: number, start: number): string[] {
  const sts = record.object as Workload;
  const count = countsByOwner(state).get(record.uid);
  const strategy = sts.updateStrategy;
  const lines = [
    `Name:               ${sts.name}`,
    `Namespace:          ${sts.namespace}`,
    `CreationTimestamp:  ${creation(record, now, start)}`,
    `Selector:           ${formatSelector(sts.selector)}`,
    ...mapLines("Labels:", sts.labels, 20),
    ...mapLines("Annotations:", sts.annotations, 20, ": "),
    `Replicas:           ${sts.replicas} desired | ${record.status?.replicas ?? 0} total`,
    `Update Strategy:    ${strategy?.type ?? "RollingUpdate"}`,
    ...(strategy?.type === "RollingUpdate" ? [`  Partition:        ${strategy.partition}`, `  MaxUnavailable:   ${strategy.maxUnavailable}`] : []),
    `Pods Status:        ${count?.running ?? 0} Running / ${count?.waiting ?? 0} Waiting / ${count?.succeeded ?? 0} Succeeded / ${count?.failed ?? 0} Failed`,
    ...templateLines(sts),
    "Volume Claims:      <none>",
  ];
  // stateful_pod_control.go's messages: "create Pod web-0 in StatefulSet web successful".
  const rows = podEvents(events, record, "statefulset-controller", now).map(([time, reason, from, message]) => {
    const pod = (message as string).slice((message as string).indexOf(": ") + 2);
    return [time as string, reason as string, from as string, `${reason === "SuccessfulCreate" ? "create" : "delete"} Pod ${pod} in StatefulSet ${sts.name} successful`];
  });
  lines.push(...eventTable(rows));
  return lines;
}

/**
 * A Job's completed indexes as kube writes `status.completedIndexes` (job_controller.go
 * succeededIndexes.String): runs of three or more as `a-b`, others listed, e.g. "0,1,3-5,7"; kubectl
 * cuts it after the first comma from the 50th character on and adds "..." (describe.go capIndexesListOrNone).
 */
export function formatIndexes(indexes: readonly number[]): string {
  if (indexes.length === 0) return "<none>";
  const parts: string[] = [];
  for (let at = 0; at < indexes.length; ) {
    let end = at;
    while (end + 1 < indexes.length && (indexes[end + 1] as number) === (indexes[end] as number) + 1) end++;
    if (end - at >= 2) parts.push(`${indexes[at]}-${indexes[end]}`);
    else for (let index = at; index <= end; index++) parts.push(String(indexes[index]));
    at = end + 1;
  }
  const text = parts.join(",");
  if (text.length <= 50) return text;
  const comma = text.indexOf(",", 50);
  return comma < 0 ? text : `${text.slice(0, comma + 1)}...`;
}

/** kubectl describe cronjob (kubectl v0.35.0 describeCronJob: no Time Zone line yet). */
function describeCronJob(events: readonly ClusterEvent[], record: ObjectState, now: number, start: number): string[] {
  const cronJob = record.object as Workload;
  const spec = cronJob.cronJob;
  const job = spec?.job;
  const active = record.status?.activeJobs ?? [];
  const last = record.status?.lastScheduleTime;
  const lines = [
    `Name:                          ${cronJob.name}`,
    `Namespace:                     ${cronJob.namespace}`,
    ...mapLines("Labels:", cronJob.labels, 31),
    ...mapLines("Annotations:", cronJob.annotations, 31, ": "),
    `Schedule:                      ${spec?.schedule ?? ""}`,
    `Concurrency Policy:            ${spec?.concurrencyPolicy ?? "Allow"}`,
    `Suspend:                       ${spec?.suspend === true ? "True" : "False"}`,
    `Successful Job History Limit:  ${spec?.successfulJobsHistoryLimit ?? 3}`,
    `Failed Job History Limit:      ${spec?.failedJobsHistoryLimit ?? 1}`,
    `Starting Deadline Seconds:     ${spec?.startingDeadlineSeconds === undefined ? "<unset>" : `${spec.startingDeadlineSeconds}s`}`,
    "Selector:                      <unset>",
    `Parallelism:                   ${job?.parallelism ?? 1}`,
    `Completions:                   ${job?.completions ?? "<unset>"}`,
    ...(job?.activeDeadlineSeconds !== undefined ? [`Active Deadline Seconds:       ${job.activeDeadlineSeconds}s`] : []),
    ...templateLines(cronJob),
    `Last Schedule Time:            ${last === undefined ? "<unset>" : `${formatRfc1123z(start + last)} (tick ${formatTick(last)})`}`,
    `Active Jobs:                   ${active.length === 0 ? "<none>" : active.join(", ")}`,
  ];
  // cronjob_controllerv2.go's events: SuccessfulCreate "Created job X", SawCompletedJob "Saw completed job: X, condition: Complete",
  // SuccessfulDelete "Deleted job X" (history limits, Replace; a Job with ttlSecondsAfterFinished is the TTL controller's to delete).
  const rows: string[][] = [];
  const ours = new Set<string>();
  const finished = new Set<string>();
  for (const event of events) {
    if (event.t > now) break;
    if (event.type === "ObjectApplied" && event.kind === "Job" && event.spec.kind === "Job" && event.spec.ownerReferences.some((reference) => reference.controller && reference.uid === record.uid)) {
      if (!ours.has(event.object)) rows.push([formatTick(event.t), "SuccessfulCreate", "cronjob-controller", `Created job ${event.spec.name}`]);
      ours.add(event.object);
    } else if (event.type === "ObjectDeleted" && event.kind === "Job" && ours.has(event.object)) {
      if (spec?.job.ttlSecondsAfterFinished === undefined) rows.push([formatTick(event.t), "SuccessfulDelete", "cronjob-controller", `Deleted job ${event.object.slice(event.object.indexOf("/") + 1)}`]);
      ours.delete(event.object);
    } else if (event.type === "WorkloadStatusChanged" && event.kind === "Job" && ours.has(event.object) && !finished.has(event.object)) {
      const done = event.status.conditions.find((item) => (item.type === "Complete" || item.type === "Failed") && item.status === "True");
      if (done === undefined) continue;
      finished.add(event.object);
      rows.push([formatTick(event.t), "SawCompletedJob", "cronjob-controller", `Saw completed job: ${event.object.slice(event.object.indexOf("/") + 1)}, condition: ${done.type}`]);
    }
  }
  lines.push(...eventTable(rows));
  return lines;
}

/** kubectl describe job. */
function describeJob(events: readonly ClusterEvent[], record: ObjectState, now: number, start: number): string[] {
  const job = record.object as Workload;
  const spec = job.job;
  const status = record.status;
  const lines = [
    `Name:             ${job.name}`,
    `Namespace:        ${job.namespace}`,
    `Selector:         batch.kubernetes.io/controller-uid=${record.uid}`,
    ...mapLines("Labels:", job.labels, 18),
    ...mapLines("Annotations:", job.annotations, 18, ": "),
    `Parallelism:      ${spec?.parallelism ?? 1}`,
    `Completions:      ${spec?.completions ?? "<unset>"}`,
    `Completion Mode:  ${spec?.completionMode ?? "NonIndexed"}`,
    `Suspend:          ${spec?.suspend ?? false}`,
    `Backoff Limit:    ${spec?.backoffLimit ?? 6}`,
    ...(spec?.ttlSecondsAfterFinished !== undefined ? [`TTL Seconds After Finished:  ${spec.ttlSecondsAfterFinished}`] : []),
    ...(status?.startTime !== undefined ? [`Start Time:       ${formatRfc1123z(start + status.startTime)} (tick ${formatTick(status.startTime)})`] : []),
    ...(status?.completionTime !== undefined ? [`Completed At:     ${formatRfc1123z(start + status.completionTime)} (tick ${formatTick(status.completionTime)})`] : []),
    // kubectl prints a Duration only for a completed Job (a failed one has no completionTime).
    ...(status?.startTime !== undefined && status.completionTime !== undefined ? [`Duration:         ${humanDuration(status.completionTime - status.startTime)}`] : []),
    ...(spec?.activeDeadlineSeconds !== undefined ? [`Active Deadline Seconds:  ${spec.activeDeadlineSeconds}s`] : []),
    `Pods Statuses:    ${status?.active ?? 0} Active (${status?.readyReplicas ?? 0} Ready) / ${status?.succeeded ?? 0} Succeeded / ${status?.failed ?? 0} Failed`,
    ...(spec?.completionMode === "Indexed" ? [`Completed Indexes:  ${formatIndexes(status?.completedIndexes ?? [])}`] : []),
    ...templateLines(job),
  ];
  const conditions = status?.conditions ?? [];
  if (conditions.length > 0) lines.push("Conditions:", ...table(["Type", "Status", "Reason"], conditions.map((item) => [item.type, item.status, item.reason])).split("\n").map((line) => `  ${line}`));
  const rows = podEvents(events, record, "job-controller", now);
  for (const item of conditions) {
    if (item.status !== "True") continue;
    if (item.type === "Complete") rows.push([formatTick(item.lastTransitionTime), "Completed", "job-controller", "Job completed"]);
    if (item.type === "Failed") rows.push([formatTick(item.lastTransitionTime), item.reason, "job-controller", item.message]);
  }
  // job_controller.go's Normal "Suspended" / "Resumed" events, at each change of the Suspended condition the log holds.
  let suspended: string | undefined;
  for (const event of events) {
    if (event.t > now || event.type !== "WorkloadStatusChanged" || event.kind !== "Job" || event.object !== `${job.namespace}/${job.name}`) continue;
    const condition = event.status.conditions.find((item) => item.type === "Suspended");
    if (condition === undefined || condition.status === suspended) continue;
    suspended = condition.status;
    rows.push(condition.status === "True" ? [formatTick(event.t), "Suspended", "job-controller", "Job suspended"] : [formatTick(event.t), "Resumed", "job-controller", "Job resumed"]);
  }
  rows.sort((a, b) => parseTickText(a[0] as string) - parseTickText(b[0] as string));
  lines.push(...eventTable(rows));
  return lines;
}

/** A `formatTick` text back to seconds (for ordering rows). */
function parseTickText(text: string): number {
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([hms])/g)) seconds += Number(amount) * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
  return seconds;
}

/** kubectl describe priorityclass. */
function describePriorityClass(value: PriorityClassObject): string[] {
  return [
    `Name:              ${value.name}`,
    `Value:             ${value.value}`,
    `GlobalDefault:     ${value.globalDefault}`,
    `PreemptionPolicy:  ${value.preemptionPolicy}`,
    "Events:            <none>",
  ];
}

/** `describe <kind> NAME`: the object at tick `now`, with the events that concern it. */
export function describeWorkload(state: ClusterState, events: readonly ClusterEvent[], resource: WorkloadResource, name: string, namespace: string, now: number, start = DEFAULT_START_TIME): string[] {
  const kind = KIND_OF[resource];
  if (kind === "PriorityClass") {
    const system = SYSTEM_PRIORITY_CLASSES.find((item) => item.name === name);
    if (system !== undefined) return describePriorityClass({ kind, ...system });
    const record = state.objects[`PriorityClass/${name}`];
    if (record === undefined) throw new InputError(`priorityclasses.scheduling.k8s.io "${name}" not found`);
    return describePriorityClass(record.object as PriorityClassObject);
  }
  const key = name.includes("/") ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
  const record = state.objects[key];
  if (kind === "PodDisruptionBudget") {
    if (record === undefined) throw new InputError(`poddisruptionbudgets.policy "${name.includes("/") ? name.slice(name.indexOf("/") + 1) : name}" not found at this tick`);
    return describeDisruptionBudget(events, record, key);
  }
  if (kind === "CronJob") {
    const record = state.objects[name.includes("/") ? `CronJob/${name}` : `CronJob/${namespace}/${name}`];
    if (record === undefined) throw new InputError(`cronjobs.batch "${name.includes("/") ? name.slice(name.indexOf("/") + 1) : name}" not found at this tick`);
    return describeCronJob(events, record, now, start);
  }
  const plural = { Deployment: "deployments.apps", ReplicaSet: "replicasets.apps", ReplicationController: "replicationcontrollers", StatefulSet: "statefulsets.apps", DaemonSet: "daemonsets.apps", Job: "jobs.batch", CronJob: "cronjobs.batch" }[kind];
  if (record === undefined) throw new InputError(`${plural} "${name.includes("/") ? name.slice(name.indexOf("/") + 1) : name}" not found at this tick`);
  if (kind === "Deployment") return describeDeployment(state, events, record, now, start);
  if (kind === "DaemonSet") return describeDaemonSet(state, events, record, now);
  if (kind === "StatefulSet") return describeStatefulSet(state, events, record, now, start);
  if (kind === "Job") return describeJob(events, record, now, start);
  return describeReplicaSet(state, events, record, now);
}

/** kubectl describe pdb: its budget, selector and status, and the evictions it allowed or refused. */
function describeDisruptionBudget(events: readonly ClusterEvent[], record: ObjectState, key: string): string[] {
  const budget = record.object as DisruptionBudget;
  const status = record.status;
  const object = key.slice(key.indexOf("/") + 1);
  const condition = status?.conditions.find((item) => item.type === "DisruptionAllowed");
  return [
    `Name:             ${budget.name}`,
    `Namespace:        ${budget.namespace}`,
    ...(budget.minAvailable !== undefined ? [`Min available:    ${budget.minAvailable}`] : []),
    ...(budget.maxUnavailable !== undefined ? [`Max unavailable:  ${budget.maxUnavailable}`] : []),
    `Selector:         ${budget.selector === undefined ? "<unset>" : formatSelector(budget.selector) || "<everything>"}`,
    `Status:`,
    `    Allowed disruptions:  ${status?.disruptionsAllowed ?? 0}`,
    `    Current:              ${status?.currentHealthy ?? 0}`,
    `    Desired:              ${status?.desiredHealthy ?? 0}`,
    `    Total:                ${status?.expectedPods ?? 0}`,
    ...(condition === undefined ? [] : [`Conditions:       DisruptionAllowed ${condition.status} (${condition.reason}${condition.message ? `: ${condition.message}` : ""})`]),
    ...(budget.unhealthyPodEvictionPolicy !== undefined ? [`Unhealthy pod eviction policy:  ${budget.unhealthyPodEvictionPolicy}`] : []),
    `Status changes:   ${events.filter((event) => event.type === "WorkloadStatusChanged" && event.kind === "PodDisruptionBudget" && event.object === object).length}`,
  ];
}
