"""The Piccolo internals `admin.piccolo_patches` leans on are the ones it was written
against: an upgrade of Piccolo Admin or piccolo-api fails here until the patches have
been checked against it (then update the fingerprints)."""

from __future__ import annotations

import hashlib
import importlib
import inspect
from importlib.metadata import version

import piccolo_admin.endpoints
import pytest

from admin import piccolo_patches


def fingerprint(dotted: str) -> str:
    module, owner, attribute = dotted.rsplit(".", 2)
    target = getattr(getattr(importlib.import_module(module), owner), attribute)
    return hashlib.sha256(inspect.getsource(target).encode()).hexdigest()


def test_installed_versions_are_the_ones_the_patches_were_written_against() -> None:
    installed = {name: version(name) for name in piccolo_patches.WRITTEN_AGAINST}
    assert installed == piccolo_patches.WRITTEN_AGAINST


@pytest.mark.parametrize("dotted", sorted(piccolo_patches.FINGERPRINTS))
def test_patched_internals_are_unchanged(dotted: str) -> None:
    assert fingerprint(dotted) == piccolo_patches.FINGERPRINTS[dotted], (
        f"{dotted} changed: check admin/piccolo_patches.py against the new Piccolo"
    )


def test_admin_router_builds_its_crud_from_the_module_attribute_we_replace() -> None:
    source = inspect.getsource(piccolo_admin.endpoints.AdminRouter.__init__)
    assert "piccolo_crud=PiccoloCRUD(" in source


def test_install_puts_the_scoped_crud_in_place() -> None:
    piccolo_patches.install()
    assert piccolo_admin.endpoints.PiccoloCRUD is piccolo_patches.ScopedCRUD
    assert "_apply_filters" in vars(piccolo_patches.ScopedCRUD)
