from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import (
    HubSettings,
    SettingsError,
    env_names,
    load_hub_settings,
    settings_table,
)
from crm.settings import PROJECT_ROOT


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SHOPDESK_* variable and no .env file (cwd is a fresh folder)."""
    monkeypatch.chdir(tmp_path)
    for name in HubSettings.model_fields:
        for variable in env_names(name):
            monkeypatch.delenv(variable, raising=False)


@pytest.mark.usefixtures("clean_env")
def test_missing_secret_key_names_the_variable_to_set() -> None:
    with pytest.raises(SettingsError) as caught:
        load_hub_settings()

    message = str(caught.value)
    assert "SHOPDESK_SECRET_KEY is not set" in message
    assert "secrets.token_urlsafe" in message


@pytest.mark.usefixtures("clean_env")
def test_secret_key_from_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SHOPDESK_SECRET_KEY=from-the-file\n")

    settings = load_hub_settings(tmp_path / ".env")

    assert settings.secret_key.get_secret_value() == "from-the-file"
    assert "from-the-file" not in repr(settings)


@pytest.mark.usefixtures("clean_env")
def test_bad_value_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPDESK_SECRET_KEY", "k")
    monkeypatch.setenv("SHOPDESK_PORT", "eighty")

    with pytest.raises(SettingsError, match="SHOPDESK_PORT"):
        load_hub_settings()


@pytest.mark.usefixtures("clean_env")
def test_defaults_and_env_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPDESK_SECRET_KEY", "k")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/shop")
    monkeypatch.setenv("SHOPDESK_HEALTH_TIMEOUT", "0.5")

    settings = load_hub_settings()

    assert settings.database_url == "postgresql://u@db/shop"
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.port == 8000
    assert settings.health_timeout == 0.5


def test_every_setting_is_described_in_the_table() -> None:
    table = settings_table()

    for name, info in HubSettings.model_fields.items():
        assert info.description, f"{name} has no description"
        assert f"`{env_names(name)[0]}`" in table
    assert str(PROJECT_ROOT) not in table
    assert "| `SHOPDESK_SECRET_KEY` | (required) |" in table


def test_readme_lists_every_setting() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"SHOPDESK_[A-Z_]+", readme))

    missing = [
        env_names(name)[0]
        for name in HubSettings.model_fields
        if env_names(name)[0] not in documented
    ]

    assert not missing, f"README lacks {missing}: paste `shopdesk settings` in it"


def test_project_env_file_is_read_whatever_the_working_folder() -> None:
    assert HubSettings.model_config["env_file"] == PROJECT_ROOT / ".env"
