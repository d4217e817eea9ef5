"""The suite runs against the installed wheel: a typed, abi3 package, not the source tree."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import clickairtime
from clickairtime import _native


def test_imported_from_an_installed_package_not_the_source_tree() -> None:
    pkg = Path(clickairtime.__file__).resolve().parent
    assert "site-packages" in pkg.parts, pkg
    assert Path(sys.prefix).resolve() in pkg.parents
    source = Path(__file__).resolve().parents[1] / "python"
    assert source not in pkg.parents


def test_wheel_ships_stubs_typed_marker_and_an_abi3_module() -> None:
    pkg = Path(clickairtime.__file__).resolve().parent
    assert (pkg / "py.typed").is_file()
    assert (pkg / "_native.pyi").is_file()
    native = Path(_native.__file__).name
    assert native.startswith("_native.abi3."), native


def test_version_comes_from_the_crate() -> None:
    assert clickairtime.__version__ == _native.__version__
    assert clickairtime.__version__.count(".") == 2


def test_public_names_exist() -> None:
    import clickairtime.aio
    import clickairtime.sandbox
    import clickairtime.webhooks

    for name in clickairtime.__all__:
        assert hasattr(clickairtime, name), name
    assert callable(clickairtime.webhooks.verify) and callable(clickairtime.webhooks.parse)
    # a package, so that `python -m clickairtime.sandbox` runs its __main__ without runpy's warning
    assert os.path.basename(os.path.dirname(clickairtime.sandbox.__file__ or "")) == "sandbox"
    assert callable(clickairtime.sandbox.main)
