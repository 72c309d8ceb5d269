#!/bin/sh
# Export and evaluate a finished (or interrupted) training run, both ways, without touching the shipped pack:
#   sh native/training/finish_run.sh native/training/runs/tiny-x0b [final.pt|last.pt] [version]
# Writes RUN/pack (graphs + manifest with every figure), RUN/eval.json (torch sampler + Python analyzer),
# RUN/eval_ts.json (app runner + TypeScript analyzer), RUN/ort_check.json (ORT vs torch, golden, timing) and
# RUN/contact_sheet.png (the docs' fixed prompts and seeds). Shipping is a separate, deliberate copy.
set -eu
RUN=$1
CKPT=$RUN/${2:-final.pt}
VERSION=${3:-0.3.0}
# GUIDANCE: the pack's default classifier-free guidance (the manifest's, so eval_pack.ts and contact_sheet.ts use it);
# evaluate.py samples at the same value
GUIDANCE=${GUIDANCE:-4.0}
PY=/usr/bin/python3
export OMP_NUM_THREADS=1
$PY native/training/export_onnx.py --ckpt "$CKPT" --pack "$RUN/pack" --version "$VERSION" --guidance "$GUIDANCE" --parity "$RUN/parity" > "$RUN/export1.log" 2>&1
# the two evaluations are independent; PARALLEL=1 runs them on one core each, the default runs them one after the
# other (a shared machine keeps its other core)
NICE=${NICE:-5}
# REUSE_EVAL=1 keeps an evaluate.py result already in RUN/eval.json (the same checkpoint, samples and guidance)
if [ "${REUSE_EVAL:-0}" = 1 ] && [ -f "$RUN/eval.json" ]; then
  true &
else
  nice -n "$NICE" $PY native/training/evaluate.py --ckpt "$CKPT" --samples 2 --seen 16 --guidance "$GUIDANCE" --out "$RUN/eval.json" > "$RUN/eval.log" 2>&1 &
fi
PY_PID=$!
[ "${PARALLEL:-0}" = 1 ] || wait $PY_PID
nice -n "$NICE" npx tsx native/training/eval_pack.ts "$RUN/pack" --samples 2 --threads 1 --out "$RUN/eval_ts.json" > "$RUN/eval_ts.log" 2>&1
wait $PY_PID || true
nice -n "$NICE" node native/training/check_onnx.mjs "$RUN/pack" --parity "$RUN/parity" --threads 1,2 --json "$RUN/ort_check.json" > "$RUN/ort.log" 2>&1
$PY native/training/export_onnx.py --ckpt "$CKPT" --pack "$RUN/pack" --version "$VERSION" --guidance "$GUIDANCE" --parity "$RUN/parity" \
  --eval "$RUN/eval.json" --eval-ts "$RUN/eval_ts.json" --ort "$RUN/ort_check.json" > "$RUN/export2.log" 2>&1
nice -n "$NICE" npx tsx native/training/contact_sheet.ts "$RUN/pack" "$RUN/contact_sheet.png" > "$RUN/sheet.log" 2>&1
grep -h -E "held-out|seen|ground truth" "$RUN/eval.log" || true
tail -n 5 "$RUN/eval_ts.log" || true
