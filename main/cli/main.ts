/**
 * The `shotline` command line: studio, sample, run, export, serve, generate, verify, signer, doctor.
 * Every subcommand drives the same services the app uses, through the same validated API.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ShotlineError, serializeError } from '../../app/errors.js';
import { EXPORT_PRESETS } from '../../app/export/presets.js';
import { TERMINAL_STATES, type Job } from '../../app/jobs/types.js';
import type { StudioServer } from '../bridge/studio-server.js';
import type { ShotlineServices } from '../services/shotline.js';
import { GENERATE_USAGE, SERVE_USAGE, SIGNER_USAGE, VERIFY_USAGE } from './usage.js';
import { createProgressBar } from './progress-bar.js';

// Subcommands import what they need when they run: through tsx every module costs start-up
// CPU (about 5 ms each here), and an export does not need the studio server, the verifier,
// the model server or the script runner (docs/benchmarks.md, CLI start-up).

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const USAGE = `Usage: shotline <command> [options]

Commands:
  studio [--project DIR] [--port N]        Serve the editor to a browser on 127.0.0.1 (prints the URL with its token)
  sample DIR                               Write a ready-to-export 3-shot sample project into DIR
  run PROJECT SCRIPT.json                  Apply a list of API calls ([{ "method", "input", "as"? }]) to a project
  export PROJECT --preset NAME --out FILE  Export the timeline to an MP4 (presets: ${EXPORT_PRESETS.map((p) => p.id).join(', ')})
         [--fit fit|fill] [--overwrite] [--loudness web|broadcast|off]
                                           (loudness: −14 LUFS / −23 LUFS EBU R128 / none; default: the preset's)
${GENERATE_USAGE}${SERVE_USAGE}${VERIFY_USAGE}${SIGNER_USAGE}  doctor                                   Show which ffmpeg engine, runtimes and execution providers were found
`;

function fail(e: unknown): never {
  const err = serializeError(e);
  process.stderr.write(`shotline: ${err.message}\n${err.hint ? `  ${err.hint}\n` : ''}`);
  process.exit(err.code === 'invalid_input' ? 2 : 1);
}

async function openServices(transport: 'studio' | 'in-process', getUploads?: () => string | null): Promise<ShotlineServices> {
  const { ShotlineServices } = await import('../services/shotline.js');
  const resolveUpload = getUploads ? (await import('../bridge/studio-server.js')).uploadResolver(getUploads) : undefined;
  return ShotlineServices.create({ transport, resolveUpload });
}

/** The in-process API client of the services (a small module, loaded with them). */
async function clientOf(services: ShotlineServices) {
  return (await import('../bridge/in-process.js')).inProcessClient(services);
}

async function openOrCreate(services: ShotlineServices, dir: string): Promise<void> {
  const client = await clientOf(services);
  const { PROJECT_FILE } = await import('../store/project-store.js');
  const abs = path.resolve(dir);
  if (fs.existsSync(path.join(abs, PROJECT_FILE))) await client.call('project.open', { dir: abs });
  else await client.call('project.create', { dir: abs, name: path.basename(abs) || 'Untitled' });
}

async function studio(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { project: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } } });
  let server: StudioServer | null = null;
  const services = await openServices('studio', () => server?.uploadsDir ?? null);
  if (values.project) await openOrCreate(services, values.project);
  const rendererDir = path.join(PACKAGE_ROOT, 'dist', 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) process.stderr.write('warning: the renderer is not built yet; run `npm run build`.\n');
  const { startStudioServer } = await import('../bridge/studio-server.js');
  server = await startStudioServer({
    services,
    rendererDir,
    host: values.host ?? '127.0.0.1',
    port: values.port ? parsePort(values.port) : 0,
    token: process.env.SHOTLINE_STUDIO_TOKEN || undefined,
    log: (m) => process.stderr.write(m + '\n'),
  });
  process.stdout.write(`Shotline studio is running. Open: ${server.loginUrl}\n`);
  const shutdown = async () => {
    await server?.close();
    await services.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new ShotlineError('invalid_input', `--port must be a number from 0 to 65535 (got "${text}").`, 'Use e.g. --port 5174, or leave it out for a free port.');
  return n;
}

async function sample(argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true });
  if (!positionals[0]) throw new ShotlineError('invalid_input', 'shotline sample needs a folder: shotline sample DIR');
  const services = await openServices('in-process');
  try {
    const snap = await (await clientOf(services)).call('project.createSample', { dir: path.resolve(positionals[0]) });
    process.stdout.write(`Sample project written to ${snap.dir}: ${Object.keys(snap.state.shots).length} shots, ${Object.keys(snap.state.clips).length} clips on the timeline.\n`);
    // Let thumbnail and waveform jobs finish so the project opens complete.
    await waitForIdle(services);
  } finally {
    await services.shutdown();
  }
}

