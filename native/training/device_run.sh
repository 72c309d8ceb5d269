#!/bin/sh
# The pack recipe's longer run on the lent GPU machine (the device tool), two variants side by side on one GPU.
# Here, first:  python3 native/training/slim_ckpt.py split native/training/runs/tiny-x0L2/final.pt .gpu/x0L2
#               (.gpu/ is in .git/info/exclude and travels as the call's carry)
# On the device: sh native/training/device_run.sh .gpu/x0L2 "$OUT" 6.5
# Back here:    python3 native/training/slim_ckpt.py join native/training/runs/gpuA/final.pt OUT/A.part*.pt
# Writes OUT/{speed,A,B}.log and each variant's EMA weights as OUT/{A,B}.part*.pt (15 MiB parts: the transfer's
# per-file limit is 16 MiB).
set -eu
INIT=$1
OUT=$2
MIN=$3
export PYTHONUNBUFFERED=1
T=native/training
DEVICE=${DEVICE:-cuda}  # DEVICE=cpu SPEED_STEPS=2 PY=/usr/bin/python3 tries the script here
PY=${PY:-python3}
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
$PY -c "import torch, numpy; print('torch', torch.__version__, 'numpy', numpy.__version__)"
$PY $T/slim_ckpt.py join /tmp/init.pt "$INIT".part*.pt
COMMON="--config tiny-x0L --device $DEVICE --init /tmp/init.pt --init-key ema --p-uncond 0.1 --p-cond 0.5 --ema 0.999"
# GPU/CPU speed at the CPU run's own batch (8 denoiser clips + 64 layout clips; 2.3 s a step on one core there);
# SPEED_STEPS=0 skips it
[ "${SPEED_STEPS:-40}" = 0 ] || $PY $T/train.py $COMMON --out /tmp/speed --steps ${SPEED_STEPS:-40} --batch 8 --aux-batch 64 --sil-rows 16 --workers 4 \
  --obj-weight 2 --p-gt-draft 0.6 --log-every 20 > "$OUT/speed.log" 2>&1 || { cat "$OUT/speed.log"; exit 1; }
[ ! -f "$OUT/speed.log" ] || tail -n 2 "$OUT/speed.log"
variant() {
  name=$1
  shift
  $PY $T/train.py $COMMON --out /tmp/$name --minutes "$MIN" --batch 64 --aux-batch 64 --sil-rows 16 \
    --workers 6 --lr "${LR:-3e-4}" --lr-min "${LR_MIN:-2e-5}" --warmup 100 --log-every 250 --ckpt-minutes 3 "$@" > "$OUT/$name.log" 2>&1
  $PY $T/slim_ckpt.py split /tmp/$name/final.pt "$OUT/$name"
}
# A: the pack's recipe, the denoiser given the true layout's draft more often (0.6 -> 0.8: it follows the draft's
# silhouette instead of smudging it). B: the same plus more weight on low-noise steps and object pixels (edges).
# VARIANT_A / VARIANT_B replace these arguments (a continuation, say)
variant A ${VARIANT_A:---obj-weight 2 --p-gt-draft 0.8} &
PA=$!
variant B ${VARIANT_B:---obj-weight 3 --p-gt-draft 0.8 --snr-max 20} &
PB=$!
wait $PA || echo "variant A failed"
wait $PB || echo "variant B failed"
tail -n 3 "$OUT/A.log" "$OUT/B.log"
ls -la "$OUT"
