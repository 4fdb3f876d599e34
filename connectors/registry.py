"""Which connector class reads which kind of source.

Classes are named, not imported, so a kind's client library (tweepy, praw...)
is loaded only when a source of that kind is configured.
"""

from __future__ import annotations

import importlib
from typing import Any

CONNECTORS: dict[str, str] = {
    "feed": "connectors.feeds:FeedConnector",
    "x": "connectors.x:XConnector",
    "reddit": "connectors.reddit:RedditConnector",
    "mastodon": "connectors.mastodon:MastodonConnector",
    "bluesky": "connectors.bluesky:BlueskyConnector",
}


def connector_class(kind: str) -> Any:
    """The connector class for ``kind`` (it has ``from_settings(settings)``)."""
    module, _, name = CONNECTORS[kind].partition(":")
    return getattr(importlib.import_module(module), name)
