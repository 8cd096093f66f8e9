/**
 * Workload and policy objects validated as kube-apiserver v1.35 validates them on create, before
 * any controller sees them: Deployment, ReplicaSet, StatefulSet, DaemonSet (apps/v1), Job,
 * CronJob (batch/v1), ReplicationController and Service (v1), PodDisruptionBudget (policy/v1)
 * and PriorityClass (scheduling.k8s.io/v1). Sources: pkg/apis/{apps,batch,core,policy,
 * scheduling}/validation/validation.go and the apps/v1 and batch/v1 defaults they run after.
 *
 * The rules kept are those a person writing a manifest meets: names, replicas and counts,
 * selectors and their match with the template's labels, the template's restart policy, update
 * strategies, schedules, ports, budgets and priorities. The pod template itself goes through the
 * Pod reader (`podFromManifest`), so its containers, resources and ports are checked as a Pod's.
 * Messages are kube's field.Error bodies (`Invalid value: -1: must be greater than or equal to 0`).
 */
import { cronScheduleError } from "./cron.js";
import { DiagnosticList, closestName, type Diagnostic, type FieldPath } from "./diagnostics.js";
import { podFromManifest } from "./manifest.js";
import {
  IS_NEGATIVE,
  checkIntOrPercent,
  checkLabelSelector,
  checkLabels,
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  forbidden,
  invalid,
  isEmptySelector,
  labelKeyErrors,
  required,
  unsupported,
} from "./validation.js";

/** The kinds validated here, by `apiVersion/kind`. */
export const VALIDATED_KINDS = [
  "apps/v1/Deployment", "apps/v1/ReplicaSet", "apps/v1/StatefulSet", "apps/v1/DaemonSet", "batch/v1/Job", "batch/v1/CronJob",
  "v1/ReplicationController", "v1/Service", "policy/v1/PodDisruptionBudget", "scheduling.k8s.io/v1/PriorityClass",
] as const;

type Json = Record<string, unknown>;

function objectAt(value: unknown): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** The fields of each kind's spec, for unknown-field warnings (kubectl --validate). */
const SPEC_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ["replicas", "selector", "template", "strategy", "minReadySeconds", "revisionHistoryLimit", "paused", "progressDeadlineSeconds"],
  ReplicaSet: ["replicas", "minReadySeconds", "selector", "template"],
  ReplicationController: ["replicas", "minReadySeconds", "selector", "template"],
  StatefulSet: ["replicas", "selector", "template", "volumeClaimTemplates", "serviceName", "podManagementPolicy", "updateStrategy", "revisionHistoryLimit", "minReadySeconds", "persistentVolumeClaimRetentionPolicy", "ordinals"],
  DaemonSet: ["selector", "template", "updateStrategy", "minReadySeconds", "revisionHistoryLimit"],
  Job: ["parallelism", "completions", "activeDeadlineSeconds", "podFailurePolicy", "successPolicy", "backoffLimit", "backoffLimitPerIndex", "maxFailedIndexes", "selector", "manualSelector", "template", "ttlSecondsAfterFinished", "completionMode", "suspend", "podReplacementPolicy", "managedBy"],
  CronJob: ["schedule", "timeZone", "startingDeadlineSeconds", "concurrencyPolicy", "suspend", "jobTemplate", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"],
  Service: ["ports", "selector", "clusterIP", "clusterIPs", "type", "externalIPs", "sessionAffinity", "loadBalancerIP", "loadBalancerSourceRanges", "externalName", "externalTrafficPolicy", "healthCheckNodePort", "publishNotReadyAddresses", "sessionAffinityConfig", "ipFamilies", "ipFamilyPolicy", "allocateLoadBalancerNodePorts", "loadBalancerClass", "internalTrafficPolicy", "trafficDistribution"],
  PodDisruptionBudget: ["minAvailable", "selector", "maxUnavailable", "unhealthyPodEvictionPolicy"],
};

