/**
 * A cameo whose consent covers only the voice: the shot asks for its voice where it is named
 * in the dialogue / Audio field or picked, and for its likeness only where a picture field names
 * it (app/cameos/asks.ts); the delivery plan sends it to a voice input, or only names it where
 * the backend takes no voice (its lines are voiced by "Voice dialogue"), and never lets it take
 * the first frame. On the code before this change every cameo was asked for its likeness.
 */
import { describe, expect, it } from 'vitest';
import { shotCameoAsks } from '../../../app/cameos/asks.js';
import { planCameoDelivery } from '../../../app/cameos/delivery.js';
import { composeCameoPrompt } from '../../../app/cameos/prompt.js';
import { cameo } from './fixtures.js';

const ines = cameo({ id: 'c_ines', handle: 'ines', name: 'Ines', description: 'tall, red coat' }, { covers: 'voice', subject: 'Ines' });
const maya = cameo({ id: 'c_maya' });
const lib = [ines, maya];
const local = { label: 'Local pack', characters: false, referenceImage: true, voice: false };
const s2v = { ...local, label: 'Box s2v', voice: true };

describe('which part a shot asks of each cameo', () => {
  it('a voice-only consent named as a speaker, in a line, in the Audio field or picked: its voice', () => {
    const { asks, problems } = shotCameoAsks([{ subject: '@maya waves', dialogue: [{ speaker: '@ines', line: 'Hello there' }] }], [], lib);
    expect(problems).toEqual([]);
    expect(asks.map((a) => [a.cameo.handle, a.part, a.inPicture, a.inSound])).toEqual([
      ['maya', 'likeness', true, false],
      ['ines', 'voice', false, true],
    ]);
    expect(shotCameoAsks([{ audio: '@ines hums' }], [], lib).asks[0]).toMatchObject({ part: 'voice', inSound: true });
    expect(shotCameoAsks([{}], ['c_ines'], lib).asks[0]).toMatchObject({ part: 'voice', inSound: false });
  });
  it('named in a picture field: its likeness is asked (so its consent check refuses it)', () => {
    for (const field of ['subject', 'action', 'setting', 'camera', 'lighting', 'style'] as const)
      expect(shotCameoAsks([{ [field]: 'and @ines' }], [], lib).asks[0]).toMatchObject({ part: 'likeness', inPicture: true });
    // Seen and heard: still the likeness.
    expect(shotCameoAsks([{ subject: '@ines', dialogue: [{ speaker: '@ines', line: 'Hi' }] }], [], lib).asks[0]).toMatchObject({ part: 'likeness', inPicture: true, inSound: true });
  });
  it('a cameo with likeness consent is asked for its likeness wherever it is named (as before)', () => {
    expect(shotCameoAsks([{ dialogue: [{ speaker: '@maya', line: 'Hi' }] }], [], lib).asks[0]).toMatchObject({ part: 'likeness' });
  });
  it('unknown handles in the dialogue are problems too', () => {
    expect(shotCameoAsks([{ dialogue: [{ speaker: '@nobody', line: 'Hi' }] }], [], lib).problems[0]!.message).toBe('No cameo has the handle @nobody.');
  });
});

describe('delivery of a cameo that is only heard', () => {
  const m = { id: 'c_maya', handle: 'maya', hasStill: true, hasVoice: true };
  const i = { id: 'c_ines', handle: 'ines', hasStill: true, hasVoice: true, wants: 'voice' as const, inSound: true };
  it('to a voice input; the cameo seen keeps the first frame and lends no voice', () => {
    expect(planCameoDelivery([m, i], s2v, null)).toEqual([
      { cameoId: 'c_maya', delivery: 'reference-image', parts: ['likeness'] },
      { cameoId: 'c_ines', delivery: 'voice', parts: ['voice'] },
    ]);
    // Alone on a voice workflow with the shot's own reference image: nothing competes for the first frame.
    expect(planCameoDelivery([i], s2v, 'its reference image')).toEqual([{ cameoId: 'c_ines', delivery: 'voice', parts: ['voice'] }]);
  });
  it('named only where the backend takes no voice, if it speaks a line; refused if it is only picked', () => {
    expect(planCameoDelivery([m, i], local, null)).toEqual([
      { cameoId: 'c_maya', delivery: 'reference-image', parts: ['likeness'] },
      { cameoId: 'c_ines', delivery: 'none', parts: [] },
    ]);
    // A text-only backend is fine too: nothing of hers goes to it.
    expect(planCameoDelivery([i], { ...local, referenceImage: false }, null)).toEqual([{ cameoId: 'c_ines', delivery: 'none', parts: [] }]);
    expect(() => planCameoDelivery([{ ...i, inSound: false }], local, null)).toThrow(/@ines is in this shot for the voice only, and "Local pack" takes no voice sample/);
  });
  it('two voices for one voice input are refused by name', () => {
    expect(() => planCameoDelivery([i, { ...i, id: 'c2', handle: 'kai' }], s2v, null)).toThrow(/one voice sample per shot, so @ines and @kai cannot both be heard/);
  });
  it('the composed prompt names a heard cameo without "Featuring" or appearance notes', () => {
    const p = (delivery: 'voice' | 'none') => ({ handle: 'ines', name: 'Ines', description: 'tall, red coat', delivery });
    expect(composeCameoPrompt('@ines: "Hello there"', [p('voice')])).toBe('Ines: "Hello there"');
    expect(composeCameoPrompt('a quiet sea', [p('none')])).toBe('a quiet sea');
  });
});
