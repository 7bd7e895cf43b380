"""A TriG copy of every graph a build writes, made from the text the store is given.

The build's TriG file is the store's export. When the build has written every graph the store
holds, each once (a first build, or `--rebuild`), that export is the text already written on the
way in, so it need not be read back out of the store: at 2,000 documents reading it back costs a
quarter of the build's serial end. Otherwise (documents left from an earlier build, a graph written
twice, a part the store computed in place) the copy is dropped and the store is exported as before.
The copy holds the same quads as the export; it writes IRIs in full where the export abbreviates
them with the prefixes both declare.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from rdflib import URIRef

from .rdf import PREFIXES


class TrigCopy:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.file = self.partial.open("wb")
        self.file.write("".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items()).encode())
        self.lock = threading.Lock()  # the two halves of the derived graph arrive from two threads
        self.whole: set[str] = set()  # graphs written whole
        self.parts: set[str] = set()  # graphs written in parts, added to one another
        self.spoilt = False

    def graph(self, name: URIRef, ntriples: str | bytes, whole: bool = True) -> None:
        """A graph written whole (replacing what the store held), or a part added to one."""
        body = ntriples.encode() if isinstance(ntriples, str) else ntriples
        with self.lock:
            self._note(str(name), whole)
            self.file.write(b"GRAPH " + name.n3().encode() + b" {\n" + body + b"\n}\n")

    def blocks(self, names: Iterable[URIRef], text: str) -> None:
        """Graphs new to the store, as `GRAPH <name> { ... }` blocks."""
        with self.lock:
            for name in names:
                self._note(str(name), whole=True)
            self.file.write(text.encode() + b"\n")

    def _note(self, name: str, whole: bool) -> None:
        if name in self.whole or (whole and name in self.parts):
            self.spoilt = True  # written again: the file would hold both versions
        (self.whole if whole else self.parts).add(name)

    def spoil(self) -> None:
        """A write the copy cannot follow (the store computed a graph in place)."""
        self.spoilt = True

    def finish(self, graphs: Iterable[URIRef]) -> bool:
        """Whether the copy holds exactly the store's `graphs`: then it becomes the TriG file."""
        self.file.close()
        if not self.spoilt and {str(g) for g in graphs} == self.whole | self.parts:
            self.partial.replace(self.path)
            return True
        self.discard()
        return False

    def discard(self) -> None:
        self.file.close()
        self.partial.unlink(missing_ok=True)
