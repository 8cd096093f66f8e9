/**
 * fast-check arbitraries for clusters and their timelines: small nodes and pods whose sizes
 * collide often, so that pods wait, get freed resources, crash, restart and are deleted.
 */
import fc from "fast-check";
import { workloadFromManifest, type Container, type Node, type Pod, type PodRestartPolicy, type Scenario, type TimelineAction, type TopologySpreadConstraint, type PodAffinityTerm, type PodAffinityRules, type Workload, type WorkloadKind } from "../core/index.js";

/**
 * `arbitrary` one time in `n`, else undefined. (fc.option's `freq` is the other way round: it
 * makes the *absent* value one in n, which left most pods bound by nodeName and so never
 * scheduled.)
 */
function oneIn<T>(n: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: n - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

const NODE_NAMES = ["node-a", "node-b", "node-c", "node-d", "node-e", "node-f"];
const POD_NAMES = Array.from({ length: 30 }, (_, index) => `pod-${index}`);

export const nodeArbitrary = (name: string): fc.Arbitrary<Node> =>
  fc.record({
    cpu: fc.integer({ min: 0, max: 16 }).map((halves) => halves * 500),
    memory: fc.integer({ min: 0, max: 16 }).map((gibibytes) => gibibytes * 2 ** 30),
    pods: fc.oneof({ weight: 3, arbitrary: fc.constant(110) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 }) }),
    unschedulable: fc.integer({ min: 0, max: 7 }).map((roll) => roll === 0),
    zone: fc.constantFrom("a", "b", "c"),
    taint: oneIn(4, fc.constantFrom("NoSchedule", "PreferNoSchedule", "NoExecute") as fc.Arbitrary<"NoSchedule" | "PreferNoSchedule" | "NoExecute">),
    // Now and then a node without the hostname label (spreading by hostname refuses it).
    hostname: fc.integer({ min: 0, max: 5 }).map((roll) => roll !== 0),
  }).map(({ cpu, memory, pods, unschedulable, zone, taint, hostname }): Node => {
    const allocatable = { cpu, memory, pods };
    return {
      name, labels: { "topology.kubernetes.io/zone": zone, disk: zone === "a" ? "ssd" : "hdd", ...(hostname ? { "kubernetes.io/hostname": name } : {}) }, annotations: {},
      taints: taint === undefined ? [] : [{ key: "dedicated", value: "batch", effect: taint }],
      unschedulable, capacity: allocatable, allocatable, ready: "True",
    };
  });

const containerArbitrary = (name: string): fc.Arbitrary<Container> =>
  fc.record({
    cpu: fc.option(fc.integer({ min: 0, max: 8 }).map((steps) => steps * 250), { nil: undefined }),
    memory: fc.option(fc.integer({ min: 0, max: 8 }).map((steps) => steps * 512 * 2 ** 20), { nil: undefined }),
    memoryHeadroom: fc.option(fc.integer({ min: 0, max: 4 }).map((steps) => steps * 512 * 2 ** 20), { nil: undefined }),
  }).map(({ cpu, memory, memoryHeadroom }): Container => ({
    name,
    image: "example/app:1",
    ports: [],
    requests: { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) },
    limits: memoryHeadroom === undefined ? {} : { memory: (memory ?? 0) + memoryHeadroom } as Record<string, number>,
  }));

const SPREAD_KEYS = ["topology.kubernetes.io/zone", "kubernetes.io/hostname", "disk"] as const;

/** A topology spread constraint over the pods labelled `app`: by zone, hostname or disk, hard or soft, with kube's selector cases (nil, `{}`, matchLabelKeys). */
const spreadArbitrary: fc.Arbitrary<TopologySpreadConstraint> = fc.record({
  key: fc.constantFrom(...SPREAD_KEYS),
  maxSkew: fc.integer({ min: 1, max: 2 }),
  hard: fc.boolean(),
  selector: fc.constantFrom("a", "b", "nil", "empty", "matchLabelKeys"),
  minDomains: oneIn(4, fc.integer({ min: 1, max: 4 })),
  honorTaints: fc.boolean(),
  ignoreAffinity: fc.integer({ min: 0, max: 3 }).map((roll) => roll === 0),
}).map((draw): TopologySpreadConstraint => ({
  maxSkew: draw.maxSkew,
  topologyKey: draw.key,
  whenUnsatisfiable: draw.hard ? "DoNotSchedule" : "ScheduleAnyway",
  ...(draw.selector === "nil" ? {} : { labelSelector: { matchLabels: draw.selector === "a" || draw.selector === "b" ? { app: draw.selector } : {}, matchExpressions: [] } }),
  ...(draw.hard && draw.minDomains !== undefined ? { minDomains: draw.minDomains } : {}),
  ...(draw.honorTaints ? { nodeTaintsPolicy: "Honor" as const } : {}),
  ...(draw.ignoreAffinity ? { nodeAffinityPolicy: "Ignore" as const } : {}),
  matchLabelKeys: draw.selector === "matchLabelKeys" ? ["app"] : [],
}));

