"""Read documents from text, Markdown, JSON Lines, CSV, saved HTML pages and saved RSS/Atom feeds
into `Document` records.

Every problem a user can cause (missing file, empty file, bad JSON, a page with no article, a feed
with no items) is an `InputError` naming the file and line, raised before anything is extracted or
stored. Nothing is fetched: HTML goes through trafilatura's extractor and feeds through feedparser,
both given the file's text, never a URL.
"""

from __future__ import annotations

import codecs
import csv
import glob
import io
import json
import re
import sys
from functools import lru_cache
from html.parser import HTMLParser
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import charset_normalizer
import feedparser
import trafilatura

from .dates import normalise_date
from .errors import InputError
from .records import Document

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl",)
CSV_SUFFIXES = (".csv",)
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES + CSV_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES
TEXT_COLUMNS = ("text", "body", "content")
KNOWN_KEYS = frozenset({"id", "text", "title", "date", "url", "publisher"})
MIN_ARTICLE_WORDS = 5
FOREIGN_MIN_WORDS = 8  # py3langid is unsure below a sentence: "Kazakh Defence Minister ... met ..." reads as Javanese
FOREIGN_MIN_PROBABILITY = 0.8

# Press Information Bureau releases as saved text: a title line, "Posted On: <date> by <office>",
# and "(Release ID: <n>)" at the end. Other text files get their first line as title.
_PIB_POSTED = re.compile(r"^\s*Posted On:\s*(?P<date>.+?)\s+by\s+(?P<office>.+?)\s*$", re.MULTILINE)
_PIB_RELEASE = re.compile(r"\(Release ID:\s*(?P<id>\d+)\s*\)")
PIB_URL = "https://pib.gov.in/PressReleasePage.aspx?PRID={}"


Report = Callable[[InputError], None]


MAX_CHARS = 10_000_000


def read_documents(paths: Iterable[str | Path], report: Report | None = None, max_chars: int = MAX_CHARS) -> Iterator[Document]:
    """Yield the documents of every file named or found below a named directory.

    Without `report` the first problem raises its `InputError`; with it, each problem (a file, or one
    line or item of a file) is reported and skipped, and reading goes on with the rest. A document
    longer than `max_chars` is refused (longer ones than spaCy takes are read in chunks)."""
    def problem(error: InputError) -> None:
        if report is None:
            raise error
        report(error)

    for raw in paths:
        if str(raw) == "-":
            for item in _stdin_documents():
                if isinstance(item, InputError):
                    problem(item)
                else:
                    yield item
            continue
        if not Path(raw).exists() and glob.has_magic(str(raw)):
            matches = sorted(Path(p) for p in glob.glob(str(raw), recursive=True) if Path(p).is_file())
            if not matches:
                problem(InputError(str(raw), "no file matches this pattern"))
            yield from read_documents(matches, report or problem, max_chars)
            continue
        path = Path(raw)
        try:
            if not path.exists():
                raise InputError(str(path), "no such file or directory")
            if path.is_dir():
                files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
                if not files:
                    raise InputError(str(path), f"no readable documents ({', '.join(SUFFIXES)}) in this directory")
            else:
                files = [path]
        except InputError as error:
            problem(error)
            continue
        for file in files:
            try:
                for item in read_file(file):
                    if isinstance(item, Document) and not item.text.strip():
                        item = InputError(item.source, "no text left once control characters are removed")
                    elif isinstance(item, Document) and len(item.text) > max_chars:
                        item = InputError(item.source, f"{len(item.text):,} characters, over the cap of {max_chars:,} (--max-chars)")
                    elif isinstance(item, Document) and (other := foreign_language(item.text)):
                        item = InputError(item.source, f"not English (reads as {other}); the extraction rules are English")
                    if isinstance(item, InputError):
                        problem(item)
                    else:
                        yield item
            except InputError as error:
                problem(error)


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def foreign_language(text: str) -> str:
    """The language code when the text is confidently not English, else "" (short texts are given the benefit of the doubt)."""
    sample = text[:5000]
    if len(sample.split()) < FOREIGN_MIN_WORDS:
        return ""
    language, probability = _identifier().classify(sample)
    return language if language != "en" and probability >= FOREIGN_MIN_PROBABILITY else ""


