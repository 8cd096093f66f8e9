/**
 * v1 Pod and Node manifests → the model: Kubernetes' API defaulting (SetDefaults_Pod,
 * SetDefaults_PodSpec, SetDefaults_NodeStatus, KEP-2837 defaultPodRequests), the validation that
 * matters to scheduling, and unknown-field warnings — each problem named by its field path.
 */
import { describe, expect, it } from "vitest";
import { formatPath, type Diagnostic } from "./diagnostics.js";
import { nodeFromManifest, podFromManifest, type Converted } from "./manifest.js";
import { podRequests } from "./requests.js";

const Mi = 2 ** 20;
const Gi = 2 ** 30;

type Json = Record<string, unknown>;

/** A minimal valid v1 Pod manifest; `spec` and `metadata` fields override the defaults. */
function podManifest(spec: Json = {}, metadata: Json = {}): Json {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", ...metadata },
    spec: { containers: [container()], ...spec },
  };
}

function container(fields: Json = {}): Json {
  return { name: "app", image: "nginx:1.27", ...fields };
}

/** A minimal valid v1 Node manifest. */
function nodeManifest(status: Json = {}, spec: Json = {}, metadata: Json = {}): Json {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "node-1", ...metadata },
    spec,
    status: { capacity: { cpu: "4", memory: "8Gi" }, ...status },
  };
}

/** Diagnostics as `severity path: message` lines, the way a loader prints them. */
function problems(result: Converted<unknown>): string[] {
  return result.diagnostics.map((d: Diagnostic) => `${d.severity} ${formatPath(d.path)}: ${d.message}`);
}

function onlyProblemAt(result: Converted<unknown>, path: string): Diagnostic {
  const found = result.diagnostics.filter((d) => formatPath(d.path) === path);
  expect(found, problems(result).join("\n")).toHaveLength(1);
  return found[0] as Diagnostic;
}

