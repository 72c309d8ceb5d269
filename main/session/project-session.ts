/**
 * An open project: its store, the in-memory state (the one the commands run against),
 * and its job queue. Every mutation goes through here so state, disk and events agree.
 */
import { randomBytes } from 'node:crypto';
import type { ApiEvent, EditResult } from '../../app/api/contract.js';
import { execute } from '../../app/commands/engine.js';
import { applyPatchInPlace, isEmptyPatch, PatchBuilder, type Patch } from '../../app/commands/patch.js';
import type { CommandName } from '../../app/commands/registry.js';
import { ShotlineError } from '../../app/errors.js';
import type { ProjectState } from '../../app/model/types.js';
import { JobQueue, type JobHandler } from '../jobs/queue.js';
import type { JobKind } from '../../app/jobs/types.js';
import type { ProjectStore } from '../store/project-store.js';

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

/** The tracks every new project starts with: one video, one audio. */
export function defaultTracks(): Patch {
  return new PatchBuilder()
    .set('tracks', { id: newId('track'), kind: 'video', index: 0, name: 'V1', muted: false })
    .set('tracks', { id: newId('track'), kind: 'audio', index: 0, name: 'A1', muted: false }).patch;
}

export class ProjectSession {
  state: ProjectState;
  readonly queue: JobQueue;

  constructor(
    readonly store: ProjectStore,
    handlers: Partial<Record<JobKind, JobHandler>>,
    private readonly emit: (e: ApiEvent) => void,
  ) {
    this.state = store.loadState();
    this.queue = new JobQueue(store.db, handlers, { cpu: 1, gpu: 1, network: 4 }, (job) => emit({ type: 'job.updated', job }));
  }

  get dir(): string {
    return this.store.dir;
  }

  /** Run an edit: validate, apply, persist in one transaction, broadcast. */
  edit(command: CommandName, args: unknown): EditResult {
    const done = execute(this.state, command, args, { newId });
    if (isEmptyPatch(done.entry.patch)) return { patch: {}, history: this.store.historyInfo() };
    // Persist first: if the commit fails (disk full, constraint), memory is untouched too.
    this.store.commit(done.entry);
    applyPatchInPlace(this.state, done.entry.patch);
    return this.broadcast(done.entry.patch);
  }

  undo(): EditResult {
    const entry = this.store.undo();
    if (!entry) throw new ShotlineError('invalid_edit', 'Nothing to undo.');
    applyPatchInPlace(this.state, entry.inverse);
    return this.broadcast(entry.inverse);
  }

  redo(): EditResult {
    const entry = this.store.redo();
    if (!entry) throw new ShotlineError('invalid_edit', 'Nothing to redo.');
    applyPatchInPlace(this.state, entry.patch);
    return this.broadcast(entry.patch);
  }

  /** A change that is not a user edit (an import, a finished thumbnail): saved, not undoable. */
  systemPatch(patch: Patch): void {
    this.store.applySystemPatch(patch);
    applyPatchInPlace(this.state, patch);
    this.broadcast(patch);
  }

  /** A new project starts with one video and one audio track. */
  ensureDefaultTracks(): void {
    if (Object.keys(this.state.tracks).length > 0) return;
    this.systemPatch(defaultTracks());
  }

  private broadcast(patch: Patch): EditResult {
    const result = { patch, history: this.store.historyInfo() };
    this.emit({ type: 'project.changed', ...result });
    return result;
  }

  async close(): Promise<void> {
    await this.queue.stop();
    this.store.close();
  }
}
