/**
 * Reading trace tables: CSV files (gzipped when they end in .gz) a chunk of lines at a time, so
 * a large file is never held whole as text; a bad row is a `TraceError` naming file:line:column.
 * The traces' CSVs quote nothing, so a field is what lies between two commas.
 */
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";

/** A bad row: file, line, column (1-based) and what is wrong. */
export class TraceError extends Error {
  constructor(readonly file: string, readonly line: number, readonly column: number, readonly problem: string) {
    super(`${file}:${line}:${column}: ${problem}`);
    this.name = "TraceError";
  }
}

/**
 * The lines of a file, gunzipped when it ends in .gz, a chunk at a time (readline's per-line
 * events cost more than the parsing): each chunk's complete lines, the rest kept for the next.
 */
async function* lines(path: string): AsyncGenerator<string[]> {
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const input = path.endsWith(".gz") ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  const decoder = new TextDecoder();
  let rest = "";
  try {
    for await (const chunk of input as AsyncIterable<Uint8Array>) {
      const text = rest + decoder.decode(chunk, { stream: true });
      const parts = text.split("\n");
      rest = parts.pop() as string;
      yield parts;
    }
    rest += decoder.decode();
    if (rest !== "") yield [rest];
  } finally {
    raw.destroy();
  }
}

/** Column `index` (0-based) of a row as an integer; blank allowed when `optional`. */
export function integer(fields: readonly string[], index: number, name: string, file: string, line: number, optional = false): number | undefined {
  const text = fields[index] ?? "";
  if (text === "" && optional) return undefined;
  if (!/^-?\d+$/.test(text)) throw new TraceError(file, line, index + 1, `${name} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** A CSV row: its fields and its line in the file (1-based). */
export interface Row {
  readonly fields: readonly string[];
  readonly line: number;
}

/**
 * The non-blank rows of a trace table, a chunk at a time, each checked to have `width` columns;
 * with `header`, the first line must be it (spaces aside) and is skipped — or, `headerOptional`,
 * is skipped when it is it and read as a row when not.
 */
export async function* rows(path: string, file: string, width: number, what: string, schema: string, header?: readonly string[], headerOptional = false): AsyncGenerator<Row[]> {
  let line = 0;
  for await (const chunk of lines(path)) {
    const batch: Row[] = [];
    for (const raw of chunk) {
      line++;
      const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (text === "") continue;
      const fields = text.split(",");
      if (header !== undefined && line === 1) {
        const wanted = header.join(",");
        if (text.replace(/ /g, "") === wanted.replace(/ /g, "")) continue;
        if (!headerOptional) throw new TraceError(file, line, 1, `the first line must be the header "${wanted}", got ${JSON.stringify(text.slice(0, 120))}`);
      }
      if (fields.length !== width) throw new TraceError(file, line, Math.min(fields.length, width) + 1, `a ${what} row has ${width} columns (${schema}), this one has ${fields.length}`);
      batch.push({ fields, line });
    }
    yield batch;
  }
}


/** Whether a sample of `share` (0 < share ≤ 1) keeps the item named `key`: FNV-1a of the key, so the same items every time. */
export function sampled(key: string, share: number): boolean {
  let hash = 0x811c9dc5;
  for (const char of key) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32 < share;
}
