"""The project's docs stand on their own: the rules are in docs/, the README says where `make run` listens, and
the paths the docs name exist."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_rules_page_covers_r1_to_r40_and_the_readme_links_it():
    rules = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for n in range(1, 41):
        assert f"**R{n}**" in rules, f"R{n}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/rules.md" in readme and "shared/SPEC.md" not in readme


def test_readme_names_host_and_port_of_make_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    host = re.search(r"^HOST \?= (\S+)", makefile, re.M).group(1)
    port = re.search(r"^PORT \?= (\S+)", makefile, re.M).group(1)
    assert "`HOST`" in readme and "`PORT`" in readme and host in readme and port in readme


def test_every_sample_file_the_formats_page_names_exists():
    text = (ROOT / "docs" / "corebanking-formats.md").read_text(encoding="utf-8")
    paths = re.findall(r"`([\w/]*samples/[\w.]+)`", text)
    assert len(paths) == 5
    for path in paths:
        assert (ROOT / path).is_file(), path
