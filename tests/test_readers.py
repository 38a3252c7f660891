"""Corpus readers on every supported format, including broken input."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from indexer.readers import read_corpus
from indexer.report import ReadReport


def _read(paths: list[Path]) -> tuple[list, ReadReport]:
    report = ReadReport()
    return list(read_corpus(paths, report)), report


def test_saudinewsnet_zip(tmp_path: Path) -> None:
    recs = [
        {"source": "okaz", "url": "http://okaz.com.sa/1", "date_extracted": "2015-07-21 02:51:32",
         "title": "عنوان", "author": "كاتب", "content": "نص المقال"},
        {"source": "sabq", "url": "http://sabq.org/2", "date_extracted": "2015-08-01 10:00:00",
         "title": "", "author": "", "content": "نص بلا عنوان\nسطر ثان"},
    ]
    z = tmp_path / "2015-07-21.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("2015-07-21.json", json.dumps(recs, ensure_ascii=False))
    arts, report = _read([z])
    assert [a.outlet for a in arts] == ["okaz", "sabq"]
    assert arts[0].date == "2015-07-21" and arts[0].author == "كاتب" and arts[0].title == "عنوان"
    assert arts[1].title == "نص بلا عنوان"  # empty title: first line of the body
    assert arts[0].id != arts[1].id and len(arts[0].id) == 16
    assert report.problems == []


def test_generic_json_jsonl_and_txt(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([{"id": "x1", "outlet": "alriyadh", "date": "2020-01-02",
                                                 "title": "t", "text": "نص", "persons": ["أحمد"]}]))
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"title": "jl", "body": "سطر", "url": "https://e.com/1"}) + "\n\n"
        + json.dumps({"title": "jl2", "body": "سطر2"}) + "\n"
    )
    (tmp_path / "c.txt").write_text("العنوان\n\nالنص هنا")
    (tmp_path / "c.json").write_text(json.dumps({"author": "فلان", "date": "2023-11-06", "outlet": "unknown"}))
    arts, report = _read([tmp_path])
    by_title = {a.title: a for a in arts}
    assert set(by_title) == {"t", "jl", "jl2", "العنوان"}
    assert by_title["t"].id == "x1" and by_title["t"].persons == ["أحمد"] and by_title["t"].persons_given
    assert by_title["jl"].outlet == "unknown" and by_title["jl"].date is None
    txt = by_title["العنوان"]
    assert txt.body == "النص هنا" and txt.author == "فلان" and txt.date == "2023-11-06" and txt.id == "c"
    assert report.problems == []


def test_broken_input_is_skipped_and_reported(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("[{\"title\": \"x\", ")
    (tmp_path / "lines.jsonl").write_text(
        json.dumps({"title": "ok", "body": "نص"}) + "\n{broken\n" + json.dumps([1, 2]) + "\n"
        + json.dumps({"title": "", "body": ""}) + "\n"
        + json.dumps({"title": "d", "body": "نص", "date": "yesterday-ish"}) + "\n"
        + json.dumps({"id": "dup", "title": "a", "body": "نص"}) + "\n"
        + json.dumps({"id": "dup", "title": "b", "body": "نص"}) + "\n"
        + json.dumps({"title": "big", "body": "ب" * 500_000}) + "\n"
    )
    (tmp_path / "latin1.jsonl").write_bytes(b'{"title": "caf\xe9", "body": "x"}\n')
    (tmp_path / "notzip.zip").write_bytes(b"not a zip")
    arts, report = _read([tmp_path])
    titles = sorted(a.title for a in arts)
    assert titles == ["a", "big", "caf\ufffd", "d", "ok"]
    reasons = report.counts()
    assert any("malformed JSON" in r and r.startswith("skipped") for r in reasons)
    assert any("not a JSON object" in r for r in reasons)
    assert any("no text" in r for r in reasons)
    assert any("unparseable date" in r and r.startswith("repaired") for r in reasons)
    assert any("duplicate id" in r for r in reasons)
    assert any("truncated" in r for r in reasons)
    assert any("invalid UTF-8" in r for r in reasons)
    assert any("unreadable file" in r for r in reasons)
    for p in report.problems:
        assert p.file and p.position and p.reason
    big = next(a for a in arts if a.title == "big")
    assert len(big.body) == 400_000
    d = report.to_dict()
    assert d["skipped"] == report.skipped and d["problems"]


def test_jsonl_is_read_line_by_line_with_bad_lines_repaired(tmp_path: Path) -> None:
    """A JSONL file is streamed: a BOM, CRLF endings, a line with invalid UTF-8 (repaired and
    reported with its line), and a U+2028 inside a JSON string (a line break for str.splitlines,
    not for JSONL) all read; only the malformed line is skipped."""
    lines = [
        '{"id": "a", "title": "عنوان", "body": "نص"}',
        '{"id": "b", "title": "caf\xe9", "body": "x"}',
        '{"id": "c", "title": "سطر\u2028ثان", "body": "y"}',
        '{"id": "d", "title": ',
        '{"id": "e", "title": "أخير", "body": "z"}',
    ]
    data = b"\xef\xbb\xbf" + b"\r\n".join(
        line.encode("latin-1") if i == 1 else line.encode("utf-8") for i, line in enumerate(lines)
    )
    (tmp_path / "s.jsonl").write_bytes(data)
    report = ReadReport()
    arts = list(read_corpus([tmp_path], report))
    assert [a.id for a in arts] == ["a", "b", "c", "e"]
    assert arts[2].title == "سطر\u2028ثان"
    problems = [(p.position, p.reason) for p in report.problems]
    assert any(pos.startswith("line 2") and "invalid UTF-8" in why for pos, why in problems)
    assert any(pos == "line 4" and "malformed JSON" in why for pos, why in problems)


def test_links_out_of_the_corpus_folder_are_not_followed(tmp_path: Path) -> None:
    """A .txt linked to /etc/passwd, a sidecar linked to /proc/self/status and a folder linked to
    /etc are not read (issue 22, item 11: the reindex's own environment became searchable);
    links that stay inside the folder are read; a file named directly is read as given."""
    import os

    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("خبر أول\nنص الخبر الأول", encoding="utf-8")
    (corpus / "sub" / "inner.txt").write_text("خبر ثان\nنص الخبر الثاني", encoding="utf-8")
    (corpus / "evil.txt").write_text("خبر ثالث\nنص الخبر الثالث", encoding="utf-8")
    os.symlink("/etc/passwd", corpus / "passwd.txt")
    os.symlink("/proc/self/status", corpus / "evil.json")
    os.symlink("/etc", corpus / "etc-dir")
    os.symlink(corpus / "a.txt", corpus / "sub" / "same.txt")  # stays inside: read
    (tmp_path / "outside.txt").write_text("خارجي\nنص", encoding="utf-8")
    os.symlink(tmp_path / "outside.txt", corpus / "outside.txt")
    report = ReadReport()
    arts = list(read_corpus([corpus], report))
    texts = " ".join(a.title + " " + a.body for a in arts)
    assert "root" not in texts and "Pid" not in texts and "خارجي" not in texts
    assert sorted(a.id for a in arts) == ["a", "evil", "inner", "same"]  # same.txt links inside: read
    reasons = [p.reason for p in report.problems]
    assert sum("link out of the corpus folder" in r for r in reasons) >= 3
    direct = list(read_corpus([corpus / "outside.txt"], ReadReport()))  # named by the user: read
    assert [a.title for a in direct] == ["خارجي"]


def test_zip_members_over_the_limit_are_skipped(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A zip member bigger than MAX_MEMBER_BYTES uncompressed (a zip bomb: here 8 MB of spaces
    around an article, at a 1 MB limit) is reported and skipped before it is inflated; the
    other members are read (issue 22, item 12)."""
    import indexer.readers

    monkeypatch.setattr(indexer.readers, "MAX_MEMBER_BYTES", 1024 * 1024)
    good = json.dumps([{"id": "ok", "title": "خبر", "body": "نص الخبر"}], ensure_ascii=False)
    bomb = "[" + " " * (8 * 1024 * 1024) + json.dumps({"id": "bomb", "title": "قنبلة", "body": "نص"}) + "]"
    path = tmp_path / "c.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.json", good)
        z.writestr("b.json", bomb)
    assert path.stat().st_size < 100_000  # the ratio of a bomb
    report = ReadReport()
    assert [a.id for a in read_corpus([path], report)] == ["ok"]
    assert any("limit" in p.reason and p.file.endswith("!b.json") for p in report.problems)


