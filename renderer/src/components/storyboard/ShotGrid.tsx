/**
 * The storyboard's cards in a virtualised grid (issue 14: 2,000 shots were 2,000 mounted
 * sortable cards, and a click re-rendered them all). Whole rows are virtualised with
 * @tanstack/react-virtual; the CSS grid lays out the rows in view, and padding stands in
 * for the rows above and below, so the scrollbar and keyboard order stay those of the full list.
 */
import { rectSortingStrategy, SortableContext } from '@dnd-kit/sortable';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Asset, Shot, Take } from '@app/model/types';
import { takeJustAdded } from '../../actions/storyboard';
import { afterPaint } from '../../lib/afterPaint';
import { ShotCard } from './ShotCard';

const MIN_CARD_PX = 210;
const GAP_PX = 14;
const PAD_PX = 16;
/** A card's height before one is measured (thumbnail 16:9 of a 210 px card + body). */
const ESTIMATED_ROW_PX = 228 + GAP_PX;

export function columnsFor(widthPx: number): number {
  return Math.max(1, Math.floor((widthPx - 2 * PAD_PX + GAP_PX) / (MIN_CARD_PX + GAP_PX)));
}

export function ShotGrid({
  shots,
  takesByShot,
  takes,
  assets,
  selectedId,
  onSelect,
}: {
  shots: readonly Shot[];
  takesByShot: Readonly<Record<string, readonly Take[]>>;
  takes: Record<string, Take> | undefined;
  assets: Record<string, Asset>;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
}) {
  const listRef = useRef<HTMLOListElement>(null);
  const [cols, setCols] = useState(4);
  const [rowPx, setRowPx] = useState(ESTIMATED_ROW_PX);

  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const measure = () => {
      setCols(columnsFor(el.clientWidth));
      const card = el.querySelector<HTMLElement>('[data-testid="shot-card"]');
      if (card && card.offsetHeight > 0) setRowPx(card.offsetHeight + GAP_PX);
    };
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, [shots.length > 0]);

  const rows = Math.ceil(shots.length / cols);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => listRef.current,
    estimateSize: () => rowPx,
    paddingStart: PAD_PX,
    paddingEnd: PAD_PX,
    overscan: 2,
  });
  useLayoutEffect(() => virtualizer.measure(), [rowPx, cols, virtualizer]);

  // A shot just added: its card is scrolled into view if it is not (it goes after the
  // selected shot, which may be out of view), after the frame that shows it, when the
  // layout is already clean: scrolling reads layout, and before that frame it would force one.
  useEffect(() => {
    if (!selectedId || !takeJustAdded(selectedId, 'grid')) return;
    const row = Math.floor(shots.findIndex((s) => s.id === selectedId) / cols);
    if (row < 0) return;
    return afterPaint(() => {
      const to = virtualizer.getOffsetForIndex(row, 'auto');
      if (to && to[0] !== virtualizer.scrollOffset) virtualizer.scrollToIndex(row, { align: 'auto' });
    });
    // Only when the selection changes to a new shot; shots/cols are read as they are then.
  }, [selectedId]);

  const items = virtualizer.getVirtualItems();
  const firstRow = items[0]?.index ?? 0;
  const lastRow = items.at(-1)?.index ?? -1;
  const from = firstRow * cols;
  const to = Math.min(shots.length, (lastRow + 1) * cols);
  const ids = useMemo(() => shots.map((s) => s.id), [shots]);
  // Rows above and below the window are stood in for by one full-width spacer each (the
  // grid's gap follows a spacer, hence the minus). Not padding: a scroller cannot be shorter
  // than its own padding, so padding would have grown the list instead of scrolling it.
  const above = firstRow * rowPx - GAP_PX;
  const below = Math.max(0, rows - lastRow - 1) * rowPx - GAP_PX;

  return (
    <SortableContext items={ids} strategy={rectSortingStrategy}>
      <ol
        ref={listRef}
        className="shot-grid"
        aria-label="Shots in order"
        data-testid="shot-grid"
        data-shot-count={shots.length}
        style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))` }}
      >
        {above > 0 && <li className="shot-grid__spacer" style={{ height: above }} aria-hidden="true" />}
        {shots.slice(from, to).map((shot, k) => {
          const i = from + k;
          const chosen = shot.chosenTakeId ? takes?.[shot.chosenTakeId] : undefined;
          return (
            <ShotCard
              key={shot.id}
              shot={shot}
              index={i}
              takes={takesByShot[shot.id] ?? NO_TAKES}
              chosenAsset={chosen ? assets[chosen.assetId] : undefined}
              selected={shot.id === selectedId}
              onSelect={onSelect}
            />
          );
        })}
        {below > 0 && <li className="shot-grid__spacer" style={{ height: below }} aria-hidden="true" />}
      </ol>
    </SortableContext>
  );
}

const NO_TAKES: Take[] = [];
