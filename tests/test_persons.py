"""The person extractor and facet values: titles out, spelling variants folded, short and long
forms merged, junk spans dropped, no network."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from persons import extract_persons
from persons.canonical import corpus_aliases, person_key, strip_proclitic
from persons.crf import bilou_spans, bio_spans, to_bilou
from persons.extract import clean_names, merge_within_article
from persons.features import doc_hint_masks, doc_hints, mask_hints, word_core
from persons.rules import has_name_word, rule_spans
from persons.tagger import META, MODEL_DIR, PersonTagger, average_spans, model_files

MEMBERS = [m["name"] for m in json.loads((MODEL_DIR / META).read_text(encoding="utf-8"))["members"]]
# every shipped model file, and whether it is a second pass (takes hints)
MODEL_FILES = [(f, k == 1) for m in MEMBERS for k, f in enumerate(model_files(m))]

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "dev" / "persons-anercorp-dev"


def test_titles_are_not_part_of_names() -> None:
    text = ("وقال وزير الخارجية عادل الجبير إن خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز استقبل "
            "الوفد. واستقبل صاحب السمو الملكي الأمير محمد بن سلمان رئيس هيئة "
            "الأركان المشتركة الفريق عبدالرحمن البنيان")
    assert extract_persons("", text) == ["عادل الجبير", "سلمان بن عبدالعزيز", "محمد بن سلمان", "عبدالرحمن البنيان"]


def test_short_mention_attaches_to_the_full_name() -> None:
    text = "استقبل الملك سلمان بن عبدالعزيز الوفد. وأكد الملك سلمان أن المملكة"
    assert extract_persons("", text) == ["سلمان بن عبدالعزيز"]
    assert merge_within_article(["سلمان", "محمد بن سلمان", "سلمان بن عبدالعزيز"]) == ["محمد بن سلمان",
                                                                                    "سلمان بن عبدالعزيز"]
    # a later bare surname belongs to the full name found earlier
    assert merge_within_article(["برند جوتشولك", "جوتشولك"]) == ["برند جوتشولك"]


def test_repeated_surname_is_found_from_the_full_name() -> None:
    text = ("والتقى الرئيس الأمريكي جورج بوش برئيس الوزراء البريطاني توني بلير. "
            "وقال بوش وبلير إن الحرب مستمرة")
    assert extract_persons("", text) == ["جورج بوش", "توني بلير"]


def test_clitics_titles_and_verbs_are_cut_from_values() -> None:
    assert clean_names(["وبوش"]) == ["بوش"]
    assert clean_names(["الرئيس", "هادي", "يعين", "نايف", "البكري"]) == ["هادي", "نايف البكري"]
    assert clean_names(["الملك", "سلمان"]) == ["سلمان"]
    assert clean_names(["محمد", "بن"]) == ["محمد"]
    assert clean_names(["في", "الاجتماع"]) == []
    assert strip_proclitic("فهد") == "فهد" and strip_proclitic("بلال") == "بلال" and strip_proclitic("كمال") == "كمال"
    assert strip_proclitic("وإسماعيل") == "إسماعيل"


def test_places_and_organisations_are_not_persons() -> None:
    assert extract_persons("", "زار قصر بكينغهام وفاز فريق بيلباو على ريال مدريد") == []
    assert extract_persons("", "وقال المدرب لكرة القدم إن الفريق") == []
    text = ("تخرج في جامعة الملك عبدالعزيز وعولج بمستشفى الملك فهد التخصصي. "
            "وافتتح الملك سلمان بن عبدالعزيز المشروع")
    assert extract_persons("", text) == ["سلمان بن عبدالعزيز"]


def test_facet_keys_fold_spelling_variants() -> None:
    assert person_key("أحمد الجبير") == person_key("احمد الجبير")
    assert person_key("عبدالله بن مساعد") == person_key("عبد الله بن مساعد")
    assert person_key("عبد ربه منصور هادي") == person_key("عبدربه منصور هادي")
    assert person_key("عبد ربه") != person_key("عبد ربيع")
    assert person_key("إسماعيل هنيّة") == person_key("اسماعيل هنيه")
    assert person_key("محمد") != person_key("محمود")


def test_corpus_merges_short_and_long_forms_of_one_name() -> None:
    keys = [person_key(n) for n in ("سلمان بن عبدالعزيز", "سلمان بن عبدالعزيز آل سعود", "عادل الجبير",
                                    "عادل بن أحمد الجبير", "محمد بن سلمان", "فهد بن عبدالله",
                                    "فهد بن عبدالله بن محمد", "فهد بن عبدالله الحربي")]
    weight = {k: 10 - i for i, k in enumerate(keys)}
    aliases = corpus_aliases(keys, weight)
    assert aliases[keys[1]] == keys[0] and aliases[keys[0]] == keys[0]
    assert aliases[keys[3]] == keys[2]
    assert keys[4] not in aliases  # nothing to merge with
    # فهد بن عبدالله extends into two different names: left alone
    assert keys[5] not in aliases and keys[6] not in aliases
    # different people sharing a first name never merge
    assert person_key("عادل فقيه") not in corpus_aliases([keys[2], person_key("عادل فقيه")], {})


def test_rules_baseline_still_finds_names_after_triggers() -> None:
    words = "قال وزير الخارجية عادل الجبير إن".split()
    assert [(s, e) for _, s, e in rule_spans(words)] == [(3, 5)]
    assert not has_name_word("لكرة القدم") and has_name_word("وباراك أوباما")


def _article_hints(sents: list[list[str]], spans: list) -> list[list[tuple[str, ...]]]:
    """doc_hint_masks of an article, back as per-word hint tuples (cores numbered as the word table does)."""
    ids: dict[str, int] = {}
    cores = np.array([ids.setdefault(word_core(w), len(ids)) for s in sents for w in s], dtype=np.int64)
    first = np.cumsum([0, *map(len, sents)])[:-1]
    masks = doc_hint_masks(cores, first, spans).tolist()
    return [[mask_hints(m) for m in masks[a : a + len(s)]] for a, s in zip(first, sents)]


def test_second_pass_hints_carry_names_across_sentences() -> None:
    sents = [["قال", "برند", "جوتشولك"], ["ورأى", "جوتشولك", "أنه"], ["وقال", "آخر"]]
    for hints_of in (_article_hints, lambda s, sp: doc_hints(s, sp, window=2)):
        hints = hints_of(sents, [[(1, 3, 0.9)], [], []])
        assert hints[1][1] == ("D:in", "D:last")  # the bare surname learns it ended a full name
        assert hints[0] == [(), (), ()]  # a sentence gets no evidence from itself
        assert hints_of(sents, [[(1, 3, 0.1)], [], []])[1][1] == ()  # an unsure span is no evidence


def test_article_hints_equal_the_windowed_form_over_the_whole_article() -> None:
    """doc_hint_masks (an article, integer cores) gives what doc_hints (training's string form)
    gives with a window as wide as the article, on real tagged news."""
    from indexer.readers import read_corpus
    from indexer.report import ReadReport
    from persons.extract import sentences

    tagger = PersonTagger(MODEL_DIR)
    compared = 0
    for article in itertools.islice(read_corpus([ROOT / "seeds" / "saudinewsnet"], ReadReport()), 40):
        sents = sentences(article.title, article.body)
        spans = [tagger.members[0][0].tag(w) for w in sents]
        assert _article_hints(sents, spans) == doc_hints(sents, spans, window=len(sents))
        compared += sum(1 for s in _article_hints(sents, spans) for h in s if h)
    assert compared > 50  # the articles did carry names across sentences


def test_compiled_crf_matches_crfsuite() -> None:
    """The Python decoder gives CRFsuite's own labels and marginals, for both passes."""
    import pycrfsuite

    from persons.crf import CompiledCRF
    from persons.extract import sentences
    from persons.features import sentence_features

    text = ("وقال وزير الخارجية عادل الجبير إن خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز استقبل "
            "الرئيس الأمريكي باراك أوباما في الرياض. وأكد الجبير أن المملكة، وفق ما نقلته واس، "
            "ترحب بالاتفاق. وشارك في اللقاء الأمير محمد بن نايف ووزير الدفاع.")
    sents = sentences("الجبير يلتقي كيري", text)
    for name, second in MODEL_FILES:
        ours = CompiledCRF.open(MODEL_DIR / name)
        ref = pycrfsuite.Tagger()
        ref.open(str(MODEL_DIR / name))
        spans_of = bilou_spans if "L-PER" in ref.labels() else bio_spans
        found = 0
        for words in sents:
            hints = [["D:in", "D:last"] if w == "الجبير" else [] for w in words] if second else None
            ref.set(sentence_features(words, hints))
            labels = ref.tag()
            mine = ours.tag(words, hints)
            assert [(s, e) for s, e, _ in mine] == spans_of(labels)
            found += len(mine)
            for s, e, conf in mine:
                assert abs(conf - min(ref.marginal(labels[k], k) for k in range(s, e))) < 1e-5
        assert found >= 4, name


def test_batch_tagging_equals_one_sentence_at_a_time() -> None:
    """An article's sentences scored as one padded batch (persons/crf.py) get the labels and
    confidences each sentence gets alone: no feature leaks across a sentence boundary."""
    from persons.crf import CompiledCRF
    from persons.extract import sentences

    sents = sentences("الجبير يلتقي كيري", "قال الرئيس محمود عباس. وأكد الجبير. " * 3 + "استقبل الأمير محمد بن نايف")
    sents.insert(2, [])  # an empty sentence in the batch
    for name, second in MODEL_FILES:
        crf = CompiledCRF.open(MODEL_DIR / name)
        hints = [[("D:in",) if w == "الجبير" else () for w in s] for s in sents] if second else None
        batch = crf.tag_batch(sents, hints)
        alone = [crf.tag(s, None if hints is None else h) for s, h in zip(sents, hints or [None] * len(sents))]
        assert [[(a, b) for a, b, _ in x] for x in batch] == [[(a, b) for a, b, _ in x] for x in alone]
        assert any(batch)
        for x, y in zip(batch, alone):
            assert all(abs(p[2] - q[2]) < 1e-9 for p, q in zip(x, y))


def test_bio_spans() -> None:
    assert bio_spans(["O", "B-PER", "I-PER", "O", "B-PER", "B-PER", "I-PER"]) == [(1, 3), (4, 5), (5, 7)]
    assert bio_spans(["I-PER", "O"]) == [(0, 1)]


def test_bilou_labels_and_spans() -> None:
    bio = ["O", "B-PER", "I-PER", "I-PER", "O", "B-PER", "B-PER", "I-PER"]
    assert to_bilou(bio) == ["O", "B-PER", "I-PER", "L-PER", "O", "U-PER", "B-PER", "L-PER"]
    assert bilou_spans(to_bilou(bio)) == bio_spans(bio)
    # a run that never ends (no L-PER) is no name; a lone L-PER neither
    assert bilou_spans(["B-PER", "I-PER", "O", "L-PER", "U-PER"]) == [(4, 5)]


def test_ensemble_confidence_is_the_members_mean() -> None:
    a = [(1, 3, 0.9), (5, 6, 0.8)]
    b = [(1, 3, 0.7), (4, 6, 0.9)]
    # (1, 3) found by both: 0.8; (4, 6) by one: 0.45, beats the overlapping (5, 6) at 0.4
    assert average_spans([a, b]) == [(1, 3, pytest.approx(0.8)), (4, 6, pytest.approx(0.45))]
    assert average_spans([a]) == a


def test_model_ships_with_the_package_and_uses_no_network(monkeypatch) -> None:
    import socket

    assert len(MODEL_FILES) >= 2
    for name, _ in MODEL_FILES:
        assert (MODEL_DIR / name).is_file() and (MODEL_DIR / name).stat().st_size < 5_000_000
    meta = json.loads((MODEL_DIR / META).read_text(encoding="utf-8"))
    assert 0 < meta["threshold"] < 1 and "persons.train" in meta["command"]

    def refuse(*a, **k):
        raise AssertionError("network access")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    tagger = PersonTagger(MODEL_DIR)
    spans = tagger.tag_sentence("قال الرئيس الفلسطيني محمود عباس إن".split())
    assert [(s, e) for s, e, _ in spans] == [(3, 5)]


@pytest.mark.skipif(not DEV.is_dir(), reason="needs ../shared/dev")
def test_evaluation_script_runs_on_a_sample(tmp_path) -> None:
    out = tmp_path / "eval.json"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "persons_eval.py"), str(DEV), "--folds", "2",
         "--limit", "400", "--json", str(out)],
        check=True, capture_output=True, timeout=300,
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["split"] == {"tune": 320, "held": 80}  # the last fifth is held back
    systems = [r["system"] for r in data["table"]]
    assert any(s.startswith("tune CV") and "rules only" in s for s in systems)
    assert any(s.startswith("held-back") and "rules only" in s for s in systems)
    assert any(s.startswith("held-back") and "this model" in s for s in systems)
    sweep = {r["system"]: r for r in data["sweep"]}
    crf = sweep[next(s for s in sweep if "both passes, thr 0.00" in s)]["set"]
    rules = data["table"][0]["set"]
    assert "rules only" in data["table"][0]["system"]
    for r in (crf, rules):
        assert 0 <= r["ci"][2][0] <= r["f1"] <= r["ci"][2][1] <= 1
    assert crf["f1"] > rules["f1"]


