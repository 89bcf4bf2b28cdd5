"""The SDK's codec against the test vectors the Java tests write and check (schemas/src/test/resources/vectors)."""
import io
import json
import pathlib

import fastavro
import pytest

from groundcontrol_worker.codec import Codec, WireFormatError

VECTORS = sorted((pathlib.Path(__file__).resolve().parents[2] / "schemas" / "src" / "test" / "resources" / "vectors")
                 .glob("*.json"))


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_vectors_for_every_record_a_worker_touches():
    records = {load(path)["record"] for path in VECTORS}
    assert {"StageInstruction", "StageReport", "MissionCommand"} <= records


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_fingerprint_matches_java(path):
    vector = load(path)
    assert Codec(vector["record"]).fingerprint == vector["fingerprint"]
    assert vector["hex"][4:20] == vector["fingerprint"]


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_encoding_the_record_gives_the_javas_bytes(path):
    vector = load(path)
    codec = Codec(vector["record"])
    record = next(fastavro.json_reader(io.StringIO(json.dumps(vector["avroJson"])), codec.schema))
    assert codec.encode(_as_tuples(vector["avroJson"], record)).hex() == vector["hex"]


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_decoding_the_javas_bytes_gives_the_record(path):
    vector = load(path)
    codec = Codec(vector["record"])
    decoded = codec.decode(bytes.fromhex(vector["hex"]))
    expected = next(fastavro.json_reader(io.StringIO(json.dumps(vector["avroJson"])), codec.schema))
    assert _plain(decoded) == _plain(expected)


def test_a_wrong_fingerprint_names_expected_and_found():
    codec = Codec("StageReport")
    data = bytearray(codec.encode(_report()))
    data[2:10] = bytes.fromhex("7cf420a8deb44379")
    with pytest.raises(WireFormatError, match="fingerprint 4f209a97c157e41d .hex., but found 7cf420a8deb44379"):
        codec.decode(bytes(data))


def test_a_missing_marker_is_named():
    with pytest.raises(WireFormatError, match="marker C3 01"):
        Codec("StageInstruction").decode(b'{"kind": "RUN"}')


def _report():
    return {"missionId": "m-1", "stage": "s", "attempt": 1,
            "worker": {"kind": "WORKER", "id": "w", "host": None}, "reportedAt": 0,
            "outcome": ("io.groundcontrol.schema.ReportFinished", {"outputs": {}})}


def _as_tuples(avro_json, record):
    """fastavro's json_reader gives union members as plain dicts; the SDK writes a record union's
    member as a (full name, dict) tuple: take the name from the Avro JSON encoding."""
    out = dict(record)
    for field in ("outcome", "command"):
        if field in out and isinstance(out[field], dict):
            (name,) = avro_json[field].keys()
            out[field] = (name, out[field])
    return out


def _plain(value):
    if isinstance(value, tuple):
        return _plain(value[1])
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
