/**
 * Arbitraries of Kubernetes *manifests* and whole Scenario documents, for researchers: what they
 * generate is what a user writes (v1 Nodes and Pods, quantities as strings, a `timoneiro.dev/v1`
 * Scenario), valid by construction, and it shrinks towards fewer nodes, fewer pods, fewer
 * timeline actions and smaller numbers. A counterexample is therefore a scenario file as it is,
 * which `timoneiro run` reproduces: `timoneiro check` writes exactly the document it ran.
 *
 * Knobs (all optional): how many nodes and pods, how big, how full, which features.
 */
import fc from "fast-check";

/** A JSON object (a manifest). */
export type Manifest = Record<string, unknown>;

export interface ClusterKnobs {
  /** Nodes at the start: at least `min` (default 1), at most `max` (default 4). */
  readonly nodes?: { readonly min?: number; readonly max?: number };
  /** Pods created at tick 0 and along the timeline: at most `max` (default 12). */
  readonly pods?: { readonly max?: number };
  /** Timeline actions besides pod creations: at most `max` (default 8). */
  readonly actions?: { readonly max?: number };
  /**
   * How full the pods make the cluster: each pod asks for up to this share of the biggest node's
   * cpu and memory, in eighths (default 0.5: pods of up to half a node, so that they collide).
   */
  readonly podShare?: number;
  /** Which features appear (default all true). */
  readonly features?: {
    /** Taints on nodes and tolerations on pods. */
    readonly taints?: boolean;
    /** Pod priorities, from three PriorityClasses (low 10, mid 100, high 1000): preemption. */
    readonly priority?: boolean;
    /** Init containers and sidecars (restartable init containers). */
    readonly initContainers?: boolean;
    /** Limits (and memory use above them: OOM kills). */
    readonly limits?: boolean;
    /** Hard pod anti-affinity by hostname and soft zone spreading. */
    readonly affinity?: boolean;
    /** Pods that finish or fail after a while (sim.timoneiro.dev annotations). */
    readonly lifetimes?: boolean;
    /** Cordon, fail, recover and remove nodes in the timeline. */
    readonly nodeEvents?: boolean;
    /** Deployments, StatefulSets, DaemonSets, Jobs and CronJobs beside the bare pods (and scaling them). */
    readonly workloads?: boolean;
  };
  /** Workloads at most (default 3), when `features.workloads` is on. */
  readonly workloads?: { readonly max?: number };
}

const ZONES = ["zone-a", "zone-b", "zone-c"];

/** The PriorityClasses pods name (a scenario holds those its pods use). */
export const PRIORITY_CLASSES: readonly { readonly name: string; readonly value: number }[] = [
  { name: "low", value: 10 }, { name: "mid", value: 100 }, { name: "high", value: 1000 },
];

/** A cpu quantity as kube writes it: whole cores ("2") or millicores ("250m"). */
export const cpuQuantityArbitrary = (maxMillis = 8000): fc.Arbitrary<string> =>
  fc.integer({ min: 0, max: Math.floor(maxMillis / 125) }).map((steps) => (steps * 125 % 1000 === 0 ? String(steps * 125 / 1000) : `${steps * 125}m`));

/** A memory quantity in Mi or Gi ("512Mi", "2Gi"). */
export const memoryQuantityArbitrary = (maxMebibytes = 16384): fc.Arbitrary<string> =>
  fc.integer({ min: 0, max: Math.floor(maxMebibytes / 256) }).map((steps) => (steps * 256 % 1024 === 0 && steps > 0 ? `${steps * 256 / 1024}Gi` : `${steps * 256}Mi`));

function enabled(knobs: ClusterKnobs, feature: keyof NonNullable<ClusterKnobs["features"]>): boolean {
  return knobs.features?.[feature] ?? true;
}

