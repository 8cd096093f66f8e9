/**
 * The cycle's inputs (cycleState, nodeInfos): the pod's request for scoring with kube's non-zero defaults (100m cpu,
 * 200Mi memory for each container, init containers too, that sets no request; an explicit 0
 * stays 0), and each node's NonZeroRequested built the same way from its pods.
 */
import { describe, expect, it } from "vitest";
import type { Pod } from "../../model/pod.js";
import { podRequests } from "../../model/requests.js";
import type { ResourceList } from "../../model/resources.js";
import { makeContainer, makeNode, makeNodeInfos, makePod } from "../../testing/builders.js";
import { cycleState } from "./snapshot.js";

const MI = 1024 * 1024;

describe("the pod's request for scoring (CycleState.nonZeroRequest)", () => {
  const rows: Array<{ name: string; pod: Pod; expected: ResourceList }> = [
    { name: "a container without requests counts 100m and 200Mi", pod: makePod("p"), expected: { cpu: 100, memory: 200 * MI } },
    { name: "an explicit 0 stays 0", pod: makePod("p", { cpu: "0", memory: "0" }), expected: { cpu: 0, memory: 0 } },
    // cpu set, memory missing: 250m and 200Mi
    { name: "only the missing resource is defaulted", pod: makePod("p", { cpu: "250m" }), expected: { cpu: 250, memory: 200 * MI } },
    // 500 + 100 = 600; 200Mi + 200Mi = 400Mi
    { name: "each container is defaulted on its own", pod: makePod("p", {}, { containers: [makeContainer("c1", { cpu: "500m" }), makeContainer("c2")] }), expected: { cpu: 600, memory: 400 * MI } },
    // cpu max(500 + 100, 2000) = 2000; memory max(200Mi + 200Mi, 200Mi) = 400Mi
    {
      name: "init containers are defaulted and count by their maximum (the notes' example)",
      pod: makePod("p", {}, { containers: [makeContainer("c1", { cpu: "500m" }), makeContainer("c2")], initContainers: [makeContainer("i1", { cpu: "2" })] }),
      expected: { cpu: 2000, memory: 400 * MI },
    },
    // sidecar {} → 100m / 200Mi added to the app's 200m / 200Mi: cpu 300, memory 400Mi
    {
      name: "a sidecar without requests is defaulted and runs alongside",
      pod: makePod("p", {}, { containers: [makeContainer("app", { cpu: "200m" })], initContainers: [makeContainer("sidecar", {}, { restartPolicy: "Always" })] }),
      expected: { cpu: 300, memory: 400 * MI },
    },
    // pod-level cpu replaces the aggregate; memory still defaulted per container
    { name: "pod-level requests replace the aggregate; the rest is defaulted", pod: makePod("p", {}, { resources: { requests: { cpu: 1000 }, limits: {} } }), expected: { cpu: 1000, memory: 200 * MI } },
    // 100 + 250 = 350; 200Mi + 100Mi = 300Mi
    { name: "overhead is added after the defaults", pod: makePod("p", {}, { overhead: { cpu: 250, memory: 100 * MI } }), expected: { cpu: 350, memory: 300 * MI } },
    { name: "extended resources get no default", pod: makePod("p", { "nvidia.com/gpu": "1" }), expected: { "nvidia.com/gpu": 1, cpu: 100, memory: 200 * MI } },
  ];
  it.each(rows)("$name", ({ pod, expected }) => {
    expect(cycleState(pod, podRequests(pod), []).nonZeroRequest).toEqual(expected);
  });
});

describe("nodeInfos", () => {
  it("sums its pods' plain requests, their non-zero requests, their count and their host ports", () => {
    const node = makeNode("node-1");
    const residents = [
      makePod("a", { cpu: "500m" }),
      makePod("b", {}, { containers: [makeContainer("web", {}, { ports: [{ containerPort: 80, protocol: "TCP", hostPort: 8080 }] })] }),
    ];
    const [info] = makeNodeInfos([node], residents.map((pod) => [pod, node.name] as const));
    // plain: cpu 500 (b requests nothing); non-zero: cpu 500 + 100 = 600, memory 200Mi + 200Mi = 400Mi
    expect(info?.requested).toEqual({ cpu: 500 });
    expect(info?.nonZeroRequested).toEqual({ cpu: 600, memory: 400 * MI });
    expect(info?.podCount).toBe(2);
    expect(info?.usedPorts).toEqual([{ ip: "0.0.0.0", protocol: "TCP", port: 8080 }]);
  });
});
