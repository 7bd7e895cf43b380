"""SPARQL speed: every library query on the embedded Oxigraph store and on rdflib's in-memory store,
over the same generated graph of about a million triples in the project's own model, in one run.

Documents, parties and relations are generated (seeded) and go through the real RDF mapping
(`graph/rdf.py`); the derived facts are computed by the real update. Each query runs as an analyst
runs it: with the parameters of its header filled (India, Russia, Japan, a minister), and read to the
end as the table the CLI prints.
rdflib's runs stop at --rdflib-limit seconds (its engine is pure Python, so an alarm can stop it);
a stopped run is printed as ">limit" and its ratio as a lower bound.

    python benchmarks/sparql.py [--documents 4400] [--rdflib-limit 300]
"""

from __future__ import annotations

import argparse
import random
import signal
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from rdflib import Dataset

from defence_kg.graph import sparql
from defence_kg.graph.rdf import document_iri, document_triples
from defence_kg.graph.store import GraphStore, Store, derive_update
from defence_kg.ingest.countries import countries
from defence_kg.ingest.records import DIRECTED, PREDICATES, Document, Entity, Relation

PARAMS = {  # India is the country in most acts of the generated corpus, as in PIB's releases
    "co-production": {"country": "India"},
    "exercises": {"country": "India"},
    "facts": {"subject": "India"},
    "invitations": {"country": "India"},
    "partners": {"country": "India"},
    "person-meetings": {"person": "Person 1"},  # the first of India's generated ministers
    "relations": {"country": "Japan"},
    "supplies": {"recipient": "India"},
    "timeline": {"country": "India", "partner": "Russia"},
    "who-met-whom": {"country": "India"},
}
TARGET_SECONDS, TARGET_RATIO = 0.3, 15.0


def generate(documents: int, seed: int = 7) -> list[tuple[Document, list[Relation]]]:
    """A corpus shaped like the real one: a few countries in most acts (Zipf), persons and navies of
    each, exercises and items, dates over ten years."""
    rng = random.Random(seed)
    codes = sorted(countries())
    rng.shuffle(codes)
    codes = ["IND", "RUS", "USA", "FRA", "JPN", "AUS", *[c for c in codes if c not in {"IND", "RUS", "USA", "FRA", "JPN", "AUS"}][:114]]
    weights = [1 / (rank + 1) for rank in range(len(codes))]
    nations = {c: Entity(f"country/{c}", countries()[c].label, "Country", c) for c in codes}
    persons = {c: [Entity(f"person/p{c.lower()}{i}", f"Person {j}", "Person", c, (), "Defence Minister")
                   for i, j in ((i, codes.index(c) * 20 + i + 1) for i in range(20))] for c in codes}
    navies = {c: [Entity(f"org/{c.lower()}-navy", f"{countries()[c].label} Navy", "Organisation", c, kind="ArmedForce")] for c in codes}
    corpus = []
    start = date(2015, 1, 1)
    for n in range(documents):
        day = (start + timedelta(days=rng.randrange(3650))).isoformat()
        relations = []
        for k in range(rng.randint(3, 7)):
            a, b = rng.choices(codes, weights, k=2)
            if a == b:
                continue
            predicate = rng.choice(PREDICATES)
            kinds = {"meets": persons, "invites": persons, "exercisesWith": navies}
            pool = kinds.get(predicate)
            subject = rng.choice(pool[a]) if pool else nations[a]
            object_ = rng.choice(pool[b]) if pool else nations[b]
            if predicate == "visits":
                subject = rng.choice(persons[a])
            attributes: tuple = ()
            if predicate == "exercisesWith":
                attributes = (("exercise", f"Exercise {rng.randrange(60)}"),)
            elif predicate in ("supplies", "coProduces"):
                attributes = (("item", f"System {rng.randrange(300)}"),)
            sentence = f"Sentence {k} of document {n}: {subject.label} and {object_.label}."
            relations.append(Relation(predicate, subject, object_, sentence, k * 80, k * 80 + len(sentence), f"rule-{predicate}",
                                      0.9, day, attributes, "announced" if predicate in DIRECTED and k % 5 == 0 else "happened"))
        corpus.append((Document(f"gen-{n}", "text", f"Release {n}", day, f"https://example.org/{n}", "generated"), relations))
    return corpus


