"""Client libraries log request headers at DEBUG: with DEBUG on for everything,
no credential (X bearer token, OAuth 1.0a keys, Reddit app secret and access
token) reaches a log record."""

from __future__ import annotations

import logging
from datetime import timedelta

from connectors.base import SweepContext
from connectors.reddit import RedditConnector
from connectors.x import XConnector, XCredentials
from monitor.demo_reddit import ACCESS_TOKEN, RedditDemoAPI
from monitor.demo_x import XDemoAPI
from tests.apiserver import ApiServer
from tests.integration.test_reddit_contract import load as load_reddit
from tests.integration.test_x_contract import NOW, load, x_source

SECRETS = XCredentials(bearer_token="AAAAbearer-sekrit-0123456789", consumer_key="ck-sekrit-4567",
                       consumer_secret="cs-sekrit-8901", access_token="at-sekrit-2345",
                       access_token_secret="ats-sekrit-6789")


def test_x_debug_logs_of_requests_carry_no_credentials(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    data = XDemoAPI.generated(12, NOW - timedelta(hours=1), authors=3)
    data.likes = {"9000000": [t["id"] for t in data.newest_first[:3]]}
    settings = load(tmp_path, x_source("x-search", "search")
                    + x_source("x-likes", "likes", role="official", account="member0"))
    with ApiServer({"/x": data.handle}) as server:
        connector = XConnector.from_settings(settings, credentials=SECRETS, api_base=server.base + "/x")
        context = SweepContext(clock=lambda: NOW)
        assert list(connector.pages(settings.source("x-search"), None, context))
        assert [p for p in connector.pages(settings.source("x-likes"), None, context) if p.posts]
    text = caplog.text
    assert "Making API request" in text and "Authorization" in text  # tweepy did log the headers
    assert "Bearer [redacted]" in text
    for secret in vars(SECRETS).values():
        assert secret not in text


def test_reddit_debug_logs_of_requests_carry_no_credentials(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    settings = load_reddit(tmp_path)
    data = RedditDemoAPI.generated(5, NOW - timedelta(hours=1), authors=2)
    with ApiServer({"/reddit": data.handle}) as server:
        connector = RedditConnector.from_settings(settings, client_id="reddit-id-sekrit",
                                                  client_secret="reddit-secret-sekrit",
                                                  api_base=server.base + "/reddit")
        assert list(connector.pages(settings.source("r-search"), None, SweepContext(clock=lambda: NOW)))
    assert "Fetching: GET" in caplog.text  # prawcore did log the requests
    for secret in ("reddit-id-sekrit", "reddit-secret-sekrit", ACCESS_TOKEN):
        assert secret not in caplog.text
