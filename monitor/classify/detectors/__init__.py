"""The rule-based detectors. Content detectors look at one post; context detectors also see what
the content detectors flagged (speech) or what the referenced post breaches (endorsement)."""

from __future__ import annotations

from monitor.classify.detectors import (
    copyright,
    discrimination,
    harassment,
    misleading,
    offensive,
    personal_data,
    political,
    promotion,
)

CONTENT_DETECTORS = (
    offensive.detect,
    harassment.detect,
    discrimination.detect,
    political.detect,
    promotion.detect,
    personal_data.detect,
    misleading.detect,
    copyright.detect,
)
# The lexicon files (config/lexicons/<name>.txt) the detectors read.
LEXICONS = ("context", "copyright", "discrimination", "harassment", "misleading", "offensive", "people",
            "personal_data", "political", "promotion", "speech")
