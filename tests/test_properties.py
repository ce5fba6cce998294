"""Property tests: generated member and event files, valid and broken.

Whatever a contributor writes, a build either succeeds or exits 1 with
messages that name the file (and the line where there is one); it never ends
in a traceback and never leaves a partial output. ``PROPERTY_EXAMPLES=400``
runs more examples than the default 18 (CI runs a fixed, derandomised set).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verbund.cli import main
from verbund.problems import printable

from .conftest import make_site, tree

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

PROPERTY = settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "18")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

POSITION_AND_TEXT = re.compile(r"(:\d+:\d+)?: \S.*")


def positioned(line: str, site: Path) -> bool:
    """``line`` starts with a file of the site, then an optional line:column and text."""
    for file in site.rglob("*"):
        rel = printable(file.relative_to(site).as_posix())
        if line.startswith(rel + ":") and POSITION_AND_TEXT.fullmatch(line[len(rel) :]):
            return True
    return False


class Base:
    """A small site built once; every example starts from a copy of it."""

    def __init__(self, root: Path):
        assert main(["build", "--site", str(root), "--today", "2026-01-01", "--no-search"]) == 0
        self.root = root
        self.output = tree(root / "output")

    def __repr__(self) -> str:
        return f"<site {self.root}>"


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Base:
    return Base(make_site(tmp_path_factory.mktemp("base") / "site"))


slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
texts = st.text(max_size=30)
scalars = st.one_of(
    texts,
    st.integers(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.floats(allow_nan=False),
    st.lists(texts, max_size=2),
)
bodies = st.lists(
    st.sampled_from(
        list("ab []()*_#>-!`<:/.\n\t")
        + ["https://x.example", "javascript:", "<script>", "[^1]", "    ", "ä", "\u202e", "\x00"]
    ),
    max_size=60,
).map("".join)
file_names = st.one_of(
    slugs,
    st.text(min_size=1, max_size=20).filter(
        lambda n: "/" not in n and "\x00" not in n and n not in (".", "..")
    ),
)


def _members():
    industry = st.sampled_from(["logistik", "maschinenbau"]) | slugs
    return st.fixed_dictionaries(
        {
            "name": texts,
            "industries": st.lists(industry, max_size=3),
            "associations": st.lists(st.sampled_from(["wvs", "aiw"]) | slugs, max_size=2),
            "region": st.sampled_from(["kreis-steinfurt", "kreis-borken"]) | slugs,
        },
        optional={
            "services": st.lists(texts, max_size=3),
            "address": st.fixed_dictionaries(
                {"street": texts, "postal_code": scalars, "city": texts}
            ),
            "contact": st.fixed_dictionaries(
                {},
                optional={
                    "website": st.sampled_from(
                        ["https://x.example", "x.example", "javascript:alert(1)"]
                    )
                    | texts,
                    "email": st.sampled_from(["info@x.example", "info"]) | texts,
                    "phone": scalars,
                },
            ),
            "member_since": scalars,
            "employees": st.sampled_from(["1-9", "10-49", "50-249", "250+"]) | scalars,
            "logo": st.sampled_from(["../site.yaml", "/etc/passwd", "logo.png"]) | texts,
        },
    )


def _events():
    moments = st.one_of(
        st.dates().map(str),
        st.datetimes().map(lambda d: f"{d:%Y-%m-%d %H:%M}"),
        st.sampled_from(["2026-03-29 02:30", "2026-10-25 02:30", "2024-02-30", "10:00"]),
        scalars,
    )
    return st.fixed_dictionaries(
        {
            "title": texts,
            "start": moments,
            "format": st.sampled_from(["online", "in_person", "hybrid"]) | texts,
            "hosts": st.lists(st.sampled_from(["wvs", "aiw"]) | slugs, max_size=2),
        },
        optional={
            "end": moments,
            "series": slugs | scalars,
            "status": st.sampled_from(["scheduled", "cancelled", "postponed"]) | texts,
            "speakers": st.lists(
                st.fixed_dictionaries({"name": texts}, optional={"member": slugs, "role": texts}),
                max_size=2,
            ),
            "location": st.fixed_dictionaries({"name": texts}, optional={"city": texts}),
            "online": st.fixed_dictionaries({}, optional={"platform": texts, "url": texts}),
            "registration": st.fixed_dictionaries(
                {}, optional={"url": texts, "email": texts, "price": scalars, "deadline": moments}
            ),
        },
    )


@st.composite
def files(draw, fields) -> str:
    """A content file: generated fields as YAML, then damaged in one of several ways."""
    data = draw(fields)
    damage = draw(st.sampled_from(["none", "drop", "retype", "insert", "cut", "unknown"]))
    if damage == "drop" and data:
        data.pop(draw(st.sampled_from(sorted(data))))
    elif damage == "retype" and data:
        data[draw(st.sampled_from(sorted(data)))] = draw(scalars)
    elif damage == "unknown":
        data[draw(st.text(min_size=1, max_size=10))] = draw(scalars)
    front = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)
    text = f"---\n{front}---\n{draw(bodies)}"
    if damage == "insert":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(min_size=1, max_size=5)) + text[at:]
    elif damage == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    return text


def _build_with(base: Base, folder: str, name: str, text: str, encoding: str = "utf-8") -> None:
    root, built = base.root, base.output
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "site"
        shutil.copytree(root, site, symlinks=True)
        (site / "content" / folder / f"{name}.md").write_bytes(
            text.encode(encoding, errors="replace" if encoding != "utf-8" else "surrogatepass")
        )
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(
                ["build", "--site", str(site), "--today", "2026-01-01", "--no-search", "--no-cache"]
            )
        assert code in (0, 1), err.getvalue()
        assert "Traceback" not in out.getvalue() + err.getvalue()
        if code == 1:
            lines = out.getvalue().splitlines()
            assert lines and all(positioned(line, site) for line in lines), lines
            assert any(line.startswith("content/") for line in lines)
            assert "is unchanged" in err.getvalue()
            assert tree(site / "output") == built, "the output changed"
        else:
            assert "Built " in out.getvalue()
            assert set(built) <= set(tree(site / "output")), "pages went missing"


@PROPERTY
@given(name=file_names, text=files(_members()))
def test_any_member_file_builds_or_gets_positioned_messages(base, name, text):
    _build_with(base, "members", name, text)


@PROPERTY
@given(name=file_names, text=files(_events()))
def test_any_event_file_builds_or_gets_positioned_messages(base, name, text):
    _build_with(base, "events", name, text)


@settings(max_examples=10, deadline=None)
@given(text=files(_members()))
def test_member_files_in_other_encodings(base, text):
    _build_with(base, "members", "kodierung", text, encoding="cp1252")
