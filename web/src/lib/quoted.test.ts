import { describe, expect, it } from "vitest";
import { quotedText } from "./quoted";

describe("the quoted history of an email", () => {
  it("is nothing when the server kept the whole text", () => {
    expect(quotedText("Hello", "")).toBeNull();
    expect(quotedText("Hello", undefined)).toBeNull();
    expect(quotedText("Hello", "Hello\n\n")).toBeNull();
    expect(quotedText("Hello", "  \n")).toBeNull();
  });

  it("is the tail after a reply written above the quote", () => {
    const body = "Thanks, that worked!\n\nAna";
    const full = "Thanks, that worked!\n\nAna\n\nOn Mon, 2 Nov 2026 at 10:00, Acme Support wrote:\n> Please try again.\n> \n> Minh";
    expect(quotedText(body, full)).toEqual({
      kind: "rest",
      text: "On Mon, 2 Nov 2026 at 10:00, Acme Support wrote:\n> Please try again.\n> \n> Minh",
    });
  });

  it("copes with CRLF line ends and trailing spaces", () => {
    const r = quotedText("ありがとうございます。  ", "ありがとうございます。\r\n\r\n> 返金しました。\r\n");
    expect(r).toEqual({ kind: "rest", text: "> 返金しました。" });
  });

  it("is the whole original when the answer sits between quotes", () => {
    const full = "On Mon, Minh wrote:\n> Which order?\n\n#4821\n\n> And the date?\n\nLast Tuesday";
    const r = quotedText("#4821\n\nLast Tuesday", full);
    expect(r).toEqual({ kind: "full", text: full });
  });
});