/** Up to two constraints with distinct (key, action) pairs, as validation requires. */
const spreadListArbitrary: fc.Arbitrary<TopologySpreadConstraint[]> = fc.array(spreadArbitrary, { maxLength: 2 })
  .map((list) => list.filter((constraint, index) => list.findIndex((other) => other.topologyKey === constraint.topologyKey && other.whenUnsatisfiable === constraint.whenUnsatisfiable) === index));

/**
 * A pod affinity term over the pods labelled `app`: by zone, hostname or disk, with kube's
 * selector cases (nil, `{}`, matchLabelKeys, mismatchLabelKeys) and namespace cases (own, listed,
 * another namespace, `namespaceSelector: {}`, a namespaceSelector no Namespace object matches).
 */
const affinityTermArbitrary: fc.Arbitrary<PodAffinityTerm> = fc.record({
  key: fc.constantFrom(...SPREAD_KEYS),
  selector: fc.constantFrom("a", "b", "a", "b", "nil", "empty", "matchLabelKeys", "mismatchLabelKeys"),
  namespaces: fc.constantFrom("own", "own", "own", "listed", "other", "everything", "labelled"),
}).map((draw): PodAffinityTerm => ({
  ...(draw.selector === "nil" ? {} : { labelSelector: { matchLabels: draw.selector === "a" || draw.selector === "b" ? { app: draw.selector } : {}, matchExpressions: [] } }),
  namespaces: draw.namespaces === "listed" ? ["default"] : draw.namespaces === "other" ? ["elsewhere"] : [],
  ...(draw.namespaces === "everything" ? { namespaceSelector: { matchLabels: {}, matchExpressions: [] } } : {}),
  ...(draw.namespaces === "labelled" ? { namespaceSelector: { matchLabels: { team: "x" }, matchExpressions: [] } } : {}),
  topologyKey: draw.key,
  matchLabelKeys: draw.selector === "matchLabelKeys" ? ["app"] : [],
  mismatchLabelKeys: draw.selector === "mismatchLabelKeys" ? ["app"] : [],
}));

const affinityRulesArbitrary: fc.Arbitrary<PodAffinityRules> = fc.record({
  required: fc.array(affinityTermArbitrary, { maxLength: 2 }),
  preferred: fc.array(fc.record({ weight: fc.integer({ min: 1, max: 100 }), podAffinityTerm: affinityTermArbitrary }).map(({ weight, podAffinityTerm }) => ({ weight, podAffinityTerm })), { maxLength: 2 }),
}).map(({ required, preferred }) => ({ required, preferred }));

/** podAffinity and podAntiAffinity, each present or not. */
export const podAffinityArbitrary: fc.Arbitrary<Pick<Pod, "podAffinity" | "podAntiAffinity">> = fc.record({
  affinity: oneIn(2, affinityRulesArbitrary),
  anti: oneIn(2, affinityRulesArbitrary),
}).map(({ affinity, anti }) => ({ ...(affinity !== undefined ? { podAffinity: affinity } : {}), ...(anti !== undefined ? { podAntiAffinity: anti } : {}) }));

