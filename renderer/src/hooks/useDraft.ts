/**
 * A text field's draft: typing changes only local state; the value is committed once
 * on blur or after a short idle, never per keystroke. While the field is clean, changes
 * from elsewhere (undo, another window) flow in.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export function useDraft<T>(value: T, commit: (v: T) => void, idleMs = 700, equal: (a: T, b: T) => boolean = Object.is) {
  const [draft, setDraft] = useState<T>(value);
  const dirty = useRef(false);
  const draftRef = useRef(draft);
  const commitRef = useRef(commit);
  const valueRef = useRef(value);
  const equalRef = useRef(equal);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  commitRef.current = commit;
  valueRef.current = value;
  equalRef.current = equal;

  useEffect(() => {
    if (!dirty.current) {
      draftRef.current = value;
      setDraft(value);
    }
  }, [value]);

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (!dirty.current) return;
    dirty.current = false;
    if (!equalRef.current(draftRef.current, valueRef.current)) commitRef.current(draftRef.current);
  }, []);

  const change = useCallback(
    (next: T) => {
      draftRef.current = next;
      dirty.current = true;
      setDraft(next);
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(flush, idleMs);
    },
    [flush, idleMs],
  );

  // Leaving (another shot selected, view switched) commits what was typed.
  useEffect(() => () => flush(), [flush]);

  return { draft, change, flush };
}
