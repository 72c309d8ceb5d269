/**
 * One drag-and-drop context for the workspace (@dnd-kit): shots reorder within the
 * storyboard; media from the bin drops onto a shot (new take) or a track (new clip).
 */
import {
  closestCenter,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useSensor,
  useSensors,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { useState, type ReactNode } from 'react';
import { orderedShots } from '@app/timeline/query';
import { snapToFrame } from '@app/time/flicks';
import { addClip } from '../../actions/clips';
import { addTake, moveShot } from '../../actions/storyboard';
import { useProject } from '../../state/project';
import { useUi } from '../../state/ui';
import { Thumb } from '../common/Thumb';
import { SNAP_PX, snapShift, snapTargets, toFlicks } from '../timeline/geometry';

type DragData = { type: 'asset'; assetId: string } | { type: 'shot'; shotId: string } | { type: 'lane'; trackId: string };

const dataOf = (d: { data: { current?: unknown } } | null | undefined) => d?.data.current as DragData | undefined;

const collisions: CollisionDetection = (args) => {
  const kind = dataOf(args.active)?.type;
  if (kind === 'asset') {
    const targets = args.droppableContainers.filter((c) => {
      const t = dataOf(c)?.type;
      return t === 'shot' || t === 'lane';
    });
    return pointerWithin({ ...args, droppableContainers: targets });
  }
  // Reordering shots: only the cards themselves (not take strips) are places to land.
  const cards = args.droppableContainers.filter((c) => dataOf(c)?.type === 'shot' && !String(c.id).startsWith('takes:'));
  return closestCenter({ ...args, droppableContainers: cards });
};

function dropOnLane(trackId: string, assetId: string, clientX: number) {
  const lane = document.querySelector<HTMLElement>(`[data-lane-track-id="${CSS.escape(trackId)}"]`);
  const state = useProject.getState().state;
  if (!lane || !state) return;
  const ui = useUi.getState();
  let at = Math.max(0, toFlicks(clientX - lane.getBoundingClientRect().left, ui.zoom));
  if (ui.snapping) {
    const asset = state.assets[assetId];
    const len = asset ? (asset.kind === 'image' ? 4 * 705_600_000 : asset.probe.durationFlicks) : 0;
    at += snapShift([at, at + len], snapTargets(state.clips, null, [ui.playhead]), toFlicks(SNAP_PX, ui.zoom));
  }
  // Sound dropped on a picture lane goes to the first free audio track there (not refused).
  const wrongKind = state.assets[assetId]?.kind === 'audio' && state.tracks[trackId]?.kind !== 'audio';
  void addClip(wrongKind ? undefined : trackId, assetId, snapToFrame(Math.max(0, at), state.settings.fps));
}

function onDragEnd(e: DragEndEvent) {
  const active = dataOf(e.active);
  const over = dataOf(e.over);
  if (!active || !over) return;
  if (active.type === 'asset' && over.type === 'shot') {
    void addTake(over.shotId, active.assetId);
  } else if (active.type === 'asset' && over.type === 'lane') {
    const start = e.activatorEvent as PointerEvent | MouseEvent;
    if ('clientX' in start) dropOnLane(over.trackId, active.assetId, start.clientX + e.delta.x);
  } else if (active.type === 'shot' && over.type === 'shot' && active.shotId !== over.shotId) {
    const state = useProject.getState().state;
    if (!state) return;
    const toIndex = orderedShots(state).findIndex((s) => s.id === over.shotId);
    if (toIndex >= 0) void moveShot(active.shotId, toIndex);
  }
}

export function DragLayer({ children }: { children: ReactNode }) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const [draggedAsset, setDraggedAsset] = useState<string | null>(null);
  const asset = useProject((s) => (draggedAsset ? s.state?.assets[draggedAsset] : undefined));
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisions}
      onDragStart={(e: DragStartEvent) => {
        const d = dataOf(e.active);
        setDraggedAsset(d?.type === 'asset' ? d.assetId : null);
      }}
      onDragEnd={(e) => {
        setDraggedAsset(null);
        onDragEnd(e);
      }}
      onDragCancel={() => setDraggedAsset(null)}
      accessibility={{ screenReaderInstructions: { draggable: 'To reorder, press Space to pick up, use the arrow keys to move, then Space to drop or Escape to cancel.' } }}
    >
      {children}
      <DragOverlay dropAnimation={null}>
        {asset ? (
          <div className="drag-chip">
            <Thumb asset={asset} />
            <span className="truncate">{asset.name}</span>
          </div>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}
