/**
 * The last view (Storyboard, Edit, Media) of each project, kept in localStorage, so a reload
 * (or reopening the project later) returns to where the user was instead of the Storyboard.
 * Only the view name is stored, per project folder; nothing of the project itself.
 */
import { useProject } from '../state/project';
import { useUi, type View } from '../state/ui';

const KEY = 'shotline.lastView';
const VIEWS: readonly View[] = ['storyboard', 'edit', 'media', 'cameos'];
const KEEP = 50;

function read(): Record<string, View> {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
    return v && typeof v === 'object' ? (v as Record<string, View>) : {};
  } catch {
    return {};
  }
}

/** The view last shown for the project in `dir`, if one was remembered. */
export function rememberedView(dir: string): View | null {
  const v = read()[dir];
  return v && VIEWS.includes(v) ? v : null;
}

function remember(dir: string, view: View): void {
  try {
    const all = read();
    delete all[dir];
    all[dir] = view;
    const dirs = Object.keys(all);
    for (const old of dirs.slice(0, Math.max(0, dirs.length - KEEP))) delete all[old];
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    /* storage full or disabled: the view is simply not remembered */
  }
}

let installed = false;

/** Start remembering view changes of the open project. Call once at startup. */
export function rememberViews(): void {
  if (installed) return;
  installed = true;
  useUi.subscribe((s, prev) => {
    const dir = useProject.getState().dir;
    if (dir && s.view !== prev.view) remember(dir, s.view);
  });
}
