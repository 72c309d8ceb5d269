/** Every edit a user can make, by name. The API's `edit.apply` is validated against this table. */
import { z } from 'zod';
import * as storyboard from './storyboard.js';
import * as timeline from './timeline.js';
import { settingsUpdate } from './settings.js';
import * as color from './color.js';
import { clipSetStabilize } from './stabilize.js';
import * as recut from './recut.js';
import * as timing from './effects-timing.js';
import { dialoguePlace } from './dialogue.js';
import * as audio from './audio.js';
import { withLinkedFollow } from './follow-links.js';

export const commands = {
  'settings.update': settingsUpdate,
  'shot.add': storyboard.shotAdd,
  'shot.update': storyboard.shotUpdate,
  'shot.duplicate': storyboard.shotDuplicate,
  'shot.move': storyboard.shotMove,
  'shot.remove': storyboard.shotRemove,
  'take.add': storyboard.takeAdd,
  'take.choose': storyboard.takeChoose,
  'take.remove': storyboard.takeRemove,
  'timeline.assemble': timeline.timelineAssemble,
  'clip.add': timeline.clipAdd,
  'clip.move': timeline.clipMove,
  'clip.trim': timeline.clipTrim,
  'clip.split': timeline.clipSplit,
  'clip.remove': timeline.clipRemove,
  'clip.setEffects': timeline.clipSetEffects,
  'clip.setGrade': color.clipSetGrade,
  'clip.pasteGrade': color.clipPasteGrade,
  'clip.setStabilize': clipSetStabilize,
  'clip.slip': withLinkedFollow(recut.clipSlip),
  'clip.roll': withLinkedFollow(recut.clipRoll),
  'clip.keepRange': withLinkedFollow(recut.clipKeepRange),
  'clip.trimSource': withLinkedFollow(recut.clipTrimSource),
  'clip.setSpeed': withLinkedFollow(timing.clipSetSpeed),
  'clip.setLoop': withLinkedFollow(timing.clipSetLoop),
  'clip.applyLoopPoint': withLinkedFollow(timing.clipApplyLoopPoint),
  'gradePreset.save': color.gradePresetSave,
  'gradePreset.delete': color.gradePresetDelete,
  'track.add': timeline.trackAdd,
  'track.update': timeline.trackUpdate,
  'dialogue.place': dialoguePlace,
  'track.remove': audio.trackRemove,
  'clip.detachAudio': audio.clipDetachAudio,
  'clip.link': audio.clipLink,
  'clip.unlink': audio.clipUnlink,
  'clip.setGainKeyframes': audio.clipSetGainKeyframes,
  'clip.crossfade': audio.clipCrossfade,
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandArgs<N extends CommandName> = z.input<Commands[N]['args']>;

/** `{ command, args }` for any command, validated by the command's own schema. */
export type EditRequest = { [N in CommandName]: { command: N; args: CommandArgs<N> } }[CommandName];

const names = Object.keys(commands) as [CommandName, ...CommandName[]];

export const editRequestSchema = z.object({ command: z.enum(names), args: z.unknown() }).transform((req, ctx) => {
  const parsed = (commands[req.command].args as z.ZodType).safeParse(req.args ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: ['args', ...issue.path] } as never);
    return z.NEVER;
  }
  return { command: req.command, args: parsed.data } as { command: CommandName; args: unknown };
});
