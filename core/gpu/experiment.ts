/**
 * The FGD paper's experiment (Weng et al., ATC'23, §6; their simulator's pkg/simulator), as
 * their scripts run it for the openb traces:
 *
 * 1. the workload: the trace's pods sorted by name and shuffled with the seed; then clones drawn
 *    uniformly (with replacement) from the name-sorted trace are appended until the next clone
 *    would take the submitted GPU request above `inflation` (1.3) × the cluster's milli-GPU.
 *    Their check (`tuneUpPods`) compares the clone's milli-GPU *per card* against the room left
 *    while it adds the clone's whole request; kept as they wrote it. A workload without any GPU
 *    request gets no clones (it could never reach the target);
 * 2. the nodes: a seeded random order of the nodes (sorted by name) breaks ties between equal
 *    scores (their scheduler takes the smallest name, and names get a random prefix per seed);
 * 3. each pod is tried once, in order, on every node (percentageOfNodesToScore 100): filtered
 *    (cpu, memory, pods, the GPU rules of policies.ts's `cardsFit`), scored by the policy, placed
 *    on the best node, its cards chosen as the policy chooses them; a pod that fits nowhere
 *    counts as failed and is dropped — no retry, no preemption, no departures;
 * 4. after every pod: the GPU request submitted so far (failed pods included), the milli-GPU
 *    allocated, and the cluster's fragmentation (frag.ts) against the trace's typical pods.
 *
 * The state is typed arrays that this function alone owns: nothing outside it sees them change.
 * Scores are kept per (node, pod shape) until the node changes (a placement changes one node),
 * so a pod scores only the nodes changed since its shape last came.
 */
import { nodeFragAmount, typicalPods, type GpuShape, type TypicalPod } from "./frag.js";
import { MILLI_PER_GPU, type GpuNodeSpec, type GpuPodSpec } from "./model.js";
import { cardsFit, fgdScore, freeCards, gpuAffinityTag, policyScore, tightestCard, type GpuNodeWithPods, type GpuPolicy } from "./policies.js";
import { SeededRandom } from "./random.js";

export interface FgdExperimentOptions {
  readonly policy: GpuPolicy;
  readonly seed: number;
  /** Submit until the GPU request reaches this share of the cluster's milli-GPU (1.3). */
  readonly inflation?: number;
  /** The typical pods of the fragmentation measure; default: the trace's (typicalPods). */
  readonly typical?: readonly TypicalPod[];
  /** The pods each node may hold (the trace's nodes say 1001). */
  readonly maxPods?: number;
}

/** One row per pod tried, in order. */
export interface FgdExperimentRun {
  readonly policy: GpuPolicy;
  readonly seed: number;
  /** The cluster's milli-GPU. */
  readonly capacityMilli: number;
  readonly pods: number;
  readonly failed: number;
  /** The milli-GPU submitted once the pod was tried (every pod so far, failed ones too). */
  readonly arrivedMilli: Float64Array;
  /** The milli-GPU allocated after it. */
  readonly allocatedMilli: Float64Array;
  /** The cluster's fragmentation amount after it, in milli-GPU. */
  readonly fragMilli: Float64Array;
  /** The idle milli-GPU after it. */
  readonly idleMilli: Float64Array;
}

/** The experiment's workload: the trace shuffled, then clones up to `inflation` × capacity (see the file's comment). */
export function fgdWorkload(pods: readonly GpuPodSpec[], capacityMilli: number, inflation: number, random: SeededRandom): GpuPodSpec[] {
  const sorted = [...pods].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const order = random.shuffle([...sorted]);
  let total = 0;
  for (const pod of sorted) total += pod.gpuMilli * pod.gpuCount;
  const target = inflation * capacityMilli;
  // Without a GPU request no clone could ever reach the target (theirs would clone forever).
  if (total >= target || !sorted.some((pod) => pod.gpuCount > 0 && pod.gpuMilli > 0)) return order;
  for (let i = 0; ; i++) {
    const clone = sorted[random.int(sorted.length)] as GpuPodSpec;
    if (total + clone.gpuMilli > target) break;
    total += clone.gpuMilli * clone.gpuCount;
    order.push({ ...clone, name: `${clone.name}-tuned-${i}` });
  }
  return order;
}

