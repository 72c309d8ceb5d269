/**
 * Run `fn` once the next frame has been rendered (style, layout, paint): a message posted
 * from a requestAnimationFrame callback is handled after that frame's rendering steps.
 * For work that reads layout (focus, select, scrolling) after an edit: done before the
 * frame, it forces a synchronous layout of the whole page and the edit shows that much
 * later; done here, the layout is already clean and the frame is not held up (issue 14).
 * Returns a cancel function (for an effect's cleanup).
 */
export function afterPaint(fn: () => void): () => void {
  let cancelled = false;
  const ch = new MessageChannel();
  ch.port1.onmessage = () => {
    ch.port1.close();
    if (!cancelled) fn();
  };
  const raf = requestAnimationFrame(() => ch.port2.postMessage(null));
  return () => {
    cancelled = true;
    cancelAnimationFrame(raf);
    ch.port1.close();
  };
}
