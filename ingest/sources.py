"""Read documents from text and JSON Lines files into `Document` records.

Every problem a user can cause (missing file, empty file, bad JSON) is an `InputError`
naming the file and line, raised before anything is extracted or stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .dates import normalise_date
from .errors import InputError
from .records import Document

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl",)
SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES

# Press Information Bureau releases as saved text: a title line, "Posted On: <date> by <office>",
# and "(Release ID: <n>)" at the end. Other text files get their first line as title.
_PIB_POSTED = re.compile(r"^\s*Posted On:\s*(?P<date>.+?)\s+by\s+(?P<office>.+?)\s*$", re.MULTILINE)
_PIB_RELEASE = re.compile(r"\(Release ID:\s*(?P<id>\d+)\s*\)")
PIB_URL = "https://pib.gov.in/PressReleasePage.aspx?PRID={}"


def read_documents(paths: Iterable[str | Path]) -> Iterator[Document]:
    """Yield the documents of every file named or found below a named directory."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(str(path), "no such file or directory")
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                raise InputError(str(path), f"no readable documents ({', '.join(SUFFIXES)}) in this directory")
            for file in files:
                yield from read_file(file)
        else:
            yield from read_file(path)


def read_file(path: Path) -> Iterator[Document]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(str(path), f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}")
    text = _read_text(path)
    if not text.strip():
        raise InputError(str(path), "the file is empty")
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_documents(path, text)
    else:
        yield text_document(path.stem, text, source=str(path))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(str(path), exc.strerror or "cannot be read") from None


def text_document(doc_id: str, text: str, source: str = "") -> Document:
    """A document from plain text, with the metadata a PIB release carries in its text."""
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


def _jsonl_documents(path: Path, text: str) -> Iterator[Document]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(record, dict):
            raise InputError(where, "expected a JSON object")
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            raise InputError(where, "no 'text' (a non-empty string) in this record")
        date = record.get("date") or ""
        yield Document(
            id=str(record.get("id") or f"{path.stem}-{number}"),
            text=body,
            title=str(record.get("title") or ""),
            date=normalise_date(str(date)) if date else "",
            url=str(record.get("url") or ""),
            publisher=str(record.get("publisher") or ""),
            source=where,
        )
