// A fixed-row-height virtualised list: only the rows in view (plus a small overscan)
// are in the DOM, so 10,000 tickets scroll as smoothly as 10.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";

export interface VirtualListProps<T> {
  items: T[];
  rowHeight: number;
  overscan?: number;
  selectedIndex: number;
  renderRow: (item: T, index: number) => ReactNode;
  onRangeChange?: (first: number, last: number) => void;
  label: string;
  rowKey: (item: T) => string | number;
  activeDescendant?: string;
  onKeyDown?: (e: React.KeyboardEvent<HTMLDivElement>) => void;
}

export function visibleRange(scrollTop: number, height: number, rowHeight: number, count: number, overscan: number) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return { first, last };
}

export function VirtualList<T>(props: VirtualListProps<T>) {
  const { items, rowHeight, overscan = 8, selectedIndex, renderRow, onRangeChange, label, rowKey } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (el) setScrollTop(el.scrollTop);
  }, []);

  // Keep the selected row in view.
  useEffect(() => {
    const el = ref.current;
    if (!el || selectedIndex < 0) return;
    const top = selectedIndex * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
  }, [selectedIndex, rowHeight]);

  const { first, last } = visibleRange(scrollTop, height, rowHeight, items.length, overscan);
  useEffect(() => {
    onRangeChange?.(first, last);
  }, [first, last, items.length, onRangeChange]);

  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    const item = items[i];
    rows.push(
      <div key={rowKey(item)} className="vrow" style={{ transform: `translateY(${i * rowHeight}px)`, height: rowHeight }}>
        {renderRow(item, i)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      className="vlist"
      onScroll={onScroll}
      role="listbox"
      aria-label={label}
      tabIndex={0}
      aria-activedescendant={props.activeDescendant}
      onKeyDown={props.onKeyDown}
    >
      <div className="vlist-inner" style={{ height: items.length * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
