/**
 * NodePorts (v1.35): host ports a pod wants (containers and sidecars, hostPort > 0) against those
 * the node's pods use (HostPortInfo.CheckConflict): different protocols never conflict; 0.0.0.0
 * conflicts with the same port on any IP; a specific IP conflicts with itself and 0.0.0.0.
 * A conflict is Unschedulable (preemption can free the port).
 */
import { describe, expect, it } from "vitest";
import type { ContainerPort, Pod } from "../../../model/pod.js";
import { podRequests } from "../../../model/requests.js";
import { makeContainer, makeNode, makeNodeInfos, makePod } from "../../../testing/builders.js";
import { cycleState } from "../../framework/snapshot.js";
import type { HostPort, NodeInfo, Status } from "../../framework/types.js";
import { hostPortsOf, newNodePorts, NODE_PORTS_REASON, portsConflict } from "./index.js";

const port = (hostPort: number | undefined, protocol: ContainerPort["protocol"] = "TCP", hostIP?: string): ContainerPort => ({
  containerPort: 8080,
  protocol,
  ...(hostPort !== undefined ? { hostPort } : {}),
  ...(hostIP !== undefined ? { hostIP } : {}),
});
const opening = (name: string, ...ports: ContainerPort[]): Pod => makePod(name, {}, { containers: [makeContainer("app", { cpu: "100m" }, { ports })] });

/** The node's NodeInfo with `residents` bound there. */
function nodeWith(...residents: Pod[]): NodeInfo {
  const node = makeNode("node-1");
  return makeNodeInfos([node], residents.map((pod) => [pod, node.name] as const))[0] as NodeInfo;
}

describe("portsConflict", () => {
  const tcp = (ip: string, number = 80): HostPort => ({ ip, protocol: "TCP", port: number });
  const rows: Array<{ name: string; wanted: HostPort; used: HostPort; conflict: boolean }> = [
    { name: "same port, both on every IP", wanted: tcp("0.0.0.0"), used: tcp("0.0.0.0"), conflict: true },
    { name: "different protocols never conflict", wanted: tcp("0.0.0.0"), used: { ip: "0.0.0.0", protocol: "UDP", port: 80 }, conflict: false },
    { name: "different ports never conflict", wanted: tcp("0.0.0.0"), used: tcp("0.0.0.0", 81), conflict: false },
    { name: "0.0.0.0 wanted conflicts with a specific IP in use", wanted: tcp("0.0.0.0"), used: tcp("10.0.0.1"), conflict: true },
    { name: "a specific IP wanted conflicts with 0.0.0.0 in use", wanted: tcp("10.0.0.1"), used: tcp("0.0.0.0"), conflict: true },
    { name: "the same specific IP conflicts", wanted: tcp("10.0.0.1"), used: tcp("10.0.0.1"), conflict: true },
    { name: "two different specific IPs do not conflict", wanted: tcp("10.0.0.1"), used: tcp("10.0.0.2"), conflict: false },
  ];
  it.each(rows)("$name", ({ wanted, used, conflict }) => {
    expect(portsConflict(wanted, used)).toBe(conflict);
  });
});

describe("hostPortsOf", () => {
  const rows: Array<{ name: string; pod: Pod; ports: HostPort[] }> = [
    { name: "a container port without hostPort is not a host port", pod: opening("p", port(undefined)), ports: [] },
    { name: "hostPort 0 is not a host port", pod: opening("p", port(0)), ports: [] },
    { name: "an empty hostIP means 0.0.0.0", pod: opening("p", port(80)), ports: [{ ip: "0.0.0.0", protocol: "TCP", port: 80 }] },
    { name: "a hostIP is kept", pod: opening("p", port(53, "UDP", "10.0.0.1")), ports: [{ ip: "10.0.0.1", protocol: "UDP", port: 53 }] },
    {
      name: "a sidecar's host ports count, a plain init container's do not",
      pod: makePod("p", {}, {
        initContainers: [
          makeContainer("sidecar", {}, { restartPolicy: "Always", ports: [port(9000)] }),
          makeContainer("setup", {}, { ports: [port(9001)] }),
        ],
      }),
      ports: [{ ip: "0.0.0.0", protocol: "TCP", port: 9000 }],
    },
  ];
  it.each(rows)("$name", ({ pod, ports }) => {
    expect(hostPortsOf(pod)).toEqual(ports);
  });
});

describe("NodePorts plugin", () => {
  const plugin = newNodePorts();
  const ok: Status = { code: "Success", reasons: [] };
  const refused: Status = { code: "Unschedulable", reasons: [NODE_PORTS_REASON] };
  const rows: Array<{ name: string; pod: Pod; node: NodeInfo; status: Status }> = [
    { name: "a free port passes", pod: opening("p", port(80)), node: nodeWith(opening("r", port(81))), status: ok },
    { name: "a port in use refuses, Unschedulable", pod: opening("p", port(80)), node: nodeWith(opening("r", port(80))), status: refused },
    { name: "the same port over another protocol passes", pod: opening("p", port(80, "UDP")), node: nodeWith(opening("r", port(80))), status: ok },
    { name: "a specific IP against 0.0.0.0 in use refuses", pod: opening("p", port(80, "TCP", "10.0.0.1")), node: nodeWith(opening("r", port(80))), status: refused },
    { name: "0.0.0.0 against a specific IP in use refuses", pod: opening("p", port(80)), node: nodeWith(opening("r", port(80, "TCP", "10.0.0.2"))), status: refused },
    { name: "two specific IPs pass", pod: opening("p", port(80, "TCP", "10.0.0.1")), node: nodeWith(opening("r", port(80, "TCP", "10.0.0.2"))), status: ok },
    {
      name: "a resident sidecar's host port is in use",
      pod: opening("p", port(9000)),
      node: nodeWith(makePod("r", {}, { initContainers: [makeContainer("sidecar", {}, { restartPolicy: "Always", ports: [port(9000)] })] })),
      status: refused,
    },
  ];
  it.each(rows)("$name", ({ pod, node, status }) => {
    expect(plugin.filter?.(cycleState(pod, podRequests(pod), [node]), node)).toEqual(status);
  });

  it("PreFilter skips a pod without host ports, so its Filter never runs", () => {
    const pod = opening("p", port(undefined));
    const node = nodeWith();
    expect(plugin.preFilter?.(cycleState(pod, podRequests(pod), [node])).code).toBe("Skip");
  });

  it("PreFilter keeps a pod with host ports", () => {
    const pod = opening("p", port(80));
    const node = nodeWith();
    expect(plugin.preFilter?.(cycleState(pod, podRequests(pod), [node])).code).toBe("Success");
  });
});
