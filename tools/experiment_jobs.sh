#!/bin/bash
# Run an experiment's jobs in parallel: bash tools/experiment_jobs.sh tools/jobs/NAME (reads NAME.lms, then NAME.jobs).
# With a NAME.later list, the language models build while NAME.jobs (which must not need them) run, and NAME.later
# runs once they are built.
# Env: PY (python), RES (work folder, default /tmp/res), NP (parallel jobs, 16), THREADS (per job, 2), BUDGET (seconds
# for both phases), OUT (if set, a folder that receives res.tgz, the rows and logs, every 10 s), PACK_LMS (if set, each
# language model built, packed in fp16, lands in OUT as lm-NAME.tar: unpack it in RES/lms of a later run to reuse it).
set -u
P=${PY:-python3}
export RES=${RES:-/tmp/res} THREADS=${THREADS:-2} PYTHONUNBUFFERED=1 OMP_NUM_THREADS=${THREADS:-2} PY=$P
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} MULTIFIT_DATA=${MULTIFIT_DATA:-$RES/data}
mkdir -p $RES/logs $RES/rows
$P tools/experiment_jobs.py check > $RES/logs/check.json 2> $RES/logs/check.err || { echo "check failed: Triton off"; export MF_NO_TRITON=1; }
cat $RES/logs/check.json
pack() { [ -n "${OUT:-}" ] && tar czf $OUT/res.tmp -C $RES rows logs && mv $OUT/res.tmp $OUT/res.tgz; }
( while true; do sleep 10; pack; done ) & LOOP=$!
job() { n=$(echo "$@" | tr ' ' '-'); s=$(date +%s); $PY tools/experiment_jobs.py "$@" > $RES/logs/$n.full 2>&1; rc=$?
        tail -c 20000 $RES/logs/$n.full > $RES/logs/$n.log; rm $RES/logs/$n.full; echo "$n rc=$rc $(( $(date +%s) - s ))s" | tee -a $RES/logs/done.txt; }
export -f job
END=$((SECONDS+${BUDGET:-100000}))
rows() { grep -v '^#' $1 | timeout $((END-SECONDS)) xargs -P ${NP:-16} -L1 bash -c 'job rows "$@"' _; }
grep -v '^#' $1.lms | timeout $((END-SECONDS)) xargs -P ${NP:-16} -L1 bash -c 'job lm "$@"' _ & LMS=$!
pack_lms() { [ -n "${PACK_LMS:-}" ] && [ -n "${OUT:-}" ] || return 0
  for b in $RES/lms/lm-*/bundle $RES/lms/lm-*/finetune/bundle; do [ -f $b/bundle.json ] || continue
    grep -q '"weights": "float16"' $b/bundle.json && continue  # packed already (carried in)
    n=${b#$RES/lms/}; n=${n%%/*}; [ -f $OUT/$n.tar ] && continue
    $P -c "from multifit_fastai.bundle import pack_bundle; pack_bundle('$b', dest='$RES/packed/$n/${b#$RES/lms/$n/}')" &&
      tar cf $OUT/$n.tmp -C $RES/packed $n && mv $OUT/$n.tmp $OUT/$n.tar; done; }
[ -f $1.later ] || { wait $LMS; pack_lms; }
rows $1.jobs
wait $LMS; pack_lms
[ -f $1.later ] && rows $1.later
kill $LOOP; pack; echo finished
