// The self-service strings (src/i18n/kb/) in all four languages: the English keys, filled,
// with their placeholders, translated, and in the house style of each language.
import { describe, expect, it } from "vitest";
import { kbDictionaries } from ".";
import i18n from "..";
import { addKbDictionaries } from ".";

type Tree = { [k: string]: string | Tree };
const flatten = (tree: Tree, prefix = ""): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
};
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]).sort();
const reference = flatten(kbDictionaries.en as unknown as Tree);

describe("self-service strings", () => {
  it("English has every string the pages use", () => {
    expect(reference.size).toBeGreaterThan(200);
    for (const key of ["kb.nav.kb", "kb.nav.community", "search.placeholder", "suggested.insert", "kb.editor.conflictTitle", "community.makeArticle"])
      expect(reference.has(key), key).toBe(true);
  });

  for (const lng of ["ja", "ko", "vi"] as const) {
    const flat = flatten(kbDictionaries[lng] as unknown as Tree);
    it(`${lng} has exactly the English keys, filled, with the same placeholders`, () => {
      expect([...flat.keys()].sort()).toEqual([...reference.keys()].sort());
      for (const [key, value] of flat) {
        expect(value.trim(), key).not.toBe("");
        expect(placeholders(value), key).toEqual(placeholders(reference.get(key)!));
      }
    });
    it(`${lng} is translated, not copied from English`, () => {
      const same = [...flat].filter(([k, v]) => v === reference.get(k) && v.length > 6);
      expect(same.map(([k]) => k)).toEqual([]);
    });
  }

  it("Japanese sentences use the polite です/ます style", () => {
    const sentences = [...flatten(kbDictionaries.ja as unknown as Tree).values()].filter((v) => v.endsWith("。"));
    expect(sentences.length).toBeGreaterThan(30);
    for (const s of sentences) expect(s, s).toMatch(/(です|ます|ません|ください|でした|ました)。$/);
  });

  it("Korean sentences use the polite endings", () => {
    const sentences = [...flatten(kbDictionaries.ko as unknown as Tree).values()].filter((v) => v.endsWith("."));
    expect(sentences.length).toBeGreaterThan(30);
    for (const s of sentences) expect(s, s).toMatch(/(니다|세요|요|음|됨)\.$/);
  });

  it("Vietnamese is written with its diacritics", () => {
    const values = [...flatten(kbDictionaries.vi as unknown as Tree).values()];
    const withMarks = values.filter((v) => /[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]/i.test(v));
    expect(withMarks.length / values.length).toBeGreaterThan(0.8);
  });

  it("plurals and placeholders resolve at run time in every language", async () => {
    addKbDictionaries();
    for (const lng of ["en", "ja", "ko", "vi"]) {
      await i18n.changeLanguage(lng);
      const one = i18n.t("community.answers", { count: 1 });
      const many = i18n.t("community.answers", { count: 3 });
      expect(one).toContain("1");
      expect(many).toContain("3");
      expect(one).not.toMatch(/community\./);
      expect(i18n.t("search.none", { query: "返金" })).toContain("返金");
      expect(i18n.t("fields.body_md")).not.toBe("fields.body_md");
    }
    expect(i18n.t("community.answers", { count: 1, lng: "en" })).toBe("1 answer");
    expect(i18n.t("community.answers", { count: 2, lng: "en" })).toBe("2 answers");
    await i18n.changeLanguage("en");
  });
});
