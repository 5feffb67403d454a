import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { Highlighted, normaliseSegments, segmentsText, segmentsToElements } from "./segments";

const html = (segments: unknown) => renderToStaticMarkup(<>{segmentsToElements(segments)}</>);

describe("highlighted segments", () => {
  it("puts matches in <mark> and leaves the rest as text", () => {
    expect(html([{ text: "How to ", match: false }, { text: "reset", match: true }, { text: " a password", match: false }])).toBe(
      "How to <mark>reset</mark> a password",
    );
  });

  it("joins neighbours of the same kind and drops empty or malformed pieces", () => {
    expect(
      normaliseSegments([
        { text: "請求", match: true },
        { text: "書", match: true },
        { text: "", match: false },
        null,
        { text: 5, match: true },
        { match: true },
        { text: "の再発行", match: "yes" },
      ]),
    ).toEqual([
      { text: "請求書", match: true },
      { text: "の再発行", match: false },
    ]);
    expect(normaliseSegments("not a list")).toEqual([]);
    expect(normaliseSegments(undefined)).toEqual([]);
  });

  it("never turns text into markup", () => {
    const out = html([{ text: "<img src=x onerror=alert(1)>", match: true }, { text: "<script>alert(2)</script>", match: false }]);
    expect(out).not.toContain("<img");
    expect(out).not.toContain("<script");
    expect(out).toBe("<mark>&lt;img src=x onerror=alert(1)&gt;</mark>&lt;script&gt;alert(2)&lt;/script&gt;");
  });

  it("gives the plain text of segments", () => {
    expect(segmentsText([{ text: "Đổi ", match: false }, { text: "mật khẩu", match: true }])).toBe("Đổi mật khẩu");
  });

  it("shows a title from segments when given, else the plain title", () => {
    expect(renderToStaticMarkup(<Highlighted segments={[{ text: "返金", match: true }]} text="返金" />)).toBe("<span><mark>返金</mark></span>");
    expect(renderToStaticMarkup(<Highlighted segments={[]} text="Refunds" className="t" />)).toBe('<span class="t">Refunds</span>');
  });
});
