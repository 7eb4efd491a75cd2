"""Build tests/data/ddtp_lists/: real apt lists (Debian bookworm main) cut down to a few hundred packages.

The files keep apt's names and format (stanzas copied verbatim; Packages stanzas keep only the fields DDTP-7 reads plus
Version and Architecture), so `build_ddtp7(lists='tests/data/ddtp_lists')` runs the real code path. Fetch the lists with
    apt-get update -o Dir::State::Lists=/tmp/aptml -o Acquire::Languages="en,de,fr,es,it,ru,ja,zh_CN" -o Acquire::GzipIndexes=false
then run `python tools/make_ddtp_fixture.py /tmp/aptml`.
Chosen: every binary package of 70 source packages with German translations and 50 with Japanese ones (seeded
sample, plus `0ad`, whose game, data and common packages come from different source packages).
"""
import random, re, sys
from pathlib import Path

KEEP = ('Package', 'Source', 'Version', 'Architecture', 'Section', 'Description', 'Description-md5')
REL = 'deb.debian.org_debian_dists_bookworm_main_'

def raw_stanzas(path):
    return [s for s in Path(path).read_text(encoding='utf-8').split('\n\n') if s.strip()]

def field(stanza, name):
    m = re.search(rf'^{name}: (.*)$', stanza, re.M)
    return m.group(1).strip() if m else None

def trim(stanza):
    "Keep only the fields in KEEP (with their continuation lines)."
    out, keep = [], False
    for line in stanza.split('\n'):
        if line[:1] not in (' ', '\t'): keep = line.split(':')[0] in KEEP
        if keep: out.append(line)
    return '\n'.join(out)

def main(lists, out='tests/data/ddtp_lists', n_de=70, n_ja=50, seed=0):
    lists, out = Path(lists), Path(out)
    pk = raw_stanzas(lists/f'{REL}binary-amd64_Packages')
    src = {}
    for s in pk: src.setdefault((field(s, 'Source') or field(s, 'Package')).split()[0], []).append(s)
    tr = {l: raw_stanzas(lists/f'{REL}i18n_Translation-{l}') for l in ('en', 'de', 'ja', 'it')}  # it: a language not shipped
    has = {l: {field(s, 'Package') for s in tr[l]} for l in ('de', 'ja')}
    rng = random.Random(seed)
    names = sorted(src)
    de_src = [s for s in names if any(field(p, 'Package') in has['de'] for p in src[s])]
    ja_src = [s for s in names if any(field(p, 'Package') in has['ja'] for p in src[s])]
    chosen = set(rng.sample(de_src, n_de)) | set(rng.sample(ja_src, n_ja)) | {'0ad', '0ad-data'}
    chosen = {s for s in chosen if len(src[s]) <= 12}  # keep the fixture small
    stanzas = [trim(s) for c in sorted(chosen) for s in src[c]]
    pkgs = {field(s, 'Package') for s in stanzas}
    out.mkdir(parents=True, exist_ok=True)
    (out/f'{REL}binary-amd64_Packages').write_text('\n\n'.join(stanzas) + '\n\n', encoding='utf-8')
    for l, ss in tr.items():
        keep = [s for s in ss if field(s, 'Package') in pkgs]
        (out/f'{REL}i18n_Translation-{l}').write_text('\n\n'.join(keep) + '\n\n', encoding='utf-8')
        print(l, len(keep), 'translations')
    print(len(chosen), 'sources,', len(stanzas), 'packages ->', out)

if __name__ == '__main__': main(*sys.argv[1:2])
