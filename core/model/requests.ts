/**
 * A pod's resource request, by Kubernetes' `PodRequests` rules (k8s.io/component-helpers
 * resource/helpers.go, v1.35) — what the scheduler and the kubelet count against a node.
 *
 * 1. Regular containers are summed.
 * 2. Init containers run one at a time before them, so they count by their maximum — but a
 *    restartable init container (a sidecar, `restartPolicy: Always`) keeps running: it is added
 *    to the sum of regular containers, and to every init container that starts after it.
 *    initUse(i) = Σ sidecars before i + request(i); the pod needs max(Σ regular + Σ sidecars,
 *    max_i initUse(i)).
 * 3. Pod-level `spec.resources.requests` (cpu, memory, hugepages-*), when set, replace the
 *    aggregate for those resources, key by key.
 * 4. `spec.overhead` is added.
 *
 * Worked example: sidecar S 100m, init I 500m, app A 200m → initUse(I) = 100 + 500 = 600;
 * regular + sidecars = 200 + 100 = 300; request = max(300, 600) = 600m.
 */
import type { Container, Pod } from "./pod.js";
import { addResources, maxResources, type ResourceList } from "./resources.js";

/** Resources a pod may set at pod level (`IsSupportedPodLevelResource`, v1.35): cpu, memory, hugepages-*. */
export function isPodLevelResource(resourceName: string): boolean {
  return resourceName === "cpu" || resourceName === "memory" || resourceName.startsWith("hugepages-");
}

/** Rules 1–2: the containers' aggregate (`AggregateContainerRequests`). */
export function aggregateContainerRequests(
  pod: Pick<Pod, "containers" | "initContainers">,
  requestsOf: (container: Container) => ResourceList = (container) => container.requests,
): ResourceList {
  // The common pod, one container and no init containers: its request as it is (lists are never changed in place).
  if (pod.containers.length === 1 && pod.initContainers.length === 0) return requestsOf(pod.containers[0] as Container);
  let total: ResourceList = {};
  for (const container of pod.containers) total = addResources(total, requestsOf(container));
  if (pod.initContainers.length === 0) return total; // max(total, {}) is total

  let sidecars: ResourceList = {};
  let initPeak: ResourceList = {};
  for (const container of pod.initContainers) {
    const own = requestsOf(container);
    let inUse: ResourceList;
    if (container.restartPolicy === "Always") {
      total = addResources(total, own);
      sidecars = addResources(sidecars, own);
      inUse = sidecars;
    } else {
      inUse = addResources(own, sidecars);
    }
    initPeak = maxResources(initPeak, inUse);
  }
  return maxResources(total, initPeak);
}

/** Whether pod-level requests apply (`IsPodLevelRequestsSet`). */
export function hasPodLevelRequests(pod: Pick<Pod, "resources">): boolean {
  const requests = pod.resources?.requests;
  return requests !== undefined && Object.keys(requests).some(isPodLevelResource);
}

/** Rules 1–4: the pod's effective request, the amount it holds on its node. */
export function podRequests(pod: Pick<Pod, "containers" | "initContainers" | "resources" | "overhead">): ResourceList {
  let requests = aggregateContainerRequests(pod);
  if (hasPodLevelRequests(pod)) {
    const replaced: Record<string, number> = { ...requests };
    for (const [name, amount] of Object.entries(pod.resources?.requests ?? {})) {
      if (isPodLevelResource(name)) replaced[name] = amount;
    }
    requests = replaced;
  }
  if (pod.overhead !== undefined) requests = addResources(requests, pod.overhead);
  return requests;
}

/**
 * The pod's limits by the same rules, for `fitBy: limits` (the seed's wording: "limits when
 * set, else requests"): each container counts its limit where it has one, else its request;
 * pod-level limits (else pod-level requests) replace the aggregate, key by key.
 */
