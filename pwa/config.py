"""Settings: built-in defaults, then THAW_* environment variables, then explicit overrides."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    "HOST": "127.0.0.1",
    "PORT": 8000,
    "DATA_DIR": "thaw-data",
    "STATIC_DIR": str(ROOT / "static"),
    "TEMPLATE_DIR": str(ROOT / "templates"),
    # Compressed, content-keyed builds of STATIC_DIR (pwa/assets.py); safe to delete.
    "CACHE_DIR": str(ROOT / ".cache" / "static"),
    "RATE_LIMIT": "600 per minute",
    "CREATE_LIMIT": "10 per hour",
    "AUTOREFRESH": False,
    "TRUSTED_PROXIES": 0,
    "PROXY_ADDRESS": "127.0.0.1",
    "HSTS": "",
    "CHANNEL_TIMEOUT": 30,
    "CONNECTION_LIMIT": 500,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    # The store (issue 12): TinyDB in DATA_DIR unless DATABASE_URL names a PostgreSQL database.
    "DATABASE_URL": "",
    "VAULT_MAX_ENVELOPES": 100_000,
    "VAULT_MAX_BYTES": 50 * 1024 * 1024,
    "OPEN_VAULTS": 16,
    "DB_POOL_SIZE": 8,
    "DB_TIMEOUT": 3.0,
    # Reminders by Web Push (issue 15): the push services the server may send to (a host, or
    # "*.domain" for its subdomains), its VAPID key (else <data>/vapid.pem) and contact.
    "PUSH_HOSTS": "fcm.googleapis.com, updates.push.services.mozilla.com, *.push.apple.com, "
    "web.push.apple.com, *.notify.windows.com",
    "VAPID_PRIVATE_KEY": "",
    "VAPID_SUBJECT": "mailto:reminders@thaw.invalid",
    # The sender's thread: `thaw serve` starts it; an app made in tests only when asked.
    "REMINDERS_SCHEDULER": False,
    "REMINDERS_INTERVAL": 20.0,
}

# Sent when THAW_HSTS is on: two years, as hstspreload.org asks; subdomains are the deployer's.
HSTS_DEFAULT = "max-age=63072000"

# Environment variable name -> setting, for the settings a deployer may change.
ENVIRONMENT = {
    "THAW_HOST": "HOST",
    "THAW_PORT": "PORT",
    "THAW_DATA": "DATA_DIR",
    "THAW_RATE_LIMIT": "RATE_LIMIT",
    "THAW_CREATE_LIMIT": "CREATE_LIMIT",
    "THAW_STATIC": "STATIC_DIR",
    "THAW_CACHE": "CACHE_DIR",
    "THAW_AUTOREFRESH": "AUTOREFRESH",
    "THAW_TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "THAW_PROXY_ADDRESS": "PROXY_ADDRESS",
    "THAW_HSTS": "HSTS",
    "THAW_CHANNEL_TIMEOUT": "CHANNEL_TIMEOUT",
    "THAW_CONNECTION_LIMIT": "CONNECTION_LIMIT",
    "THAW_DATABASE_URL": "DATABASE_URL",
    "THAW_VAULT_MAX_ENVELOPES": "VAULT_MAX_ENVELOPES",
    "THAW_VAULT_MAX_BYTES": "VAULT_MAX_BYTES",
    "THAW_OPEN_VAULTS": "OPEN_VAULTS",
    "THAW_DB_POOL_SIZE": "DB_POOL_SIZE",
    "THAW_DB_TIMEOUT": "DB_TIMEOUT",
    "THAW_PUSH_HOSTS": "PUSH_HOSTS",
    "THAW_VAPID_PRIVATE_KEY": "VAPID_PRIVATE_KEY",
    "THAW_VAPID_SUBJECT": "VAPID_SUBJECT",
    "THAW_REMINDERS_INTERVAL": "REMINDERS_INTERVAL",
}
TRUE = {"1", "true", "yes", "on"}
FALSE = {"", "0", "false", "no", "off"}


class ConfigError(ValueError):
    """A setting that cannot work; the CLI turns it into a one-line error."""


def load(overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> dict:
    """Merge defaults, environment and overrides, and check the values that can be wrong."""
    env = os.environ if env is None else env
    config = dict(DEFAULTS)
    for name, key in ENVIRONMENT.items():
        if env.get(name):
            config[key] = env[name]
    config.update({k: v for k, v in (overrides or {}).items() if v is not None})
    config["PORT"] = parse_port(config["PORT"])
    config["AUTOREFRESH"] = str(config["AUTOREFRESH"]).lower() in TRUE
    config["TRUSTED_PROXIES"] = parse_count(config["TRUSTED_PROXIES"], "trusted proxies")
    config["CHANNEL_TIMEOUT"] = parse_count(config["CHANNEL_TIMEOUT"], "channel timeout", 1, 3600)
    config["CONNECTION_LIMIT"] = parse_count(
        config["CONNECTION_LIMIT"], "connection limit", 10, 10_000
    )
    config["HSTS"] = parse_hsts(config["HSTS"])
    for key in ("RATE_LIMIT", "CREATE_LIMIT"):
        config[key] = parse_limit(config[key], key.lower().replace("_", " "))
    load_store_settings(config)
    load_reminder_settings(config)
    return config


def load_reminder_settings(config: dict) -> None:
    """THAW_PUSH_HOSTS (comma- or space-separated; a list is kept), the VAPID subject and the
    sender's interval, checked."""
    hosts = config["PUSH_HOSTS"]
    if isinstance(hosts, str):
        hosts = hosts.replace(",", " ").split()
    config["PUSH_HOSTS"] = tuple(str(host).strip().lower() for host in hosts if str(host).strip())
    subject = str(config["VAPID_SUBJECT"]).strip()
    if not subject.startswith(("mailto:", "https://")):
        raise ConfigError("THAW_VAPID_SUBJECT must be a mailto: or https:// address")
    config["VAPID_SUBJECT"] = subject
    config["REMINDERS_SCHEDULER"] = str(config["REMINDERS_SCHEDULER"]).lower() in TRUE
    config["REMINDERS_INTERVAL"] = parse_positive(
        config["REMINDERS_INTERVAL"], "THAW_REMINDERS_INTERVAL", float
    )