/** Validates one object of a kind in `VALIDATED_KINDS`; errors mean the API server would refuse it. */
export function validateWorkload(kind: string, object: Json): Diagnostic[] {
  const out = new DiagnosticList();
  const metadata = objectAt(object["metadata"]);
  checkMetadata(kind, metadata, out);
  const name = typeof metadata["name"] === "string" ? metadata["name"] : "";
  if (kind === "PriorityClass") {
    checkPriorityClass(object, name, out);
    return out.items;
  }
  const spec = objectAt(object["spec"]);
  const fields = SPEC_FIELDS[kind] ?? [];
  for (const key of Object.keys(spec)) {
    if (fields.includes(key)) continue;
    const suggestion = closestName(key, fields);
    out.unknownField(["spec", key], `unknown field "${key}" in ${kind}Spec` + (suggestion ? ` (did you mean "${suggestion}"?)` : ""));
  }
  switch (kind) {
    case "Deployment":
    case "ReplicaSet":
      nonNegative(spec, ["replicas", "minReadySeconds"], ["spec"], out);
      // ReplicaSets share the Deployment's message (apps validation ValidateReplicaSetSpec).
      checkSelectorAndTemplate(spec, ["spec"], "deployment", true, out);
      checkTemplate(spec["template"], ["spec", "template"], { restart: "Always", activeDeadline: "ReplicaSet" }, out);
      if (kind === "Deployment") checkDeployment(spec, out);
      break;
    case "ReplicationController":
      nonNegative(spec, ["replicas", "minReadySeconds"], ["spec"], out);
      checkTemplate(spec["template"], ["spec", "template"], { restart: "Always" }, out);
      break;
    case "StatefulSet":
      nonNegative(spec, ["replicas", "minReadySeconds"], ["spec"], out);
      checkSelectorAndTemplate(spec, ["spec"], "statefulset", true, out);
      checkTemplate(spec["template"], ["spec", "template"], { restart: "Always", activeDeadline: "StatefulSet" }, out);
      checkStatefulSet(spec, out);
      break;
    case "DaemonSet":
      nonNegative(spec, ["minReadySeconds", "revisionHistoryLimit"], ["spec"], out);
      checkSelectorAndTemplate(spec, ["spec"], "daemonset", false, out);
      checkTemplate(spec["template"], ["spec", "template"], { restart: "Always", activeDeadline: "DaemonSet" }, out);
      checkDaemonSetStrategy(spec, out);
      break;
    case "Job":
      checkJobSpec(spec, ["spec"], out);
      if (spec["manualSelector"] === true) checkSelectorAndTemplate(spec, ["spec"], "job", true, out);
      else if (spec["selector"] !== undefined && spec["selector"] !== null) out.error(["spec", "selector"], invalid(spec["selector"], "`selector` not auto-generated"));
      break;
    case "CronJob":
      checkCronJob(spec, out);
      break;
    case "Service":
      checkService(spec, out);
      break;
    case "PodDisruptionBudget":
      checkDisruptionBudget(spec, out);
      break;
    default:
      out.error(["kind"], `${kind} is not validated here`);
  }
  return out.items;
}

/** ObjectMeta: the name by the kind's rule, the namespace, labels and annotation keys. */
function checkMetadata(kind: string, metadata: Json, out: DiagnosticList): void {
  const name = metadata["name"];
  const generateName = metadata["generateName"];
  const nameRule = kind === "StatefulSet" ? dns1123LabelErrors : kind === "Service" ? dns1035LabelErrors : dns1123SubdomainErrors;
  if (typeof name === "string" && name !== "") {
    for (const message of nameRule(name)) out.error(["metadata", "name"], invalid(name, message));
    if (kind === "CronJob" && name.length > 52) out.error(["metadata", "name"], invalid(name, "must be no more than 52 characters"));
  } else if (typeof generateName !== "string" || generateName === "") {
    out.error(["metadata", "name"], required("name or generateName is required"));
  }
  const namespace = metadata["namespace"];
  if (typeof namespace === "string" && namespace !== "") {
    for (const message of dns1123LabelErrors(namespace)) out.error(["metadata", "namespace"], invalid(namespace, message));
  }
  checkLabels(metadata["labels"], ["metadata", "labels"], out);
  for (const key of Object.keys(objectAt(metadata["annotations"]))) {
    for (const message of labelKeyErrors(key.toLowerCase())) out.error(["metadata", "annotations"], invalid(key, message));
  }
}

function nonNegative(spec: Json, fields: readonly string[], path: FieldPath, out: DiagnosticList): void {
  for (const field of fields) {
    const value = spec[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== "number" || !Number.isInteger(value)) out.error([...path, field], invalid(value, "must be an integer"));
    else if (value < 0) out.error([...path, field], invalid(value, IS_NEGATIVE));
  }
}

/**
 * `spec.selector` (required unless the kind defaults it), its syntax, "empty selector", and its
 * match with the template's labels (`selector` does not match template `labels`).
 */
