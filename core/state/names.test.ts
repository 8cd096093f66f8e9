/**
 * Names against a plain Map: the remembered last lookup must never answer for another name.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Names } from "./names.js";

describe("Names", () => {
  it("gives each name one dense id, in first-intern order, whatever the mix of lookups and interns", () => {
    const name = fc.constantFrom("a", "b", "c", "default/p", "default/q", "");
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), name), { maxLength: 200 }), (script) => {
      const names = new Names();
      const model = new Map<string, number>();
      for (const [intern, text] of script) {
        if (intern) {
          if (!model.has(text)) model.set(text, model.size);
          expect(names.intern(text)).toBe(model.get(text));
        } else {
          expect(names.id(text)).toBe(model.get(text));
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
