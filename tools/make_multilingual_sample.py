"""Build tests/data/ddtp_multilingual_sample.csv.gz: real human-translated package descriptions in 8 languages.

Source: the Debian Description Translation Project (DDTP) translations shipped with Debian bookworm `main`
(apt lists `*_dists_bookworm_main_i18n_Translation-{en,de,es,fr,it,ja,ru,zh%5fCN}`). The text is Debian's
(package descriptions and their volunteer translations, DFSG-free). Refresh the lists without touching the
system's with
    apt-get update -o Dir::State::Lists=/tmp/aptml -o Acquire::Languages="en,de,fr,es,it,ru,ja,zh_CN" -o Acquire::GzipIndexes=false
then run
    python tools/make_multilingual_sample.py /tmp/aptml

The sample holds the SAME descriptions (same Description-md5) in every language: 120 md5s present in all 8
files, preferring those whose English text is longer than 150 characters, chosen deterministically (sorted,
then shuffled with seed 0). Columns: lang (en, de, es, fr, it, ru, ja, zh), package, md5, text. The text is the
short description, a newline, then the long description's paragraphs one per line (` .` lines and blank
continuation lines are paragraph breaks); wrapped lines are joined with a space, except for ja and zh, where
they are joined with no space (a space is kept only between two ASCII characters, so Latin words don't merge).
This sample only feeds the tokenizer tests; the full DDTP dataset is built by the data module.
"""
import csv, gzip, random, sys
from pathlib import Path
from multifit_fastai.data import control_stanzas, description_text

LANGS = dict(en='en', de='de', es='es', fr='fr', it='it', ru='ru', ja='ja', zh='zh_CN')  # column value -> DDTP code
FILE_CODE = dict(zh_CN='zh%5fCN')  # apt escapes '_' in list file names

def load(lists, code):
    path = next(Path(lists).glob(f'*_dists_bookworm_main_i18n_Translation-{FILE_CODE.get(code, code)}'))
    field, res = f'Description-{code}', {}
    for s in control_stanzas(path):
        md5 = s.get('Description-md5')
        if md5 and field in s and md5 not in res: res[md5] = (s.get('Package', ''), s[field])
    return res

def main(lists, out='tests/data/ddtp_multilingual_sample.csv.gz', n=120, min_len=150, seed=0):
    data = {lang: load(lists, code) for lang, code in LANGS.items()}
    common = sorted(set.intersection(*(set(d) for d in data.values())))
    texts = {lang: {m: description_text(data[lang][m][1], lang) for m in common} for lang in LANGS}
    ok = [m for m in common if all(texts[l][m] for l in LANGS)]
    rng = random.Random(seed)
    long_ = [m for m in ok if len(texts['en'][m]) > min_len]; rng.shuffle(long_)
    short = [m for m in ok if len(texts['en'][m]) <= min_len]; rng.shuffle(short)
    chosen = sorted((long_ + short)[:n])  # prefer long descriptions, top up with shorter ones if needed
    print(f'{len(common)} md5s in all {len(LANGS)} languages, {len(long_)} with en text > {min_len} chars; using {len(chosen)}')
    rows = [dict(lang=lang, package=data['en'][m][0], md5=m, text=texts[lang][m]) for lang in LANGS for m in chosen]
    out = Path(out); out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + '.tmp')
    with gzip.open(tmp, 'wt', encoding='utf-8', newline='') as f:
        w = csv.DictWriter(f, ['lang', 'package', 'md5', 'text']); w.writeheader(); w.writerows(rows)
    tmp.replace(out)
    print(f'{len(rows)} rows -> {out} ({out.stat().st_size} bytes)')

if __name__ == '__main__': main(*sys.argv[1:2])
