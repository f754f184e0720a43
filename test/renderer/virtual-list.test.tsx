// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VirtualList, visibleRange } from '../../renderer/ui/VirtualList';

afterEach(cleanup);

const N = 100_000;

describe('VirtualList', () => {
  it('computes the window from scrollTop alone', () => {
    expect(visibleRange(N, 32, 0, 320, 5)).toEqual([0, 15]);
    expect(visibleRange(N, 32, 32 * 5000, 320, 5)).toEqual([4995, 5015]);
    expect(visibleRange(N, 32, 32 * N, 320, 5)).toEqual([N - 5, N]);
    expect(visibleRange(0, 32, 0, 320, 5)).toEqual([0, 0]);
  });

  it('renders only the visible rows of 100k items, and moves the window on scroll', () => {
    const renderRow = vi.fn((i: number) => <span>row {i}</span>);
    render(<VirtualList label="Events" idPrefix="ev" count={N} rowHeight={32} height={320} overscan={5} renderRow={renderRow} />);
    const list = screen.getByRole('listbox', { name: 'Events' });
    expect(screen.getAllByRole('option')).toHaveLength(15);
    expect((list.firstElementChild as HTMLElement).style.height).toBe(`${N * 32}px`);
    expect(renderRow.mock.calls.every(([i]) => i < 15)).toBe(true);

    list.scrollTop = 32 * 50_000;
    fireEvent.scroll(list);
    const rows = screen.getAllByRole('option');
    expect(rows.length).toBeLessThanOrEqual(20);
    expect(rows[0]?.textContent).toBe('row 49995');
    expect(rows[0]?.style.top).toBe(`${49995 * 32}px`);
    expect(screen.queryByText('row 0')).toBeNull();
  });

  it('is keyboard operable: arrows move the active row, Enter opens it', () => {
    const onActivate = vi.fn();
    render(
      <VirtualList label="L" idPrefix="r" count={N} rowHeight={32} height={320} renderRow={(i) => `row ${i}`} onActivate={onActivate} />,
    );
    const list = screen.getByRole('listbox');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(list.getAttribute('aria-activedescendant')).toBe('r-1');
    fireEvent.keyDown(list, { key: 'Enter' });
    expect(onActivate).toHaveBeenCalledWith(1);
    fireEvent.keyDown(list, { key: 'Home' });
    expect(list.getAttribute('aria-activedescendant')).toBe('r-0');
  });

  it('reports scroll position and the end of the list', () => {
    const onScroll = vi.fn();
    const onEnd = vi.fn();
    render(
      <VirtualList
        label="L"
        idPrefix="r"
        count={10}
        rowHeight={32}
        height={320}
        renderRow={(i) => `row ${i}`}
        onScrollTopChange={onScroll}
        onEndReached={onEnd}
      />,
    );
    expect(onEnd).toHaveBeenCalled();
    const list = screen.getByRole('listbox');
    list.scrollTop = 40;
    fireEvent.scroll(list);
    expect(onScroll).toHaveBeenCalledWith(40);
  });
});
