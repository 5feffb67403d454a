import { describe, expect, it } from "vitest";
import { initialNav, keyToNavAction, navReducer, type NavAction, type NavState } from "./navReducer";

const run = (s: NavState, ...actions: NavAction[]) => actions.reduce(navReducer, s);
const withRows = (ids: number[]) => navReducer(initialNav, { type: "rows", ids });

describe("navReducer", () => {
  it("j selects the first row, then moves down and stops at the end", () => {
    let s = withRows([10, 11, 12]);
    expect(s.index).toBe(-1);
    s = run(s, { type: "next" });
    expect([s.index, s.selectedId]).toEqual([0, 10]);
    s = run(s, { type: "next" }, { type: "next" }, { type: "next" });
    expect([s.index, s.selectedId]).toEqual([2, 12]);
  });

  it("k moves up and stops at the top", () => {
    const s = run(withRows([1, 2, 3]), { type: "last" }, { type: "prev" }, { type: "prev" }, { type: "prev" });
    expect([s.index, s.selectedId]).toEqual([0, 1]);
  });

  it("the selection follows its ticket when rows arrive above it", () => {
    let s = run(withRows([5, 6, 7]), { type: "select", index: 1 });
    expect(s.selectedId).toBe(6);
    s = navReducer(s, { type: "rows", ids: [99, 98, 5, 6, 7] });
    expect([s.index, s.selectedId]).toEqual([3, 6]);
  });

  it("when the selected ticket leaves the view, the cursor stays in place", () => {
    let s = run(withRows([5, 6, 7]), { type: "select", index: 1 });
    s = navReducer(s, { type: "rows", ids: [5, 7] });
    expect([s.index, s.selectedId]).toEqual([1, 7]);
    s = navReducer(s, { type: "rows", ids: [] });
    expect([s.index, s.selectedId]).toEqual([-1, null]);
  });

  it("pages and clamps over 10,000 rows", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => i + 1);
    let s = run(withRows(ids), { type: "page", delta: 10 });
    expect(s.index).toBe(10);
    s = run(s, { type: "last" }, { type: "page", delta: 10 });
    expect([s.index, s.selectedId]).toEqual([9_999, 10_000]);
    s = run(s, { type: "first" }, { type: "page", delta: -10 });
    expect(s.index).toBe(0);
  });

  it("does nothing harmful on an empty list", () => {
    const s = run(initialNav, { type: "next" }, { type: "last" }, { type: "prev" });
    expect([s.index, s.selectedId]).toEqual([-1, null]);
  });

  it("maps keys to actions", () => {
    expect(keyToNavAction("j", 10)).toEqual({ type: "next" });
    expect(keyToNavAction("k", 10)).toEqual({ type: "prev" });
    expect(keyToNavAction("PageDown", 12)).toEqual({ type: "page", delta: 12 });
    expect(keyToNavAction("x", 10)).toBeNull();
  });
});