export function podLimitsOrRequests(pod: Pick<Pod, "containers" | "initContainers" | "resources" | "overhead">): ResourceList {
  let amounts = aggregateContainerRequests(pod, (container) => ({ ...container.requests, ...container.limits }));
  const podLevel = { ...pod.resources?.requests, ...pod.resources?.limits };
  const replaced: Record<string, number> = { ...amounts };
  for (const [name, amount] of Object.entries(podLevel)) {
    if (isPodLevelResource(name)) replaced[name] = amount;
  }
  amounts = replaced;
  if (pod.overhead !== undefined) amounts = addResources(amounts, pod.overhead);
  return amounts;
}

/** kube's defaults for a container that requests no cpu or memory, when scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/**
 * The pod's request for scoring: like `podRequests`, but each container (init containers too)
 * that sets no cpu or memory request counts 100m / 200Mi. With pod-level requests, those replace
 * the aggregate and only the keys they leave out get the defaults. Worked example: containers
 * C1 {cpu 500m} and C2 {} and init I1 {cpu 2} → cpu max(500 + 100, 2000) = 2000m, memory
 * max(200Mi + 200Mi, 200Mi) = 400Mi.
 */
export function nonZeroRequest(pod: Pick<Pod, "containers" | "initContainers" | "resources" | "overhead">, request: ResourceList): ResourceList {
  if (pod.initContainers.length === 0 && pod.resources === undefined && pod.overhead === undefined) {
    // The common pod: only regular containers, each counting its request or the default.
    let cpu = 0;
    let memory = 0;
    for (const container of pod.containers) {
      cpu += container.requests["cpu"] ?? DEFAULT_MILLI_CPU_REQUEST;
      memory += container.requests["memory"] ?? DEFAULT_MEMORY_REQUEST;
    }
    return { ...request, cpu, memory };
  }
  const podLevel = pod.resources?.requests ?? {};
  const defaults: Record<string, number> = {};
  if (podLevel["cpu"] === undefined) defaults["cpu"] = DEFAULT_MILLI_CPU_REQUEST;
  if (podLevel["memory"] === undefined) defaults["memory"] = DEFAULT_MEMORY_REQUEST;
  const aggregate: Record<string, number> = { ...aggregateContainerRequests(pod, (container) => ({ ...defaults, ...container.requests })) };
  for (const [name, amount] of Object.entries(podLevel)) if (isPodLevelResource(name)) aggregate[name] = amount;
  const withOverhead = pod.overhead === undefined ? aggregate : addResources(aggregate, pod.overhead);
  return { ...request, cpu: withOverhead["cpu"] ?? 0, memory: withOverhead["memory"] ?? 0 };
}

export type QOSClass = "Guaranteed" | "Burstable" | "BestEffort";

/**
 * kube's ComputePodQOS (pkg/apis/core/v1/helper/qos/qos.go, v1.35), over cpu and memory only:
 * BestEffort when no container (init ones included) requests or limits either; Guaranteed when
 * every container limits both and the pod's summed requests equal its summed limits; else
 * Burstable. Pod-level `spec.resources`, when set, decide instead of the containers'.
 */
export function podQOSClass(pod: Pick<Pod, "containers" | "initContainers" | "resources">): QOSClass {
  const supported = ["cpu", "memory"];
  const requests: Record<string, number> = {};
  const limits: Record<string, number> = {};
  let guaranteed = true;
  const lists = pod.resources !== undefined ? [pod.resources] : [...pod.containers, ...pod.initContainers];
  for (const item of lists) {
    for (const name of supported) {
      const request = item.requests[name] ?? 0;
      if (request > 0) requests[name] = (requests[name] ?? 0) + request;
      const limit = item.limits[name] ?? 0;
      if (limit > 0) limits[name] = (limits[name] ?? 0) + limit;
      else guaranteed = false;
    }
  }
  if (Object.keys(requests).length === 0 && Object.keys(limits).length === 0) return "BestEffort";
  if (guaranteed) {
    for (const name of supported) if (requests[name] !== limits[name]) guaranteed = false;
  }
  return guaranteed ? "Guaranteed" : "Burstable";
}
