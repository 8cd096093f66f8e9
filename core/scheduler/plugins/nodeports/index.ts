/**
 * NodePorts (v1.35): a host port the pod wants must be free on the node
 * ("node(s) didn't have free ports for the requested pod ports"). Ports of different protocols
 * never conflict; an empty host IP means 0.0.0.0, which conflicts with the same port on any IP,
 * and a specific IP conflicts with the same port on that IP or on 0.0.0.0.
 */
import { SKIP, SUCCESS, unschedulable, type CycleState, type HostPort, type NodeInfo, type Plugin } from "../../framework/types.js";
import type { Pod } from "../../../model/pod.js";

export const NODE_PORTS = "NodePorts";
export const NODE_PORTS_REASON = "node(s) didn't have free ports for the requested pod ports";

/** The host ports a pod opens: its containers' and its sidecars'. */
export function hostPortsOf(pod: Pick<Pod, "containers" | "initContainers">): HostPort[] {
  const containers = [...pod.containers, ...pod.initContainers.filter((container) => container.restartPolicy === "Always")];
  return containers.flatMap((container) => container.ports
    .filter((port) => port.hostPort !== undefined && port.hostPort > 0)
    .map((port) => ({ ip: port.hostIP || "0.0.0.0", protocol: port.protocol, port: port.hostPort as number })));
}

export function portsConflict(wanted: HostPort, used: HostPort): boolean {
  if (wanted.protocol !== used.protocol || wanted.port !== used.port) return false;
  return wanted.ip === "0.0.0.0" || used.ip === "0.0.0.0" || wanted.ip === used.ip;
}

export function newNodePorts(): Plugin {
  return {
    name: NODE_PORTS,
    preFilter: (cycle: CycleState) => (cycle.hostPorts.length === 0 ? SKIP : SUCCESS),
    filter(cycle: CycleState, node: NodeInfo) {
      const conflict = cycle.hostPorts.some((wanted) => node.usedPorts.some((used) => portsConflict(wanted, used)));
      return conflict ? unschedulable(NODE_PORTS_REASON) : SUCCESS;
    },
  };
}
