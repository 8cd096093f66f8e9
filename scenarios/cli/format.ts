/**
 * What people read: events as a time-ordered table, pods and nodes as kubectl prints them.
 */
import { podIP, podQOSClass, formatSelector,
  PODS,
  formatBytes,
  formatCpuMillis,
  nodeNames,
  podDisplayStatus,
  podLimitsOrRequests,
  podRequests,
  podsByPhase,
  type FitBy,
  type ClusterEvent,
  type ClusterState,
  type NodeState,
  type PodState,
  type ResourceList,
} from "../../core/index.js";

/** Seconds → "0s", "45s", "2m", "2m30s", "1h", "1h0m5s". */
export function formatTick(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours}h` + (minutes > 0 || rest > 0 ? `${minutes}m` : "") + (rest > 0 ? `${rest}s` : "");
  if (minutes > 0) return `${minutes}m` + (rest > 0 ? `${rest}s` : "");
  return `${rest}s`;
}

/** kubectl's plain table: columns left-aligned, three spaces apart. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  // A loop, not Math.max(...column): spreading a long column into arguments overflows the stack.
  const widths = headers.map((header) => header.length);
  for (const row of rows) {
    for (let column = 0; column < widths.length; column++) widths[column] = Math.max(widths[column] as number, (row[column] ?? "").length);
  }
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] as number))).join("   ").trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

/** `cpu 250m, memory 256M` (cpu and memory first, then the rest by name; pods left out). */
export function formatResources(list: ResourceList): string {
  const names = Object.keys(list).filter((name) => name !== PODS && list[name] !== 0);
  const ordered = [...names.filter((name) => name === "cpu" || name === "memory").sort(), ...names.filter((name) => name !== "cpu" && name !== "memory").sort()];
  if (ordered.length === 0) return "nothing";
  return ordered.map((name) => `${name} ${formatAmount(name, list[name] as number)}`).join(", ");
}

export function formatAmount(resourceName: string, amount: number): string {
  if (resourceName === "cpu") return formatCpuMillis(amount);
  if (resourceName === "memory" || resourceName === "ephemeral-storage" || resourceName.startsWith("hugepages-")) return formatBytes(amount);
  return String(amount);
}

/** Turns events into table rows, remembering what it needs (a pod's request) as it goes. */
export class EventDescriber {
  private readonly requests = new Map<string, ResourceList>();

  constructor(private readonly fitBy: FitBy = "requests") {}

  /** Notes what later rows need from this event (a pod's request) without printing it. */
  remember(event: ClusterEvent): void {
    if (event.type === "PodCreated") {
      this.requests.set(event.pod, this.fitBy === "limits" ? podLimitsOrRequests(event.spec) : podRequests(event.spec));
    }
  }

  /** Each workload's replicas as the events so far left them, for "from 3 to 5". */
  private readonly replicas = new Map<string, number>();
  /** The objects applied so far (a second ObjectApplied is a change). */
  private readonly applied = new Set<string>();

  row(event: ClusterEvent): string[] {
    this.remember(event);
    const subject = "pod" in event ? `pod/${event.pod}` : "node" in event ? `node/${event.node}` : `${event.kind.toLowerCase()}/${event.object}`;
    const message = this.message(event);
    if (event.type === "ObjectApplied" && "replicas" in event.spec && event.spec.kind !== "DaemonSet" && event.spec.kind !== "Job" && event.spec.kind !== "CronJob") this.replicas.set(`${event.kind}/${event.object}`, event.spec.replicas);
    if (event.type === "WorkloadScaled") this.replicas.set(`${event.kind}/${event.object}`, event.replicas);
    if (event.type === "ObjectApplied") this.applied.add(`${event.kind}/${event.object}`);
    if (event.type === "ObjectDeleted") {
      this.replicas.delete(`${event.kind}/${event.object}`);
      this.applied.delete(`${event.kind}/${event.object}`);
    }
    return [formatTick(event.t), event.type, subject, message];
  }

  private message(event: ClusterEvent): string {
    switch (event.type) {
      case "NodeJoined":
        return `allocatable ${formatResources(event.spec.allocatable)}, pods ${event.spec.allocatable[PODS] ?? 0}` + (event.spec.unschedulable ? " (cordoned)" : "");
      case "NodeRemoved":
        return "deleted: the Node object is gone (its pods are orphaned until PodGC deletes them)";
      case "KubeletStopped":
        return "kubelet stopped posting node status and renewing its lease";
      case "KubeletStarted":
        return "kubelet is posting node status again";
      case "NodeDrainStarted":
        return `kubectl drain${event.warning === "" ? "" : `; Warning: ${event.warning}`}`;
      case "NodeDrainFinished":
        return event.drained ? `node/${event.node} drained` : `drain failed: ${event.message.split("\n").join("; ")}`;
      case "NodeConditionChanged":
        return `${event.condition}=${event.status}`;
      case "NodeTainted":
      case "NodeUntainted":
        return `${event.taint.key}${event.taint.value ? `=${event.taint.value}` : ""}:${event.taint.effect}`;
      case "NodeCordoned":
        return "cordoned: no new pods";
      case "NodeUncordoned":
        return "uncordoned";
      case "PodCreated": {
        const request = this.requests.get(event.pod) ?? {};
        return `${this.fitBy === "limits" ? "counts" : "requests"} ${formatResources(request)}` + (event.spec.nodeName ? `; spec.nodeName ${event.spec.nodeName}` : "");
      }
      case "PodBound":
        return event.gpus === undefined ? `bound to ${event.node}` : `bound to ${event.node}, GPU card${event.gpus.length === 1 ? "" : "s"} ${event.gpus.join(", ")}`;
      case "PodUnschedulable":
        return event.message;
      case "PodStarted":
        return `running on ${event.node}`;
      case "PodReadyChanged":
        return event.ready ? "ready: its readiness probe passed" : "not ready";
      case "ContainerFailed":
        return `container ${event.container} exited with code ${event.exitCode} (${event.reason})`;
      case "ContainerCompleted":
        return `container ${event.container} exited with code 0; restartPolicy Always restarts it`;
      case "ContainerRestarted":
        return `container ${event.container} restarted (restart ${event.restartCount})`;
      case "PodSucceeded":
        return "completed: all containers exited 0";
      case "PodFailed":
        return event.reason === "" ? `Failed: ${event.message}` : `${event.reason}: ${event.message}`;
      case "PodDeleted":
        return event.gracePeriodSeconds > 0 ? `deleted; terminating for up to ${formatTick(event.gracePeriodSeconds)}` : "deleted";
      case "PodEvicted":
        return `${event.reason}: ${event.message}`;
      case "PodNominated":
        return event.node === "" ? "nomination cleared" : `nominated to ${event.node}: room made by preemption`;
      case "PodPreempted":
        return `PreemptionByScheduler: ${event.message} (${event.preemptor} on ${event.node})`;
      case "PodEvictionRefused":
        return `${event.code}: ${event.message}`;
      case "ResourcesFreed":
        return `freed ${formatResources(this.requests.get(event.pod) ?? {})} on ${event.node}`;
      case "ObjectApplied": {
        const before = this.replicas.get(`${event.kind}/${event.object}`);
        const spec = event.spec;
        if (spec.kind === "PriorityClass") return `created: value ${spec.value}${spec.globalDefault ? ", global default" : ""}`;
        if (spec.kind === "Namespace") return `${this.applied.has(`${event.kind}/${event.object}`) ? "changed" : "created"}: labels ${Object.entries(spec.labels).map(([k, v]) => `${k}=${v}`).join(",") || "<none>"}`;
        if (spec.kind === "PodDisruptionBudget") {
          const budget = spec.minAvailable !== undefined ? `minAvailable ${spec.minAvailable}` : spec.maxUnavailable !== undefined ? `maxUnavailable ${spec.maxUnavailable}` : "no minAvailable or maxUnavailable: no disruption allowed";
          return `${this.applied.has(`${event.kind}/${event.object}`) ? "changed" : "created"}: ${budget}, selector ${spec.selector === undefined ? "<none> (selects no pod)" : formatSelector(spec.selector) || "<everything>"}`;
        }
        if (spec.kind === "Service") {
          const ports = spec.ports.map((port) => `${port.port}/${port.protocol}`).join(",") || "<none>";
          return `${this.applied.has(`${event.kind}/${event.object}`) ? "changed" : "created"}: ${spec.type} ${ports}, selector ${spec.selector === undefined ? "<none>" : Object.entries(spec.selector).map(([k, v]) => `${k}=${v}`).join(",")}`;
        }
        if (before !== undefined) return before === spec.replicas ? "changed" : `changed; scaled ${spec.replicas > before ? "up" : "down"} from ${before} to ${spec.replicas}`;
        if (this.applied.has(`${event.kind}/${event.object}`)) return spec.kind === "CronJob" && spec.cronJob?.suspend === true ? "changed; suspended" : "changed";
        const owner = spec.ownerReferences.find((reference) => reference.controller);
        const controlledBy = owner ? `, controlled by ${owner.kind.toLowerCase()}/${spec.namespace}/${owner.name}` : "";
        if (spec.kind === "Job" && spec.job !== undefined) return `created: ${spec.job.completions === undefined ? "until one succeeds" : `${spec.job.completions} completion${spec.job.completions === 1 ? "" : "s"}`}, parallelism ${spec.job.parallelism}${spec.job.completionMode === "Indexed" ? ", Indexed" : ""}${controlledBy}`;
        if (spec.kind === "CronJob" && spec.cronJob !== undefined) {
          const cron = spec.cronJob;
          return `created: schedule ${JSON.stringify(cron.schedule)}${cron.timeZone === undefined ? "" : ` in ${cron.timeZone}`}, concurrency ${cron.concurrencyPolicy}${cron.suspend ? ", suspended" : ""}`;
        }
        if (spec.kind === "DaemonSet") return `created: a pod on each node that should run one${Object.keys(spec.template.nodeSelector).length > 0 ? ` (node selector ${Object.entries(spec.template.nodeSelector).map(([k, v]) => `${k}=${v}`).join(",")})` : ""}`;
        return `created: ${spec.replicas} replica${spec.replicas === 1 ? "" : "s"}${controlledBy}`;
      }
      case "ObjectDeleted":
        return event.propagation === "Orphan" ? "deleted; its dependents are orphaned" : "deleted; the garbage collector deletes its dependents";
      case "WorkloadScaled": {
        const before = this.replicas.get(`${event.kind}/${event.object}`);
        if (before === undefined) return `scaled to ${event.replicas}`;
        return `scaled ${event.replicas >= before ? "up" : "down"} from ${before} to ${event.replicas}`;
      }
      case "WorkloadStatusChanged": {
        const status = event.status;
        if (event.kind === "Job") {
          const last = status.conditions.filter((item) => item.status === "True" && item.type !== "Suspended").at(-1);
          return `${status.active ?? 0} active (${status.readyReplicas} ready), ${status.succeeded ?? 0} succeeded, ${status.failed ?? 0} failed` + (last ? `; ${last.type} (${last.reason})` : "");
        }
        if (event.kind === "PodDisruptionBudget") {
          return `${status.currentHealthy ?? 0} healthy, ${status.desiredHealthy ?? 0} desired, ${status.expectedPods ?? 0} expected; ${status.disruptionsAllowed ?? 0} disruption${status.disruptionsAllowed === 1 ? "" : "s"} allowed` + (status.conditions[0]?.reason === "SyncFailed" ? ` (SyncFailed: ${status.conditions[0].message})` : "");
        }
        if (event.kind === "CronJob") {
          const active = status.activeJobs ?? [];
          return `${active.length} active${active.length > 0 ? ` (${active.join(", ")})` : ""}; last scheduled ${status.lastScheduleTime === undefined ? "never" : `at ${formatTick(status.lastScheduleTime)}`}`;
        }
        const desired = this.replicas.get(`${event.kind}/${event.object}`);
        const progressing = status.conditions.find((condition) => condition.type === "Progressing");
        return `${status.readyReplicas}${desired === undefined ? "" : `/${desired}`} ready, ${status.updatedReplicas} up-to-date, ${status.availableReplicas} available, ${status.replicas} total` + (progressing ? `; Progressing=${progressing.status} (${progressing.reason})` : "");
      }
      default: {
        const unreachable: never = event;
        return JSON.stringify(unreachable);
      }
    }
  }
}

export function eventsTable(events: readonly ClusterEvent[], fitBy: FitBy = "requests"): string {
  const describer = new EventDescriber(fitBy);
  return table(["TIME", "EVENT", "OBJECT", "MESSAGE"], events.map((event) => describer.row(event)));
}

/** `750m/1 (75%)` */
function usage(resourceName: string, node: NodeState): string {
  const allocatable = node.node.allocatable[resourceName] ?? 0;
  const requested = node.requested[resourceName] ?? 0;
  const percent = allocatable > 0 ? ` (${Math.round((100 * requested) / allocatable)}%)` : "";
  return `${formatAmount(resourceName, requested)}/${formatAmount(resourceName, allocatable)}${percent}`;
}

/** kubectl's node STATUS: Ready or NotReady, with ",SchedulingDisabled" when cordoned. */
export function nodeStatus(node: NodeState): string {
  // kubectl's printNode: "Ready" when the Ready condition is True, "NotReady" for False and Unknown alike.
  const ready = node.node.ready === "True" ? "Ready" : "NotReady";
  return node.node.unschedulable ? `${ready},SchedulingDisabled` : ready;
}

/** Rows shown at the end of a run unless `--show-all`: a screenful, as kubectl users expect. */
export const DEFAULT_ROWS = 20;

/** `… and 232,400 more pods; <hint>` */
export function moreLine(count: number, noun: string, hint: string): string {
  return `… and ${count.toLocaleString("en-US")} more ${noun}; ${hint}`;
}

/** The nodes, the first `limit` of them by name. */
export function nodesTable(state: ClusterState, limit = Number.POSITIVE_INFINITY): string {
  const rows = nodeNames(state).slice(0, limit).map((name) => {
    const node = state.nodes[name] as NodeState;
    return [name, nodeStatus(node), usage("cpu", node), usage("memory", node), `${node.pods.length}/${node.node.allocatable[PODS] ?? 0}`];
  });
  return table(["NAME", "STATUS", "CPU REQUESTS", "MEMORY REQUESTS", "PODS"], rows);
}

/** The pods, the first `limit` of them by namespace/name. */
export function podsTable(state: ClusterState, wide = false, limit = Number.POSITIVE_INFINITY): string {
  const all = podsByPhase(state);
  const namespaced = all.some((pod) => pod.pod.namespace !== (all[0] as PodState).pod.namespace);
  const rows = all.slice(0, limit).map((pod) => {
    const row = [
      ...(namespaced ? [pod.pod.namespace] : []),
      pod.pod.name,
      readyColumn(pod),
      podDisplayStatus(pod),
      String(pod.restartCount),
      pod.node ?? "<none>",
      formatAmount("cpu", pod.request["cpu"] ?? 0),
      formatAmount("memory", pod.request["memory"] ?? 0),
    ];
    // -o wide: the pod's IP (once its sandbox runs: it has started), its QoS class, its message.
    if (wide) row.push(pod.startedAt === undefined ? "<none>" : podIP(pod), pod.nominatedNode ?? "<none>", podQOSClass(pod.pod), pod.message ?? "");
    return row;
  });
  const headers = [...(namespaced ? ["NAMESPACE"] : []), "NAME", "READY", "STATUS", "RESTARTS", "NODE", "CPU", "MEMORY", ...(wide ? ["IP", "NOMINATED NODE", "QOS", "MESSAGE"] : [])];
  return table(headers, rows);
}

/**
 * kubectl's READY: ready containers over containers, sidecars (restartable init containers)
 * included (printers.go printPod). A simulated pod's containers are ready together: all of them
 * while the pod is Ready, none otherwise.
 */
function readyColumn(pod: PodState): string {
  const total = pod.pod.containers.length + pod.pod.initContainers.filter((container) => container.restartPolicy === "Always").length;
  return `${pod.phase === "Running" && pod.readySince !== undefined ? total : 0}/${total}`;
}

/**
 * Pending pods grouped by the reason they wait (the scheduler's last message), the commonest
 * first: `default/pod-d: <message>` for one pod, `3 pods (default/a, default/b, …): <message>`
 * for more. At most `limit` reasons.
 */
export function pendingReasons(state: ClusterState, limit = Number.POSITIVE_INFINITY): string[] {
  const byMessage = new Map<string, string[]>();
  for (const pod of podsByPhase(state, "Pending")) {
    if (pod.node !== undefined || pod.message === undefined) continue;
    const keys = byMessage.get(pod.message);
    const key = `${pod.pod.namespace}/${pod.pod.name}`;
    if (keys === undefined) byMessage.set(pod.message, [key]);
    else keys.push(key);
  }
  const groups = [...byMessage].sort(([a, left], [b, right]) => right.length - left.length || (a < b ? -1 : a > b ? 1 : 0));
  const lines = groups.slice(0, limit).map(([message, keys]) => keys.length === 1
    ? `${keys[0] as string}: ${message}`
    : `${keys.length.toLocaleString("en-US")} pods (${keys.slice(0, 3).join(", ")}${keys.length > 3 ? ", …" : ""}): ${message}`);
  if (groups.length > limit) lines.push(`… and ${groups.length - limit} more reason(s)`);
  return lines;
}

/** Plain data for `-o json`: one object per pod. */
export function podsJson(state: ClusterState): object[] {
  return podsByPhase(state).map((pod) => ({
    namespace: pod.pod.namespace,
    name: pod.pod.name,
    phase: pod.phase,
    status: podDisplayStatus(pod),
    node: pod.node ?? null,
    requests: pod.request,
    restartCount: pod.restartCount,
    reason: pod.reason ?? null,
    message: pod.message ?? null,
  }));
}

/** Plain data for `-o json`: one object per node. */
export function nodesJson(state: ClusterState): object[] {
  return nodeNames(state).map((name) => {
    const node = state.nodes[name] as NodeState;
    return { name, status: nodeStatus(node), allocatable: node.node.allocatable, requested: node.requested, pods: node.pods };
  });
}
