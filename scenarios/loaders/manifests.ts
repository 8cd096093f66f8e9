/**
 * Loads Kubernetes manifests — YAML or JSON, multi-document, `kind: List` — into nodes and pods.
 * Every object is either loaded, ignored with a warning (kinds that do not affect scheduling, or
 * are not simulated yet), or refused with an error; every problem is reported at file:line with
 * the field path (kubectl's `--validate`: unknown fields are warnings, errors with `strict`).
 */
import {
  disruptionBudgetFromManifest,
  serviceFromManifest,
  namespaceFromManifest,
  type NamespaceObject,
  type DisruptionBudget,
  type Service,
  PriorityClasses,
  VALIDATED_KINDS,
  formatPath,
  nodeFromManifest,
  podFromManifest,
  podKey,
  priorityClassFromManifest,
  validateWorkload,
  isWorkloadKind,
  workloadFromManifest,
  type Workload,
  type Diagnostic,
  type FieldPath,
  type Node,
  type Pod,
  type PriorityClass,
} from "../../core/index.js";
import { createHash } from "node:crypto";
import { DocumentTooLargeError, fileChunks, splitDocuments, type DocumentSlice } from "./documents.js";
import { treatmentOf } from "./kinds.js";
import { MANIFEST_EXTENSIONS, ManifestPathError, describeError, manifestFiles } from "./paths.js";
import { YamlSyntaxError, documentFrom, type SourceDocument } from "./yaml.js";
import { isKnownTimeZone } from "./zones.js";

/** kubectl's `--validate`: what to do with unknown fields. */
export type ValidationMode = "strict" | "warn" | "ignore";

/** A problem in an input file, positioned for people: `file:line: error: path: message`. */
export interface FileDiagnostic {
  readonly severity: "error" | "warning";
  readonly file: string;
  readonly line: number;
  /** Field path inside the object (may be empty). */
  readonly path: string;
  readonly message: string;
}

export function formatDiagnostic(diagnostic: FileDiagnostic): string {
  const where = diagnostic.path === "" ? "" : `${diagnostic.path}: `;
  return `${diagnostic.file}:${diagnostic.line}: ${diagnostic.severity}: ${where}${diagnostic.message}`;
}

/** What happened to one object of a file. */
export interface ObjectOutcome {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly name: string;
  readonly outcome: "loaded" | "ignored" | "refused";
}

/** The pod template of a workload that is read but not simulated yet (a Deployment's spec.template …). */
export interface WorkloadTemplate {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The template as written: `{metadata, spec}`. */
  readonly template: Record<string, unknown>;
}

/** Where a loaded pod came from, for what admission says of it later. */
export interface PodSource {
  readonly file: string;
  readonly line: number;
  /** Whether the manifest set `spec.priority` itself (kube's Priority admission refuses that unless it matches the class). */
  readonly priorityGiven: boolean;
  /**
   * Set when the manifest is of a pod already being deleted (`metadata.deletionTimestamp`): the
   * grace period it has (`metadata.deletionGracePeriodSeconds`, else its
   * `terminationGracePeriodSeconds`). `run -f` and `explain -f` delete it at tick 0: it is
   * terminating, and spreading no longer counts it.
   */
  readonly deletionGracePeriodSeconds?: number;
}

export interface LoadedManifests {
  readonly nodes: Node[];
  readonly pods: Pod[];
  /** `pods[i]` came from `podSources[i]`. */
  readonly podSources: PodSource[];
  readonly priorityClasses: { readonly value: PriorityClass; readonly file: string; readonly line: number }[];
  /** Deployments, ReplicaSets and ReplicationControllers (their templates admitted by `admitWorkloads`). */
  readonly workloads: { value: Workload; readonly file: string; readonly line: number; readonly priorityGiven: boolean }[];
  /** Every valid workload's pod template, simulated or not (for `explain`). */
  readonly templates: WorkloadTemplate[];
  /** PodDisruptionBudgets and Services. */
  readonly policies: { readonly value: DisruptionBudget | Service | NamespaceObject; readonly file: string; readonly line: number }[];
  readonly objects: ObjectOutcome[];
  readonly diagnostics: FileDiagnostic[];
}

