/**
 * A text field's draft: typing changes only local state; the value is committed once
 * on blur or after a short idle, never per keystroke. While the field is clean, changes
 * from elsewhere (undo, another window) flow in.
 *
 * `scope` names what the draft belongs to (a shot id) when one mounted field is reused for
 * another one (the storyboard keeps one shot editor and changes its shot: remounting it per
 * shot was most of Add shot's time, issue 14). When the scope changes, what was typed is
 * committed with the old scope's `commit` against the old value, and the field shows the new
 * scope's value from the first render on: nothing typed for one shot carries over to another.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

export function useDraft<T>(value: T, commit: (v: T) => void, idleMs = 700, equal: (a: T, b: T) => boolean = Object.is, scope?: string) {
  const [state, setState] = useState<{ scope: string | undefined; draft: T }>({ scope, draft: value });
  // A draft of another scope is never shown: until typed into, the new scope shows its value.
  const draft = state.scope === scope ? state.draft : value;
  const dirty = useRef(false);
  const draftRef = useRef(draft);
  // What a flush commits with and against: the scope on screen. Updated after each commit
  // (not during render), so a scope change can still flush into the old scope's commit.
  const current = useRef({ scope, value, commit, equal });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (!dirty.current) return;
    dirty.current = false;
    const { value: v, commit: c, equal: eq } = current.current;
    if (!eq(draftRef.current, v)) c(draftRef.current);
  }, []);

  useLayoutEffect(() => {
    if (current.current.scope !== scope) {
      flush(); // the old scope's typing, into the old scope
      draftRef.current = value;
    }
    current.current = { scope, value, commit, equal };
  });

  useEffect(() => {
    if (dirty.current || current.current.equal(draftRef.current, value)) return;
    draftRef.current = value;
    setState({ scope: current.current.scope, draft: value });
  }, [value]);

  const change = useCallback(
    (next: T) => {
      draftRef.current = next;
      dirty.current = true;
      setState({ scope: current.current.scope, draft: next });
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(flush, idleMs);
    },
    [flush, idleMs],
  );

  // Leaving (the editor closed, view switched) commits what was typed.
  useEffect(() => () => flush(), [flush]);

  return { draft, change, flush };
}