function checkSelectorAndTemplate(spec: Json, path: FieldPath, kindWord: string, selectorRequired: boolean, out: DiagnosticList): void {
  const selector = spec["selector"];
  const template = objectAt(spec["template"]);
  const labels = objectAt(objectAt(template["metadata"])["labels"]) as Record<string, string>;
  const missing = selector === undefined || selector === null;
  if (missing && selectorRequired) out.error([...path, "selector"], required());
  if (!missing && isEmptySelector(selector)) {
    out.error([...path, "selector"], invalid(selector, `empty selector is invalid for ${kindWord}`));
    return;
  }
  const matches = checkLabelSelector(selector, [...path, "selector"], out);
  // A missing selector selects nothing, so the template's labels never match it (kube reports both).
  if (missing || (matches !== undefined && !matches(labels))) {
    out.error([...path, "template", "metadata", "labels"], invalid(labels, "`selector` does not match template `labels`"));
  }
}

interface TemplateRules {
  /** The restart policy the kind allows: Always (long-running), or OnFailure/Never (Jobs). */
  readonly restart: "Always" | "job";
  /** The kind named in "activeDeadlineSeconds in X is not Supported" (long-running kinds). */
  readonly activeDeadline?: string;
}

/** The pod template: read as a Pod (containers, resources, ports…), then the kind's own rules. */
function checkTemplate(value: unknown, path: FieldPath, rules: TemplateRules, out: DiagnosticList): void {
  if (value === undefined || value === null) {
    out.error(path, required());
    return;
  }
  const template = objectAt(value);
  const metadata = objectAt(template["metadata"]);
  const spec = objectAt(template["spec"]);
  // The pods' names are the controller's to give: read the template under a placeholder name.
  const pod = podFromManifest({ apiVersion: "v1", kind: "Pod", metadata: { ...metadata, name: "template" }, spec: template["spec"] });
  for (const diagnostic of pod.diagnostics) {
    if (diagnostic.path[0] === "spec" && diagnostic.path[1] === "restartPolicy") continue; // the kind's rule below replaces the Pod's
    const at: FieldPath = diagnostic.path.length === 0 ? path : [...path, ...diagnostic.path];
    out.items.push({ ...diagnostic, path: at });
  }
  const restartPolicy = spec["restartPolicy"];
  const restartPath = [...path, "spec", "restartPolicy"];
  if (rules.restart === "Always") {
    if (restartPolicy !== undefined && restartPolicy !== "Always") out.error(restartPath, unsupported(restartPolicy, ["Always"]));
  } else if (restartPolicy === undefined || restartPolicy === "Always") {
    // Defaulting fills Always, which a Job refuses.
    out.error(restartPath, required('valid values: "OnFailure", "Never"'));
  } else if (restartPolicy !== "OnFailure" && restartPolicy !== "Never") {
    out.error(restartPath, unsupported(restartPolicy, ["OnFailure", "Never"]));
  }
  if (rules.activeDeadline !== undefined && spec["activeDeadlineSeconds"] !== undefined) {
    out.error([...path, "spec", "activeDeadlineSeconds"], forbidden(`activeDeadlineSeconds in ${rules.activeDeadline} is not Supported`));
  }
}

/** `strategy`: Recreate or RollingUpdate (defaulted to 25% / 25%). */
function checkDeployment(spec: Json, out: DiagnosticList): void {
  nonNegative(spec, ["revisionHistoryLimit", "progressDeadlineSeconds"], ["spec"], out);
  const progress = spec["progressDeadlineSeconds"];
  const minReady = typeof spec["minReadySeconds"] === "number" ? spec["minReadySeconds"] : 0;
  if (typeof progress === "number" && progress >= 0 && progress <= minReady) {
    out.error(["spec", "progressDeadlineSeconds"], invalid(progress, "must be greater than minReadySeconds"));
  }
  const strategy = objectAt(spec["strategy"]);
  const type = strategy["type"] ?? "RollingUpdate";
  const rolling = strategy["rollingUpdate"];
  if (type !== "Recreate" && type !== "RollingUpdate") {
    out.error(["spec", "strategy"], unsupported({ Type: type, RollingUpdate: rolling ?? null }, ["Recreate", "RollingUpdate"]));
    return;
  }
  if (type === "Recreate") {
    if (rolling !== undefined && rolling !== null) out.error(["spec", "strategy", "rollingUpdate"], forbidden("may not be specified when strategy `type` is 'Recreate'"));
    return;
  }
  const path: FieldPath = ["spec", "strategy", "rollingUpdate"];
  const update = objectAt(rolling);
  const surge = checkIntOrPercent(update["maxSurge"] ?? "25%", [...path, "maxSurge"], out);
  const unavailable = checkIntOrPercent(update["maxUnavailable"] ?? "25%", [...path, "maxUnavailable"], out);
  if (surge === undefined || unavailable === undefined) return;
  if (surge.amount === 0 && unavailable.amount === 0) out.error([...path, "maxUnavailable"], invalid(update["maxUnavailable"] ?? 0, "may not be 0 when `maxSurge` is 0"));
  if (unavailable.percent && unavailable.amount > 100) out.error([...path, "maxUnavailable"], invalid(update["maxUnavailable"], "must not be greater than 100%"));
}