def test_word_table_starting_again_changes_no_span(monkeypatch) -> None:
    """Past MAX_ROWS word types the shared table is cleared and refilled (bounded memory on
    endless input): the spans stay those of a tagger that never cleared."""
    from indexer.readers import read_corpus
    from indexer.report import ReadReport
    from persons import wordtable
    from persons.extract import sentences

    articles = [sentences(a.title, a.body)
                for a in itertools.islice(read_corpus([ROOT / "seeds" / "saudinewsnet"], ReadReport()), 12)]
    expected = [PersonTagger(MODEL_DIR).tag_document(s) for s in articles]
    monkeypatch.setattr(wordtable, "MAX_ROWS", 400)
    small = PersonTagger(MODEL_DIR)
    got = [small.tag_document(s) for s in articles]
    distinct = {w for s in articles for x in s for w in x}
    assert len(small.table.rows) < len(distinct)  # it did start again
    assert [[[(a, b) for a, b, _ in x] for x in d] for d in got] == [[[(a, b) for a, b, _ in x] for x in d]
                                                                     for d in expected]
    assert any(any(d) for d in got)


def test_batch_select_keeps_the_chosen_sentences_laid_out_afresh() -> None:
    """Batch.select (the second pass's sentences, compiled gather) gives the rows, rule codes and
    hints of the kept sentences, in the order asked, in the layout a new batch of them has."""
    import numpy as np

    from persons.wordtable import PAD, Batch, _layout

    lens = np.array([3, 0, 5, 2, 4])
    starts, at, n = _layout(lens, PAD)
    rows = np.zeros(n, dtype=np.int64)
    rows[at] = np.arange(1, len(at) + 1)
    batch = Batch(rows, rows * 7, at, starts, starts + lens).with_hints(np.arange(len(at)) % 8)
    for keep in ([0, 2, 4], [1], [], [3, 0], [2]):
        got = batch.select(keep)
        want = [r for s in keep for r in rows[starts[s] : starts[s] + lens[s]]]
        new_starts, new_at, new_n = _layout(lens[keep] if keep else np.zeros(0, dtype=np.int64), PAD)
        assert got.rows[got.at].tolist() == want and len(got.rows) == new_n
        assert got.at.tolist() == new_at.tolist() and got.starts.tolist() == new_starts.tolist()
        assert got.codes[got.at].tolist() == [7 * r for r in want]
        assert got.hints[got.at].tolist() == [(r - 1) % 8 for r in want]


