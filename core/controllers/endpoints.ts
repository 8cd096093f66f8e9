/**
 * A Service's endpoints (kube v1.35 pkg/controller/endpoint, staging/src/k8s.io/endpointslice):
 * a pure function of the pods, read when someone asks (`get endpoints`, `describe service`, the
 * availability over a run), so nothing is kept per pod.
 *
 * | rule | as kube does it (`ShouldPodBeInEndpoints`, `podToEndpoint`) |
 * |------|------------------|
 * | which pods | the Service's namespace, every label of `spec.selector` (a Service without one has no endpoints managed for it) |
 * | left out | Succeeded or Failed pods; pods without an IP (not started); terminating pods, unless `publishNotReadyAddresses` |
 * | ready | the pod's Ready condition is True, or `publishNotReadyAddresses`; else a not-ready address |
 * | ports | each Service port: a numeric `targetPort` as is; a named one is the container port of that name and protocol (a pod without one gives no endpoint for that port) |
 *
 * Pod IPs are not in the log: a pod's IP is derived from its creation (`podIP`), 10.0.0.0/8 in
 * creation order, stable across engines and replays; a Service's cluster IP likewise, from
 * 10.96.0.0/12 (kube's default service CIDR), unless its manifest sets one.
 */
import type { PodState } from "../cluster/state.js";
import type { Service } from "../model/policy.js";

/** The pod's IP: the sandbox's address, derived from its creation seq. */
export function podIP(pod: Pick<PodState, "createdSeq">): string {
  const n = pod.createdSeq;
  return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** A Service's cluster IP: its manifest's, or one from 10.96.0.0/12 by its creation seq. */
export function clusterIP(service: Service, createdSeq: number): string {
  if (service.clusterIP !== undefined) return service.clusterIP;
  if (service.type === "ExternalName") return "<none>";
  return `10.${96 + ((createdSeq >>> 16) & 15)}.${(createdSeq >>> 8) & 255}.${createdSeq & 255}`;
}

/** `NAME.NAMESPACE.svc.cluster.local`: the name cluster DNS answers for it. */
export function serviceDnsName(service: Pick<Service, "name" | "namespace">): string {
  return `${service.name}.${service.namespace}.svc.cluster.local`;
}

export function selects(service: Service, pod: PodState): boolean {
  return serviceSelects(service, pod.pod.namespace, pod.pod.labels);
}

/** Whether a Service's `spec.selector` (a plain map, every label) selects labels of that namespace; none selects nothing. */
export function serviceSelects(service: Pick<Service, "namespace" | "selector">, namespace: string, labels: Readonly<Record<string, string>>): boolean {
  const selector = service.selector;
  if (selector === undefined || namespace !== service.namespace) return false;
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}

/**
 * The workloads whose replicas a Service's pods should number, when unowned and their template
 * is selected (a Deployment's ReplicaSets are owned by it, so its pods count once, through it).
 */
export const SERVICE_WORKLOAD_KINDS: ReadonlySet<string> = new Set(["Deployment", "ReplicaSet", "ReplicationController", "StatefulSet"]);

/** Whether the pod is an endpoint of the Service at all, and whether a ready one. */
export function endpointState(service: Service, pod: PodState): "ready" | "notReady" | undefined {
  if (!selects(service, pod) || pod.phase === "Succeeded" || pod.phase === "Failed" || pod.startedAt === undefined) return undefined;
  if (pod.deletionDeadline !== undefined && !service.publishNotReadyAddresses) return undefined;
  return service.publishNotReadyAddresses || pod.readySince !== undefined ? "ready" : "notReady";
}

export interface Endpoint {
  readonly pod: string;
  readonly ip: string;
  readonly port?: number;
  readonly ready: boolean;
}

/** Every endpoint (pod × port) of the Service among `pods`, in pod name order. */
export function serviceEndpoints(service: Service, pods: readonly PodState[]): Endpoint[] {
  const out: Endpoint[] = [];
  const sorted = [...pods].sort((a, b) => (a.pod.name < b.pod.name ? -1 : a.pod.name > b.pod.name ? 1 : 0));
  for (const pod of sorted) {
    const state = endpointState(service, pod);
    if (state === undefined) continue;
    const ip = podIP(pod);
    const ready = state === "ready";
    if (service.ports.length === 0) {
      out.push({ pod: pod.pod.name, ip, ready });
      continue;
    }
    for (const port of service.ports) {
      const target = typeof port.targetPort === "number" ? port.targetPort : namedPort(pod, port.targetPort, port.protocol);
      if (target !== undefined) out.push({ pod: pod.pod.name, ip, port: target, ready });
    }
  }
  return out;
}

/** `FindPort`: the container port of that name and protocol (sidecars included). */
function namedPort(pod: PodState, name: string, protocol: string): number | undefined {
  for (const container of [...pod.pod.containers, ...pod.pod.initContainers.filter((item) => item.restartPolicy === "Always")]) {
    for (const port of container.ports) if (port.name === name && port.protocol === protocol) return port.containerPort;
  }
  return undefined;
}
