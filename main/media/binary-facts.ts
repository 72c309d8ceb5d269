/**
 * What Shotline learns by running an ffmpeg/ffprobe binary (`-version`, `-filters`), kept in a
 * small JSON file in the user-data folder so a process does not spawn the binaries again to
 * ask: three spawns cost each `shotline export` ≈ 0.3 s of CPU (docs/benchmarks.md).
 *
 * An entry is trusted only while the binary's stat (size, mtime, ctime, inode) is unchanged, so
 * a replaced or upgraded binary is asked again. Only answers that worked are stored: a binary
 * that did not answer like ffmpeg is asked again next time. The file is a cache: unreadable or
 * malformed, it is ignored, and so is any one fact of the wrong shape (a hand-edited
 * `"filters": "lut3d"` would otherwise answer every hasFilter with a substring test); it is
 * written whole to a temp name and renamed, and a failed write is ignored.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface BinaryFacts {
  version?: string;
  filters?: string[];
}

interface Entry extends BinaryFacts {
  stamp: string;
}

/** What each fact must look like to be trusted. */
const FACT_SCHEMAS = {
  version: z.string().min(1),
  filters: z.array(z.string()),
} satisfies { [K in keyof BinaryFacts]-?: z.ZodType<NonNullable<BinaryFacts[K]>> };

/** Where the facts are kept; null: not kept (each process asks the binaries). */
export type FactsFile = string | null | undefined;

async function stampOf(bin: string): Promise<string | null> {
  try {
    const st = await fs.promises.stat(bin);
    return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
  } catch {
    return null;
  }
}

async function readAll(file: string): Promise<Record<string, Entry>> {
  try {
    const data = JSON.parse(await fs.promises.readFile(file, 'utf8')) as unknown;
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, Entry>) : {};
  } catch {
    return {};
  }
}

/** The fact `key` of `bin`: from the file while the binary is unchanged, else `ask()` (then stored when not null). */
export async function cachedFact<K extends keyof BinaryFacts>(file: FactsFile, bin: string, key: K, ask: () => Promise<BinaryFacts[K] | null>): Promise<BinaryFacts[K] | null> {
  if (!file) return ask();
  const stamp = await stampOf(bin);
  if (stamp === null) return ask();
  const have = (await readAll(file))[bin];
  if (have?.stamp === stamp) {
    const kept = FACT_SCHEMAS[key].safeParse(have[key]);
    if (kept.success) return kept.data as BinaryFacts[K];
  }
  const value = await ask();
  if (value === null || value === undefined) return value ?? null;
  // Read again just before writing: another fact may have been stored meanwhile.
  const all = await readAll(file);
  const prev = all[bin]?.stamp === stamp ? all[bin] : { stamp };
  all[bin] = { ...prev, [key]: value };
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await fs.promises.writeFile(tmp, JSON.stringify(all));
    await fs.promises.rename(tmp, file);
  } catch {
    await fs.promises.rm(tmp, { force: true }).catch(() => {});
  }
  return value;
}

/** The file's name in the user-data folder. */
export const FFMPEG_FACTS_FILE = 'ffmpeg-facts.json';