export interface LoadOptions {
  readonly validate: ValidationMode;
}

export const DEFAULT_LOAD_OPTIONS: LoadOptions = { validate: "warn" };

/** An empty result to accumulate into. */
export function emptyManifests(): LoadedManifests {
  return { nodes: [], pods: [], podSources: [], priorityClasses: [], workloads: [], templates: [], policies: [], objects: [], diagnostics: [] };
}

/** Loads every object of one file's text into `into` (returned). */
export function loadManifestText(text: string, file: string, options: LoadOptions = DEFAULT_LOAD_OPTIONS, into = emptyManifests()): LoadedManifests {
  return loadSlices(splitDocuments([text]), file, options, into);
}

/**
 * Loads every object of the file at `path` into `into` (returned), reading it a chunk at a time:
 * each document (or each item of a JSON List) is read, converted and dropped before the next,
 * so a file of a million pods never sits in memory as text or as parsed YAML. `onBytes` sees
 * the file's bytes as they are read (for hashing). @throws the file system's errors (ENOENT …)
 */
export function loadManifestFile(path: string, file: string, options: LoadOptions = DEFAULT_LOAD_OPTIONS, into = emptyManifests(), onBytes?: (bytes: Uint8Array) => void): LoadedManifests {
  return loadSlices(splitDocuments(fileChunks(path, onBytes)), file, options, into);
}

function loadSlices(slices: Iterable<DocumentSlice>, file: string, options: LoadOptions, into: LoadedManifests): LoadedManifests {
  try {
    for (const slice of slices) {
      const document = documentFrom(slice);
      if (document.value === null || document.value === undefined) continue; // an empty document
      loadObject(document.value, document.base, document, file, options, into);
      if (document.itemsCutOut > 0 && !isList(document.value)) {
        into.diagnostics.push({ severity: "error", file, line: document.line, path: "items",
          message: `only a v1 List holds items; this object's ${document.itemsCutOut} items were read as a List's` });
      }
    }
  } catch (error) {
    if (error instanceof DocumentTooLargeError) {
      into.diagnostics.push({ severity: "error", file, line: error.line, path: "", message: error.message });
      into.objects.push({ file, line: error.line, kind: "?", name: "?", outcome: "refused" });
      return into;
    }
    if (!(error instanceof YamlSyntaxError)) throw error;
    into.diagnostics.push({ severity: "error", file, line: error.line, path: "", message: `not valid YAML or JSON: ${error.reason} (column ${error.column})` });
    into.objects.push({ file, line: error.line, kind: "?", name: "?", outcome: "refused" });
  }
  return into;
}

function isList(value: unknown): boolean {
  const object = value as Record<string, unknown> | null;
  return typeof object === "object" && object !== null && object["kind"] === "List" && object["apiVersion"] === "v1";
}

/**
 * Loads one object found at `base` inside `document` (a top-level document or a List item).
 * Exported for the scenario loader, whose nodes and workloads are manifests inside a larger file.
 */
