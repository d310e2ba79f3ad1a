"""The app's vendored libraries are exactly what package-lock.json pins (run `make vendor`)."""

from __future__ import annotations

import json

from fieldapp import vendoring


def test_vendored_libraries_match_the_lock():
    record = json.loads(vendoring.RECORD.read_text())
    locked = vendoring.locked_packages()
    assert set(record) == set(locked) == set(vendoring.FILES)
    for name, pinned in locked.items():
        assert record[name]["version"] == pinned["version"], f"{name}: run `make vendor`"
        assert record[name]["integrity"] == pinned["integrity"], f"{name}: run `make vendor`"


def test_vendored_files_are_the_copied_ones():
    record = json.loads(vendoring.RECORD.read_text())
    for name, entry in record.items():
        expected = {target for _source, target in vendoring.FILES[name]}
        assert set(entry["files"]) == expected, name
        for target, digest in entry["files"].items():
            path = vendoring.target_dir(name) / target
            assert vendoring.sha256_of(path) == digest, f"{target} was edited: run `make vendor`"


def test_package_json_pins_what_the_lock_holds():
    from pathlib import Path

    root = Path(vendoring.ROOT)
    package = json.loads((root / "package.json").read_text())
    declared = {**package["dependencies"], **package.get("devDependencies", {})}
    locked = vendoring.locked_packages()
    assert {n: v for n, v in declared.items()} == {n: p["version"] for n, p in locked.items()}
