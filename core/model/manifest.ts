/**
 * v1 Pod and v1 Node manifests (already parsed from YAML or JSON to plain values) → the model,
 * with Kubernetes' API defaulting and the validation that matters to scheduling. Every problem
 * is a `Diagnostic` with the field path; an object with an error is refused (returned as
 * `undefined`), warnings leave it usable.
 */
import { QuantityError, memoryBytes, parseQuantity } from "../quantity/quantity.js";
import { DiagnosticList, closestName, type Diagnostic, type FieldPath } from "./diagnostics.js";
import { DurationError, parseDurationSeconds } from "./duration.js";
import type { ConditionStatus, Node, NodeAffinity, NodeSelectorRequirement, NodeSelectorTerm, Taint, TaintEffect, Toleration } from "./node.js";
import type { Container, ContainerPort, Pod, PodRestartPolicy, PodSimulation, Protocol } from "./pod.js";
import { aggregateContainerRequests, isPodLevelResource } from "./requests.js";
import { DEFAULT_MAX_PODS, PODS, isExtendedResource, isHugePages, isPrefixedNativeResource, resourceAmount, type ResourceList } from "./resources.js";
import { NODE, POD, type FieldSchema } from "./schema.js";
import { readPodAffinityRules } from "./affinity.js";
import { readTopologySpreadConstraints } from "./spread.js";

/** The label every kubelet puts on its Node: `kubernetes.io/hostname: <node name>`. */
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

