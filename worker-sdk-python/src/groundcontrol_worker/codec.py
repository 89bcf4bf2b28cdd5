"""The wire format: Avro single-object encoding of the contract's records.

Every value on a Groundcontrol topic is two marker bytes ``C3 01``, the 8-byte little-endian
CRC-64-AVRO fingerprint of the writer schema's parsing canonical form, then the Avro binary body.
A schema that names types from other files (``StageReport`` uses ``Actor`` and ``StageError``)
enters the canonical form with each named type written out in full where it is first used, as
Java's ``SchemaNormalization`` does; :func:`fingerprint_hex` computes exactly that.
"""
import io
import json
from importlib import resources

import fastavro
from fastavro.schema import expand_schema, fingerprint, parse_schema, to_parsing_canonical_form

MARKER = b"\xc3\x01"
HEADER_LENGTH = 10
NAMESPACE = "io.groundcontrol.schema"


class WireFormatError(ValueError):
    """Bytes that are not a single-object encoded record of a known schema version; says why."""


def _load_json(name, history=False):
    folder = resources.files(__package__) / "avro"
    if history:
        folder = folder / "history"
    return json.loads((folder / name).read_text(encoding="utf-8"))


def _named_types():
    named = {}
    for name in ("Actor", "ActorKind", "MissionStatus", "RetryPolicy", "StageError", "StageStatus"):
        try:
            parse_schema(_load_json(name + ".avsc"), named_schemas=named)
        except FileNotFoundError:
            pass
    return named


def _full_schema(schema_json):
    """The schema with every named type from other files written out where it is first used."""
    return expand_schema(parse_schema(schema_json, named_schemas=_named_types()))


def fingerprint_hex(schema):
    """The CRC-64-AVRO fingerprint of ``schema``'s parsing canonical form: its 8 bytes in hex, in the
    order they are written after the marker (little-endian)."""
    return fingerprint(to_parsing_canonical_form(schema), "CRC-64-AVRO")


class Codec:
    """Encodes and decodes one record type; reads the current schema and every older version."""

    def __init__(self, record):
        self.record = record
        self.schema = parse_schema(_full_schema(_load_json(record + ".avsc")))
        self.fingerprint = fingerprint_hex(self.schema)
        self._header = MARKER + bytes.fromhex(self.fingerprint)
        self._writers = {self.fingerprint: self.schema}
        for path in sorted((resources.files(__package__) / "avro" / "history").iterdir()):
            if path.name.startswith(record + "-v") and path.name.endswith(".avsc"):
                older = parse_schema(_full_schema(json.loads(path.read_text(encoding="utf-8"))))
                self._writers.setdefault(fingerprint_hex(older), older)

    def encode(self, value):
        """Single-object encodes ``value``, a dict shaped like the schema (unions of records as
        ``(full name, dict)`` tuples)."""
        out = io.BytesIO()
        out.write(self._header)
        fastavro.schemaless_writer(out, self.schema, value)
        return out.getvalue()

    def decode(self, data):
        """Decodes ``data``; raises :class:`WireFormatError` with expected and found on bad input."""
        if data is None:
            raise WireFormatError(f"Expected a {self.record} record, but the value is null")
        if len(data) < HEADER_LENGTH or data[:2] != MARKER:
            raise WireFormatError(
                f"Expected a single-object encoded {self.record} (marker C3 01), but found "
                f"{data[:2].hex(' ').upper() or 'no bytes'} ({len(data)} bytes)")
        found = data[2:HEADER_LENGTH].hex()
        writer = self._writers.get(found)
        if writer is None:
            raise WireFormatError(
                f"Expected a {self.record} with schema fingerprint {self.fingerprint} (hex), but found {found}")
        try:
            return fastavro.schemaless_reader(
                io.BytesIO(data[HEADER_LENGTH:]), writer, self.schema, return_record_name=True)
        except Exception as e:  # fastavro raises several types for a truncated or corrupt body
            raise WireFormatError(f"Expected a {self.record} body after the header, but {e!r}") from e


def record_name(simple_name):
    """The full Avro name of a record of the contract: ``ReportFinished`` -> ``io.groundcontrol.schema.ReportFinished``."""
    return NAMESPACE + "." + simple_name
