/**
 * The limit the fast engine is compared against (`reduce/vs-mutable/…`): a plain mutable engine
 * over typed arrays, written only for this comparison. It applies the same five pod events
 * (created, bound, started, succeeded, freed) with the same checks a reducer must make — the pod
 * and node exist, the phase allows it, the pod fits — and keeps nothing old: no sealed states, no
 * log, no queue, no index. What the fast engine costs beyond this is the price of persistence.
 */
import type { ClusterEvent, Node } from "../core/index.js";

const PENDING = 0;
const RUNNING = 1;
const SUCCEEDED = 2;

export class MutableEngine {
  private readonly nodeIds = new Map<string, number>();
  private readonly podIds = new Map<string, number>();
  private nodeCpuFree = new Float64Array(1024);
  private nodeMemoryFree = new Float64Array(1024);
  private nodePodsFree = new Float64Array(1024);
  private podCpu = new Float64Array(1024);
  private podMemory = new Float64Array(1024);
  private podPhase = new Uint8Array(1024);
  private podNode = new Int32Array(1024);
  private podHolds = new Uint8Array(1024);

  private static grown<T extends Float64Array | Int32Array | Uint8Array>(array: T, size: number): T {
    if (size <= array.length) return array;
    const bigger = new (array.constructor as new (length: number) => T)(Math.max(size, array.length * 2));
    bigger.set(array);
    return bigger;
  }

  addNode(node: Node): void {
    const id = this.nodeIds.size;
    this.nodeIds.set(node.name, id);
    this.nodeCpuFree = MutableEngine.grown(this.nodeCpuFree, id + 1);
    this.nodeMemoryFree = MutableEngine.grown(this.nodeMemoryFree, id + 1);
    this.nodePodsFree = MutableEngine.grown(this.nodePodsFree, id + 1);
    this.nodeCpuFree[id] = node.allocatable["cpu"] ?? 0;
    this.nodeMemoryFree[id] = node.allocatable["memory"] ?? 0;
    this.nodePodsFree[id] = node.allocatable["pods"] ?? 0;
  }

  /** Applies one event in place; false if it is refused. */
  apply(event: ClusterEvent): boolean {
    switch (event.type) {
      case "PodCreated": {
        if (this.podIds.has(event.pod)) return false;
        const id = this.podIds.size;
        this.podIds.set(event.pod, id);
        for (const name of ["podCpu", "podMemory", "podPhase", "podNode", "podHolds"] as const) {
          (this as unknown as Record<string, Float64Array | Int32Array | Uint8Array>)[name] = MutableEngine.grown(this[name], id + 1);
        }
        let cpu = 0;
        let memory = 0;
        for (const container of event.spec.containers) {
          cpu += container.requests["cpu"] ?? 0;
          memory += container.requests["memory"] ?? 0;
        }
        this.podCpu[id] = cpu;
        this.podMemory[id] = memory;
        this.podPhase[id] = PENDING;
        this.podNode[id] = -1;
        this.podHolds[id] = 0;
        return true;
      }
      case "PodBound": {
        const pod = this.podIds.get(event.pod);
        const node = this.nodeIds.get(event.node);
        if (pod === undefined || node === undefined || this.podNode[pod] !== -1) return false;
        const cpu = this.podCpu[pod] as number;
        const memory = this.podMemory[pod] as number;
        if (cpu > (this.nodeCpuFree[node] as number) || memory > (this.nodeMemoryFree[node] as number) || (this.nodePodsFree[node] as number) < 1) return false;
        this.nodeCpuFree[node] = (this.nodeCpuFree[node] as number) - cpu;
        this.nodeMemoryFree[node] = (this.nodeMemoryFree[node] as number) - memory;
        this.nodePodsFree[node] = (this.nodePodsFree[node] as number) - 1;
        this.podNode[pod] = node;
        this.podHolds[pod] = 1;
        return true;
      }
      case "PodStarted": {
        const pod = this.podIds.get(event.pod);
        if (pod === undefined || this.podPhase[pod] !== PENDING || this.podHolds[pod] !== 1) return false;
        this.podPhase[pod] = RUNNING;
        return true;
      }
      case "PodSucceeded": {
        const pod = this.podIds.get(event.pod);
        if (pod === undefined || this.podPhase[pod] !== RUNNING) return false;
        this.podPhase[pod] = SUCCEEDED;
        return true;
      }
      case "ResourcesFreed": {
        const pod = this.podIds.get(event.pod);
        if (pod === undefined || this.podHolds[pod] !== 1) return false;
        const node = this.podNode[pod] as number;
        this.nodeCpuFree[node] = (this.nodeCpuFree[node] as number) + (this.podCpu[pod] as number);
        this.nodeMemoryFree[node] = (this.nodeMemoryFree[node] as number) + (this.podMemory[pod] as number);
        this.nodePodsFree[node] = (this.nodePodsFree[node] as number) + 1;
        this.podHolds[pod] = 0;
        return true;
      }
      default:
        return false;
    }
  }
}