export const podArbitrary = (name: string, nodeNames: readonly string[]): fc.Arbitrary<Pod> =>
  fc.record({
    containers: fc.array(containerArbitrary("c"), { minLength: 1, maxLength: 2 }).map((list) => list.map((container, index) => ({ ...container, name: `c${index}` }))),
    init: fc.option(containerArbitrary("init"), { nil: undefined }),
    sidecar: fc.boolean(),
    restartPolicy: fc.constantFrom<PodRestartPolicy>("Always", "OnFailure", "Never"),
    priority: fc.integer({ min: -2, max: 2 }),
    nodeName: oneIn(10, fc.constantFrom(...nodeNames, "node-missing")),
    durationSeconds: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
    failAfterSeconds: oneIn(3, fc.integer({ min: 0, max: 300 })),
    imagePullSeconds: oneIn(3, fc.integer({ min: 0, max: 30 })),
    readyAfterSeconds: oneIn(3, fc.integer({ min: 0, max: 40 })),
    memoryUsageBytes: oneIn(3, fc.integer({ min: 0, max: 8 }).map((steps) => steps * 512 * 2 ** 20)),
    grace: fc.integer({ min: 0, max: 60 }),
    gated: fc.integer({ min: 0, max: 15 }).map((roll) => roll === 0),
    selector: oneIn(4, fc.constantFrom("ssd", "hdd")),
    tolerates: fc.boolean(),
    hostPort: oneIn(5, fc.constantFrom(80, 443)),
    app: fc.constantFrom("a", "b", undefined),
    spread: oneIn(2, spreadListArbitrary),
    affinity: oneIn(3, podAffinityArbitrary),
  }).map((draw) => ({
    namespace: "default",
    name,
    labels: (draw.app === undefined ? {} : { app: draw.app }) as Record<string, string>,
    ...(draw.spread !== undefined && draw.spread.length > 0 ? { topologySpreadConstraints: draw.spread } : {}),
    ...draw.affinity,
    annotations: {},
    containers: draw.hostPort === undefined ? draw.containers
      : draw.containers.map((container, index) => (index === 0 ? { ...container, ports: [{ containerPort: draw.hostPort as number, hostPort: draw.hostPort as number, protocol: "TCP" as const }] } : container)),
    initContainers: draw.init === undefined ? [] : [{ ...draw.init, ...(draw.sidecar ? { restartPolicy: "Always" as const } : {}) }],
    restartPolicy: draw.restartPolicy,
    priority: draw.priority,
    schedulerName: "default-scheduler",
    ...(draw.nodeName !== undefined ? { nodeName: draw.nodeName } : {}),
    nodeSelector: (draw.selector === undefined ? {} : { disk: draw.selector }) as Record<string, string>,
    tolerations: draw.tolerates ? [{ key: "dedicated", operator: "Exists" as const }] : [],
    schedulingGates: draw.gated ? ["example.com/gate"] : [],
    terminationGracePeriodSeconds: draw.grace,
    sim: {
      ...(draw.durationSeconds !== undefined ? { durationSeconds: draw.durationSeconds } : {}),
      ...(draw.failAfterSeconds !== undefined ? { failAfterSeconds: draw.failAfterSeconds, exitCode: 3 } : {}),
      ...(draw.imagePullSeconds !== undefined ? { imagePullSeconds: draw.imagePullSeconds } : {}),
      ...(draw.readyAfterSeconds !== undefined ? { readyAfterSeconds: draw.readyAfterSeconds } : {}),
      ...(draw.memoryUsageBytes !== undefined ? { memoryUsageBytes: draw.memoryUsageBytes } : {}),
    },
  }));

/** A whole scenario: up to 4 nodes at the start, up to 12 pods, up to 15 timeline actions. */
export const scenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .record({
    nodeCount: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 9, arbitrary: fc.integer({ min: 1, max: 4 }) }),
    podCount: fc.integer({ min: 0, max: 12 }),
    untilSeconds: fc.integer({ min: 0, max: 1800 }),
    actionCount: fc.integer({ min: 0, max: 15 }),
  })
  .chain(({ nodeCount, podCount, untilSeconds, actionCount }) => {
    const nodeNames = NODE_NAMES.slice(0, nodeCount + 2);
    const at = fc.integer({ min: 0, max: 1800 });
    const action: fc.Arbitrary<TimelineAction> = fc.oneof(
      fc.record({ at, pod: fc.constantFrom(...POD_NAMES).chain((name) => podArbitrary(name, nodeNames)) }).map(({ at: tick, pod }) => ({ at: tick, action: "createPod" as const, pod })),
      fc.record({ at, pod: fc.constantFrom(...POD_NAMES), grace: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }) })
        .map(({ at: tick, pod, grace }) => ({ at: tick, action: "deletePod" as const, pod: `default/${pod}`, ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}) })),
      fc.record({ at, node: fc.constantFrom(...nodeNames), cordon: fc.boolean() })
        .map(({ at: tick, node, cordon }) => ({ at: tick, action: cordon ? ("cordon" as const) : ("uncordon" as const), node })),
      fc.record({ at, name: fc.constantFrom(...nodeNames) }).chain(({ at: tick, name }) => nodeArbitrary(name).map((node) => ({ at: tick, action: "addNode" as const, node }))),
    );
    return fc.record({
      nodes: fc.tuple(...nodeNames.slice(0, nodeCount).map((name) => nodeArbitrary(name))),
      pods: fc.tuple(...POD_NAMES.slice(0, podCount).map((name) => podArbitrary(name, nodeNames))),
      timeline: fc.array(action, { maxLength: actionCount, size: "max" }),
      seed: fc.integer({ min: 0, max: 1000 }),
      fitBy: fc.constantFrom("requests" as const, "limits" as const),
      // A PodGC threshold small enough to matter here, now and then.
      podGC: oneIn(3, fc.integer({ min: 0, max: 3 })),
    }).map(({ nodes, pods, timeline, seed, fitBy, podGC }): Scenario => ({
      name: "property",
      seed,
      untilSeconds,
      options: { fitBy },
      nodes,
      pods,
      timeline,
      ...(podGC !== undefined ? { controllers: { terminatedPodGCThreshold: podGC } } : {}),
    }));
  });

