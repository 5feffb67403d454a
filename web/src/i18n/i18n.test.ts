import { describe, expect, it } from "vitest";
import en from "./en";
import ja from "./ja";
import ko from "./ko";
import vi from "./vi";

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]).sort();

const reference = flatten(en as unknown as Tree);
const locales = { ja, ko, vi } as Record<string, unknown>;

describe("translations", () => {
  it("English has a healthy number of keys", () => {
    expect(reference.size).toBeGreaterThan(150);
  });

  for (const [name, dict] of Object.entries(locales)) {
    const flat = flatten(dict as Tree);
    it(`${name} has exactly the English keys`, () => {
      const missing = [...reference.keys()].filter((k) => !flat.has(k));
      const extra = [...flat.keys()].filter((k) => !reference.has(k));
      expect(missing).toEqual([]);
      expect(extra).toEqual([]);
    });
    it(`${name} has no empty strings and keeps every placeholder`, () => {
      for (const [key, value] of flat) {
        expect(value.trim(), key).not.toBe("");
        expect(placeholders(value), key).toEqual(placeholders(reference.get(key)!));
      }
    });
    it(`${name} is translated, not copied from English`, () => {
      const same = [...flat].filter(([k, v]) => v === reference.get(k) && v.length > 12 && !k.startsWith("locales."));
      expect(same.map(([k]) => k)).toEqual([]);
    });
  }

  it("Japanese uses the polite です/ます style in sentences", () => {
    const flat = flatten(ja as unknown as Tree);
    const sentences = [...flat.values()].filter((v) => v.endsWith("。"));
    expect(sentences.length).toBeGreaterThan(20);
    for (const s of sentences) expect(s, s).toMatch(/(です|ます|ません|ください|でした|ました)[。！]?$|。$/);
    const polite = sentences.filter((s) => /(です|ます|ません|ください|でした|ました)。$/.test(s));
    expect(polite.length / sentences.length).toBeGreaterThan(0.9);
  });

  it("Vietnamese is written with its diacritics", () => {
    const flat = flatten(vi as unknown as Tree);
    expect(flat.get("errors.network")).toContain("Không kết nối được tới máy chủ");
    const withMarks = [...flat.values()].filter((v) => /[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]/i.test(v));
    expect(withMarks.length / flat.size).toBeGreaterThan(0.8);
  });

  it("Korean sentences use the polite 합니다/해요 endings", () => {
    const flat = flatten(ko as unknown as Tree);
    const sentences = [...flat.values()].filter((v) => v.endsWith("."));
    for (const s of sentences) expect(s, s).toMatch(/(니다|세요|요|음|됨)\.$|\)\.$/);
  });
});
