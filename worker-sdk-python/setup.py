"""Copies the Avro schemas of the contract into the package at build time.

The schemas live once, in ../schemas/src/main/avro (and their history in ../schemas/src/main/
resources/io/groundcontrol/schema/history). Building from the repository copies them into
groundcontrol_worker/avro; building from an sdist uses the copy the sdist already holds.
"""
import pathlib
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = pathlib.Path(__file__).resolve().parent
SCHEMAS = HERE.parent / "schemas" / "src" / "main" / "avro"
HISTORY = HERE.parent / "schemas" / "src" / "main" / "resources" / "io" / "groundcontrol" / "schema" / "history"
TARGET = HERE / "src" / "groundcontrol_worker" / "avro"


def copy_schemas():
    if not SCHEMAS.is_dir():
        if not any(TARGET.glob("*.avsc")):
            raise SystemExit(f"Expected the Avro schemas in {SCHEMAS} (or a copy in {TARGET}), but found neither")
        return
    if TARGET.exists():
        shutil.rmtree(TARGET)
    (TARGET / "history").mkdir(parents=True)
    for schema in SCHEMAS.rglob("*.avsc"):
        shutil.copy(schema, TARGET / schema.name)
    for schema in HISTORY.glob("*.avsc"):
        shutil.copy(schema, TARGET / "history" / schema.name)


class BuildWithSchemas(build_py):
    def run(self):
        copy_schemas()
        super().run()


class SdistWithSchemas(sdist):
    def run(self):
        copy_schemas()
        super().run()


setup(cmdclass={"build_py": BuildWithSchemas, "sdist": SdistWithSchemas})
