/**
 * The 'generate' job's payload and result: written by main (main/services/generation.ts),
 * read by the renderer to show pending takes. Declared here so both sides share one shape.
 */
import type { PayloadCameo } from '../cameos/delivery.js';
import type { ResolvedRequest } from './request.js';

export interface GeneratePayload {
  v: 1;
  shotId: string;
  /** "Take N": also this job's mark on the take it registers (see findOwnTake). */
  label: string;
  remixOf: string | null;
  backendId: string;
  model: string;
  modelVersion: string;
  /** Fully resolved (defaults applied); media inputs by asset id. */
  request: ResolvedRequest;
  inputs: {
    reference?: { assetId: string; sha256: string; lastFrame: boolean };
    remixSource?: { assetId: string; sha256: string };
    /** A cameo's still from the cameo library as the first frame (instead of a project asset). */
    cameoReference?: { cameoId: string; sha256: string; ext: string };
    /** A cameo's voice sample from the cameo library, for a backend with a voice input. */
    cameoVoice?: { cameoId: string; sha256: string; ext: string };
  };
  requestHash: string;
  /** The cameos in this take, how each is delivered, and the consent record each was checked against. */
  cameos?: PayloadCameo[];
}

export interface GenerateJobResult {
  takeId: string;
  assetId: string;
  /** True when an identical earlier request's clip was reused (no model run). */
  cached: boolean;
  seed: number;
  executionProvider?: string;
  secondsTaken?: number;
}