/** A v1 Node: 1–8 cpu, 1–16 Gi, a zone, sometimes a NoSchedule taint. */
export const nodeManifestArbitrary = (name: string, knobs: ClusterKnobs = {}): fc.Arbitrary<Manifest> =>
  fc.record({
    cpu: fc.integer({ min: 1, max: 8 }),
    memoryGi: fc.integer({ min: 1, max: 16 }),
    pods: fc.oneof({ weight: 4, arbitrary: fc.constant(110) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) }),
    zone: fc.constantFrom(...ZONES),
    // Rolls shrink towards 0: the rare case is the highest roll, so that shrinking drops it.
    tainted: enabled(knobs, "taints") ? fc.integer({ min: 0, max: 4 }).map((roll) => roll === 4) : fc.constant(false),
  }).map(({ cpu, memoryGi, pods, zone, tainted }) => {
    const resources = { cpu: String(cpu), memory: `${memoryGi}Gi`, pods: String(pods) };
    return {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name, labels: { "kubernetes.io/hostname": name, "topology.kubernetes.io/zone": zone } },
      spec: tainted ? { taints: [{ key: "dedicated", value: "batch", effect: "NoSchedule" }] } : {},
      status: { capacity: resources, allocatable: resources },
    };
  });

const containerArbitrary = (name: string, knobs: ClusterKnobs): fc.Arbitrary<Manifest> => {
  const share = knobs.podShare ?? 0.5;
  return fc.record({
    cpu: fc.option(cpuQuantityArbitrary(Math.max(125, 8000 * share)), { nil: undefined }),
    memory: fc.option(memoryQuantityArbitrary(Math.max(256, 16384 * share)), { nil: undefined }),
    limit: enabled(knobs, "limits") ? fc.option(memoryQuantityArbitrary(Math.max(256, 16384 * share)), { nil: undefined, freq: 3 }) : fc.constant(undefined),
  }).map(({ cpu, memory, limit }) => {
    const requests = { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) };
    // A limit below the request is invalid: the limit is the request plus the drawn headroom.
    const limits = limit === undefined ? {} : { memory: memory === undefined ? limit : `${mebibytes(memory) + mebibytes(limit)}Mi` };
    return { name, image: "registry.k8s.io/pause:3.10", resources: { ...(Object.keys(requests).length > 0 ? { requests } : {}), ...(Object.keys(limits).length > 0 ? { limits } : {}) } };
  });
};

function mebibytes(quantity: string): number {
  return quantity.endsWith("Gi") ? Number(quantity.slice(0, -2)) * 1024 : Number(quantity.slice(0, -2));
}

/** A v1 Pod: one or two containers, and as the knobs allow an init container or sidecar, a toleration, a priority, a lifetime, anti-affinity. */
export const podManifestArbitrary = (name: string, knobs: ClusterKnobs = {}): fc.Arbitrary<Manifest> =>
  fc.record({
    containers: fc.array(containerArbitrary("app", knobs), { minLength: 1, maxLength: 2 }),
    init: enabled(knobs, "initContainers") ? fc.option(fc.record({ container: containerArbitrary("init", knobs), sidecar: fc.boolean() }), { nil: undefined, freq: 4 }) : fc.constant(undefined),
    tolerates: enabled(knobs, "taints") ? fc.boolean() : fc.constant(false),
    priority: enabled(knobs, "priority") ? fc.option(fc.constantFrom(...PRIORITY_CLASSES.map((entry) => entry.name)), { nil: undefined, freq: 2 }) : fc.constant(undefined),
    app: fc.constantFrom("web", "batch"),
    lifetime: enabled(knobs, "lifetimes") ? fc.option(fc.record({ seconds: fc.integer({ min: 1, max: 600 }), fails: fc.boolean() }), { nil: undefined, freq: 2 }) : fc.constant(undefined),
    memoryUse: enabled(knobs, "limits") ? fc.option(memoryQuantityArbitrary(4096), { nil: undefined, freq: 5 }) : fc.constant(undefined),
    antiAffinity: enabled(knobs, "affinity") ? fc.integer({ min: 0, max: 5 }).map((roll) => roll === 5) : fc.constant(false),
    spread: enabled(knobs, "affinity") ? fc.integer({ min: 0, max: 5 }).map((roll) => roll === 5) : fc.constant(false),
  }).map((draw) => {
    const annotations: Record<string, string> = {};
    if (draw.lifetime !== undefined) {
      if (draw.lifetime.fails) {
        annotations["sim.timoneiro.dev/fail-after"] = `${draw.lifetime.seconds}s`;
        annotations["sim.timoneiro.dev/exit-code"] = "1";
      } else {
        annotations["sim.timoneiro.dev/duration"] = `${draw.lifetime.seconds}s`;
      }
    }
    if (draw.memoryUse !== undefined) annotations["sim.timoneiro.dev/memory-usage"] = draw.memoryUse;
    const containers = draw.containers.map((container, index) => ({ ...container, name: `app-${index}` }));
    const selector = { matchLabels: { app: draw.app } };
    const affinity = draw.antiAffinity ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: selector, topologyKey: "kubernetes.io/hostname" }] } } : undefined;
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "default", labels: { app: draw.app }, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
      spec: {
        ...(draw.lifetime !== undefined ? { restartPolicy: "Never" } : {}),
        containers,
        ...(draw.init !== undefined ? { initContainers: [{ ...draw.init.container, ...(draw.init.sidecar ? { restartPolicy: "Always" } : {}) }] } : {}),
        ...(draw.tolerates ? { tolerations: [{ key: "dedicated", operator: "Exists", effect: "NoSchedule" }] } : {}),
        ...(draw.priority !== undefined ? { priorityClassName: draw.priority } : {}),
        ...(affinity !== undefined ? { affinity } : {}),
        ...(draw.spread ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: selector }] } : {}),
      },
    };
  });

