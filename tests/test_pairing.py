"""The pairing token, the config dir and config.json; `contact-guard pair`."""

from __future__ import annotations

import errno
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from companion.cli import main
from companion.config import CONFIG_DIR_ENV, Config, load_config, resolve_config_dir
from companion.errors import ConfigError
from companion.server import EXTENSION_ID
from companion.pairing import (
    PASTE_INSTRUCTIONS,
    TokenCache,
    ensure_token,
    make_proof,
    new_nonce,
    read_token,
    token_path,
)

REPO = Path(__file__).resolve().parent.parent


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def pair(capsys, *args: str) -> tuple[int, list[str], str]:
    code = main(["pair", *args])
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err


def test_pair_creates_a_private_256_bit_token_and_prints_it_alone_first(tmp_path, capsys):
    directory = tmp_path / "new" / "config"
    code, lines, err = pair(capsys, "--config-dir", str(directory))
    assert code == 0
    token = lines[0]
    assert len(token) == 64 and int(token, 16) >= 0 and token == token.lower()
    assert lines[1:] == [PASTE_INSTRUCTIONS]
    assert "wrote a new pairing token" in err
    assert token_path(directory).read_text().strip() == token
    assert mode(token_path(directory)) == 0o600
    assert mode(directory) == 0o700


def test_pair_again_prints_the_same_token(tmp_path, capsys):
    _, first, _ = pair(capsys, "--config-dir", str(tmp_path))
    _, second, err = pair(capsys, "--config-dir", str(tmp_path))
    assert first[0] == second[0] and err == ""


def test_pair_rotate_replaces_the_token(tmp_path, capsys):
    _, before, _ = pair(capsys, "--config-dir", str(tmp_path))
    _, rotated, _ = pair(capsys, "--config-dir", str(tmp_path), "--rotate")
    assert rotated[0] != before[0] and len(rotated[0]) == 64
    assert read_token(tmp_path) == rotated[0]
    assert mode(token_path(tmp_path)) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["token"]  # no temporary file left behind


def test_tokens_are_random(tmp_path):
    tokens = {ensure_token(tmp_path / str(i))[0] for i in range(20)}
    assert len(tokens) == 20


def test_a_token_readable_by_others_is_made_private_again(tmp_path):
    token, _ = ensure_token(tmp_path)
    token_path(tmp_path).chmod(0o644)
    assert read_token(tmp_path) == token
    assert mode(token_path(tmp_path)) == 0o600


def test_a_damaged_token_file_is_a_clear_error(tmp_path, capsys):
    token_path(tmp_path).write_text("not a token\n")
    with pytest.raises(ConfigError, match="--rotate"):
        read_token(tmp_path)
    code, lines, err = pair(capsys, "--config-dir", str(tmp_path))
    assert code == 1 and lines == [] and "damaged" in err


def test_pair_as_a_user_runs_it(tmp_path):
    """The e2e fixture parses the first stdout line of `python -m companion pair`."""
    done = subprocess.run([sys.executable, "-m", "companion", "pair", "--config-dir", str(tmp_path)],
                          cwd=REPO, capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.splitlines()[0] == read_token(tmp_path)


def test_config_dir_precedence_flag_then_env_then_platform(tmp_path, monkeypatch):
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path / "env"))
    assert resolve_config_dir(str(tmp_path / "flag")) == tmp_path / "flag"
    assert resolve_config_dir(None) == tmp_path / "env"
    monkeypatch.delenv(CONFIG_DIR_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert resolve_config_dir(None) == tmp_path / "xdg" / "contact-guard"


def test_pair_uses_the_env_config_dir(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path))
    _, lines, _ = pair(capsys)
    assert read_token(tmp_path) == lines[0]


def test_config_json_lists_extra_extension_ids(tmp_path):
    assert load_config(tmp_path) == Config(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"extra_extension_ids": ["a" * 32, "bcdefghijklmnopabcdefghijklmnopa"]}))
    assert load_config(tmp_path).extra_extension_ids == ("a" * 32, "bcdefghijklmnopabcdefghijklmnopa")


def test_config_json_lists_firefox_install_uuids_in_lowercase(tmp_path):
    uuid = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    (tmp_path / "config.json").write_text(json.dumps({"extra_extension_ids": [uuid.upper(), uuid]}))
    assert load_config(tmp_path).extra_extension_ids == (uuid,)