/**
 * A cluster big enough for kube's sampling (100 nodes or more: it filters only some nodes per
 * cycle, from a moving start) with pods that arrive, run and finish, so free capacity moves.
 */
export const sampledScenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .record({
    nodeCount: fc.integer({ min: 100, max: 180 }),
    podCount: fc.integer({ min: 50, max: 250 }),
    seed: fc.integer({ min: 0, max: 1000 }),
    // Half the clusters have no taints: the fast engine's fused scoring for kube's default profile applies there.
    tainted: fc.boolean(),
  })
  .chain(({ nodeCount, podCount, seed, tainted }) => {
    const node = (index: number) => nodeArbitrary(`node-${index}`).map((spec) => ({
      ...spec,
      taints: tainted ? spec.taints : [],
      // Most nodes big enough for several pods; a few with no room at all.
      allocatable: { ...spec.allocatable, cpu: spec.allocatable["cpu"] === 0 ? 0 : 2000 + (spec.allocatable["cpu"] ?? 0) },
      capacity: { ...spec.allocatable, cpu: spec.allocatable["cpu"] === 0 ? 0 : 2000 + (spec.allocatable["cpu"] ?? 0) },
    }));
    const pod = (index: number) => fc.record({
      spec: podArbitrary(`pod-${index}`, []),
      at: fc.integer({ min: 0, max: 600 }),
      duration: fc.integer({ min: 10, max: 400 }),
    }).map(({ spec, at, duration }) => ({
      at,
      action: "createPod" as const,
      pod: { ...spec, restartPolicy: "Never" as const, sim: { durationSeconds: duration } },
    }));
    return fc.record({
      nodes: fc.tuple(...Array.from({ length: nodeCount }, (_, index) => node(index))),
      timeline: fc.tuple(...Array.from({ length: podCount }, (_, index) => pod(index))),
    }).map(({ nodes, timeline }): Scenario => ({ name: "sampled", seed, untilSeconds: 900, options: { fitBy: "requests" }, nodes, pods: [], timeline }));
  });

/**
 * Clusters of 100–150 nodes in three zones, every node labelled with its zone and hostname and
 * none tainted, where every pod spreads (one or two constraints by zone, hostname or disk, hard
 * or soft) and asks for no node: the fast engine's fused kube scoring then handles spreading
 * itself, from the counts it keeps; the plain plugin path must agree.
 */
