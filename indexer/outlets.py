"""Outlet ids and their Arabic display names."""

from __future__ import annotations

import re

UNKNOWN = "unknown"

OUTLET_NAMES: dict[str, str] = {
    "aawsat": "الشرق الأوسط",
    "aleqtisadiya": "الاقتصادية",
    "aljazirah": "الجزيرة",
    "almadina": "المدينة",
    "alriyadh": "الرياض",
    "alwatan": "الوطن",
    "alweeam": "الوئام",
    "alyaum": "اليوم",
    "arreyadi": "الرياضي",
    "arreyadiyah": "الرياضية",
    "arriyadiyah": "الرياضية",
    "okaz": "عكاظ",
    "sabq": "سبق",
    "was": "واس",
    "3alyoum": "عين اليوم",
    UNKNOWN: "غير معروف",
}

_ID_CLEAN = re.compile(r"[^\w.-]+")


def outlet_id(raw: object) -> str:
    """A clean outlet id from whatever a record carries; empty or missing → 'unknown'."""
    if not isinstance(raw, str):
        return UNKNOWN
    cleaned = _ID_CLEAN.sub("-", raw.strip().lower()).strip("-")
    return cleaned[:64] or UNKNOWN


# Display names the indexed sources gave for outlets not in OUTLET_NAMES (a sources file's
# display_name, a sidecar's outlet_name), registered when an index generation is opened.
_GIVEN_NAMES: dict[str, str] = {}


def register_outlet_names(names: dict[str, str]) -> None:
    _GIVEN_NAMES.update({k: v for k, v in names.items() if isinstance(k, str) and isinstance(v, str) and v})


def outlet_name(oid: str) -> str:
    """Arabic display name; an outlet we do not know is shown by its id."""
    return OUTLET_NAMES.get(oid) or _GIVEN_NAMES.get(oid) or oid


# Hosts of the bundled corpus's outlets, so that their pages (fetched, saved, archived) are filed
# under the same outlet ids.
HOST_OUTLETS = {
    "aawsat.com": "aawsat", "aleqt.com": "aleqtisadiya", "al-jazirah.com": "aljazirah",
    "al-madina.com": "almadina", "alriyadh.com": "alriyadh", "alwatan.com.sa": "alwatan",
    "alweeam.com.sa": "alweeam", "alyaum.com": "alyaum", "arriyadiyah.com": "arriyadiyah",
    "okaz.com.sa": "okaz", "sabq.org": "sabq", "spa.gov.sa": "was", "3alyoum.com": "3alyoum",
}


def outlet_from_host(host: str) -> str:
    """The outlet id of a site: a known outlet's id, else the host itself without www."""
    host = host.lower().removeprefix("www.")
    return HOST_OUTLETS.get(host) or outlet_id(host)