/** The kinds `workloadManifestArbitrary` makes. */
export const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"] as const;
export type GeneratedWorkloadKind = (typeof WORKLOAD_KINDS)[number];

/**
 * A workload manifest of one of WORKLOAD_KINDS, named `name`, whose pods come from
 * `podManifestArbitrary` (labelled `app: NAME`): Deployments of 1–4 replicas, StatefulSets of
 * 1–3, DaemonSets, Jobs of 1–3 completions (1–2 in parallel) whose pods run 10–300 s and
 * sometimes fail (back-off limit 1), CronJobs every 5 minutes making such Jobs.
 */
export const workloadManifestArbitrary = (name: string, knobs: ClusterKnobs = {}): fc.Arbitrary<Manifest> =>
  workloadDraw(knobs).map((draw) => workloadFrom(draw, name));

interface WorkloadDraw {
  readonly kind: GeneratedWorkloadKind;
  readonly replicas: number;
  readonly completions: number;
  readonly parallelism: number;
  readonly runs: number;
  readonly fails: boolean;
  readonly pod: Manifest;
}

const workloadDraw = (knobs: ClusterKnobs): fc.Arbitrary<WorkloadDraw> => fc.record({
  kind: fc.constantFrom(...WORKLOAD_KINDS),
  replicas: fc.integer({ min: 1, max: 4 }),
  completions: fc.integer({ min: 1, max: 3 }),
  parallelism: fc.integer({ min: 1, max: 2 }),
  runs: fc.integer({ min: 10, max: 300 }),
  fails: fc.integer({ min: 0, max: 3 }).map((roll) => roll === 3),
  pod: podManifestArbitrary("template", { ...knobs, features: { ...knobs.features, lifetimes: false } }),
});

