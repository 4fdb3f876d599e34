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

# Each content detector with the categories it can report (a detector is skipped when none of them
# applies to the post's author).
CONTENT_DETECTORS = (
    (("offensive",), offensive.detect),
    (("harassment",), harassment.detect),
    (("discrimination", "harassment"), discrimination.detect),
    (("political",), political.detect),
    (("promotion",), promotion.detect),
    (("personal_data", "harassment"), personal_data.detect),
    (("misleading",), misleading.detect),
    (("copyright_consent",), copyright.detect),
)
# The lexicon files (config/lexicons/<name>.txt) the detectors read.
LEXICONS = ("context", "copyright", "discrimination", "harassment", "misleading", "offensive", "people",
            "personal_data", "political", "promotion", "speech")
