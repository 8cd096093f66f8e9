/**
 * Cutting a stream of text into documents, chunk by chunk, as kubectl's YAMLOrJSONDecoder does:
 * a stream whose first character is `{` or `[` is JSON — values one after another — and anything
 * else is YAML — documents separated by `---` lines (and ended by `...` lines).
 *
 * Nothing here parses a value: it only finds where each document starts and ends, and the file
 * line it starts on. The items of a JSON object's top-level `items` array (a `List`, as
 * `kubectl get -o json` writes) are cut out one by one, and the object itself is given last with
 * an empty `items`, so a List of a million pods is read a pod at a time and never becomes one
 * value or one string (V8 cannot hold a string of more than 2^29 characters).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import type { FieldPath } from "../../core/index.js";

/** A document's text as cut from its file: where it starts, and where its value sits. */
export interface DocumentSlice {
  readonly text: string;
  /** The file's 1-based line on which `text` starts. */
  readonly firstLine: number;
  /** 0-based position among the file's documents (a List's items share their List's). */
  readonly index: number;
  /** `["items", i]` for an item cut out of a List, else empty. */
  readonly base: FieldPath;
  /** How many items were cut out of this object's `items` and given before it. */
  readonly itemsCutOut: number;
}

/** Chunk size for reading files: large enough to keep reads few, small enough to stream. */
const CHUNK_BYTES = 4 << 20;

