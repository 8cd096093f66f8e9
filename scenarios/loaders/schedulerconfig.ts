/**
 * A KubeSchedulerConfiguration file (`--config`, as kube-scheduler takes it): one document,
 * `kubescheduler.config.k8s.io/v1`; problems reported at file:line with the field path.
 */
import { formatPath, schedulerConfigurationFrom, type SchedulerConfiguration, type SchedulerOptions } from "../../core/index.js";
import type { FileDiagnostic, ValidationMode } from "./manifests.js";
import { YamlSyntaxError, parseDocuments } from "./yaml.js";

export interface LoadedSchedulerConfiguration {
  readonly configuration: SchedulerConfiguration | undefined;
  readonly diagnostics: readonly FileDiagnostic[];
}

export function loadSchedulerConfigText(text: string, file: string, options: SchedulerOptions, validate: ValidationMode = "warn"): LoadedSchedulerConfiguration {
  let documents;
  try {
    documents = parseDocuments(text).filter((document) => document.value !== null && document.value !== undefined);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    return { configuration: undefined, diagnostics: [{ severity: "error", file, line: error.line, path: "", message: `not valid YAML or JSON: ${error.reason}` }] };
  }
  if (documents.length !== 1) {
    const line = documents[1]?.line ?? 1;
    return { configuration: undefined, diagnostics: [{ severity: "error", file, line, path: "", message: `a scheduler configuration file holds exactly one KubeSchedulerConfiguration, found ${documents.length} documents` }] };
  }
  const document = documents[0] as (typeof documents)[number];
  const result = schedulerConfigurationFrom(document.value, options);
  const diagnostics: FileDiagnostic[] = [];
  let failed = result.value === undefined;
  for (const diagnostic of result.diagnostics) {
    if (diagnostic.unknownField && validate === "ignore") continue;
    const severity = diagnostic.unknownField && validate === "strict" ? "error" : diagnostic.severity;
    if (severity === "error") failed = true;
    diagnostics.push({ severity, file, line: document.lineOf(diagnostic.path), path: formatPath(diagnostic.path), message: diagnostic.message });
  }
  return { configuration: failed ? undefined : result.value, diagnostics };
}
