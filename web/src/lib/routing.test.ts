import { describe, expect, it } from "vitest";
import { formatSkills, parseSkills } from "./routing";

describe("skills typed by an admin", () => {
  it.each([
    ["lang:ja 5, product:billing=3", { "lang:ja": 5, "product:billing": 3 }],
    ["lang:ja:4", { "lang:ja": 4 }],
    ["Lang:KO", { "lang:ko": 1 }],
    ["lang:vi 2\nregion:apac 5", { "lang:vi": 2, "region:apac": 5 }],
    ["lang:ja 5、lang:en 3", { "lang:ja": 5, "lang:en": 3 }],
    ["", {}],
  ])("reads %j", (text, skills) => {
    expect(parseSkills(text)).toEqual({ skills, bad: [] });
  });

  it("names the entries it cannot read", () => {
    expect(parseSkills("lang ja extra, lang:ja 9, ok 2").bad).toEqual(["lang ja extra", "lang:ja 9"]);
  });

  it("writes them back the way it reads them", () => {
    const skills = { "product:billing": 3, "lang:ja": 5 };
    expect(formatSkills(skills)).toBe("lang:ja 5, product:billing 3");
    expect(parseSkills(formatSkills(skills)).skills).toEqual(skills);
  });
});

describe("routing strings", async () => {
  const { routingDictionaries } = await import("../i18n/routing");
  type Tree = { [k: string]: string | Tree };
  const flatten = (tree: Tree, prefix = ""): [string, string][] =>
    Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [[prefix + k, v]] : flatten(v, `${prefix}${k}.`)));
  const holes = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
  const en = new Map(flatten(routingDictionaries.en as unknown as Tree));
  for (const [lng, dict] of Object.entries(routingDictionaries)) {
    it(`${lng} has the English keys, filled, with their placeholders`, () => {
      const flat = new Map(flatten(dict as unknown as Tree));
      expect([...flat.keys()].sort()).toEqual([...en.keys()].sort());
      for (const [key, value] of flat) {
        expect(value.trim(), key).not.toBe("");
        expect(holes(value), key).toEqual(holes(en.get(key)!));
        if (lng !== "en" && value.length > 12) expect(value, key).not.toBe(en.get(key));
      }
    });
  }
});
