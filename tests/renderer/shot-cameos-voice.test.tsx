/**
 * The prompt panel's cameos as main plans them (app/cameos/asks.ts), with real services: a
 * cameo whose consent covers only the voice, named as a dialogue speaker, shows "voice only" on
 * its chip, gets no appearance notes in the composed prompt, and is not offered as the shot's
 * first frame (the seen cameo's still is).
 */
import path from 'node:path';
import { cleanup, render, renderHook, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CameoSummary } from '../../app/cameos/types.js';
import type { Shot } from '../../app/model/types.js';
import { secondsToFlicks } from '../../app/time/flicks.js';
import { ShotCameos, useShotCameos } from '../../renderer/src/components/cameos/ShotCameos.js';
import { loadCameos } from '../../renderer/src/actions/cameos.js';
import { api } from '../../renderer/src/client.js';
import { ffmpeg } from '../helpers/media-fixtures.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let shot: Shot;
let ines: CameoSummary;
let kai: CameoSummary;
beforeAll(async () => {
  h = await startHarness();
  const still = path.join(h.dir, 'face.png');
  const voice = path.join(h.dir, 'voice.wav');
  await ffmpeg(['-f', 'lavfi', '-i', 'color=c=green:size=64x48', '-frames:v', '1', still]);
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=300:duration=2', '-ar', '48000', voice]);
  const consent = { subject: 'Ines', audience: 'only-me' as const, covers: 'voice' as const, signedName: 'Ines', signedOn: '2026-11-01' };
  ines = await api().call('cameos.create', { name: 'Ines', handle: 'ines', description: 'tall, red coat', consent, sources: { stills: [{ path: still }], audio: { path: voice } } });
  kai = await api().call('cameos.create', { name: 'Kai', handle: 'kai', description: 'grey beard', consent: { ...consent, subject: 'Kai', signedName: 'Kai', covers: 'likeness' }, sources: { stills: [{ path: still }] } });
  await loadCameos();
  await api().call('project.create', { dir: path.join(h.dir, 'film'), name: 'Film' });
  const r = await api().call('edit.apply', { command: 'shot.add', args: { fields: { title: 'Pier', durationFlicks: secondsToFlicks(2), prompt: { subject: '@kai listens', dialogue: [{ speaker: '@ines', line: 'Over here' }] } } } });
  shot = r.patch.shots![Object.keys(r.patch.shots!)[0]!] as Shot;
}, 120_000);
afterAll(() => h?.close());
afterEach(cleanup);

describe('a voice-only cameo in the prompt panel', () => {
  it('is marked "voice only", adds no appearance notes, and is not a first-frame candidate', () => {
    render(<ShotCameos shot={shot} prompt={shot.prompt} />);
    const chips = screen.getAllByTestId('shot-cameo');
    expect(chips.map((c) => [c.dataset.handle, c.querySelector('.muted')?.textContent])).toEqual([
      ['kai', 'in prompt'],
      ['ines', 'voice only'],
    ]);
    const { result } = renderHook(() => useShotCameos(shot, shot.prompt));
    expect(result.current.seen.map((c) => c.id)).toEqual([kai.id]);
    expect(result.current.composed).toContain('Kai: grey beard.');
    expect(result.current.composed).toContain('Ines: "Over here"');
    expect(result.current.composed).not.toContain('red coat');
    expect(ines.consent.covers).toBe('voice');
  });
});
