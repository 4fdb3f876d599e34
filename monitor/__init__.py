"""The Society's social-media policy monitor: config, store, sweep, classifier, CLI."""

__version__ = "0.1.0"