def parse_positive(value: Any, what: str, kind: type = int) -> Any:
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{what} must be a positive number, not {value!r}") from None
    if number <= 0:
        raise ConfigError(f"{what} must be a positive number, not {value!r}")
    return number


def load_store_settings(config: dict) -> None:
    """The store's settings (THAW_DATABASE_URL, quotas, the LRU and pool sizes), checked."""
    url = str(config["DATABASE_URL"] or "").strip()
    if url and not url.startswith(("postgresql://", "postgres://")):
        raise ConfigError("THAW_DATABASE_URL must start with postgresql:// (or be unset)")
    config["DATABASE_URL"] = url
    config["VAULT_MAX_ENVELOPES"] = parse_positive(
        config["VAULT_MAX_ENVELOPES"], "THAW_VAULT_MAX_ENVELOPES"
    )
    config["VAULT_MAX_BYTES"] = parse_positive(config["VAULT_MAX_BYTES"], "THAW_VAULT_MAX_BYTES")
    config["OPEN_VAULTS"] = parse_positive(config["OPEN_VAULTS"], "THAW_OPEN_VAULTS")
    config["DB_POOL_SIZE"] = parse_positive(config["DB_POOL_SIZE"], "THAW_DB_POOL_SIZE")
    config["DB_TIMEOUT"] = parse_positive(config["DB_TIMEOUT"], "THAW_DB_TIMEOUT", float)


def parse_count(value: Any, what: str, low: int = 0, high: int = 10) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{what} must be a whole number, not {value!r}") from None
    if not low <= count <= high:
        raise ConfigError(f"{what} must be from {low} to {high}, not {count}")
    return count


def parse_limit(value: Any, what: str) -> str:
    """A Flask-Limiter rate ("10 per hour", "5/minute; 100/day") or "off"; checked at start."""
    from limits import parse_many

    text = str(value).strip()
    if text.lower() == "off":
        return "off"
    try:
        parse_many(text)
    except ValueError:
        raise ConfigError(f"{what} must be like '10 per hour' or 'off', not {text!r}") from None
    return text


def parse_hsts(value: Any) -> str:
    """THAW_HSTS: on/1 for the default header value, off/empty for none, or a header value."""
    text = str(value if value is not None else "").strip()
    if text.lower() in FALSE:
        return ""
    if text.lower() in TRUE:
        return HSTS_DEFAULT
    if text.lower().startswith("max-age="):
        return text
    raise ConfigError(f"THAW_HSTS must be on, off or a header value like {HSTS_DEFAULT!r}")


def waitress_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """What `thaw serve` gives waitress: the one place that bounds bodies, slow clients and
    connections, and that decides which proxy's X-Forwarded-For/-Proto names the client."""
    timeout = config["CHANNEL_TIMEOUT"]
    options: dict[str, Any] = {
        # Refuse a body past the API's limit while it arrives, before it is spooled to disk.
        "max_request_body_size": config["MAX_CONTENT_LENGTH"] + 64 * 1024,
        "channel_timeout": timeout,
        "cleanup_interval": max(1, min(30, timeout // 2)),  # how often idle ones are closed
        "connection_limit": config["CONNECTION_LIMIT"],
        "asyncore_use_poll": True,  # select() cannot watch more than 1,024 sockets
        "clear_untrusted_proxy_headers": True,
    }
    if config["TRUSTED_PROXIES"]:
        options.update(
            trusted_proxy=config["PROXY_ADDRESS"],
            trusted_proxy_count=config["TRUSTED_PROXIES"],
            trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto"},
        )
    return options


def parse_port(value: Any) -> int:
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"port must be a number from 1 to 65535, not {value!r}") from None
    if not 0 < port < 65536:
        raise ConfigError(f"port must be a number from 1 to 65535, not {port}")
    return port


def prepare_data_dir(path: str | os.PathLike) -> Path:
    """Create the data folder on first use and prove it is writable, before anyone relies on it."""
    folder = Path(path).expanduser().resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(f"the data folder {folder} cannot be written: {reason}") from None
    return folder
