// Keyboard navigation of the ticket list (j/k/Home/End/PageUp/PageDown), as a pure reducer.
// The selection follows the ticket id, so rows inserted above by the live stream do not
// move the agent's cursor to another ticket.

export interface NavState {
  ids: number[];
  index: number; // -1 when nothing is selected
  selectedId: number | null;
}

export type NavAction =
  | { type: "next" }
  | { type: "prev" }
  | { type: "first" }
  | { type: "last" }
  | { type: "page"; delta: number }
  | { type: "select"; index: number }
  | { type: "rows"; ids: number[] };

export const initialNav: NavState = { ids: [], index: -1, selectedId: null };

function clampTo(state: NavState, index: number): NavState {
  if (state.ids.length === 0) return { ...state, index: -1, selectedId: null };
  const i = Math.max(0, Math.min(state.ids.length - 1, index));
  return { ...state, index: i, selectedId: state.ids[i] };
}

export function navReducer(state: NavState, action: NavAction): NavState {
  switch (action.type) {
    case "next":
      return clampTo(state, state.index < 0 ? 0 : state.index + 1);
    case "prev":
      return clampTo(state, state.index < 0 ? 0 : state.index - 1);
    case "first":
      return clampTo(state, 0);
    case "last":
      return clampTo(state, state.ids.length - 1);
    case "page":
      return clampTo(state, (state.index < 0 ? 0 : state.index) + action.delta);
    case "select":
      return clampTo(state, action.index);
    case "rows": {
      const ids = action.ids;
      if (state.selectedId !== null) {
        const found = ids.indexOf(state.selectedId);
        if (found >= 0) return { ids, index: found, selectedId: state.selectedId };
        // The selected ticket left the view: stay at the same position.
        if (ids.length === 0) return { ids, index: -1, selectedId: null };
        const i = Math.min(Math.max(state.index, 0), ids.length - 1);
        return { ids, index: i, selectedId: ids[i] };
      }
      return { ids, index: -1, selectedId: null };
    }
  }
}

/** Maps a key press to an action; null for keys the list does not handle. */
export function keyToNavAction(key: string, pageSize: number): NavAction | null {
  switch (key) {
    case "j":
    case "ArrowDown":
      return { type: "next" };
    case "k":
    case "ArrowUp":
      return { type: "prev" };
    case "Home":
      return { type: "first" };
    case "End":
      return { type: "last" };
    case "PageDown":
      return { type: "page", delta: pageSize };
    case "PageUp":
      return { type: "page", delta: -pageSize };
    default:
      return null;
  }
}