function checkStatefulSet(spec: Json, out: DiagnosticList): void {
  const policy = spec["podManagementPolicy"];
  if (policy !== undefined && policy !== "OrderedReady" && policy !== "Parallel") {
    out.error(["spec", "podManagementPolicy"], invalid(policy, "must be 'OrderedReady' or 'Parallel'"));
  }
  const serviceName = spec["serviceName"];
  if (typeof serviceName === "string" && serviceName !== "") {
    for (const message of dns1123LabelErrors(serviceName)) out.error(["spec", "serviceName"], invalid(serviceName, message));
  }
  nonNegative(objectAt(spec["ordinals"]), ["start"], ["spec", "ordinals"], out);
  const strategy = objectAt(spec["updateStrategy"]);
  const type = strategy["type"] ?? "RollingUpdate";
  const rolling = strategy["rollingUpdate"];
  if (type !== "RollingUpdate" && type !== "OnDelete") {
    out.error(["spec", "updateStrategy"], invalid({ Type: type, RollingUpdate: rolling ?? null }, "must be 'RollingUpdate' or 'OnDelete'"));
    return;
  }
  if (rolling === undefined || rolling === null) return;
  if (type === "OnDelete") {
    out.error(["spec", "updateStrategy", "rollingUpdate"], invalid(rolling, "only allowed for updateStrategy 'RollingUpdate'"));
    return;
  }
  const path: FieldPath = ["spec", "updateStrategy", "rollingUpdate"];
  nonNegative(objectAt(rolling), ["partition"], path, out);
  const maxUnavailable = objectAt(rolling)["maxUnavailable"];
  if (maxUnavailable === undefined || maxUnavailable === null) return;
  const parsed = checkIntOrPercent(maxUnavailable, [...path, "maxUnavailable"], out);
  if (parsed?.amount === 0) out.error([...path, "maxUnavailable"], invalid(maxUnavailable, "cannot be 0"));
  else if (parsed?.percent === true && parsed.amount > 100) out.error([...path, "maxUnavailable"], invalid(maxUnavailable, "must not be greater than 100%"));
}

/** `updateStrategy`: RollingUpdate (defaulted to maxUnavailable 1, maxSurge 0) or OnDelete. */
function checkDaemonSetStrategy(spec: Json, out: DiagnosticList): void {
  const strategy = objectAt(spec["updateStrategy"]);
  const type = strategy["type"] ?? "RollingUpdate";
  if (type !== "RollingUpdate" && type !== "OnDelete") {
    out.error(["spec", "updateStrategy"], unsupported({ Type: type, RollingUpdate: strategy["rollingUpdate"] ?? null }, ["RollingUpdate", "OnDelete"]));
    return;
  }
  if (type === "OnDelete") return;
  const path: FieldPath = ["spec", "updateStrategy", "rollingUpdate"];
  const update = objectAt(strategy["rollingUpdate"]);
  const unavailableValue = update["maxUnavailable"] ?? 1;
  const surgeValue = update["maxSurge"] ?? 0;
  const unavailable = checkIntOrPercent(unavailableValue, [...path, "maxUnavailable"], out);
  const surge = checkIntOrPercent(surgeValue, [...path, "maxSurge"], out);
  if (unavailable === undefined || surge === undefined) return;
  if (unavailable.percent && unavailable.amount > 100) out.error([...path, "maxUnavailable"], invalid(unavailableValue, "must not be greater than 100%"));
  if (surge.percent && surge.amount > 100) out.error([...path, "maxSurge"], invalid(surgeValue, "must not be greater than 100%"));
  if (unavailable.amount !== 0 && surge.amount !== 0) out.error([...path, "maxSurge"], invalid(surgeValue, "may not be set when maxUnavailable is non-zero"));
  if (unavailable.amount === 0 && surge.amount === 0) out.error([...path, "maxUnavailable"], required("cannot be 0 when maxSurge is 0"));
}

