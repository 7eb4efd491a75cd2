"End-to-end checks of the MLDoc and Webis-CLS-10 loaders on the real file layouts (extracted and zipped RCV, CD-ROM layout) and on bad input."
import shutil
import warnings
import zipfile
from pathlib import Path

import pytest

from multifit_fastai.benchmarks import RCVReader, cls, mldoc, mldoc_labels, read_mldoc_index, read_reviews, to_fastai_df

DATA = Path(__file__).resolve().parent/'data'
MLD, CLS = DATA/'mldoc', DATA/'cls'


@pytest.fixture
def mld(tmp_path):
    "A writable copy of the MLDoc sample (NIST layout: rcv/rcv1, rcv/RCV2_Multilingual_Corpus/<language>)."
    shutil.copytree(MLD, tmp_path/'m')
    return tmp_path/'m'


def zip_folders(src, dst, prefix=''):
    "Zip each sub-folder of `src` into `dst/<folder>.zip` (the CD-ROM layout), members optionally under `prefix`."
    dst.mkdir(parents=True, exist_ok=True)
    for sub in sorted(p for p in src.iterdir() if p.is_dir()):
        with zipfile.ZipFile(dst/f'{sub.name}.zip', 'w', zipfile.ZIP_DEFLATED) as z:
            for f in sorted(sub.iterdir()): z.write(f, prefix+f.name)


@pytest.mark.parametrize('lang,n', [('en', 8), ('de', 7), ('ja', 7)])
def test_mldoc_zipped_equals_extracted(tmp_path, lang, n):
    "RCV1's per-date zips and RCV2's per-folder zips (CD-ROM) give the same frame as the extracted NIST folders."
    ref = mldoc(MLD/'rcv', MLD, lang)
    name = {'en':'rcv1', 'de':'RCV2_Multilingual_Corpus/german', 'ja':'RCV2_Multilingual_Corpus/japanese'}[lang]
    zip_folders(MLD/'rcv'/name, tmp_path/'cd', prefix='data/' if lang=='ja' else '')
    got = mldoc(tmp_path/'cd', MLD/'mldoc-indices', lang)
    assert len(ref) == n and ref.equals(got)
    assert set(got.label) == set(mldoc_labels) and set(got.split) == {'train', 'dev', 'test'}


def test_mldoc_splits_and_texts():
    df = mldoc(MLD/'rcv', MLD, 'english')
    for split in ('train', 'dev', 'test'):
        ids = read_mldoc_index(MLD/f'mldoc-indices/english.{split if split!="train" else "train.1000"}').id
        assert df[df.split==split].id.tolist() == ids.tolist()  # index order kept
    assert df.set_index('id').loc['19960821-5991newsML', 'text'].startswith("France's central government budget deficit")
    assert not df.text.str.contains('<p>|&quot;|&amp;').any()
    assert df.text.str.len().min() > 50


def test_mldoc_missing_and_bad_files(mld, tmp_path):
    with pytest.raises(FileNotFoundError, match='german.dev.*facebookresearch/MLDoc'):
        (mld/'mldoc-indices/german.dev').unlink(); mldoc(mld/'rcv', mld, 'de')
    fn = mld/'rcv/rcv1/19960822/8692newsML.xml'
    fn.write_bytes(fn.read_bytes()[:-40])  # truncated
    with pytest.raises(ValueError, match=r'8692newsML.xml: not a well-formed RCV news item'):
        mldoc(mld/'rcv', mld, 'en')
    fn = mld/'rcv/RCV2_Multilingual_Corpus/japanese/FDJA3/430644.xml'
    fn.write_bytes(fn.read_bytes().replace('首相'.encode(), '首相'.encode('shift_jis')))  # declared UTF-8, bytes are not
    with pytest.raises(ValueError, match=r'430644.xml: not a well-formed RCV news item'):
        mldoc(mld/'rcv', mld, 'ja')
    (mld/'mldoc-indices/english.test').write_text('19970308-428849newsML\n../../etc/passwd\n')
    with pytest.raises(ValueError, match=r'english.test, line 2: .* is not an RCV document id'):
        mldoc(mld/'rcv', mld, 'en')
    (tmp_path/'z').mkdir(); (tmp_path/'z/FDG1.zip').write_bytes(b'PK\x03\x04 not really a zip')
    with pytest.raises(ValueError, match='FDG1.zip: not a valid zip file'):
        RCVReader([tmp_path/'z']).read('FDG1-305742')


def test_mldoc_tarball_hint(tmp_path):
    (tmp_path/'rcv2.tar.xz').write_bytes(b'')
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        with pytest.raises(FileNotFoundError, match='RCV document FDG1-305742 not found'):
            mldoc(tmp_path, MLD, 'de')
    assert any('rcv2.tar.xz: extract the archives' in str(o.message) for o in w)


