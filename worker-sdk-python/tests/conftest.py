import pathlib

import pytest

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "schemas" / "src" / "test" / "resources" / "vectors"


@pytest.fixture
def vectors_dir():
    assert VECTORS.is_dir(), f"Expected the shared test vectors in {VECTORS}"
    return VECTORS
