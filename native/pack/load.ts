/**
 * Loading a model pack: manifest.json against its schema, the manifest's numbers against each
 * other, every file present with the size and SHA-256 the manifest records, the vocabulary
 * usable, and (once sessions exist) each graph's inputs and outputs against the manifest.
 * Every failure is a ShotlineError naming the pack folder and exactly what is wrong.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ShotlineError, type ErrorCode } from '../../app/errors.js';
import { expectedSignatures, manifestSchema, vocabSchema, type GraphSpec, type PackManifest, type TensorSpec, type Vocab } from './manifest.js';

export const MANIFEST_FILE = 'manifest.json';

export interface ModelPack {
  dir: string;
  manifest: PackManifest;
  vocab: Vocab;
  files: { textEncoder: string; denoiser: string; vocab: string; golden: string | null };
}

export interface LoadPackOptions {
  /** Hash the graphs and compare with the manifest (default true; results are cached per file size + mtime). */
  verifyChecksums?: boolean;
}

const HINT = 'Re-install the model pack (or re-export it with native/training/export_onnx.py), or remove it from the models folder.';

export function packError(dir: string, what: string, code: ErrorCode = 'unsupported'): ShotlineError {
  return new ShotlineError(code, `The model pack at ${dir} cannot be used: ${what}.`, HINT);
}

const shaCache = new Map<string, string>();

/** SHA-256 of a file, cached by path + size + mtime (packs are re-validated on every listing). */
export async function fileSha256(file: string): Promise<string> {
  const st = await fs.promises.stat(file);
  const key = `${file}\0${st.size}\0${st.mtimeMs}`;
  const hit = shaCache.get(key);
  if (hit) return hit;
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  const hex = hash.digest('hex');
  shaCache.set(key, hex);
  return hex;
}

function readJson(dir: string, file: string, what: string): unknown {
  const p = path.join(dir, file);
  let text: string;
  try {
    text = fs.readFileSync(p, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw packError(dir, code === 'ENOENT' ? `${file} (${what}) is missing` : `${file} cannot be read (${code ?? (e as Error).message})`, code === 'ENOENT' ? 'not_found' : 'unsupported');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw packError(dir, `${file} is not valid JSON (${(e as Error).message})`);
  }
}

const shapeText = (s: readonly (number | string)[]) => `[${s.join(', ')}]`;

/** Compare two tensor lists (name, dtype, shape); a string dim means "dynamic, any name". */
export function signatureMismatch(kind: 'input' | 'output', expected: readonly TensorSpec[], actual: readonly TensorSpec[], actualSource: string): string | null {
  const en = expected.map((t) => t.name);
  const an = actual.map((t) => t.name);
  if (en.join('\0') !== an.join('\0')) return `its ${kind}s are ${JSON.stringify(an)} in ${actualSource}, expected ${JSON.stringify(en)}`;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (e.dtype !== a.dtype) return `${kind} '${e.name}' is ${a.dtype} in ${actualSource}, expected ${e.dtype}`;
    const shapeOk = e.shape.length === a.shape.length && e.shape.every((d, k) => (typeof d === 'string' ? typeof a.shape[k] === 'string' : a.shape[k] === d));
    if (!shapeOk) return `${kind} '${e.name}' has shape ${shapeText(a.shape)} in ${actualSource}, expected ${shapeText(e.shape)}`;
  }
  return null;
}

function checkManifestConsistency(dir: string, m: PackManifest): void {
  const [C, F, H, W] = m.latent.shape as [number, number, number, number];
  if (C !== 3 || F !== m.frames || H !== m.height || W !== m.width)
    throw packError(dir, `manifest.json latent.shape ${shapeText(m.latent.shape)} does not agree with frames ${m.frames}, height ${m.height}, width ${m.width} (expected [3, F, H, W])`);
  if (m.guidance.range[0] > m.guidance.range[1] || m.guidance.default < m.guidance.range[0] || m.guidance.default > m.guidance.range[1])
    throw packError(dir, `manifest.json guidance.default ${m.guidance.default} is outside guidance.range ${shapeText(m.guidance.range)}`);
  const exp = expectedSignatures(m);
  for (const g of ['text_encoder', 'denoiser'] as const) {
    const spec = m.graphs[g];
    const bad = signatureMismatch('input', exp[g].inputs, spec.inputs, 'manifest.json') ?? signatureMismatch('output', exp[g].outputs, spec.outputs, 'manifest.json');
    if (bad) throw packError(dir, `graph ${g} (${spec.file}): ${bad}`);
  }
  const D = m.graphs.text_encoder.outputs[0]!.shape[1];
  if (typeof D !== 'number' || D <= 0) throw packError(dir, 'manifest.json graphs.text_encoder output text_emb needs a fixed width (shape [batch, D])');
}

