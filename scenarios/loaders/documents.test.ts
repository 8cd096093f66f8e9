import { describe, expect, it } from "vitest";
import { DocumentTooLargeError, splitDocuments, type DocumentSlice } from "./documents.js";
import { documentFrom, parseDocuments } from "./yaml.js";

/** The text cut into chunks of `size` characters. */
function chunks(text: string, size: number): string[] {
  const list: string[] = [];
  for (let at = 0; at < text.length; at += size) list.push(text.slice(at, at + size));
  return list;
}

function split(text: string, size = text.length || 1): DocumentSlice[] {
  return [...splitDocuments(chunks(text, size))];
}

const YAML_STREAM = [
  "# a comment before anything",          // 1
  "apiVersion: v1",                        // 2
  "kind: Pod",                             // 3
  "---",                                   // 4
  "# only a comment: not a document",      // 5
  "---",                                   // 6
  "apiVersion: v1",                        // 7
  "kind: Node",                            // 8
  "metadata: {name: 'a --- b'}",           // 9
  "...",                                   // 10
  "--- {apiVersion: v1, kind: Pod}",       // 11
  "",
].join("\n");

const JSON_LIST = [
  "{",                                                       // 1
  '  "apiVersion": "v1",',                                   // 2
  '  "items": [',                                            // 3
  '    {"kind": "Pod", "metadata": {"name": "a\\"}{["}},',  // 4
  "    {",                                                   // 5
  '      "kind": "Node", "tricky": "items: [ , ]"',          // 6
  "    }",                                                   // 7
  "  ],",                                                    // 8
  '  "kind": "List"',                                        // 9
  "}",                                                       // 10
  '{"apiVersion": "v1", "kind": "Pod", "metadata": {"items": [1, 2]}}', // 11
  "",
].join("\n");

describe("splitDocuments: YAML streams cut at their --- and ... lines", () => {
  it("gives each document with the line it starts on; a --- with only a comment is an empty document", () => {
    const slices = split(YAML_STREAM);
    expect(slices.map((slice) => [slice.index, slice.firstLine])).toEqual([[0, 1], [1, 4], [2, 6], [3, 11]]);
    expect(slices.map((slice) => documentFrom(slice).line)).toEqual([2, 4, 7, 11]);
    expect(slices.map((slice) => documentFrom(slice).value)).toEqual([
      { apiVersion: "v1", kind: "Pod" },
      null,
      { apiVersion: "v1", kind: "Node", metadata: { name: "a --- b" } },
      { apiVersion: "v1", kind: "Pod" },
    ]);
  });

  it("cuts the same documents whatever the chunk size (a marker line split across chunks included)", () => {
    const whole = split(YAML_STREAM);
    for (let size = 1; size <= 17; size++) expect(split(YAML_STREAM, size), `chunks of ${size}`).toEqual(whole);
  });

  it("finds a field's line only when asked, at the file's line", () => {
    const [, , node] = split(YAML_STREAM).map(documentFrom);
    expect(node?.lineOf(["metadata", "name"])).toBe(9);
  });
});

describe("splitDocuments: JSON streams cut into values, a List's items one by one", () => {
  it("gives each item with its line and its place in the List, then the List with empty items", () => {
    const documents = split(JSON_LIST).map(documentFrom);
    expect(documents.map((document) => [document.line, document.base, document.itemsCutOut])).toEqual([
      [4, ["items", 0], 0],
      [5, ["items", 1], 0],
      [1, [], 2],
      [11, [], 0],
    ]);
    expect(documents.map((document) => document.value)).toEqual([
      { kind: "Pod", metadata: { name: 'a"}{[' } },
      { kind: "Node", tricky: "items: [ , ]" },
      { apiVersion: "v1", items: [], kind: "List" },
      { apiVersion: "v1", kind: "Pod", metadata: { items: [1, 2] } },
    ]);
  });

  it("cuts the same values whatever the chunk size (strings and escapes split across chunks included)", () => {
    const whole = split(JSON_LIST);
    for (let size = 1; size <= 23; size++) expect(split(JSON_LIST, size), `chunks of ${size}`).toEqual(whole);
  });

  it("positions a field of an item at the file's line, given the item's full path", () => {
    const [, node] = split(JSON_LIST).map(documentFrom);
    expect(node?.lineOf(["items", 1, "tricky"])).toBe(6);
  });

  it("gives a truncated value as it is, for the parser to refuse at its line", () => {
    expect(() => split('{"apiVersion": "v1",\n "items": [\n {"kind": "Pod"},\n {"kind": "No').map(documentFrom))
      .toThrow(/line 4/);
  });
});

