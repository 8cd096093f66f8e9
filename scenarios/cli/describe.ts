/**
 * `timoneiro describe pod|node NAME --log LOG [--at T]`: one object in detail, as kubectl
 * describes it, with the events that concern it.
 */
import { gpuNodeOf, gpuRequestOf, idleCards, MILLI_PER_GPU } from "../../core/index.js";
import { podIP, podQOSClass, DEFAULT_NODE_LIFECYCLE, DEFAULT_START_TIME, PODS, lastHeartbeat, formatCpuMillis, formatRfc1123z, podDisplayStatus, type ClusterEvent, type ClusterState, type NodeState, type PodState, type ResourceList } from "../../core/index.js";
import { EventDescriber, formatAmount, formatTick, nodeStatus, table } from "./format.js";
import { InputError } from "./output.js";

function resourceLines(list: ResourceList, indent: string): string[] {
  const names = Object.keys(list).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  if (names.length === 0) return [`${indent}<none>`];
  return names.map((name) => `${indent}${`${name}:`.padEnd(20)}${formatAmount(name, list[name] as number)}`);
}

function rank(name: string): number {
  return name === "cpu" ? 0 : name === "memory" ? 1 : name === PODS ? 3 : 2;
}

function inline(list: ResourceList): string {
  const names = Object.keys(list).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return names.length === 0 ? "<none>" : names.map((name) => `${name} ${formatAmount(name, list[name] as number)}`).join(", ");
}

/**
 * The events section: the events `concerns` selects, read in the context of all of them;
 * `withObject` adds the OBJECT column (a node's events concern its pods too).
 */
function eventLines(all: readonly ClusterEvent[], concerns: (event: ClusterEvent) => boolean, fitBy: "requests" | "limits", withObject: boolean): string[] {
  const describer = new EventDescriber(fitBy);
  const events = all.filter((event) => {
    describer.remember(event);
    return concerns(event);
  });
  if (events.length === 0) return ["Events:  <none>"];
  const rows = events.map((event) => {
    const [time, type, object, message] = describer.row(event) as [string, string, string, string];
    return withObject ? [time, type, object, message] : [time, type, message];
  });
  const headers = withObject ? ["TIME", "EVENT", "OBJECT", "MESSAGE"] : ["TIME", "EVENT", "MESSAGE"];
  return ["Events:", ...table(headers, rows).split("\n").map((line) => `  ${line}`)];
}

