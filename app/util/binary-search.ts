/**
 * Binary search over a list kept sorted: the first index whose element is not `before` the
 * point sought (`before` true for a prefix of the list, false for the rest). The one search
 * behind the app's sorted per-track clip index and the renderer's sorted groups.
 */
export function firstNotBefore<T>(list: readonly T[], before: (x: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