def test_mldoc_skips_are_counted(mld):
    "Documents MLDoc would drop (no single top category, empty body) are skipped, counted and listed."
    fn = mld/'rcv/RCV2_Multilingual_Corpus/german/FDG4/368523.xml'
    fn.write_bytes(fn.read_bytes().replace(b'<code code="M11">', b'<code code="GCAT">'))
    fn = mld/'rcv/RCV2_Multilingual_Corpus/german/FDG7/417160.xml'
    t = fn.read_bytes(); s, e = t.index(b'<text>'), t.index(b'</text>')
    fn.write_bytes(t[:s] + b'<text>\n<p></p>\n' + t[e:])
    with pytest.warns(UserWarning, match=r'MLDoc german: skipped 2 documents \(1 without exactly one top category; 1 with an empty body\)'):
        df = mldoc(mld/'rcv', mld, 'de')
    assert len(df) == 5 and 'FDG4-368523' not in set(df.id) and 'FDG7-417160' not in set(df.id)
    assert df.attrs['skipped'] == {'without exactly one top category': ['FDG4-368523'], 'with an empty body': ['FDG7-417160']}


def test_cls_all_sample_languages():
    for lang, dom in [('en', 'books'), ('de', 'dvd'), ('fr', 'music'), ('jp', 'books')]:
        df = cls(CLS, lang, dom)
        lab = df[df.split!='unlabeled']
        assert lab.groupby('split').label.value_counts().to_dict() == {
            ('test', 'negative'): 2, ('test', 'positive'): 2, ('train', 'negative'): 2, ('train', 'positive'): 2}
        assert ((lab.rating > 3) == (lab.label == 'positive')).all()
        assert (df.split=='unlabeled').sum() == 3 and df[df.split=='unlabeled'].label.isna().all()
        items = read_reviews(CLS/f'cls-acl10-unprocessed/{lang}/{dom}/train.review')
        assert df[df.split=='train'].text.tolist() == [f"{o['summary']}\n{o['text']}" for o in items]
    assert cls(CLS, 'ja', 'books').equals(cls(CLS, 'jp', 'books'))


def test_cls_bad_input(tmp_path):
    shutil.copytree(CLS, tmp_path/'c')
    d = tmp_path/'c/cls-acl10-unprocessed/jp/books'
    good = (d/'train.review').read_text(encoding='utf-8')
    (d/'train.review').write_bytes(good.encode('shift_jis', errors='replace'))
    with pytest.raises(ValueError, match=r'jp/books/train.review is not valid utf-8 \(bad byte at offset \d+, line 2\)'):
        cls(tmp_path/'c', 'jp', 'books')
    (d/'train.review').write_text(good.replace('<text>', '<text><![CDATA[', 1).replace('</text>', ']]></text>', 1), encoding='utf-8')
    assert cls(tmp_path/'c', 'jp', 'books').text[0].startswith('最高の一冊\nとても読みやすく')
    (d/'train.review').write_text(good.replace('<rating>4.0</rating>', '<rating></rating>'), encoding='utf-8')
    with pytest.raises(ValueError, match='train.review: item 2 has no <rating>'):
        cls(tmp_path/'c', 'jp', 'books')
    (d/'train.review').write_text(good.replace('<rating>4.0</rating>', '<rating>40.0</rating>'), encoding='utf-8')
    with pytest.raises(ValueError, match='item 2 has rating 40.0, outside 1 to 5'):
        cls(tmp_path/'c', 'jp', 'books')
    (d/'train.review').write_text(good.replace('</item>\n\n<item>', '</item>\n garbage \n<item>', 1), encoding='utf-8')
    with pytest.raises(ValueError, match=r'train.review, line 3: unexpected text before item 2'):
        cls(tmp_path/'c', 'jp', 'books')
    (d/'train.review').write_text(good, encoding='utf-8')
    (d/'unlabeled.review').unlink()
    assert len(cls(tmp_path/'c', 'jp', 'books', unlabeled=False)) == 8
    with pytest.raises(FileNotFoundError, match='jp/books/unlabeled.review; Webis-CLS-10 is available at'):
        cls(tmp_path/'c', 'jp', 'books')


def test_cls_empty_reviews_are_counted(tmp_path):
    d = tmp_path/'cls-acl10-unprocessed/en/music'; d.mkdir(parents=True)
    item = '<item><category>music</category><rating>{}</rating><text>{}</text><summary>{}</summary></item>'
    (d/'train.review').write_text('<items>\n' + '\n\n'.join([item.format(5.0, 'Great album', 'Yes'), item.format(1.0, '', ''),
                                  item.format(2.0, 'Weak', '')]) + '\n</items>\n')
    (d/'test.review').write_text('<?xml version="1.0" encoding="UTF-8"?>\n<items>\n' + item.format(4.0, 'Fine', 'OK') + '\n</items>')
    with pytest.warns(UserWarning, match=r'CLS en/music: skipped 1 documents \(1 reviews without text\)'):
        df = cls(tmp_path, 'en', 'music', unlabeled=False)
    assert df.text.tolist() == ['Yes\nGreat album', 'Weak', 'OK\nFine']
    assert df.attrs['skipped'] == {'reviews without text': [f'{d/"train.review"}:2']}


def test_to_fastai_df_holdout():
    df = cls(CLS, 'de', 'dvd')
    a, b = to_fastai_df(df, valid=0.5, seed=1), to_fastai_df(df, valid=0.5, seed=2)
    assert len(a) == 4 and a.is_valid.sum() == 2 and sorted(a.text) == sorted(df[df.split=='train'].text)
    assert any((to_fastai_df(df, valid=0.5, seed=s).is_valid != a.is_valid).any() for s in range(2, 10))
    with pytest.raises(ValueError, match='between 0 and 1'): to_fastai_df(df, valid=1.5)
    with pytest.raises(ValueError, match="no split 'train' to validate on"): to_fastai_df(df, valid='train')
