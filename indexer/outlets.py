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


def outlet_name(oid: str) -> str:
    """Arabic display name; an outlet we do not know is shown by its id."""
    return OUTLET_NAMES.get(oid, oid)
