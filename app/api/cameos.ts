/** API inputs and results of the cameo library (app/api/contract.ts wires them in). */
import { z } from 'zod';
import type { CameoSummary, CameoUseEntry } from '../cameos/types.js';
import { userNameProblem } from '../cameos/user-name.js';

const path = z.string().min(1).max(4096);
const cameoId = z.string().min(1).max(64);
const text = (max: number) => z.string().max(max);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Dates are written YYYY-MM-DD.' });

/** A file from the caller: a path (Electron, CLI) or a studio upload. */
const file = z.union([z.object({ path }), z.object({ uploadId: z.string().regex(/^[a-f0-9-]{36}$/), name: z.string().min(1).max(255) })]);

export const consentInput = z
  .object({
    subject: text(200),
    audience: z.enum(['only-me', 'collaborators', 'anyone-shared']),
    collaborators: z.array(text(200)).max(50).default([]),
    covers: z.enum(['likeness', 'voice', 'both']),
    expiresOn: date.nullable().default(null),
    signedName: text(200),
    signedOn: date,
    spokenSentence: text(500).nullable().default(null),
    self: z.boolean().default(false),
  })
  .strict();

export const cameoCreateInput = z
  .object({
    name: text(200),
    handle: text(40),
    description: text(2000).default(''),
    tags: z.array(text(60)).max(30).default([]),
    consent: consentInput,
    sources: z
      .object({
        video: file.optional(),
        stills: z.array(file).max(12).optional(),
        audio: file.optional(),
        /** Seconds into the video of the frames picked on the strip. */
        stillTimes: z.array(z.number().min(0).max(3600)).max(12).optional(),
      })
      .strict(),
  })
  .strict();

export const cameoUpdateInput = z
  .object({ id: cameoId, name: text(200).optional(), handle: text(40).optional(), description: text(2000).optional(), tags: z.array(text(60)).max(30).optional() })
  .strict();

export const cameoIdInput = z.object({ id: cameoId }).strict();
export const cameoRevokeInput = z.object({ id: cameoId, reason: text(500).optional() }).strict();
export const cameoMediaInput = z.object({ id: cameoId, role: z.enum(['source', 'still', 'voice', 'poster']), index: z.number().int().min(0).max(50).default(0) }).strict();
/** `confirmOverwrite`: outPath again, when the user confirmed replacing a file that is not a Shotline export (as export.start). */
export const cameoBundleExportInput = z.object({ id: cameoId, outPath: path, overwrite: z.boolean().default(false), confirmOverwrite: path.optional() }).strict();
export const cameoFileInput = z.object({ file }).strict();
export const cameoUserInput = z
  .object({
    name: text(200).superRefine((n, ctx) => {
      const problem = userNameProblem(n);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  })
  .strict();

export interface CameoDetail {
  cameo: CameoSummary;
  uses: CameoUseEntry[];
  /** Characters made from it on endpoints (kept by those servers: the protocol has no delete). */
  remote: { endpointId: string; endpointName: string; characterId: string }[];
}

export interface CameoRevokeResult {
  cameo: CameoSummary;
  deletedFiles: number;
  /** Takes marked in the open project (other projects are marked when opened). */
  markedTakes: number;
  /** What could not be deleted remotely, and why. */
  remoteCopies: { endpointName: string; characterId: string; note: string }[];
  /**
   * ComfyUI servers that were sent its still or voice as input files (they stay there), the
   * names the server gave them (empty for uploads made before Shotline recorded names), and what
   * to do.
   */
  remoteFiles: { endpointName: string; baseUrl: string | null; files: string[]; note: string }[];
}

export interface CameoUserInfo {
  name: string;
  keyId: string | null;
}

export interface CameoMediaData {
  mime: string;
  /** data: URL of the file (stills, poster, voice sample are small). */
  dataUrl: string;
}
