import { describe, expect, it } from "vitest";
import en from "./en";
import ja from "./ja";
import ko from "./ko";
import vi from "./vi";
import mailEn from "./mail/en";
import mailJa from "./mail/ja";
import mailKo from "./mail/ko";
import mailVi from "./mail/vi";
import slaEn from "./slaAdmin/en";
import slaJa from "./slaAdmin/ja";
import slaKo from "./slaAdmin/ko";
import slaVi from "./slaAdmin/vi";
import standardsEn from "./standards/en";
import standardsJa from "./standards/ja";
import standardsKo from "./standards/ko";
import standardsVi from "./standards/vi";
import portalEn from "../portal/i18n/en";
import portalJa from "../portal/i18n/ja";
import portalKo from "../portal/i18n/ko";
import portalVi from "../portal/i18n/vi";

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

/** Same keys as English, no empty strings, same placeholders, actually translated. */
function completeness(reference: Map<string, string>, locales: Record<string, unknown>) {
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
}

/** The style checks every dictionary set must pass. */
function style(dicts: { ja: unknown; ko: unknown; vi: unknown }, minJaSentences: number) {
  it("Japanese uses the polite です/ます style in sentences", () => {
    const flat = flatten(dicts.ja as Tree);
    const sentences = [...flat.values()].filter((v) => v.endsWith("。"));
    expect(sentences.length).toBeGreaterThan(minJaSentences);
    for (const s of sentences) expect(s, s).toMatch(/(です|ます|ません|ください|でした|ました)[。！]?$|。$/);
    const polite = sentences.filter((s) => /(です|ます|ません|ください|でした|ました)。$/.test(s));
    expect(polite.length / sentences.length).toBeGreaterThan(0.9);
  });

  it("Vietnamese is written with its diacritics", () => {
    const flat = flatten(dicts.vi as Tree);
    expect(flat.get("errors.network")).toContain("Không kết nối được tới máy chủ");
    const withMarks = [...flat.values()].filter((v) => /[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]/i.test(v));
    expect(withMarks.length / flat.size).toBeGreaterThan(0.8);
  });

  it("Korean sentences use the polite 합니다/해요 endings", () => {
    const flat = flatten(dicts.ko as Tree);
    const sentences = [...flat.values()].filter((v) => v.endsWith("."));
    for (const s of sentences) expect(s, s).toMatch(/(니다|세요|요|음|됨)\.$|\)\.$/);
  });
}

// The email settings' strings load with that page (src/i18n/mail/) but are one dictionary
// with the rest at run time, and are checked as such.
// So are the service-level settings' strings (src/i18n/slaAdmin/) and the service standards' (src/i18n/standards/).
const whole = <D extends { admin: object; fields: object }>(dict: D, m: typeof mailEn, s: typeof slaEn, st: typeof standardsEn) => ({
  ...dict,
  admin: { ...dict.admin, mail: m.mail, sla: s.sla },
  fields: { ...dict.fields, ...m.fields },
  standards: st.standards,
});
const [wholeEn, wholeJa, wholeKo, wholeVi] = [
  whole(en, mailEn, slaEn, standardsEn), whole(ja, mailJa, slaJa, standardsJa), whole(ko, mailKo, slaKo, standardsKo), whole(vi, mailVi, slaVi, standardsVi),
];
const reference = flatten(wholeEn as unknown as Tree);

describe("translations", () => {
  it("English has a healthy number of keys", () => {
    expect(reference.size).toBeGreaterThan(150);
    expect(reference.has("admin.mail.rejected.empty")).toBe(true);
    expect(reference.has("admin.sla.policies.empty")).toBe(true);
  });
  completeness(reference, { ja: wholeJa, ko: wholeKo, vi: wholeVi });
  style({ ja: wholeJa, ko: wholeKo, vi: wholeVi }, 20);
});

const portalReference = flatten(portalEn as unknown as Tree);

describe("help-centre translations", () => {
  it("English has every help-centre string", () => {
    expect(portalReference.size).toBeGreaterThan(80);
  });
  completeness(portalReference, { ja: portalJa, ko: portalKo, vi: portalVi });
  style({ ja: portalJa, ko: portalKo, vi: portalVi }, 20);

  it("every problem code the help centre can meet has a message", () => {
    for (const code of ["network", "rate_limited", "unauthenticated", "not_found", "conflict", "invalid_argument", "internal", "unknown"])
      expect(portalReference.has(`errors.${code}`), code).toBe(true);
    for (const f of ["name", "email", "subject", "body"]) expect(portalReference.has(`validation.${f}Required`), f).toBe(true);
  });
});

describe("resolveLocale", () => {
  it("prefers the agent's saved choice, then this browser's, then the workspace's", async () => {
    const saved = new Map<string, string>();
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: (k: string) => saved.get(k) ?? null,
      setItem: (k: string, v: string) => void saved.set(k, v),
      removeItem: (k: string) => void saved.delete(k),
    };
    const { resolveLocale } = await import("./index");
    localStorage.removeItem("kizuna.locale");
    expect(resolveLocale("vi", "ko")).toBe("ko");
    expect(resolveLocale("vi", "")).toBe("vi");
    localStorage.setItem("kizuna.locale", "ja");
    expect(resolveLocale("vi", "")).toBe("ja");
    expect(resolveLocale("vi", "ko")).toBe("ko");
    delete (globalThis as { localStorage?: unknown }).localStorage;
  });
});
