import type { OtioImportReport } from './otio-read.js';

/** The interchange formats Shotline writes, shared by the export dialog, the API and the CLI. */
export interface WriterResult {
  /** The file's whole text. */
  text: string;
  /** What the format could not carry, in words for the user. */
  warnings: string[];
}

export type InterchangeFormat = 'otio' | 'fcpxml' | 'edl' | 'mlt';

export const INTERCHANGE_FORMATS: readonly { id: InterchangeFormat; label: string; extension: string; for: string }[] = [
  { id: 'otio', label: 'OpenTimelineIO (.otio)', extension: '.otio', for: 'Resolve, Premiere (via plugin), Avid, any OTIO tool' },
  { id: 'fcpxml', label: 'Final Cut Pro XML 1.10 (.fcpxml)', extension: '.fcpxml', for: 'Final Cut Pro, DaVinci Resolve' },
  { id: 'edl', label: 'CMX3600 EDL (.edl)', extension: '.edl', for: 'any editor; one video track, cuts only' },
  { id: 'mlt', label: 'MLT XML (.mlt)', extension: '.mlt', for: 'Kdenlive, Shotcut, melt' },
];

export function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

/** What writing an interchange file answers (API `export.interchange`). */
export interface InterchangeExportResult {
  outPath: string;
  format: InterchangeFormat;
  /** Folder the media was copied into ("copy media next to it"), else null. */
  mediaDir: string | null;
  mediaFiles: number;
  warnings: string[];
}

export const INTERCHANGE_FORMAT_IDS = ['otio', 'fcpxml', 'edl', 'mlt'] as const;

/** What importing an OTIO file answers: the plan's report plus how media was found. */
export interface OtioImportResultReport extends OtioImportReport {
  relinked: { byPath: number; byName: string[] };
  /** target_urls that were found neither by path nor by name. */
  missing: string[];
}