/** kubectl describe pod. */
export function describePod(state: ClusterState, events: readonly ClusterEvent[], name: string, namespace: string, start = DEFAULT_START_TIME): string[] {
  const key = name.includes("/") ? name : `${namespace}/${name}`;
  const pod: PodState | undefined = state.pods[key];
  if (pod === undefined) throw new InputError(`pods "${key}" not found at this tick`);
  const spec = pod.pod;
  const lines = [
    `Name:               ${spec.name}`,
    `Namespace:          ${spec.namespace}`,
    `Priority:           ${spec.priority}`,
    ...(spec.priorityClassName !== undefined ? [`Priority Class Name:  ${spec.priorityClassName}`] : []),
    ...(spec.preemptionPolicy === "Never" ? ["Preemption Policy:  Never"] : []),
    ...(pod.nominatedNode !== undefined ? [`Nominated Node Name:  ${pod.nominatedNode}`] : []),
    `Node:               ${pod.node ?? "<none>"}`,
    `Start Time:         ${pod.startedAt === undefined ? "<none>" : `${formatRfc1123z(start + pod.startedAt)} (tick ${formatTick(pod.startedAt)})`}`,
    `Labels:             ${Object.entries(spec.labels).map(([k, v]) => `${k}=${v}`).join(", ") || "<none>"}`,
    `Status:             ${podDisplayStatus(pod)}`,
    ...(pod.reason !== undefined ? [`Reason:             ${pod.reason}`] : []),
    ...(pod.message !== undefined ? [`Message:            ${pod.message}`] : []),
    `IP:                 ${pod.startedAt === undefined ? "<none>" : podIP(pod)}`,
    `QoS Class:          ${podQOSClass(spec)}`,
    `Restart Policy:     ${spec.restartPolicy}`,
    `Restarts:           ${pod.restartCount}`,
    ...(pod.deletionDeadline !== undefined ? [`Terminating until:  ${formatTick(pod.deletionDeadline)}`] : []),
    `Requests (counted against its node):`,
    ...resourceLines(pod.request, "  "),
  ];
  const containers = (title: string, list: typeof spec.containers) => {
    if (list.length === 0) return [];
    return [`${title}:`, ...list.flatMap((container) => [
      `  ${container.name}:`,
      `    Image:      ${container.image}`,
      `    Ports:      ${container.ports.map((port) => `${port.containerPort}/${port.protocol}`).join(", ") || "<none>"}`,
      ...(container.restartPolicy ? [`    Restart:    ${container.restartPolicy} (sidecar)`] : []),
      `    Requests:   ${inline(container.requests)}`,
      `    Limits:     ${inline(container.limits)}`,
    ])];
  };
  lines.push(...containers("Init Containers", spec.initContainers), ...containers("Containers", spec.containers));
  if (spec.overhead) lines.push(`Overhead:           ${inline(spec.overhead)}`);
  if (spec.resources) lines.push(`Pod Requests:       ${inline(spec.resources.requests)}`, `Pod Limits:         ${inline(spec.resources.limits)}`);
  // kubectl's Conditions block, its Ready row: since when (the condition's last transition), or why not.
  if (pod.phase === "Running" || pod.disruption !== undefined) {
    lines.push("Conditions:", "  Type              Status");
    if (pod.phase === "Running") lines.push(`  Ready             ${pod.readySince === undefined ? "False" : `True (since ${formatTick(pod.readySince)})`}`);
    // Set by the controller that chose the pod for disruption (taint eviction, PodGC, an eviction).
    if (pod.disruption !== undefined) lines.push(`  DisruptionTarget  True (since ${formatTick(pod.disruption.at)}): ${pod.disruption.reason}: ${pod.disruption.message}`);
  }
  if (pod.orphaned === true) lines.push(`Orphaned:           its node ${pod.node ?? ""} was deleted; PodGC deletes the pod after its 40 s quarantine`);
  lines.push(`Node-Selectors:     ${Object.entries(spec.nodeSelector).map(([k, v]) => `${k}=${v}`).join(", ") || "<none>"}`);
  // kubectl's printTolerationsMultiline: key[=value][:effect] [op=Exists] [for Ns].
  const toleration = (t: (typeof spec.tolerations)[number]) => `${t.key ?? ""}${t.value ? `=${t.value}` : ""}${t.effect ? `:${t.effect}` : ""}${t.operator === "Exists" && !t.value ? (t.key ? " op=Exists" : "op=Exists") : ""}${t.tolerationSeconds !== undefined ? ` for ${t.tolerationSeconds}s` : ""}`;
  lines.push(`Tolerations:        ${spec.tolerations.map(toleration).join(", ") || "<none>"}`);
  for (const line of eventLines(events, (event) => "pod" in event && event.pod === key, state.options.fitBy, false)) lines.push(line);
  return lines;
}

/**
 * kubectl describe node's Conditions block, its Ready row: the kubelet's heartbeat (its lease,
 * renewed every 10 s from the join, the last one before it stopped) and the reason kube writes:
 * `KubeletReady` "kubelet is posting ready status", or the node lifecycle controller's
 * `NodeStatusUnknown` "Kubelet stopped posting node status.".
 */
