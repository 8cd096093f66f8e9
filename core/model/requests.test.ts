/**
 * PodRequests rules (k8s.io/component-helpers resource/helpers.go, v1.35). Every expected value
 * was worked out by hand from those rules; the arithmetic is in the row's comment.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeContainer, makePod, resources } from "../testing/builders.js";
import type { Container, Pod } from "./pod.js";
import { aggregateContainerRequests, nonZeroRequest, podLimitsOrRequests, podRequests } from "./requests.js";
import { normalizeResources } from "./resources.js";
import type { ResourceList } from "./resources.js";

const MB = 1_000_000;
const Mi = 2 ** 20;
const Gi = 2 ** 30;

/** An init container; `sidecar` gives it `restartPolicy: Always`. */
function initContainer(name: string, requests: Record<string, string>, sidecar = false): Container {
  return makeContainer(name, requests, sidecar ? { restartPolicy: "Always" } : {});
}

/** A container with limits (and, optionally, explicit requests). */
function limited(name: string, limits: Record<string, string>, requests: Record<string, string> = {}): Container {
  return makeContainer(name, requests, { limits: resources(limits) });
}

interface Row {
  readonly name: string;
  readonly pod: Pod;
  readonly expected: ResourceList;
}

describe("podRequests", () => {
  const rows: Row[] = [
    {
      // 250m, 256M as written.
      name: "a single container requests what it declares",
      pod: makePod("p", { cpu: "250m", memory: "256M" }),
      expected: { cpu: 250, memory: 256 * MB },
    },
    {
      // cpu 100 + 200 = 300; memory 64Mi + 128Mi = 192Mi.
      name: "regular containers are summed",
      pod: makePod("p", {}, { containers: [makeContainer("a", { cpu: "100m", memory: "64Mi" }), makeContainer("b", { cpu: "200m", memory: "128Mi" })] }),
      expected: { cpu: 300, memory: 192 * Mi },
    },
    {
      // regular 200; init max(500, 300) = 500; max(200, 500) = 500.
      name: "init containers count by their maximum, not their sum",
      pod: makePod("p", {}, {
        containers: [makeContainer("app", { cpu: "200m" })],
        initContainers: [initContainer("i1", { cpu: "500m" }), initContainer("i2", { cpu: "300m" })],
      }),
      expected: { cpu: 500 },
    },
    {
      // regular 1000; init 500; max(1000, 500) = 1000.
      name: "regular containers win when they need more than any init container",
      pod: makePod("p", {}, { containers: [makeContainer("app", { cpu: "1" })], initContainers: [initContainer("i", { cpu: "500m" })] }),
      expected: { cpu: 1000 },
    },
    {
      // cpu max(100, 500) = 500 (init wins); memory max(256Mi, 64Mi) = 256Mi (app wins).
      name: "the maximum is taken per resource",
      pod: makePod("p", {}, {
        containers: [makeContainer("app", { cpu: "100m", memory: "256Mi" })],
        initContainers: [initContainer("i", { cpu: "500m", memory: "64Mi" })],
      }),
      expected: { cpu: 500, memory: 256 * Mi },
    },
    {
      // sidecar S 100 then init I 500: initUse(I) = 100 + 500 = 600; regular + sidecars = 200 + 100 = 300; max = 600.
      name: "a sidecar is added to every init container that starts after it",
      pod: makePod("p", {}, {
        containers: [makeContainer("app", { cpu: "200m" })],
        initContainers: [initContainer("s", { cpu: "100m" }, true), initContainer("i", { cpu: "500m" })],
      }),
      expected: { cpu: 600 },
    },
    {
      // init I 500 then sidecar S 100: initUse(I) = 500 (no sidecar before it); initUse(S) = 100;
      // regular + sidecars = 200 + 100 = 300; max(300, 500) = 500.
      name: "a sidecar is not added to an init container that runs before it",
      pod: makePod("p", {}, {
        containers: [makeContainer("app", { cpu: "200m" })],
        initContainers: [initContainer("i", { cpu: "500m" }), initContainer("s", { cpu: "100m" }, true)],
      }),
      expected: { cpu: 500 },
    },
    {
      // S1 100, S2 200, I 400: initUse = 100, 300, 300 + 400 = 700; regular + sidecars = 300 + 300 = 600; max = 700.
      name: "sidecars accumulate for a later init container",
      pod: makePod("p", {}, {
        containers: [makeContainer("app", { cpu: "300m" })],
        initContainers: [initContainer("s1", { cpu: "100m" }, true), initContainer("s2", { cpu: "200m" }, true), initContainer("i", { cpu: "400m" })],
      }),
      expected: { cpu: 700 },
    },
    {
      // S 100, I 150: initUse(I) = 250; regular + sidecars = 500 + 100 = 600; max = 600.
      name: "a sidecar is added to the regular containers' sum",
      pod: makePod("p", {}, {
        containers: [makeContainer("app", { cpu: "500m" })],
        initContainers: [initContainer("s", { cpu: "100m" }, true), initContainer("i", { cpu: "150m" })],
      }),
      expected: { cpu: 600 },
    },
    {
      // regular 1 + 1 = 2 GPUs; init 1; max(2, 1) = 2.
      name: "extended resources follow the same rules",
      pod: makePod("p", {}, {
        containers: [makeContainer("a", { "nvidia.com/gpu": "1" }), makeContainer("b", { "nvidia.com/gpu": "1" })],
        initContainers: [initContainer("i", { "nvidia.com/gpu": "1" })],
      }),
      expected: { "nvidia.com/gpu": 2 },
    },
    {
      // containers 300m / 256Mi; pod-level cpu 1 replaces cpu only → 1000m / 256Mi.
      name: "pod-level requests replace the aggregate key by key",
      pod: makePod("p", {}, {
        containers: [makeContainer("a", { cpu: "100m", memory: "128Mi" }), makeContainer("b", { cpu: "200m", memory: "128Mi" })],
        resources: { requests: resources({ cpu: "1" }), limits: {} },
      }),
      expected: { cpu: 1000, memory: 256 * Mi },
    },
    {
      // pod-level cpu 200m is below the containers' 500m and still replaces it: 200m.
      name: "a pod-level request replaces the aggregate even when smaller",
      pod: makePod("p", { cpu: "500m" }, { resources: { requests: resources({ cpu: "200m" }), limits: {} } }),
      expected: { cpu: 200 },
    },
    {
      // container hugepages-2Mi 4Mi; pod-level hugepages-2Mi 8Mi replaces it; memory 1Gi from pod level.
      name: "pod-level hugepages replace the containers' hugepages",
      pod: makePod("p", { "hugepages-2Mi": "4Mi" }, { resources: { requests: resources({ "hugepages-2Mi": "8Mi", memory: "1Gi" }), limits: {} } }),
      expected: { "hugepages-2Mi": 8 * Mi, memory: 1 * Gi },
    },
    {
      // pod-level ephemeral-storage is not a pod-level resource: the container's 2Gi stays; cpu becomes 1000.
      name: "a resource that cannot be set at pod level keeps the containers' aggregate",
      pod: makePod("p", { cpu: "100m", "ephemeral-storage": "2Gi" }, { resources: { requests: resources({ cpu: "1", "ephemeral-storage": "1Gi" }), limits: {} } }),
      expected: { cpu: 1000, "ephemeral-storage": 2 * Gi },
    },
    {
      // pod-level limits only (no requests): nothing replaced → the containers' 300m.
      name: "pod-level limits alone do not change the request",
      pod: makePod("p", { cpu: "300m" }, { resources: { requests: {}, limits: resources({ cpu: "2" }) } }),
      expected: { cpu: 300 },
    },
    {
      // containers 250m; pod level 500m replaces; overhead 100m added last → 600m; overhead memory 64Mi is a new key.
      name: "overhead is added after pod-level requests",
      pod: makePod("p", { cpu: "250m" }, {
        resources: { requests: resources({ cpu: "500m" }), limits: {} },
        overhead: resources({ cpu: "100m", memory: "64Mi" }),
      }),
      expected: { cpu: 600, memory: 64 * Mi },
    },
    {
      // S 100, I 500 → 600 (as above); overhead 50m → 650.
      name: "overhead is added to the init-container peak too",
      pod: makePod("p", {}, {
        containers: [makeContainer("app", { cpu: "200m" })],
        initContainers: [initContainer("s", { cpu: "100m" }, true), initContainer("i", { cpu: "500m" })],
        overhead: resources({ cpu: "50m" }),
      }),
      expected: { cpu: 650 },
    },
  ];

  it.each(rows)("$name", ({ pod, expected }) => {
    expect(podRequests(pod)).toEqual(expected);
  });
});

