/**
 * The user's own name in the cameo library: what "only me" means on a consent they record, and
 * the name a collaborator's "named collaborators" list is matched against. Pure validation,
 * shared by the bridge schema (app/api/cameos.ts) and the form that sets it.
 */
export const USER_NAME_MAX = 120;

/** Why `name` cannot be the user's name, or null when it can. */
export function userNameProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return 'Type your name: it is who “Only me” means, and the name collaborators’ lists are matched against.';
  if (n.length > USER_NAME_MAX) return `A name of at most ${USER_NAME_MAX} characters, please.`;
  if (/[\u0000-\u001f\u007f]/.test(n)) return 'The name has a control character (a tab or line break); type it on one line.';
  if (n.startsWith('@')) return 'Your own name, not an @handle (handles are for cameos in prompts).';
  return null;
}