describe("podFromManifest: API defaults", () => {
  it("fills namespace, restartPolicy, schedulerName, grace period and priority", () => {
    const result = podFromManifest(podManifest());
    expect(problems(result)).toEqual([]);
    expect(result.value).toMatchObject({
      namespace: "default",
      name: "web",
      restartPolicy: "Always",
      schedulerName: "default-scheduler",
      terminationGracePeriodSeconds: 30,
      priority: 0,
      schedulingGates: [],
      // DefaultTolerationSeconds (admission.go): both NoExecute tolerations, 300 s.
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
      initContainers: [],
    });
  });

  it("keeps what the manifest sets", () => {
    const result = podFromManifest(
      podManifest({ restartPolicy: "Never", schedulerName: "my-scheduler", terminationGracePeriodSeconds: 5, priority: 100 }, { namespace: "shop" }),
    );
    expect(result.value).toMatchObject({ namespace: "shop", restartPolicy: "Never", schedulerName: "my-scheduler", terminationGracePeriodSeconds: 5, priority: 100 });
  });

  const requestRows: Array<{ name: string; resources: Json; requests: Json; limits: Json }> = [
    {
      name: "a resource with a limit and no request requests its limit",
      resources: { limits: { cpu: "500m", memory: "256Mi" } },
      requests: { cpu: 500, memory: 256 * Mi },
      limits: { cpu: 500, memory: 256 * Mi },
    },
    {
      name: "requests default to limits per resource, explicit requests stay",
      resources: { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m" } },
      requests: { cpu: 100, memory: 256 * Mi },
      limits: { cpu: 500, memory: 256 * Mi },
    },
    {
      name: "a request without a limit stays a request",
      resources: { requests: { memory: "128M" } },
      requests: { memory: 128_000_000 },
      limits: {},
    },
    {
      // YAML reads `cpu: 0.5` as a number; Kubernetes reads it as the quantity "0.5" = 500m.
      name: "a YAML number is read as quantity text",
      resources: { requests: { cpu: 0.5 } },
      requests: { cpu: 500 },
      limits: {},
    },
  ];
  it.each(requestRows)("$name", ({ resources, requests, limits }) => {
    const result = podFromManifest(podManifest({ containers: [container({ resources })] }));
    expect(problems(result)).toEqual([]);
    expect(result.value?.containers[0]).toMatchObject({ requests, limits });
  });

  it("defaults a port's protocol to TCP", () => {
    const result = podFromManifest(podManifest({ containers: [container({ ports: [{ containerPort: 80 }] })] }));
    expect(result.value?.containers[0]?.ports).toEqual([{ containerPort: 80, protocol: "TCP" }]);
  });
});

describe("podFromManifest: pod-level requests default from the containers or the pod-level limits (KEP-2837)", () => {
  const rows: Array<{ name: string; spec: Json; requests: Json }> = [
    {
      // cpu: a container requests 300m → 300m; memory: no container requests it → the pod limit 1Gi.
      name: "a missing pod-level request takes the containers' aggregate if some container requests it, else the pod-level limit",
      spec: { containers: [container({ resources: { requests: { cpu: "300m" } } })], resources: { limits: { cpu: "2", memory: "1Gi" } } },
      requests: { cpu: 300, memory: 1 * Gi },
    },
    {
      // no container requests cpu → the pod-level limit, 2 cores.
      name: "with no container requests, the pod-level request equals the pod-level limit",
      spec: { resources: { limits: { cpu: "2" } } },
      requests: { cpu: 2000 },
    },
    {
      // the explicit 1 core stays although the containers ask for 300m.
      name: "an explicit pod-level request is kept",
      spec: { containers: [container({ resources: { requests: { cpu: "300m" } } })], resources: { requests: { cpu: "1" }, limits: { cpu: "2" } } },
      requests: { cpu: 1000 },
    },
    {
      // container-level defaulting runs first: the container's memory limit 256Mi becomes its request,
      // so the aggregate 256Mi (not the pod limit 1Gi) is the pod-level request.
      name: "the aggregate counts container requests defaulted from container limits",
      spec: { containers: [container({ resources: { limits: { memory: "256Mi" } } })], resources: { limits: { memory: "1Gi" } } },
      requests: { memory: 256 * Mi },
    },
    {
      // app 200m + sidecar 100m = 300m; init after the sidecar: 100m + 500m = 600m; max = 600m.
      name: "the aggregate follows the init-container and sidecar rules",
      spec: {
        containers: [container({ resources: { requests: { cpu: "200m" } } })],
        initContainers: [
          container({ name: "proxy", restartPolicy: "Always", resources: { requests: { cpu: "100m" } } }),
          container({ name: "migrate", resources: { requests: { cpu: "500m" } } }),
        ],
        resources: { limits: { cpu: "2" } },
      },
      requests: { cpu: 600 },
    },
    {
      // defaulting only happens when pod-level limits are set: cpu is not copied from the containers.
      name: "without pod-level limits nothing is defaulted",
      spec: { containers: [container({ resources: { requests: { cpu: "300m" } } })], resources: { requests: { memory: "1Gi" } } },
      requests: { memory: 1 * Gi },
    },
  ];
  it.each(rows)("$name", ({ spec, requests }) => {
    const result = podFromManifest(podManifest(spec));
    expect(problems(result)).toEqual([]);
    expect(result.value?.resources?.requests).toEqual(requests);
  });

  it("podRequests of a defaulted pod uses the defaulted pod-level requests", () => {
    // pod-level requests default to cpu 300m (aggregate) and memory 1Gi (limit); they replace the aggregate.
    const result = podFromManifest(podManifest({ containers: [container({ resources: { requests: { cpu: "300m" } } })], resources: { limits: { cpu: "2", memory: "1Gi" } } }));
    expect(podRequests(result.value as NonNullable<typeof result.value>)).toEqual({ cpu: 300, memory: 1 * Gi });
  });
});

describe("podFromManifest: errors name the field", () => {
  const rows: Array<{ name: string; manifest: Json; path: string; message: RegExp }> = [
    { name: "a missing name", manifest: podManifest({}, { name: undefined }), path: "metadata.name", message: /^required/ },
    {
      name: "generateName without a name says why",
      manifest: podManifest({}, { name: undefined, generateName: "web-" }),
      path: "metadata.name",
      message: /generateName needs the API server/,
    },
    { name: "no containers", manifest: podManifest({ containers: [] }), path: "spec.containers", message: /at least one container/ },
    { name: "a container without an image", manifest: podManifest({ containers: [{ name: "app" }] }), path: "spec.containers[0].image", message: /^required/ },
    {
      name: "a bad quantity quotes the text and suggests a fix",
      manifest: podManifest({ containers: [container({ resources: { requests: { memory: "128MB" } } })] }),
      path: "spec.containers[0].resources.requests.memory",
      message: /"128MB".*did you mean "M" or "Mi"\?/,
    },
    {
      name: "a request above its limit",
      manifest: podManifest({ containers: [container({ resources: { requests: { cpu: "2" }, limits: { cpu: "1" } } })] }),
      path: "spec.containers[0].resources.requests.cpu",
      message: /less than or equal to the cpu limit/,
    },
    {
      name: "an extended resource requested without a limit",
      manifest: podManifest({ containers: [container({ resources: { requests: { "nvidia.com/gpu": "1" } } })] }),
      path: 'spec.containers[0].resources.limits["nvidia.com/gpu"]',
      message: /cannot be overcommitted/,
    },
    {
      name: "an extended resource whose request differs from its limit",
      manifest: podManifest({ containers: [container({ resources: { requests: { "nvidia.com/gpu": "1" }, limits: { "nvidia.com/gpu": "2" } } })] }),
      path: 'spec.containers[0].resources.requests["nvidia.com/gpu"]',
      message: /must equal the nvidia.com\/gpu limit/,
    },
    {
      name: "a toleration with operator Gt needs a feature gate that is off in v1.35",
      manifest: podManifest({ tolerations: [{ key: "gpu-count", operator: "Gt", value: "2", effect: "NoSchedule" }] }),
      path: "spec.tolerations[0].operator",
      message: /TaintTolerationComparisonOperators feature gate/,
    },
    {
      name: "a sim duration that is not a duration",
      manifest: podManifest({}, { annotations: { "sim.timoneiro.dev/duration": "soon" } }),
      path: 'metadata.annotations["sim.timoneiro.dev/duration"]',
      message: /invalid duration "soon"/,
    },
    {
      name: "a sim exit code out of range",
      manifest: podManifest({}, { annotations: { "sim.timoneiro.dev/exit-code": "300" } }),
      path: 'metadata.annotations["sim.timoneiro.dev/exit-code"]',
      message: /from 0 to 255/,
    },
  ];
  it.each(rows)("$name is an error at $path", ({ manifest, path, message }) => {
    const result = podFromManifest(manifest);
    expect(result.value).toBeUndefined();
    const diagnostic = onlyProblemAt(result, path);
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.message).toMatch(message);
  });

  it("an extended resource with only a limit requests its limit", () => {
    const result = podFromManifest(podManifest({ containers: [container({ resources: { limits: { "nvidia.com/gpu": "2" } } })] }));
    expect(problems(result)).toEqual([]);
    expect(result.value?.containers[0]?.requests).toEqual({ "nvidia.com/gpu": 2 });
  });
});

