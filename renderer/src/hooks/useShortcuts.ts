/**
 * Editor keys. Everywhere: Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z (or Ctrl+Y) redo,
 * Ctrl/Cmd+1/2/3 switch views. In Edit: Space play/pause, J/K/L shuttle, I/O marks
 * (Shift: go to mark, Alt: clear), S split, Delete/Backspace delete, Shift+Delete ripple
 * delete, arrows step a frame (Shift: a second), Home/End, +/- zoom, N snapping.
 * Keys typed into text fields are left alone.
 */
import { useEffect } from 'react';
import { redo, undo } from '../actions/edit';
import { useUi } from '../state/ui';
import { deleteSelected, goToEnd, shuttle, splitAtPlayhead, stepFrames, togglePlay, zoomBy, markAtPlayhead } from '../actions/timeline';
import { FLICKS_PER_SECOND } from '@app/time/flicks';

function isTextEntry(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  if (t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  if (t instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'file', 'color'].includes(t.type);
  return false;
}

const VIEWS = ['storyboard', 'edit', 'media', 'cameos'] as const;

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTextEntry(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && !e.altKey) {
        if (key === 'z') {
          e.preventDefault();
          void (e.shiftKey ? redo() : undo());
        } else if (key === 'y' && !e.shiftKey) {
          e.preventDefault();
          void redo();
        } else if (['1', '2', '3', '4'].includes(key)) {
          e.preventDefault();
          useUi.getState().setView(VIEWS[Number(key) - 1]!);
        } else if (key === '=' || key === '+' || key === '-') {
          if (useUi.getState().view !== 'edit') return;
          e.preventDefault();
          zoomBy(key === '-' ? 1 / 1.5 : 1.5);
        }
        return;
      }
      const ui = useUi.getState();
      if (ui.view !== 'edit' || document.querySelector('dialog[open]')) return;
      let handled = true;
      switch (e.key) {
        case ' ':
          togglePlay();
          break;
        case 'j':
        case 'J':
          shuttle('reverse');
          break;
        case 'k':
        case 'K':
          shuttle('stop');
          break;
        case 'l':
        case 'L':
          shuttle('forward');
          break;
        case 'i':
        case 'I':
          markAtPlayhead('in', e.shiftKey ? 'go' : e.altKey ? 'clear' : 'set');
          break;
        case 'o':
        case 'O':
          markAtPlayhead('out', e.shiftKey ? 'go' : e.altKey ? 'clear' : 'set');
          break;
        case 's':
        case 'S':
          void splitAtPlayhead();
          break;
        case 'Delete':
        case 'Backspace':
          void deleteSelected(e.shiftKey);
          break;
        case 'ArrowLeft':
          if (e.shiftKey) ui.setPlayhead(ui.playhead - FLICKS_PER_SECOND);
          else stepFrames(-1);
          break;
        case 'ArrowRight':
          if (e.shiftKey) ui.setPlayhead(ui.playhead + FLICKS_PER_SECOND);
          else stepFrames(1);
          break;
        case 'Home':
          ui.setRate(0);
          ui.setPlayhead(0);
          break;
        case 'End':
          goToEnd();
          break;
        case '+':
        case '=':
          zoomBy(1.5);
          break;
        case '-':
        case '_':
          zoomBy(1 / 1.5);
          break;
        case 'n':
        case 'N':
          ui.toggleSnapping();
          break;
        case 'Escape':
          ui.selectClips([]);
          break;
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