async function checkGraphFile(dir: string, spec: GraphSpec, verify: boolean): Promise<string> {
  const file = path.join(dir, spec.file);
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
  } catch {
    throw packError(dir, `${spec.file} is missing (manifest.json lists it)`, 'not_found');
  }
  if (!st.isFile()) throw packError(dir, `${spec.file} is not a file`);
  if (st.size !== spec.bytes) throw packError(dir, `${spec.file} is ${st.size} bytes but manifest.json says ${spec.bytes}: the file is damaged, truncated or from another export`);
  if (verify) {
    const sha = await fileSha256(file);
    if (sha !== spec.sha256)
      throw packError(dir, `${spec.file} does not match its checksum in manifest.json (SHA-256 ${sha.slice(0, 12)}…, expected ${spec.sha256.slice(0, 12)}…): the file is damaged or was replaced`);
  }
  return file;
}

/** Load and validate a pack folder (no ONNX sessions yet: see `checkSessionSignature`). */
export async function loadModelPack(dirIn: string, opts: LoadPackOptions = {}): Promise<ModelPack> {
  const dir = path.resolve(dirIn);
  let st: fs.Stats | null = null;
  try {
    st = fs.statSync(dir);
  } catch {
    /* handled below */
  }
  if (!st) throw new ShotlineError('not_found', `There is no model pack at ${dir}.`, 'Check the models folder (Settings → Models) or pass another --model.');
  if (!st.isDirectory()) throw packError(dir, 'it is a file, not a pack folder', 'not_found');
  const raw = readJson(dir, MANIFEST_FILE, 'the pack description');
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `field ${i.path.join('.') || '(root)'} ${i.message}`);
    throw packError(dir, `manifest.json ${issues.join('; ')}`);
  }
  const manifest = parsed.data;
  checkManifestConsistency(dir, manifest);
  const verify = opts.verifyChecksums ?? true;
  const textEncoder = await checkGraphFile(dir, manifest.graphs.text_encoder, verify);
  const denoiser = await checkGraphFile(dir, manifest.graphs.denoiser, verify);
  const vocabParsed = vocabSchema.safeParse(readJson(dir, manifest.tokenizer.vocab_file, 'the tokenizer vocabulary'));
  if (!vocabParsed.success) throw packError(dir, `${manifest.tokenizer.vocab_file} is not a word-level vocabulary ({ "tokens": [...] })`);
  const vocab = vocabParsed.data;
  const tk = manifest.tokenizer;
  for (const [k, v] of [['pad_id', tk.pad_id], ['unk_id', tk.unk_id], ['bos_id', tk.bos_id], ['eos_id', tk.eos_id]] as const) {
    if (v !== null && v >= vocab.tokens.length) throw packError(dir, `tokenizer.${k} ${v} is outside the vocabulary (${vocab.tokens.length} tokens)`);
  }
  const goldenPath = manifest.golden ? path.join(dir, manifest.golden) : null;
  return {
    dir,
    manifest,
    vocab,
    files: { textEncoder, denoiser, vocab: path.join(dir, tk.vocab_file), golden: goldenPath && fs.existsSync(goldenPath) ? goldenPath : null },
  };
}

/** What an onnxruntime session reports about one value (InferenceSession.inputMetadata entries). */
export interface SessionValueMetadata {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: readonly (number | string)[];
}

/** Compare a live session's signature with the manifest's; throws a pack error on any difference. */
export function checkSessionSignature(pack: ModelPack, graph: 'text_encoder' | 'denoiser', inputs: readonly SessionValueMetadata[], outputs: readonly SessionValueMetadata[]): void {
  const spec = pack.manifest.graphs[graph];
  const toSpec = (v: SessionValueMetadata): TensorSpec => ({ name: v.name, dtype: (v.isTensor ? (v.type ?? '?') : 'non-tensor') as TensorSpec['dtype'], shape: [...(v.shape ?? [])] });
  const source = `the graph file ${spec.file}`;
  const bad = signatureMismatch('input', spec.inputs, inputs.map(toSpec), source) ?? signatureMismatch('output', spec.outputs, outputs.map(toSpec), source);
  if (bad) throw packError(pack.dir, `${spec.file} does not match manifest.json: ${bad}`);
}
