/** A terminal progress line: redrawn in place on a TTY, a line every 10% otherwise (CI logs). */
export function createProgressBar(stream: NodeJS.WriteStream, label: string) {
  let lastDecile = -1;
  return {
    update(fraction: number, etaSeconds: number | null, message = '') {
      const pct = Math.max(0, Math.min(100, Math.round(fraction * 100)));
      const eta = etaSeconds === null || !Number.isFinite(etaSeconds) ? '' : ` ~${Math.ceil(etaSeconds)}s left`;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round((pct / 100) * width);
        stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}%${eta} ${message}`.slice(0, (stream.columns || 100) - 1).padEnd(Math.min(99, (stream.columns || 100) - 1)));
      } else if (Math.floor(pct / 10) > lastDecile) {
        lastDecile = Math.floor(pct / 10);
        stream.write(`${label} ${pct}%${eta}\n`);
      }
    },
    done(text: string) {
      if (stream.isTTY) stream.write('\r' + ' '.repeat(Math.min(99, (stream.columns || 100) - 1)) + '\r');
      stream.write(text + '\n');
    },
  };
}
