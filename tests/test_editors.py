"""Editors and readers (issue 24, R58): everyone reads and asks; only a signed-in editor adds or rebuilds."""
from __future__ import annotations

import pytest

from cityqa.editors import hash_key, key_matches, valid_hash
from cityqa.errors import BadSetting
from cityqa.settings import load_settings
from test_hardening2 import start_app  # noqa: F401  (the AppTest fixture)
from test_reliability import cli

KEY = "correct horse battery staple"


def test_r58_a_key_is_stored_only_as_a_salted_hash_and_checked_against_it():
    stored = hash_key(KEY)
    assert KEY not in stored and stored.startswith("scrypt$") and valid_hash(stored)
    assert stored != hash_key(KEY)  # salted: the same key never gives the same hash twice
    assert key_matches(KEY, stored) and not key_matches(KEY + " ", stored) and not key_matches("", stored)
    assert not key_matches(KEY, "scrypt$1$1$1$AA==$AA==") and not valid_hash(KEY)


def test_r58_a_key_written_in_clear_is_a_bad_setting_that_never_echoes_it(monkeypatch):
    monkeypatch.setenv("CITYQA_EDITOR_KEY_HASH", KEY)
    with pytest.raises(BadSetting) as error:
        load_settings()
    assert "CITYQA_EDITOR_KEY_HASH" in error.value.en and "hash-key" in error.value.zh
    assert KEY not in error.value.en + error.value.zh and "\n" not in error.value.en


@pytest.mark.slow  # starts `python -m cityqa`
def test_r58_cityqa_hash_key_prints_a_hash_that_matches_the_key():
    result = cli("hash-key", input=KEY + "\n")
    assert result.returncode == 0 and KEY not in result.stdout, result.stderr
    assert key_matches(KEY, result.stdout.strip())
    assert cli("hash-key", input="\n").returncode == 2


def sidebar_buttons(at) -> list[str]:
    return [b.label for b in at.sidebar.button]


def test_r58_readers_see_no_upload_or_rebuild_until_they_sign_in(start_app, monkeypatch):  # noqa: F811
    monkeypatch.setenv("CITYQA_EDITOR_KEY_HASH", hash_key(KEY))
    at = start_app()
    assert "Rebuild index" not in sidebar_buttons(at) and "Sign in" in sidebar_buttons(at)
    at.sidebar.text_input(key="editor_key").input("wrong key")
    at.sidebar.button[sidebar_buttons(at).index("Sign in")].click().run()
    assert [e.value for e in at.sidebar.error] == ["Wrong editor key: reading and asking stay open"]
    assert "Rebuild index" not in sidebar_buttons(at)
    at.sidebar.text_input(key="editor_key").input(KEY)
    at.sidebar.button[sidebar_buttons(at).index("Sign in")].click().run()
    assert not at.exception and "Rebuild index" in sidebar_buttons(at) and not at.sidebar.error
    assert "editor_key" not in at.session_state  # the key does not stay in the session


def test_r58_without_a_configured_key_the_local_user_is_the_editor(start_app, monkeypatch):  # noqa: F811
    monkeypatch.delenv("CITYQA_EDITOR_KEY_HASH", raising=False)
    at = start_app()
    assert "Rebuild index" in sidebar_buttons(at) and "Sign in" not in sidebar_buttons(at)