describe("aggregateContainerRequests", () => {
  it("ignores pod-level requests and overhead", () => {
    // containers 100m + 200m = 300m; pod level (1 cpu) and overhead (50m) are not part of the aggregate.
    const pod = makePod("p", {}, {
      containers: [makeContainer("a", { cpu: "100m" }), makeContainer("b", { cpu: "200m" })],
      resources: { requests: resources({ cpu: "1" }), limits: {} },
      overhead: resources({ cpu: "50m" }),
    });
    expect(aggregateContainerRequests(pod)).toEqual({ cpu: 300 });
    expect(podRequests(pod)).toEqual({ cpu: 1050 });
  });

  it("counts whatever the given function returns for each container", () => {
    // limits as the amount: app 400m; sidecar 200m; init 100m + 200m = 300m → max(400 + 200, 300) = 600.
    const pod = makePod("p", {}, {
      containers: [limited("app", { cpu: "400m" }, { cpu: "100m" })],
      initContainers: [{ ...limited("s", { cpu: "200m" }), restartPolicy: "Always" }, initContainer("i", { cpu: "100m" })],
    });
    expect(aggregateContainerRequests(pod, (container) => ({ ...container.requests, ...container.limits }))).toEqual({ cpu: 600 });
  });

  it("is empty for a pod whose containers request nothing", () => {
    expect(aggregateContainerRequests(makePod("p"))).toEqual({});
  });
});

