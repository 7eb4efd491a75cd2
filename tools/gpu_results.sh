#!/bin/bash
# The Results chapter's runs on the shipped bundles, on a GPU machine: bash tools/gpu_results.sh NAME
# NAME: tools/jobs/NAME.lms and NAME.jobs (results_bundles: 1,000 labels, and French's MultiFiT + bag-of-words;
# results_ensemble: forward, backward and both in de fr ja zh, once `BACKWARDS=1 bash tools/ship_bundles.sh de fr ja zh`
# has made their backward bundles LANG-bwd;
# Spanish's ran on the CPU, as did what more pretraining text buys; results_tokenization: subword vs word tokens in
# de fr zh, with CORPORA holding the bundles' corpora as L.tar.xz, unpacked here). Run them in that order: a later one
# reuses the fine-tuned language models an earlier one packed (lm-*.tar in $OUT: copy them to tmp/res-lms/ and carry
# that folder in). Rows and logs come back in $OUT/res.tgz every 10 s, so a call cut at its limit keeps what
# finished; put them together with
# `python tools/collect_results.py --scale bundle --out docs/results/bundle --where "..." ROWS`.
# Env: OUT (required), LIMIT (seconds for the whole run, default 540), NP (parallel jobs, 6), THREADS (per job, 2),
# WHEELS (folder of wheels to install first, default .whl), CORPORA (corpora to pretrain on instead of the shipped
# ones, for `tokens`; the bundles' own, for `tokenization`'s word-token LMs), LMS_IN (the folder of packed language
# models to reuse, default tmp/res-lms).
set -u
: ${OUT:?set OUT to the folder that receives the results}
if ls ${WHEELS:-.whl}/*.whl > /dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site ${WHEELS:-.whl}/*.whl
  export PYTHONPATH=/tmp/site
fi
export RES=${RES:-/tmp/res} SCALE=${SCALE:-bundle} PACK_LMS=1 NP=${NP:-6} THREADS=${THREADS:-2} BUDGET=${LIMIT:-540} OUT
mkdir -p $RES/lms
for t in ${LMS_IN:-tmp/res-lms}/*.tar; do [ -f $t ] && tar xf $t -C $RES/lms && echo "reusing $(basename $t .tar)"; done
nvidia-smi --query-gpu=name,memory.used --format=csv,noheader 2> /dev/null
for t in ${CORPORA:-/nonexistent}/*.tar.xz; do [ -f $t ] && { [ -d ${t%.tar.xz} ] || tar xJf $t -C $CORPORA; }; done
J=$1; [ -f $J.lms ] || J=tools/jobs/$1  # a job list's path, or its name in tools/jobs
bash tools/experiment_jobs.sh $J
