"""Build tests/data/debian_en_sample.csv.gz: a small, real English topic-classification sample.

Source: Debian bookworm `main` package descriptions (apt lists: `*_Packages` for Section/Source and
`*_i18n_Translation-en` for the long description). Refresh the lists without touching the system's with
`apt-get update -o Dir::State::Lists=/tmp/aptl -o Acquire::Languages=en -o Acquire::GzipIndexes=false`,
then `python tools/make_test_sample.py /tmp/aptl`. The text is Debian's (package descriptions, DFSG-free).
The full multilingual DDTP-7 dataset is built by the data module; this sample only feeds the model tests.
"""
import csv, gzip, hashlib, random, re, sys
from pathlib import Path

from multifit_fastai.data import control_stanzas as stanzas  # the library's Debian control-file parser

TOPICS = dict(devel='devel libdevel python perl rust golang haskell java javascript ocaml ruby lisp php vcs interpreters',
              system='admin utils kernel shells database', text='text tex editors fonts localization doc',
              network='net web mail comm', multimedia='sound video graphics', science='science math electronics hamradio',
              games='games')
SEC2TOPIC = {s:t for t,ss in TOPICS.items() for s in ss.split()}

def clean(desc):
    "Short + long description as plain text: ' .' lines are paragraph breaks, wrapped lines joined."
    short, *long = desc.split('\n')
    paras = ' '.join(l.strip() for l in long).split(' . ')
    return short.strip() + '\n' + '\n'.join(re.sub(r'\s+', ' ', p).strip(' .') + '.' for p in paras if p.strip(' .'))

def main(lists, out='tests/data/debian_en_sample.csv.gz', per_topic=160, seed=42):
    lists = Path(lists)
    pk = next(lists.glob('*_dists_bookworm_main_binary-amd64_Packages'))
    tr = next(lists.glob('*_dists_bookworm_main_i18n_Translation-en'))
    en = {s['Description-md5']: s['Description-en'] for s in stanzas(tr)}
    rows = {}
    for s in stanzas(pk):
        sec = s.get('Section', '').split('/')[-1]
        md5 = s.get('Description-md5')
        if sec in SEC2TOPIC and md5 in en and md5 not in rows:
            src = s.get('Source', s['Package']).split()[0]
            rows[md5] = dict(package=s['Package'], source=src, section=sec, label=SEC2TOPIC[sec], text=clean(en[md5]))
    rng = random.Random(seed)
    bytopic = {}
    for r in rows.values(): bytopic.setdefault(r['label'], []).append(r)
    sample = []
    for t in sorted(bytopic):
        rs = sorted(bytopic[t], key=lambda r: r['package']); rng.shuffle(rs)
        sample += [r for r in rs if len(r['text']) > 200][:per_topic]
    # validation split by source package, so packages built from the same source never straddle splits
    for r in sample: r['is_valid'] = int(hashlib.md5(r['source'].encode()).hexdigest(), 16) % 5 == 0
    rng.shuffle(sample)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(str(out) + '.tmp')
    with gzip.open(tmp, 'wt', encoding='utf-8', newline='') as f:
        w = csv.DictWriter(f, ['package', 'source', 'section', 'label', 'is_valid', 'text']); w.writeheader(); w.writerows(sample)
    tmp.replace(out)
    print(f'{len(sample)} documents -> {out}')

if __name__ == '__main__': main(*sys.argv[1:2])
