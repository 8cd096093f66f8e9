/**
 * A KubeSchedulerConfiguration file (`--config`, as kube-scheduler takes it):
 * `kubescheduler.config.k8s.io/v1`, problems reported at file:line with the field path.
 *
 * Clusters usually ship the configuration inside a ConfigMap that the scheduler mounts; a file
 * (or a multi-document manifest) whose only KubeSchedulerConfiguration is the text of a ConfigMap
 * key is read too, its lines counted in the file.
 */
import { formatPath, schedulerConfigurationFrom, type SchedulerConfiguration, type SchedulerOptions } from "../../core/index.js";
import type { FileDiagnostic, ValidationMode } from "./manifests.js";
import { YamlSyntaxError, parseDocuments, type SourceDocument } from "./yaml.js";

export interface LoadedSchedulerConfiguration {
  readonly configuration: SchedulerConfiguration | undefined;
  readonly diagnostics: readonly FileDiagnostic[];
}

const KIND = "KubeSchedulerConfiguration";

interface Candidate {
  readonly document: SourceDocument;
  /** Lines before the document's text in the file (non-zero for a ConfigMap key's text). */
  readonly lineOffset: number;
  readonly where: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** KubeSchedulerConfigurations held as ConfigMap data in `document`. */
function embedded(document: SourceDocument): Candidate[] {
  const value = document.value;
  if (!isObject(value) || value["kind"] !== "ConfigMap" || !isObject(value["data"])) return [];
  return Object.entries(value["data"]).flatMap(([key, text]) => {
    if (typeof text !== "string" || !text.includes(KIND)) return [];
    try {
      // A block scalar's text starts on the line after its key.
      return parseDocuments(text).map((inner) => ({ document: inner, lineOffset: document.lineOf(["data", key]), where: `ConfigMap data ${JSON.stringify(key)}` }));
    } catch {
      return [];
    }
  });
}

export function loadSchedulerConfigText(text: string, file: string, options: SchedulerOptions, validate: ValidationMode = "warn"): LoadedSchedulerConfiguration {
  let documents: SourceDocument[];
  try {
    documents = parseDocuments(text).filter((document) => document.value !== null && document.value !== undefined);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    return { configuration: undefined, diagnostics: [{ severity: "error", file, line: error.line, path: "", message: `not valid YAML or JSON: ${error.reason}` }] };
  }
  const direct = documents.filter((document) => isObject(document.value) && document.value["kind"] === KIND);
  const candidates: Candidate[] = direct.length > 0 || documents.length === 1 && embedded(documents[0] as SourceDocument).length === 0
    ? documents.filter((document) => direct.length === 0 || direct.includes(document)).map((document) => ({ document, lineOffset: 0, where: "" }))
    : documents.flatMap(embedded);
  if (candidates.length !== 1) {
    const line = (candidates[1]?.document.line ?? 1) + (candidates[1]?.lineOffset ?? 0);
    const message = candidates.length === 0
      ? `no KubeSchedulerConfiguration here (neither a document nor a ConfigMap key holding one)`
      : `holds ${candidates.length} KubeSchedulerConfigurations; kube-scheduler takes one: put each in its own file`;
    return { configuration: undefined, diagnostics: [{ severity: "error", file, line, path: "", message }] };
  }
  const { document, lineOffset, where } = candidates[0] as Candidate;
  const result = schedulerConfigurationFrom(document.value, options);
  const diagnostics: FileDiagnostic[] = [];
  let failed = result.value === undefined;
  for (const diagnostic of result.diagnostics) {
    if (diagnostic.unknownField && validate === "ignore") continue;
    const severity = diagnostic.unknownField && validate === "strict" ? "error" : diagnostic.severity;
    if (severity === "error") failed = true;
    const path = formatPath(diagnostic.path);
    diagnostics.push({ severity, file, line: lineOffset + document.lineOf(diagnostic.path), path: where === "" ? path : `${where}: ${path}`, message: diagnostic.message });
  }
  return { configuration: failed ? undefined : result.value, diagnostics };
}
