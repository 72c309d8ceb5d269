/** Export presets: what a filmmaker picks in the Export dialog or passes to `shotline export --preset`. */
import type { LoudnessTargetId } from './loudness.js';

export interface ExportPreset {
  id: string;
  label: string;
  width: number;
  height: number;
  /** libx264 preset and CRF. */
  x264Preset: 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium' | 'slow';
  crf: number;
  audioBitrateK: number;
  /** The mix's loudness target (app/export/loudness.ts); 'off' leaves the mix as the editor made it. */
  loudness: LoudnessTargetId;
}

export const EXPORT_PRESETS: readonly ExportPreset[] = [
  { id: '1080p', label: '1080p 16:9 (1920×1080)', width: 1920, height: 1080, x264Preset: 'veryfast', crf: 20, audioBitrateK: 192, loudness: 'off' },
  { id: 'vertical-1080', label: 'Vertical 9:16 (1080×1920, −14 LUFS)', width: 1080, height: 1920, x264Preset: 'veryfast', crf: 20, audioBitrateK: 192, loudness: 'web' },
  { id: 'square-1080', label: 'Square 1:1 (1080×1080, −14 LUFS)', width: 1080, height: 1080, x264Preset: 'veryfast', crf: 20, audioBitrateK: 192, loudness: 'web' },
  { id: 'broadcast-1080', label: 'Broadcast 1080p (EBU R128, −23 LUFS)', width: 1920, height: 1080, x264Preset: 'veryfast', crf: 18, audioBitrateK: 256, loudness: 'broadcast' },
  { id: '720p-draft', label: '720p draft (1280×720, fast)', width: 1280, height: 720, x264Preset: 'ultrafast', crf: 28, audioBitrateK: 128, loudness: 'off' },
];

export type FitMode = 'fit' | 'fill';

export function findPreset(id: string): ExportPreset | undefined {
  return EXPORT_PRESETS.find((p) => p.id === id);
}