describe("parseDocuments: fast values, careful positions", () => {
  it("reads YAML as kubectl does: core schema, merge keys, dates and yes/no as strings", () => {
    const [document] = parseDocuments("base: &b {cpu: 1}\nlimits:\n  <<: *b\n  memory: 1Gi\nwhen: 2026-01-01\nflag: yes\noctal: 0o17\n");
    expect(document?.value).toEqual({ base: { cpu: 1 }, limits: { cpu: 1, memory: "1Gi" }, when: "2026-01-01", flag: "yes", octal: 15 });
  });

  it("refuses a duplicate key, at its line", () => {
    expect(() => parseDocuments("a: 1\nb: 2\na: 3\n")).toThrow(/line 3/);
  });

  it("refuses a billion-laughs document instead of expanding it", () => {
    const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let level = 1; level < 9; level++) {
      const name = String.fromCharCode(97 + level);
      const previous = String.fromCharCode(96 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
    }
    expect(() => parseDocuments(levels.join("\n"))).toThrow(/billion laughs/);
  });
});

describe("splitDocuments: limits and edges", () => {
  it("counts the blank lines before the first character, whatever the chunk size", () => {
    const text = "\n\n\napiVersion: v1\nkind: Pod\n";
    for (let size = 1; size <= 6; size++) expect(split(text, size).map((slice) => documentFrom(slice).line), `chunks of ${size}`).toEqual([4]);
  });

  it("refuses a document too large to read whole, naming its line, but reads a JSON List of any size an item at a time", () => {
    const big = `a: 1\n---\nkey: "${"x".repeat(300)}"\n`;
    const refuse = () => [...splitDocuments(chunks(big, 64), 200)];
    expect(refuse).toThrow(DocumentTooLargeError);
    expect(refuse).toThrow(/the document starting at line 2 is longer than 200 characters/);
    const list = `{"kind": "List", "apiVersion": "v1", "items": [${Array.from({ length: 50 }, (_, index) => `{"n": ${index}}`).join(", ")}]}`;
    expect(list.length).toBeGreaterThan(400);
    expect([...splitDocuments(chunks(list, 64), 200)]).toHaveLength(51);
    expect(() => [...splitDocuments(chunks(`{"data": "${"y".repeat(300)}"}`, 64), 200)]).toThrow(/line 1 is longer than 200 characters/);
  });
});

describe("splitDocuments: a YAML List (kubectl get -o yaml) is cut item by item once it is large", () => {
  const LIST = [
    "apiVersion: v1",                  // 1
    "items:",                          // 2
    "# the pods",                      // 3
    "- apiVersion: v1",                // 4
    "  kind: Pod",                     // 5
    "  metadata:",                     // 6
    "    name: a",                     // 7
    "  spec:",                         // 8
    "    containers:",                 // 9
    "    - name: c",                   // 10
    "",                                // 11
    "- apiVersion: v1",                // 12
    "  kind: Pod",                     // 13
    "  metadata: {name: b}",           // 14
    "  spec:",                         // 15
    "    containers:",                 // 16
    "    - {name: c, image: i}",       // 17
    "kind: List",                      // 18
    "metadata:",                       // 19
    "  resourceVersion: \"\"",         // 20
    "---",                             // 21
    "apiVersion: v1",                  // 22
    "kind: Node",                      // 23
    "",
  ].join("\n");
  const whole = (parseDocuments(LIST)[0]?.value ?? {}) as { items: unknown[] };

  it("a small List is one document, exactly as written", () => {
    const slices = [...splitDocuments([LIST])];
    expect(slices.map((slice) => [slice.firstLine, slice.base, slice.itemsCutOut])).toEqual([[1, [], 0], [21, [], 0]]);
    expect(slices[0]?.text).toBe(LIST.slice(0, LIST.indexOf("---")));
  });

  it("a large one: each item with its file line and the value it has in the whole List, then the List with no items; whatever the chunk size", () => {
    const cut = (size: number) => [...splitDocuments(chunks(LIST, size), 1 << 20, 10)];
    const slices = cut(LIST.length);
    const documents = slices.map(documentFrom);
    expect(documents.map((document) => [document.line, document.base, document.itemsCutOut])).toEqual([
      [4, ["items", 0], 0],
      [12, ["items", 1], 0],
      [1, [], 2],
      [22, [], 0],
    ]);
    expect(documents.slice(0, 2).map((document) => document.value)).toEqual(whole.items);
    expect(documents[2]?.value).toEqual({ apiVersion: "v1", items: [], kind: "List", metadata: { resourceVersion: "" } });
    expect(documents[1]?.lineOf(["items", 1, "spec", "containers", 0])).toBe(17);
    for (let size = 1; size <= 19; size++) expect(cut(size), `chunks of ${size}`).toEqual(slices);
  });
});