async function waitForIdle(services: ShotlineServices): Promise<void> {
  const client = await clientOf(services);
  for (;;) {
    const jobs = await client.call('jobs.list', {});
    if (jobs.every((j) => TERMINAL_STATES.includes(j.state))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function run(argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true });
  const [project, scriptFile] = positionals;
  if (!project || !scriptFile) throw new ShotlineError('invalid_input', 'Usage: shotline run PROJECT SCRIPT.json');
  const { MAX_INPUT_DEPTH, nestingDepth, scriptSchema, substitute } = await import('./script.js');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(scriptFile, 'utf8'));
  } catch (e) {
    throw new ShotlineError('invalid_input', `Cannot read script ${scriptFile}: ${(e as Error).message}`);
  }
  // JSON.parse copes with deep nesting; the schema check and the API would overflow the stack.
  const depth = nestingDepth(raw);
  if (depth > MAX_INPUT_DEPTH) throw new ShotlineError('invalid_input', `${scriptFile} nests deeper than ${MAX_INPUT_DEPTH} levels, which no Shotline call needs.`, 'Check the script for runaway nesting.');
  const parsed = scriptSchema.safeParse(raw);
  if (!parsed.success) throw new ShotlineError('invalid_input', `${scriptFile} is not a Shotline script: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`, 'A script is a JSON array of { "method": "...", "input": {...}, "as": "name"? }.');
  const services = await openServices('in-process');
  try {
    await openOrCreate(services, project);
    const { createDispatcher } = await import('../bridge/dispatch.js');
    const dispatch = createDispatcher(services.handlers);
    const vars: Record<string, unknown> = {};
    for (const [i, step] of parsed.data.entries()) {
      const out = await dispatch(step.method, substitute(step.input ?? {}, vars));
      if (!out.ok) throw new ShotlineError(out.error.code, `Step ${i + 1} (${step.method}) failed: ${out.error.message}`, out.error.hint);
      if (step.as) vars[step.as] = out.value;
      process.stdout.write(`${i + 1}. ${step.method}: ok\n`);
    }
    await waitForIdle(services);
  } finally {
    await services.shutdown();
  }
}

async function exportCmd(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { preset: { type: 'string', default: '1080p' }, out: { type: 'string' }, fit: { type: 'string', default: 'fit' }, overwrite: { type: 'boolean', default: false }, loudness: { type: 'string' } },
  });
  const project = positionals[0];
  if (!project || !values.out) throw new ShotlineError('invalid_input', 'Usage: shotline export PROJECT --preset NAME --out FILE.mp4');
  if (values.fit !== 'fit' && values.fit !== 'fill') throw new ShotlineError('invalid_input', '--fit must be fit or fill');
  const loudness = values.loudness;
  if (loudness !== undefined && loudness !== 'web' && loudness !== 'broadcast' && loudness !== 'off')
    throw new ShotlineError('invalid_input', `--loudness must be web, broadcast or off (got "${loudness}").`, 'web: −14 LUFS / −1 dBTP; broadcast: EBU R128 −23 LUFS / −1 dBTP; off: the mix as it is.');
  const services = await openServices('in-process');
  const client = await clientOf(services);
  try {
    await client.call('project.open', { dir: path.resolve(project) });
    const bar = createProgressBar(process.stderr, 'Exporting');
    let jobId = '';
    const finished = new Promise<Job>((resolve) => {
      services.subscribe((e) => {
        if (e.type !== 'job.updated' || e.job.id !== jobId) return;
        if (e.job.state === 'running') bar.update(e.job.progress, e.job.etaSeconds, e.job.message);
        if (TERMINAL_STATES.includes(e.job.state)) resolve(e.job);
      });
    });
    // --overwrite typed on the command line is the user's own confirmation of that path.
    const outPath = path.resolve(values.out);
    const job = await client.call('export.start', { preset: values.preset!, outPath, fit: values.fit, overwrite: values.overwrite!, ...(values.overwrite ? { confirmOverwrite: outPath } : {}), ...(loudness ? { loudness } : {}) });
    jobId = job.id;
    process.once('SIGINT', () => void client.call('jobs.cancel', { jobId }));
    const done = await finished;
    if (done.state === 'succeeded') bar.done(`Exported ${path.resolve(values.out)}`);
    else if (done.state === 'canceled') throw new ShotlineError('canceled', 'Export canceled; nothing was written.');
    else throw new ShotlineError(done.error?.code ?? 'internal', done.error?.message ?? 'Export failed', done.error?.hint);
  } finally {
    await services.shutdown();
  }
}

export async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'studio':
      return studio(rest);
    case 'sample':
      return sample(rest);
    case 'run':
      return run(rest);
    case 'export':
      return exportCmd(rest);
    case 'serve':
      return (await import('./serve.js')).serveCmd(rest);
    case 'generate':
      return (await import('./generate.js')).generateCmd(rest);
    case 'doctor':
      return (await import('./doctor.js')).runDoctor(process.stdout);
    case 'verify':
      process.exitCode = await (await import('./verify.js')).verifyCmd(rest);
      return;
    case 'signer':
      return (await import('./signer.js')).signerCmd(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`Unknown command "${cmd}".\n\n${USAGE}`);
      process.exit(2);
  }
}

// SHOTLINE_CPU_REPORT=1: at exit, one stderr line with this process's CPU seconds and its
// children's (ffmpeg), so `npm run bench -- export` can say where an export's CPU went.
if (process.env.SHOTLINE_CPU_REPORT) process.once('exit', () => fs.writeSync(2, `shotline-cpu ${JSON.stringify(cpuReport())}\n`));

function cpuReport(): { self: number; children: number | null } {
  const u = process.cpuUsage();
  let children: number | null = null;
  try {
    // Linux: cutime + cstime (fields 16–17 of /proc/self/stat) count reaped children, in ticks of 1/100 s.
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    children = (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    /* not Linux */
  }
  return { self: (u.user + u.system) / 1e6, children };
}

main(process.argv.slice(2)).catch(fail);
