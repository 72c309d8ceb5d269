/**
 * Runs commands against a state and keeps the undo history as a log of patches.
 * Pure: no I/O. main/ wraps it to persist each step in one transaction.
 */
import { ShotlineError } from '../errors.js';
import type { ProjectState } from '../model/types.js';
import type { CommandContext } from './define.js';
import { invertPatch, isEmptyPatch, type Patch } from './patch.js';
import { commands, type CommandName } from './registry.js';

/** One committed edit: what it did and how to take it back. */
export interface HistoryEntry {
  seq: number;
  label: string;
  command: CommandName;
  args: unknown;
  patch: Patch;
  inverse: Patch;
}

export interface Executed {
  entry: Omit<HistoryEntry, 'seq'>;
}

/**
 * Validate args and run the command: returns its patch and the inverse, without changing
 * `state`. The caller applies the patch (immutably, or in place once it is persisted).
 */
export function execute(state: ProjectState, command: CommandName, rawArgs: unknown, ctx: CommandContext): Executed {
  const def = commands[command];
  if (!def) throw new ShotlineError('invalid_input', `Unknown edit "${String(command)}".`);
  const parsed = def.args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ShotlineError('invalid_input', `Invalid ${command}: ${first?.path.join('.') || 'args'}: ${first?.message}`);
  }
  const patch = (def.run as (s: ProjectState, a: unknown, c: CommandContext) => Patch)(state, parsed.data, ctx);
  const inverse = invertPatch(state, patch);
  return { entry: { label: def.label, command, args: parsed.data, patch, inverse } };
}

export function isNoop(e: Executed): boolean {
  return isEmptyPatch(e.entry.patch);
}

export interface HistoryInfo {
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
}
