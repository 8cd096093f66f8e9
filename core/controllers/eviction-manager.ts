/**
 * The kubelet's eviction manager for memory (kube v1.35 pkg/kubelet/eviction/eviction_manager.go,
 * helpers.go), from `sim.timoneiro.dev/memory-usage`: a pod's containers use that much while they
 * run (a pod without it uses nothing the eviction manager sees).
 *
 * | rule | as the kubelet does it |
 * |------|------------------------|
 * | signal | memory.available = the node's memory capacity − the working set of its running pods |
 * | threshold | the default hard threshold `memory.available<100Mi` |
 * | the loop | a pass every 10 s (`evictionMonitoringPeriod`) from the kubelet's start (its node's join); after a pass that evicted a pod, it waits for the pod's cleanup (polled every second; a hard eviction kills at once, so 1 s) and passes again at once |
 * | MemoryPressure | True from a pass that sees the threshold crossed, until a pass 5 min (`evictionPressureTransitionPeriod`) or more after the last one that saw it (`KubeletHasInsufficientMemory` / `KubeletHasSufficientMemory`); the node lifecycle controller taints `node.kubernetes.io/memory-pressure:NoSchedule` meanwhile |
 * | which pod | one per pass, in `rankMemoryPressure` order: pods using more than their memory request first, then lower priority first, then the most usage above request; ties by name |
 * | the eviction | `DisruptionTarget` (`TerminationByKubelet`), the pod killed at once (a hard threshold: grace 0), phase Failed, reason `Evicted`, kube's message: "The node was low on resource: memory. Threshold quantity: 100Mi, available: 48Mi. Container app was using 1Gi, request is 512Mi, has larger consumption of memory. " |
 * | admission | while MemoryPressure is True, a new BestEffort pod is refused: Failed, `Evicted`, "The node had condition: [MemoryPressure]. " (in kubelet.ts) |
 *
 * A kubelet that is down (`KubeletStopped`) runs no pass. Here: `PodEvicted` (reason `Evicted`),
 * then `PodFailed` (`Evicted`) and `ResourcesFreed`.
 */
import type { ClusterEvent, EventDraft } from "../events/events.js";
import type { NodeState, PodState } from "../cluster/state.js";
import type { PodKey } from "../model/pod.js";
import { MEMORY } from "../model/resources.js";
import { formatQuantity } from "../quantity/quantity.js";
import type { ClusterReader, ControllerTimer, Reaction } from "./controller.js";

/** The default hard threshold, `memory.available<100Mi`. */
export const MEMORY_AVAILABLE_THRESHOLD = 100 * 2 ** 20;
export const EVICTION_MONITORING_SECONDS = 10;
export const PRESSURE_TRANSITION_SECONDS = 300;
/** `podCleanupPollFreq`: how soon after an eviction the next pass runs. */
export const POD_CLEANUP_SECONDS = 1;

export interface EvictionTimer {
  readonly kind: "evictionPass";
  readonly node: string;
}

interface NodeMemory {
  /** Σ usage of its running pods. */
  used: number;
  readonly pods: Map<PodKey, number>;
  /** The tick its loop's passes are counted from (its join; after an eviction, the pass after the cleanup). */
  anchor: number;
  lastBreach?: number;
  /** Passes on the agenda. */
  readonly passes: Set<number>;
}

/** A quantity as the kubelet prints a byte count (BinarySI: `100Mi`, `48064Ki`, or plain bytes). */
export function binaryQuantity(bytes: number): string {
  return formatQuantity({ nanos: BigInt(bytes) * 1_000_000_000n, format: "BinarySI" });
}

export class EvictionManager {
  private readonly nodes = new Map<string, NodeMemory>();
  /** Where each pod with a usage runs. */
  private readonly podNode = new Map<PodKey, string>();

  onEvent(reader: ClusterReader, event: ClusterEvent, now: number): Reaction<EvictionTimer> {
    switch (event.type) {
      case "PodStarted":
      case "ContainerRestarted": {
        const pod = reader.pod(event.pod);
        const usage = pod?.pod.sim.memoryUsageBytes ?? 0;
        if (pod === undefined || pod.node === undefined || usage <= 0) return NONE;
        const node = this.memory(reader, pod.node);
        if (node.pods.has(event.pod)) return NONE;
        node.pods.set(event.pod, usage);
        this.podNode.set(event.pod, pod.node);
        node.used += usage;
        return this.schedule(pod.node, node, now);
      }
      case "ContainerFailed":
      case "ContainerCompleted":
      case "PodSucceeded":
      case "PodFailed":
      case "ResourcesFreed": {
        const name = this.podNode.get(event.pod);
        const node = name === undefined ? undefined : this.nodes.get(name);
        this.podNode.delete(event.pod);
        const usage = node?.pods.get(event.pod);
        if (name === undefined || node === undefined || usage === undefined) return NONE;
        node.pods.delete(event.pod);
        node.used -= usage;
        if (node.pods.size === 0 && node.lastBreach === undefined && node.passes.size === 0) this.nodes.delete(name);
        return NONE;
      }
      case "KubeletStarted": {
        // Its loop starts again with the kubelet (a pass skipped while it was down ended the chain).
        const node = this.nodes.get(event.node);
        if (node === undefined) return NONE;
        node.anchor = now;
        return this.schedule(event.node, node, now);
      }
      case "NodeRemoved": {
        const node = this.nodes.get(event.node);
        for (const key of node?.pods.keys() ?? []) this.podNode.delete(key);
        this.nodes.delete(event.node);
        return NONE;
      }
      default:
        return NONE;
    }
  }

