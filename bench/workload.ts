/**
 * The seeded workload generator every benchmark shares (DESIGN.md "Benchmarks"): nodes of
 * 64 cores / 256 GiB / 110 pods (or a heterogeneous mix), pods requesting 50–1500m CPU and
 * 128 MiB–6 GiB memory, drawn independently.
 *
 * Randomness is derived, not drawn in sequence: each (seed, purpose, entity) has its own stream,
 * so changing one count does not shift every other draw (common random numbers).
 */
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { Node, Pod } from "../core/index.js";

const GIB = 2 ** 30;
const MIB = 2 ** 20;

/** A 32-bit FNV-1a hash of (seed, purpose, entity): the seed of that entity's stream. */
export function streamSeed(seed: number, purpose: string, entity: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (const character of `${purpose}#${entity}`) hash = Math.imul(hash ^ character.charCodeAt(0), 0x01000193);
  return hash | 0;
}

/** A uniform integer in [from, to] for (seed, purpose, entity). */
export function draw(seed: number, purpose: string, entity: number, from: number, to: number): number {
  return uniformInt(xoroshiro128plus(streamSeed(seed, purpose, entity)), from, to);
}

export type NodeShape = "standard" | "mixed";

/** `count` nodes named node-00001 …; `mixed` draws 16/32/64/96 cores with 4 GiB per core. */
export function makeNodes(count: number, seed: number, shape: NodeShape = "standard"): Node[] {
  const width = Math.max(5, String(count).length);
  return Array.from({ length: count }, (_, index) => {
    const cores = shape === "standard" ? 64 : ([16, 32, 64, 96][draw(seed, "node-shape", index, 0, 3)] as number);
    const allocatable = { cpu: cores * 1000, memory: cores * 4 * GIB, pods: 110 };
    return {
      name: `node-${String(index + 1).padStart(width, "0")}`,
      labels: {},
      annotations: {},
      taints: [],
      unschedulable: false,
      capacity: allocatable,
      allocatable,
      ready: "True" as const,
    };
  });
}

// Empty parts every generated pod shares (frozen): a million pods should not hold a million of each.
const NONE: Readonly<Record<string, never>> = Object.freeze({});
const NO_ITEMS: readonly never[] = Object.freeze([]);

/** `count` pods named pod-0000001 …, cpu 50–1500m and memory 128 MiB–6 GiB, independent. */
export function makePods(count: number, seed: number, durationSeconds?: number): Pod[] {
  const width = Math.max(7, String(count).length);
  const sim = durationSeconds === undefined ? NONE : Object.freeze({ durationSeconds });
  return Array.from({ length: count }, (_, index) => ({
    namespace: "default",
    name: `pod-${String(index + 1).padStart(width, "0")}`,
    labels: NONE,
    annotations: NONE,
    containers: [{
      name: "app",
      image: "example/app:1",
      ports: NO_ITEMS,
      requests: { cpu: draw(seed, "pod-cpu", index, 50, 1500), memory: draw(seed, "pod-memory", index, 128, 6 * 1024) * MIB },
      limits: NONE,
    }],
    initContainers: NO_ITEMS,
    restartPolicy: "Never" as const,
    priority: 0,
    schedulerName: "default-scheduler",
    nodeSelector: NONE,
    tolerations: NO_ITEMS,
    schedulingGates: NO_ITEMS,
    terminationGracePeriodSeconds: 30,
    sim,
  }));
}