/** Runs the experiment for one policy and seed: see the file's comment. */
export function runFgdExperiment(nodeSpecs: readonly GpuNodeSpec[], podSpecs: readonly GpuPodSpec[], options: FgdExperimentOptions): FgdExperimentRun {
  const random = new SeededRandom(options.seed);
  const typical = options.typical ?? typicalPods(podSpecs);
  const specs = [...nodeSpecs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const n = specs.length;
  let capacityMilli = 0;
  for (const spec of specs) capacityMilli += spec.gpus * MILLI_PER_GPU;
  const pods = fgdWorkload(podSpecs, capacityMilli, options.inflation ?? 1.3, random);
  const rank = random.permutation(n);
  const policy = options.policy;

  // The nodes' state: one object per node (the policies read them), its counters in typed arrays.
  const nodes: { cpuLeft: number; cards: Int32Array; model: string; affinity: Map<string, number> }[] = specs.map((spec) => ({
    cpuLeft: spec.cpuMilli,
    cards: new Int32Array(spec.gpus).fill(MILLI_PER_GPU),
    model: spec.model,
    affinity: new Map(),
  }));
  const cpuLeft = Int32Array.from(specs, (spec) => spec.cpuMilli);
  const memoryLeft = Float64Array.from(specs, (spec) => spec.memoryMib);
  const podsLeft = new Int32Array(n).fill(options.maxPods ?? 1001);
  const mostIdle = Int32Array.from(specs, (spec) => (spec.gpus > 0 ? MILLI_PER_GPU : 0));
  const freeCount = Int32Array.from(specs, (spec) => spec.gpus);
  const frag = Float64Array.from(nodes, (node) => nodeFragAmount(node, typical));
  let clusterFrag = 0;
  let idle = 0;
  for (let i = 0; i < n; i++) {
    clusterFrag += frag[i] as number;
    idle += (specs[i] as GpuNodeSpec).gpus * MILLI_PER_GPU;
  }
  let weights = 0;
  for (const pod of typical) weights += pod.weight;

  // Scores by (node, shape), −1 until computed; FGD's card by the same key.
  const shapes = new Map<string, number>();
  const shapeOf = (pod: GpuShape) => {
    const key = `${pod.cpuMilli}/${pod.gpuMilli}/${pod.gpuCount}/${pod.gpuModels.join("|")}`;
    let shape = shapes.get(key);
    if (shape === undefined) shapes.set(key, (shape = shapes.size));
    return shape;
  };
  for (const pod of pods) shapeOf(pod);
  const width = shapes.size;
  const scores = new Int16Array(n * width).fill(-1);
  const fgdCards = new Int8Array(n * width);

  const arrivedMilli = new Float64Array(pods.length);
  const allocatedMilli = new Float64Array(pods.length);
  const fragMilli = new Float64Array(pods.length);
  const idleMilli = new Float64Array(pods.length);
  const feasible = new Int32Array(n);
  let arrived = 0;
  let failed = 0;

  for (let p = 0; p < pods.length; p++) {
    const pod = pods[p] as GpuPodSpec;
    const shape = shapeOf(pod);
    arrived += pod.gpuMilli * pod.gpuCount;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if ((cpuLeft[i] as number) < pod.cpuMilli || (memoryLeft[i] as number) < pod.memoryMib || (podsLeft[i] as number) < 1) continue;
      const node = nodes[i] as GpuNodeWithPods;
      if (pod.gpuCount > 0) {
        if (pod.gpuCount === 1 ? (mostIdle[i] as number) < pod.gpuMilli : (freeCount[i] as number) < pod.gpuCount) continue;
        if (!cardsFit(node, pod)) continue; // the model
      }
      feasible[count++] = i;
    }
    let chosen = -1;
    if (count === 1) chosen = feasible[0] as number;
    else if (count > 1 && policy === "Random") chosen = feasible[random.int(count)] as number;
    else if (count > 1) {
      let best = -1;
      for (let k = 0; k < count; k++) {
        const i = feasible[k] as number;
        const slot = i * width + shape;
        let score = scores[slot] as number;
        if (score < 0) {
          const node = nodes[i] as GpuNodeWithPods;
          if (policy === "FGD") {
            const scored = fgdScore(node, pod, typical, frag[i] as number);
            score = scored.score;
            fgdCards[slot] = scored.cards[0] ?? -1;
          } else score = policyScore(policy, node, pod, typical);
          scores[slot] = score;
        }
        if (score > best || (score === best && (rank[i] as number) < (rank[chosen] as number))) {
          best = score;
          chosen = i;
        }
      }
    }
    if (chosen < 0) failed++;
    else {
      const node = nodes[chosen] as (typeof nodes)[number];
      let cards: readonly number[] = [];
      if (pod.gpuCount === 1 && pod.gpuMilli < MILLI_PER_GPU) {
        if (policy === "Random") {
          // A fitting card drawn uniformly (their reservoir sampling in device order).
          let seen = 0;
          let card = -1;
          for (let c = 0; c < node.cards.length; c++) if ((node.cards[c] as number) >= pod.gpuMilli && random.int(++seen) === 0) card = c;
          cards = [card];
        } else if (policy === "FGD") {
          const slot = chosen * width + shape;
          // A pod that was the only feasible one was never scored: score it now for its card.
          cards = (scores[slot] as number) >= 0 ? [fgdCards[slot] as number] : fgdScore(node, pod, typical, frag[chosen] as number).cards;
        } else cards = [tightestCard(node.cards, pod.gpuMilli)];
      } else if (pod.gpuCount > 0) cards = freeCards(node.cards, pod.gpuCount) ?? [];
      node.cpuLeft -= pod.cpuMilli;
      cpuLeft[chosen] = node.cpuLeft;
      memoryLeft[chosen] = (memoryLeft[chosen] as number) - pod.memoryMib;
      podsLeft[chosen] = (podsLeft[chosen] as number) - 1;
      for (const c of cards) {
        node.cards[c] = (node.cards[c] as number) - pod.gpuMilli;
        idle -= pod.gpuMilli;
      }
      if (pod.gpuCount > 0) {
        const tag = gpuAffinityTag(pod);
        node.affinity.set(tag, (node.affinity.get(tag) ?? 0) + 1);
      }
      let most = 0;
      let free = 0;
      for (const left of node.cards) {
        if (left > most) most = left;
        if (left === MILLI_PER_GPU) free++;
      }
      mostIdle[chosen] = most;
      freeCount[chosen] = free;
      const after = nodeFragAmount(node, typical);
      clusterFrag += after - (frag[chosen] as number);
      frag[chosen] = after;
      scores.fill(-1, chosen * width, chosen * width + width);
    }
    arrivedMilli[p] = arrived;
    allocatedMilli[p] = capacityMilli - idle;
    fragMilli[p] = clusterFrag;
    idleMilli[p] = idle * weights;
  }
  return { policy, seed: options.seed, capacityMilli, pods: pods.length, failed, arrivedMilli, allocatedMilli, fragMilli, idleMilli };
}

