/**
 * The Viewer's sound through Web Audio: each media element feeds a GainNode (the level export
 * applies: clip volume × keyframes × fades × crossfades × track fader, above 1× included, which
 * an element's own `volume` cannot do) and a StereoPannerNode (the pan law export copies,
 * app/timeline/mix.ts). The panner is fed stereo (a mono file is up-mixed first), as export
 * conforms every source to stereo before panning.
 *
 * Only same-origin media is routed: a cross-origin element without CORS would play silence
 * through Web Audio, so such an element keeps using its own volume (capped at 1×).
 */
export interface Route {
  ctx: AudioContext;
  gain: GainNode;
  pan: StereoPannerNode;
}

let shared: AudioContext | null = null;
const routes = new WeakMap<HTMLMediaElement, Route | null>();

function context(): AudioContext | null {
  if (shared) return shared;
  const Ctor = (window as { AudioContext?: typeof AudioContext }).AudioContext;
  if (!Ctor) return null;
  shared = new Ctor();
  return shared;
}

function sameOrigin(src: string): boolean {
  try {
    return new URL(src, window.location.href).origin === window.location.origin;
  } catch {
    return false;
  }
}

/** The element's route, made on first use (an element can be routed only once); null: not routable. */
export function routeOf(el: HTMLMediaElement): Route | null {
  if (routes.has(el)) return routes.get(el)!;
  const src = el.currentSrc || el.getAttribute('src') || '';
  if (!src || !sameOrigin(src)) return null;
  const ctx = context();
  if (!ctx) return null;
  let route: Route | null = null;
  try {
    const source = ctx.createMediaElementSource(el);
    const upmix = ctx.createGain();
    upmix.channelCount = 2;
    upmix.channelCountMode = 'explicit';
    upmix.channelInterpretation = 'speakers';
    const gain = ctx.createGain();
    const pan = ctx.createStereoPanner();
    source.connect(upmix).connect(gain).connect(pan).connect(ctx.destination);
    route = { ctx, gain, pan };
  } catch {
    route = null;
  }
  routes.set(el, route);
  return route;
}

/**
 * Set the level now and, while playing, ramp to where it will be `ahead` seconds later, so a
 * fade or a keyframe ramp is heard as a ramp between the ~60 Hz updates rather than as steps.
 */
export function applyLevel(route: Route, now: number, next: number | null, ahead: number, pan: number, playing: boolean): void {
  const t = route.ctx.currentTime;
  const g = route.gain.gain;
  g.cancelScheduledValues(t);
  g.setValueAtTime(now, t);
  if (next !== null) g.linearRampToValueAtTime(next, t + ahead);
  route.pan.pan.setValueAtTime(Math.max(-1, Math.min(1, pan)), t);
  if (playing && route.ctx.state === 'suspended') void route.ctx.resume().catch(() => {});
}