export function loadObject(value: unknown, base: FieldPath, document: SourceDocument, file: string, options: LoadOptions, into: LoadedManifests): void {
  const lineAt = (path: FieldPath) => document.lineOf([...base, ...path]);
  const report = (severity: "error" | "warning", path: FieldPath, message: string) =>
    into.diagnostics.push({ severity, file, line: lineAt(path), path: formatPath([...base, ...path]), message });
  /** Reports diagnostics under kubectl's --validate mode; whether any is an error. */
  const reportAll = (diagnostics: readonly Diagnostic[]): boolean => {
    let errors = false;
    for (const diagnostic of diagnostics) {
      const unknownField = diagnostic.unknownField === true;
      if (unknownField && options.validate === "ignore") continue;
      const severity: Diagnostic["severity"] = unknownField && options.validate === "strict" ? "error" : diagnostic.severity;
      if (severity === "error") errors = true;
      report(severity, diagnostic.path, diagnostic.message);
    }
    return errors;
  };
  // The document's own value starts at the document's line. The line of an item inside it is
  // found only if someone reads it: positions cost a second parse of the document.
  const ownValue = base.length === document.base.length;
  const outcome = (kind: string, name: string, result: ObjectOutcome["outcome"]) => {
    if (ownValue) {
      into.objects.push({ file, line: document.line, kind, name, outcome: result });
      return;
    }
    let line: number | undefined;
    into.objects.push({ file, get line() { return line ??= lineAt([]); }, kind, name, outcome: result });
  };

  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    report("error", [], "a manifest must be an object with apiVersion, kind and metadata");
    outcome("?", "?", "refused");
    return;
  }
  const object = value as Record<string, unknown>;
  const apiVersion = object["apiVersion"];
  const kind = object["kind"];
  if (typeof kind !== "string" || kind === "" || typeof apiVersion !== "string" || apiVersion === "") {
    const missing = typeof kind !== "string" || kind === "" ? "kind" : "apiVersion";
    report("error", [missing], `required: every manifest names its apiVersion and kind (e.g. "apiVersion: v1" and "kind: Pod")`);
    outcome(typeof kind === "string" ? kind : "?", nameOf(object), "refused");
    return;
  }

  if (kind === "List" && apiVersion === "v1") {
    const items = object["items"];
    if (!Array.isArray(items)) {
      report("error", ["items"], "a List must have an items list");
      outcome(kind, nameOf(object), "refused");
      return;
    }
    items.forEach((item, index) => loadObject(item, [...base, "items", index], document, file, options, into));
    return;
  }

  if (kind === "Scenario" && apiVersion.startsWith("timoneiro.dev/")) {
    report("error", [], `this is a scenario file, not a Kubernetes manifest; run it with timoneiro run ${file}`);
    outcome(kind, nameOf(object), "refused");
    return;
  }
  const treatment = treatmentOf(apiVersion, kind);
  switch (treatment.treatment) {
    case "planned":
    case "ignored": {
      // Not simulated, but still validated as the API server would: an invalid object is an error.
      const refused = (VALIDATED_KINDS as readonly string[]).includes(`${apiVersion}/${kind}`) && reportAll(validateWorkload(kind, object));
      if (!refused) report("warning", [], `${describeObject(kind, object)} ignored: ${treatment.note}`);
      outcome(kind, nameOf(object), refused ? "refused" : "ignored");
      const template = refused ? undefined : podTemplateOf(kind, object);
      if (template !== undefined) {
        const metadata = (object["metadata"] ?? {}) as Record<string, unknown>;
        into.templates.push({ kind, namespace: typeof metadata["namespace"] === "string" ? metadata["namespace"] : "default", name: nameOf(object), template });
      }
      return;
    }
    case "refused":
      report("error", ["apiVersion"], treatment.note);
      outcome(kind, nameOf(object), "refused");
      return;
    case "simulated":
      break;
    default: {
      const unreachable: never = treatment;
      throw new Error(`unknown treatment ${JSON.stringify(unreachable)}`);
    }
  }

  if (isWorkloadKind(kind)) {
    const converted = workloadFromManifest(withGeneratedName(object, file, () => lineAt([])));
    // Go's time.LoadLocation: a zone the IANA database does not know (core/ holds no zone data, so it is read here).
    // Read from the manifest, so that it is reported beside the object's other errors.
    const rawZone = kind === "CronJob" ? ((object["spec"] ?? {}) as Record<string, unknown>)["timeZone"] : undefined;
    const zoneRefused = converted.diagnostics.some((diagnostic) => diagnostic.severity === "error" && diagnostic.path.join(".") === "spec.timeZone");
    const zone = typeof rawZone === "string" && !zoneRefused ? rawZone : undefined;
    const unknownZone = zone !== undefined && !isKnownTimeZone(zone);
    if (unknownZone) report("error", ["spec", "timeZone"], `Invalid value: ${JSON.stringify(zone)}: unknown time zone ${zone}`);
    const refused = reportAll(converted.diagnostics) || converted.value === undefined || unknownZone;
    outcome(kind, nameOf(object), refused ? "refused" : "loaded");
    if (refused) return;
    const workload = converted.value as Workload;
    if (kind === "Job") {
      const spec = (object["spec"] ?? {}) as Record<string, unknown>;
      for (const field of ["backoffLimitPerIndex", "maxFailedIndexes", "successPolicy", "managedBy"]) {
        if (spec[field] !== undefined && spec[field] !== null) report("warning", ["spec", field], `${field} is not simulated yet: the Job runs as if it were absent`);
      }
      for (const [index, rule] of (workload.job?.podFailurePolicy ?? []).entries()) {
        if (rule.onPodConditions !== undefined) {
          report("warning", ["spec", "podFailurePolicy", "rules", index, "onPodConditions"], "matches no pod yet: simulated pods carry no conditions such as DisruptionTarget, so only onExitCodes rules apply");
        }
      }
    }
    into.templates.push({ kind, namespace: workload.namespace, name: workload.name, template: podTemplateOf(kind, object) ?? {} });
    const templateSpec = (podTemplateOf(kind, object)?.["spec"] ?? {}) as Record<string, unknown>;
    const priorityGiven = templateSpec["priority"] !== undefined && templateSpec["priority"] !== null;
    if (ownValue) into.workloads.push({ value: workload, file, line: document.line, priorityGiven });
    else {
      let line: number | undefined;
      into.workloads.push({ value: workload, file, get line() { return line ??= lineAt([]); }, priorityGiven });
    }
    return;
  }
  if (kind === "PodDisruptionBudget" || kind === "Service" || kind === "Namespace") {
    const converted = kind === "Service"
      ? serviceFromManifest(withGeneratedName(object, file, () => lineAt([])))
      : kind === "Namespace" ? namespaceFromManifest(object) : disruptionBudgetFromManifest(withGeneratedName(object, file, () => lineAt([])));
    const refused = reportAll(converted.diagnostics) || converted.value === undefined;
    outcome(kind, nameOf(object), refused ? "refused" : "loaded");
    if (!refused) into.policies.push({ value: converted.value as DisruptionBudget | Service | NamespaceObject, file, line: lineAt([]) });
    return;
  }
  if (kind === "PriorityClass") {
    const converted = priorityClassFromManifest(object);
    const refused = reportAll(converted.diagnostics) || converted.value === undefined;
    outcome(kind, nameOf(object), refused ? "refused" : "loaded");
    if (!refused) into.priorityClasses.push({ value: converted.value as PriorityClass, file, line: lineAt([]) });
    return;
  }
  const converted = kind === "Pod" ? podFromManifest(withGeneratedName(object, file, () => lineAt([]))) : nodeFromManifest(object);
  const refused = reportAll(converted.diagnostics) || converted.value === undefined;
  outcome(kind, nameOf(object), refused ? "refused" : "loaded");
  if (refused) return;
  if (kind === "Pod") {
    into.pods.push(converted.value as Pod);
    const spec = object["spec"] as Record<string, unknown> | undefined;
    const priorityGiven = spec?.["priority"] !== undefined && spec["priority"] !== null;
    const meta = object["metadata"] as Record<string, unknown> | undefined;
    const deleting = meta?.["deletionTimestamp"] !== undefined && meta["deletionTimestamp"] !== null;
    const grace = typeof meta?.["deletionGracePeriodSeconds"] === "number" ? meta["deletionGracePeriodSeconds"] : (converted.value as Pod).terminationGracePeriodSeconds;
    const deletion = deleting ? { deletionGracePeriodSeconds: Math.max(0, Math.trunc(grace)) } : {};
    if (ownValue) into.podSources.push({ file, line: document.line, priorityGiven, ...deletion });
    else {
      // An item's line costs a second parse of its document: found only if a message needs it.
      let line: number | undefined;
      into.podSources.push({ file, get line() { return line ??= lineAt([]); }, priorityGiven, ...deletion });
    }
  }
  else into.nodes.push(converted.value as Node);
}

