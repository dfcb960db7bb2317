"""`thaw serve`: mistakes are one line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from pwa import config


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pwa", *args],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("thaw: error:")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize(
    "args, word",
    [
        (["serve", "--bogus"], "--bogus"),
        (["serve", "--port"], "--port"),
        ([], "command"),
        (["dance"], "dance"),
    ],
)
def test_bad_flags(args, word):
    assert_one_line_error(run_cli(*args), word)


@pytest.mark.parametrize("port", ["abc", "0", "70000"])
def test_bad_port(port, tmp_path):
    assert_one_line_error(run_cli("serve", "--port", port, "--data", str(tmp_path)), "port")


def test_unwritable_data_folder(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_cli("serve", "--data", str(blocker / "data"))
    assert_one_line_error(result, "data folder", str(blocker))


def test_port_in_use(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = run_cli("serve", "--port", port, "--data", str(tmp_path))
    assert_one_line_error(result, port)


def test_help_exits_zero():
    result = run_cli("serve", "--help")
    assert result.returncode == 0
    assert "--data" in result.stdout


def test_environment_settings_and_overrides(tmp_path):
    env = {"THAW_PORT": "9123", "THAW_HOST": "0.0.0.0", "THAW_DATA": str(tmp_path)}
    assert config.load(env=env)["PORT"] == 9123
    assert config.load(env=env)["HOST"] == "0.0.0.0"
    assert config.load({"PORT": "8001"}, env=env)["PORT"] == 8001
    assert config.load({"PORT": None}, env={})["PORT"] == 8000
    assert config.load(env={"THAW_TRUSTED_PROXIES": "1"})["TRUSTED_PROXIES"] == 1
    with pytest.raises(config.ConfigError):
        config.load(env={"THAW_TRUSTED_PROXIES": "lots"})


def test_data_folder_is_created_on_first_use(tmp_path):
    folder = config.prepare_data_dir(tmp_path / "new" / "data")
    assert folder.is_dir()
    assert list(folder.iterdir()) == []