def test_model_weights_read_as_pycrfsuite_reads_them() -> None:
    """persons/crf.py reads a model's weights from its dump in one regex pass per section: the
    same transitions and state features as pycrfsuite's Tagger.info()."""
    import pycrfsuite

    from persons.crf import _weights

    for name, _ in MODEL_FILES[:2]:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(MODEL_DIR / name))
        info = tagger.info()
        transitions, states = _weights(tagger)
        assert {(a, b): w for a, b, w in states} == info.state_features and len(states) == len(info.state_features)
        assert {(a, b): w for a, b, w in transitions} == info.transitions and len(transitions) > 4


def test_the_tagger_works_where_numba_cannot_cache(tmp_path: Path) -> None:
    """With no place for numba's cache (a service user without a writable home, a read-only
    install: simulated by taking numba's cache locators away), the tagger still loads and finds
    the same names, compiling in memory (issue 22, item 14: `cache=True` failed at import)."""
    code = """
import numba.core.caching as caching
caching.CacheImpl._locator_classes = []
from persons import extract_persons
print(extract_persons("زيارة", "قال وزير الخارجية عادل الجبير إن الرئيس وصل"))
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                         cwd=Path(__file__).resolve().parent.parent)
    assert run.returncode == 0, run.stderr[-1500:]
    from persons import extract_persons

    assert run.stdout.strip() == str(extract_persons("زيارة", "قال وزير الخارجية عادل الجبير إن الرئيس وصل"))


def test_the_facet_noise_seen_in_the_bundled_corpus_is_cleaned() -> None:
    """Issue 20: values seen in the person facet for السعودية + سلمان بن عبدالعزيز that are no
    person, or a person with a word glued on."""
    from persons.extract import clean_names

    assert clean_names(["صباح", "الأحمد", "أمير"]) == ["صباح الأحمد"]  # a title after the name
    assert clean_names(["كرم", "أمير"]) == ["كرم"]
    assert clean_names(["سلمان", "باسمه"]) == ["سلمان"]  # "in his name"
    assert clean_names(["تشاد"]) == [] and clean_names(["الأزهر"]) == []  # a country, an institution
    assert clean_names(["الأمم", "المتحدة"]) == []
    assert clean_names(["فرانس", "برس"]) == [] and clean_names(["وفرانس", "برس"]) == []  # a news agency
    assert clean_names(["لميخائيل", "غورباتشوف"]) == ["ميخائيل غورباتشوف"]  # a clitic ل
    assert clean_names(["ولميخائيل", "غورباتشوف"]) == ["ميخائيل غورباتشوف"]  # و then ل
    # names that look like the rules' words are kept
    assert clean_names(["باسم", "يوسف"]) == ["باسم يوسف"]
    assert clean_names(["عادل", "الجبير"]) == ["عادل الجبير"]


def test_one_word_values_that_are_common_words_are_not_facet_values() -> None:
    """Issue 20's facet hygiene: a one-word value is listed only when it recurs and is no common
    word (بلاغاً "a report", روسي "Russian", بالله "by God"); a recurring one-word name is."""
    from searchcore.person_catalog import PersonCatalog, name_keys

    articles = [name_keys(["بلاغاً", "روسي", "بالله", "بوتين", "مورينيو"]) for _ in range(3)]
    catalog = PersonCatalog.build(articles + [name_keys(["كلينتون"])])
    facetable = dict(zip(catalog.display, catalog.facetable, strict=True))
    assert facetable == {"بلاغاً": False, "روسي": False, "بالله": False, "بوتين": True, "مورينيو": True,
                         "كلينتون": False}  # once only: not listed


def test_the_issues_noise_values_never_become_facet_values(bundled_sample) -> None:  # type: ignore[no-untyped-def]
    """On an index of the bundled articles they came from (tests/conftest.bundled_sample), for
    السعودية + سلمان بن عبدالعزيز as the issue saw them, and in the whole person facet."""
    from analyzers import normalize
    from searchcore import SearchParams, run_search
    from tests.conftest import NOISE_VALUES

    catalog = bundled_sample.snapshot().persons
    listed = {normalize(d) for d, f in zip(catalog.display, catalog.facetable, strict=True) if f}
    assert len(listed) > 100
    assert not listed & {normalize(v) for v in NOISE_VALUES}
    args = {"q": "السعودية", "facet_size": "500"}
    salman = SearchParams.from_args(args.get, lambda k: ["سلمان بن عبدالعزيز"] if k == "person" else [])
    facet = run_search(bundled_sample, salman)
    values = {normalize(p["value"]) for p in facet["facets"]["person"]}
    assert len(values) > 20 and not values & {normalize(v) for v in NOISE_VALUES}
    assert normalize("ميخائيل غورباتشوف") in listed  # the person is kept, without the clitics


@pytest.mark.slow  # one to three minutes: 12 small model sets are trained
@pytest.mark.skipif(not DEV.is_dir(), reason="needs ../shared/dev")
def test_levers_script_runs_on_a_sample(tmp_path) -> None:
    out = tmp_path / "levers.json"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "persons_levers.py"), str(DEV), "--limit", "400",
         "--folds", "2", "--articles", "30", "--confidence", "0.6", "--work", str(tmp_path / "models"),
         "--json", str(out)],
        check=True, capture_output=True, timeout=600,
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    ceiling = data["every proposed span"]
    for system in ("ensemble (as shipped)", "span reranker", "self-trained ensemble"):
        for part in ("tune", "held"):
            p, r, f = data[system]["0.00"][part]
            assert 0 <= p <= 1 and 0 <= f <= 1
            if system != "self-trained ensemble":  # other models, other proposals
                assert r <= ceiling[part][1] + 1e-9  # nothing finds a name no member proposed
    assert sum(data["self-labelled sentences"].values()) > 0  # sentences were added (small models are rarely sure)
    assert set(data["self-labelled sentences"]) == {"fold0", "fold1", "full"}