/** A workload's pod template: spec.template, or a CronJob's spec.jobTemplate.spec.template. */
function podTemplateOf(kind: string, object: Record<string, unknown>): Record<string, unknown> | undefined {
  const child = (value: unknown, key: string): unknown => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined);
  const spec = child(object, "spec");
  const template = kind === "CronJob" ? child(child(child(spec, "jobTemplate"), "spec"), "template") : child(spec, "template");
  return typeof template === "object" && template !== null && !Array.isArray(template) ? (template as Record<string, unknown>) : undefined;
}

function describeObject(kind: string, object: Record<string, unknown>): string {
  const name = nameOf(object);
  return name === "(unnamed)" ? kind : `${kind} ${JSON.stringify(name)}`;
}

function nameOf(object: Record<string, unknown>): string {
  const metadata = object["metadata"] as Record<string, unknown> | undefined;
  const name = metadata?.["name"] ?? (metadata?.["generateName"] !== undefined ? `${String(metadata["generateName"])}*` : undefined);
  return typeof name === "string" ? name : "(unnamed)";
}

const GENERATED_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/**
 * A pod or workload with `generateName` and no `name` gets a name as the API server would give it (kubectl create): the
 * prefix plus five characters from kube's alphabet — derived from the file and line, not drawn at
 * random, so the same input always gets the same name.
 */
