#!/bin/bash
# Pretrain and pack the bundles shipped with the package: bash tools/ship_bundles.sh [LANG ...] (default: en de fr es ja zh)
# Each language, all in parallel: its corpus ($CORPORA/L, built by `multifit data build-corpus --lang L --dest $CORPORA/L`,
# or unpacked from $CORPORA/L.tar.xz), `multifit pretrain`, then `multifit bundle pack --measure` (fp16 weights,
# perplexity on DDTP-7 valid text, the command) into $DEST/L. Then `python tools/make_models.py` writes MODELS.md.
# Env: CORPORA (tmp/ship/corpora), RUNS (tmp/ship/runs), DEST (multifit_fastai/bundles), PRESET (small), VOCAB (15000),
# EPOCHS (10), LR (the recipe's, RECIPE['pretrain_lr']), BS (256: the shipped bundles' batch), THREADS (torch
# threads per language, 2), OUT (a GPU machine's result folder: each bundle lands there as bundle-L.tar as soon as it is
# packed, and ship.log, the end of every log in $RUNS, is rewritten every 10 s, so a run cut short keeps what finished),
# LIMIT (seconds: a language's pretraining still running then is stopped, so a machine lent for a time returns the others),
# BACKWARDS (1: backward language models, packed as L-bwd, for `multifit experiment ensemble`; put them outside the
# package: DEST=$MULTIFIT_DATA/bundles).
set -u
LANGS=${*:-en de fr es ja zh}
export CORPORA=${CORPORA:-tmp/ship/corpora} RUNS=${RUNS:-tmp/ship/runs} DEST=${DEST:-multifit_fastai/bundles}
export OMP_NUM_THREADS=${THREADS:-2} PYTHONUNBUFFERED=1 PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
export PRESET=${PRESET:-small} VOCAB=${VOCAB:-15000} EPOCHS=${EPOCHS:-10} BS=${BS:-256}
export LR=${LR:-$(python3 -c 'from multifit_fastai.callbacks import RECIPE; print(RECIPE["pretrain_lr"])')}
mkdir -p $RUNS $DEST
export MAIN='import sys; from multifit_fastai.cli import main; sys.exit(main())'
mf() { python3 -c "$MAIN" "$@"; }
ship() {
  L=$1; s=$(date +%s)
  [ -d $CORPORA/$L ] || tar xJf $CORPORA/$L.tar.xz -C $CORPORA || { echo "$L: no corpus in $CORPORA"; return 1; }
  N=$L${BACKWARDS:+-bwd}
  ${LIMIT:+timeout $LIMIT} python3 -c "$MAIN" pretrain $CORPORA/$L --run_dir $RUNS/$N --preset $PRESET --vocab_sz $VOCAB --epochs $EPOCHS --lr $LR --bs $BS ${BACKWARDS:+--backwards} > $RUNS/$N.log 2>&1 &&
  mf bundle pack $RUNS/$N/bundle --dest $DEST/$N --measure >> $RUNS/$N.log 2>&1 &&
  { [ -z "${OUT:-}" ] || tar cf $OUT/bundle-$N.tar -C $DEST $N; }
  rc=$?; echo "$N rc=$rc $(( $(date +%s) - s ))s" | tee -a $RUNS/$N.log; tail -c 400 $RUNS/$N.log | tr '\r' '\n' | tail -3
}
logs() { for f in $RUNS/*.log; do echo "== $f"; tr '\r' '\n' < $f | grep -v '^ *$' | tail -n 30; done; }
export -f mf ship
( while [ -n "${OUT:-}" ]; do logs > $OUT/ship.log 2>&1; sleep 10; done ) & LOOP=$!
echo $LANGS | tr ' ' '\n' | xargs -P 6 -I{} bash -c 'ship {}'
kill $LOOP 2>/dev/null; [ -n "${OUT:-}" ] && logs > $OUT/ship.log 2>&1; echo finished
