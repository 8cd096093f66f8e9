/**
 * The shape every event must have, checked the same way wherever an event comes from outside
 * the engine: a line of an event log (`decodeEvent`) or a library caller's `reduce`. An event of
 * the wrong shape — a field missing, of the wrong type, or one its type does not have — is
 * refused before any rule reads it (a `Malformed` rejection, the state unchanged).
 *
 * The fields of each type, in vocabulary order, with the shapes of the objects they carry (a
 * PodCreated's defaulted Pod, a NodeJoined's Node, a taint). Events the engine makes itself are
 * built by code and not checked again on its hot path.
 */
import { EVENT_TYPES, type EventType } from "./events.js";

type Shape =
  | "string"
  | "number"
  /** A safe integer. */
  | "integer"
  /** A safe integer ≥ 0. */
  | "count"
  | "boolean"
  /** Any JSON object (a manifest as applied). */
  | "object"
  /** An int-or-string (`maxSurge: 1` or `"25%"`). */
  | "intOrString"
  | { readonly oneOf: readonly string[] }
  | { readonly list: Shape }
  | { readonly map: Shape }
  | ObjectShape;

interface ObjectShape {
  readonly name: string;
  readonly required: Readonly<Record<string, Shape>>;
  readonly optional?: Readonly<Record<string, Shape>>;
}

const RESOURCES: Shape = { map: "number" };
const STRINGS: Shape = { list: "string" };
const LABELS: Shape = { map: "string" };
const TAINT_EFFECT: Shape = { oneOf: ["NoSchedule", "PreferNoSchedule", "NoExecute"] };

const TAINT: ObjectShape = { name: "Taint", required: { key: "string", effect: TAINT_EFFECT }, optional: { value: "string" } };
const SELECTOR_TERM: ObjectShape = {
  name: "NodeSelectorTerm",
  required: {},
  optional: {
    matchExpressions: { list: { name: "NodeSelectorRequirement", required: { key: "string", operator: "string", values: STRINGS } } },
    matchFields: { list: { name: "NodeSelectorRequirement", required: { key: "string", operator: "string", values: STRINGS } } },
  },
};
const PORT: ObjectShape = {
  name: "ContainerPort",
  required: { containerPort: "count", protocol: { oneOf: ["TCP", "UDP", "SCTP"] } },
  optional: { name: "string", hostPort: "count", hostIP: "string" },
};
const CONTAINER: ObjectShape = {
  name: "Container",
  required: { name: "string", image: "string", ports: { list: PORT }, requests: RESOURCES, limits: RESOURCES },
  optional: { restartPolicy: { oneOf: ["Always"] } },
};

const LABEL_SELECTOR: ObjectShape = {
  name: "LabelSelector",
  required: {
    matchLabels: LABELS,
    matchExpressions: { list: { name: "LabelSelectorRequirement", required: { key: "string", operator: { oneOf: ["In", "NotIn", "Exists", "DoesNotExist"] }, values: STRINGS } } },
  },
};

const OWNER_REFERENCE: ObjectShape = {
  name: "OwnerReference",
  required: { apiVersion: "string", kind: "string", name: "string", controller: "boolean" },
  optional: { blockOwnerDeletion: "boolean", uid: "string" },
};

const POD_AFFINITY_TERM: ObjectShape = {
  name: "PodAffinityTerm",
  required: { namespaces: STRINGS, topologyKey: "string", matchLabelKeys: STRINGS, mismatchLabelKeys: STRINGS },
  optional: { labelSelector: LABEL_SELECTOR, namespaceSelector: LABEL_SELECTOR },
};

const POD_AFFINITY_RULES: ObjectShape = {
  name: "PodAffinityRules",
  required: {
    required: { list: POD_AFFINITY_TERM },
    preferred: { list: { name: "WeightedPodAffinityTerm", required: { weight: "count", podAffinityTerm: POD_AFFINITY_TERM } } },
  },
};

