/**
 * NodeAffinity (v1.35): `spec.nodeSelector` and required node affinity filter nodes
 * ("node(s) didn't match Pod's node affinity/selector"); preferred terms score the sum of the
 * weights of the terms a node matches, normalized so the best node gets 100.
 *
 * Matching: nodeSelector labels must all be equal; required terms are ORed, the requirements of a
 * term ANDed; a term with no requirement matches nothing. In/NotIn/Exists/DoesNotExist on labels
 * (NotIn and DoesNotExist match a node without the label); Gt/Lt compare the label as an integer;
 * matchFields match `metadata.name`.
 */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from "../../../model/node.js";
import type { Pod } from "../../../model/pod.js";
import { defaultNormalizeScore } from "../../framework/normalize.js";
import { SKIP, SUCCESS, unresolvable, type CycleState, type NodeInfo, type Plugin, type PreFilterResult } from "../../framework/types.js";

export const NODE_AFFINITY = "NodeAffinity";
export const NODE_AFFINITY_REASON = "node(s) didn't match Pod's node affinity/selector";
export const NODE_AFFINITY_CONFLICT_REASON = "pod affinity terms conflict";

/**
 * The nodes the required terms name by `metadata.name In [...]` (kube's PreFilter): within a
 * term such requirements intersect, across terms they unite; undefined if some term names no
 * node (then every node is eligible); empty if the terms contradict each other.
 */
export function namedNodes(required: readonly NodeSelectorTerm[] | undefined): Set<string> | undefined {
  if (required === undefined) return undefined;
  let union: Set<string> | undefined;
  for (const term of required) {
    let names: Set<string> | undefined;
    for (const requirement of term.matchFields) {
      if (requirement.key !== "metadata.name" || requirement.operator !== "In") continue;
      const values = new Set(requirement.values);
      names = names === undefined ? values : new Set([...names].filter((name) => values.has(name)));
    }
    if (names === undefined) return undefined;
    union = new Set([...(union ?? []), ...names]);
  }
  return union;
}

function requirementMatches(requirement: NodeSelectorRequirement, value: string | undefined): boolean {
  switch (requirement.operator) {
    case "In":
      return value !== undefined && requirement.values.includes(value);
    case "NotIn":
      return value === undefined || !requirement.values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      const actual = BigInt(value);
      const bound = BigInt(requirement.values[0] ?? "0");
      return requirement.operator === "Gt" ? actual > bound : actual < bound;
    }
    default: {
      const unreachable: never = requirement.operator;
      return unreachable;
    }
  }
}

export function termMatches(term: NodeSelectorTerm, node: Pick<Node, "name" | "labels">): boolean {
  if (term.matchExpressions.length === 0 && term.matchFields.length === 0) return false;
  return term.matchExpressions.every((requirement) => requirementMatches(requirement, node.labels[requirement.key]))
    && term.matchFields.every((requirement) => requirementMatches(requirement, requirement.key === "metadata.name" ? node.name : undefined));
}

/** Whether the node satisfies the pod's nodeSelector and required node affinity. */
export function requiredMatches(pod: Pick<Pod, "nodeSelector" | "nodeAffinity">, node: Pick<Node, "name" | "labels">): boolean {
  for (const [key, value] of Object.entries(pod.nodeSelector)) if (node.labels[key] !== value) return false;
  const required = pod.nodeAffinity?.required;
  return required === undefined || required.some((term) => termMatches(term, node));
}

export function newNodeAffinity(): Plugin {
  return {
    name: NODE_AFFINITY,
    preFilter(cycle: CycleState): PreFilterResult {
      const hasRequired = Object.keys(cycle.pod.nodeSelector).length > 0 || cycle.pod.nodeAffinity?.required !== undefined;
      if (!hasRequired) return SKIP;
      const nodeNames = namedNodes(cycle.pod.nodeAffinity?.required);
      if (nodeNames === undefined) return SUCCESS;
      if (nodeNames.size === 0) return unresolvable(NODE_AFFINITY_CONFLICT_REASON);
      return { ...SUCCESS, nodeNames };
    },
    filter(cycle: CycleState, node: NodeInfo) {
      return requiredMatches(cycle.pod, node.node) ? SUCCESS : unresolvable(NODE_AFFINITY_REASON);
    },
    preScore(cycle: CycleState) {
      return (cycle.pod.nodeAffinity?.preferred.length ?? 0) > 0 ? SUCCESS : SKIP;
    },
    score(cycle: CycleState, node: NodeInfo) {
      let total = 0;
      for (const term of cycle.pod.nodeAffinity?.preferred ?? []) if (termMatches(term.preference, node.node)) total += term.weight;
      return total;
    },
    normalizeScore(_cycle: CycleState, _nodes: readonly NodeInfo[], scores: number[]) {
      defaultNormalizeScore(scores, false);
    },
  };
}
