/**
 * How the engine decides where a pod goes: a kube-scheduler profile (the default: kube's default
 * profile, or the profiles of a KubeSchedulerConfiguration), or a classic bin-packing policy that
 * takes the global answer over every feasible node:
 *
 * - `first-fit`: the first feasible node in the scheduler's node order (kube's node tree: join
 *   order, zones interleaved — the order bins were opened in, as classic first fit has it);
 * - `best-fit`: the tightest — least cpu and memory left over, as a sum of the fractions of
 *   allocatable left (cpu + memory) after placing the pod, in steps of 2^-20 (`leftOverKey`);
 *   ties to the earliest in that order;
 * - `worst-fit`: the loosest — most left over; ties the same way.
 *
 * Feasibility is the same for all: the default profile's filters (NodeUnschedulable, NodeName,
 * TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit), with kube's messages.
 */
import type { PodKey } from "../model/pod.js";
import type { ClusterState, PodState } from "../cluster/state.js";
import { defaultSchedulerConfiguration, profileFor, type SchedulerConfiguration } from "./config/ksc.js";
import { filterNode, narrow, refuse, runCycle, runPreFilter } from "./framework/schedule.js";
import { cycleState, nodeInfos, ownersOf } from "./framework/snapshot.js";
import type { SpreadOwners } from "./plugins/podtopologyspread/defaults.js";
import type { NodeInfo, Profile } from "./framework/types.js";
import { NO_NODES_AVAILABLE } from "./message.js";
import { leftOverKey } from "../state/capacity-index.js";
import { insufficientResources, NODE_RESOURCES_FIT } from "./plugins/noderesourcesfit/filter.js";

export type ClassicPolicy = "first-fit" | "best-fit" | "worst-fit";
export const CLASSIC_POLICIES: readonly ClassicPolicy[] = ["first-fit", "best-fit", "worst-fit"];

export type SchedulerChoice =
  | { readonly policy: "kube"; readonly configuration: SchedulerConfiguration }
  | { readonly policy: ClassicPolicy };

/** kube's default profile. */
export function defaultSchedulerChoice(): SchedulerChoice {
  return { policy: "kube", configuration: defaultSchedulerConfiguration() };
}

/** The scheduler names a choice serves (pods for other schedulers wait). */
export function schedulerNamesOf(choice: SchedulerChoice): string[] {
  return choice.policy === "kube" ? choice.configuration.profiles.map((profile) => profile.schedulerName) : ["default-scheduler"];
}

export type Decision =
  | {
    readonly kind: "bind";
    readonly node: string;
    readonly nextStartNodeIndex: number;
    /** The pod does not fit there: the profile runs no NodeResourcesFit filter, and the kubelet will refuse it. */
    readonly overcommits?: true;
  }
  | { readonly kind: "unschedulable"; readonly message: string; readonly plugins: readonly string[]; readonly nextStartNodeIndex: number };

/** One scheduling cycle for `key` at the current state. */
export function decide(state: ClusterState, key: PodKey, choice: SchedulerChoice, seed: number): Decision {
  const pod: PodState | undefined = state.pods[key];
  if (pod === undefined) throw new Error(`decide: no pod ${key}`);
  return decideOn(pod, nodeInfos(state, state.nodeTree), state.nextStartNodeIndex, choice, seed, ownersOf(state));
}

/** The profile that schedules `pod` under a kube choice. */
export function profileOf(choice: SchedulerChoice & { policy: "kube" }, pod: PodState): Profile {
  const profile = profileFor(choice.configuration, pod.pod.schedulerName);
  if (profile === undefined) throw new Error(`decide: no profile for scheduler ${pod.pod.schedulerName}`);
  return profile;
}

/**
 * One scheduling cycle over a snapshot: every node's NodeInfo in kube's order and the sampling
 * start. Both engines' plain path; the fast engine's indexed paths must give the same answers.
 */
export function decideOn(pod: PodState, nodes: readonly NodeInfo[], start: number, choice: SchedulerChoice, seed: number, owners?: SpreadOwners): Decision {
  if (choice.policy === "kube") {
    const profile = profileOf(choice, pod);
    const result = runCycle({ profile, cycle: cycleState(pod.pod, pod.request, nodes, owners), nodes, startIndex: start, seed });
    if (result.selected !== undefined) {
      const decision = { kind: "bind", node: result.selected, nextStartNodeIndex: result.nextStartIndex } as const;
      // Without NodeResourcesFit's filter kube binds wherever the scores say, fit or not.
      if (profile.filter.some((plugin) => plugin.name === NODE_RESOURCES_FIT)) return decision;
      const chosen = nodes.find((node) => node.node.name === result.selected) as NodeInfo;
      const fits = insufficientResources(pod.request, { allocatable: chosen.node.allocatable, requested: chosen.requested, podCount: chosen.podCount }).length === 0;
      return fits ? decision : { ...decision, overcommits: true };
    }
    return { kind: "unschedulable", message: result.message ?? NO_NODES_AVAILABLE, plugins: result.rejectingPlugins, nextStartNodeIndex: result.nextStartIndex };
  }
  return decideClassic(pod, nodes, start, choice.policy);
}

/** The profile whose filters decide feasibility for the classic policies: kube's default. */
export const FILTER_PROFILE: Profile = defaultSchedulerConfiguration().profiles[0] as Profile;

/** Capacity left after placing the pod: the sum of cpu and memory fractions of allocatable (the index's `leftAfter`). */
export function leftover(node: NodeInfo, request: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const resource of ["cpu", "memory"]) {
    const allocatable = node.node.allocatable[resource] ?? 0;
    if (allocatable === 0) continue;
    total += (allocatable - (node.requested[resource] ?? 0) - (request[resource] ?? 0)) / allocatable;
  }
  return total;
}

function decideClassic(pod: PodState, nodes: readonly NodeInfo[], start: number, policy: ClassicPolicy): Decision {
  if (nodes.length === 0) return { kind: "unschedulable", message: NO_NODES_AVAILABLE, plugins: [], nextStartNodeIndex: start };
  const profile = FILTER_PROFILE;
  const cycle = cycleState(pod.pod, pod.request, nodes);
  const preFiltered = runPreFilter(profile, cycle);
  if ("rejectedBy" in preFiltered) {
    const refused = refuse(nodes.length, nodes.map((node) => ({ node: node.node.name, status: preFiltered.status, plugin: preFiltered.rejectedBy })), start);
    return { kind: "unschedulable", message: refused.message ?? "", plugins: refused.rejectingPlugins, nextStartNodeIndex: start };
  }
  const { candidates, absent } = narrow(nodes, preFiltered);
  const verdicts = [...absent];
  let chosen: NodeInfo | undefined;
  let chosenKey = 0;
  for (const node of candidates) {
    const verdict = filterNode(preFiltered.filters, cycle, node);
    verdicts.push(verdict);
    if (verdict.plugin !== undefined) continue;
    if (policy === "first-fit") return { kind: "bind", node: node.node.name, nextStartNodeIndex: start };
    const key = leftOverKey(leftover(node, pod.request));
    if (chosen === undefined || (policy === "best-fit" ? key < chosenKey : key > chosenKey)) {
      chosen = node;
      chosenKey = key;
    }
  }
  if (chosen !== undefined) return { kind: "bind", node: chosen.node.name, nextStartNodeIndex: start };
  const refused = refuse(nodes.length, verdicts, start);
  return { kind: "unschedulable", message: refused.message ?? "", plugins: refused.rejectingPlugins, nextStartNodeIndex: start };
}