function withGeneratedName(object: Record<string, unknown>, file: string, lineOf: () => number): Record<string, unknown> {
  const metadata = object["metadata"] as Record<string, unknown> | undefined;
  const prefix = metadata?.["generateName"];
  if (metadata === undefined || metadata["name"] !== undefined || typeof prefix !== "string") return object;
  let hash = 0x811c9dc5;
  for (const character of `${file.split("/").pop()}:${lineOf()}`) {
    hash = Math.imul(hash ^ character.charCodeAt(0), 0x01000193) >>> 0;
  }
  let suffix = "";
  for (let index = 0; index < 5; index++) {
    suffix += GENERATED_NAME_ALPHABET[hash % GENERATED_NAME_ALPHABET.length];
    hash = Math.floor(hash / GENERATED_NAME_ALPHABET.length) + index * 7919;
  }
  return { ...object, metadata: { ...metadata, name: `${prefix}${suffix}` } };
}

/** The cluster's PriorityClasses: the system ones and those loaded; a refused one is an error at its line. */
export function priorityClassesOf(loaded: LoadedManifests["priorityClasses"], diagnostics: FileDiagnostic[]): PriorityClasses {
  const classes = new PriorityClasses();
  for (const { value, file, line } of loaded) {
    const refusal = classes.add(value);
    if (refusal !== undefined) diagnostics.push({ severity: "error", file, line, path: "", message: `PriorityClass ${JSON.stringify(value.name)} is refused: ${refusal}` });
  }
  return classes;
}

/**
 * kube's Priority admission on loaded pods (`pods[i]` from `sources[i]`), replacing each with the
 * pod as admitted: its priority from its class, the global default's, or 0; a refusal is an error
 * at the pod. One deliberate difference: a pod that sets `spec.priority` and names no class keeps
 * it, with a warning — the API server would refuse it, but kube's own scheduler_perf templates
 * (run against a test server without that plugin) are written so.
 */
