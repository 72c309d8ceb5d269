/**
 * The generate panel's Reference row when the shot's first frame is a cameo's still (an
 * image-to-video backend, no reference image of its own): it names the cameo and shows its
 * still from the library, instead of "None". Real services (the cameo made with ffmpeg).
 */
import path from 'node:path';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CameoSummary } from '../../app/cameos/types.js';
import type { Shot } from '../../app/model/types.js';
import { secondsToFlicks } from '../../app/time/flicks.js';
import { ReferenceField } from '../../renderer/src/components/generation/ReferenceField.js';
import { api } from '../../renderer/src/client.js';
import { ffmpeg } from '../helpers/media-fixtures.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let shot: Shot;
let maya: CameoSummary;
let kai: CameoSummary;
beforeAll(async () => {
  h = await startHarness();
  const still = path.join(h.dir, 'maya.png');
  await ffmpeg(['-f', 'lavfi', '-i', 'color=c=green:size=64x48', '-frames:v', '1', still]);
  const consent = { subject: 'Maya', audience: 'only-me' as const, covers: 'likeness' as const, signedName: 'Maya', signedOn: '2026-11-01' };
  maya = await api().call('cameos.create', { name: 'Maya Lind', handle: 'maya', consent, sources: { stills: [{ path: still }] } });
  kai = await api().call('cameos.create', { name: 'Kai', handle: 'kai', consent: { ...consent, subject: 'Kai', signedName: 'Kai' }, sources: { stills: [{ path: still }] } });
  await api().call('project.create', { dir: path.join(h.dir, 'film'), name: 'Film' });
  const r = await api().call('edit.apply', { command: 'shot.add', args: { fields: { title: 'Arrival', durationFlicks: secondsToFlicks(2), prompt: { subject: '@maya waves' } } } });
  shot = r.patch.shots![Object.keys(r.patch.shots!)[0]!] as Shot;
}, 120_000);
afterAll(() => h?.close());
afterEach(cleanup);

describe('ReferenceField with a cameo', () => {
  it('names the cameo and shows its library still as the reference', async () => {
    render(<ReferenceField shot={shot} supported overridden={false} cameos={[maya]} />);
    expect(screen.getByTestId('reference-cameo').textContent).toBe('Maya Lind @maya · cameo still');
    // The handle is its own element outside the ellipsized name, so it is never cut to "@ma…".
    const handle = screen.getByTestId('reference-cameo-handle');
    expect(handle.textContent).toBe('@maya');
    expect(handle.closest('.truncate')).toBeNull();
    expect(screen.queryByText(/None: from the prompt alone/)).toBeNull();
    const img = await waitFor(() => screen.getByTestId('reference-cameo-still') as HTMLImageElement);
    expect(img.src).toMatch(/^data:image\/png;base64,/);
    expect(img.alt).toBe('Maya Lind: reference still');
  });

  it('says why there is no single first frame with two cameos, and is "None" on a text-only backend', () => {
    const view = render(<ReferenceField shot={shot} supported overridden={false} cameos={[maya, kai]} />);
    expect(screen.queryByTestId('reference-cameo')).toBeNull();
    expect(screen.getByText('2 cameos: an image-to-video backend takes one still per shot')).toBeTruthy();
    view.rerender(<ReferenceField shot={shot} supported={false} overridden={false} cameos={[maya]} />);
    expect(screen.getByText('None: from the prompt alone')).toBeTruthy();
  });

  it('warns when continuity takes the first frame instead', () => {
    render(<ReferenceField shot={shot} supported overridden cameos={[maya]} />);
    expect(screen.getByText(/the cameo's still cannot be/)).toBeTruthy();
  });
});
