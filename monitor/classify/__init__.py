"""The policy classifier: normalisation, rules and editable lexicons (config/lexicons/), and the toxicity
model where the rules are unsure, turning posts into flags (``Classifier.classify_many``)."""

from monitor.classify.classifier import CATEGORIES, Classifier
from monitor.classify.lexicon import LexiconError, load_lexicons
from monitor.classify.types import Evidence, Flag, PostContext, clause_for

__all__ = ["CATEGORIES", "Classifier", "Evidence", "Flag", "LexiconError", "PostContext", "clause_for",
           "load_lexicons"]