export interface Converted<T> {
  /** The object, or undefined when an error refused it. */
  readonly value: T | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/** Annotation keys for simulated behaviour (DESIGN.md "Scenario file"). */
export const SIM_ANNOTATIONS = {
  duration: "sim.timoneiro.dev/duration",
  failAfter: "sim.timoneiro.dev/fail-after",
  exitCode: "sim.timoneiro.dev/exit-code",
  memoryUsage: "sim.timoneiro.dev/memory-usage",
  imagePull: "sim.timoneiro.dev/image-pull",
  readyAfter: "sim.timoneiro.dev/ready-after",
} as const;

const TAINT_EFFECTS: readonly TaintEffect[] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
const RESTART_POLICIES: readonly PodRestartPolicy[] = ["Always", "OnFailure", "Never"];
const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP", "SCTP"];
const TOLERATION_OPERATORS = ["Exists", "Equal"] as const;
const DEFAULT_GRACE_PERIOD_SECONDS = 30;

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(value: Json): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reports every field the schema does not know, as a warning with a "did you mean" where a
 * known name is close. (`--validate=strict` turns these warnings into errors in the loader.)
 */
export function checkUnknownFields(value: Json, schema: FieldSchema, path: FieldPath, out: DiagnosticList): void {
  // One path stack for the whole walk, copied only when a field is reported: a manifest of a
  // hundred thousand pods would otherwise build a path array for every field it has.
  visitFields(value, schema, [...path], out);
}

function visitFields(value: Json, schema: FieldSchema, path: (string | number)[], out: DiagnosticList): void {
  switch (schema.type) {
    case "any":
    case "scalar":
      return;
    case "list":
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) {
          path.push(index);
          visitFields(value[index], schema.items, path, out);
          path.pop();
        }
      }
      return;
    case "map":
      if (isObject(value)) {
        for (const key in value) {
          path.push(key);
          visitFields(value[key], schema.values, path, out);
          path.pop();
        }
      }
      return;
    case "object": {
      if (!isObject(value)) return;
      for (const key in value) {
        const fieldSchema = Object.hasOwn(schema.fields, key) ? schema.fields[key] : undefined;
        if (fieldSchema === undefined) {
          const suggestion = closestName(key, Object.keys(schema.fields));
          out.unknownField([...path, key], `unknown field "${key}" in ${schema.name}` + (suggestion ? ` (did you mean "${suggestion}"?)` : ""));
        } else {
          path.push(key);
          visitFields(value[key], fieldSchema, path, out);
          path.pop();
        }
      }
      return;
    }
    default: {
      const unreachable: never = schema;
      throw new Error(`unknown schema ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Typed reads that report a wrong type as an error and return undefined. */
class Reader {
  constructor(readonly out: DiagnosticList) {}

  object(value: Json, path: FieldPath): JsonObject | undefined {
    if (value === undefined || value === null) return undefined;
    if (isObject(value)) return value;
    this.out.error(path, `must be an object, got ${describe(value)}`);
    return undefined;
  }

  list(value: Json, path: FieldPath): readonly Json[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.out.error(path, `must be a list, got ${describe(value)}`);
    return [];
  }

  string(value: Json, path: FieldPath): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value;
    this.out.error(path, `must be a string, got ${describe(value)}`);
    return undefined;
  }

  integer(value: Json, path: FieldPath): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "number" && Number.isSafeInteger(value)) return value;
    this.out.error(path, `must be an integer, got ${describe(value)}`);
    return undefined;
  }

  boolean(value: Json, path: FieldPath): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "boolean") return value;
    this.out.error(path, `must be true or false, got ${describe(value)}`);
    return undefined;
  }

  oneOf<T extends string>(value: Json, path: FieldPath, allowed: readonly T[]): T | undefined {
    const text = this.string(value, path);
    if (text === undefined) return undefined;
    if ((allowed as readonly string[]).includes(text)) return text as T;
    this.out.error(path, `unsupported value ${JSON.stringify(text)}: must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
    return undefined;
  }

  stringMap(value: Json, path: FieldPath): Record<string, string> {
    const object = this.object(value, path);
    const result: Record<string, string> = {};
    if (object === undefined) return result;
    for (const [key, item] of Object.entries(object)) {
      if (typeof item === "string") result[key] = item;
      else if (typeof item === "number" || typeof item === "boolean") {
        this.out.error([...path, key], `must be a string, got ${describe(item)} (quote it: "${String(item)}")`);
      } else this.out.error([...path, key], `must be a string, got ${describe(item)}`);
    }
    return result;
  }

  /**
   * A map of quantities → base units; YAML numbers (`cpu: 0.5`) are read as their text. For a
   * pod (`forPod`), names must be standard (cpu, memory, ephemeral-storage, hugepages-<size>) or
   * fully qualified extended resources, whose amounts must be whole — as the API server checks.
   */
  resources(value: Json, path: FieldPath, forPod = false): ResourceList {
    const object = this.object(value, path);
    const result: Record<string, number> = {};
    if (object === undefined) return result;
    for (const [name, item] of Object.entries(object)) {
      const itemPath = [...path, name];
      const text = typeof item === "number" ? String(item) : item;
      if (typeof text !== "string") {
        this.out.error(itemPath, `must be a quantity such as "500m" or "1Gi", got ${describe(item)}`);
        continue;
      }
      if (forPod && !isPodResourceName(name)) {
        // Short names are too close to each other to guess from ("gpu" is not a misspelt "cpu").
        const suggestion = name.length > 3 ? closestName(name, ["cpu", "memory", "ephemeral-storage"]) : undefined;
        this.out.error(itemPath, `${JSON.stringify(name)} must be a standard resource type (cpu, memory, ephemeral-storage, hugepages-<size>) or fully qualified (example.com/name)` + (suggestion ? `; did you mean "${suggestion}"?` : ""));
        continue;
      }
      try {
        result[name] = resourceAmount(name, text);
        if (forPod && isExtendedResource(name) && parseQuantity(text).nanos % 1_000_000_000n !== 0n) {
          this.out.error(itemPath, `${name} must be a whole number, got ${JSON.stringify(text)}: extended resources cannot be split`);
        }
      } catch (error) {
        if (!(error instanceof QuantityError)) throw error;
        this.out.error(itemPath, error.message);
      }
    }
    return result;
  }
}

/**
 * Resource names a pod may request (core validation's validateContainerResourceName): standard
 * ones and hugepages without a `/`; with one, `kubernetes.io/` names or fully-qualified extended
 * resources.
 */
function isPodResourceName(name: string): boolean {
  return name === "cpu" || name === "memory" || name === "ephemeral-storage" || /^hugepages-[0-9]+[KMGTPE]?i?$/.test(name) ||
    isPrefixedNativeResource(name) || isExtendedResource(name);
}

function describe(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value === "object" ? "an object" : `a ${typeof value}`} ${JSON.stringify(value)}`;
}

interface Meta {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

function readMeta(read: Reader, value: Json, namespaced: boolean): Meta | undefined {
  const meta = read.object(value, ["metadata"]);
  if (meta === undefined) {
    read.out.error(["metadata"], "required: an object with at least a name");
    return undefined;
  }
  const name = read.string(meta["name"], ["metadata", "name"]);
  if (name === undefined || name === "") {
    const hint = meta["generateName"] !== undefined ? " (generateName needs the API server to pick a name)" : "";
    read.out.error(["metadata", "name"], `required${hint}`);
    return undefined;
  }
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
    read.out.error(["metadata", "name"], `${JSON.stringify(name)} is not a valid name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`);
  }
  const namespace = namespaced ? (read.string(meta["namespace"], ["metadata", "namespace"]) ?? "default") : "";
  return {
    namespace,
    name,
    labels: read.stringMap(meta["labels"], ["metadata", "labels"]),
    annotations: read.stringMap(meta["annotations"], ["metadata", "annotations"]),
  };
}

function readContainer(read: Reader, value: Json, path: FieldPath, isInit: boolean): Container | undefined {
  const object = read.object(value, path);
  if (object === undefined) {
    read.out.error(path, "must be a container object with a name and an image");
    return undefined;
  }
  const name = read.string(object["name"], [...path, "name"]);
  if (name === undefined || name === "") read.out.error([...path, "name"], "required");
  const image = read.string(object["image"], [...path, "image"]);
  if (image === undefined || image === "") read.out.error([...path, "image"], "required");

  const ports: ContainerPort[] = [];
  read.list(object["ports"], [...path, "ports"]).forEach((item, index) => {
    const portPath = [...path, "ports", index];
    const port = read.object(item, portPath);
    if (port === undefined) return;
    const containerPort = read.integer(port["containerPort"], [...portPath, "containerPort"]);
    if (containerPort === undefined) {
      read.out.error([...portPath, "containerPort"], "required: a port number from 1 to 65535");
      return;
    }
    if (containerPort < 1 || containerPort > 65535) {
      read.out.error([...portPath, "containerPort"], `${containerPort} is not a port number: must be from 1 to 65535`);
    }
    const hostPort = read.integer(port["hostPort"], [...portPath, "hostPort"]);
    const portName = read.string(port["name"], [...portPath, "name"]);
    const hostIP = read.string(port["hostIP"], [...portPath, "hostIP"]);
    ports.push({
      containerPort,
      protocol: read.oneOf(port["protocol"], [...portPath, "protocol"], PROTOCOLS) ?? "TCP",
      ...(portName !== undefined ? { name: portName } : {}),
      ...(hostPort !== undefined && hostPort !== 0 ? { hostPort } : {}),
      ...(hostIP !== undefined ? { hostIP } : {}),
    });
  });

  const resourcesPath = [...path, "resources"];
  const resources = read.object(object["resources"], resourcesPath) ?? {};
  const limits = read.resources(resources["limits"], [...resourcesPath, "limits"], true);
  const explicitRequests = read.resources(resources["requests"], [...resourcesPath, "requests"], true);
  // API defaulting: a resource with a limit and no request requests its limit.
  const requests: Record<string, number> = { ...limits, ...explicitRequests };
  checkRequestsAgainstLimits(read, explicitRequests, limits, resourcesPath);

  let restartPolicy: "Always" | undefined;
  if (object["restartPolicy"] !== undefined) {
    if (!isInit) {
      read.out.error([...path, "restartPolicy"], "only init containers may set a restartPolicy (Always makes a sidecar)");
    } else {
      restartPolicy = read.oneOf(object["restartPolicy"], [...path, "restartPolicy"], ["Always"] as const);
    }
  }
  if (name === undefined || image === undefined) return undefined;
  return { name, image, ports, requests, limits, ...(restartPolicy ? { restartPolicy } : {}) };
}

/** Kubernetes' resource validation for one container or the pod level. */
function checkRequestsAgainstLimits(read: Reader, requests: ResourceList, limits: ResourceList, path: FieldPath): void {
  for (const [name, amount] of Object.entries(requests)) {
    const limit = limits[name];
    if (limit !== undefined && amount > limit) {
      read.out.error([...path, "requests", name], `must be less than or equal to the ${name} limit`);
    }
    if ((isExtendedResource(name) || isHugePages(name)) && limit === undefined) {
      read.out.error([...path, "limits", name], `required: ${name} cannot be overcommitted, so its limit must be set (and equal to its request)`);
    }
    if ((isExtendedResource(name) || isHugePages(name)) && limit !== undefined && limit !== amount) {
      read.out.error([...path, "requests", name], `must equal the ${name} limit: ${name} cannot be overcommitted`);
    }
  }
}

/** Checks the seed's rule: containers of one pod share one network namespace and port range. */
function checkSharedPorts(read: Reader, containers: readonly Container[], initContainers: readonly Container[]): void {
  const owners = new Map<string, { container: string; path: FieldPath }>();
  const visit = (list: readonly Container[], field: string) =>
    list.forEach((container, index) => {
      container.ports.forEach((port, portIndex) => {
        const key = `${port.containerPort}/${port.protocol}`;
        const path: FieldPath = ["spec", field, index, "ports", portIndex, "containerPort"];
        const owner = owners.get(key);
        if (owner === undefined) owners.set(key, { container: container.name, path });
        else if (owner.container === container.name) {
          read.out.warning(path, `port ${key} is declared twice in container "${container.name}"`);
        } else {
          read.out.error(path, `port ${key} is already exposed by container "${owner.container}": the containers of a pod share one network namespace, so "${owner.container}" and "${container.name}" cannot both expose it`);
        }
      });
    });
  visit(containers, "containers");
  visit(initContainers.filter((container) => container.restartPolicy === "Always"), "initContainers");
}

const SELECTOR_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"] as const;

function readRequirements(read: Reader, value: Json, path: FieldPath, fields: boolean): NodeSelectorRequirement[] {
  const result: NodeSelectorRequirement[] = [];
  read.list(value, path).forEach((item, index) => {
    const itemPath = [...path, index];
    const object = read.object(item, itemPath);
    if (object === undefined) return;
    const key = read.string(object["key"], [...itemPath, "key"]);
    const operator = read.oneOf(object["operator"], [...itemPath, "operator"], fields ? (["In", "NotIn"] as const) : SELECTOR_OPERATORS);
    const values = read.list(object["values"], [...itemPath, "values"]).map((entry, valueIndex) => read.string(entry, [...itemPath, "values", valueIndex]) ?? "");
    if (!key) read.out.error([...itemPath, "key"], "required");
    if (fields && key && key !== "metadata.name") read.out.error([...itemPath, "key"], `unsupported field ${JSON.stringify(key)}: only "metadata.name" can be matched`);
    if (operator === undefined || !key) return;
    if ((operator === "In" || operator === "NotIn") && values.length === 0) read.out.error([...itemPath, "values"], `must have at least one value for operator ${operator}`);
    if ((operator === "Exists" || operator === "DoesNotExist") && values.length > 0) read.out.error([...itemPath, "values"], `must be empty for operator ${operator}`);
    if ((operator === "Gt" || operator === "Lt") && (values.length !== 1 || !/^-?\d+$/.test(values[0] ?? ""))) {
      read.out.error([...itemPath, "values"], `operator ${operator} takes exactly one integer value`);
    }
    result.push({ key, operator, values });
  });
  return result;
}

function readTerm(read: Reader, value: Json, path: FieldPath): NodeSelectorTerm {
  const object = read.object(value, path) ?? {};
  return {
    matchExpressions: readRequirements(read, object["matchExpressions"], [...path, "matchExpressions"], false),
    matchFields: readRequirements(read, object["matchFields"], [...path, "matchFields"], true),
  };
}

/** `spec.affinity.nodeAffinity`. */
function readAffinity(read: Reader, value: Json): NodeAffinity | undefined {
  const affinity = read.object(value, ["spec", "affinity"]);
  if (affinity === undefined) return undefined;
  const path = ["spec", "affinity", "nodeAffinity"];
  const nodeAffinity = read.object(affinity["nodeAffinity"], path);
  if (nodeAffinity === undefined) return undefined;
  const requiredPath = [...path, "requiredDuringSchedulingIgnoredDuringExecution"];
  const requiredValue = read.object(nodeAffinity["requiredDuringSchedulingIgnoredDuringExecution"], requiredPath);
  let required: NodeSelectorTerm[] | undefined;
  if (requiredValue !== undefined) {
    const terms = read.list(requiredValue["nodeSelectorTerms"], [...requiredPath, "nodeSelectorTerms"]);
    if (terms.length === 0) read.out.error([...requiredPath, "nodeSelectorTerms"], "must have at least one node selector term");
    required = terms.map((term, index) => readTerm(read, term, [...requiredPath, "nodeSelectorTerms", index]));
  }
  const preferredPath = [...path, "preferredDuringSchedulingIgnoredDuringExecution"];
  const preferred = read.list(nodeAffinity["preferredDuringSchedulingIgnoredDuringExecution"], preferredPath).flatMap((item, index) => {
    const itemPath = [...preferredPath, index];
    const object = read.object(item, itemPath);
    if (object === undefined) return [];
    const weight = read.integer(object["weight"], [...itemPath, "weight"]);
    if (weight === undefined || weight < 1 || weight > 100) {
      read.out.error([...itemPath, "weight"], "must be an integer in the range 1-100");
      return [];
    }
    return [{ weight, preference: readTerm(read, object["preference"], [...itemPath, "preference"]) }];
  });
  return { ...(required !== undefined ? { required } : {}), preferred };
}

/**
 * kube-apiserver's DefaultTolerationSeconds admission (plugin/pkg/admission/defaulttolerationseconds/admission.go),
 * applied to every Pod created and, once, to each workload's pod template (so each pod its
 * controller makes has them, at no cost per pod):
 *
 * | the pod has no toleration with                                | appended                                                              |
 * |---------------------------------------------------------------|-----------------------------------------------------------------------|
 * | key `node.kubernetes.io/not-ready` or empty, effect NoExecute or empty   | `{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}` |
 * | key `node.kubernetes.io/unreachable` or empty, effect NoExecute or empty | `{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300}` |
 *
 * Operator, value and tolerationSeconds are not looked at: `{operator: Exists}` alone stops both.
 * 300 is the default of `--default-not-ready-toleration-seconds` and `--default-unreachable-toleration-seconds`.
 */
export function withDefaultTolerationSeconds(tolerations: Toleration[]): Toleration[] {
  const covers = (key: string) => tolerations.some((item) => (item.key === undefined || item.key === key) && (item.effect === undefined || item.effect === "NoExecute"));
  const notReady = covers(NOT_READY_TAINT);
  const unreachable = covers(UNREACHABLE_TAINT);
  if (notReady && unreachable) return tolerations;
  return [
    ...tolerations,
    ...(notReady ? [] : [{ key: NOT_READY_TAINT, operator: "Exists" as const, effect: "NoExecute" as const, tolerationSeconds: DEFAULT_TOLERATION_SECONDS }]),
    ...(unreachable ? [] : [{ key: UNREACHABLE_TAINT, operator: "Exists" as const, effect: "NoExecute" as const, tolerationSeconds: DEFAULT_TOLERATION_SECONDS }]),
  ];
}

/** The node lifecycle controller's taints (k8s.io/api core/v1 well_known_taints.go). */
export const NOT_READY_TAINT = "node.kubernetes.io/not-ready";
export const UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";
export const OUT_OF_SERVICE_TAINT = "node.kubernetes.io/out-of-service";
/** DefaultTolerationSeconds' default for both tolerations. */
export const DEFAULT_TOLERATION_SECONDS = 300;

function readTolerations(read: Reader, value: Json, path: FieldPath): Toleration[] {
  const result: Toleration[] = [];
  read.list(value, path).forEach((item, index) => {
    const itemPath = [...path, index];
    const object = read.object(item, itemPath);
    if (object === undefined) return;
    const key = read.string(object["key"], [...itemPath, "key"]);
    if (object["operator"] === "Lt" || object["operator"] === "Gt") {
      read.out.error([...itemPath, "operator"], `operator ${object["operator"]} needs the TaintTolerationComparisonOperators feature gate, alpha and off by default in Kubernetes v1.35: use Exists or Equal`);
    }
    const operator = object["operator"] === "Lt" || object["operator"] === "Gt" ? "Equal" : (read.oneOf(object["operator"], [...itemPath, "operator"], TOLERATION_OPERATORS) ?? "Equal");
    const valueText = read.string(object["value"], [...itemPath, "value"]);
    const effect = object["effect"] === "" ? undefined : read.oneOf(object["effect"], [...itemPath, "effect"], TAINT_EFFECTS);
    const seconds = read.integer(object["tolerationSeconds"], [...itemPath, "tolerationSeconds"]);
    if (operator === "Exists" && valueText !== undefined && valueText !== "") {
      read.out.error([...itemPath, "value"], "must be empty when operator is Exists");
    }
    if ((key === undefined || key === "") && operator !== "Exists") {
      read.out.error([...itemPath, "operator"], "must be Exists when key is empty (a toleration of every taint)");
    }
    result.push({
      operator,
      ...(key !== undefined && key !== "" ? { key } : {}),
      ...(valueText !== undefined && valueText !== "" ? { value: valueText } : {}),
      ...(effect !== undefined ? { effect } : {}),
      ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}),
    });
  });
  return result;
}

function readSimulation(read: Reader, annotations: Record<string, string>): PodSimulation {
  const seconds = (key: string): number | undefined => {
    const text = annotations[key];
    if (text === undefined) return undefined;
    try {
      return parseDurationSeconds(text);
    } catch (error) {
      if (!(error instanceof DurationError)) throw error;
      read.out.error(["metadata", "annotations", key], error.message);
      return undefined;
    }
  };
  const durationSeconds = seconds(SIM_ANNOTATIONS.duration);
  const failAfterSeconds = seconds(SIM_ANNOTATIONS.failAfter);
  const imagePullSeconds = seconds(SIM_ANNOTATIONS.imagePull);
  const readyAfterSeconds = seconds(SIM_ANNOTATIONS.readyAfter);
  let exitCode: number | undefined;
  const exitText = annotations[SIM_ANNOTATIONS.exitCode];
  if (exitText !== undefined) {
    if (/^\d+$/.test(exitText) && Number(exitText) <= 255) exitCode = Number(exitText);
    else read.out.error(["metadata", "annotations", SIM_ANNOTATIONS.exitCode], `${JSON.stringify(exitText)} is not an exit code: must be an integer from 0 to 255`);
  }
  let memoryUsageBytes: number | undefined;
  const usageText = annotations[SIM_ANNOTATIONS.memoryUsage];
  if (usageText !== undefined) {
    try {
      memoryUsageBytes = memoryBytes(usageText);
    } catch (error) {
      if (!(error instanceof QuantityError)) throw error;
      read.out.error(["metadata", "annotations", SIM_ANNOTATIONS.memoryUsage], error.message);
    }
  }
  for (const key of Object.keys(annotations)) {
    if (key.startsWith("sim.timoneiro.dev/") && !(Object.values(SIM_ANNOTATIONS) as string[]).includes(key)) {
      const suggestion = closestName(key, Object.values(SIM_ANNOTATIONS));
      read.out.warning(["metadata", "annotations", key], `unknown simulation annotation` + (suggestion ? ` (did you mean "${suggestion}"?)` : ""));
    }
  }
  return {
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    ...(failAfterSeconds !== undefined ? { failAfterSeconds } : {}),
    ...(exitCode !== undefined ? { exitCode } : {}),
    ...(imagePullSeconds !== undefined ? { imagePullSeconds } : {}),
    ...(readyAfterSeconds !== undefined ? { readyAfterSeconds } : {}),
    ...(memoryUsageBytes !== undefined ? { memoryUsageBytes } : {}),
  };
}

/** Reads a PodSpec (a Pod's or a template's) together with its metadata. */
function readPodSpec(read: Reader, meta: Meta, specValue: Json): Pod | undefined {
  const spec = read.object(specValue, ["spec"]);
  if (spec === undefined) {
    read.out.error(["spec"], "required: a pod spec with at least one container");
    return undefined;
  }
  const containers: Container[] = [];
  const containerValues = read.list(spec["containers"], ["spec", "containers"]);
  if (containerValues.length === 0) read.out.error(["spec", "containers"], "required: at least one container");
  containerValues.forEach((item, index) => {
    const container = readContainer(read, item, ["spec", "containers", index], false);
    if (container) containers.push(container);
  });
  const initContainers: Container[] = [];
  read.list(spec["initContainers"], ["spec", "initContainers"]).forEach((item, index) => {
    const container = readContainer(read, item, ["spec", "initContainers", index], true);
    if (container) initContainers.push(container);
  });
  const names = new Map<string, string>();
  [...containers.map((c) => ["containers", c.name]), ...initContainers.map((c) => ["initContainers", c.name])].forEach(([field, name]) => {
    if (names.has(name as string)) read.out.error(["spec", field as string], `duplicate container name ${JSON.stringify(name)}`);
    names.set(name as string, field as string);
  });
  checkSharedPorts(read, containers, initContainers);

  const overheadValue = spec["overhead"];
  const overhead = overheadValue === undefined || overheadValue === null ? undefined : read.resources(overheadValue, ["spec", "overhead"], true);

  let resources: Pod["resources"];
  const podResources = read.object(spec["resources"], ["spec", "resources"]);
  if (podResources !== undefined) {
    const limits = read.resources(podResources["limits"], ["spec", "resources", "limits"], true);
    const requests: Record<string, number> = { ...read.resources(podResources["requests"], ["spec", "resources", "requests"], true) };
    for (const name of new Set([...Object.keys(limits), ...Object.keys(requests)])) {
      if (!isPodLevelResource(name)) {
        read.out.error(["spec", "resources"], `${JSON.stringify(name)} cannot be set at pod level: only cpu, memory and hugepages-* can`);
      }
    }
    checkRequestsAgainstLimits(read, requests, limits, ["spec", "resources"]);
    // Defaulting (KEP-2837, defaultPodRequests) when pod-level limits are set: a missing pod-level
    // request takes the containers' aggregate (cpu and memory, if some container requests it),
    // else the pod-level limit.
    if (Object.keys(limits).length > 0) {
      const aggregate = aggregateContainerRequests({ containers, initContainers });
      for (const name of ["cpu", "memory"]) {
        if (requests[name] === undefined && aggregate[name] !== undefined) requests[name] = aggregate[name];
      }
      for (const [name, limit] of Object.entries(limits)) {
        if (requests[name] === undefined && isPodLevelResource(name)) requests[name] = limit;
      }
    }
    // Validation (KEP-2837): the pod level must hold what its containers ask for.
    const aggregate = aggregateContainerRequests({ containers, initContainers });
    for (const [name, amount] of Object.entries(requests)) {
      if ((aggregate[name] ?? 0) > amount) {
        read.out.error(["spec", "resources", "requests", name], `must be at least the containers' aggregate ${name} request (${aggregate[name]} ${name === "cpu" ? "millicores" : "bytes"}), got ${amount}`);
      }
    }
    [...containers.map((c, i) => ["containers", i, c] as const), ...initContainers.map((c, i) => ["initContainers", i, c] as const)].forEach(([field, index, container]) => {
      for (const [name, limit] of Object.entries(limits)) {
        const own = container.limits[name];
        if (own !== undefined && own > limit) {
          read.out.error(["spec", field, index, "resources", "limits", name], `must not exceed the pod-level ${name} limit`);
        }
      }
    });
    resources = { requests, limits };
  }

  const nodeName = read.string(spec["nodeName"], ["spec", "nodeName"]);
  const priority = read.integer(spec["priority"], ["spec", "priority"]) ?? 0;
  const priorityClassName = read.string(spec["priorityClassName"], ["spec", "priorityClassName"]);
  const preemptionPolicy = read.oneOf(spec["preemptionPolicy"], ["spec", "preemptionPolicy"], ["Never", "PreemptLowerPriority"] as const);
  const grace = read.integer(spec["terminationGracePeriodSeconds"], ["spec", "terminationGracePeriodSeconds"]);
  if (grace !== undefined && grace < 0) read.out.error(["spec", "terminationGracePeriodSeconds"], "must be zero or more seconds");
  const schedulingGates: string[] = [];
  read.list(spec["schedulingGates"], ["spec", "schedulingGates"]).forEach((item, index) => {
    const gate = read.object(item, ["spec", "schedulingGates", index]);
    const name = gate && read.string(gate["name"], ["spec", "schedulingGates", index, "name"]);
    if (name) schedulingGates.push(name);
  });

  const nodeAffinity = readAffinity(read, spec["affinity"]);
  // readAffinity reports an `affinity` that is not an object.
  const affinityValue = typeof spec["affinity"] === "object" && spec["affinity"] !== null && !Array.isArray(spec["affinity"]) ? (spec["affinity"] as Record<string, Json>) : undefined;
  const podAffinity = readPodAffinityRules(affinityValue?.["podAffinity"], meta.labels, ["spec", "affinity", "podAffinity"], read.out);
  const podAntiAffinity = readPodAffinityRules(affinityValue?.["podAntiAffinity"], meta.labels, ["spec", "affinity", "podAntiAffinity"], read.out);
  const topologySpreadConstraints = readTopologySpreadConstraints(spec["topologySpreadConstraints"], meta.labels, ["spec", "topologySpreadConstraints"], read.out);
  const hostNetwork = read.boolean(spec["hostNetwork"], ["spec", "hostNetwork"]) ?? false;
  if (hostNetwork) {
    // API defaulting: with the host's network, every container port is a host port.
    for (const list of [containers, initContainers]) {
      list.forEach((container, index) => {
        list[index] = { ...container, ports: container.ports.map((port) => ({ ...port, hostPort: port.hostPort ?? port.containerPort })) };
      });
    }
  }
  const restartPolicy = read.oneOf(spec["restartPolicy"], ["spec", "restartPolicy"], RESTART_POLICIES) ?? "Always";
  const sim = readSimulation(read, meta.annotations);
  if (sim.durationSeconds !== undefined && restartPolicy === "Always") {
    read.out.warning(["metadata", "annotations", SIM_ANNOTATIONS.duration], "with restartPolicy Always (the Pod default) the kubelet restarts containers that exit 0, so this pod never finishes: set restartPolicy Never or OnFailure for a pod that completes");
  }
  const pod: Pod = {
    namespace: meta.namespace,
    name: meta.name,
    labels: meta.labels,
    annotations: meta.annotations,
    containers,
    initContainers,
    restartPolicy,
    priority,
    ...(priorityClassName ? { priorityClassName } : {}),
    ...(preemptionPolicy !== undefined ? { preemptionPolicy } : {}),
    schedulerName: read.string(spec["schedulerName"], ["spec", "schedulerName"]) ?? "default-scheduler",
    ...(nodeName ? { nodeName } : {}),
    nodeSelector: read.stringMap(spec["nodeSelector"], ["spec", "nodeSelector"]),
    ...(nodeAffinity !== undefined ? { nodeAffinity } : {}),
    ...(hostNetwork ? { hostNetwork } : {}),
    ...(read.list(spec["volumes"], ["spec", "volumes"]).some((volume) => typeof volume === "object" && volume !== null && (volume as Record<string, unknown>)["emptyDir"] !== undefined) ? { emptyDir: true as const } : {}),
    ...(topologySpreadConstraints.length > 0 ? { topologySpreadConstraints } : {}),
    ...(podAffinity !== undefined ? { podAffinity } : {}),
    ...(podAntiAffinity !== undefined ? { podAntiAffinity } : {}),
    tolerations: withDefaultTolerationSeconds(readTolerations(read, spec["tolerations"], ["spec", "tolerations"])),
    ...(overhead !== undefined ? { overhead } : {}),
    ...(resources !== undefined ? { resources } : {}),
    schedulingGates,
    terminationGracePeriodSeconds: grace ?? DEFAULT_GRACE_PERIOD_SECONDS,
    sim,
  };
  return pod;
}

