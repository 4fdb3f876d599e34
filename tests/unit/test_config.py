"""Each kind of configuration mistake is reported with the file, the key and what was expected."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from connectors.base import ConfigError
from monitor.config import BUNDLED_CONFIG, load_settings

GOOD = """
[society]
name = "Thornfield Local History Society"
aliases = ["TLHS"]

[[people]]
id = "jo-bloggs"
name = "Jo Bloggs"
accounts = [{ platform = "bluesky", handle = "jo.bsky.social" }]

[[sources]]
name = "blog"
url = "https://example.org/feed"
platform = "blog"
role = "official"
"""


def load(tmp_path: Path, text: str):
    path = tmp_path / "monitor.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, text)
    message = str(info.value)
    assert str(tmp_path / "monitor.toml") in message
    return message


def test_good_config_loads_frozen(tmp_path: Path) -> None:
    settings = load(tmp_path, GOOD)
    assert settings.society.aliases == ("TLHS",)
    assert settings.sources[0].role == "official"
    with pytest.raises(AttributeError):
        settings.retention_days = 1  # type: ignore[misc]


def test_bundled_example_is_valid() -> None:
    settings = load_settings(BUNDLED_CONFIG)
    assert len(settings.sources) >= 9
    assert all(Path(s.target).is_absolute() for s in settings.sources if s.kind == "feed")


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nope.toml: cannot read"):
        load_settings(tmp_path / "nope.toml")


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    assert "not valid TOML" in problems(tmp_path, "[society\nname = 1")


def test_missing_required_key(tmp_path: Path) -> None:
    message = problems(tmp_path, GOOD.replace('name = "Thornfield Local History Society"', ""))
    assert "society.name: expected the Society's name (required)" in message


def test_wrong_type(tmp_path: Path) -> None:
    message = problems(tmp_path, GOOD + "\n[store]\nretention_days = \"forever\"\n")
    assert "store.retention_days: expected a whole number of days >= 1, got 'forever'" in message


def test_out_of_range(tmp_path: Path) -> None:
    message = problems(tmp_path, GOOD + "\n[sweep]\npage_cap = 0\n")
    assert "sweep.page_cap: expected an integer >= 1, got 0" in message


def test_bool_is_not_a_number(tmp_path: Path) -> None:
    assert "sweep.timeout_seconds: expected a number of seconds > 0, got True" in problems(
        tmp_path, GOOD + "\n[sweep]\ntimeout_seconds = true\n")


def test_unknown_key_lists_allowed(tmp_path: Path) -> None:
    message = problems(tmp_path, GOOD.replace("[society]", "[society]\nnmae = 'x'"))
    assert "society.nmae: expected no such key (allowed: aliases, handles, hashtags, name)" in message


def test_unknown_enum_value(tmp_path: Path) -> None:
    message = problems(tmp_path, GOOD.replace('platform = "blog"', 'platform = "myspace"'))
    assert "sources[0].platform: expected one of x, reddit, mastodon" in message


def test_personal_source_needs_a_known_person(tmp_path: Path) -> None:
    text = GOOD + '\n[[sources]]\nname = "jo"\nurl = "https://example.org/jo"\nrole = "personal"\nperson = "nobody"\n'
    assert "sources[1].person: expected the id of a [[people]] entry, got 'nobody'" in problems(tmp_path, text)
    text = GOOD + '\n[[sources]]\nname = "jo"\nurl = "https://example.org/jo"\nrole = "personal"\n'
    assert "sources[1].person: expected the id of a [[people]] entry (required when role = 'personal')" in problems(
        tmp_path, text)


def test_duplicate_source_names(tmp_path: Path) -> None:
    text = GOOD + '\n[[sources]]\nname = "blog"\nurl = "https://example.org/other"\n'
    assert "sources: expected unique source names (duplicate 'blog')" in problems(tmp_path, text)


def test_bad_nested_account(tmp_path: Path) -> None:
    text = GOOD.replace('{ platform = "bluesky", handle = "jo.bsky.social" }', '{ platform = "bluesky" }')
    assert "people[0].accounts[0].handle: expected a non-empty handle (required)" in problems(tmp_path, text)


def test_wrong_shape_of_array(tmp_path: Path) -> None:
    assert "sources: expected an array of tables ([[sources]])" in problems(tmp_path, GOOD.replace(
        "[[sources]]", "[sources]"))


def test_threshold_out_of_range(tmp_path: Path) -> None:
    assert "thresholds.offensive: expected a number between 0 and 1, got 1.5" in problems(
        tmp_path, GOOD + "\n[thresholds]\noffensive = 1.5\n")


def test_secret_in_file_is_refused_and_env_named(tmp_path: Path) -> None:
    message = problems(tmp_path, GOOD + '\n[alerts]\nsmtp_password = "hunter2"\n')
    assert "alerts.smtp_password: secrets are not allowed" in message
    assert "MONITOR_ALERTS_SMTP_PASSWORD" in message
    assert "hunter2" not in message


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace('platform = "blog"', 'platform = "myspace"') + "\n[sweep]\npage_cap = -1\nmax_bytes = 'big'\n"
    message = problems(tmp_path, text)
    assert message.count("\n") >= 3
    for key in ("sources[0].platform", "sweep.page_cap", "sweep.max_bytes"):
        assert key in message


def test_relative_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    text = GOOD.replace('url = "https://example.org/feed"', 'url = "feeds/blog.xml"')
    settings = load(tmp_path, text + '\n[store]\ndatabase_url = "sqlite:///data/monitor.db"\n')
    assert settings.sources[0].target == str(tmp_path / "feeds" / "blog.xml")
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'monitor.db'}"


def test_dotenv_fills_secrets_from_beside_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONITOR_SMTP_PASSWORD", raising=False)
    (tmp_path / ".env").write_text("MONITOR_SMTP_PASSWORD='s3cret'\n", encoding="utf-8")
    settings = load(tmp_path, GOOD)
    assert settings.secret("MONITOR_SMTP_PASSWORD") == "s3cret"
    monkeypatch.delenv("MONITOR_SMTP_PASSWORD")
    assert "MONITOR_SMTP_PASSWORD" not in os.environ


def test_threshold_for_unknown_category(tmp_path: Path) -> None:
    assert "thresholds.ofensive: expected a category (copyright_consent" in problems(
        tmp_path, GOOD + "\n[thresholds]\nofensive = 0.5\n")