describe("podFromManifest: resource names as the API server takes them (validateContainerResourceName)", () => {
  const requesting = (requests: Json, limits?: Json) =>
    podFromManifest(podManifest({ containers: [container({ resources: { requests, ...(limits ? { limits } : {}) } })] }));

  it("accepts a name under kubernetes.io/ (IsPrefixedNativeResource), without a limit", () => {
    const result = requesting({ "kubernetes.io/something": 10 });
    expect(problems(result)).toEqual([]);
    expect(result.value?.containers[0]?.requests).toEqual({ "kubernetes.io/something": 10 });
  });

  it("accepts a fraction of one (not an extended resource), counted in whole units rounded up as Value() does: 500m is 1", () => {
    const result = requesting({ "example.kubernetes.io/widget": "500m" }, { "example.kubernetes.io/widget": "2" });
    expect(problems(result)).toEqual([]);
    expect(result.value?.containers[0]?.requests).toEqual({ "example.kubernetes.io/widget": 1 });
  });

  it("still refuses an unqualified unknown name, with a suggestion", () => {
    expect(problems(requesting({ memroy: "1Gi" }))).toEqual([
      'error spec.containers[0].resources.requests.memroy: "memroy" must be a standard resource type (cpu, memory, ephemeral-storage, hugepages-<size>) or fully qualified (example.com/name); did you mean "memory"?',
    ]);
  });

  it("still requires an extended resource to be whole and not overcommitted", () => {
    expect(problems(requesting({ "example.com/dongle": "1" }))).toEqual([
      "error spec.containers[0].resources.limits[\"example.com/dongle\"]: required: example.com/dongle cannot be overcommitted, so its limit must be set (and equal to its request)",
    ]);
  });
});