describe("podLimitsOrRequests (fitBy: limits)", () => {
  const rows: Row[] = [
    {
      // limit 500m beats the request 250m.
      name: "a container with a limit counts its limit",
      pod: makePod("p", {}, { containers: [limited("app", { cpu: "500m" }, { cpu: "250m" })] }),
      expected: { cpu: 500 },
    },
    {
      // no limit: the request 250m.
      name: "a container without a limit counts its request",
      pod: makePod("p", { cpu: "250m" }),
      expected: { cpu: 250 },
    },
    {
      // cpu: limit 1 → 1000; memory: no limit, request 128Mi; second container cpu request 100m → 1100.
      name: "limits and requests mix per resource and per container",
      pod: makePod("p", {}, { containers: [limited("a", { cpu: "1" }, { cpu: "100m", memory: "128Mi" }), makeContainer("b", { cpu: "100m" })] }),
      expected: { cpu: 1100, memory: 128 * Mi },
    },
    {
      // regular limit 300m; init limit 800m; max = 800.
      name: "init containers count by their maximum limit",
      pod: makePod("p", {}, { containers: [limited("app", { cpu: "300m" })], initContainers: [limited("i", { cpu: "800m" })] }),
      expected: { cpu: 800 },
    },
    {
      // pod-level cpu limit 2 replaces the containers' 500m → 2000; memory: pod-level request 1Gi (no pod-level memory limit).
      name: "pod-level limits, else pod-level requests, replace the aggregate key by key",
      pod: makePod("p", {}, {
        containers: [limited("app", { cpu: "500m" }, { memory: "256Mi" })],
        resources: { requests: resources({ cpu: "1", memory: "1Gi" }), limits: resources({ cpu: "2" }) },
      }),
      expected: { cpu: 2000, memory: 1 * Gi },
    },
    {
      // limit 500m + overhead 100m = 600m.
      name: "overhead is added last",
      pod: makePod("p", {}, { containers: [limited("app", { cpu: "500m" })], overhead: resources({ cpu: "100m" }) }),
      expected: { cpu: 600 },
    },
  ];

  it.each(rows)("$name", ({ pod, expected }) => {
    expect(podLimitsOrRequests(pod)).toEqual(expected);
  });
});

describe("shortcuts for the common pod (only regular containers) give the general rules' answers", () => {
  const request = fc.option(fc.integer({ min: 0, max: 4000 }), { nil: undefined });
  const containers = fc.array(fc.record({ cpu: request, memory: request, gpu: request }), { minLength: 1, maxLength: 4 }).map((list) =>
    list.map((amounts, index) => makeContainer(`c${index}`, Object.fromEntries(Object.entries({ cpu: amounts.cpu, memory: amounts.memory, "nvidia.com/gpu": amounts.gpu })
      .filter(([, amount]) => amount !== undefined)
      .map(([name, amount]) => [name, name === "cpu" ? `${amount}m` : String(amount)])))));

  it("nonZeroRequest: the same as with an empty pod-level resources block (which takes the general path)", () => {
    fc.assert(fc.property(containers, (list) => {
      const pod = makePod("p", {}, { containers: list });
      const general = { ...pod, resources: { requests: {}, limits: {} } };
      expect(nonZeroRequest(pod, podRequests(pod))).toEqual(nonZeroRequest(general, podRequests(general)));
    }));
  });

  it("normalizeResources: a list already canonical comes back as it is; any other is sorted and loses its zeros", () => {
    fc.assert(fc.property(fc.dictionary(fc.constantFrom("cpu", "memory", "pods", "nvidia.com/gpu", "ephemeral-storage"), fc.integer({ min: 0, max: 3 })), (list) => {
      const expected = Object.fromEntries(Object.keys(list).sort().filter((name) => list[name] !== 0).map((name) => [name, list[name]]));
      const normalized = normalizeResources(list);
      expect(Object.entries(normalized)).toEqual(Object.entries(expected));
    }));
  });
});
