/**
 * Names against a plain Map: the remembered last lookup must never answer for another name.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Names } from "./names.js";

describe("Names", () => {
  it("gives each name one dense id, in first-intern order, whatever the mix of lookups and interns", () => {
    const name = fc.constantFrom("a", "b", "c", "default/p", "default/q", "");
    const step = fc.tuple(fc.constantFrom("intern" as const, "id" as const, "name" as const), name, fc.nat(7));
    fc.assert(fc.property(fc.array(step, { maxLength: 200 }), (script) => {
      const names = new Names();
      const model = new Map<string, number>();
      for (const [kind, text, id] of script) {
        if (kind === "intern") {
          if (!model.has(text)) model.set(text, model.size);
          expect(names.intern(text)).toBe(model.get(text));
        } else if (kind === "id") {
          expect(names.id(text)).toBe(model.get(text));
        } else {
          expect(names.name(id)).toBe([...model.keys()][id]);
        }
      }
      expect(names.list).toEqual([...model.keys()]);
      for (const [text, id] of model) expect(names.name(id)).toBe(text);
    }));
  });

  it("answers a name built afresh (another string object) as the one interned", () => {
    const names = new Names();
    const id = names.intern(["default", "p"].join("/"));
    expect(names.id(`default/${"p"}`)).toBe(id);
    expect(names.id("default/q")).toBeUndefined();
    expect(names.id(`default/${"p"}`)).toBe(id);
  });
});

describe("Names' remembered lookup", () => {
  it("forgets a miss once the name is interned, and remembers what name() handed out", () => {
    const names = new Names();
    expect(names.id("default/p")).toBeUndefined();
    expect(names.id("default/p")).toBeUndefined();
    expect(names.intern("default/p")).toBe(0);
    expect(names.id("default/p")).toBe(0);
    expect(names.intern("default/q")).toBe(1);
    expect(names.name(0)).toBe("default/p");
    expect(names.id("default/p")).toBe(0);
    expect(names.id("default/q")).toBe(1);
    expect(names.name(7)).toBeUndefined();
    expect(names.id("default/q")).toBe(1);
  });
});