describe("podFromManifest: containers share one port range (the seed's rule)", () => {
  it("two containers exposing the same port and protocol is an error naming both", () => {
    const result = podFromManifest(
      podManifest({
        containers: [container({ name: "web", ports: [{ containerPort: 8080 }] }), container({ name: "metrics", ports: [{ containerPort: 8080, protocol: "TCP" }] })],
      }),
    );
    expect(result.value).toBeUndefined();
    const diagnostic = onlyProblemAt(result, "spec.containers[1].ports[0].containerPort");
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.message).toContain("8080/TCP");
    expect(diagnostic.message).toContain('"web"');
    expect(diagnostic.message).toContain('"metrics"');
  });

  it("the same port number over TCP and UDP is fine", () => {
    const result = podFromManifest(
      podManifest({
        containers: [container({ name: "dns-tcp", ports: [{ containerPort: 53 }] }), container({ name: "dns-udp", ports: [{ containerPort: 53, protocol: "UDP" }] })],
      }),
    );
    expect(problems(result)).toEqual([]);
    expect(result.value?.containers.map((c) => c.ports)).toEqual([[{ containerPort: 53, protocol: "TCP" }], [{ containerPort: 53, protocol: "UDP" }]]);
  });

  it("a sidecar shares the range with the regular containers", () => {
    const result = podFromManifest(
      podManifest({
        containers: [container({ name: "web", ports: [{ containerPort: 9090 }] })],
        initContainers: [container({ name: "proxy", restartPolicy: "Always", ports: [{ containerPort: 9090 }] })],
      }),
    );
    expect(onlyProblemAt(result, "spec.initContainers[0].ports[0].containerPort").severity).toBe("error");
  });
});

describe("podFromManifest: unknown fields are warnings with a suggestion", () => {
  const rows: Array<{ name: string; manifest: Json; path: string; suggestion: string | undefined }> = [
    {
      name: "`resource:` in a container",
      manifest: podManifest({ containers: [container({ resource: { requests: { cpu: "1" } } })] }),
      path: "spec.containers[0].resource",
      suggestion: "resources",
    },
    { name: "`lables:` in metadata", manifest: podManifest({}, { lables: { app: "web" } }), path: "metadata.lables", suggestion: "labels" },
    { name: "`nodeSelecter:` in the spec", manifest: podManifest({ nodeSelecter: { disk: "ssd" } }), path: "spec.nodeSelecter", suggestion: "nodeSelector" },
    { name: "a field far from any known name", manifest: podManifest({ zzzzzzzz: true }), path: "spec.zzzzzzzz", suggestion: undefined },
  ];
  it.each(rows)("$name → a warning at $path", ({ manifest, path, suggestion }) => {
    const result = podFromManifest(manifest);
    expect(result.value).toBeDefined();
    const diagnostic = onlyProblemAt(result, path);
    expect(diagnostic.severity).toBe("warning");
    if (suggestion === undefined) expect(diagnostic.message).not.toContain("did you mean");
    else expect(diagnostic.message).toContain(`did you mean "${suggestion}"?`);
  });

  it("a misspelt `resource:` leaves the pod requesting nothing, which is why it is reported", () => {
    const result = podFromManifest(podManifest({ containers: [container({ resource: { requests: { cpu: "1" } } })] }));
    expect(result.value?.containers[0]?.requests).toEqual({});
  });
});

