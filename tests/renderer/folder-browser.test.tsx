/**
 * The "Open project…" folder browser, rendered in jsdom against real services: a path the
 * user types before the first listing arrives must survive that listing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FolderBrowser } from '../../renderer/src/components/start/FolderBrowser.js';
import { shimDialogMethods, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  shimDialogMethods();
  h = await startHarness();
});
afterAll(() => h?.close());
afterEach(cleanup);

describe('FolderBrowser', () => {
  it('keeps a path typed before the first listing arrives, and lists it on Enter', async () => {
    const films = path.join(h.dir, 'films');
    fs.mkdirSync(path.join(films, 'night-shoot'), { recursive: true });
    const release = h.hold('fs.list');
    let chosen: string | null = null;
    const view = render(<FolderBrowser mode="project" initialPath={undefined} onChoose={(p) => (chosen = p)} onClose={() => {}} />);
    const field = screen.getByTestId('folder-path') as HTMLInputElement;
    fireEvent.change(field, { target: { value: films } });
    // The start screen's default location arrives after the typing (as on a first start).
    view.rerender(<FolderBrowser mode="project" initialPath={h.dir} onChoose={(p) => (chosen = p)} onClose={() => {}} />);
    await act(async () => release());
    await waitFor(() => expect(screen.queryByText('Loading…')).toBeNull());
    // The first listing arrived after the typing: the field still says what was typed.
    expect(field.value).toBe(films);
    fireEvent.submit(field.closest('form')!);
    await waitFor(() => expect(screen.getAllByTestId('folder-entry').map((e) => e.getAttribute('data-path'))).toEqual([path.join(films, 'night-shoot')]));
    expect(chosen).toBeNull();
  });

  it('a slower, earlier listing does not replace a later one', async () => {
    const a = path.join(h.dir, 'a');
    const b = path.join(h.dir, 'b');
    fs.mkdirSync(path.join(a, 'from-a'), { recursive: true });
    fs.mkdirSync(path.join(b, 'from-b'), { recursive: true });
    const releaseFirst = h.hold('fs.list', { once: true });
    render(<FolderBrowser mode="folder" initialPath={a} onChoose={() => {}} onClose={() => {}} />);
    const field = screen.getByTestId('folder-path') as HTMLInputElement;
    fireEvent.change(field, { target: { value: b } });
    // The first listing (of a) is held; the second (of b) overtakes it and is on show first.
    fireEvent.submit(field.closest('form')!);
    await waitFor(() => expect(screen.getAllByTestId('folder-entry').map((e) => e.getAttribute('data-path'))).toEqual([path.join(b, 'from-b')]));
    // Then the late answer for a arrives: it must not replace b.
    await act(async () => releaseFirst());
    await new Promise((r) => setTimeout(r, 50));
    await waitFor(() => expect(screen.getAllByTestId('folder-entry').map((e) => e.getAttribute('data-path'))).toEqual([path.join(b, 'from-b')]));
    expect(field.value).toBe(b);
  });
});
