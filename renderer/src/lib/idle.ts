/** Run `fn` when the browser has a moment (requestIdleCallback; a timer where there is none, as in jsdom). */
export function whenIdle(fn: () => void, timeoutMs = 1000): { cancel(): void } {
  if (typeof requestIdleCallback === 'function') {
    const h = requestIdleCallback(fn, { timeout: timeoutMs });
    return { cancel: () => cancelIdleCallback(h) };
  }
  const h = setTimeout(fn, 1);
  return { cancel: () => clearTimeout(h) };
}
