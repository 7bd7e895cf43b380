"""The model's attribute rules (tag to part of speech and morphology, a few lemma exceptions),
applied by table lookup instead of spaCy's `AttributeRuler`.

The stock ruler runs a `Matcher` with all its patterns over every token, which costs about as much
as the parser. Every condition in the model's patterns reads one token's TAG, LOWER, DEP or
IS_SPACE, so which patterns a token meets depends only on those four values: the outcome is worked
out once per combination and cached. Multi-token patterns (a handful, "gon na") are checked at the
tokens that meet their first position. Patterns apply in the order the stock ruler applies them
(later ones win), so the annotations are the same token for token; `tests/test_attributes.py`
compares both on whole documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import groupby

from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

Key = tuple[str, str, str, bool]  # a token's TAG, LOWER, DEP and IS_SPACE
READERS: dict[str, Callable[[Key], object]] = {
    "TAG": lambda key: key[0], "LOWER": lambda key: key[1], "DEP": lambda key: key[2], "IS_SPACE": lambda key: key[3],
}


class UnsupportedPattern(ValueError):
    """A pattern the lookup cannot decide; the caller keeps the stock ruler."""


def _condition(attr: str, wanted: object) -> Callable[[Key], bool]:
    if attr not in READERS:
        raise UnsupportedPattern(f"attribute {attr}")
    read = READERS[attr]
    if not isinstance(wanted, dict):
        return lambda key: read(key) == wanted
    if len(wanted) != 1:
        raise UnsupportedPattern(f"{attr}: {wanted}")
    (operator, value), = wanted.items()
    if operator == "IN":
        return lambda key: read(key) in value
    if operator == "NOT_IN":
        return lambda key: read(key) not in value
    if operator == "REGEX":
        return lambda key, found=re.compile(value).search: bool(found(str(read(key))))
    raise UnsupportedPattern(f"{attr}: {operator}")


def _token_test(spec: dict) -> tuple[Callable[[Key], bool], Callable[[Key], bool]]:
    """The pattern token's test split in two: what it asks of TAG, DEP and IS_SPACE, and of LOWER."""
    if "OP" in spec:
        raise UnsupportedPattern("quantifier")
    shape = [_condition(attr, wanted) for attr, wanted in spec.items() if attr != "LOWER"]
    word = [_condition("LOWER", spec["LOWER"])] if "LOWER" in spec else []
    return (lambda key: all(test(key) for test in shape)), (lambda key: all(test(key) for test in word))


def _both(tests: tuple[Callable[[Key], bool], Callable[[Key], bool]]) -> Callable[[Key], bool]:
    shape, word = tests
    return lambda key: shape(key) and word(key)


class TagAttributes:
    """Applies an `AttributeRuler`'s patterns with the same result, token for token."""

    MAX_CACHED = 200_000  # token keys; the cache starts again beyond that

    def __init__(self, ruler: AttributeRuler) -> None:
        self.singles: list[tuple[int, Callable[[Key], bool], Callable[[Key], bool], dict]] = []
        self.sequences: list[tuple[int, list[Callable[[Key], bool]], int, dict]] = []
        for number, (pattern, attrs, index) in enumerate(zip(ruler.patterns, ruler.attrs, ruler.indices, strict=True)):
            for alternative in pattern["patterns"]:
                tests = [_token_test(spec) for spec in alternative]
                if len(tests) == 1:
                    self.singles.append((number, *tests[0], attrs))
                else:
                    self.sequences.append((number, [_both(test) for test in tests], index % len(tests), attrs))
        self.shapes: dict[tuple[str, str, bool], list[int]] = {}  # (TAG, DEP, IS_SPACE) -> singles that may apply
        self.cache: dict[Key, tuple[dict, tuple[int, ...]]] = {}

    def _matching(self, key: Key) -> list[int]:
        """The single-token patterns a token with this key meets, in order."""
        shape = (key[0], key[2], key[3])
        if shape not in self.shapes:
            self.shapes[shape] = [i for i, (_, test, _, _) in enumerate(self.singles) if test(key)]
        return [i for i in self.shapes[shape] if self.singles[i][2](key)]

    def _outcome(self, key: Key) -> tuple[dict, tuple[int, ...]]:
        """What the single-token patterns set on a token with this key (later patterns win), and which
        sequences may start at it."""
        if key not in self.cache:
            if len(self.cache) > self.MAX_CACHED:
                self.cache.clear()
            merged: dict = {}
            for i in self._matching(key):
                merged.update(self.singles[i][3])
            starts = tuple(i for i, (_, tests, _, _) in enumerate(self.sequences) if tests[0](key))
            self.cache[key] = (merged, starts)
        return self.cache[key]

    def __call__(self, doc: Doc) -> Doc:
        keys = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]
        outcomes = [self._outcome(key) for key in keys]
        extra: list[tuple[int, int, dict]] = []  # (token, pattern number, attrs) of matched sequences
        for start, (_, starts) in enumerate(outcomes):
            for i in starts:
                number, tests, index, attrs = self.sequences[i]
                window = keys[start:start + len(tests)]
                if len(window) == len(tests) and all(test(key) for test, key in zip(tests, window, strict=True)):
                    extra.append((start + index, number, attrs))
        for token, (merged, _) in zip(doc, outcomes, strict=True):
            if merged:
                set_token_attrs(token, merged)
        if extra:
            self._apply_in_order(doc, keys, sorted(extra, key=lambda hit: hit[:2]))
        return doc

    def _apply_in_order(self, doc: Doc, keys: list[Key], extra: list[tuple[int, int, dict]]) -> None:
        """A token a sequence matched: every pattern that matched it again, in pattern order."""
        for i, hits in groupby(extra, key=lambda hit: hit[0]):
            token: Token = doc[i]
            steps = [(self.singles[j][0], self.singles[j][3]) for j in self._matching(keys[i])]
            steps += [(number, attrs) for _, number, attrs in hits]
            for _, attrs in sorted(steps, key=lambda step: step[0]):
                set_token_attrs(token, attrs)
