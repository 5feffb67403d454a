import { describe, expect, it } from "vitest";
import { insertAtCursor, markdownLink } from "./insertAtCursor";

describe("inserting at the caret", () => {
  it("inserts where the caret is and puts the caret after it", () => {
    expect(insertAtCursor("See  for details", 4, 4, "[A](u)")).toEqual({ value: "See [A](u) for details", caret: 10 });
  });

  it("replaces a selection", () => {
    expect(insertAtCursor("Read this please", 5, 9, "[Guide](u)")).toEqual({ value: "Read [Guide](u) please", caret: 15 });
  });

  it("puts no space before punctuation or after an opening bracket", () => {
    expect(insertAtCursor("Read more here.", 14, 14, "[A](u)")).toEqual({ value: "Read more here [A](u).", caret: 21 });
    expect(insertAtCursor("(see )", 5, 5, "[A](u)")).toEqual({ value: "(see [A](u))", caret: 11 });
    expect(insertAtCursor("See:", 4, 4, "[A](u)")).toEqual({ value: "See: [A](u)", caret: 11 });
    expect(insertAtCursor("(", 1, 1, "[A](u)")).toEqual({ value: "([A](u)", caret: 7 });
  });

  it("adds a space where the link would run into a word", () => {
    expect(insertAtCursor("Hello", 5, 5, "[A](u)")).toEqual({ value: "Hello [A](u)", caret: 12 });
    expect(insertAtCursor("Hello", 0, 0, "[A](u)")).toEqual({ value: "[A](u) Hello", caret: 6 });
    expect(insertAtCursor("a\nb", 2, 2, "X")).toEqual({ value: "a\nX b", caret: 3 });
  });

  it("fills an empty reply box", () => {
    expect(insertAtCursor("", 0, 0, "[A](u)")).toEqual({ value: "[A](u)", caret: 6 });
  });

  it("appends when the caret is unknown, and clamps positions outside the text", () => {
    expect(insertAtCursor("Thanks.", null, null, "[A](u)")).toEqual({ value: "Thanks. [A](u)", caret: 14 });
    expect(insertAtCursor("ab", 99, 120, "X")).toEqual({ value: "ab X", caret: 4 });
    expect(insertAtCursor("ab", -3, -1, "X")).toEqual({ value: "X ab", caret: 1 });
    expect(insertAtCursor("abcd", 3, 1, "X")).toEqual({ value: "a X d", caret: 3 });
  });

  it("keeps text in other scripts intact", () => {
    expect(insertAtCursor("こちらをご覧ください。", 4, 4, "[返金](u)")).toEqual({ value: "こちらを[返金](u)ご覧ください。", caret: 11 });
    expect(insertAtCursor("자세한 내용은여기", 7, 7, "[환불](u)")).toEqual({ value: "자세한 내용은 [환불](u) 여기", caret: 15 });
    expect(insertAtCursor("Xem tại đây", 8, 8, "[Hoàn tiền](u)")).toEqual({ value: "Xem tại [Hoàn tiền](u) đây", caret: 22 });
  });
});

describe("the Markdown link", () => {
  it("is [title](url)", () => {
    expect(markdownLink("Reset your password", "https://x.test/help/demo/articles/4?locale=en")).toBe(
      "[Reset your password](https://x.test/help/demo/articles/4?locale=en)",
    );
  });

  it("escapes brackets in the title and brackets and spaces in the address", () => {
    expect(markdownLink("Plans [2026] \\ prices", "/help/My Desk/articles/(1)")).toBe("[Plans \\[2026\\] \\\\ prices](/help/My%20Desk/articles/%281%29)");
  });

  it("keeps the title on one line, and falls back to the address without one", () => {
    expect(markdownLink("Two\nlines  here", "/a")).toBe("[Two lines here](/a)");
    expect(markdownLink("  ", "/a")).toBe("[/a](/a)");
  });
});
