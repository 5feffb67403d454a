// The agent app's self-service addresses (knowledge base, article editor, community).
import { describe, expect, it } from "vitest";
import { parseRoute } from "./router";
import { absoluteArticleUrl } from "../components/SuggestedArticles";

describe("self-service routes", () => {
  it("knowledge base and a section", () => {
    expect(parseRoute("/kb")).toEqual({ name: "kb", sectionId: null });
    expect(parseRoute("/kb/sections/12")).toEqual({ name: "kb", sectionId: 12 });
    expect(parseRoute("/kb/sections/0")).toEqual({ name: "notFound" });
    expect(parseRoute("/kb/sections/x")).toEqual({ name: "notFound" });
  });

  it("the article editor, new or existing", () => {
    expect(parseRoute("/kb/articles/new")).toEqual({ name: "kbArticle", id: null });
    expect(parseRoute("/kb/articles/7")).toEqual({ name: "kbArticle", id: 7 });
    expect(parseRoute("/kb/articles/7/extra")).toEqual({ name: "notFound" });
  });

  it("community tabs and topics", () => {
    expect(parseRoute("/community")).toEqual({ name: "community", tab: "pending", topicId: null });
    expect(parseRoute("/community/hidden")).toEqual({ name: "community", tab: "hidden", topicId: null });
    expect(parseRoute("/community/bans")).toEqual({ name: "community", tab: "bans", topicId: null });
    expect(parseRoute("/community/topics/3")).toEqual({ name: "community", tab: "", topicId: 3 });
    expect(parseRoute("/community/everything")).toEqual({ name: "notFound" });
  });

  it("existing routes are unchanged", () => {
    expect(parseRoute("/tickets/5")).toEqual({ name: "ticket", id: 5 });
    expect(parseRoute("/customers")).toEqual({ name: "customers", id: null });
  });
});

describe("an article's address for a customer", () => {
  it("makes the help centre's path absolute on this site", () => {
    expect(absoluteArticleUrl("/help/demo/articles/4?locale=ja", "https://desk.example.com")).toBe("https://desk.example.com/help/demo/articles/4?locale=ja");
    expect(absoluteArticleUrl("https://help.example.com/a/4", "https://desk.example.com")).toBe("https://help.example.com/a/4");
    expect(absoluteArticleUrl("articles/4", "https://desk.example.com")).toBe("articles/4");
  });
});