/** The text of a file, chunk by chunk, without a leading byte-order mark. `onBytes` sees the raw bytes (for hashing). */
export function* fileChunks(path: string, onBytes?: (bytes: Uint8Array) => void): Generator<string> {
  const descriptor = openSync(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const decoder = new StringDecoder("utf8");
    let first = true;
    for (;;) {
      const read = readSync(descriptor, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      onBytes?.(buffer.subarray(0, read));
      let text = decoder.write(buffer.subarray(0, read));
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      if (text !== "") yield text;
    }
    const rest = decoder.end();
    if (rest !== "") yield rest;
  } finally {
    closeSync(descriptor);
  }
}

/** Cuts the text given as chunks into document slices. */
export function* splitDocuments(chunks: Iterable<string>, maxDocumentChars = MAX_DOCUMENT_CHARS, streamListChars = STREAM_LIST_CHARS): Generator<DocumentSlice> {
  let splitter: YamlSplitter | JsonSplitter | undefined;
  let blank = "";
  for (const chunk of chunks) {
    if (splitter === undefined) {
      const first = /\S/.exec(chunk);
      if (first === null) {
        blank += chunk; // blank so far: keep looking (its lines still count)
        continue;
      }
      splitter = first[0] === "{" || first[0] === "[" ? new JsonSplitter(maxDocumentChars) : new YamlSplitter(maxDocumentChars, streamListChars);
      yield* splitter.push(blank + chunk);
      blank = "";
      continue;
    }
    yield* splitter.push(chunk);
  }
  if (splitter !== undefined) yield* splitter.end();
}

/**
 * The largest document read whole: 256 Mi characters, half of the longest string V8 can hold.
 * Larger inputs are read a document at a time (`---`) or, for a JSON List, an item at a time.
 */
export const MAX_DOCUMENT_CHARS = 2 ** 28;

/**
 * A YAML List (`kubectl get -o yaml`) whose items add up to more than this many characters is
 * given item by item; a smaller one whole, exactly as written (its items may share anchors).
 */
export const STREAM_LIST_CHARS = 8 << 20;

/** A document too large to read whole (see MAX_DOCUMENT_CHARS); `line` is where it starts. */
export class DocumentTooLargeError extends Error {
  override readonly name = "DocumentTooLargeError";
  constructor(readonly line: number, readonly limit: number) {
    super(`the document starting at line ${line} is longer than ${limit.toLocaleString("en-US")} characters, too large to read whole; ` +
      "split it into documents (---), or give a JSON List (kubectl get -o json), which is read an item at a time");
  }
}

/** A line that starts or ends a YAML document: `---` or `...` at column 0, then a blank or the line's end. */
const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/gm;

/** A document's `items:` key at column 0 (as `kubectl get -o yaml` writes a List). */
const ITEMS_KEY = /^items:[ \t]*(?:#[^\n]*)?\r?$/m;

/**
 * The items of a YAML document's top-level `items:` sequence, cut line by line: an item starts at
 * a `- ` at the sequence's indentation and goes on while lines are indented deeper (or blank, or
 * comments). Items are kept as written until they add up to `streamChars`; past that, each is
 * given on its own as it ends (its first `-` turned into a space, so it reads as a mapping), and
 * the document itself last with `items: []`. A smaller List is given whole, exactly as written.
 */
class YamlListCut {
  /** The document's lines up to and including `items:`, then those after the sequence. */
  readonly head: string[] = [];
  readonly tail: string[] = [];
  private indent: number | undefined;
  private current: { pieces: string[]; firstLine: number } | undefined;
  /** Items ended but not given (while the List may still be small). */
  private held: { text: string; firstLine: number }[] = [];
  private heldChars = 0;
  streaming = false;
  ended = false;
  count = 0;
  /** Items ready to give. */
  ready: DocumentSlice[] = [];

  constructor(private readonly streamChars: number, private readonly index: number) {}

  /** One line (with its line break) of the document, at file line `lineNo`. */
  line(text: string, lineNo: number): void {
    if (this.ended) {
      this.tail.push(text);
      return;
    }
    let indent = 0;
    while (text.charCodeAt(indent) === 0x20) indent++;
    const rest = text.slice(indent).trimEnd();
    const quiet = rest === "" || rest.startsWith("#");
    const dash = rest === "-" || rest.startsWith("- ");
    if (this.indent === undefined) {
      if (quiet) this.head.push(text);
      else if (dash) {
        this.indent = indent;
        this.current = { pieces: [text], firstLine: lineNo };
      } else {
        this.ended = true;
        this.tail.push(text);
      }
      return;
    }
    if (quiet || indent > this.indent) {
      this.current?.pieces.push(text);
      return;
    }
    this.finishItem();
    if (dash && indent === this.indent) this.current = { pieces: [text], firstLine: lineNo };
    else {
      this.ended = true;
      this.tail.push(text);
    }
  }

  /** The document ended: the last item ends with it. */
  finish(): void {
    this.finishItem();
  }

  /** Characters held (head, tail and items not yet given). */
  get heldLength(): number {
    return this.heldChars;
  }

  /** The items held, as written (a small List given whole). */
  heldText(): string {
    return this.held.map((item) => item.text).join("");
  }

  private finishItem(): void {
    const item = this.current;
    if (item === undefined) return;
    this.current = undefined;
    const text = item.pieces.join("");
    if (!this.streaming) {
      this.held.push({ text, firstLine: item.firstLine });
      this.heldChars += text.length;
      if (this.heldChars <= this.streamChars) return;
      this.streaming = true;
      for (const heldItem of this.held) this.give(heldItem.text, heldItem.firstLine);
      this.held = [];
      this.heldChars = 0;
      return;
    }
    this.give(text, item.firstLine);
  }

  private give(text: string, firstLine: number): void {
    const indent = this.indent as number;
    this.ready.push({ text: `${text.slice(0, indent)} ${text.slice(indent + 1)}`, firstLine, index: this.index, base: ["items", this.count++], itemsCutOut: 0 });
  }
}

/** YAML: documents between `---` lines; a `...` line ends one. A large top-level `items:` List is cut item by item. */
class YamlSplitter {
  constructor(private readonly maxChars: number, private readonly streamChars: number) {}

  /** The current document's text so far, in whole lines, and its length. */
  private parts: string[] = [];
  private partsLength = 0;
  /** The current document's line breaks so far. */
  private breaks = 0;
  /** The current document's List, once its `items:` line is seen. */
  private list: YamlListCut | undefined;
  /** The last line of the previous chunk, if it had no line break yet. */
  private carry = "";
  /** The file line on which the current document starts. */
  private documentLine = 1;
  private index = 0;

  *push(chunk: string): Generator<DocumentSlice> {
    const text = this.carry + chunk;
    const limit = text.lastIndexOf("\n") + 1; // markers are looked for in whole lines only
    this.carry = text.slice(limit);
    if (this.carry.length > this.maxChars) throw new DocumentTooLargeError(this.documentLine, this.maxChars);
    yield* this.cut(text, limit);
  }

  *end(): Generator<DocumentSlice> {
    const text = this.carry;
    this.carry = "";
    yield* this.cut(text, text.length);
    yield* this.take("");
  }

  /** Gives every document that ends in `text` before `limit`; keeps the rest of it. */
  private *cut(text: string, limit: number): Generator<DocumentSlice> {
    let from = 0;
    MARKER.lastIndex = 0;
    for (let match = MARKER.exec(text); match !== null && match.index < limit; match = MARKER.exec(text)) {
      // `---` starts a document on its own line; `...` ends the current one after its line.
      const lineEnd = text.indexOf("\n", match.index);
      const afterLine = lineEnd === -1 ? text.length : lineEnd + 1;
      const at = match[1] === "---" ? match.index : afterLine;
      yield* this.take(text.slice(from, at));
      from = at;
      MARKER.lastIndex = afterLine;
    }
    if (limit > from) yield* this.absorb(text.slice(from, limit));
  }

  /** Whole lines of the current document. */
  private *absorb(segment: string): Generator<DocumentSlice> {
    if (segment === "") return;
    if (this.list === undefined) {
      ITEMS_KEY.lastIndex = 0;
      const found = ITEMS_KEY.exec(segment);
      if (found === null) {
        this.keep(segment);
        return;
      }
      const lineEnd = segment.indexOf("\n", found.index);
      const afterLine = lineEnd === -1 ? segment.length : lineEnd + 1;
      this.keep(segment.slice(0, afterLine));
      this.list = new YamlListCut(this.streamChars, this.index);
      segment = segment.slice(afterLine);
    }
    const list = this.list;
    for (let from = 0; from < segment.length;) {
      const lineEnd = segment.indexOf("\n", from);
      const next = lineEnd === -1 ? segment.length : lineEnd + 1;
      list.line(segment.slice(from, next), this.documentLine + this.breaks);
      if (lineEnd !== -1) this.breaks++;
      from = next;
    }
    if (this.partsLength + list.heldLength > this.maxChars) throw new DocumentTooLargeError(this.documentLine, this.maxChars);
    if (list.ready.length > 0) {
      yield* list.ready;
      list.ready = [];
    }
  }

  private keep(text: string): void {
    this.parts.push(text);
    this.partsLength += text.length;
    this.breaks += countBreaks(text);
    if (this.partsLength > this.maxChars) throw new DocumentTooLargeError(this.documentLine, this.maxChars);
  }

  /** Closes the current document with `tail`: its last items, then the document (nothing for blank lines and comments). */
  private *take(tail: string): Generator<DocumentSlice> {
    yield* this.absorb(tail);
    const list = this.list;
    let text: string;
    let itemsCutOut = 0;
    if (list === undefined) text = this.parts.join("");
    else {
      list.finish();
      yield* list.ready;
      if (list.streaming) {
        // The document without its items: `items:` (the last line kept) becomes `items: []`.
        const head = this.parts.join("").replace(/items:[^\n]*\n?$/, "items: []\n");
        text = head + list.head.join("") + list.tail.join("");
        itemsCutOut = list.count;
      } else {
        text = this.parts.join("") + list.head.join("") + list.heldText() + list.tail.join("");
      }
    }
    const firstLine = this.documentLine;
    this.documentLine += this.breaks;
    this.parts = [];
    this.partsLength = 0;
    this.breaks = 0;
    this.list = undefined;
    if (isMeaningful(text)) yield { text, firstLine, index: this.index++, base: [], itemsCutOut };
  }
}

/** Whether a piece of YAML holds more than blank lines, comments and directives (a lone `---` still makes an empty document). */
function isMeaningful(piece: string): boolean {
  for (let from = 0; from < piece.length;) {
    const end = piece.indexOf("\n", from);
    const trimmed = piece.slice(from, end === -1 ? piece.length : end).trim();
    if (trimmed !== "" && !trimmed.startsWith("#") && !trimmed.startsWith("%")) return true;
    if (end === -1) break;
    from = end + 1;
  }
  return false;
}

function countBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count++;
  return count;
}

const QUOTE = 0x22, BACKSLASH = 0x5c, NEWLINE = 0x0a, COLON = 0x3a, COMMA = 0x2c;
const OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d;

/**
 * JSON: top-level values one after another. Inside a top-level object, the elements of its
 * `items` array are given one by one as they close; the object follows with `"items": []`.
 * Tracks only strings and nesting, character by character: about a second per 500 MB.
 */
class JsonSplitter {
  constructor(private readonly maxChars: number) {}

  /** Characters held for the open top-level value and item (items cut out of a List are not counted in the first). */
  private topLength = 0;
  private itemLength = 0;
  private depth = 0;
  /** Set once something other than an object or array stands at the top level: the rest is one document, for the parser to refuse. */
  private rest: string[] | undefined;
  private restLine = 1;
  private inString = false;
  private escaped = false;
  private line = 1;
  private index = 0;

  /** The current top-level value's text (its items left out), in pieces. */
  private top: string[] | undefined;
  private topFrom = 0;
  private topLine = 1;
  private topIsObject = false;
  /** Inside the top-level object's `items` array: the items are cut out, not kept in `top`. */
  private inItems = false;
  private itemCount = 0;
  private item: string[] | undefined;
  private itemFrom = 0;
  private itemLine = 1;

  /** Depth-1 keys: the text of the string being read, the last key read, whether the next string is a key. */
  private key: string[] | undefined;
  private keyFrom = 0;
  private lastKey = "";
  private expectKey = false;
  private valueKey = "";

  *push(chunk: string): Generator<DocumentSlice> {
    if (this.rest !== undefined) {
      this.rest.push(chunk);
      return;
    }
    const length = chunk.length;
    let backslash = -2; // the next backslash at or after the scan position (−1: none left in this chunk)
    for (let at = 0; at < length; at++) {
      const code = chunk.charCodeAt(at);
      if (this.inString) {
        // Jump to the next quote; JSON strings hold no raw line breaks, so no line is skipped.
        if (this.escaped) {
          this.escaped = false;
          continue;
        }
        if (code !== QUOTE && code !== BACKSLASH) {
          const quote = chunk.indexOf('"', at);
          if (backslash !== -1 && backslash < at) backslash = chunk.indexOf("\\", at);
          const next = quote === -1 ? backslash : backslash === -1 ? quote : Math.min(quote, backslash);
          if (next === -1) break; // the string goes on in the next chunk
          at = next - 1;
          continue;
        }
        if (code === BACKSLASH) this.escaped = true;
        else {
          this.inString = false;
          if (this.key !== undefined) {
            this.key.push(chunk.slice(this.keyFrom, at));
            this.lastKey = this.key.join("");
            this.key = undefined;
          }
        }
        continue;
      }
      switch (code) {
        case NEWLINE:
          this.line++;
          break;
        case QUOTE:
          if (this.depth === 0) {
            this.startRest(chunk, at);
            return;
          }
          this.inString = true;
          if (this.depth === 1 && this.topIsObject && this.expectKey) {
            this.key = [];
            this.keyFrom = at + 1;
            this.expectKey = false;
          } else if (this.inItems && this.depth === 2 && this.item === undefined) this.startItem(at);
          break;
        case COLON:
          if (this.depth === 1) this.valueKey = this.lastKey;
          break;
        case COMMA:
          if (this.depth === 1) {
            this.expectKey = true;
            this.valueKey = "";
          } else if (this.inItems && this.depth === 2 && this.item !== undefined) {
            yield this.endItem(chunk, at); // a scalar item (not an object) ends at the comma
          }
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          if (this.depth === 0) this.startTop(at, code === OPEN_BRACE);
          else if (this.depth === 1 && code === OPEN_BRACKET && this.topIsObject && this.valueKey === "items" && !this.inItems) {
            (this.top as string[]).push(chunk.slice(this.topFrom, at + 1));
            this.inItems = true;
          } else if (this.inItems && this.depth === 2 && this.item === undefined) this.startItem(at);
          this.depth++;
          if (this.depth === 1) this.expectKey = code === OPEN_BRACE;
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          this.depth--;
          if (this.inItems && this.depth === 2 && this.item !== undefined) {
            yield this.endItem(chunk, at + 1);
          } else if (this.inItems && this.depth === 1) {
            if (this.item !== undefined) yield this.endItem(chunk, at); // a scalar last item
            this.inItems = false;
            this.topFrom = at; // the envelope keeps `]`
          } else if (this.depth === 0) {
            yield this.endTop(chunk, at + 1);
          } else if (this.depth < 0) {
            this.depth = 0;
            this.startRest(chunk, at); // a stray closing bracket
            return;
          }
          break;
        default:
          if (code <= 0x20) break;
          if (this.depth === 0) {
            this.startRest(chunk, at);
            return;
          }
          if (this.inItems && this.depth === 2 && this.item === undefined) this.startItem(at);
      }
    }
    // Carry the open pieces over to the next chunk.
    if (this.item !== undefined) {
      this.itemLength += chunk.length - this.itemFrom;
      if (this.itemLength > this.maxChars) throw new DocumentTooLargeError(this.itemLine, this.maxChars);
      this.item.push(chunk.slice(this.itemFrom));
      this.itemFrom = 0;
    }
    if (this.top !== undefined && !this.inItems) {
      this.topLength += chunk.length - this.topFrom;
      if (this.topLength > this.maxChars) throw new DocumentTooLargeError(this.topLine, this.maxChars);
      this.top.push(chunk.slice(this.topFrom));
      this.topFrom = 0;
    }
    if (this.key !== undefined) {
      this.key.push(chunk.slice(this.keyFrom));
      this.keyFrom = 0;
    }
  }

  *end(): Generator<DocumentSlice> {
    // A value left open (a truncated file) is given as it is, for the parser to refuse with its line.
    if (this.rest !== undefined) yield { text: this.rest.join(""), firstLine: this.restLine, index: this.index, base: [], itemsCutOut: 0 };
    if (this.item !== undefined) yield { text: this.item.join(""), firstLine: this.itemLine, index: this.index, base: ["items", this.itemCount], itemsCutOut: 0 };
    if (this.top !== undefined) yield { text: this.top.join(""), firstLine: this.topLine, index: this.index, base: [], itemsCutOut: 0 };
    this.item = undefined;
    this.top = undefined;
  }

  private startRest(chunk: string, at: number): void {
    this.rest = [chunk.slice(at)];
    this.restLine = this.line;
  }

  private startTop(at: number, isObject: boolean): void {
    this.top = [];
    this.topLength = 0;
    this.topFrom = at;
    this.topLine = this.line;
    this.topIsObject = isObject;
    this.itemCount = 0;
    this.lastKey = "";
    this.valueKey = "";
  }

  private endTop(chunk: string, end: number): DocumentSlice {
    const pieces = this.top ?? [];
    pieces.push(chunk.slice(this.topFrom, end));
    this.top = undefined;
    return { text: pieces.join(""), firstLine: this.topLine, index: this.index++, base: [], itemsCutOut: this.itemCount };
  }

  private startItem(at: number): void {
    this.item = [];
    this.itemLength = 0;
    this.itemFrom = at;
    this.itemLine = this.line;
  }

  private endItem(chunk: string, end: number): DocumentSlice {
    const pieces = this.item as string[];
    pieces.push(chunk.slice(this.itemFrom, end));
    this.item = undefined;
    return { text: pieces.join(""), firstLine: this.itemLine, index: this.index, base: ["items", this.itemCount++], itemsCutOut: 0 };
  }
}
