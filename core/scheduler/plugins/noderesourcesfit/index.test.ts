/**
 * NodeResourcesFit's Filter (fit.go fitsRequest, v1.35): reasons in kube's order, the status code
 * (UnschedulableAndUnresolvable only when a request exceeds the node's whole allocatable, so that
 * preemption cannot help), and the ignoredResources / ignoredResourceGroups arguments.
 */
import { describe, expect, it } from "vitest";
import type { Node } from "../../../model/node.js";
import type { Pod } from "../../../model/pod.js";
import { podRequests } from "../../../model/requests.js";
import { makeNode, makePod, makeNodeInfos } from "../../../testing/builders.js";
import { cycleState } from "../../framework/snapshot.js";
import type { NodeInfo, Status } from "../../framework/types.js";
import { DEFAULT_FIT_ARGS, newNodeResourcesFit, type NodeResourcesFitArgs } from "./index.js";


function filterOn(args: NodeResourcesFitArgs, pod: Pod, node: Node, placed: readonly Pod[] = []): Status {
  const infos = makeNodeInfos([node], placed.map((other) => [other, node.name] as const));
  const plugin = newNodeResourcesFit(args);
  return plugin.filter?.(cycleState(pod, podRequests(pod), infos), infos[0] as NodeInfo) as Status;
}

const ok: Status = { code: "Success", reasons: [] };
const refused = (...reasons: string[]): Status => ({ code: "Unschedulable", reasons });
const unresolvable = (...reasons: string[]): Status => ({ code: "UnschedulableAndUnresolvable", reasons });
const ignoring = (fields: Partial<NodeResourcesFitArgs>): NodeResourcesFitArgs => ({ ...DEFAULT_FIT_ARGS, ...fields });

describe("NodeResourcesFit filter", () => {
  const node = makeNode("node-1", { cpu: "1", memory: "1Gi" });
  const half = makePod("resident", { cpu: "600m", memory: "512Mi" });
  const gpuPod = makePod("p", { cpu: "100m", "nvidia.com/gpu": "1" });
  const dongle = makePod("p", { cpu: "100m", "example.com/dongle": "1" });

  const rows: Array<{ name: string; args?: NodeResourcesFitArgs; pod: Pod; node?: Node; placed?: Pod[]; status: Status }> = [
    // 600 + 400 = 1000 ≤ 1000
    { name: "a pod that fits exactly passes", pod: makePod("p", { cpu: "400m" }), placed: [half], status: ok },
    // 500 > 1000 − 600 = 400, but 500 ≤ 1000: evicting the resident would make room
    { name: "short of what is left: Unschedulable (preemption may help)", pod: makePod("p", { cpu: "500m" }), placed: [half], status: refused("Insufficient cpu") },
    // 2000 > 1000 allocatable: no eviction can help
    { name: "more than the whole node: UnschedulableAndUnresolvable", pod: makePod("p", { cpu: "2" }), status: unresolvable("Insufficient cpu") },
    // cpu 500 > 400 left (resolvable), memory 2Gi > 1Gi allocatable (unresolvable): every reason, the strongest code
    {
      name: "several failures: all reasons, cpu before memory, unresolvable if any is",
      pod: makePod("p", { cpu: "500m", memory: "2Gi" }),
      placed: [half],
      status: unresolvable("Insufficient cpu", "Insufficient memory"),
    },
    { name: "an extended resource the node lacks is unresolvable", pod: gpuPod, status: unresolvable("Insufficient nvidia.com/gpu") },
    { name: "ignoredResources skips an extended resource", args: ignoring({ ignoredResources: ["nvidia.com/gpu"] }), pod: gpuPod, status: ok },
    { name: "ignoredResourceGroups skips every resource of the group", args: ignoring({ ignoredResourceGroups: ["nvidia.com"] }), pod: gpuPod, status: ok },
    {
      name: "ignoredResourceGroups matches the prefix exactly",
      args: ignoring({ ignoredResourceGroups: ["nvidia.com"] }),
      pod: dongle,
      status: unresolvable("Insufficient example.com/dongle"),
    },
    // only extended resources can be ignored (fit.go checks IsExtendedResourceName)
    { name: "ignoredResources does not apply to cpu", args: ignoring({ ignoredResources: ["cpu"] }), pod: makePod("p", { cpu: "2" }), status: unresolvable("Insufficient cpu") },
    // 1 pod + 1 > 1 allowed; checked even for a pod that requests nothing
    {
      name: "a full node: Too many pods, Unschedulable",
      pod: makePod("p"),
      node: makeNode("node-1", { cpu: "1", memory: "1Gi", pods: "1" }),
      placed: [makePod("resident")],
      status: refused("Too many pods"),
    },
    // fit.go sets no Unresolvable on the pod-count check, even when the node allows no pods at all
    { name: "a node that allows no pods: Too many pods, still only Unschedulable", pod: makePod("p"), node: makeNode("node-1", { cpu: "1", memory: "1Gi", pods: "0" }), status: refused("Too many pods") },
    // the pod-count reason comes first
    {
      name: "Too many pods comes before the resources",
      pod: makePod("p", { cpu: "2" }),
      node: makeNode("node-1", { cpu: "1", memory: "1Gi", pods: "1" }),
      placed: [makePod("resident")],
      status: unresolvable("Too many pods", "Insufficient cpu"),
    },
  ];

  it.each(rows)("$name", ({ args, pod, node: target, placed, status }) => {
    expect(filterOn(args ?? DEFAULT_FIT_ARGS, pod, target ?? node, placed)).toEqual(status);
  });
});
