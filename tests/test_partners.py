"""Partner organisations: a vocabulary in content/partners.yaml, a page each with its
events and firms, linked from events and speakers."""

from __future__ import annotations

from verbund.load import load_sources
from verbund.validate import validate

from .conftest import EVENT, write
from .test_dependencies import build, same_as_clean
from .test_render import html, rendered

PARTNERS = """\
- id: region56plus
  name: Region56+
  short_name: R56+
  city: Koblenz
  website: https://www.region56plus.example/
  description: Eine regionale Marketinggesellschaft, in der 15 Firmen zusammenarbeiten.
  members: [muster-logistik, Muster Metallbau GmbH]
"""

TALK = EVENT.replace(
    "speakers:\n",
    "partners: [r56+, Agentur für Arbeit]\nspeakers:\n"
    "  - name: Christian Kassner\n    role: Geschäftsführer\n"
    "    organization: Region56+\n    partner: region56plus\n",
)


def test_a_partner_has_a_page_with_its_events_and_firms(site):
    write(site, "content/partners.yaml", PARTNERS)
    write(site, "content/events/2020-04-02-kurzarbeit.md", TALK)
    _, output = rendered(site)
    page = html(output, "partner/region56plus/index.html")
    assert "<h1>Region56+</h1>" in page and "R56+ · Koblenz" in page
    assert "15 Firmen zusammenarbeiten" in page
    assert 'href="../../veranstaltungen/2020-04-02-kurzarbeit/"' in page  # its event
    assert 'href="../../mitglieder/muster-logistik/"' in page  # a member's card
    assert "<li>Muster Metallbau GmbH</li>" in page  # a firm that is not a member
    listing = html(output, "partner/index.html")
    assert 'href="../partner/region56plus/"' in listing or 'href="region56plus/"' in listing
    assert 'href="../partner/"' in html(output, "impressum/index.html")  # the footer


def test_events_and_speakers_link_their_partners(site):
    write(site, "content/partners.yaml", PARTNERS)
    write(site, "content/events/2020-04-02-kurzarbeit.md", TALK)
    _, output = rendered(site)
    page = html(output, "veranstaltungen/2020-04-02-kurzarbeit/index.html")
    # By its short name in any case; a name without a partner stays text.
    assert '<a href="../../partner/region56plus/">Region56+</a>, Agentur für Arbeit' in page
    assert 'Geschäftsführer, <a href="../../partner/region56plus/">Region56+</a>' in page
    speakers = html(output, "veranstaltungen/referenten/index.html")
    assert 'href="../../partner/region56plus/"' in speakers


def test_without_partners_there_are_no_partner_pages(site):
    _, output = rendered(site)
    assert not [path for path in output.files if path.startswith("partner/")]
    assert "partner/" not in html(output, "impressum/index.html")


def test_partner_mistakes_are_told_at_their_lines(site):
    write(
        site,
        "content/partners.yaml",
        PARTNERS
        + "  logo: fehlt.png\n"
        + "- id: region56plus\n  name: Doppelt\n"
        + "- id: euregio\n  name: EUREGIO\n  members: [muster-logistk]\n",
    )
    write(
        site,
        "content/events/2020-04-02-kurzarbeit.md",
        TALK.replace("partner: region56plus", "partner: region56").replace(
            "[r56+, Agentur für Arbeit]", "[euregi]"
        ),
    )
    sources, problems = load_sources(site)
    _, checked = validate(sources)
    found = {(p.path, p.line, p.field, p.message, p.hint, p.severity) for p in problems + checked}
    assert (
        "content/partners.yaml",
        8,
        "[0].logo",
        "there is no file static/fehlt.png",
        "put the logo below static/",
        "error",
    ) in found
    assert any(
        f[0] == "content/partners.yaml" and f[1] == 9 and "used twice" in f[3] for f in found
    )
    assert (
        "content/partners.yaml",
        13,
        "[2].members[0]",
        "'muster-logistk' is not a member's file name; it is shown as text",
        "did you mean 'muster-logistik'?",
        "warning",
    ) in found
    event = "content/events/2020-04-02-kurzarbeit.md"
    assert (
        event,
        13,
        "speakers[0].partner",
        "unknown partner 'region56'",
        "did you mean 'region56plus'?",
        "error",
    ) in found
    assert (
        event,
        8,
        "partners[0]",
        "'euregi' is not a partner id; it is shown as text",
        "did you mean 'euregio'?",
        "warning",
    ) in found


def test_a_renamed_or_added_partner_remakes_the_pages_that_name_it(site, tmp_path):
    output = tmp_path / "out"
    write(
        site, "content/events/2020-04-02-kurzarbeit.md", TALK.replace("partner: region56plus", "")
    )
    assert build(site, output) == 0
    event = output / "veranstaltungen/2020-04-02-kurzarbeit/index.html"
    assert "partner/region56plus/" not in event.read_text("utf-8")  # no partners yet
    write(site, "content/partners.yaml", PARTNERS)  # "r56+" now names one
    same_as_clean(site, output)
    assert 'partner/region56plus/">Region56+</a>' in event.read_text("utf-8")
    write(site, "content/partners.yaml", PARTNERS.replace("name: Region56+", "name: Region 56+"))
    same_as_clean(site, output)
    assert 'partner/region56plus/">Region 56+</a>' in event.read_text("utf-8")


def test_two_partners_of_one_name_are_an_error_at_the_second(site):
    write(
        site,
        "content/partners.yaml",
        PARTNERS + "- id: r56\n  name: Region 56 Plus\n  short_name: region56+\n",
    )
    sources, problems = load_sources(site)
    _, checked = validate(sources)
    found = [(p.path, p.line, p.field, p.message, p.severity) for p in problems + checked]
    assert found == [
        (
            "content/partners.yaml",
            10,
            "[1].short_name",
            "'region56+' also names the partner 'region56plus': an event could not tell them apart",
            "error",
        )
    ]


def test_names_that_differ_only_in_spaces_are_one_name(site):
    write(
        site,
        "content/partners.yaml",
        PARTNERS
        + '- id: region-zwei\n  name: Region Zwei\n  short_name: "r56  +"\n'
        + '- id: region-drei\n  name: Region Drei\n  short_name: "R56 +"\n',
    )
    sources, problems = load_sources(site)
    _, checked = validate(sources)
    assert [(p.line, p.field, p.severity) for p in problems + checked] == [
        (13, "[2].short_name", "error")
    ]