/** Rounds half to even (numpy's round) to `digits` decimals. */
export function roundHalfEven(value: number, digits = 0): number {
  const scale = 10 ** digits;
  const scaled = value * scale;
  const floor = Math.floor(scaled);
  const rest = scaled - floor;
  const epsilon = 1e-9;
  let rounded: number;
  if (rest > 0.5 + epsilon) rounded = floor + 1;
  else if (rest < 0.5 - epsilon) rounded = floor;
  else rounded = floor % 2 === 0 ? floor : floor + 1;
  return rounded / scale;
}

/** One run's figures at a whole arrived percentage. */
export interface FgdPoint {
  /** Allocated milli-GPU, % of capacity. */
  readonly gpuAllocation: number;
  /** Fragmentation amount, % of capacity. */
  readonly fragAmount: number;
  /** Fragmentation, % of the idle milli-GPU. */
  readonly fragRatio: number;
}

/**
 * A run's figures by arrived workload, as their analysis scripts compute them
 * (experiments/analysis/merge_*_discrete.py): each pod's row is filed under its arrived
 * percentage rounded half to even; the value at x is the mean of the rows filed under x (if
 * none, of those under x−1 … x+1; if none, no value), allocation and amount rounded to 2
 * decimals; each row's ratio is first rounded to 2 decimals, as their log prints it.
 */
export function fgdByArrived(run: FgdExperimentRun, upTo = 130): Map<number, FgdPoint> {
  const buckets = new Map<number, number[]>();
  const capacityPercent = run.capacityMilli / 100;
  for (let p = 0; p < run.pods; p++) {
    const x = roundHalfEven((run.arrivedMilli[p] as number) / capacityPercent);
    let bucket = buckets.get(x);
    if (bucket === undefined) buckets.set(x, (bucket = []));
    bucket.push(p);
  }
  const result = new Map<number, FgdPoint>();
  for (let x = 0; x <= upTo; x++) {
    let rows = buckets.get(x);
    if (rows === undefined) rows = [...(buckets.get(x - 1) ?? []), ...(buckets.get(x) ?? []), ...(buckets.get(x + 1) ?? [])];
    if (rows.length === 0) continue;
    let allocation = 0;
    let amount = 0;
    let ratio = 0;
    for (const p of rows) {
      allocation += roundHalfEven((run.allocatedMilli[p] as number) / capacityPercent, 2);
      amount += run.fragMilli[p] as number;
      const idle = run.idleMilli[p] as number;
      ratio += idle > 0 ? roundHalfEven((100 * (run.fragMilli[p] as number)) / idle, 2) : 0;
    }
    result.set(x, {
      gpuAllocation: roundHalfEven(allocation / rows.length, 2),
      fragAmount: roundHalfEven(amount / rows.length / capacityPercent, 2),
      fragRatio: ratio / rows.length,
    });
  }
  return result;
}

/** The median of some numbers (the mean of the two middle ones for an even count), as numpy's. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
