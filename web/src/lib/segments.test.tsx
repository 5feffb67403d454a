import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { Highlighted, segmentsText, segmentsToElements, toSegments } from "./segments";

const html = (segments: unknown) => renderToStaticMarkup(<>{segmentsToElements(segments)}</>);

describe("highlighted segments", () => {
  it("puts matches in <mark> and leaves the rest as text", () => {
    expect(html([{ text: "How to ", match: false }, { text: "reset", match: true }, { text: " a password", match: false }])).toBe(
      "How to <mark>reset</mark> a password",
    );
  });

  it("reads arrays of segments and plain strings, and drops what is not a segment", () => {
    expect(toSegments([{ text: "返金", match: true }, { text: "について", match: false }])).toEqual([
      { text: "返金", match: true },
      { text: "について", match: false },
    ]);
    // The help centre's API may send a snippet as a plain string: one unmatched segment.
    expect(toSegments("plain")).toEqual([{ text: "plain", match: false }]);
    expect(toSegments(null)).toEqual([]);
    expect(toSegments(undefined)).toEqual([]);
    expect(toSegments(42)).toEqual([]);
    expect(toSegments([{ text: 1 }, null, { nope: true }, { text: "a", match: "yes" }])).toEqual([{ text: "a", match: false }]);
  });

  it("joins neighbours of the same kind and drops empty or malformed pieces", () => {
    expect(
      toSegments([
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
    expect(
      toSegments([
        { text: "Ho", match: true },
        { text: "àn", match: true },
        { text: "", match: false },
        { text: " tiền", match: false },
      ]),
    ).toEqual([
      { text: "Hoàn", match: true },
      { text: " tiền", match: false },
    ]);
  });

  it("never turns text into markup", () => {
    const out = html([{ text: "<img src=x onerror=alert(1)>", match: true }, { text: "<script>alert(2)</script>", match: false }]);
    expect(out).not.toContain("<img");
    expect(out).not.toContain("<script");
    expect(out).toBe("<mark>&lt;img src=x onerror=alert(1)&gt;</mark>&lt;script&gt;alert(2)&lt;/script&gt;");
  });

  it("gives the plain text of segments", () => {
    expect(segmentsText([{ text: "Đổi ", match: false }, { text: "mật khẩu", match: true }])).toBe("Đổi mật khẩu");
    expect(segmentsText("plain")).toBe("plain");
  });

  it("shows a title from segments when given, else the plain title", () => {
    expect(renderToStaticMarkup(<Highlighted value={[{ text: "返金", match: true }]} text="返金" />)).toBe("<span><mark>返金</mark></span>");
    expect(renderToStaticMarkup(<Highlighted value={[]} text="Refunds" className="t" />)).toBe('<span class="t">Refunds</span>');
    expect(renderToStaticMarkup(<Highlighted value="no matches" />)).toBe("<span>no matches</span>");
  });

  it("styles matches with the class given, keeping everything text", () => {
    const out = renderToStaticMarkup(
      <Highlighted
        value={[{ text: "<img src=x onerror=alert(1)>", match: false }, { text: "refund", match: true }, { text: " policy", match: false }]}
        markClassName="p-mark"
        testId="result-title"
      />,
    );
    expect(out).toBe('<span data-testid="result-title">&lt;img src=x onerror=alert(1)&gt;<mark class="p-mark">refund</mark> policy</span>');
  });
});
