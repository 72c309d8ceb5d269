import type { z } from 'zod';
import type { ProjectState } from '../model/types.js';
import type { Patch } from './patch.js';

/** What a command may use besides state and args: injected so commands stay pure and tests deterministic. */
export interface CommandContext {
  newId(prefix: string): string;
}

export interface CommandDef<S extends z.ZodType> {
  /** Shown in Edit > Undo "…". */
  label: string;
  args: S;
  /** Pure: returns the patch to apply, or throws ShotlineError('invalid_edit'). */
  run(state: ProjectState, args: z.infer<S>, ctx: CommandContext): Patch;
}

export function defineCommand<S extends z.ZodType>(def: CommandDef<S>): CommandDef<S> {
  return def;
}
