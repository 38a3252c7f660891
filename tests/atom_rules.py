"""A strict check of an Atom 1.0 document against RFC 4287's MUST rules (sections 3 and 4), for
the feed tests: the structure feedparser tolerates (it parses nearly anything) is checked here.

Returns the list of violations, empty for a valid document.
"""

from __future__ import annotations

import re
from collections import Counter
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# RFC 3339 date-time, with the uppercase T and Z section 3.3 requires
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")  # absolute: a scheme, then no whitespace
TEXT_TYPES = {"text", "html", "xhtml"}
KNOWN = {
    "feed": {"author", "category", "contributor", "generator", "icon", "id", "link", "logo", "rights",
             "subtitle", "title", "updated", "entry"},
    "entry": {"author", "category", "content", "contributor", "id", "link", "published", "rights", "source",
              "summary", "title", "updated"},
}
ONCE = {"feed": {"id", "title", "updated"}, "entry": {"id", "title", "updated"}}
AT_MOST_ONCE = {"feed": {"generator", "icon", "logo", "rights", "subtitle"},
                "entry": {"content", "published", "rights", "source", "summary"}}


def _local(el: ET.Element) -> str | None:
    return el.tag[len(ATOM) + 2:] if el.tag.startswith(f"{{{ATOM}}}") else None


def _text_construct(el: ET.Element, where: str, out: list[str]) -> None:
    kind = el.get("type", "text")
    if kind not in TEXT_TYPES:
        out.append(f"{where}: type {kind!r} is not text, html or xhtml (3.1.1)")
    if kind in ("text", "html") and len(el):
        out.append(f"{where}: a {kind} construct has child elements (3.1.1)")
    if kind == "xhtml" and (len(el) != 1 or el[0].tag != "{http://www.w3.org/1999/xhtml}div"):
        out.append(f"{where}: xhtml content must be one xhtml:div (3.1.1.3)")


def _container(el: ET.Element, kind: str, out: list[str]) -> Counter:
    where = kind if kind == "feed" else f"entry {el.findtext(f'{{{ATOM}}}id')!r}"
    names = Counter(_local(c) for c in el if _local(c) is not None)
    for name in names:
        if name not in KNOWN[kind]:
            out.append(f"{where}: atom:{name} is not an atom:{kind} child (4.1)")
    for name in ONCE[kind]:
        if names[name] != 1:
            out.append(f"{where}: {names[name]} atom:{name}, exactly one required (4.1)")
    for name in AT_MOST_ONCE[kind]:
        if names[name] > 1:
            out.append(f"{where}: {names[name]} atom:{name}, at most one allowed (4.1)")
    for child in el:
        name = _local(child)
        spot = f"{where} atom:{name}"
        if name in ("title", "subtitle", "summary", "rights"):
            _text_construct(child, spot, out)
        elif name in ("updated", "published"):
            if not DATE.match((child.text or "").strip()):
                out.append(f"{spot}: {child.text!r} is not an RFC 3339 date-time (3.3)")
        elif name == "id":
            if not IRI.match((child.text or "").strip()):
                out.append(f"{spot}: {child.text!r} is not an absolute IRI (4.2.6)")
        elif name == "link":
            if not child.get("href"):
                out.append(f"{spot}: no href (4.2.7.1)")
        elif name == "category":
            if not child.get("term"):
                out.append(f"{spot}: no term (4.2.2.1)")
        elif name in ("author", "contributor"):
            if len(child.findall(f"{{{ATOM}}}name")) != 1:
                out.append(f"{spot}: a person construct needs exactly one atom:name (3.2.1)")
        elif name == "content" and child.get("src") and names["summary"] == 0:
            out.append(f"{spot}: content with src needs an atom:summary (4.1.1.2)")
    alternates = Counter((link.get("type"), link.get("hreflang")) for link in el.findall(f"{{{ATOM}}}link")
                         if link.get("rel", "alternate") == "alternate")
    if any(n > 1 for n in alternates.values()):
        out.append(f"{where}: two alternate links of one type and hreflang (4.1.1, 4.1.2)")
    if kind == "entry" and names["content"] == 0 and not alternates:
        out.append(f"{where}: no atom:content and no alternate link (4.1.2)")
    return names


def atom_violations(document: bytes) -> list[str]:
    out: list[str] = []
    try:
        root = ET.fromstring(document)
    except ET.ParseError as e:
        return [f"not well-formed XML: {e}"]
    if root.tag != f"{{{ATOM}}}feed":
        return [f"the root is {root.tag}, not atom:feed"]
    names = _container(root, "feed", out)
    entries = root.findall(f"{{{ATOM}}}entry")
    for entry in entries:
        _container(entry, "entry", out)
    if names["author"] == 0 and not all(e.find(f"{{{ATOM}}}author") is not None for e in entries):
        out.append("feed: no atom:author, and not every entry has one (4.1.1)")
    ids = Counter(e.findtext(f"{{{ATOM}}}id") for e in entries)
    if any(n > 1 for n in ids.values()):
        out.append("feed: two entries with one atom:id (4.1.1)")
    return out