function workloadFrom(draw: WorkloadDraw, name: string): Manifest {
  const pod = draw.pod as { metadata: { annotations?: Record<string, string> }; spec: Record<string, unknown> };
  const labels = { app: name };
  const annotations = pod.metadata.annotations ?? {};
  // The template's own anti-affinity and spreading select its siblings.
  const spec = JSON.parse(JSON.stringify(pod.spec).replaceAll('{"app":"web"}', JSON.stringify(labels)).replaceAll('{"app":"batch"}', JSON.stringify(labels))) as Record<string, unknown>;
  const template = { metadata: { labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) }, spec };
  const meta = { name, namespace: "default" };
  const selector = { matchLabels: labels };
  const batchTemplate = {
    metadata: { labels, annotations: { ...annotations, ...(draw.fails ? { "sim.timoneiro.dev/fail-after": `${draw.runs}s`, "sim.timoneiro.dev/exit-code": "1" } : { "sim.timoneiro.dev/duration": `${draw.runs}s` }) } },
    spec: { ...spec, restartPolicy: "Never" },
  };
  const jobSpec = { completions: draw.completions, parallelism: draw.parallelism, backoffLimit: 1, template: batchTemplate };
  switch (draw.kind) {
    case "Deployment": return { apiVersion: "apps/v1", kind: "Deployment", metadata: meta, spec: { replicas: draw.replicas, selector, template } };
    case "StatefulSet": return { apiVersion: "apps/v1", kind: "StatefulSet", metadata: meta, spec: { replicas: Math.min(draw.replicas, 3), serviceName: name, selector, template } };
    case "DaemonSet": return { apiVersion: "apps/v1", kind: "DaemonSet", metadata: meta, spec: { selector, template } };
    case "Job": return { apiVersion: "batch/v1", kind: "Job", metadata: meta, spec: jobSpec };
    case "CronJob": return { apiVersion: "batch/v1", kind: "CronJob", metadata: meta, spec: { schedule: "*/5 * * * *", jobTemplate: { spec: jobSpec } } };
  }
}

/** Nodes named node-1, node-2 … (1–4 unless the knobs say), as `nodeManifestArbitrary` makes them. */
export const clusterManifestArbitrary = (knobs: ClusterKnobs = {}): fc.Arbitrary<Manifest[]> => {
  const min = knobs.nodes?.min ?? 1;
  return fc.array(nodeManifestArbitrary("node", knobs), { minLength: min, maxLength: Math.max(min, knobs.nodes?.max ?? 4) })
    .map((nodes) => nodes.map((node, index) => renamed(node, `node-${index + 1}`, true)));
};

/** A timeline action that is not a pod creation, naming its pod or node by position (resolved once the lists are known). */
interface ActionDraw {
  readonly at: number;
  readonly verb: "delete" | "cordon" | "uncordon" | "failNode" | "recoverNode" | "removeNode" | "scale";
  readonly target: number;
  readonly grace: number;
}

const actionArbitrary = (knobs: ClusterKnobs): fc.Arbitrary<ActionDraw> => fc.record({
  at: fc.integer({ min: 1, max: 900 }),
  verb: fc.constantFrom(...(["delete", ...(enabled(knobs, "nodeEvents") ? ["cordon", "uncordon", "failNode", "recoverNode", "removeNode"] : []), ...(enabled(knobs, "workloads") ? ["scale"] : [])] as const)),
  target: fc.nat({ max: 63 }),
  grace: fc.constantFrom(0, 30),
}) as fc.Arbitrary<ActionDraw>;

/**
 * A whole `timoneiro.dev/v1` Scenario document: nodes at tick 0, pods at tick 0 or created along
 * the timeline, deletions and node events, run for 20 minutes. Nodes, pods and actions are lists,
 * so shrinking drops them one by one; nothing names a node after its removal or a pod before its
 * creation.
 */