export function admitPods(classes: PriorityClasses, pods: Pod[], sources: readonly PodSource[], diagnostics: FileDiagnostic[]): void {
  pods.forEach((pod, index) => {
    const source = sources[index] as PodSource;
    const admitted = classes.admit(pod, source.priorityGiven && pod.priorityClassName !== undefined);
    if ("error" in admitted) {
      diagnostics.push({ severity: "error", file: source.file, line: source.line, path: "spec.priorityClassName", message: `pods ${JSON.stringify(pod.name)} is forbidden: ${admitted.error}` });
      return;
    }
    if (source.priorityGiven && pod.priorityClassName === undefined && admitted.pod.priority !== pod.priority) {
      diagnostics.push({ severity: "warning", file: source.file, line: source.line, path: "spec.priority",
        message: `kube-apiserver's Priority admission would refuse this pod (the integer value of priority (${pod.priority}) must not be provided in pod spec; it computes ${admitted.pod.priority}); Timoneiro keeps ${pod.priority}, as kube's scheduler_perf test server does` });
      return;
    }
    pods[index] = admitted.pod;
  });
}

/** The pods whose manifests say they are already being deleted, with their grace periods. */
export function terminatingPods(loaded: LoadedManifests): { pod: string; gracePeriodSeconds: number }[] {
  return loaded.pods.flatMap((pod, index) => {
    const grace = loaded.podSources[index]?.deletionGracePeriodSeconds;
    return grace === undefined ? [] : [{ pod: podKey(pod), gracePeriodSeconds: grace }];
  });
}


/** Priority admission on each workload's pod template: the pods it makes take its class's priority. */
export function admitWorkloads(classes: PriorityClasses, workloads: LoadedManifests["workloads"], diagnostics: FileDiagnostic[]): void {
  for (const entry of workloads) {
    const template = entry.value.template;
    const admitted = classes.admit(template, entry.priorityGiven && template.priorityClassName !== undefined);
    if ("error" in admitted) {
      diagnostics.push({ severity: "error", file: entry.file, line: entry.line, path: "spec.template.spec.priorityClassName", message: `${entry.value.kind} ${JSON.stringify(entry.value.name)}: its pods would be forbidden: ${admitted.error}` });
      continue;
    }
    if (entry.priorityGiven && template.priorityClassName === undefined) continue;
    entry.value = { ...entry.value, template: admitted.pod };
  }
}

/** Manifests read from `-f` paths, with what a run's log header needs. */
export interface LoadedInput {
  readonly manifests: LoadedManifests;
  /** The files read, in order (folders expanded). */
  readonly files: readonly string[];
  /** sha256 of the files' bytes, joined by "\n---\n". */
  readonly hash: string;
}

/**
 * Loads the files and folders `-f` names (see `manifestFiles`), each streamed. A file without a
 * single object gets a warning, as it is most likely a mistake. @throws ManifestPathError
 */
export function loadManifestPaths(paths: readonly string[], options: LoadOptions & { readonly recursive: boolean }): LoadedInput {
  const files = manifestFiles(paths, options.recursive);
  const folders = paths.filter((path) => !files.includes(path));
  if (files.length === 0) {
    throw new ManifestPathError(`${folders.join(", ")}: no ${MANIFEST_EXTENSIONS.join(", ")} files here${options.recursive ? "" : " (-R reads sub-folders too)"}`);
  }
  const hash = createHash("sha256");
  const manifests = emptyManifests();
  files.forEach((file, index) => {
    if (index > 0) hash.update("\n---\n");
    const before = manifests.objects.length;
    try {
      loadManifestFile(file, file, options, manifests, (bytes) => hash.update(bytes));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === undefined) throw error;
      throw new ManifestPathError(`cannot read ${file}: ${describeError(error)}`);
    }
    if (manifests.objects.length === before) {
      manifests.diagnostics.push({ severity: "warning", file, line: 1, path: "", message: "holds no Kubernetes objects (the file is empty, or only comments)" });
    }
  });
  // As if the PriorityClasses were applied first, then the pods.
  const classes = priorityClassesOf(manifests.priorityClasses, manifests.diagnostics);
  admitPods(classes, manifests.pods, manifests.podSources, manifests.diagnostics);
  admitWorkloads(classes, manifests.workloads, manifests.diagnostics);
  return { manifests, files, hash: hash.digest("hex") };
}