export const spreadScenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .record({
    nodeCount: fc.integer({ min: 100, max: 150 }),
    podCount: fc.integer({ min: 60, max: 200 }),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .chain(({ nodeCount, podCount, seed }) => {
    const node = (index: number) => nodeArbitrary(`node-${index}`).map((spec): Node => ({
      ...spec,
      labels: { ...spec.labels, "kubernetes.io/hostname": spec.name },
      taints: [],
      allocatable: { ...spec.allocatable, cpu: 4000 + (spec.allocatable["cpu"] ?? 0) },
      capacity: { ...spec.allocatable, cpu: 4000 + (spec.allocatable["cpu"] ?? 0) },
    }));
    const spreading = fc.array(spreadArbitrary, { minLength: 1, maxLength: 2 })
      .map((list) => list.filter((constraint, index) => list.findIndex((other) => other.topologyKey === constraint.topologyKey && other.whenUnsatisfiable === constraint.whenUnsatisfiable) === index));
    const pod = (index: number) => fc.record({
      spec: podArbitrary(`pod-${index}`, []),
      spread: spreading,
      at: fc.integer({ min: 0, max: 600 }),
      duration: fc.integer({ min: 10, max: 400 }),
    }).map(({ spec, spread, at, duration }) => ({
      at,
      action: "createPod" as const,
      pod: {
        ...spec,
        nodeSelector: {},
        schedulingGates: [],
        containers: spec.containers.map((container) => ({ ...container, ports: [] })),
        topologySpreadConstraints: spread,
        restartPolicy: "Never" as const,
        sim: { durationSeconds: duration },
      },
    }));
    return fc.record({
      nodes: fc.tuple(...Array.from({ length: nodeCount }, (_, index) => node(index))),
      timeline: fc.tuple(...Array.from({ length: podCount }, (_, index) => pod(index))),
    }).map(({ nodes, timeline }): Scenario => ({ name: "spread", seed, untilSeconds: 900, options: { fitBy: "requests" }, nodes, pods: [], timeline }));
  });

/**
 * Clusters of 100–160 nodes that grow while pods arrive: a big zone and 0–12 zones of one node
 * each, nodes joining at random ticks. With few zones the fast engine gives each joining node
 * its own slot in kube's order; with many, one zone far bigger than the rest, it falls back to
 * plain positions and rebuilds the order on each join — both must give kube's answers.
 */
export const growingScenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .record({
    bigZone: fc.integer({ min: 100, max: 150 }),
    smallZones: fc.integer({ min: 0, max: 12 }),
    podCount: fc.integer({ min: 40, max: 150 }),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .chain(({ bigZone, smallZones, podCount, seed }) => {
    const node = (index: number, zone: string) => fc.tuple(nodeArbitrary(`node-${index}`), fc.integer({ min: 0, max: 300 })).map(([spec, at]) => ({
      at,
      action: "addNode" as const,
      node: {
        ...spec,
        labels: { ...spec.labels, "topology.kubernetes.io/zone": zone },
        taints: [],
        allocatable: { ...spec.allocatable, cpu: 2000 + (spec.allocatable["cpu"] ?? 0) },
        capacity: { ...spec.allocatable, cpu: 2000 + (spec.allocatable["cpu"] ?? 0) },
      },
    }));
    const pod = (index: number) => fc.record({ spec: podArbitrary(`pod-${index}`, []), at: fc.integer({ min: 0, max: 400 }), duration: fc.integer({ min: 10, max: 300 }) })
      .map(({ spec, at, duration }) => ({ at, action: "createPod" as const, pod: { ...spec, restartPolicy: "Never" as const, sim: { durationSeconds: duration } } }));
    const joins = [
      ...Array.from({ length: bigZone }, (_, index) => node(index, "big")),
      ...Array.from({ length: smallZones }, (_, index) => node(bigZone + index, `small-${index}`)),
    ];
    return fc.record({
      joins: fc.tuple(...joins),
      arrivals: fc.tuple(...Array.from({ length: podCount }, (_, index) => pod(index))),
    }).map(({ joins: added, arrivals }): Scenario => ({
      name: "growing", seed, untilSeconds: 600, options: { fitBy: "requests" }, nodes: [], pods: [], timeline: [...added, ...arrivals],
    }));
  });

/** A workload manifest (a Job's with restartPolicy Never and no selector) read as the loaders read it. */
function workloadOf(kind: WorkloadKind, name: string, replicas: number, spec: Record<string, unknown>, cpu: string, image: string, annotations: Record<string, string>, nodeSelector: Record<string, string> = {}): Workload {
  const labels = { app: name };
  const job = kind === "Job";
  const converted = workloadFromManifest({
    apiVersion: kind === "ReplicationController" ? "v1" : job ? "batch/v1" : "apps/v1",
    kind,
    metadata: { name, namespace: "default" },
    spec: {
      ...(kind === "DaemonSet" || job ? {} : { replicas }),
      ...(job ? {} : { selector: kind === "ReplicationController" ? labels : { matchLabels: labels } }),
      template: {
        metadata: { labels, annotations },
        spec: { containers: [{ name: "app", image, resources: { requests: { cpu } } }], ...(job ? { restartPolicy: "Never" } : {}), ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}) },
      },
      ...spec,
    },
  });
  if (converted.value === undefined) throw new Error(`workloadOf: ${JSON.stringify(converted.diagnostics)}`);
  return converted.value;
}

const WORKLOAD_NAMES = ["web", "api", "db"];

/** The named fields of a workload's manifest spec, where set (an update keeps them). */
function specOf(workload: Workload, ...fields: string[]): Record<string, unknown> {
  const spec = (workload.manifest["spec"] ?? {}) as Record<string, unknown>;
  return Object.fromEntries(fields.filter((field) => spec[field] !== undefined).map((field) => [field, spec[field]]));
}

/** A workload with random size, strategy, readiness delay and pod behaviour (crashing, finishing, slow to pull). */
const workloadArbitrary = (name: string): fc.Arbitrary<Workload> =>
  fc.record({
    kind: fc.constantFrom<WorkloadKind>("Deployment", "Deployment", "ReplicaSet", "ReplicationController", "DaemonSet", "StatefulSet", "Job", "CronJob"),
    replicas: fc.integer({ min: 0, max: 8 }),
    cpu: fc.constantFrom("100m", "500m", "1", "3"),
    strategy: fc.oneof(
      fc.constant({ type: "Recreate" }),
      fc.record({ maxSurge: fc.constantFrom(0, 1, "25%", "50%"), maxUnavailable: fc.constantFrom(1, 0, "25%", "100%") })
        .filter(({ maxSurge, maxUnavailable }) => !(maxSurge === 0 && maxUnavailable === 0))
        .map((rollingUpdate) => ({ type: "RollingUpdate", rollingUpdate: { ...rollingUpdate } })),
    ),
    minReadySeconds: fc.constantFrom(0, 0, 5, 30),
    progressDeadlineSeconds: fc.constantFrom(600, 60),
    revisionHistoryLimit: fc.constantFrom(10, 1, 0),
    annotations: fc.constantFrom<Record<string, string>>(
      {}, { "sim.timoneiro.dev/image-pull": "10s" }, { "sim.timoneiro.dev/fail-after": "40s" }, { "sim.timoneiro.dev/duration": "90s" },
      { "sim.timoneiro.dev/ready-after": "20s" }, { "sim.timoneiro.dev/ready-after": "30s", "sim.timoneiro.dev/fail-after": "30s" },
    ),
    daemonStrategy: fc.constantFrom<Record<string, unknown>>(
      { type: "RollingUpdate" }, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "50%" } },
      { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }, { type: "OnDelete" },
    ),
    nodeSelector: fc.constantFrom<Record<string, string>>({}, {}, { disk: "ssd" }),
    statefulStrategy: fc.constantFrom<Record<string, unknown>>(
      { type: "RollingUpdate" }, { type: "RollingUpdate", rollingUpdate: { partition: 1 } },
      { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 2 } }, { type: "OnDelete" },
    ),
    podManagementPolicy: fc.constantFrom("OrderedReady", "Parallel"),
    jobSpec: fc.record({
      completions: fc.constantFrom<number | undefined>(undefined, 1, 3, 6),
      parallelism: fc.constantFrom(1, 2, 4),
      backoffLimit: fc.constantFrom(0, 1, 6),
      completionMode: fc.constantFrom("NonIndexed", "Indexed"),
      activeDeadlineSeconds: fc.constantFrom<number | undefined>(undefined, 45, 300),
      ttlSecondsAfterFinished: fc.constantFrom<number | undefined>(undefined, 0, 60),
      podReplacementPolicy: fc.constantFrom("TerminatingOrFailed", "Failed"),
      ignoreExit1: fc.boolean(),
    }),
    cronSpec: fc.record({
      schedule: fc.constantFrom("* * * * *", "*/2 * * * *", "@every 45s", "1-59/3 * * * *"),
      concurrencyPolicy: fc.constantFrom("Allow", "Forbid", "Replace"),
      startingDeadlineSeconds: fc.constantFrom<number | undefined>(undefined, 10, 100),
      successfulJobsHistoryLimit: fc.constantFrom(0, 1, 3),
      failedJobsHistoryLimit: fc.constantFrom(0, 1),
    }),
  }).map(({ kind, replicas, cpu, strategy, minReadySeconds, progressDeadlineSeconds, revisionHistoryLimit, annotations, daemonStrategy, nodeSelector, statefulStrategy, podManagementPolicy, jobSpec, cronSpec }) =>
    kind === "CronJob"
      ? cronJobOf(name, cronSpec, jobManifestSpec(jobSpec), cpu, annotations)
      : kind === "Job"
      ? workloadOf(kind, name, replicas, jobManifestSpec(jobSpec), cpu, "app:1", annotations)
      : kind === "DaemonSet"
      ? workloadOf(kind, name, replicas, { updateStrategy: { ...daemonStrategy }, minReadySeconds }, cpu, "app:1", annotations, nodeSelector)
      : kind === "StatefulSet"
      ? workloadOf(kind, name, replicas, { updateStrategy: { ...statefulStrategy }, podManagementPolicy, minReadySeconds }, cpu, "app:1", annotations)
      : workloadOf(kind, name, replicas, kind === "Deployment" ? { strategy, minReadySeconds, progressDeadlineSeconds, revisionHistoryLimit } : { minReadySeconds }, cpu, "app:1", annotations));

