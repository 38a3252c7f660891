"""One facet value per person: a normalized key, so أحمد/احمد and عبدالله/عبد الله meet."""

from __future__ import annotations

import re

from analyzers.charmap import normalize

_CLITIC = re.compile(r"^[وفبلك](?=\S{3,})")
_ABD = re.compile(r"\bعبد\s+(?=ال)")
_SPACES = re.compile(r"\s+")


def person_key(name: str) -> str:
    """Normalized spelling with عبد compounds closed up and a leading clitic letter dropped."""
    key = _SPACES.sub(" ", normalize(name)).strip()
    key = _ABD.sub("عبد", key)
    if " " not in key:
        key = _CLITIC.sub("", key) if not key.startswith(("وا", "ول", "فا", "با", "لا", "كا")) else key
    return key
