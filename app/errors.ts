/**
 * Errors meant for the user: what went wrong, and what to do about it. Every layer
 * throws these for expected failures; transports carry code, message and hint intact.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'invalid_edit'
  | 'not_found'
  | 'no_project'
  | 'project_exists'
  | 'project_too_new'
  | 'project_unreadable'
  | 'media_unreadable'
  | 'ffmpeg_failed'
  | 'disk_full'
  | 'canceled'
  | 'unauthorized'
  /** A dangerous action (overwriting a foreign file, a new ffmpeg program) the user must confirm. */
  | 'confirmation_required'
  | 'unsupported'
  /** A cameo's consent does not allow this use (revoked, expired, not covered, not permitted, media changed). */
  | 'consent_refused'
  | 'internal';

export class ShotlineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ShotlineError';
  }
  toJSON(): SerializedError {
    return { code: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}) };
  }
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  hint?: string;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof ShotlineError) return e.toJSON();
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message };
}

export function invalidEdit(message: string, hint?: string): ShotlineError {
  return new ShotlineError('invalid_edit', message, hint);
}
