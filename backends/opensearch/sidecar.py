"""What a generation needs besides its articles, kept in a small companion index beside it
(`<generation>-meta`, created, swapped and deleted with it): the exact vocabulary (for bounded
prefix* expansion and the spelling variants the ranking uses), the person catalog (merged name
forms, facet display and hygiene) and the outlets' display names given by the sources. Each is a
gzip'd blob in a few binary parts, so a server reads it in one request when it opens the
generation."""

from __future__ import annotations

import base64
import gzip
import json

from opensearchpy import OpenSearch

from searchcore.person_catalog import PersonCatalog

SUFFIX = "-meta"
PART_BYTES = 4 * 1024 * 1024


def side_index(generation: str) -> str:
    return generation + SUFFIX


def is_side_index(name: str) -> bool:
    return name.endswith(SUFFIX)


def write(client: OpenSearch, generation: str, vocabulary: list[str], persons: PersonCatalog,
          replicas: int, outlet_names: dict[str, str] | None = None) -> None:
    name = side_index(generation)
    client.indices.create(index=name, body={
        "settings": {"index": {"number_of_shards": 1, "number_of_replicas": replicas}},
        "mappings": {"dynamic": "strict", "properties": {
            "blob": {"type": "keyword"}, "part": {"type": "integer"}, "data": {"type": "binary"}}}})
    blobs = {"vocabulary": "\n".join(vocabulary).encode("utf-8"),
             "persons": json.dumps(persons.to_json(), ensure_ascii=False).encode("utf-8"),
             "outlets": json.dumps(outlet_names or {}, ensure_ascii=False).encode("utf-8")}
    for blob, raw in blobs.items():
        packed = gzip.compress(raw, compresslevel=6)
        parts = [packed[i : i + PART_BYTES] for i in range(0, len(packed), PART_BYTES)] or [b""]
        for i, part in enumerate(parts):
            client.index(index=name, id=f"{blob}-{i}", body={
                "blob": blob, "part": i, "data": base64.b64encode(part).decode("ascii")})
    client.indices.refresh(index=name)


def _read(client: OpenSearch, generation: str, blob: str) -> bytes:
    res = client.search(index=side_index(generation), body={
        "size": 1000, "query": {"term": {"blob": blob}}, "sort": [{"part": "asc"}]})
    return gzip.decompress(b"".join(base64.b64decode(h["_source"]["data"]) for h in res["hits"]["hits"]))


def read_vocabulary(client: OpenSearch, generation: str) -> list[str]:
    text = _read(client, generation, "vocabulary").decode("utf-8")
    return text.split("\n") if text else []


def read_outlet_names(client: OpenSearch, generation: str) -> dict[str, str]:
    """The display names the sources gave (a generation written before they were kept: none)."""
    raw = _read(client, generation, "outlets")
    return json.loads(raw) if raw else {}


def read_persons(client: OpenSearch, generation: str) -> PersonCatalog:
    return PersonCatalog.from_json(json.loads(_read(client, generation, "persons")))