describe("podFromManifest: simulation annotations", () => {
  it("reads durations as seconds and the exit code as a number", () => {
    const result = podFromManifest(
      podManifest({ restartPolicy: "Never" }, {
        annotations: {
          "sim.timoneiro.dev/duration": "1m30s", // 60 + 30 = 90
          "sim.timoneiro.dev/fail-after": "45s",
          "sim.timoneiro.dev/exit-code": "3",
          "sim.timoneiro.dev/image-pull": "20", // a bare number is seconds
        },
      }),
    );
    expect(problems(result)).toEqual([]);
    expect(result.value?.sim).toEqual({ durationSeconds: 90, failAfterSeconds: 45, exitCode: 3, imagePullSeconds: 20 });
  });

  it("reads the memory usage as a quantity, and refuses a bad one at its annotation", () => {
    const good = podFromManifest(podManifest({}, { annotations: { "sim.timoneiro.dev/memory-usage": "300Mi" } }));
    expect(good.value?.sim).toEqual({ memoryUsageBytes: 300 * 2 ** 20 });
    const bad = podFromManifest(podManifest({}, { annotations: { "sim.timoneiro.dev/memory-usage": "300MB" } }));
    expect(bad.value).toBeUndefined();
    expect(onlyProblemAt(bad, 'metadata.annotations["sim.timoneiro.dev/memory-usage"]').message).toContain('invalid quantity "300MB"');
  });

  it("warns that a duration under restartPolicy Always never ends the pod", () => {
    const result = podFromManifest(podManifest({}, { annotations: { "sim.timoneiro.dev/duration": "1m" } }));
    const diagnostic = onlyProblemAt(result, 'metadata.annotations["sim.timoneiro.dev/duration"]');
    expect(diagnostic.severity).toBe("warning");
    expect(diagnostic.message).toContain("never finishes");
    expect(result.value?.sim.durationSeconds).toBe(60);
    const never = podFromManifest(podManifest({ restartPolicy: "OnFailure" }, { annotations: { "sim.timoneiro.dev/duration": "1m" } }));
    expect(problems(never)).toEqual([]);
  });

  it("an unknown sim annotation is a warning with a suggestion", () => {
    const result = podFromManifest(podManifest({}, { annotations: { "sim.timoneiro.dev/durtion": "1m" } }));
    const diagnostic = onlyProblemAt(result, 'metadata.annotations["sim.timoneiro.dev/durtion"]');
    expect(diagnostic.severity).toBe("warning");
    expect(diagnostic.message).toContain('did you mean "sim.timoneiro.dev/duration"?');
    expect(result.value?.sim).toEqual({});
  });
});

describe("nodeFromManifest", () => {
  const rows: Array<{ name: string; manifest: Json; allocatable: Json }> = [
    {
      name: "allocatable defaults to capacity, with pods 110 (the kubelet's --max-pods default)",
      manifest: nodeManifest(),
      allocatable: { cpu: 4000, memory: 8 * Gi, pods: 110 },
    },
    {
      name: "pods comes from capacity when capacity declares it",
      manifest: nodeManifest({ capacity: { cpu: "4", memory: "8Gi", pods: "32" } }),
      allocatable: { cpu: 4000, memory: 8 * Gi, pods: 32 },
    },
    {
      name: "a declared allocatable is used as it is",
      manifest: nodeManifest({ capacity: { cpu: "4", memory: "8Gi", pods: "50" }, allocatable: { cpu: "3800m", memory: "7Gi", pods: "50" } }),
      allocatable: { cpu: 3800, memory: 7 * Gi, pods: 50 },
    },
  ];
  it.each(rows)("$name", ({ manifest, allocatable }) => {
    const result = nodeFromManifest(manifest);
    expect(problems(result)).toEqual([]);
    expect(result.value?.allocatable).toEqual(allocatable);
  });

  it("a node without conditions is Ready, schedulable and untainted", () => {
    const result = nodeFromManifest(nodeManifest());
    expect(result.value).toMatchObject({ name: "node-1", ready: "True", unschedulable: false, taints: [] });
  });

  it("reads the Ready condition, the cordon and the taints", () => {
    const result = nodeFromManifest(
      nodeManifest(
        { conditions: [{ type: "MemoryPressure", status: "False" }, { type: "Ready", status: "False" }] },
        { unschedulable: true, taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }] },
      ),
    );
    expect(problems(result)).toEqual([]);
    expect(result.value).toMatchObject({ ready: "False", unschedulable: true, taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }] });
  });

  it("warns when allocatable exceeds capacity", () => {
    const result = nodeFromManifest(nodeManifest({ capacity: { cpu: "4", memory: "8Gi" }, allocatable: { cpu: "8", memory: "8Gi" } }));
    expect(onlyProblemAt(result, "status.allocatable.cpu").severity).toBe("warning");
    expect(result.value?.allocatable["cpu"]).toBe(8000);
  });

  const errorRows: Array<{ name: string; manifest: Json; path: string }> = [
    { name: "a missing name", manifest: nodeManifest({}, {}, { name: undefined }), path: "metadata.name" },
    { name: "a taint without an effect", manifest: nodeManifest({}, { taints: [{ key: "gpu" }] }), path: "spec.taints[0].effect" },
    { name: "a bad capacity quantity", manifest: nodeManifest({ capacity: { cpu: "four" } }), path: "status.capacity.cpu" },
  ];
  it.each(errorRows)("$name is an error at $path", ({ manifest, path }) => {
    const result = nodeFromManifest(manifest);
    expect(result.value).toBeUndefined();
    expect(onlyProblemAt(result, path).severity).toBe("error");
  });

  it("warns about an unknown field with a suggestion", () => {
    const result = nodeFromManifest(nodeManifest({}, { unschedulabel: true }));
    const diagnostic = onlyProblemAt(result, "spec.unschedulabel");
    expect(diagnostic.severity).toBe("warning");
    expect(diagnostic.message).toContain('did you mean "unschedulable"?');
    expect(result.value?.unschedulable).toBe(false);
  });
});

