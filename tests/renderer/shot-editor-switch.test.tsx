/**
 * The storyboard keeps one shot editor mounted and changes its shot (issue 14: remounting it
 * per shot was most of Add shot's time). With real services: text typed into one shot and not
 * yet committed (no blur, inside the idle delay, as when a card is clicked while typing) is
 * committed to that shot and to no other; the editor shows the next shot's own title, prompt
 * and duration at once; the panels that follow a render later (voice, generate) end up on the
 * new shot; and switching back shows what was committed.
 */
import path from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Shot } from '../../app/model/types.js';
import { secondsToFlicks } from '../../app/time/flicks.js';
import { createProject } from '../../renderer/src/actions/project.js';
import { edit } from '../../renderer/src/actions/edit.js';
import { api } from '../../renderer/src/client.js';
import { ShotEditor } from '../../renderer/src/components/storyboard/ShotEditor.js';
import { useProject } from '../../renderer/src/state/project.js';
import { shimDialogMethods, startHarness, type Harness } from './harness.js';

let h: Harness;
let a: string;
let b: string;
beforeAll(async () => {
  shimDialogMethods();
  h = await startHarness();
  await createProject(path.join(h.dir, 'film'), 'Switch');
  const add = async (title: string, subject: string, dialogue: { speaker: string; line: string }[]) => {
    const r = await edit({ command: 'shot.add', args: { fields: { title, durationFlicks: secondsToFlicks(3), prompt: { subject, dialogue } } } });
    return Object.keys(r!.patch.shots!)[0]!;
  };
  a = await add('Pier', 'gulls', []);
  b = await add('Market', 'a crowd', [{ speaker: 'Vendor', line: 'Fresh fish' }]);
}, 60_000);
afterAll(() => h?.close());
afterEach(cleanup);

const shotOf = (id: string): Shot => useProject.getState().state!.shots[id]!;
/** What main has stored (not the renderer's mirror). */
const stored = async (id: string) => (await api().call('project.snapshot', {})).state.shots[id]!;

function Host({ id }: { id: string }) {
  const shot = useProject((s) => s.state!.shots[id]!);
  return <ShotEditor shot={shot} index={id === a ? 0 : 1} />;
}

const title = () => screen.getByTestId('shot-title') as HTMLInputElement;
const subject = () => screen.getByTestId('prompt-subject') as HTMLInputElement | HTMLTextAreaElement;
const duration = () => screen.getByTestId('shot-duration') as HTMLInputElement;

describe('one shot editor switching shots', () => {
  it("commits typing to the shot it was typed for and shows the next shot's own fields", async () => {
    const { rerender } = render(<Host id={a} />);
    const editor = screen.getByTestId('shot-editor');
    expect(title().value).toBe('Pier');
    expect(screen.queryByTestId('voice-panel')).toBeNull(); // A has no dialogue

    // Typed, not committed: no blur, and the switch comes well inside the 700 ms idle delay.
    fireEvent.change(title(), { target: { value: 'Pier at dawn' } });
    fireEvent.change(subject(), { target: { value: 'gulls circling' } });
    fireEvent.change(duration(), { target: { value: '9' } });
    expect((await stored(a)).title).toBe('Pier');

    rerender(<Host id={b} />);
    // The same editor, now B's, with B's own values in the same render.
    expect(screen.getByTestId('shot-editor')).toBe(editor);
    expect(editor.dataset.shotId).toBe(b);
    expect(title().value).toBe('Market');
    expect(subject().value).toBe('a crowd');
    expect(duration().value).toBe('3');
    expect(screen.getByTestId('prompt-preview').textContent).not.toContain('gulls circling');
    // The deferred panels follow: B's dialogue gets the voice panel.
    await waitFor(() => expect(screen.getByTestId('voice-panel')).toBeTruthy());
    expect(editor.querySelector('[data-stale]')).toBeNull();

    // A's typing reached A (title and prompt; the duration was never committed), and not B.
    await waitFor(async () => expect((await stored(a)).title).toBe('Pier at dawn'));
    await waitFor(async () => expect((await stored(a)).prompt.subject).toBe('gulls circling'));
    expect((await stored(a)).durationFlicks).toBe(secondsToFlicks(3));
    expect((await stored(b)).title).toBe('Market');
    expect((await stored(b)).prompt.subject).toBe('a crowd');
    expect(shotOf(b).title).toBe('Market');

    // Type into B, switch back: A shows what was committed to it, B keeps its own typing.
    fireEvent.change(title(), { target: { value: 'Market, noon' } });
    rerender(<Host id={a} />);
    expect(title().value).toBe('Pier at dawn');
    expect(subject().value).toBe('gulls circling');
    await waitFor(async () => expect((await stored(b)).title).toBe('Market, noon'));
    expect((await stored(a)).title).toBe('Pier at dawn');
    await waitFor(() => expect(screen.queryByTestId('voice-panel')).toBeNull());
    await act(async () => {});
    expect(title().value).toBe('Pier at dawn');
  });
});
