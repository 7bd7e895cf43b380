"""Reading documents: metadata of a PIB release, JSON Lines ids, and one-line errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLES, SEED, SHARED

from defence_kg.ingest import InputError, read_documents


def test_pib_text_metadata():
    (document,) = read_documents([SEED])
    assert document.id == SEED.stem
    assert document.date == "2020-09-03"
    assert document.publisher == "PIB Delhi"
    assert document.url == "https://pib.gov.in/PressReleasePage.aspx?PRID=1651150"
    assert document.title.startswith("Raksha Mantri Shri Rajnath Singh has a warm and friendly meeting")
    assert document.text == SEED.read_text(encoding="utf-8")


def test_jsonl_keeps_ids_and_metadata():
    documents = list(read_documents([EXAMPLES / "news.jsonl"]))
    assert [d.id for d in documents] == ["news-team-07", "news-team-08", "news-team-09", "news-team-10"]
    assert documents[0].date == "2024-03-18" and documents[0].url.startswith("https://")


def test_directory_is_walked_recursively(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "one.txt").write_text("India and France signed an agreement.")
    (tmp_path / "two.md").write_text("Russia supplied rifles to India.")
    (tmp_path / "skip.pdf").write_bytes(b"%PDF")
    assert sorted(d.id for d in read_documents([tmp_path])) == ["one", "two"]


def test_jsonl_date_is_normalised(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "x", "text": "Some text.", "date": "3 September 2020"}\n')
    assert next(read_documents([path])).date == "2020-09-03"


@pytest.mark.parametrize(
    ("name", "content", "where", "problem"),
    [
        ("empty.txt", "", "empty.txt", "the file is empty"),
        ("blank.txt", "  \n\n ", "blank.txt", "the file is empty"),
        ("bad.jsonl", '{"id": "a", "text": "ok"}\n{"id": "b", "text": \n', "bad.jsonl:2", "malformed JSON"),
        ("notext.jsonl", '{"id": "a", "title": "no body"}\n', "notext.jsonl:1", "no 'text'"),
        ("array.jsonl", '[1, 2]\n', "array.jsonl:1", "expected a JSON object"),
        ("binary.txt", bytes(range(32)) * 64, "binary.txt", "a binary file, not text"),
        ("table.csv", "a,b\n1,2\n", "table.csv", "no text column (one of text, body, content)"),
        ("blank-row.csv", "id,text\nx,\n", "blank-row.csv:2", "the text column is empty"),
        ("nav.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>", "nav.html", "no article text in this page"),
        ("empty.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>', "empty.rss",
         "the feed has no items"),
        ("notafeed.xml", "<html><p>hello</p></html>", "notafeed.xml", "not an RSS or Atom feed"),
        ("sheet.xlsx", "PK", "sheet.xlsx", "unsupported file type"),
    ],
)
def test_bad_input_names_file_and_problem(tmp_path, name, content, where, problem):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(InputError) as caught:
        list(read_documents([path]))
    assert str(caught.value).startswith(str(tmp_path / where))
    assert problem in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        list(read_documents([tmp_path / "nowhere.txt"]))


def test_directory_without_documents(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    with pytest.raises(InputError, match="no readable documents"):
        list(read_documents([tmp_path]))


TEXT = "Défense: India and Russia signed an agreement in Moscow."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252"])
def test_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / f"release-{encoding}.txt"
    path.write_bytes((TEXT + "\nThe two ministers met in Moscow on Friday.\n").encode(encoding))
    (document,) = read_documents([path])
    assert document.text.startswith(TEXT)


def test_a_binary_file_is_refused(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    with pytest.raises(InputError, match="photo.txt: a binary file, not text"):
        list(read_documents([path]))


def test_text_is_guarded_before_spacy(tmp_path, nlp):
    path = tmp_path / "hostile.jsonl"
    path.write_text('{"id": "h", "text": "India\\u0000 and \\u202eRussia\\u202c signed an agreement.\\ud800"}\n')
    (document,) = read_documents([path])
    assert document.text == "India and Russia signed an agreement.?"
    assert nlp(document.text)._.relations


SOURCES = DATA / "sources"


@pytest.mark.parametrize(("name", "expected"), [
    ("pib-release.html", [("pib-release", "2025-03-12", "https://pib.gov.in/PressReleasePage.aspx?PRID=9990001", "PIB Delhi",
                           "Raksha Mantri Shri Rajnath Singh held talks")]),
    ("news-article.html", [("news-article", "2025-04-02", "https://news.example.org/2025/04/philippines-japan-drill",
                            "Example Defence News", "The navies of the Philippines and Japan conducted")]),
    ("feed.rss", [("wire-1", "2025-01-14", "https://wire.example.org/rafale", "Example Defence Wire", "France has delivered three more Rafale"),
                  ("wire-2", "2025-01-15", "https://wire.example.org/k9", "Example Defence Wire", "Poland signed a contract")]),
    ("feed.atom", [("urn:example:atom:1", "2025-02-01", "https://atom.example.org/yudh", "Example Atom Wire", "The Indian Army and the US Army")]),
    ("releases.csv", [("csv-1", "2024-03-18", "https://csv.example.org/1", "", "Russia has supplied another S-400"),
                      ("csv-2", "2024-07-05", "", "", "Kazakh Defence Minister Ruslan Zhaksylykov met")]),
])
def test_saved_pages_feeds_and_tables(name, expected):
    documents = list(read_documents([SOURCES / name]))
    assert [(d.id, d.date, d.url, d.publisher) for d in documents] == [e[:4] for e in expected]
    for document, (*_, excerpt) in zip(documents, expected, strict=True):
        assert excerpt in document.text
        assert "Home" not in document.text and "Most read" not in document.text and "<" not in document.text


def test_an_html_page_is_read_without_the_network(nlp):
    (document,) = read_documents([SOURCES / "pib-release.html"])
    relations = {(r.predicate, r.subject.label, r.object.label) for r in nlp(document.text)._.relations}
    assert ("meets", "Rajnath Singh", "Richard Marles") in relations



def test_globs_and_standard_input(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("India and France signed an agreement.")
    (tmp_path / "two.txt").write_text("Russia supplied rifles to India.")
    assert sorted(d.id for d in read_documents([str(tmp_path / "**" / "*.txt")])) == ["one", "two"]
    with pytest.raises(InputError, match=r"\*\.pdf: no file matches this pattern"):
        list(read_documents([str(tmp_path / "*.pdf")]))
    cli = Path(sys.executable).with_name("defence-kg")
    text = subprocess.run([cli, "extract", "-"], input="Russia supplied S-400 systems to India.", capture_output=True, text=True)
    lines = subprocess.run([cli, "extract", "-"], input='{"id": "a", "text": "Japan and the Philippines held a joint exercise."}\n',
                           capture_output=True, text=True)
    assert json.loads(text.stdout)["id"] == "stdin" and json.loads(text.stdout)["relations"][0]["predicate"] == "supplies"
    assert json.loads(lines.stdout)["id"] == "a" and json.loads(lines.stdout)["relations"][0]["predicate"] == "exercisesWith"


def test_a_long_document_is_read_in_chunks_with_whole_text_offsets(nlp):
    from defence_kg.ingest import Document, extract
    from defence_kg.ingest.extract import CHUNK_CHARS, chunks

    filler = "The ministry published its annual report on procurement and training.\n\n" * 900
    text = filler + "Russia supplied S-400 systems to India.\n\n" + filler + "Japan and the Philippines held a joint exercise.\n"
    assert len(text) > CHUNK_CHARS
    pieces = chunks(text)
    assert "".join(piece for _, piece in pieces) == text and all(len(piece) <= CHUNK_CHARS for _, piece in pieces)
    assert all(piece.endswith("\n") for _, piece in pieces[:-1])
    (_, relations), = extract([Document("long", text)], nlp)
    found = {r.predicate: r for r in relations}
    assert set(found) == {"supplies", "exercisesWith"}
    for relation in relations:
        assert text[relation.start:relation.end] == relation.evidence


def test_a_document_over_the_cap_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("India and France signed an agreement.\n" * 530_000)  # about 20 MB
    with pytest.raises(InputError, match=r"huge.txt: 20,140,000 characters, over the cap of 10,000,000 \(--max-chars\)"):
        list(read_documents([path]))
    assert len(next(read_documents([path], max_chars=30_000_000)).text) == 20_140_000


@pytest.mark.parametrize(("text", "language"), [
    ("Le ministre de la Défense a rencontré son homologue indien à Paris pour discuter de la coopération navale.", "fr"),
    ("Der Verteidigungsminister hat heute seinen indischen Amtskollegen in Berlin empfangen und über Rüstung gesprochen.", "de"),
    ("रक्षा मंत्री श्री राजनाथ सिंह ने आज नई दिल्ली में फ्रांसीसी मंत्री से द्विपक्षीय रक्षा सहयोग पर विस्तृत बातचीत की।", "hi"),
])
def test_documents_not_in_english_are_skipped(tmp_path, text, language):
    path = tmp_path / "foreign.jsonl"
    path.write_text(json.dumps({"id": "x", "text": text}) + "\n" + json.dumps({"id": "en", "text": "Russia supplied rifles to India."}) + "\n")
    skipped = []
    assert [d.id for d in read_documents([path], skipped.append)] == ["en"]
    assert [str(e) for e in skipped] == [f"{path}:1: not English (reads as {language}); the extraction rules are English"]


def test_every_gold_document_reads_as_english():
    gold = SHARED / "gold" / "dev.jsonl"
    assert len(list(read_documents([gold]))) == 85


def test_other_keys_are_kept_as_metadata(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_text(json.dumps({"id": "m", "text": "Russia supplied rifles to India.", "desk": "south asia", "tags": ["arms"], "x": None}) + "\n")
    (document,) = read_documents([path])
    assert document.metadata == (("desk", "south asia"), ("tags", '["arms"]'))
    (row_one, _) = read_documents([DATA / "sources" / "releases.csv"])
    assert row_one.metadata == (("desk", "south asia"),)


def test_a_file_without_read_permission_is_skipped_and_the_rest_goes_in():
    """Run as an unprivileged user (root reads anything): `setpriv` drops to nobody when the tests run as root."""
    import os
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="defence-kg-perm-"))
    try:
        folder.chmod(0o755)
        shutil.copy(SEED, folder / "readable.txt")
        (folder / "readable.txt").chmod(0o644)
        secret = folder / "secret.txt"
        secret.write_text("India and France signed an agreement.", encoding="utf-8")
        secret.chmod(0o000)
        command = [str(Path(sys.executable).with_name("defence-kg")), "extract", str(folder)]
        if os.geteuid() == 0:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", *command]
        run = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "HOME": str(folder)})
        assert run.returncode == 3, run.stderr
        assert f"skipped: {secret}: Permission denied" in " ".join(run.stderr.split())
        assert [json.loads(line)["id"] for line in run.stdout.splitlines()] == ["readable"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_csv_cell_longer_than_the_csv_module_default_is_read(tmp_path):
    path = tmp_path / "long.csv"
    body = "India and France signed an agreement. " * 5000  # 190,000 characters, over csv's 131,072
    path.write_text(f'id,text\nlong,"{body}"\n', encoding="utf-8")
    [document] = read_documents([path])
    assert len(document.text) == len(body)


def test_a_csv_file_the_csv_module_cannot_read_further_is_reported_from_that_line(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text('id,text\n1,"India met Russia."\n2,"' + "x" * 10_000_001 + '"\n', encoding="utf-8")
    problems: list[InputError] = []
    documents = list(read_documents([path], problems.append))
    assert [d.id for d in documents] == ["1"]
    assert [p.where for p in problems] == [f"{path}:3"] and "not readable as CSV" in problems[0].problem
