/**
 * Scheduling decisions on the fast state, through the free-capacity index: the same answers as
 * `decideOn` (scheduler/policies.ts) over every node, which stays the plain path and the twin the
 * property tests compare this with.
 *
 * The index knows cpu, memory and pod slots. A node it skips would be refused by
 * NodeResourcesFit, so whenever that filter runs for the pod, skipping changes no verdict that
 * matters; every node it offers still goes through all of the profile's filters.
 *
 * - first fit: the index's next fitting node from the last one tried, until one passes;
 * - best / worst fit: the index's answer over all nodes; if a filter refuses it, the plain path;
 * - kube profiles: the sampling walk from `nextStartNodeIndex`, round-robin, asking the index for
 *   the next fitting node instead of visiting each; `processed` counts skipped nodes too, so the
 *   next start is kube's. Then kube's scoring over the feasible nodes found.
 * Whenever no node is feasible the plain path runs: kube's message needs every node's verdict.
 * A PreFilter that rejects or narrows the nodes, or a profile without NodeResourcesFit, takes the
 * plain path too.
 */
import type { PodKey } from "../model/pod.js";
import type { PodState } from "../reference/state.js";
import { filterNode, runPreFilter, selectHost } from "../scheduler/framework/schedule.js";
import { numFeasibleNodesToFind } from "../scheduler/framework/sampling.js";
import { cycleStateWith } from "../scheduler/framework/snapshot.js";
import type { NodeInfo } from "../scheduler/framework/types.js";
import { NODE_RESOURCES_FIT } from "../scheduler/plugins/noderesourcesfit/filter.js";
import { decideOn, FILTER_PROFILE, profileOf, type Decision, type SchedulerChoice } from "../scheduler/policies.js";
import type { StateView } from "./state.js";

/** One scheduling cycle for `key`, as `decide` gives on the reference state. */
export function decideFast(state: StateView, key: PodKey, choice: SchedulerChoice, seed: number): Decision {
  const pod = state.pod(key);
  if (pod === undefined) throw new Error(`decide: no pod ${key}`);
  const order = state.nodeOrder();
  const start = state.nextStartNodeIndex;
  const infoAt = (position: number): NodeInfo => state.nodeInfo(order[position] as number);
  const plain = (): Decision => decideOn(pod, order.map((_, position) => infoAt(position)), start, choice, seed);
  const count = order.length;
  if (count === 0) return plain();

  const profile = choice.policy === "kube" ? profileOf(choice, pod) : FILTER_PROFILE;
  const cycle = cycleStateWith(pod.pod, pod.request, count, state.imageNodeCounts());
  const preFiltered = runPreFilter(profile, cycle);
  if ("rejectedBy" in preFiltered || preFiltered.nodeNames !== undefined) return plain();
  const filters = preFiltered.filters;
  if (!filters.some((plugin) => plugin.name === NODE_RESOURCES_FIT)) return plain();

  const index = state.capacityIndex();
  const { cpu, memory } = indexRequest(pod);
  const feasibleAt = (position: number): NodeInfo | undefined => {
    const info = infoAt(position);
    return filterNode(filters, cycle, info).plugin === undefined ? info : undefined;
  };
  const bind = (info: NodeInfo, nextStartNodeIndex: number): Decision => ({ kind: "bind", node: info.node.name, nextStartNodeIndex });

  if (choice.policy === "first-fit") {
    for (let position = index.firstFit(cpu, memory, 0); position >= 0; position = index.firstFit(cpu, memory, position + 1)) {
      const info = feasibleAt(position);
      if (info !== undefined) return bind(info, start);
    }
    return plain();
  }
  if (choice.policy === "best-fit" || choice.policy === "worst-fit") {
    const position = choice.policy === "best-fit" ? index.bestFit(cpu, memory) : index.worstFit(cpu, memory);
    const info = position >= 0 ? feasibleAt(position) : undefined;
    return info !== undefined ? bind(info, start) : plain();
  }

  // kube: sample round-robin from the start, skipping what cannot fit.
  const wanted = profile.hasScorePlugins ? numFeasibleNodesToFind(count, profile.percentageOfNodesToScore) : 1;
  const first = start % count;
  const feasible: NodeInfo[] = [];
  let processed = count;
  for (let from = first, wrapped = false; ;) {
    let position = index.firstFit(cpu, memory, from);
    if (wrapped && position >= first) position = -1;
    if (position < 0) {
      if (wrapped || first === 0) break;
      wrapped = true;
      from = 0;
      continue;
    }
    const info = feasibleAt(position);
    if (info !== undefined) {
      feasible.push(info);
      if (feasible.length === wanted) {
        processed = ((position - first + count) % count) + 1;
        break;
      }
    }
    from = position + 1;
  }
  const nextStartNodeIndex = (start + processed) % count;
  if (feasible.length === 0) return plain();
  if (feasible.length === 1) return bind(feasible[0] as NodeInfo, nextStartNodeIndex);
  return { kind: "bind", node: selectHost(profile, cycle, feasible, seed, false).selected, nextStartNodeIndex };
}

/** What the index is asked for: the pod's cpu and memory (0 when it requests none). */
function indexRequest(pod: PodState): { cpu: number; memory: number } {
  return { cpu: pod.request["cpu"] ?? 0, memory: pod.request["memory"] ?? 0 };
}