/** A Job's spec fields from the arbitrary's choices (Indexed needs completions; a podFailurePolicy needs Failed). */
function jobManifestSpec(choice: {
  completions: number | undefined; parallelism: number; backoffLimit: number; completionMode: string;
  activeDeadlineSeconds: number | undefined; ttlSecondsAfterFinished: number | undefined; podReplacementPolicy: string; ignoreExit1: boolean;
}): Record<string, unknown> {
  const completions = choice.completionMode === "Indexed" ? (choice.completions ?? 3) : choice.completions;
  return {
    parallelism: choice.parallelism, backoffLimit: choice.backoffLimit, completionMode: choice.completionMode,
    ...(completions !== undefined ? { completions } : {}),
    ...(choice.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: choice.activeDeadlineSeconds } : {}),
    ...(choice.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: choice.ttlSecondsAfterFinished } : {}),
    ...(choice.ignoreExit1
      ? { podReplacementPolicy: "Failed", podFailurePolicy: { rules: [{ action: "Ignore", onExitCodes: { operator: "In", values: [1] } }] } }
      : { podReplacementPolicy: choice.podReplacementPolicy }),
  };
}

/** A CronJob making Jobs of `jobSpec` (its pods as the other workloads' are). */
function cronJobOf(name: string, cron: Record<string, unknown>, jobSpec: Record<string, unknown>, cpu: string, annotations: Record<string, string>): Workload {
  const converted = workloadFromManifest({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name, namespace: "default" },
    spec: {
      ...Object.fromEntries(Object.entries(cron).filter(([, value]) => value !== undefined)),
      jobTemplate: { spec: { ...jobSpec, template: { metadata: { labels: { app: name }, annotations }, spec: { restartPolicy: "Never", containers: [{ name: "app", image: "app:1", resources: { requests: { cpu } } }] } } } },
    },
  });
  if (converted.value === undefined) throw new Error(`cronJobOf: ${JSON.stringify(converted.diagnostics)}`);
  return converted.value;
}

