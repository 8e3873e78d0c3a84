"""The pairing token, the config dir and config.json; `contact-guard pair`."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from companion.cli import main
from companion.config import CONFIG_DIR_ENV, Config, load_config, resolve_config_dir
from companion.errors import ConfigError
from companion.pairing import PASTE_INSTRUCTIONS, ensure_token, read_token, token_path

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


@pytest.mark.parametrize("content", [
    "{not json",
    "[]",
    json.dumps({"extra_extension_ids": "a" * 32}),
    json.dumps({"extra_extension_ids": ["https://evil.example"]}),
    json.dumps({"extra_extension_ids": ["z" * 32]}),
], ids=["malformed", "not-an-object", "not-a-list", "an-origin-not-an-id", "letters-outside-a-p"])
def test_a_bad_config_json_is_a_clear_error(tmp_path, content):
    (tmp_path / "config.json").write_text(content)
    with pytest.raises(ConfigError, match="config.json"):
        load_config(tmp_path)