function nodeConditionLines(node: NodeState, at: number): string[] {
  const heartbeat = DEFAULT_NODE_LIFECYCLE.heartbeatSeconds;
  const joined = node.joinedAt ?? 0;
  const last = node.kubeletStoppedAt !== undefined ? lastHeartbeat(joined, node.kubeletStoppedAt, heartbeat) : joined + heartbeat * Math.floor(Math.max(0, at - joined) / heartbeat);
  const status = node.node.ready;
  const [reason, message] = status === "True" ? ["KubeletReady", "kubelet is posting ready status"] : status === "Unknown" ? ["NodeStatusUnknown", "Kubelet stopped posting node status."] : ["KubeletNotReady", "the kubelet reports the node not ready"];
  const rows = [
    // The eviction manager's condition (KubeletHasInsufficientMemory while memory.available is under its threshold, and 5 minutes after).
    node.memoryPressureSince !== undefined
      ? ["MemoryPressure", "True", formatTick(last), formatTick(node.memoryPressureSince), "KubeletHasInsufficientMemory", "kubelet has insufficient memory available"]
      : ["MemoryPressure", node.kubeletStoppedAt !== undefined && status === "Unknown" ? "Unknown" : "False", formatTick(last), "-", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
    ["Ready", status, formatTick(last), formatTick(node.readyTransitionAt ?? joined), reason, message],
  ];
  return [
    "Conditions:",
    ...table(["Type", "Status", "LastHeartbeatTime", "LastTransitionTime", "Reason", "Message"], rows).split("\n").map((line) => `  ${line}`),
    `Kubelet:            ${node.kubeletStoppedAt === undefined ? "running" : `stopped at ${formatTick(node.kubeletStoppedAt)} (failNode): it posts no status and renews no lease`}`,
  ];
}

/** kubectl describe node; `at` is the tick looked at. */
export function describeNode(state: ClusterState, events: readonly ClusterEvent[], name: string, at: number = state.t): string[] {
  const node: NodeState | undefined = state.nodes[name];
  if (node === undefined) throw new InputError(`nodes "${name}" not found at this tick`);
  const spec = node.node;
  const allocated = ["cpu", "memory", ...Object.keys(spec.allocatable).filter((r) => r !== "cpu" && r !== "memory" && r !== PODS).sort()].map((resource) => {
    const allocatable = spec.allocatable[resource] ?? 0;
    const requested = node.requested[resource] ?? 0;
    const percent = allocatable > 0 ? ` (${Math.round((100 * requested) / allocatable)}%)` : "";
    return [resource, `${formatAmount(resource, requested)}${percent}`, formatAmount(resource, allocatable)];
  });
  allocated.push([PODS, `${node.pods.length}`, `${spec.allocatable[PODS] ?? 0}`]);
  const podRows = node.pods.map((key) => {
    const pod = state.pods[key] as PodState;
    return [key, podDisplayStatus(pod), formatCpuMillis(pod.request["cpu"] ?? 0), formatAmount("memory", pod.request["memory"] ?? 0)];
  });
  // The node's GPU cards (core/gpu), as the pods bound to cards hold them: each card's milli-GPU taken and by whom.
  const cards = gpuNodeOf(spec);
  const cardRows: string[][] = [];
  if (cards.count > 0) {
    const holders = new Map<number, string[]>();
    for (const key of node.pods) {
      const pod = state.pods[key] as PodState;
      const request = gpuRequestOf(pod.pod);
      if (pod.gpus === undefined || request === undefined || "problem" in request) continue;
      for (const card of pod.gpus) holders.set(card, [...(holders.get(card) ?? []), `${key} (${request.gpuMilli}m)`]);
    }
    const idle = idleCards(spec, node.pods.map((key) => state.pods[key] as PodState));
    for (let card = 0; card < cards.count; card++) {
      const used = MILLI_PER_GPU - (idle[card] as number);
      cardRows.push([String(card), cards.model || "-", `${used}m (${Math.round((100 * used) / MILLI_PER_GPU)}%)`, `${idle[card]}m`, (holders.get(card) ?? []).join(", ") || "<none>"]);
    }
  }
  return [
    `Name:               ${name}`,
    `Labels:             ${Object.entries(spec.labels).map(([k, v]) => `${k}=${v}`).join(", ") || "<none>"}`,
    `Status:             ${nodeStatus(node)}`,
    `Unschedulable:      ${spec.unschedulable}`,
    `Taints:             ${spec.taints.map((taint) => `${taint.key}${taint.value ? `=${taint.value}` : ""}:${taint.effect}`).join(", ") || "<none>"}`,
    ...nodeConditionLines(node, at),
    "Capacity:",
    ...resourceLines(spec.capacity, "  "),
    "Allocatable:",
    ...resourceLines(spec.allocatable, "  "),
    "Allocated resources:",
    ...table(["Resource", "Requests", "Allocatable"], allocated).split("\n").map((line) => `  ${line}`),
    ...(cardRows.length === 0 ? [] : [`GPU cards (${cards.count}):`, ...table(["CARD", "MODEL", "ALLOCATED", "IDLE", "PODS"], cardRows).split("\n").map((line) => `  ${line}`)]),
    `Pods holding resources (${node.pods.length}):`,
    ...(podRows.length === 0 ? ["  <none>"] : table(["NAME", "STATUS", "CPU", "MEMORY"], podRows).split("\n").map((line) => `  ${line}`)),
    ...eventLines(events, (event) => "node" in event && event.node === name, state.options.fitBy, true),
  ];
}