/**
 * Clusters running workloads, with a timeline of what operators do to them: scale, roll out a
 * new image (sometimes one whose pods do not fit), delete with either cascade, delete a pod,
 * cordon a node, add a node.
 */
export const workloadScenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .record({
    nodeCount: fc.integer({ min: 1, max: 4 }),
    workloads: fc.uniqueArray(fc.constantFrom(...WORKLOAD_NAMES), { minLength: 1, maxLength: 3 }).chain((names) => fc.tuple(...names.map(workloadArbitrary))),
    untilSeconds: fc.integer({ min: 60, max: 1500 }),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .chain(({ nodeCount, workloads, untilSeconds, seed }) => {
    const nodeNames = NODE_NAMES.slice(0, nodeCount + 1);
    const at = fc.integer({ min: 0, max: untilSeconds });
    const target = fc.constantFrom(...workloads);
    const action: fc.Arbitrary<TimelineAction> = fc.oneof(
      fc.record({ at, target, replicas: fc.integer({ min: 0, max: 10 }) })
        .map(({ at: tick, target: workload, replicas }): TimelineAction => ({ at: tick, action: "scale", kind: workload.kind, object: `default/${workload.name}`, replicas })),
      fc.record({ at, target, image: fc.constantFrom("app:2", "app:3"), cpu: fc.constantFrom("100m", "2", "64") })
        .map(({ at: tick, target: workload, image, cpu }): TimelineAction => ({
          at: tick, action: "update", kind: workload.kind, object: `default/${workload.name}`, setsReplicas: false,
          // A Job's template is immutable: its update toggles suspend and changes parallelism instead; a CronJob's toggles suspend.
          workload: workload.kind === "Job"
            ? workloadFromManifest({ ...workload.manifest, spec: { ...(workload.manifest["spec"] as object), suspend: !(workload.job?.suspend ?? false), parallelism: image === "app:2" ? 1 : 3 } }).value as Workload
            : workload.kind === "CronJob"
            ? workloadFromManifest({ ...workload.manifest, spec: { ...(workload.manifest["spec"] as object), suspend: !(workload.cronJob?.suspend ?? false) } }).value as Workload
            : workloadOf(workload.kind, workload.name, workload.replicas, specOf(workload, "strategy", "updateStrategy", "minReadySeconds", "podManagementPolicy"), cpu, image, workload.template.annotations, workload.template.nodeSelector),
        })),
      fc.record({ at, target, orphan: fc.boolean() })
        .map(({ at: tick, target: workload, orphan }): TimelineAction => ({ at: tick, action: "deleteObject", kind: workload.kind, object: `default/${workload.name}`, propagation: orphan ? "Orphan" : "Background" })),
      fc.record({ at, target }).map(({ at: tick, target: workload }): TimelineAction => ({ at: tick, action: "createObject", object: workload })),
      fc.record({ at, node: fc.constantFrom(...nodeNames), cordon: fc.boolean() })
        .map(({ at: tick, node, cordon }): TimelineAction => ({ at: tick, action: cordon ? "cordon" : "uncordon", node })),
      fc.record({ at, name: fc.constantFrom(...nodeNames) }).chain(({ at: tick, name }) => nodeArbitrary(name).map((node): TimelineAction => ({ at: tick, action: "addNode", node }))),
    );
    return fc.record({
      nodes: fc.tuple(...nodeNames.slice(0, nodeCount).map((name) => nodeArbitrary(name))),
      timeline: fc.array(action, { maxLength: 8 }),
    }).map(({ nodes, timeline }): Scenario => ({ name: "workloads", seed, untilSeconds, options: { fitBy: "requests" }, nodes, pods: [], objects: workloads, timeline }));
  });

/**
 * Small full clusters where preemption must happen: 1–3 nodes of 1–2 cpu filled at 0s by pods of
 * priority −2…0 (250m–1 cpu each, some with affinity or spreading from `podArbitrary`), then
 * pods of priority 1–3 arriving later that fit only by preempting; some budgets' worth of labels.
 */
export const preemptionScenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .record({ nodeCount: fc.integer({ min: 1, max: 3 }), lowCount: fc.integer({ min: 2, max: 8 }), highCount: fc.integer({ min: 1, max: 4 }), seed: fc.integer({ min: 0, max: 1000 }) })
  .chain(({ nodeCount, lowCount, highCount, seed }) => {
    const nodeNames = NODE_NAMES.slice(0, nodeCount);
    const node = (name: string) => nodeArbitrary(name).chain((spec) => fc.integer({ min: 2, max: 4 }).map((halves): Node => {
      const allocatable = { cpu: halves * 500, memory: 8 * 2 ** 30, pods: 110 };
      return { ...spec, taints: [], unschedulable: false, allocatable, capacity: allocatable };
    }));
    const pod = (name: string, priority: fc.Arbitrary<number>) => fc.record({ spec: podArbitrary(name, nodeNames), priority, cpu: fc.integer({ min: 1, max: 4 }).map((quarters) => quarters * 250) })
      .map(({ spec, priority: value, cpu }): Pod => {
        const { nodeName: _nodeName, ...rest } = spec;
        return { ...rest, priority: value, schedulingGates: [], restartPolicy: "Always", sim: {}, initContainers: [], containers: [{ name: "c0", image: "example/app:1", ports: [], requests: { cpu, memory: 2 ** 28 }, limits: {} }] };
      });
    return fc.record({
      nodes: fc.tuple(...nodeNames.map(node)),
      pods: fc.tuple(...POD_NAMES.slice(0, lowCount).map((name) => pod(name, fc.integer({ min: -2, max: 0 })))),
      timeline: fc.tuple(...POD_NAMES.slice(lowCount, lowCount + highCount).map((name) => fc.record({ at: fc.integer({ min: 10, max: 300 }), pod: pod(name, fc.integer({ min: 1, max: 3 })) }))),
    }).map(({ nodes, pods, timeline }): Scenario => ({
      name: "preemption", seed, untilSeconds: 600, options: { fitBy: "requests" }, nodes, pods,
      timeline: timeline.map(({ at, pod: spec }) => ({ at, action: "createPod" as const, pod: spec })),
    }));
  });