class Memory(Store):
    """rdflib's own engine on its in-memory store, the default graph being the union, as in the embedded store."""

    def __init__(self, data: Dataset) -> None:
        self.data = data

    def execute(self, text):
        return self.data.query(text)


class Stopped(Exception):
    pass


def _alarm(signum, frame):
    raise Stopped


def timed(store: Store, query: sparql.Query, params: dict[str, str], repeat: int, limit: float | None = None) -> tuple[float, int]:
    """Median seconds of `repeat` runs of the table the CLI prints (parameters resolved first) and its row count."""
    bindings = sparql.bind(store, query, params)
    times, rows = [], 0
    for _ in range(repeat):
        if limit:
            signal.setitimer(signal.ITIMER_REAL, limit)
        started = time.perf_counter()
        try:
            rows = len(store.table(query.text, bindings).rows)
        except Stopped:
            return float("inf"), -1
        finally:
            if limit:
                signal.setitimer(signal.ITIMER_REAL, 0)
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def _limited(work, limit: float) -> float | None:
    """Seconds `work` took, or None when the alarm stopped it at `limit`."""
    signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.perf_counter()
    try:
        work()
    except Stopped:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=4400, help="generated documents (4,400 give about 1 M quads)")
    parser.add_argument("--rdflib-limit", type=float, default=300.0, help="seconds before an rdflib run is stopped")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query on Oxigraph (the median is printed)")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)

    started = time.perf_counter()
    corpus = generate(args.documents)
    with tempfile.TemporaryDirectory() as folder:
        quads = Path(folder) / "graph.nq"
        with quads.open("w", encoding="utf-8") as out:
            for document, relations in corpus:
                graph = document_iri(document.id).n3()
                out.writelines(f"{s.n3()} {p.n3()} {o.n3()} {graph} .\n" for s, p, o in document_triples(document, relations))
        with GraphStore(Path(folder) / "store") as store:
            store.put_vocabulary()
            store.oxigraph.bulk_load(path=str(quads), format=__import__("pyoxigraph").RdfFormat.N_QUADS)
            derive = time.perf_counter()
            store.derive()
            derive = time.perf_counter() - derive
            size = len(store)
            print(f"graph: {args.documents} documents, {size:,} quads (generated and loaded in {time.perf_counter() - started:.0f} s; "
                  f"derived facts in {derive:.1f} s)")
            memory = Memory(store.dataset())
            memory.data.default_union = True
            print(f"{'query':16} {'rows':>7} {'oxigraph s':>11} {'rdflib s':>10} {'ratio':>8}  target")
            failures = 0
            for name, query in sparql.library().items():
                params = PARAMS.get(name, {})
                fast, rows = timed(store, query, params, args.repeat)
                slow, slow_rows = timed(memory, query, params, 1, args.rdflib_limit)
                if slow_rows not in (-1, rows):
                    print(f"  {name}: rdflib gave {slow_rows} rows, Oxigraph {rows}")
                stopped = slow == float("inf")
                ratio = (args.rdflib_limit if stopped else slow) / fast
                met = fast <= TARGET_SECONDS and ratio >= TARGET_RATIO
                failures += not met
                slow_text = f">{args.rdflib_limit:.0f}" if stopped else f"{slow:.3f}"
                print(f"{name:16} {rows:7d} {fast:11.3f} {slow_text:>10} {('>' if stopped else '') + f'{ratio:.0f}x':>8}  "
                      f"{'met' if met else 'MISSED'}")
            derive_slow = _limited(lambda: memory.data.update(derive_update()), args.rdflib_limit)
            slow_text = f">{args.rdflib_limit:.0f}" if derive_slow is None else f"{derive_slow:.1f}"
            ratio = (args.rdflib_limit if derive_slow is None else derive_slow) / derive
            print(f"{'(derive update)':16} {'':7} {derive:11.1f} {slow_text:>10} {('>' if derive_slow is None else '') + f'{ratio:.0f}x':>8}"
                  "  (once per build; not a query)")
    print(f"target: every query <= {TARGET_SECONDS} s on Oxigraph and >= {TARGET_RATIO:g}x rdflib's in-memory store; "
          f"{'all met' if not failures else f'{failures} missed'}")


if __name__ == "__main__":
    main()