describe("podFromManifest: pod-level resources hold what the containers ask (KEP-2837)", () => {
  it("refuses pod-level requests below the containers' aggregate", () => {
    // containers request 300m + 300m = 600m > the pod's 500m
    const result = podFromManifest(podManifest({
      resources: { requests: { cpu: "500m" } },
      containers: [container({ name: "a", resources: { requests: { cpu: "300m" } } }), container({ name: "b", resources: { requests: { cpu: "300m" } } })],
    }));
    expect(result.value).toBeUndefined();
    expect(onlyProblemAt(result, "spec.resources.requests.cpu").message).toBe("must be at least the containers' aggregate cpu request (600 millicores), got 500");
  });

  it("refuses a container limit above the pod-level limit", () => {
    const result = podFromManifest(podManifest({
      resources: { limits: { memory: "1Gi" } },
      containers: [container({ resources: { limits: { memory: "2Gi" } } })],
    }));
    expect(result.value).toBeUndefined();
    expect(onlyProblemAt(result, "spec.containers[0].resources.limits.memory").message).toBe("must not exceed the pod-level memory limit");
  });

  it("accepts pod-level requests equal to the aggregate", () => {
    const result = podFromManifest(podManifest({
      resources: { requests: { cpu: "600m" } },
      containers: [container({ name: "a", resources: { requests: { cpu: "300m" } } }), container({ name: "b", resources: { requests: { cpu: "300m" } } })],
    }));
    expect(problems(result)).toEqual([]);
  });
});

describe("DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds/admission.go)", () => {
  const notReady300 = { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 };
  const unreachable300 = { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 };
  const rows: { name: string; tolerations: unknown[]; expected: unknown[] }[] = [
    { name: "none: both added, not-ready first", tolerations: [], expected: [notReady300, unreachable300] },
    { name: "{operator: Exists} (every key, every effect) stops both", tolerations: [{ operator: "Exists" }], expected: [{ operator: "Exists" }] },
    {
      name: "a not-ready toleration for NoSchedule does not stop the NoExecute one",
      tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" }],
      expected: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" }, notReady300, unreachable300],
    },
    {
      name: "the pod's own unreachable toleration (60 s) is kept; only not-ready is added",
      tolerations: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 }],
      expected: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 }, notReady300],
    },
    {
      name: "an empty effect covers NoExecute: a key-only toleration stops its default",
      tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists" }],
      expected: [{ key: "node.kubernetes.io/not-ready", operator: "Exists" }, unreachable300],
    },
  ];
  it.each(rows)("$name", ({ tolerations, expected }) => {
    const result = podFromManifest(podManifest({ tolerations }));
    expect(problems(result)).toEqual([]);
    expect(result.value?.tolerations).toEqual(expected);
  });
});

