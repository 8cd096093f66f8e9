/**
 * Loads Kubernetes manifests — YAML or JSON, multi-document, `kind: List` — into nodes and pods.
 * Every object is either loaded, ignored with a warning (kinds that do not affect scheduling, or
 * are not simulated yet), or refused with an error; every problem is reported at file:line with
 * the field path (kubectl's `--validate`: unknown fields are warnings, errors with `strict`).
 */
import { formatPath, nodeFromManifest, podFromManifest, type Diagnostic, type FieldPath, type Node, type Pod } from "../../core/index.js";
import { treatmentOf } from "./kinds.js";
import { YamlSyntaxError, parseDocuments, type SourceDocument } from "./yaml.js";

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

export interface LoadedManifests {
  readonly nodes: Node[];
  readonly pods: Pod[];
  readonly objects: ObjectOutcome[];
  readonly diagnostics: FileDiagnostic[];
}

export interface LoadOptions {
  readonly validate: ValidationMode;
}

export const DEFAULT_LOAD_OPTIONS: LoadOptions = { validate: "warn" };

/** An empty result to accumulate into. */
export function emptyManifests(): LoadedManifests {
  return { nodes: [], pods: [], objects: [], diagnostics: [] };
}

/** Loads every object of one file's text into `into` (returned). */
export function loadManifestText(text: string, file: string, options: LoadOptions = DEFAULT_LOAD_OPTIONS, into = emptyManifests()): LoadedManifests {
  let documents: SourceDocument[];
  try {
    documents = parseDocuments(text);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    into.diagnostics.push({ severity: "error", file, line: error.line, path: "", message: `not valid YAML or JSON: ${error.reason} (column ${error.column})` });
    into.objects.push({ file, line: error.line, kind: "?", name: "?", outcome: "refused" });
    return into;
  }
  for (const document of documents) {
    if (document.value === null || document.value === undefined) continue; // an empty document
    loadObject(document.value, [], document, file, options, into);
  }
  return into;
}

/**
 * Loads one object found at `base` inside `document` (a top-level document or a List item).
 * Exported for the scenario loader, whose nodes and workloads are manifests inside a larger file.
 */
export function loadObject(value: unknown, base: FieldPath, document: SourceDocument, file: string, options: LoadOptions, into: LoadedManifests): void {
  const lineAt = (path: FieldPath) => document.lineOf([...base, ...path]);
  const report = (severity: "error" | "warning", path: FieldPath, message: string) =>
    into.diagnostics.push({ severity, file, line: lineAt(path), path: formatPath([...base, ...path]), message });
  const outcome = (kind: string, name: string, result: ObjectOutcome["outcome"]) =>
    into.objects.push({ file, line: lineAt([]), kind, name, outcome: result });

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

  const treatment = treatmentOf(apiVersion, kind);
  switch (treatment.treatment) {
    case "planned":
    case "ignored":
      report("warning", [], `${describeObject(kind, object)} ignored: ${treatment.note}`);
      outcome(kind, nameOf(object), "ignored");
      return;
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

  const converted = kind === "Pod" ? podFromManifest(withGeneratedName(object, file, lineAt([]))) : nodeFromManifest(object);
  let refused = converted.value === undefined;
  for (const diagnostic of converted.diagnostics) {
    const unknownField = diagnostic.unknownField === true;
    if (unknownField && options.validate === "ignore") continue;
    const severity: Diagnostic["severity"] = unknownField && options.validate === "strict" ? "error" : diagnostic.severity;
    if (severity === "error") refused = true;
    report(severity, diagnostic.path, diagnostic.message);
  }
  outcome(kind, nameOf(object), refused ? "refused" : "loaded");
  if (refused) return;
  if (kind === "Pod") into.pods.push(converted.value as Pod);
  else into.nodes.push(converted.value as Node);
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
 * A pod with `generateName` and no `name` gets a name as the API server would give it: the
 * prefix plus five characters from kube's alphabet — derived from the file and line, not drawn at
 * random, so the same input always gets the same name.
 */
function withGeneratedName(object: Record<string, unknown>, file: string, line: number): Record<string, unknown> {
  const metadata = object["metadata"] as Record<string, unknown> | undefined;
  const prefix = metadata?.["generateName"];
  if (metadata === undefined || metadata["name"] !== undefined || typeof prefix !== "string") return object;
  let hash = 0x811c9dc5;
  for (const character of `${file.split("/").pop()}:${line}`) {
    hash = Math.imul(hash ^ character.charCodeAt(0), 0x01000193) >>> 0;
  }
  let suffix = "";
  for (let index = 0; index < 5; index++) {
    suffix += GENERATED_NAME_ALPHABET[hash % GENERATED_NAME_ALPHABET.length];
    hash = Math.floor(hash / GENERATED_NAME_ALPHABET.length) + index * 7919;
  }
  return { ...object, metadata: { ...metadata, name: `${prefix}${suffix}` } };
}