function requireKind(read: Reader, manifest: JsonObject, kind: string, apiVersion: string): void {
  if (manifest["apiVersion"] !== apiVersion) {
    read.out.error(["apiVersion"], `a ${kind} must have apiVersion ${JSON.stringify(apiVersion)}, got ${describe(manifest["apiVersion"])}`);
  }
  if (manifest["kind"] !== kind) read.out.error(["kind"], `expected ${JSON.stringify(kind)}, got ${describe(manifest["kind"])}`);
}

/** A v1 Pod manifest → Pod, with unknown-field warnings and validation errors. */
export function podFromManifest(manifest: Json): Converted<Pod> {
  const out = new DiagnosticList();
  const read = new Reader(out);
  const object = read.object(manifest, []);
  if (object === undefined) {
    out.error([], "a Pod manifest must be an object");
    return { value: undefined, diagnostics: out.items };
  }
  requireKind(read, object, "Pod", "v1");
  checkUnknownFields(object, POD, [], out);
  const meta = readMeta(read, object["metadata"], true);
  const pod = meta && readPodSpec(read, meta, object["spec"]);
  return { value: out.hasErrors ? undefined : pod, diagnostics: out.items };
}


/** A v1 Node manifest → Node: allocatable defaults to capacity, `pods` to 110, Ready to True. */
export function nodeFromManifest(manifest: Json): Converted<Node> {
  const out = new DiagnosticList();
  const read = new Reader(out);
  const object = read.object(manifest, []);
  if (object === undefined) {
    out.error([], "a Node manifest must be an object");
    return { value: undefined, diagnostics: out.items };
  }
  requireKind(read, object, "Node", "v1");
  checkUnknownFields(object, NODE, [], out);
  const meta = readMeta(read, object["metadata"], false);
  const spec = read.object(object["spec"], ["spec"]) ?? {};
  const status = read.object(object["status"], ["status"]) ?? {};

  const capacity = read.resources(status["capacity"], ["status", "capacity"]);
  if (status["capacity"] == null && status["allocatable"] == null) {
    out.warning(object["status"] == null ? [] : ["status"], "the node declares no status.capacity or status.allocatable: it offers no cpu or memory, so only pods that request none fit there");
  }
  const allocatableValue = status["allocatable"];
  const allocatable: Record<string, number> =
    allocatableValue === undefined || allocatableValue === null ? { ...capacity } : { ...read.resources(allocatableValue, ["status", "allocatable"]) };
  if (allocatable[PODS] === undefined) allocatable[PODS] = capacity[PODS] ?? DEFAULT_MAX_PODS;
  for (const [name, amount] of Object.entries(allocatable)) {
    const inCapacity = capacity[name];
    if (inCapacity !== undefined && amount > inCapacity) {
      out.warning(["status", "allocatable", name], `allocatable ${name} is more than its capacity; the scheduler uses allocatable`);
    }
  }

  const taints: Taint[] = [];
  read.list(spec["taints"], ["spec", "taints"]).forEach((item, index) => {
    const path = ["spec", "taints", index];
    const taint = read.object(item, path);
    if (taint === undefined) return;
    const key = read.string(taint["key"], [...path, "key"]);
    const effect = read.oneOf(taint["effect"], [...path, "effect"], TAINT_EFFECTS);
    if (!key) read.out.error([...path, "key"], "required");
    if (effect === undefined && taint["effect"] === undefined) read.out.error([...path, "effect"], `required: one of ${TAINT_EFFECTS.join(", ")}`);
    const value = read.string(taint["value"], [...path, "value"]);
    if (key && effect) taints.push({ key, effect, ...(value ? { value } : {}) });
  });

  let ready: ConditionStatus = "True";
  read.list(status["conditions"], ["status", "conditions"]).forEach((item, index) => {
    const condition = read.object(item, ["status", "conditions", index]);
    if (condition?.["type"] === "Ready") {
      ready = read.oneOf(condition["status"], ["status", "conditions", index, "status"], ["True", "False", "Unknown"] as const) ?? "Unknown";
    }
  });

  const images: Record<string, number> = {};
  read.list(status["images"], ["status", "images"]).forEach((item, index) => {
    const image = read.object(item, ["status", "images", index]);
    if (image === undefined) return;
    const size = read.integer(image["sizeBytes"], ["status", "images", index, "sizeBytes"]) ?? 0;
    for (const name of read.list(image["names"], ["status", "images", index, "names"])) {
      if (typeof name === "string") images[name] = size;
    }
  });

  const node: Node | undefined = meta && {
    name: meta.name,
    // The kubelet labels its Node with its hostname when it registers (kubelet_node_status.go
    // initialNode; the node's name is its hostname): spreading and affinity by
    // kubernetes.io/hostname rely on it. A label the manifest sets is kept.
    labels: Object.hasOwn(meta.labels, HOSTNAME_LABEL) ? meta.labels : { ...meta.labels, [HOSTNAME_LABEL]: meta.name },
    annotations: meta.annotations,
    taints,
    unschedulable: read.boolean(spec["unschedulable"], ["spec", "unschedulable"]) ?? false,
    capacity,
    allocatable,
    ready,
    ...(Object.keys(images).length > 0 ? { images } : {}),
  };
  return { value: out.hasErrors ? undefined : node, diagnostics: out.items };
}