def test_one_bad_record_or_file_never_aborts_a_run(tmp_path: Path) -> None:
    """Each of these aborted a whole reindex with a traceback (issue 22, item 10); now each is
    skipped or repaired with a reason and the rest is indexed: a lone surrogate in a title (SQLite
    refused it), a file name that is not UTF-8, JSON nested deeper than Python's stack, and an
    integer of more than 4,300 digits."""
    import os

    from indexer import reindex
    from searchcore import IndexHandle, SearchParams, run_search

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "surrogate.json").write_text('[{"id": "s1", "title": "خبر \\ud800 مكسور", "body": "نص الخبر"}]',
                                           encoding="utf-8")
    (corpus / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (corpus / "digits.jsonl").write_text('{"id": "d1", "title": "رقم", "body": "نص", "n": ' + "9" * 5000 + "}\n"
                                         '{"id": "d2", "title": "رقم ثان", "body": "نص آخر"}\n', encoding="utf-8")
    name = os.fsencode(corpus) + b"/caf\xe9.json"
    with open(name, "wb") as f:
        f.write(json.dumps([{"id": "latin1-name", "title": "اسم ملف", "body": "نص ملف"}], ensure_ascii=False).encode())
    result = reindex(tmp_path / "ix", [corpus], full=True, procs=1)
    got = {h["id"] for h in run_search(IndexHandle(tmp_path / "ix"), SearchParams(per_page=100))["hits"]}
    assert got == {"s1", "d2", "latin1-name"} and result.articles == 3
    reasons = " | ".join(f"{p.file} {p.reason}" for p in result.report.problems)
    assert "RecursionError" in reasons and "ValueError" in reasons
    from indexer.readers import display_name

    assert display_name(Path(os.fsdecode(name))) == f"{corpus}/caf\ufffd.json"
    hit = run_search(IndexHandle(tmp_path / "ix"), SearchParams(q="مكسور"))["hits"][0]
    assert "\ufffd" in hit["title"]


def test_minor_record_problems_are_repaired_and_said(tmp_path: Path) -> None:
    """Issue 22, item 15: an id of dots would collapse the article's link (`/article/..`), an
    integer date of -1 or 0 means "unknown" (not 1969-12-31), a sidecar that is not an object is
    reported (was silently ignored), and a 100,000-character person name is dropped."""
    arts = [{"id": "..", "title": "نقطتان", "body": "نص"}, {"id": ".", "title": "نقطة", "body": "نص آخر"},
            {"id": "d", "title": "تاريخ", "body": "نص ثالث", "date": -1},
            {"id": "z", "title": "صفر", "body": "نص رابع", "date": 0},
            {"id": "p", "title": "اسم", "body": "نص خامس", "persons": ["عادل الجبير", "ب" * 100_000]}]
    (tmp_path / "a.json").write_text(json.dumps(arts, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "t.txt").write_text("عنوان\nنص", encoding="utf-8")
    (tmp_path / "t.json").write_text('["not", "an", "object"]', encoding="utf-8")
    report = ReadReport()
    got = {a.title: a for a in read_corpus([tmp_path], report)}
    assert got["نقطتان"].id.strip(".") and got["نقطة"].id.strip(".")  # replaced by hashes
    assert got["تاريخ"].date is None and got["صفر"].date is None
    assert got["اسم"].persons == ["عادل الجبير"]
    reasons = [p.reason for p in report.problems]
    assert "sidecar is not a JSON object; ignored" in reasons
    assert any("person name longer" in r for r in reasons) and reasons.count("unusable id (replaced by a hash)") == 2
