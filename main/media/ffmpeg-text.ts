/** Pure parsers for ffmpeg's informational output (`-version`, `-filters`). */

/** "ffmpeg version 5.1.9-0+deb12u1 Copyright ..." → "5.1.9-0+deb12u1"; null if not an ffmpeg banner. */
export function parseVersionBanner(text: string): string | null {
  const m = /^\s*ff(?:mpeg|probe) version (\S+)/m.exec(text);
  return m ? (m[1] as string) : null;
}

/**
 * `ffmpeg -filters` lists one filter per line as " TSC name  A->V  description" (flags are
 * three characters of T/S/C or '.'); the legend lines above use a different shape.
 */
export function parseFilterList(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*[T.][S.][C.]\s+(\S+)\s+\S*->\S*\s/.exec(line);
    if (m) names.add(m[1] as string);
  }
  return names;
}
