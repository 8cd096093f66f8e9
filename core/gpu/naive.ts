/**
 * The FGD experiment's naive twin (experiment.ts is the fast one): every pod scores every
 * feasible node from scratch, and the cluster's figures are summed over all nodes after every
 * pod — no typed arrays, no kept scores, no incremental sums. Tests compare the two; the
 * benchmark measures what the fast one saves.
 */
import { nodeFragAmount, typicalPods } from "./frag.js";
import { fgdWorkload, type FgdExperimentOptions, type FgdExperimentRun } from "./experiment.js";
import { MILLI_PER_GPU, type GpuNodeSpec, type GpuPodSpec } from "./model.js";
import { cardsFit, fgdScore, freeCards, gpuAffinityTag, policyScore, tightestCard } from "./policies.js";
import { SeededRandom } from "./random.js";

/** The experiment, naively: the same rows as runFgdExperiment. */
export function naiveFgdExperiment(nodeSpecs: readonly GpuNodeSpec[], podSpecs: readonly GpuPodSpec[], options: FgdExperimentOptions): FgdExperimentRun {
  const { policy, seed } = options;
  const typical = options.typical ?? typicalPods(podSpecs);
  const random = new SeededRandom(seed);
  const specs = [...nodeSpecs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const capacityMilli = specs.reduce((sum, spec) => sum + spec.gpus * MILLI_PER_GPU, 0);
  const pods = fgdWorkload(podSpecs, capacityMilli, options.inflation ?? 1.3, random);
  const rank = random.permutation(specs.length);
  const nodes = specs.map((spec) => ({ cpuLeft: spec.cpuMilli, memoryLeft: spec.memoryMib, podsLeft: options.maxPods ?? 1001, cards: new Array<number>(spec.gpus).fill(1000), model: spec.model, affinity: new Map<string, number>() }));
  const rows = { arrived: [] as number[], allocated: [] as number[], frag: [] as number[], idle: [] as number[] };
  let arrived = 0;
  let failed = 0;
  for (const p of pods) {
    arrived += p.gpuCount * p.gpuMilli;
    const feasible = nodes.map((_, i) => i).filter((i) => {
      const node = nodes[i] as (typeof nodes)[number];
      return node.cpuLeft >= p.cpuMilli && node.memoryLeft >= p.memoryMib && node.podsLeft >= 1 && cardsFit(node, p);
    });
    let chosen = -1;
    if (feasible.length === 1) chosen = feasible[0] as number;
    else if (feasible.length > 1 && policy === "Random") chosen = feasible[random.int(feasible.length)] as number;
    else {
      let best = -1;
      for (const i of feasible) {
        const node = nodes[i] as (typeof nodes)[number];
        const score = policyScore(policy, node, p, typical);
        if (score > best || (score === best && (rank[i] as number) < (rank[chosen] as number))) {
          best = score;
          chosen = i;
        }
      }
    }
    if (chosen < 0) failed++;
    else {
      const node = nodes[chosen] as (typeof nodes)[number];
      let cards: number[] = [];
      if (p.gpuCount === 1 && p.gpuMilli < 1000) {
        if (policy === "Random") {
          const fitting = node.cards.map((left, c) => (left >= p.gpuMilli ? c : -1)).filter((c) => c >= 0);
          let card = -1;
          fitting.forEach((c, k) => {
            if (random.int(k + 1) === 0) card = c;
          });
          cards = [card];
        } else cards = policy === "FGD" ? fgdScore(node, p, typical).cards : [tightestCard(node.cards, p.gpuMilli)];
      } else if (p.gpuCount > 0) cards = freeCards(node.cards, p.gpuCount) ?? [];
      node.cpuLeft -= p.cpuMilli;
      node.memoryLeft -= p.memoryMib;
      node.podsLeft--;
      for (const c of cards) node.cards[c] = (node.cards[c] as number) - p.gpuMilli;
      if (p.gpuCount > 0) node.affinity.set(gpuAffinityTag(p), (node.affinity.get(gpuAffinityTag(p)) ?? 0) + 1);
    }
    const idle = nodes.reduce((sum, node) => sum + node.cards.reduce((a, b) => a + b, 0), 0);
    rows.arrived.push(arrived);
    rows.allocated.push(capacityMilli - idle);
    rows.frag.push(nodes.reduce((sum, node) => sum + nodeFragAmount(node, typical), 0));
    rows.idle.push(idle * typical.reduce((sum, t) => sum + t.weight, 0));
  }
  return { policy, seed, capacityMilli, pods: pods.length, failed, arrivedMilli: Float64Array.from(rows.arrived), allocatedMilli: Float64Array.from(rows.allocated), fragMilli: Float64Array.from(rows.frag), idleMilli: Float64Array.from(rows.idle) };
}