export const scenarioDocumentArbitrary = (knobs: ClusterKnobs = {}): fc.Arbitrary<Manifest> => {
  const minNodes = knobs.nodes?.min ?? 1;
  const maxNodes = Math.max(minNodes, knobs.nodes?.max ?? 4);
  return fc.record({
    nodes: fc.array(nodeManifestArbitrary("node", knobs), { minLength: minNodes, maxLength: maxNodes }),
    workloads: enabled(knobs, "workloads") ? fc.array(workloadDraw(knobs), { maxLength: knobs.workloads?.max ?? 3 }) : fc.constant([] as WorkloadDraw[]),
    pods: fc.array(fc.record({ pod: podManifestArbitrary("pod", knobs), at: fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined, freq: 2 }) }), { maxLength: knobs.pods?.max ?? 12 }),
    actions: fc.array(actionArbitrary(knobs), { maxLength: knobs.actions?.max ?? 8 }),
  }).map(({ nodes, pods, actions, workloads }) => {
    const workloadNames = workloads.map((_, index) => `app-${index + 1}`);
    const namedWorkloads = workloads.map((draw, index) => workloadFrom(draw, workloadNames[index] as string));
    const scalable = namedWorkloads.filter((workload) => workload["kind"] === "Deployment" || workload["kind"] === "StatefulSet");
    const nodeNames = nodes.map((_, index) => `node-${index + 1}`);
    const named = nodes.map((node, index) => renamed(node, nodeNames[index] as string, true));
    const podNames = pods.map((_, index) => `pod-${index + 1}`);
    const namedPods = pods.map(({ pod, at }, index) => ({ pod: renamed(pod, podNames[index] as string, false), at }));
    const entries: { at: number; entry: Manifest }[] = namedPods.flatMap(({ pod, at }) => (at === undefined ? [] : [{ at, entry: { create: pod } }]));
    for (const action of actions) {
      if (action.verb === "scale") {
        const target = scalable[action.target % Math.max(1, scalable.length)];
        if (target !== undefined) entries.push({ at: action.at, entry: { scale: { kind: target["kind"], name: (target["metadata"] as { name: string }).name, replicas: action.target % 5 } } });
      } else if (action.verb === "delete") {
        if (podNames.length > 0) entries.push({ at: action.at, entry: { delete: { kind: "Pod", name: podNames[action.target % podNames.length], namespace: "default", gracePeriodSeconds: action.grace } } });
      } else if (nodeNames.length > 0) {
        entries.push({ at: action.at, entry: { [action.verb]: nodeNames[action.target % nodeNames.length] } });
      }
    }
    entries.sort((a, b) => a.at - b.at);
    const createdAt = new Map(namedPods.map(({ at }, index) => [podNames[index] as string, at ?? 0]));
    const removed = new Set<string>();
    const timeline = entries.filter(({ at, entry }) => {
      const deleted = entry["delete"] as { name: string } | undefined;
      if (deleted !== undefined) return at > (createdAt.get(deleted.name) ?? 0);
      if (entry["create"] !== undefined || entry["scale"] !== undefined) return true;
      const node = Object.values(entry)[0] as string;
      if (removed.has(node)) return false;
      if (entry["removeNode"] !== undefined) removed.add(node);
      return true;
    }).map(({ at, entry }) => ({ at: `${at}s`, ...entry }));
    return {
      apiVersion: "timoneiro.dev/v1",
      kind: "Scenario",
      metadata: { name: "generated" },
      spec: {
        seed: 1,
        until: "20m",
        cluster: { nodes: named },
        workloads: [
          ...priorityClassesFor([...namedPods.map(({ pod }) => pod), ...namedWorkloads.map(templateOf)]),
          ...namedWorkloads,
          ...namedPods.filter(({ at }) => at === undefined).map(({ pod }) => pod),
        ],
        ...(timeline.length > 0 ? { timeline } : {}),
      },
    };
  });
};

/** The PriorityClass manifests the pods name, in PRIORITY_CLASSES' order. */
function priorityClassesFor(pods: readonly Manifest[]): Manifest[] {
  const used = new Set(pods.map((pod) => (pod["spec"] as { priorityClassName?: string }).priorityClassName));
  return PRIORITY_CLASSES.filter((entry) => used.has(entry.name)).map((entry) => ({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: entry.name }, value: entry.value }));
}

/** A workload's pod template (a CronJob's is inside its jobTemplate), as a pod-shaped manifest. */
function templateOf(workload: Manifest): Manifest {
  const spec = workload["spec"] as { template?: Manifest; jobTemplate?: { spec: { template: Manifest } } };
  return spec.template ?? spec.jobTemplate?.spec.template ?? {};
}

/** The manifest with its name (and a node's hostname label) set. */
function renamed(manifest: Manifest, name: string, node: boolean): Manifest {
  const metadata = manifest["metadata"] as Record<string, unknown>;
  const labels = metadata["labels"] as Record<string, string> | undefined;
  return { ...manifest, metadata: { ...metadata, name, ...(node && labels !== undefined ? { labels: { ...labels, "kubernetes.io/hostname": name } } : {}) } };
}