/** A Job's spec (also a CronJob's jobTemplate.spec, at `path`). */
function checkJobSpec(spec: Json, path: FieldPath, out: DiagnosticList): void {
  nonNegative(spec, ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes"], path, out);
  const mode = spec["completionMode"];
  if (mode !== undefined && mode !== "NonIndexed" && mode !== "Indexed") out.error([...path, "completionMode"], unsupported(mode, ["NonIndexed", "Indexed"]));
  if (mode === "Indexed") {
    if (spec["completions"] === undefined || spec["completions"] === null) out.error([...path, "completions"], required("when completion mode is Indexed"));
    const parallelism = spec["parallelism"];
    if (typeof parallelism === "number" && parallelism > 100_000) out.error([...path, "parallelism"], invalid(parallelism, "must be less than or equal to 100000 when completion mode is Indexed"));
  }
  const replacement = spec["podReplacementPolicy"];
  if (replacement !== undefined && replacement !== "Failed" && replacement !== "TerminatingOrFailed") {
    out.error([...path, "podReplacementPolicy"], unsupported(replacement, ["Failed", "TerminatingOrFailed"]));
  }
  checkTemplate(spec["template"], [...path, "template"], { restart: "job" }, out);
  if (spec["podFailurePolicy"] !== undefined && spec["podFailurePolicy"] !== null) checkPodFailurePolicy(spec, path, out);
}

/** validation.go validatePodFailurePolicy and its rules (limits: 20 rules, 255 exit codes, 20 condition patterns). */
function checkPodFailurePolicy(spec: Json, path: FieldPath, out: DiagnosticList): void {
  const policyPath: FieldPath = [...path, "podFailurePolicy"];
  const podSpec = objectAt(objectAt(spec["template"])["spec"]);
  const restart = podSpec["restartPolicy"];
  if (restart === "OnFailure") out.error([...path, "template", "spec", "restartPolicy"], invalid(restart, 'only "Never" is supported when podFailurePolicy is specified'));
  const replacement = spec["podReplacementPolicy"];
  if (replacement === "TerminatingOrFailed") out.error([...path, "podReplacementPolicy"], unsupported(replacement, ["Failed"]));
  const rules = objectAt(spec["podFailurePolicy"])["rules"];
  if (!Array.isArray(rules)) {
    out.error([...policyPath, "rules"], required());
    return;
  }
  if (rules.length > 20) out.error([...policyPath, "rules"], `Too many: ${rules.length}: must have at most 20 items`);
  const names = new Set<string>();
  for (const key of ["containers", "initContainers"]) {
    const list = podSpec[key];
    if (Array.isArray(list)) for (const container of list) if (typeof objectAt(container)["name"] === "string") names.add(objectAt(container)["name"] as string);
  }
  const actions = ["Count", "FailIndex", "FailJob", "Ignore"];
  for (const [index, value] of rules.entries()) {
    const rule = objectAt(value);
    const rulePath: FieldPath = [...policyPath, "rules", index];
    const action = rule["action"];
    if (action === undefined || action === null || action === "") out.error([...rulePath, "action"], required(`valid values: [${actions.map((item) => JSON.stringify(item)).join(" ")}]`));
    else if (action === "FailIndex" && (spec["backoffLimitPerIndex"] === undefined || spec["backoffLimitPerIndex"] === null)) out.error([...rulePath, "action"], invalid(action, "requires the backoffLimitPerIndex to be set"));
    else if (typeof action !== "string" || !actions.includes(action)) out.error([...rulePath, "action"], unsupported(action, actions));
    const exitCodes = rule["onExitCodes"];
    const conditions = rule["onPodConditions"];
    const hasExit = exitCodes !== undefined && exitCodes !== null;
    const hasConditions = Array.isArray(conditions) && conditions.length > 0;
    if (hasExit) checkOnExitCodes(objectAt(exitCodes), [...rulePath, "onExitCodes"], names, out);
    if (hasConditions) {
      if (conditions.length > 20) out.error([...rulePath, "onPodConditions"], `Too many: ${conditions.length}: must have at most 20 items`);
      for (const [at, pattern] of conditions.entries()) {
        const status = objectAt(pattern)["status"] ?? "True";
        if (typeof objectAt(pattern)["type"] !== "string" || objectAt(pattern)["type"] === "") out.error([...rulePath, "onPodConditions", at, "type"], required());
        if (status !== "True" && status !== "False" && status !== "Unknown") out.error([...rulePath, "onPodConditions", at, "status"], unsupported(status, ["False", "True", "Unknown"]));
      }
    }
    if (hasExit && hasConditions) out.error(rulePath, "Invalid value: specifying both OnExitCodes and OnPodConditions is not supported");
    if (!hasExit && !hasConditions) out.error(rulePath, "Invalid value: specifying one of OnExitCodes and OnPodConditions is required");
  }
}

function checkOnExitCodes(requirement: Json, path: FieldPath, containers: ReadonlySet<string>, out: DiagnosticList): void {
  const operator = requirement["operator"];
  if (operator === undefined || operator === null || operator === "") out.error([...path, "operator"], required('valid values: ["In" "NotIn"]'));
  else if (operator !== "In" && operator !== "NotIn") out.error([...path, "operator"], unsupported(operator, ["In", "NotIn"]));
  const name = requirement["containerName"];
  if (typeof name === "string" && !containers.has(name)) out.error([...path, "containerName"], invalid(name, "must be one of the container or initContainer names in the pod template"));
  const values = requirement["values"];
  if (!Array.isArray(values) || values.length === 0) {
    out.error([...path, "values"], invalid(values ?? [], "at least one value is required"));
    return;
  }
  if (values.length > 255) out.error([...path, "values"], `Too many: ${values.length}: must have at most 255 items`);
  const seen = new Set<unknown>();
  let ordered = true;
  for (const [index, value] of values.entries()) {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      out.error([...path, "values", index], invalid(value, "must be an integer"));
      continue;
    }
    if (operator === "In" && value === 0) out.error([...path, "values", index], invalid(value, "must not be 0 for the In operator"));
    if (seen.has(value)) out.error([...path, "values", index], `Duplicate value: ${value}`);
    seen.add(value);
    if (index > 0 && (values[index - 1] as number) > value) ordered = false;
  }
  if (!ordered) out.error([...path, "values"], invalid(values, "must be ordered"));
}