  /** A pass of the node's loop: its MemoryPressure condition, and at most one eviction. */
  onTimer(reader: ClusterReader, timer: EvictionTimer, now: number): Reaction<EvictionTimer> {
    const memory = this.nodes.get(timer.node);
    if (memory === undefined || !memory.passes.delete(now)) return NONE;
    const node = reader.node(timer.node);
    if (node === undefined || node.kubeletStoppedAt !== undefined) return NONE;
    const capacity = node.node.capacity[MEMORY] ?? node.node.allocatable[MEMORY] ?? 0;
    const available = capacity - memory.used;
    const breached = available < MEMORY_AVAILABLE_THRESHOLD;
    if (breached) memory.lastBreach = now;
    const pressure = memory.lastBreach !== undefined && now - memory.lastBreach < PRESSURE_TRANSITION_SECONDS;
    const drafts: EventDraft[] = [];
    const had = node.memoryPressureSince !== undefined;
    if (pressure !== had) drafts.push({ type: "NodeConditionChanged", node: timer.node, condition: "MemoryPressure", status: pressure ? "True" : "False" });
    const timers: ControllerTimer<EvictionTimer>[] = [];
    const victim = breached ? this.victim(reader, node, memory) : undefined;
    if (victim !== undefined) {
      const [key, pod] = victim;
      const message = evictionMessage(pod, memory.pods.get(key) ?? 0, available);
      drafts.push(
        { type: "PodEvicted", pod: key, reason: "Evicted", message },
        { type: "PodFailed", pod: key, reason: "Evicted", message },
        { type: "ResourcesFreed", pod: key, node: timer.node },
      );
      memory.anchor = now + POD_CLEANUP_SECONDS;
      this.pass(timer.node, memory, memory.anchor, timers);
    } else if (pressure) {
      // Still under pressure: the loop goes on every 10 s until the condition can clear.
      this.pass(timer.node, memory, this.nextPass(memory, now + 1), timers);
    } else if (memory.pods.size === 0 && memory.passes.size === 0) {
      this.nodes.delete(timer.node);
    }
    if (!pressure) memory.lastBreach = undefined;
    return { drafts, timers };
  }

  /** `rankMemoryPressure`: over usage first, then lower priority, then usage above request; ties by name. */
  private victim(reader: ClusterReader, node: NodeState, memory: NodeMemory): [PodKey, PodState] | undefined {
    const candidates: [PodKey, PodState, number, number][] = [];
    for (const key of node.pods) {
      const pod = reader.pod(key);
      if (pod === undefined || pod.phase !== "Running" || pod.deletionDeadline !== undefined) continue;
      const usage = memory.pods.get(key) ?? 0;
      candidates.push([key, pod, usage, usage - (pod.request[MEMORY] ?? 0)]);
    }
    candidates.sort((a, b) => {
      const overA = a[3] > 0 ? 0 : 1;
      const overB = b[3] > 0 ? 0 : 1;
      if (overA !== overB) return overA - overB;
      if (a[1].pod.priority !== b[1].pod.priority) return a[1].pod.priority - b[1].pod.priority;
      if (a[3] !== b[3]) return b[3] - a[3];
      return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
    });
    const first = candidates[0];
    return first === undefined ? undefined : [first[0], first[1]];
  }

  private memory(reader: ClusterReader, name: string): NodeMemory {
    let memory = this.nodes.get(name);
    if (memory === undefined) {
      memory = { used: 0, pods: new Map(), anchor: reader.node(name)?.joinedAt ?? 0, passes: new Set() };
      this.nodes.set(name, memory);
    }
    return memory;
  }

  /** The loop's next pass at or after `t`. */
  private nextPass(memory: NodeMemory, t: number): number {
    return memory.anchor + EVICTION_MONITORING_SECONDS * Math.max(0, Math.ceil((t - memory.anchor) / EVICTION_MONITORING_SECONDS));
  }

  private schedule(name: string, memory: NodeMemory, now: number): Reaction<EvictionTimer> {
    const timers: ControllerTimer<EvictionTimer>[] = [];
    this.pass(name, memory, this.nextPass(memory, now), timers);
    return timers.length === 0 ? NONE : { drafts: [], timers };
  }

  /** A pass at `at` into `timers`, unless one is on the agenda there already. */
  private pass(name: string, memory: NodeMemory, at: number, timers: ControllerTimer<EvictionTimer>[]): void {
    if (memory.passes.has(at)) return;
    memory.passes.add(at);
    timers.push({ at, payload: { kind: "evictionPass", node: name } });
  }
}

const NONE: Reaction<EvictionTimer> = Object.freeze({ drafts: Object.freeze([]), timers: Object.freeze([]) });

/** helpers.go evictionMessage, for memory. */
export function evictionMessage(pod: PodState, usage: number, available: number): string {
  let message = `The node was low on resource: memory. Threshold quantity: ${binaryQuantity(MEMORY_AVAILABLE_THRESHOLD)}, available: ${binaryQuantity(Math.max(0, available))}. `;
  const container = pod.pod.containers[0];
  const request = container?.requests[MEMORY] ?? 0;
  if (container !== undefined && usage > request) message += `Container ${container.name} was using ${binaryQuantity(usage)}, request is ${request === 0 ? "0" : binaryQuantity(request)}, has larger consumption of memory. `;
  return message;
}