def test_pair_allow_firefox_adds_the_uuid_and_keeps_the_rest_of_config_json(tmp_path, capsys):
    (tmp_path / "config.json").write_text(json.dumps({"limits": {"max_clients": 3}, "extra_extension_ids": ["a" * 32]}))
    uuid = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    code, out, err = pair(capsys, "--allow-firefox", f"moz-extension://{uuid.upper()}/", "--config-dir", str(tmp_path))
    assert code == 0 and out[0] == read_token(tmp_path)
    assert f"{uuid} allowed" in err and "applies it when it starts" in err  # no companion running
    config = load_config(tmp_path)
    assert (config.extra_extension_ids, dict(config.limits)) == (("a" * 32, uuid), {"max_clients": 3})
    code, _, err = pair(capsys, "--allow-firefox", uuid, "--config-dir", str(tmp_path))
    assert code == 0 and "already allowed" in err
    assert load_config(tmp_path).extra_extension_ids == ("a" * 32, uuid)


def test_pair_list_shows_the_published_extension_and_each_allowed_install_without_the_token(tmp_path, capsys):
    uuid, chrome_build = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "a" * 32
    code, out, err = pair(capsys, "--list", "--config-dir", str(tmp_path))
    assert code == 0 and [line.split("\t")[0] for line in out] == [EXTENSION_ID]
    assert "no other install is allowed" in err
    assert not (tmp_path / "token").exists(), "listing creates nothing"
    (tmp_path / "config.json").write_text(json.dumps({"extra_extension_ids": [chrome_build, uuid]}))
    code, out, _ = pair(capsys, "--list", "--config-dir", str(tmp_path))
    assert code == 0
    assert [line.split("\t") for line in out] == [
        [EXTENSION_ID, "Chrome: the published extension (always allowed)"],
        [chrome_build, f"Chrome/Edge build ({tmp_path / 'config.json'})"],
        [uuid, f"Firefox install ({tmp_path / 'config.json'})"],
    ]


def test_pair_forget_removes_one_install_and_keeps_the_rest_of_config_json(tmp_path, capsys):
    uuid, other = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "11111111-2222-3333-4444-555555555555"
    (tmp_path / "config.json").write_text(json.dumps({"limits": {"max_clients": 3},
                                                      "extra_extension_ids": ["a" * 32, uuid, other]}))
    code, out, err = pair(capsys, "--forget", f"moz-extension://{uuid.upper()}/", "--config-dir", str(tmp_path))
    assert code == 0 and out == []  # no token printed
    assert f"{uuid} is no longer allowed" in err and "applies it when it starts" in err  # no companion running
    config = load_config(tmp_path)
    assert (config.extra_extension_ids, dict(config.limits)) == (("a" * 32, other), {"max_clients": 3})
    code, _, err = pair(capsys, "--forget", "chrome-extension://" + "a" * 32, "--config-dir", str(tmp_path))
    assert code == 0 and load_config(tmp_path).extra_extension_ids == (other,)


