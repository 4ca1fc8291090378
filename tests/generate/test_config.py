from __future__ import annotations

import pytest

from napkin.errors import ConfigError
from napkin.generate import openai_settings
from napkin.generate._config import generate_defaults, parse_assignments

CONFIG = """
[generate]
backend = "openai"
kind = "sketch"

[openai]
base_url = "http://localhost:11434/v1"
model = "from-file"
api_key = "file-key"
n = 3
temperature = 0.5
stream = false
"""


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return path


def test_precedence_flags_env_file_defaults(config):
    s = openai_settings(config=config, env={})
    assert (s.base_url, s.model, s.api_key, s.n, s.temperature, s.stream) == (
        "http://localhost:11434/v1", "from-file", "file-key", 3, 0.5, False)
    assert s.repair_rounds == 2  # default

    env = {"OPENAI_API_KEY": "sdk-key", "OPENAI_BASE_URL": "http://sdk:1/v1", "NAPKIN_OPENAI_MODEL": "from-env"}
    s = openai_settings(config=config, env=env)
    assert (s.base_url, s.model, s.api_key) == ("http://sdk:1/v1", "from-env", "sdk-key")

    env["NAPKIN_OPENAI_API_KEY"] = "napkin-key"
    s = openai_settings(config=config, env=env, model="from-flag", n=None, repair_rounds=0)
    assert (s.model, s.api_key, s.n, s.repair_rounds) == ("from-flag", "napkin-key", 3, 0)


def test_the_key_stays_out_of_reprs(config):
    assert "file-key" not in repr(openai_settings(config=config, env={}))


def test_default_file_location(tmp_path, config):
    (tmp_path / "napkin").mkdir()
    (tmp_path / "napkin" / "config.toml").write_text(CONFIG)
    assert openai_settings(env={"XDG_CONFIG_HOME": str(tmp_path)}).model == "from-file"
    assert openai_settings(env={"NAPKIN_CONFIG": str(config)}).model == "from-file"
    assert generate_defaults(config, env={}) == {"backend": "openai", "kind": "sketch"}
    assert openai_settings(env={"XDG_CONFIG_HOME": str(tmp_path / "none")}).model == ""


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[openai\nmodel=1", "not valid TOML"),
        ("[openai]\nmodle = 'x'", "unknown keys in \\[openai\\]: modle"),
        ("[openai]\nn = 'three'", "n must be an integer"),
        ("[openai]\nn = 40", "between 1 and 16"),
        ("[openai]\nbase_url = 'localhost:11434'", "must start with http"),
        ("openai = 3", "must be a table"),
    ],
)
def test_bad_config_files(tmp_path, text, match):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=match):
        openai_settings(config=path, env={})


def test_named_file_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        openai_settings(config=tmp_path / "missing.toml", env={})


def test_set_assignments():
    assert parse_assignments(["temperature=0.2", "max-tokens=800", "stream=no"]) == {
        "temperature": 0.2, "max_tokens": 800, "stream": False}
    with pytest.raises(ConfigError, match="key=value"):
        parse_assignments(["temperature"])
    with pytest.raises(ConfigError, match="unknown openai setting 'colour'"):
        parse_assignments(["colour=red"])