describe("spec.topologySpreadConstraints (validateTopologySpreadConstraints, v1.35)", () => {
  const zone = { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" } } };
  const spread = (...constraints: Json[]): Json => podManifest({ topologySpreadConstraints: constraints }, { labels: { app: "web", "pod-template-hash": "abc" } });

  it("keeps a valid constraint as written, with kube's absent fields absent", () => {
    const result = podFromManifest(spread(zone, { ...zone, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", matchLabelKeys: ["pod-template-hash"], nodeTaintsPolicy: "Honor" }));
    expect(problems(result)).toEqual([]);
    expect(result.value?.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" }, matchExpressions: [] }, matchLabelKeys: [] },
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app: "web" }, matchExpressions: [] }, nodeTaintsPolicy: "Honor", matchLabelKeys: ["pod-template-hash"] },
    ]);
  });

  const rows: Array<{ name: string; manifest: Json; errors: string[] }> = [
    { name: "maxSkew 0", manifest: spread({ ...zone, maxSkew: 0 }), errors: ["spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero"] },
    { name: "maxSkew absent is 0", manifest: spread({ ...zone, maxSkew: undefined }), errors: ["spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero"] },
    { name: "an empty topologyKey", manifest: spread({ ...zone, topologyKey: "" }), errors: ["spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty"] },
    {
      name: "whenUnsatisfiable not one of the two",
      manifest: spread({ ...zone, whenUnsatisfiable: "Sometimes" }),
      errors: ['spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Sometimes": supported values: "DoNotSchedule", "ScheduleAnyway"'],
    },
    {
      name: "the same key and action twice: reported on the first",
      manifest: spread(zone, { ...zone, maxSkew: 2 }),
      errors: ['spec.topologySpreadConstraints[0]: {topologyKey, whenUnsatisfiable}: Duplicate value: "{topology.kubernetes.io/zone, DoNotSchedule}"'],
    },
    { name: "the same key with the other action is allowed", manifest: spread(zone, { ...zone, whenUnsatisfiable: "ScheduleAnyway" }), errors: [] },
    { name: "minDomains 0", manifest: spread({ ...zone, minDomains: 0 }), errors: ["spec.topologySpreadConstraints[0].minDomains: Invalid value: 0: must be greater than zero"] },
    {
      name: "minDomains with ScheduleAnyway",
      manifest: spread({ ...zone, whenUnsatisfiable: "ScheduleAnyway", minDomains: 3 }),
      errors: ["spec.topologySpreadConstraints[0].minDomains: Invalid value: 3: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway"],
    },
    { name: "an unknown inclusion policy", manifest: spread({ ...zone, nodeAffinityPolicy: "Maybe" }), errors: ['spec.topologySpreadConstraints[0].nodeAffinityPolicy: Unsupported value: "Maybe": supported values: "Honor", "Ignore"'] },
    {
      name: "matchLabelKeys without a labelSelector",
      manifest: spread({ ...zone, labelSelector: undefined, matchLabelKeys: ["pod-template-hash"] }),
      errors: ["spec.topologySpreadConstraints[0].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set"],
    },
    {
      // after kube's create-time merge the key would be in the selector twice
      name: "a matchLabelKey the pod carries that the selector names too",
      manifest: spread({ ...zone, matchLabelKeys: ["app"] }),
      errors: ['spec.topologySpreadConstraints[0].matchLabelKeys[0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector'],
    },
    { name: "a matchLabelKey the pod does not carry is not merged, so not refused", manifest: spread({ ...zone, labelSelector: { matchLabels: { tier: "web" } }, matchLabelKeys: ["tier"] }), errors: [] },
    {
      name: "a malformed selector",
      manifest: spread({ ...zone, labelSelector: { matchExpressions: [{ key: "app", operator: "In", values: [] }] } }),
      errors: ["spec.topologySpreadConstraints[0].labelSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    },
  ];
  it.each(rows)("$name", ({ manifest, errors }) => {
    expect(problems(podFromManifest(manifest)).filter((line) => line.startsWith("error ")).map((line) => line.slice("error ".length))).toEqual(errors);
  });
});

describe("spec.affinity.podAffinity / podAntiAffinity (validatePodAffinityTerm, v1.35)", () => {
  const PATH = "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]";
  const web = { labelSelector: { matchLabels: { app: "web" } }, topologyKey: "kubernetes.io/hostname" };
  const anti = (...terms: Json[]): Json => podManifest({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } } }, { labels: { app: "web", "pod-template-hash": "abc" } });
  const preferred = (...items: Json[]): Json => podManifest({ affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: items } } });

  it("keeps valid terms as written, with kube's absent fields absent", () => {
    const result = podFromManifest(podManifest({
      affinity: {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...web, matchLabelKeys: ["pod-template-hash"] }] },
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { labelSelector: {}, namespaceSelector: {}, topologyKey: "topology.kubernetes.io/zone" } }] },
      },
    }, { labels: { app: "web" } }));
    expect(problems(result)).toEqual([]);
    expect(result.value?.podAntiAffinity).toEqual({
      required: [{ labelSelector: { matchLabels: { app: "web" }, matchExpressions: [] }, namespaces: [], topologyKey: "kubernetes.io/hostname", matchLabelKeys: ["pod-template-hash"], mismatchLabelKeys: [] }],
      preferred: [],
    });
    expect(result.value?.podAffinity?.preferred).toEqual([
      { weight: 50, podAffinityTerm: { labelSelector: { matchLabels: {}, matchExpressions: [] }, namespaces: [], namespaceSelector: { matchLabels: {}, matchExpressions: [] }, topologyKey: "topology.kubernetes.io/zone", matchLabelKeys: [], mismatchLabelKeys: [] } },
    ]);
  });

  const rows: Array<{ name: string; manifest: Json; errors: string[] }> = [
    {
      name: "an empty topologyKey: required, then the label-name rule's two messages",
      manifest: anti({ ...web, topologyKey: "" }),
      errors: [
        `${PATH}.topologyKey: Required value: can not be empty`,
        `${PATH}.topologyKey: Invalid value: "": name part must be non-empty`,
        `${PATH}.topologyKey: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
    },
    {
      name: "a namespace that is not a DNS-1123 label (kube's path says `namespace`)",
      manifest: anti({ ...web, namespaces: ["Bad_NS"] }),
      errors: [`${PATH}.namespace: Invalid value: "Bad_NS": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`],
    },
    {
      name: "matchLabelKeys without a labelSelector",
      manifest: anti({ topologyKey: "kubernetes.io/hostname", matchLabelKeys: ["pod-template-hash"] }),
      errors: [`${PATH}.matchLabelKeys: Forbidden: must not be specified when labelSelector is not set`],
    },
    {
      name: "a key in both matchLabelKeys and mismatchLabelKeys",
      manifest: anti({ ...web, matchLabelKeys: ["pod-template-hash"], mismatchLabelKeys: ["pod-template-hash"] }),
      errors: [`${PATH}.matchLabelKeys[0]: Invalid value: "pod-template-hash": exists in both matchLabelKeys and mismatchLabelKeys`],
    },
    {
      // after kube-apiserver's merge `app In [web]` is in the selector twice; kube's path is `…[0][0]`
      name: "a matchLabelKey the pod carries that the selector names too",
      manifest: anti({ ...web, matchLabelKeys: ["app"] }),
      errors: [`${PATH}[0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector`],
    },
    { name: "a matchLabelKey that is not a label key", manifest: anti({ ...web, matchLabelKeys: ["/simple"] }), errors: [`${PATH}.matchLabelKeys[0]: Invalid value: "/simple": prefix part must be non-empty`] },
    {
      name: "a weight of 0",
      manifest: preferred({ weight: 0, podAffinityTerm: web }),
      errors: ["spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100"],
    },
    {
      name: "a weight of 101",
      manifest: preferred({ weight: 101, podAffinityTerm: web }),
      errors: ["spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100"],
    },
    {
      name: "a malformed namespaceSelector",
      manifest: anti({ ...web, namespaceSelector: { matchExpressions: [{ key: "team", operator: "Near", values: ["a"] }] } }),
      errors: [`${PATH}.namespaceSelector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator`],
    },
  ];
  it.each(rows)("$name", ({ manifest, errors }) => {
    expect(problems(podFromManifest(manifest)).filter((line) => line.startsWith("error ")).map((line) => line.slice("error ".length))).toEqual(errors);
  });
});

describe("nodeFromManifest: the kubelet's hostname label", () => {
  it("is added as the kubelet adds it on registering: kubernetes.io/hostname = the node's name", () => {
    expect(nodeFromManifest(nodeManifest({}, {}, { labels: { zone: "a" } })).value?.labels).toEqual({ zone: "a", "kubernetes.io/hostname": "node-1" });
  });
  it("keeps one the manifest sets", () => {
    expect(nodeFromManifest(nodeManifest({}, {}, { labels: { "kubernetes.io/hostname": "ip-10-0-0-1" } })).value?.labels).toEqual({ "kubernetes.io/hostname": "ip-10-0-0-1" });
  });
});
