/**
 * Turns a byte/text stream into lines. ffmpeg writes its log and `-progress` blocks in
 * arbitrary chunks, and its stats line ends in a bare '\r', so all three endings split.
 */
export class LineSplitter {
  private rest = '';

  /** Feeds a chunk; returns the complete lines it finished (without their endings). */
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const parts = text.split(/\r\n|\n|\r/);
    this.rest = parts.pop() ?? '';
    // Empty lines carry nothing, and dropping them means a '\r\n' split across two chunks
    // cannot produce a phantom line.
    return parts.filter((l) => l.length > 0);
  }

  /** Whatever is left once the stream has ended. */
  flush(): string[] {
    const last = this.rest;
    this.rest = '';
    return last.length > 0 ? [last] : [];
  }
}

/** Keeps the last `size` lines, for error reports. */
export class LineTail {
  private readonly lines: string[] = [];
  constructor(private readonly size = 20) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }

  get(): string[] {
    return [...this.lines];
  }
}
