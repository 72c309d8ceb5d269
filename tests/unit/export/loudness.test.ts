/**
 * The pure half of loudness (app/export/loudness.ts): the loudnorm filter texts and the parsers
 * of what ffmpeg prints. What a broken version gets wrong: a first pass whose JSON is read from
 * the wrong block, a second pass that loudnorm would run in dynamic mode for a flat mix, a
 * missing resample after loudnorm (192 kHz out), the AAC headroom dropped.
 */
import { describe, expect, it } from 'vitest';
import { loudnessTarget, loudnormApplyFilter, loudnormMeasureFilter, LOUDNESS_TARGETS, parseEbur128Frame, parseEbur128Summary, parseLoudnormJson } from '../../../app/export/loudness.js';
import { EXPORT_PRESETS, findPreset } from '../../../app/export/presets.js';

const LOUDNORM_LOG = `[Parsed_loudnorm_0 @ 0x55] 
{
	"input_i" : "-47.85",
	"input_tp" : "-47.06",
	"input_lra" : "0.00",
	"input_thresh" : "-57.85",
	"output_i" : "-13.95",
	"output_tp" : "-13.21",
	"output_lra" : "0.00",
	"output_thresh" : "-23.95",
	"normalization_type" : "dynamic",
	"target_offset" : "-0.05"
}`;

describe('loudness targets and filters', () => {
  it('the 9:16 preset is web (−14 LUFS / −1 dBTP), broadcast is EBU R128, the rest off', () => {
    expect(findPreset('vertical-1080')!.loudness).toBe('web');
    expect(findPreset('broadcast-1080')!.loudness).toBe('broadcast');
    expect(findPreset('1080p')!.loudness).toBe('off');
    expect(LOUDNESS_TARGETS.web).toMatchObject({ integrated: -14, truePeak: -1 });
    expect(LOUDNESS_TARGETS.broadcast).toMatchObject({ integrated: -23, truePeak: -1 });
    expect(loudnessTarget('off')).toBeNull();
    for (const p of EXPORT_PRESETS) expect(['web', 'broadcast', 'off']).toContain(p.loudness);
  });

  it('pass 1 measures against the target with AAC headroom; pass 2 applies the measured values linearly and resamples', () => {
    expect(loudnormMeasureFilter(LOUDNESS_TARGETS.web)).toBe('loudnorm=I=-14:TP=-2.00:LRA=50:print_format=json');
    const m = parseLoudnormJson(LOUDNORM_LOG)!;
    expect(m).toMatchObject({ integrated: -47.85, truePeak: -47.06, lra: 0, threshold: -57.85, targetOffset: -0.05, normalizationType: 'dynamic' });
    const f = loudnormApplyFilter(LOUDNESS_TARGETS.broadcast, m, 48000);
    expect(f).toContain('loudnorm=I=-23:TP=-2.00:LRA=50:measured_I=-47.85:measured_TP=-47.06');
    // A flat mix (LRA 0) must not read as "not measured" (loudnorm's default), or linear mode is lost.
    expect(f).toContain(':measured_LRA=0.01:');
    expect(f).toContain(':linear=true');
    expect(f.endsWith(',aresample=48000')).toBe(true);
  });

  it('reads the last JSON block only, and nothing from a log without one', () => {
    expect(parseLoudnormJson('no json here')).toBeNull();
    const twice = `${LOUDNORM_LOG.replace('-47.85', '-10.00')}\n${LOUDNORM_LOG}`;
    expect(parseLoudnormJson(twice)!.integrated).toBe(-47.85);
  });

  it("parses ebur128's frame lines and summary (true peak included), silence as -inf", () => {
    expect(parseEbur128Frame('[Parsed_ebur128_0 @ 0x1] t: 3.1      TARGET:-23 LUFS    M: -25.1 S: -26.3     I: -25.0 LUFS       LRA:   0.0 LU  FTPK: -3.0 -3.0 dBFS  TPK: -3.0 -3.0 dBFS')).toEqual({ t: 3.1, shortTerm: -26.3 });
    expect(parseEbur128Frame('t: 0.1 TARGET:-23 LUFS M:-120.7 S:-inf I: -70.0 LUFS')).toEqual({ t: 0.1, shortTerm: -Infinity });
    expect(parseEbur128Frame('Stream mapping:')).toBeNull();
    const summary = `[Parsed_ebur128_0 @ 0x1] Summary:

  Integrated loudness:
    I:         -19.5 LUFS
    Threshold: -29.6 LUFS

  Loudness range:
    LRA:         4.2 LU
    Threshold: -39.6 LUFS

  True peak:
    Peak:        -1.3 dBFS`;
    expect(parseEbur128Summary(summary)).toEqual({ integrated: -19.5, lra: 4.2, truePeak: -1.3 });
    expect(() => parseEbur128Summary('nothing')).toThrow(/did not report the loudness/);
  });
});
