/**
 * NodeResourcesFit (v1.35): Filter — does the pod's request fit in what the node has left
 * (`filter.ts`); Score — one of three strategies (`score.ts`). Args (NodeResourcesFitArgs):
 * `ignoredResources` and `ignoredResourceGroups` (extended resources the filter does not check),
 * `scoringStrategy`.
 */
import { SUCCESS, unresolvable, unschedulable, type CycleState, type NodeInfo, type Plugin } from "../../framework/types.js";
import { isExtendedResource, type ResourceList } from "../../../model/resources.js";
import { NODE_RESOURCES_FIT, insufficientResources } from "./filter.js";
import { DEFAULT_SCORING_STRATEGY, fitScore, type ScoringStrategy } from "./score.js";

export interface NodeResourcesFitArgs {
  readonly ignoredResources: readonly string[];
  readonly ignoredResourceGroups: readonly string[];
  readonly scoringStrategy: ScoringStrategy;
}

export const DEFAULT_FIT_ARGS: NodeResourcesFitArgs = { ignoredResources: [], ignoredResourceGroups: [], scoringStrategy: DEFAULT_SCORING_STRATEGY };

export function newNodeResourcesFit(args: NodeResourcesFitArgs = DEFAULT_FIT_ARGS): Plugin {
  const ignored = (name: string) =>
    isExtendedResource(name) && (args.ignoredResources.includes(name) || args.ignoredResourceGroups.includes(name.slice(0, name.indexOf("/"))));
  const ignoresAny = args.ignoredResources.length > 0 || args.ignoredResourceGroups.length > 0;
  // The request the filter checks, once per pod: the filter runs on many nodes in one cycle.
  const checked = new WeakMap<CycleState, ResourceList>();
  const checkedRequest = (cycle: CycleState): ResourceList => {
    if (!ignoresAny) return cycle.request;
    let request = checked.get(cycle);
    if (request === undefined) {
      request = Object.fromEntries(Object.entries(cycle.request).filter(([name]) => !ignored(name)));
      checked.set(cycle, request);
    }
    return request;
  };
  return {
    name: NODE_RESOURCES_FIT,
    filter(cycle: CycleState, node: NodeInfo) {
      const request = checkedRequest(cycle);
      const failures = insufficientResources(request, { allocatable: node.node.allocatable, requested: node.requested, podCount: node.podCount });
      if (failures.length === 0) return SUCCESS;
      const reasons = failures.map((failure) => failure.reason);
      return failures.some((failure) => failure.unresolvable) ? unresolvable(...reasons) : unschedulable(...reasons);
    },
    score(cycle: CycleState, node: NodeInfo) {
      return fitScore(args.scoringStrategy, cycle, node);
    },
  };
}
