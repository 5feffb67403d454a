import { describe, expect, it } from "vitest";
import type { SearchResult } from "../kbApi";
import { groupResults, resultHref, searchKey, type SearchBoxState } from "./searchModel";

const r = (kind: SearchResult["kind"], id: number, locale = ""): SearchResult => ({ kind, id, locale, title: `${kind} ${id}`, snippet: [], score: 1 });

describe("grouping search results", () => {
  it("orders groups articles, community, tickets, customers, keeping the order within a kind", () => {
    const { groups, flat } = groupResults([r("ticket", 7), r("customer", 3), r("article", 1), r("ticket", 2), r("topic", 9)]);
    expect(groups.map((g) => g.kind)).toEqual(["article", "topic", "ticket", "customer"]);
    expect(flat.map((x) => `${x.kind}${x.id}`)).toEqual(["article1", "topic9", "ticket7", "ticket2", "customer3"]);
    // Each row knows its place in the whole list (for ↑/↓ across groups).
    expect(groups[2].items.map((i) => i.index)).toEqual([2, 3]);
    expect(groups.flatMap((g) => g.items.map((i) => flat[i.index] === i.result))).toEqual([true, true, true, true, true]);
  });

  it("skips kinds with no results and copes with none at all", () => {
    expect(groupResults([r("customer", 1)]).groups.map((g) => g.kind)).toEqual(["customer"]);
    expect(groupResults([])).toEqual({ groups: [], flat: [] });
  });
});

describe("where a result opens", () => {
  it("opens each kind on its page", () => {
    expect(resultHref(r("ticket", 12))).toBe("/tickets/12");
    expect(resultHref(r("customer", 5))).toBe("/customers/5");
    expect(resultHref(r("article", 3, "ja"))).toBe("/kb/articles/3?locale=ja");
    expect(resultHref(r("article", 3))).toBe("/kb/articles/3");
    expect(resultHref(r("topic", 8))).toBe("/community/topics/8");
  });
});

describe("the search box's keys", () => {
  const open = (active: number): SearchBoxState => ({ open: true, active, query: "refund" });

  it("↓ and ↑ move through every row and wrap around", () => {
    expect(searchKey(open(-1), "ArrowDown", 3)).toEqual({ kind: "state", state: open(0) });
    expect(searchKey(open(0), "ArrowDown", 3)).toEqual({ kind: "state", state: open(1) });
    expect(searchKey(open(2), "ArrowDown", 3)).toEqual({ kind: "state", state: open(0) });
    expect(searchKey(open(-1), "ArrowUp", 3)).toEqual({ kind: "state", state: open(2) });
    expect(searchKey(open(0), "ArrowUp", 3)).toEqual({ kind: "state", state: open(2) });
    expect(searchKey(open(1), "Home", 3)).toEqual({ kind: "state", state: open(0) });
    expect(searchKey(open(1), "End", 3)).toEqual({ kind: "state", state: open(2) });
  });

  it("↓ on a closed list opens it on the first row", () => {
    expect(searchKey({ open: false, active: -1, query: "x" }, "ArrowDown", 2)).toEqual({ kind: "state", state: { open: true, active: 0, query: "x" } });
    expect(searchKey({ open: false, active: -1, query: "x" }, "ArrowUp", 2)).toEqual({ kind: "state", state: { open: true, active: 1, query: "x" } });
  });

  it("Enter opens the active row, or the first when none is active, and closes the list", () => {
    expect(searchKey(open(2), "Enter", 3)).toEqual({ kind: "open", index: 2, state: { open: false, active: -1, query: "refund" } });
    expect(searchKey(open(-1), "Enter", 3)).toMatchObject({ kind: "open", index: 0 });
    expect(searchKey(open(7), "Enter", 3)).toMatchObject({ kind: "open", index: 0 });
    expect(searchKey(open(-1), "Enter", 0)).toEqual({ kind: "none" });
    expect(searchKey({ open: false, active: -1, query: "refund" }, "Enter", 3)).toEqual({ kind: "none" });
  });

  it("Esc closes the list first, then clears the text, then does nothing", () => {
    const first = searchKey(open(1), "Escape", 3);
    expect(first).toEqual({ kind: "state", state: { open: false, active: -1, query: "refund" } });
    const second = searchKey((first as { state: SearchBoxState }).state, "Escape", 3);
    expect(second).toEqual({ kind: "state", state: { open: false, active: -1, query: "" } });
    expect(searchKey({ open: false, active: -1, query: "" }, "Escape", 0)).toEqual({ kind: "none" });
  });

  it("other keys are left to the input", () => {
    expect(searchKey(open(0), "a", 3)).toEqual({ kind: "none" });
    expect(searchKey(open(0), "ArrowLeft", 3)).toEqual({ kind: "none" });
    expect(searchKey(open(-1), "ArrowDown", 0)).toEqual({ kind: "none" });
  });
});