/** A Pod as the model holds it after defaulting (core/model/pod.ts). */
export const POD_SHAPE: ObjectShape = {
  name: "Pod",
  required: {
    namespace: "string",
    name: "string",
    labels: LABELS,
    annotations: LABELS,
    containers: { list: CONTAINER },
    initContainers: { list: CONTAINER },
    restartPolicy: { oneOf: ["Always", "OnFailure", "Never"] },
    priority: "integer",
    schedulerName: "string",
    nodeSelector: LABELS,
    tolerations: {
      list: {
        name: "Toleration",
        required: { operator: { oneOf: ["Exists", "Equal"] } },
        optional: { key: "string", value: "string", effect: TAINT_EFFECT, tolerationSeconds: "integer" },
      },
    },
    schedulingGates: STRINGS,
    terminationGracePeriodSeconds: "count",
    sim: {
      name: "PodSimulation",
      required: {},
      optional: { durationSeconds: "count", failAfterSeconds: "count", exitCode: "count", memoryUsageBytes: "count", imagePullSeconds: "count", readyAfterSeconds: "count" },
    },
  },
  optional: {
    priorityClassName: "string",
    preemptionPolicy: { oneOf: ["Never", "PreemptLowerPriority"] },
    nodeName: "string",
    overhead: RESOURCES,
    resources: { name: "PodResources", required: { requests: RESOURCES, limits: RESOURCES } },
    nodeAffinity: {
      name: "NodeAffinity",
      required: { preferred: { list: { name: "PreferredSchedulingTerm", required: { weight: "integer", preference: SELECTOR_TERM } } } },
      optional: { required: { list: SELECTOR_TERM } },
    },
    hostNetwork: "boolean",
    emptyDir: "boolean",
    topologySpreadConstraints: {
      list: {
        name: "TopologySpreadConstraint",
        required: { maxSkew: "count", topologyKey: "string", whenUnsatisfiable: { oneOf: ["DoNotSchedule", "ScheduleAnyway"] }, matchLabelKeys: STRINGS },
        optional: {
          labelSelector: LABEL_SELECTOR,
          minDomains: "count",
          nodeAffinityPolicy: { oneOf: ["Honor", "Ignore"] },
          nodeTaintsPolicy: { oneOf: ["Honor", "Ignore"] },
        },
      },
    },
    podAffinity: POD_AFFINITY_RULES,
    podAntiAffinity: POD_AFFINITY_RULES,
    ownerReferences: { list: OWNER_REFERENCE },
  },
};

/** A Node as the model holds it (core/model/node.ts). */
export const NODE_SHAPE: ObjectShape = {
  name: "Node",
  required: {
    name: "string",
    labels: LABELS,
    annotations: LABELS,
    taints: { list: TAINT },
    unschedulable: "boolean",
    capacity: RESOURCES,
    allocatable: RESOURCES,
    ready: { oneOf: ["True", "False", "Unknown"] },
  },
  optional: { images: { map: "number" } },
};

const OBJECT_KIND: Shape = { oneOf: ["Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job", "CronJob", "PriorityClass", "PodDisruptionBudget", "Service", "Namespace"] };
const WORKLOAD_STATUS: ObjectShape = {
  name: "WorkloadStatus",
  required: {
    replicas: "count",
    updatedReplicas: "count",
    readyReplicas: "count",
    availableReplicas: "count",
    unavailableReplicas: "count",
    conditions: {
      list: {
        name: "WorkloadCondition",
        required: {
          type: { oneOf: ["Available", "Progressing", "ReplicaFailure", "Complete", "Failed", "SuccessCriteriaMet", "FailureTarget", "Suspended", "DisruptionAllowed"] },
          status: { oneOf: ["True", "False", "Unknown"] },
          reason: "string",
          message: "string",
          lastUpdateTime: "count",
          lastTransitionTime: "count",
        },
      },
    },
  },
  optional: {
    collisionCount: "count",
    currentReplicas: "count",
    currentRevision: "string",
    updateRevision: "string",
    currentTemplate: POD_SHAPE,
    active: "count",
    succeeded: "count",
    failed: "count",
    startTime: "count",
    completionTime: "count",
    completedIndexes: { list: "count" },
    countedThrough: "count",
    countedLast: STRINGS,
    countedTerminating: STRINGS,
    terminatingPods: STRINGS,
    activeJobs: STRINGS,
    lastScheduleTime: "count",
    lastSuccessfulTime: "count",
    failuresSinceSuccess: "count",
    lastFailureAt: "count",
    currentHealthy: "count",
    desiredHealthy: "count",
    expectedPods: "count",
    disruptionsAllowed: "count",
  },
};