function checkCronJob(spec: Json, out: DiagnosticList): void {
  const schedule = spec["schedule"];
  if (schedule === undefined || schedule === null || schedule === "") out.error(["spec", "schedule"], required());
  else if (typeof schedule !== "string") out.error(["spec", "schedule"], invalid(schedule, "must be a cron schedule such as \"*/5 * * * *\""));
  else {
    const error = cronScheduleError(schedule);
    if (error !== undefined) out.error(["spec", "schedule"], invalid(schedule, error));
  }
  const zone = spec["timeZone"];
  if (zone === "") out.error(["spec", "timeZone"], invalid("", "timeZone must be nil or non-empty string"));
  else if (typeof zone === "string") {
    // validation.go validateTimeZone: "Local" is refused; each part of the name as Go's LoadLocation reads it.
    if (zone.toLowerCase() === "local") out.error(["spec", "timeZone"], invalid(zone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
    else if (zone.split("/").some((part) => !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part) || part === "." || part === ".." || part.startsWith("-"))) {
      out.error(["spec", "timeZone"], invalid(zone, `unknown time zone ${zone}`));
    }
  }
  const concurrency = spec["concurrencyPolicy"];
  if (concurrency !== undefined && concurrency !== "Allow" && concurrency !== "Forbid" && concurrency !== "Replace") {
    out.error(["spec", "concurrencyPolicy"], unsupported(concurrency, ["Allow", "Forbid", "Replace"]));
  }
  nonNegative(spec, ["startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"], ["spec"], out);
  const jobSpec = objectAt(objectAt(spec["jobTemplate"])["spec"]);
  const jobPath: FieldPath = ["spec", "jobTemplate", "spec"];
  if (jobSpec["selector"] !== undefined && jobSpec["selector"] !== null) out.error([...jobPath, "selector"], invalid(jobSpec["selector"], "`selector` will be auto-generated"));
  if (jobSpec["manualSelector"] === true) out.error([...jobPath, "manualSelector"], unsupported(true, ["nil", "false"]));
  checkJobSpec(jobSpec, jobPath, out);
}

function checkService(spec: Json, out: DiagnosticList): void {
  const type = spec["type"] ?? "ClusterIP";
  const types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
  if (!types.includes(type as string)) out.error(["spec", "type"], unsupported(type, types));
  const ports = Array.isArray(spec["ports"]) ? (spec["ports"] as unknown[]) : [];
  if (ports.length === 0 && spec["clusterIP"] !== "None" && type !== "ExternalName") out.error(["spec", "ports"], required());
  const names = new Set<string>();
  ports.forEach((item, index) => {
    const port = objectAt(item);
    const path: FieldPath = ["spec", "ports", index];
    const name = port["name"];
    if (ports.length > 1 && (name === undefined || name === "")) out.error([...path, "name"], required());
    if (typeof name === "string" && name !== "") {
      for (const message of dns1123LabelErrors(name)) out.error([...path, "name"], invalid(name, message));
      if (names.has(name)) out.error([...path, "name"], `Duplicate value: ${JSON.stringify(name)}`);
      names.add(name);
    }
    const number = port["port"];
    if (typeof number !== "number" || !Number.isInteger(number) || number < 1 || number > 65535) out.error([...path, "port"], invalid(number ?? 0, "must be between 1 and 65535, inclusive"));
    const protocol = port["protocol"] ?? "TCP";
    if (protocol !== "TCP" && protocol !== "UDP" && protocol !== "SCTP") out.error([...path, "protocol"], unsupported(protocol, ["SCTP", "TCP", "UDP"]));
    const target = port["targetPort"];
    if (typeof target === "number" && (!Number.isInteger(target) || target < 1 || target > 65535)) out.error([...path, "targetPort"], invalid(target, "must be between 1 and 65535, inclusive"));
    if (port["nodePort"] !== undefined && type === "ClusterIP") out.error([...path, "nodePort"], forbidden("may not be used when `type` is 'ClusterIP'"));
  });
  checkLabels(spec["selector"], ["spec", "selector"], out);
}

function checkDisruptionBudget(spec: Json, out: DiagnosticList): void {
  const minAvailable = spec["minAvailable"];
  const maxUnavailable = spec["maxUnavailable"];
  if (minAvailable !== undefined && maxUnavailable !== undefined) out.error(["spec"], invalid(spec, "minAvailable and maxUnavailable cannot be both set"));
  for (const [field, value] of [["minAvailable", minAvailable], ["maxUnavailable", maxUnavailable]] as const) {
    if (value === undefined || value === null) continue;
    const parsed = checkIntOrPercent(value, ["spec", field], out);
    if (parsed?.percent === true && parsed.amount > 100) out.error(["spec", field], invalid(value, "must not be greater than 100%"));
  }
  checkLabelSelector(spec["selector"], ["spec", "selector"], out);
  const policy = spec["unhealthyPodEvictionPolicy"];
  if (policy !== undefined && policy !== "IfHealthyBudget" && policy !== "AlwaysAllow") out.error(["spec", "unhealthyPodEvictionPolicy"], unsupported(policy, ["AlwaysAllow", "IfHealthyBudget"]));
}

/** scheduling/v1 helpers.go: the system classes and their values. */
const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = { "system-cluster-critical": 2_000_000_000, "system-node-critical": 2_000_001_000 };
const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;

function checkPriorityClass(object: Json, name: string, out: DiagnosticList): void {
  const value = object["value"];
  if (typeof value !== "number" || !Number.isInteger(value)) out.error(["value"], invalid(value ?? null, "must be an integer"));
  if (name.startsWith("system-")) {
    const expected = SYSTEM_PRIORITY_CLASSES[name];
    const why = expected === undefined ? `${name} is not a known system priority class`
      : value !== expected ? `value of ${name} PriorityClass must be ${expected}`
        : object["globalDefault"] === true ? `globalDefault of ${name} PriorityClass must be false` : undefined;
    if (why !== undefined) out.error(["metadata", "name"], forbidden(`priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
  } else if (typeof value === "number" && value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    out.error(["value"], forbidden(`maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  const preemption = object["preemptionPolicy"];
  if (preemption !== undefined && preemption !== "PreemptLowerPriority" && preemption !== "Never") {
    out.error(["preemptionPolicy"], unsupported(preemption, ["PreemptLowerPriority", "Never"]));
  }
}
