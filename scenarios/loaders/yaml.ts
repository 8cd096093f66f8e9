/**
 * YAML and JSON documents, read fast and positioned lazily.
 *
 * Reading a large manifest with a YAML library that keeps every node's source position costs
 * about 0.2 ms and 9 KB per pod (100,000 pods: 20 s and 900 MB); `JSON.parse` and js-yaml read
 * the same text 10× faster and keep nothing but the values. So every document is read without
 * positions first; only when a problem is found in it (a warning or an error to report at
 * `file:line`) is that one document read again with the positioning parser, eemeli's `yaml`.
 * That parser also reads what the fast path leaves to it: documents with aliases (its alias
 * budget refuses "billion laughs" documents, which js-yaml would expand as shared objects that a
 * validator then walks exponentially) and documents with syntax errors (its messages).
 *
 * Files are split into documents as kubectl splits them: a stream whose first character is `{`
 * or `[` is JSON (objects one after another), anything else YAML (documents between `---`
 * lines). The items of a JSON `List` are split out one by one, so a List of a million pods is
 * never one value or one string (see `./documents.ts` for the streaming split).
 */
import * as jsYaml from "js-yaml";
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from "yaml";
import type { FieldPath } from "../../core/index.js";
import { splitDocuments, type DocumentSlice } from "./documents.js";

export interface SourceDocument {
  /** The document as plain data (null for an empty document). */
  readonly value: unknown;
  /** 0-based position among the file's documents. */
  readonly index: number;
  /** 1-based line where the document's content starts. */
  readonly line: number;
  /**
   * Where the value sits in its document when it is one item of a List split out of a larger
   * document (`["items", 3]`), else empty; `lineOf` takes paths that start with it.
   */
  readonly base: FieldPath;
  /** How many items were cut out of this document's `items` list and given before it (a JSON List read item by item). */
  readonly itemsCutOut: number;
  /** The 1-based line of a field path (of the key, for a field), or of the nearest enclosing field found. */
  lineOf(path: FieldPath): number;
}

/** A YAML or JSON syntax error, with its position in the file. */
export class YamlSyntaxError extends Error {
  override readonly name = "YamlSyntaxError";
  constructor(readonly line: number, readonly column: number, readonly reason: string) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

/**
 * Aliases the positioning parser expands before giving up. Kubernetes manifests rarely use
 * more than a few; a document that needs more is refused as a resource-exhaustion attack.
 */
const MAX_ALIAS_COUNT = 1000;

/**
 * YAML 1.2's core schema, as kubectl reads it, with YAML 1.1's merge keys (`<<: *defaults`), and
 * without js-yaml's default timestamps (`2026-01-01` stays a string, as in a manifest).
 * js-yaml exports its tag types as `types`, which its type declarations leave out.
 */
const FAST_SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [(jsYaml as unknown as { types: { merge: jsYaml.Type } }).types.merge] });

/**
 * An alias (`*name`) where a node may start. Documents that may hold one go to the positioning
 * parser, whose alias budget is the defence; a quoted string that merely looks like one only
 * costs that document the slower parser.
 */
const MAY_HOLD_ALIAS = /(?:^|[\s[{,:])\*[^\s[\]{},]/m;

/** Reads one document, fast when it can be. @throws YamlSyntaxError */
export function documentFrom(slice: DocumentSlice): SourceDocument {
  const start = contentStart(slice.text);
  let value: unknown;
  let careful: CarefulDocument | undefined;
  const first = slice.text.charCodeAt(start);
  try {
    if (first === 0x7b /* { */ || first === 0x5b /* [ */) value = JSON.parse(start === 0 ? slice.text : slice.text.slice(start));
    else if (MAY_HOLD_ALIAS.test(slice.text)) throw new Error("aliases are read by the careful parser");
    else value = jsYaml.load(slice.text, { schema: FAST_SCHEMA });
  } catch {
    careful = parseCarefully(slice);
    value = careful.value;
  }
  const line = slice.firstLine + lineIndexAt(slice.text, start);
  const base = slice.base;
  return {
    value,
    index: slice.index,
    line,
    base,
    itemsCutOut: slice.itemsCutOut,
    lineOf: (path) => {
      const relative = startsWith(path, base) ? path.slice(base.length) : path;
      if (relative.length === 0 && careful === undefined) return line; // the object's own line needs no positions
      careful ??= parseCarefully(slice);
      return careful.lineOf(relative);
    },
  };
}

/** Parses every document in `text` (held in memory). @throws YamlSyntaxError at the first syntax error. */
export function parseDocuments(text: string): SourceDocument[] {
  return [...splitDocuments([text])].map(documentFrom);
}

interface CarefulDocument {
  readonly value: unknown;
  lineOf(path: FieldPath): number;
}

/** The positioning parser, on one slice; lines are the file's. @throws YamlSyntaxError */
function parseCarefully(slice: DocumentSlice): CarefulDocument {
  const lineCounter = new LineCounter();
  const document = parseDocument(slice.text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: true });
  const fileLine = (offset: number) => lineCounter.linePos(offset);
  const error = document.errors[0];
  if (error !== undefined) {
    const position = fileLine(error.pos[0]);
    throw new YamlSyntaxError(slice.firstLine + position.line - 1, position.col, error.message.split("\n")[0] ?? error.message);
  }
  const contents = document.contents as YamlNode | null;
  const start = contents?.range?.[0] ?? document.range[0];
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    if (!(cause instanceof ReferenceError)) throw cause;
    throw new YamlSyntaxError(slice.firstLine + fileLine(start).line - 1, fileLine(start).col,
      `its aliases (*name) expand to more than ${MAX_ALIAS_COUNT} nodes, which is how a "billion laughs" attack exhausts memory; write the values out instead`);
  }
  return { value, lineOf: (path) => slice.firstLine + fileLine(offsetOf(document, path) ?? start).line - 1 };
}

/** The offset of the first character that is not blank, a comment or a document marker. */
function contentStart(text: string): number {
  let offset = 0;
  while (offset < text.length) {
    const end = text.indexOf("\n", offset);
    const lineEnd = end === -1 ? text.length : end;
    const line = text.slice(offset, lineEnd);
    const trimmed = line.trimStart();
    const marker = /^---(?:[ \t]|$)/.test(line);
    if (marker) {
      const rest = line.slice(3).trim();
      if (rest !== "" && !rest.startsWith("#")) return offset + line.indexOf(rest);
    } else if (trimmed !== "" && !trimmed.startsWith("#") && !trimmed.startsWith("%")) {
      return offset + (line.length - trimmed.length);
    }
    if (end === -1) break;
    offset = end + 1;
  }
  return 0;
}

/** How many line breaks come before `offset`. */
function lineIndexAt(text: string, offset: number): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at !== -1 && at < offset; at = text.indexOf("\n", at + 1)) count++;
  return count;
}

function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

/** The source offset of the deepest node along `path` (the key's, for a map field). */
function offsetOf(document: Document, path: FieldPath): number | undefined {
  let node: unknown = document.contents;
  let offset = (node as YamlNode | null)?.range?.[0];
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) return offset;
      offset = (pair.key as YamlNode).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as YamlNode | undefined;
      if (item === undefined) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}
