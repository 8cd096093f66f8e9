/**
 * PodTopologySpread's counts kept incrementally (the fast engine's accelerator): for each selector
 * a spread constraint has asked about (with its namespace), how many pods matching it each node
 * holds, not counting terminating pods — what kube's PreFilter counts from every pod of every
 * node in each cycle.
 *
 * A selector is registered the first time a cycle asks for it (one pass over the pods), then kept
 * as pods start and stop counting: bound to a node (`hold`), freed from it (`release`), or
 * deleted while holding resources (terminating). Such a change costs one selector test per
 * selector registered in the pod's namespace. A cycle's counts per topology domain then cost a
 * pass over the nodes (`domainCounts`), never over the pods. The plugin's naive count
 * (`countDomains`, a pass over every pod) is the twin the property tests compare this with.
 */
import type { PodState } from "../cluster/state.js";
import { selectorMatches, type LabelSelector } from "../model/workload.js";
import type { NodeInfo } from "../scheduler/framework/types.js";
import type { Pod } from "../model/pod.js";
import { hasAllKeys, includesNode, type SpreadConstraint } from "../scheduler/plugins/podtopologyspread/index.js";

export interface Registered {
  readonly namespace: string;
  readonly selector: LabelSelector;
  /** Node name → matching pods there. */
  readonly perNode: Map<string, number>;
}

/** Whether a pod counts for spreading on its node: it holds resources there and is not terminating. */
export function countsForSpread(pod: PodState): boolean {
  return pod.holdsResources && pod.node !== undefined && pod.deletionDeadline === undefined;
}

export class SpreadCounts {
  private readonly registered = new Map<string, Registered>();
  private readonly byNamespace = new Map<string, Registered[]>();

  /** A counting pod (`countsForSpread`) starts (+1) or stops (−1) counting on `node`. */
  changed(pod: Pod, node: string, delta: 1 | -1): void {
    const entries = this.byNamespace.get(pod.namespace);
    if (entries === undefined) return;
    for (const entry of entries) {
      if (!selectorMatches(entry.selector, pod.labels)) continue;
      const count = (entry.perNode.get(node) ?? 0) + delta;
      if (count === 0) entry.perNode.delete(node);
      else entry.perNode.set(node, count);
    }
  }

  /** The selectors registered, with their per-node counts (for the checks). */
  entries(): Iterable<Readonly<Registered>> {
    return this.registered.values();
  }

  /** The per-node counts of a selector, registering it (a pass over `pods`) the first time. */
  perNode(namespace: string, selector: LabelSelector, pods: () => Iterable<PodState>): ReadonlyMap<string, number> {
    const key = JSON.stringify([namespace, selector.matchLabels, selector.matchExpressions]);
    let entry = this.registered.get(key);
    if (entry === undefined) {
      entry = { namespace, selector, perNode: new Map() };
      for (const pod of pods()) {
        if (pod.pod.namespace !== namespace || !countsForSpread(pod) || !selectorMatches(selector, pod.pod.labels)) continue;
        const node = pod.node as string;
        entry.perNode.set(node, (entry.perNode.get(node) ?? 0) + 1);
      }
      this.registered.set(key, entry);
      let list = this.byNamespace.get(namespace);
      if (list === undefined) this.byNamespace.set(namespace, (list = []));
      list.push(entry);
    }
    return entry.perNode;
  }
}

const NONE: ReadonlyMap<string, number> = new Map();

/**
 * `countDomains`'s answer from the registered counts: per constraint, domain → matching pods,
 * over the nodes that have every constraint's key and pass the constraint's inclusion policies.
 */
export function domainCounts(counts: SpreadCounts, pods: () => Iterable<PodState>, pod: Pod, constraints: readonly SpreadConstraint[], nodes: readonly NodeInfo[]): Map<string, number>[] {
  const perNode = constraints.map((constraint) => {
    const { selector } = constraint;
    // A nil selector matches nothing and an empty one counts nothing (kube 1.35).
    if (selector.nothing || (Object.keys(selector.selector.matchLabels).length === 0 && selector.selector.matchExpressions.length === 0)) return NONE;
    return counts.perNode(pod.namespace, selector.selector, pods);
  });
  const result = constraints.map(() => new Map<string, number>());
  for (const info of nodes) {
    const labels = info.node.labels;
    if (!hasAllKeys(labels, constraints)) continue;
    for (let index = 0; index < constraints.length; index++) {
      const constraint = constraints[index] as SpreadConstraint;
      if (!includesNode(constraint, pod, info.node)) continue;
      const domain = labels[constraint.topologyKey] as string;
      const map = result[index] as Map<string, number>;
      map.set(domain, (map.get(domain) ?? 0) + ((perNode[index] as ReadonlyMap<string, number>).get(info.node.name) ?? 0));
    }
  }
  return result;
}
