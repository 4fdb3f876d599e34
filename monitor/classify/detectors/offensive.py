"""Offensive language: strong and medium swear words and crude terms, obfuscated forms included."""

from __future__ import annotations

from monitor.classify.doc import Doc
from monitor.classify.hits import Hit, hit


def detect(doc: Doc) -> list[Hit]:
    """One hit per offensive word, except words quoted in order to report them."""
    return [hit("offensive", m.score, [(m, "offensive word {}")])
            for m in doc.find("offensive") if not doc.reported_quote(m)]
