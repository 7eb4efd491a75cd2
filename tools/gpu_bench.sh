#!/bin/bash
# The GPU figures of the Performance chapter, on a GPU machine: OUT=/some/folder bash tools/gpu_bench.sh
# Writes to $OUT: bench.md and bench.json from `multifit bench --n $N` (copy them to docs/results/bench_gpu.*), and
# profile.txt: where MultiFiT's training steps spend their time with fastai's Adam and with TorchAdamW
# (bench/profile_step.py, LM and classifier, bf16). Env: OUT (required), N (timed steps, default 3), WHEELS (folder of
# wheels to install first, default .whl).
set -u
: ${OUT:?set OUT to the folder that receives the results}
if ls ${WHEELS:-.whl}/*.whl > /dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site \
    ${WHEELS:-.whl}/*.whl
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.used --format=csv,noheader 2> /dev/null
python3 -c "from multifit_fastai.cli import main; main()" bench --n ${N:-3} --out $OUT 2>&1 |
  tail -n 60 > $OUT/bench.log
for task in lm classifier; do
  python3 bench/profile_step.py --task $task --bf16 --out $OUT/profile-$task.txt > /dev/null 2>> $OUT/profile.err
done
cat $OUT/profile-lm.txt $OUT/profile-classifier.txt > $OUT/profile.txt 2> /dev/null && rm -f $OUT/profile-*.txt
echo finished