@pytest.mark.parametrize(("value", "message"), [
    ("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "is not allowed in"),  # not listed
    (EXTENSION_ID, "always allowed"),  # the published extension
    ("moz-extension://../../evil", "neither a Chrome extension id nor a Firefox extension uuid"),
])
def test_pair_forget_refuses_what_it_cannot_forget_and_changes_nothing(tmp_path, capsys, value, message):
    listed = '{"extra_extension_ids": ["11111111-2222-3333-4444-555555555555"]}'
    (tmp_path / "config.json").write_text(listed)
    code, out, err = pair(capsys, "--forget", value, "--config-dir", str(tmp_path))
    assert code == 1 and out == []
    assert message in err
    assert (tmp_path / "config.json").read_text() == listed


@pytest.mark.parametrize("args", [["--list", "--rotate"], ["--forget", "a" * 32, "--list"],
                                  ["--forget", "a" * 32, "--allow-firefox", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"]])
def test_pair_list_and_forget_go_alone(tmp_path, capsys, args):
    with pytest.raises(SystemExit) as exit_info:
        main(["pair", *args, "--config-dir", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "--list and --forget go alone" in capsys.readouterr().err
    assert not (tmp_path / "token").exists()


def test_pair_help_names_list_and_forget(capsys):
    with pytest.raises(SystemExit):
        main(["pair", "--help"])
    help_text = capsys.readouterr().out
    assert "--list" in help_text and "--forget ID" in help_text


@pytest.mark.parametrize("value", ["chrome-extension://" + "a" * 32, "moz-extension://../../evil", "0f1e2d3c"])
def test_pair_allow_firefox_refuses_what_is_not_a_firefox_uuid(tmp_path, capsys, value):
    code, out, err = pair(capsys, "--allow-firefox", value, "--config-dir", str(tmp_path))
    assert code == 1 and out == []
    assert "is not a Firefox extension uuid" in err
    assert not (tmp_path / "config.json").exists()


def test_config_json_limits_are_read_and_typed(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"limits": {"max_clients": 3, "rate": 12, "send_timeout": 2.5}}))
    assert dict(load_config(tmp_path).limits) == {"max_clients": 3, "rate": 12.0, "send_timeout": 2.5}
    assert type(load_config(tmp_path).limits["max_clients"]) is int


@pytest.mark.parametrize("content", [
    "{not json",
    "[]",
    json.dumps({"extra_extension_ids": "a" * 32}),
    json.dumps({"extra_extension_ids": ["https://evil.example"]}),
    json.dumps({"extra_extension_ids": ["z" * 32]}),
    json.dumps({"extra_extension_ids": ["moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"]}),
    json.dumps({"limits": [8]}),
    json.dumps({"limits": {"max_client": 8}}),
    json.dumps({"limits": {"max_clients": 0}}),
    json.dumps({"limits": {"max_clients": 2.5}}),
    json.dumps({"limits": {"rate": "fast"}}),
    json.dumps({"limits": {"burst": True}}),
], ids=["malformed", "not-an-object", "not-a-list", "an-origin-not-an-id", "letters-outside-a-p", "a-firefox-origin-not-its-uuid",
        "limits-not-an-object",
        "unknown-limit", "zero", "fraction-for-a-count", "a-string", "a-boolean"])
def test_a_bad_config_json_is_a_clear_error(tmp_path, content):
    (tmp_path / "config.json").write_text(content)
    with pytest.raises(ConfigError, match="config.json"):
        load_config(tmp_path)


# --- the token for each connection, and the proofs ------------------------------------------------


def test_the_token_cache_sees_a_rotation_and_a_removal(tmp_path):
    first, _ = ensure_token(tmp_path)
    cache = TokenCache(tmp_path)
    assert cache.current() == first
    second, _ = ensure_token(tmp_path, rotate=True)
    assert cache.current() == second != first
    token_path(tmp_path).unlink()
    assert cache.current() is None


def test_out_of_file_descriptors_the_token_cache_keeps_the_last_token(tmp_path, monkeypatch):
    """Issue #12: under descriptor exhaustion every connection failed to read the token file. A stat
    needs no descriptor: an unchanged file is not read again, and a read that fails for lack of
    descriptors keeps the last good token."""
    token, _ = ensure_token(tmp_path)
    cache = TokenCache(tmp_path)
    assert cache.current() == token

    def out_of_descriptors(*args, **kwargs):
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(Path, "read_text", out_of_descriptors)
    assert cache.current() == token  # unchanged: not read at all
    token_path(tmp_path).touch()  # changed: the read fails, the last token stands
    assert cache.current() == token


def test_a_damaged_token_file_is_still_an_error_through_the_cache(tmp_path):
    ensure_token(tmp_path)
    cache = TokenCache(tmp_path)
    cache.current()
    token_path(tmp_path).write_text("not a token")
    with pytest.raises(ConfigError, match="damaged"):
        cache.current()


def test_proofs_differ_by_direction_nonces_and_port_and_nonces_are_fresh():
    token = "0123456789abcdef" * 4
    base = {"client_nonce": "a" * 64, "companion_nonce": "b" * 64, "port": 47821}
    proofs = {
        make_proof(token, "companion", **base),
        make_proof(token, "extension", **base),
        make_proof(token, "companion", **base | {"port": 47822}),
        make_proof(token, "companion", **base | {"client_nonce": "c" * 64}),
        make_proof(token, "companion", **base | {"companion_nonce": "c" * 64}),
        make_proof("f" * 64, "companion", **base),
    }
    assert len(proofs) == 6 and all(len(p) == 64 for p in proofs)
    nonces = {new_nonce() for _ in range(100)}
    assert len(nonces) == 100 and all(len(n) == 64 and int(n, 16) >= 0 for n in nonces)
