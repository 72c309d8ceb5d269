/**
 * The usage lines of every subcommand, apart from the subcommands' code: `shotline --help` and
 * a mistyped command print them without loading what the subcommands need (the CLI imports a
 * subcommand's module only when it runs; docs/benchmarks.md, CLI start-up).
 */
export const VERIFY_USAGE = `  verify FILE... [--trust ROOTS.pem] [--json]  Check a file's content credentials (C2PA): manifest chain and validation\n`;

export const SIGNER_USAGE = `  signer [--cert CHAIN.pem --key KEY.pem | --installation]  Show or choose the certificate that signs exports\n`;

export const GENERATE_USAGE = `  generate --prompt TEXT --out FILE.mp4    Generate one clip with a local model pack (progress on stderr)
         [--backend ID] [--model PACK] [--seed N] [--image REF] [--remix CLIP --strength S]
         [--steps N] [--guidance G] [--duration S] [--provider cuda|dml|coreml|webgpu|cpu]
  generate PROJECT --shot ID [--takes N]   Queue takes for a shot on the project's job queue and wait
         [--seed N] [--backend ID] [--model PACK] [--steps N] [--guidance G]
`;

export const SERVE_USAGE = `  serve --port P [--models DIR] [--token T] [--host H]
                                           Serve the local model packs as an OpenAI-compatible /v1/videos API
                                           and the built-in voice (espeak-ng) as /v1/audio/speech
                                           (loopback unless --host; bearer token required, printed if not given)
`;
