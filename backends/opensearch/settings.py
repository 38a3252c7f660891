"""Where the cluster is and how to reach it: from options or the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class OpenSearchSettings:
    url: str  # one node's URL, or several separated by commas (the client fails over among them)
    user: str | None = None
    password: str | None = None
    verify_certs: bool = True
    alias: str = "arnews"  # the name searches read through; generations are "<alias>-<stamp>"
    shards: int = 2
    replicas: int = 1
    timeout: float = 30.0

    def __post_init__(self) -> None:
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"not an http(s) URL of an OpenSearch cluster: {url!r}")
        if not self.alias.isascii() or not self.alias.replace("-", "").replace("_", "").isalnum() \
                or self.alias != self.alias.lower():
            raise ValueError(f"index alias must be lowercase letters, digits, - or _: {self.alias!r}")

    @classmethod
    def from_env(cls, url: str | None = None, **overrides: object) -> OpenSearchSettings:
        """Options given explicitly win over ARNEWS_OPENSEARCH_URL / _USER / _PASSWORD / _VERIFY."""
        env = os.environ
        values: dict[str, object] = {
            "url": url or env.get("ARNEWS_OPENSEARCH_URL", ""),
            "user": env.get("ARNEWS_OPENSEARCH_USER") or None,
            "password": env.get("ARNEWS_OPENSEARCH_PASSWORD") or None,
            "verify_certs": env.get("ARNEWS_OPENSEARCH_VERIFY", "1").lower() not in ("0", "false", "no"),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @property
    def urls(self) -> list[str]:
        return [u.strip() for u in self.url.split(",") if u.strip()] or [self.url]

    def generation_name(self, stamp: str) -> str:
        return f"{self.alias}-{stamp}"
