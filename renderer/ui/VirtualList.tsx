import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

export interface VirtualListProps {
  count: number;
  /** Every row has this height in pixels; a fixed height makes the window a pure function of scrollTop. */
  rowHeight: number;
  /** Viewport height used until the element is measured (and in environments without layout). */
  height?: number;
  overscan?: number;
  label: string;
  /** Stable DOM id prefix, used for aria-activedescendant. */
  idPrefix: string;
  renderRow: (index: number) => ReactNode;
  activeIndex?: number | null;
  onActivate?: (index: number) => void;
  onScrollTopChange?: (scrollTop: number) => void;
  /** Called when the last rendered row comes within `overscan` rows of the end. */
  onEndReached?: () => void;
  className?: string;
  /** Gives the caller the scrolling element, e.g. to jump back to the top. */
  scrollRef?: { current: HTMLDivElement | null };
}

/** The rows a viewport shows, plus overscan on each side. Pure, so tests can check it directly. */
export function visibleRange(count: number, rowHeight: number, scrollTop: number, viewport: number, overscan: number): [number, number] {
  if (count === 0) return [0, 0];
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return [first, last];
}

/**
 * A hand-rolled fixed-row-height virtual list: only the rows in view (plus overscan) are in the DOM,
 * so 100k+ rows cost the same as 50. Keyboard: arrows, Page Up/Down, Home/End move the active row,
 * Enter opens it; the active row is announced through aria-activedescendant.
 */
export function VirtualList(props: VirtualListProps) {
  const { count, rowHeight, height = 480, overscan = 8, label, idPrefix, renderRow, activeIndex = null, onActivate } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(height);
  const [cursor, setCursor] = useState<number | null>(activeIndex);

  useEffect(() => setCursor(activeIndex), [activeIndex]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      if (el.clientHeight > 0) setViewport(el.clientHeight);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const [first, last] = visibleRange(count, rowHeight, scrollTop, viewport, overscan);
  const { onEndReached, onScrollTopChange } = props;
  useEffect(() => {
    if (onEndReached && count > 0 && last >= count - 1) onEndReached();
  }, [last, count, onEndReached]);

  const scrollIntoView = useCallback(
    (index: number) => {
      const el = ref.current;
      if (!el) return;
      const top = index * rowHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
    },
    [rowHeight],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (count === 0) return;
    const page = Math.max(1, Math.floor(viewport / rowHeight) - 1);
    const at = cursor ?? -1;
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      PageDown: at + page,
      PageUp: at - page,
      Home: 0,
      End: count - 1,
    };
    if (e.key === 'Enter' && cursor !== null) {
      e.preventDefault();
      onActivate?.(cursor);
      return;
    }
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const clamped = Math.min(count - 1, Math.max(0, next));
    setCursor(clamped);
    scrollIntoView(clamped);
  };

  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard activation is handled on the listbox (Enter)
      <div
        key={i}
        id={`${idPrefix}-${i}`}
        role="option"
        tabIndex={-1}
        aria-selected={i === activeIndex}
        className={`vrow${i === cursor ? ' vrow-cursor' : ''}${i === activeIndex ? ' vrow-active' : ''}`}
        style={{ top: i * rowHeight, height: rowHeight }}
        onClick={() => {
          setCursor(i);
          onActivate?.(i);
        }}
      >
        {renderRow(i)}
      </div>,
    );
  }

  return (
    <div
      ref={(el) => {
        ref.current = el;
        if (props.scrollRef) props.scrollRef.current = el;
      }}
      className={props.className ? `vlist ${props.className}` : 'vlist'}
      role="listbox"
      aria-label={label}
      tabIndex={0}
      // As tall as its rows, up to the max-height its class sets; then it scrolls.
      style={{ height: count * rowHeight + 2 }}
      aria-activedescendant={cursor !== null && cursor >= first && cursor < last ? `${idPrefix}-${cursor}` : undefined}
      onKeyDown={onKeyDown}
      onScroll={(e) => {
        const top = e.currentTarget.scrollTop;
        setScrollTop(top);
        onScrollTopChange?.(top);
      }}
    >
      <div className="vlist-inner" style={{ height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