/** A Job's spec (core/model/workload.ts JobSpec), also a CronJob's Job template. */
const JOB_SPEC_SHAPE: ObjectShape = {
  name: "JobSpec",
  required: {
    parallelism: "count",
    completionMode: { oneOf: ["NonIndexed", "Indexed"] },
    backoffLimit: "count",
    suspend: "boolean",
    podReplacementPolicy: { oneOf: ["TerminatingOrFailed", "Failed"] },
  },
  optional: {
    completions: "count",
    activeDeadlineSeconds: "count",
    ttlSecondsAfterFinished: "count",
    podFailurePolicy: {
      list: {
        name: "PodFailurePolicyRule",
        required: { action: { oneOf: ["FailJob", "FailIndex", "Ignore", "Count"] } },
        optional: {
          onExitCodes: { name: "PodFailurePolicyOnExitCodesRequirement", required: { operator: { oneOf: ["In", "NotIn"] }, values: { list: "integer" } }, optional: { containerName: "string" } },
          onPodConditions: { list: { name: "PodFailurePolicyOnPodConditionsPattern", required: { type: "string", status: { oneOf: ["True", "False", "Unknown"] } } } },
        },
      },
    },
  },
};

/** A Deployment, ReplicaSet or ReplicationController as the model holds it (core/model/workload.ts). */
export const WORKLOAD_SHAPE: ObjectShape = {
  name: "Workload",
  required: {
    kind: { oneOf: ["Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job", "CronJob"] },
    namespace: "string",
    name: "string",
    labels: LABELS,
    annotations: LABELS,
    ownerReferences: { list: OWNER_REFERENCE },
    replicas: "count",
    selector: LABEL_SELECTOR,
    minReadySeconds: "count",
    template: POD_SHAPE,
    manifest: "object",
  },
  optional: {
    strategy: { name: "DeploymentStrategy", required: { type: { oneOf: ["RollingUpdate", "Recreate"] } }, optional: { maxSurge: "intOrString", maxUnavailable: "intOrString" } },
    revisionHistoryLimit: "count",
    progressDeadlineSeconds: "count",
    paused: "boolean",
    updateStrategy: {
      name: "SetUpdateStrategy",
      required: { type: { oneOf: ["RollingUpdate", "OnDelete"] } },
      optional: { partition: "count", maxUnavailable: "intOrString", maxSurge: "intOrString" },
    },
    podManagementPolicy: { oneOf: ["OrderedReady", "Parallel"] },
    serviceName: "string",
    ordinalsStart: "count",
    job: JOB_SPEC_SHAPE,
    cronJob: {
      name: "CronJobSpec",
      required: {
        schedule: "string",
        concurrencyPolicy: { oneOf: ["Allow", "Forbid", "Replace"] },
        suspend: "boolean",
        successfulJobsHistoryLimit: "count",
        failedJobsHistoryLimit: "count",
        jobLabels: LABELS,
        jobAnnotations: LABELS,
        job: JOB_SPEC_SHAPE,
      },
      optional: {
        timeZone: "string",
        startingDeadlineSeconds: "count",
        zone: { name: "ZoneOffsets", required: { name: "string", offsets: { list: { name: "ZoneOffset", required: { from: "integer", offset: "integer" } } } } },
      },
    },
  },
};

/** A PriorityClass as the model holds it (core/model/priority.ts). */
export const PRIORITY_CLASS_SHAPE: ObjectShape = {
  name: "PriorityClass",
  required: { kind: { oneOf: ["PriorityClass"] }, name: "string", value: "integer", globalDefault: "boolean", preemptionPolicy: { oneOf: ["PreemptLowerPriority", "Never"] } },
};

/** A Namespace as the model holds it (core/model/policy.ts). */
export const NAMESPACE_SHAPE: ObjectShape = {
  name: "Namespace",
  required: { kind: { oneOf: ["Namespace"] }, name: "string", labels: LABELS },
};

/** A PodDisruptionBudget as the model holds it (core/model/policy.ts). */
export const DISRUPTION_BUDGET_SHAPE: ObjectShape = {
  name: "PodDisruptionBudget",
  required: { kind: { oneOf: ["PodDisruptionBudget"] }, namespace: "string", name: "string", labels: LABELS, manifest: "object" },
  optional: { selector: LABEL_SELECTOR, minAvailable: "intOrString", maxUnavailable: "intOrString", unhealthyPodEvictionPolicy: { oneOf: ["IfHealthyBudget", "AlwaysAllow"] } },
};

