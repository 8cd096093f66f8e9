/**
 * Endpoints and QoS classes, rule by rule (endpointslice utils ShouldPodBeInEndpoints, qos.go
 * ComputePodQOS), on hand-made pod records.
 */
import { describe, expect, it } from "vitest";
import type { PodState } from "../cluster/state.js";
import { serviceFromManifest, type Service } from "../model/policy.js";
import { podQOSClass } from "../model/requests.js";
import { makeContainer, makePod } from "../testing/builders.js";
import { clusterIP, podIP, serviceDnsName, serviceEndpoints } from "./endpoints.js";

function service(spec: Record<string, unknown>): Service {
  const converted = serviceFromManifest({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec });
  if (converted.value === undefined) throw new Error(JSON.stringify(converted.diagnostics));
  return converted.value;
}

/** A pod record: started and Ready unless told otherwise. */
function record(name: string, seq: number, overrides: Partial<PodState> = {}, labels: Record<string, string> = { app: "web" }): PodState {
  const pod = makePod(name, { cpu: "100m" }, { labels, containers: [makeContainer("app", { cpu: "100m" }, { ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }] })] });
  return { pod, createdSeq: seq, createdAt: 0, request: {}, nonZero: { cpu: 0, memory: 0 }, phase: "Running", node: "n1", holdsResources: true, startedAt: 0, runningSince: 0, readySince: 0, restartCount: 0, ...overrides };
}

describe("a Service's endpoints", () => {
  const web = service({ selector: { app: "web" }, ports: [{ port: 80, targetPort: "http" }] });

  it("Ready pods of its selector, on the named target port; not-ready ones apart; terminating, finished, unstarted and other pods left out", () => {
    const pods = [
      record("a", 1),
      record("b", 2, { readySince: undefined }), // not Ready: a not-ready address
      record("c", 3, { deletionDeadline: 40 }), // terminating
      record("d", 4, { phase: "Succeeded", readySince: undefined }),
      record("e", 5, { phase: "Pending", startedAt: undefined, runningSince: undefined, readySince: undefined }), // no IP yet
      record("f", 6, {}, { app: "api" }), // another selector
    ];
    expect(serviceEndpoints(web, pods)).toEqual([
      { pod: "a", ip: "10.0.0.1", port: 8080, ready: true },
      { pod: "b", ip: "10.0.0.2", port: 8080, ready: false },
    ]);
  });

  it("publishNotReadyAddresses: every started pod is a ready address, terminating ones included", () => {
    const all = service({ selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }], publishNotReadyAddresses: true });
    expect(serviceEndpoints(all, [record("b", 2, { readySince: undefined }), record("c", 3, { deletionDeadline: 40 })]).map((endpoint) => `${endpoint.pod} ${endpoint.ready}`)).toEqual(["b true", "c true"]);
  });

  it("a named target port no container has gives no endpoint for that port", () => {
    const grpc = service({ selector: { app: "web" }, ports: [{ port: 90, targetPort: "grpc" }] });
    expect(serviceEndpoints(grpc, [record("a", 1)])).toEqual([]);
  });

  it("IPs: a pod's from its creation seq in 10.0.0.0/8; a Service's from 10.96.0.0/12 unless it sets one; its DNS name", () => {
    expect(podIP({ createdSeq: 70_000 })).toBe("10.1.17.112"); // 70000 = 1·65536 + 17·256 + 112
    expect(clusterIP(web, 300)).toBe("10.96.1.44"); // 300 = 1·256 + 44
    expect(clusterIP(service({ selector: { app: "web" }, clusterIP: "None" }), 5)).toBe("None");
    expect(serviceDnsName(web)).toBe("web.default.svc.cluster.local");
  });
});

describe("ComputePodQOS", () => {
  const pod = (...containers: { requests?: Record<string, string>; limits?: Record<string, string> }[]) =>
    makePod("p", {}, { containers: containers.map((item, index) => makeContainer(`c${index}`, item.requests ?? {}, { limits: Object.fromEntries(Object.entries(item.limits ?? {}).map(([k, v]) => [k, k === "cpu" ? Number.parseFloat(v) * 1000 : Number.parseInt(v, 10)])) })) });
  const rows: { name: string; pod: ReturnType<typeof pod>; expected: string }[] = [
    { name: "no requests or limits anywhere", pod: pod({}), expected: "BestEffort" },
    { name: "cpu and memory limits equal to requests, every container", pod: pod({ requests: { cpu: "1", memory: "1000" }, limits: { cpu: "1", memory: "1000" } }), expected: "Guaranteed" },
    { name: "a request without a limit", pod: pod({ requests: { cpu: "1" } }), expected: "Burstable" },
    { name: "limits above requests", pod: pod({ requests: { cpu: "1", memory: "1000" }, limits: { cpu: "2", memory: "1000" } }), expected: "Burstable" },
    { name: "one container Guaranteed, the other without limits", pod: pod({ requests: { cpu: "1", memory: "1000" }, limits: { cpu: "1", memory: "1000" } }, {}), expected: "Burstable" },
  ];
  it.each(rows)("$name → $expected", ({ pod: subject, expected }) => {
    expect(podQOSClass(subject)).toBe(expected);
  });
});
