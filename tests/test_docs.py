"""The project's documents stand on their own: every link in the README and docs/ leads to
a file of the project (a clone has nothing beside it), and the architecture document
names every package the layers contract checks."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _local_links(document: Path) -> list[str]:
    links = LINK.findall(document.read_text(encoding="utf-8"))
    return [
        link.split("#", 1)[0]
        for link in links
        if not link.startswith(("http://", "https://", "mailto:", "#"))
    ]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_link_leads_to_a_file_of_the_project(document):
    for link in _local_links(document):
        target = (document.parent / link).resolve()
        assert target.is_relative_to(ROOT), f"{document.name} links outside the project: {link}"
        assert target.exists(), f"{document.name} links to a missing file: {link}"


def test_the_architecture_names_every_package_of_the_layers():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = config["tool"]["importlinter"]["root_packages"]
    architecture = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [name for name in packages if f"`{name}/`" not in architecture]
    assert not missing, f"docs/ARCHITECTURE.md does not describe {missing}"