/** A Service as the model holds it (core/model/policy.ts). */
export const SERVICE_SHAPE: ObjectShape = {
  name: "Service",
  required: {
    kind: { oneOf: ["Service"] }, namespace: "string", name: "string", labels: LABELS, type: { oneOf: ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] },
    ports: { list: { name: "ServicePort", required: { port: "count", protocol: { oneOf: ["TCP", "UDP", "SCTP"] }, targetPort: "intOrString" }, optional: { name: "string", nodePort: "count" } } },
    publishNotReadyAddresses: "boolean", manifest: "object",
  },
  optional: { selector: LABELS, clusterIP: "string", externalName: "string" },
};

const AT = { seq: "count", t: "count" } as const;

/** Each type's fields: required ones in the order the log writes them, then optional ones. */
export const EVENT_SHAPES: Readonly<Record<EventType, ObjectShape>> = {
  NodeJoined: { name: "NodeJoined", required: { node: "string", spec: NODE_SHAPE } },
  NodeRemoved: { name: "NodeRemoved", required: { node: "string" } },
  KubeletStopped: { name: "KubeletStopped", required: { node: "string" } },
  KubeletStarted: { name: "KubeletStarted", required: { node: "string" } },
  NodeDrainStarted: { name: "NodeDrainStarted", required: { node: "string", warning: "string" } },
  NodeDrainFinished: { name: "NodeDrainFinished", required: { node: "string", drained: "boolean", message: "string" } },
  NodeConditionChanged: { name: "NodeConditionChanged", required: { node: "string", condition: { oneOf: ["Ready", "MemoryPressure"] }, status: { oneOf: ["True", "False", "Unknown"] } } },
  NodeTainted: { name: "NodeTainted", required: { node: "string", taint: TAINT } },
  NodeUntainted: { name: "NodeUntainted", required: { node: "string", taint: TAINT } },
  NodeCordoned: { name: "NodeCordoned", required: { node: "string" } },
  NodeUncordoned: { name: "NodeUncordoned", required: { node: "string" } },
  PodCreated: { name: "PodCreated", required: { pod: "string", spec: POD_SHAPE } },
  PodBound: { name: "PodBound", required: { pod: "string", node: "string" }, optional: { nextStartNodeIndex: "count", overcommits: { oneOf: [] }, gpus: { list: "count" } } },
  PodUnschedulable: { name: "PodUnschedulable", required: { pod: "string", message: "string", plugins: STRINGS }, optional: { nextStartNodeIndex: "count" } },
  PodStarted: { name: "PodStarted", required: { pod: "string", node: "string" } },
  PodReadyChanged: { name: "PodReadyChanged", required: { pod: "string", ready: "boolean" } },
  ContainerFailed: { name: "ContainerFailed", required: { pod: "string", container: "string", exitCode: "integer", reason: { oneOf: ["Error", "OOMKilled"] } } },
  ContainerCompleted: { name: "ContainerCompleted", required: { pod: "string", container: "string" } },
  ContainerRestarted: { name: "ContainerRestarted", required: { pod: "string", container: "string", restartCount: "count" } },
  PodSucceeded: { name: "PodSucceeded", required: { pod: "string" } },
  PodFailed: { name: "PodFailed", required: { pod: "string", reason: "string", message: "string" } },
  PodDeleted: { name: "PodDeleted", required: { pod: "string", gracePeriodSeconds: "count" } },
  PodEvicted: { name: "PodEvicted", required: { pod: "string", reason: "string", message: "string" } },
  PodNominated: { name: "PodNominated", required: { pod: "string", node: "string" } },
  PodPreempted: { name: "PodPreempted", required: { pod: "string", node: "string", preemptor: "string", message: "string" } },
  PodEvictionRefused: { name: "PodEvictionRefused", required: { pod: "string", code: "count", message: "string" } },
  ResourcesFreed: { name: "ResourcesFreed", required: { pod: "string", node: "string" } },
  ObjectApplied: { name: "ObjectApplied", required: { kind: OBJECT_KIND, object: "string", spec: "object" } },
  ObjectDeleted: { name: "ObjectDeleted", required: { kind: OBJECT_KIND, object: "string", propagation: { oneOf: ["Background", "Orphan"] } } },
  WorkloadScaled: { name: "WorkloadScaled", required: { kind: OBJECT_KIND, object: "string", replicas: "count" } },
  WorkloadStatusChanged: { name: "WorkloadStatusChanged", required: { kind: OBJECT_KIND, object: "string", status: WORKLOAD_STATUS } },
};

/**
 * Why `value` is not a well-formed event — `PodBound: field "node" must be a string` — or
 * undefined when it is one. Fields set to `undefined` count as absent (they are not written).
 */
