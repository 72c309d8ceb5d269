/**
 * The engine the app holds: a stable object whose ffmpeg can be replaced while the app runs
 * (the user picks another ffmpeg in Preferences). Job handlers, export and generation keep
 * this one reference; each `run` goes to whichever engine is current at that moment.
 */
import type { FfmpegEngine, FfmpegRunOptions } from './engine.js';

export class SwappableEngine implements FfmpegEngine {
  constructor(private current: FfmpegEngine) {}

  /** The engine in use now (never a SwappableEngine). */
  get inner(): FfmpegEngine {
    return this.current;
  }

  swap(next: FfmpegEngine): void {
    this.current = next instanceof SwappableEngine ? next.inner : next;
  }

  get kind() {
    return this.current.kind;
  }
  get version() {
    return this.current.version;
  }
  get path() {
    return this.current.path;
  }
  get ffprobePath() {
    return this.current.ffprobePath;
  }
  get canPipeStdout() {
    return this.current.canPipeStdout;
  }
  hasFilter(name: string): boolean {
    return this.current.hasFilter(name);
  }
  run(opts: FfmpegRunOptions): Promise<void> {
    return this.current.run(opts);
  }
}
