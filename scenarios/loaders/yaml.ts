/**
 * YAML (and JSON, which YAML reads too) with positions: every document of a multi-document file
 * as a plain value, plus a way to find the line of any field path in it, so a problem found in
 * the data can be reported at `file:line`.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode } from "yaml";
import type { FieldPath } from "../../core/index.js";

export interface SourceDocument {
  /** The document as plain data (null for an empty document). */
  readonly value: unknown;
  /** 0-based position among the file's documents. */
  readonly index: number;
  /** 1-based line where the document's content starts. */
  readonly line: number;
  /** The 1-based line of a field path (of the key, for a field), or of the nearest enclosing field found. */
  lineOf(path: FieldPath): number;
}

/** A YAML syntax error, with its position. */
export class YamlSyntaxError extends Error {
  override readonly name = "YamlSyntaxError";
  constructor(readonly line: number, readonly column: number, readonly reason: string) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

/** Parses every document in `text`. @throws YamlSyntaxError at the first syntax error. */
export function parseDocuments(text: string): SourceDocument[] {
  const lineCounter = new LineCounter();
  // merge keys (`<<: *defaults`) as kubectl's YAML 1.1 reader applies them
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: true });
  const list = Array.isArray(documents) ? documents : [documents];
  const result: SourceDocument[] = [];
  list.forEach((document, index) => {
    const error = document.errors[0];
    if (error !== undefined) {
      const position = lineCounter.linePos(error.pos[0]);
      throw new YamlSyntaxError(position.line, position.col, error.message.split("\n")[0] ?? error.message);
    }
    const contents = document.contents as YamlNode | null;
    const start = contents?.range?.[0] ?? document.range[0];
    result.push({
      value: document.toJS({ maxAliasCount: 1000 }) as unknown,
      index,
      line: lineCounter.linePos(start).line,
      lineOf: (path) => lineCounter.linePos(offsetOf(document, path) ?? start).line,
    });
  });
  return result;
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