def _stdin_documents() -> Iterator[Document | InputError]:
    """`-`: JSON Lines when the input starts with `{`, otherwise one text document with the id `stdin`."""
    text = decode(sys.stdin.buffer.read(), "-")
    if not text.strip():
        yield InputError("-", "standard input is empty")
    elif text.lstrip().startswith("{"):
        yield from _jsonl_documents(Path("stdin"), text)
    else:
        yield text_document("stdin", text, source="-")


def read_file(path: Path) -> Iterator[Document | InputError]:
    """The documents of one file; a bad line or item comes out as an `InputError` in its place."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(str(path), f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}")
    text = _read_text(path)
    if not text.strip():
        raise InputError(str(path), "the file is empty")
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_documents(path, text)
    elif suffix in CSV_SUFFIXES:
        yield from _csv_documents(path, text)
    elif suffix in HTML_SUFFIXES:
        yield _html_document(path, text)
    elif suffix in FEED_SUFFIXES:
        yield from _feed_documents(path, text)
    else:
        yield text_document(path.stem, text, source=str(path))


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), exc.strerror or "cannot be read") from None
    return decode(data, str(path))


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNSAFE = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")  # NUL, bidi embeddings, overrides and isolates


def decode(data: bytes, where: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM); UTF-16 or UTF-32 by their BOM; otherwise the
    encoding charset-normalizer finds (Latin-1, cp1252, ...). A file that decodes to control
    characters is binary and refused."""
    text = next((data[len(bom):].decode(codec, errors="replace") for bom, codec in _BOMS if data.startswith(bom)), None)
    if text is None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            best = charset_normalizer.from_bytes(data).best()
            text = str(best) if best is not None else None
    if text is None or len(_CONTROL.findall(text[:65536])) > max(8, len(text[:65536]) // 100):
        raise InputError(where, "a binary file, not text")
    return text


def guard(text: str) -> str:
    """Text spaCy can take: NUL and bidi controls removed, lone surrogates (which crash spaCy) replaced."""
    return _UNSAFE.sub("", text).encode("utf-8", errors="replace").decode("utf-8")


def text_document(doc_id: str, text: str, source: str = "") -> Document:
    """A document from plain text, with the metadata a PIB release carries in its text."""
    text = guard(text)
    title = next((line.strip().rstrip(";") for line in text.splitlines() if line.strip()), "")
    date = publisher = url = ""
    posted = _PIB_POSTED.search(text)
    if posted:
        date = normalise_date(posted["date"])
        publisher = posted["office"]
    release = _PIB_RELEASE.search(text)
    if release:
        url = PIB_URL.format(release["id"])
    return Document(id=doc_id, text=text, title=title, date=date, url=url, publisher=publisher, source=source)


def _jsonl_documents(path: Path, text: str) -> Iterator[Document | InputError]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield InputError(where, "expected a JSON object")
            continue
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            yield InputError(where, "no 'text' (a non-empty string) in this record")
            continue
        date = record.get("date") or ""
        extra = tuple((str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
                      for k, v in record.items() if k not in KNOWN_KEYS and v not in (None, ""))
        yield Document(
            id=str(record.get("id") or f"{path.stem}-{number}"),
            text=guard(body),
            title=guard(str(record.get("title") or "")),
            date=normalise_date(str(date)) if date else "",
            url=str(record.get("url") or ""),
            publisher=str(record.get("publisher") or ""),
            source=where,
            metadata=extra,
        )


def _csv_documents(path: Path, text: str) -> Iterator[Document | InputError]:
    """One document per row; the text is the `text` (or `body`, `content`) column."""
    csv.field_size_limit(MAX_CHARS)  # the module's default (131,072) is shorter than many articles
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise InputError(f"{path}:1", f"not readable as CSV ({exc})") from None
    columns = {name.strip().lower(): name for name in header}
    body_column = next((columns[c] for c in TEXT_COLUMNS if c in columns), None)
    if body_column is None:
        raise InputError(str(path), f"no text column (one of {', '.join(TEXT_COLUMNS)}) in the header")
    for number, row in enumerate(_csv_rows(reader, path), start=2):
        if isinstance(row, InputError):
            yield row
            return
        where = f"{path}:{number}"
        body = row.get(body_column) or ""
        if not body.strip():
            yield InputError(where, f"the {body_column} column is empty")
            continue
        value = {key: (row.get(columns[key]) or "").strip() for key in ("id", "title", "date", "url", "publisher") if key in columns}
        extra = tuple((name, (row.get(name) or "").strip()) for key, name in columns.items()
                      if key not in KNOWN_KEYS and name != body_column and (row.get(name) or "").strip())
        yield Document(
            id=value.get("id") or f"{path.stem}-{number - 1}", text=guard(body), title=guard(value.get("title", "")),
            date=normalise_date(value["date"]) if value.get("date") else "", url=value.get("url", ""),
            publisher=value.get("publisher", ""), source=where, metadata=extra,
        )


def _csv_rows(reader: csv.DictReader, path: Path) -> Iterator[dict[str, str] | InputError]:
    """The rows, then, if the csv module stops on a row, that row's problem (it cannot read past it)."""
    rows = iter(reader)
    number = 2
    while True:
        try:
            yield next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield InputError(f"{path}:{number}", f"not readable as CSV ({exc}); the rest of the file is skipped")
            return
        number += 1


def _html_document(path: Path, page: str) -> Document:
    """The article of a saved page (trafilatura); a PIB release's "Posted On" and release id as in text."""
    found = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False, favor_precision=True)
    body = (getattr(found, "text", None) or "").strip() if found is not None else ""
    if len(body.split()) < MIN_ARTICLE_WORDS:  # a menu or a cookie notice is not an article
        raise InputError(str(path), "no article text in this page")
    from_text = text_document(path.stem, body, source=str(path))
    date = from_text.date or (normalise_date(found.date) if getattr(found, "date", None) else "")
    url = from_text.url or (getattr(found, "url", None) or "")
    return Document(
        id=path.stem, text=from_text.text, title=guard(getattr(found, "title", None) or from_text.title), date=date,
        url=url, publisher=from_text.publisher or (getattr(found, "sitename", None) or ""), source=str(path),
    )


def _feed_documents(path: Path, text: str) -> Iterator[Document | InputError]:
    """One document per item of a saved RSS or Atom feed: its title and description, link and date."""
    feed = feedparser.parse(text)
    if not feed.entries:
        raise InputError(str(path), "the feed has no items" if feed.get("version") else "not an RSS or Atom feed")
    publisher = feed.feed.get("title", "")
    for number, entry in enumerate(feed.entries, start=1):
        title = _plain(entry.get("title", ""))
        description = _plain(entry.get("summary", "") or "".join(c.get("value", "") for c in entry.get("content", [])))
        body = "\n\n".join(part for part in (title, description) if part)
        if not body:
            yield InputError(f"{path}:{number}", "the item has neither title nor description")
            continue
        published = entry.get("published") or entry.get("updated") or ""
        yield Document(
            id=entry.get("id") or entry.get("link") or f"{path.stem}-{number}", text=guard(body), title=guard(title),
            date=normalise_date(published) if published else "", url=entry.get("link", ""), publisher=publisher,
            source=f"{path}:{number}",
        )


def _plain(markup: str) -> str:
    """Text of an HTML fragment (feed descriptions carry markup)."""
    parser = _TextOnly()
    parser.feed(markup)
    return " ".join("".join(parser.parts).split())


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