export function eventShapeError(value: unknown): string | undefined {
  if (!isObject(value)) return "an event must be an object";
  const type = value["type"];
  if (typeof type !== "string" || !(EVENT_TYPES as readonly string[]).includes(type)) {
    return `unknown event type ${JSON.stringify(type)}; known types: ${EVENT_TYPES.join(", ")}`;
  }
  const shape = EVENT_SHAPES[type as EventType];
  for (const [field, fieldShape] of Object.entries(AT)) {
    const problem = problemWith(value[field], fieldShape, field);
    if (problem !== undefined) return `${type}: ${problem}`;
  }
  const problem = objectProblem(value, shape, "", new Set(["type", "seq", "t"]));
  if (problem !== undefined) return `${type}: ${problem}`;
  // An applied object has its kind's shape.
  if (type === "ObjectApplied") {
    const spec = value["spec"] as Record<string, unknown>;
    const kindShape = spec["kind"] === "PriorityClass" ? PRIORITY_CLASS_SHAPE : spec["kind"] === "PodDisruptionBudget" ? DISRUPTION_BUDGET_SHAPE : spec["kind"] === "Service" ? SERVICE_SHAPE : spec["kind"] === "Namespace" ? NAMESPACE_SHAPE : WORKLOAD_SHAPE;
    const specProblem = objectProblem(spec, kindShape, "spec", new Set());
    if (specProblem !== undefined) return `${type}: ${specProblem}`;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeShape(shape: Shape): string {
  if (typeof shape === "string") {
    return { string: "a string", number: "a number", integer: "an integer", count: "a whole number ≥ 0", boolean: "true or false", object: "an object", intOrString: "an integer or a string" }[shape];
  }
  if ("oneOf" in shape) return shape.oneOf.length === 0 ? "true (or absent)" : `one of ${shape.oneOf.map((item) => JSON.stringify(item)).join(", ")}`;
  if ("list" in shape) return "a list";
  if ("map" in shape) return "an object";
  return `a ${shape.name} object`;
}

/** What is wrong with the value of field `path`, if anything. */
function problemWith(value: unknown, shape: Shape, path: string): string | undefined {
  const wrong = () => `field "${path}" must be ${describeShape(shape)}, got ${value === undefined ? "nothing" : JSON.stringify(value)?.slice(0, 40)}`;
  if (typeof shape === "string") {
    switch (shape) {
      case "string": return typeof value === "string" ? undefined : wrong();
      case "number": return typeof value === "number" && Number.isFinite(value) ? undefined : wrong();
      case "integer": return Number.isSafeInteger(value) ? undefined : wrong();
      case "count": return Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : wrong();
      case "boolean": return typeof value === "boolean" ? undefined : wrong();
      case "object": return isObject(value) ? undefined : wrong();
      case "intOrString": return Number.isSafeInteger(value) || typeof value === "string" ? undefined : wrong();
      default: {
        const unreachable: never = shape;
        return `unknown shape ${String(unreachable)}`;
      }
    }
  }
  if ("oneOf" in shape) {
    // An empty list is a flag: present only as `true`.
    if (shape.oneOf.length === 0) return value === true ? undefined : wrong();
    return typeof value === "string" && shape.oneOf.includes(value) ? undefined : wrong();
  }
  if ("list" in shape) {
    if (!Array.isArray(value)) return wrong();
    for (let index = 0; index < value.length; index++) {
      const problem = problemWith(value[index], shape.list, `${path}[${index}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (!isObject(value)) return wrong();
  if ("map" in shape) {
    for (const [key, item] of Object.entries(value)) {
      const problem = problemWith(item, shape.map, `${path}[${JSON.stringify(key)}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  return objectProblem(value, shape, path, new Set());
}

function objectProblem(value: Record<string, unknown>, shape: ObjectShape, path: string, skip: ReadonlySet<string>): string | undefined {
  const prefix = path === "" ? "" : `${path}.`;
  for (const [field, fieldShape] of Object.entries(shape.required)) {
    const problem = problemWith(value[field], fieldShape, `${prefix}${field}`);
    if (problem !== undefined) return problem;
  }
  for (const [field, item] of Object.entries(value)) {
    if (item === undefined || skip.has(field) || Object.hasOwn(shape.required, field)) continue;
    const fieldShape = shape.optional?.[field];
    if (fieldShape === undefined) return `field "${prefix}${field}" is not a field of ${shape.name}`;
    const problem = problemWith(item, fieldShape, `${prefix}${field}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
