"""Validate stage: models, cross references and the exact messages editors see."""

from __future__ import annotations

import datetime as dt

import pytest

from verbund import validate as validate_module
from verbund.load import load_sources
from verbund.problems import format_text
from verbund.validate import validate

from .conftest import MEMBER, write


def problems_of(site) -> list[str]:
    sources, problems = load_sources(site)
    _, found = validate(sources)
    return [format_text(p) for p in problems + found]


def member_with(site, old: str, new: str, name: str = "muster-logistik") -> None:
    """The fixture's member with one change; under another file name, another firm."""
    assert old in MEMBER
    text = MEMBER
    if name != "muster-logistik":
        text = text.replace("Muster Logistik GmbH", f"Firma {name.title()} GmbH").replace(
            "muster-logistik.example", f"{name}.example"
        )
    write(site, f"content/members/{name}.md", text.replace(old, new))


def event_file(site, body: str, name: str = "e") -> None:
    write(site, f"content/events/{name}.md", "---\n" + body + "---\n")


def test_valid_site_has_no_problems(site):
    assert problems_of(site) == []
    content, _ = validate(load_sources(site)[0])
    member = content.members[0].data
    assert member.address.postal_code == "48431"
    assert member.contact.phone == "+49 5971 12345"
    event = content.events[0].data
    assert event.start == dt.datetime(2020, 4, 2, 10, 0, tzinfo=content.config.zone)
    assert event.start.utcoffset() == dt.timedelta(hours=2)


def test_unknown_industry_suggests_the_closest(site):
    member_with(site, "industries: [logistik, lagerhaltung]", "industries: [logisitk]")
    assert problems_of(site) == [
        "content/members/muster-logistik.md:3:14: industries[0]: unknown industry "
        "'logisitk' (did you mean 'logistik'?)"
    ]


def test_unknown_region_without_close_match_names_the_vocabulary(site):
    member_with(site, "region: kreis-steinfurt", "region: bayern")
    assert problems_of(site) == [
        "content/members/muster-logistik.md:8:9: region: unknown region 'bayern' "
        "(known region ids are listed in content/regions.yaml)"
    ]


def test_unknown_field_suggests_the_closest(site):
    member_with(site, "member_since: 2012", "memebr_since: 2012")
    assert problems_of(site) == [
        "content/members/muster-logistik.md:17:1: memebr_since: unknown field "
        "'memebr_since' (did you mean 'member_since'?)"
    ]


def test_unknown_nested_field(site):
    member_with(site, "  city: Rheine", "  town: Rheine")
    assert problems_of(site) == [
        "content/members/muster-logistik.md:10:3: address.city: the required field 'city' "
        "is missing (add a line like: city: Rheine)",
        "content/members/muster-logistik.md:12:3: address.town: unknown field 'town' "
        "(allowed here: street, postal_code, city, country)",
    ]


def test_country_codes_are_two_capital_letters(site):
    expected = "expected a country code of two capital letters (ISO 3166-1), like DE or NL"
    write(site, "site.yaml", (site / "site.yaml").read_text() + "country: de\n")
    assert problems_of(site) == [f"site.yaml:15:10: country: {expected}"]
    write(site, "site.yaml", (site / "site.yaml").read_text().replace("country: de", "country: AT"))
    member_with(site, "  city: Rheine", "  city: Rheine\n  country: Deutschland")
    assert problems_of(site) == [
        f"content/members/muster-logistik.md:13:12: address.country: {expected}"
    ]
    member_with(site, "  city: Rheine", "  city: Rheine\n  country: NL")
    assert problems_of(site) == []


def test_missing_required_field_points_at_the_mapping(site):
    member_with(site, "region: kreis-steinfurt\n", "")
    assert problems_of(site) == [
        "content/members/muster-logistik.md:2:1: region: the required field 'region' is "
        "missing (add a line like: region: kreis-steinfurt)"
    ]


def test_yaml_surprises_are_kept_as_text(site):
    member_with(site, 'postal_code: "48431"', "postal_code: 01067")
    member_with(site, "  city: Rheine", "  city: NO", name="other")
    assert problems_of(site) == []
    content, _ = validate(load_sources(site)[0])
    codes = {m.slug: m.data.address for m in content.members}
    assert codes["muster-logistik"].postal_code == "01067"
    assert codes["other"].city == "NO"


def test_unquoted_phone_number_stays_as_written(site):
    member_with(site, 'phone: "+49 5971 12345"', "phone: 0351123456")
    content, _ = validate(load_sources(site)[0])
    assert content.members[0].data.contact.phone == "0351123456"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>",
        "vbscript:msgbox",
        "//evil.example",
        "ftp://x.example",
    ],
)
def test_only_web_addresses_are_links(site, url):
    member_with(site, "website: https://muster-logistik.example", f"website: '{url}'")
    hint = " (write: website: https://evil.example)" if url == "//evil.example" else ""
    assert problems_of(site) == [
        "content/members/muster-logistik.md:14:12: contact.website: expected a web "
        "address starting with https://" + hint
    ]


def test_wrong_type_says_what_was_found(site):
    member_with(site, "member_since: 2012", "member_since: seit langem")
    assert problems_of(site) == [
        "content/members/muster-logistik.md:17:15: member_since: expected a whole number, "
        "found 'seit langem'"
    ]


def test_literal_lists_the_allowed_values(site):
    member_with(site, "employees: 50-249", "employees: 50-250")
    assert problems_of(site) == [
        "content/members/muster-logistik.md:18:12: employees: '50-250' is not allowed "
        "here; use one of: '1-9', '10-49', '50-249', '250+'"
    ]


def test_invalid_file_name(site):
    write(site, "content/members/Muster Logistik.md", MEMBER)
    assert problems_of(site) == [
        "content/members/Muster Logistik.md: the file name 'Muster Logistik.md' is not a "
        "valid slug (use only lowercase letters a-z, digits and single hyphens, like "
        "'muster-logistik.md'; write ä as ae and ß as ss)"
    ]


def test_all_problems_in_all_files_in_one_run(site):
    member_with(site, "region: kreis-steinfurt", "region: steinfurt")
    member_with(site, "associations: [wvs]", "associations: [wsv, aiw]", name="zweite")
    event_file(site, "title: X\nstart: 2024-03-31 02:30\nformat: online\nhosts: [wvs]\n")
    assert problems_of(site) == [
        "content/events/e.md:3:8: start: 2024-03-31 02:30 does not exist in Europe/Berlin: "
        "the clocks skip that hour when daylight saving time starts; give a time outside "
        "the gap",
        "content/members/muster-logistik.md:8:9: region: unknown region 'steinfurt' "
        "(did you mean 'kreis-steinfurt'?)",
        "content/members/zweite.md:7:16: associations[0]: unknown association 'wsv' "
        "(did you mean 'wvs'?)",
    ]


def test_ambiguous_time_asks_for_an_offset(site):
    event_file(site, "title: X\nstart: 2024-10-27 02:30\nformat: online\nhosts: [wvs]\n")
    assert problems_of(site) == [
        "content/events/e.md:3:8: start: 2024-10-27 02:30 happens twice in Europe/Berlin "
        "when daylight saving time ends; add the offset: 2024-10-27 02:30+02:00 (first) or "
        "2024-10-27 02:30+01:00 (second)"
    ]


def test_time_with_offset_is_accepted(site):
    event_file(site, "title: X\nstart: 2024-10-27 02:30+01:00\nformat: online\nhosts: [wvs]\n")
    content, problems = validate(load_sources(site)[0])
    assert problems == []
    event = next(e for e in content.events if e.slug == "e")
    assert event.data.start.utcoffset() == dt.timedelta(hours=1)


def test_impossible_date(site):
    event_file(site, "title: X\nstart: 2024-02-30\nformat: online\nhosts: [wvs]\n")
    assert problems_of(site) == ["content/events/e.md:3:8: start: there is no date 2024-02-30"]


def test_end_before_start(site):
    event_file(
        site,
        "title: X\nstart: 2024-05-02 10:00\nend: 2024-05-02 09:00\nformat: online\nhosts: [wvs]\n",
    )
    assert problems_of(site) == [
        "content/events/e.md:4:6: end: 'end' is before 'start' (check the date and time)"
    ]


def test_mixed_all_day_and_timed(site):
    event_file(
        site, "title: X\nstart: 2024-05-02 10:00\nend: 2024-05-03\nformat: online\nhosts: [wvs]\n"
    )
    assert problems_of(site)[0].startswith(
        "content/events/e.md:4:6: end: 'start' and 'end' must both be dates"
    )


def test_event_cross_references(site):
    event_file(
        site,
        "title: X\nstart: 2024-05-02\nformat: online\nhosts: [wvs, avi]\n"
        "industries: [maschinbau]\nspeakers:\n  - name: A\n    member: muster-logstik\n",
    )
    assert problems_of(site) == [
        "content/events/e.md:5:14: hosts[1]: unknown association 'avi' (did you mean 'aiw'?)",
        "content/events/e.md:6:14: industries[0]: unknown industry 'maschinbau' "
        "(did you mean 'maschinenbau'?)",
        "content/events/e.md:9:13: speakers[0].member: unknown member 'muster-logstik' "
        "(did you mean 'muster-logistik'?)",
    ]


def test_in_person_without_location_is_a_warning(site):
    event_file(site, "title: X\nstart: 2024-05-02\nformat: in_person\nhosts: [wvs]\n")
    content, problems = validate(load_sources(site)[0])
    assert content is not None
    assert [(p.severity, p.field, p.line) for p in problems] == [("warning", "format", 4)]


def test_duplicate_vocabulary_ids(site):
    write(
        site,
        "content/industries.yaml",
        "- id: logistik\n  name: A\n- id: logistik\n"
        "  name: B\n- id: lagerhaltung\n  name: L\n- id: maschinenbau\n  name: M\n",
    )
    assert problems_of(site) == [
        "content/industries.yaml:3:7: [1].id: the id 'logistik' is used twice (first on "
        "line 1) (give each entry its own id)"
    ]


def test_missing_vocabulary_file(site):
    (site / "content/regions.yaml").unlink()
    assert problems_of(site) == [
        "content/regions.yaml: content/regions.yaml is missing (create it with a list of "
        "entries like: - {id: logistik, name: Logistik})"
    ]


def test_site_yaml_problems(site):
    text = (site / "site.yaml").read_text().replace("Europe/Berlin", "Europe/Rheine")
    write(site, "site.yaml", text.replace("language: de", "language: fr"))
    assert problems_of(site) == [
        "site.yaml:3:11: language: 'fr' is not allowed here; use one of: 'de', 'en'",
        "site.yaml:4:11: timezone: unknown time zone 'Europe/Rheine'; use an IANA name "
        "like Europe/Berlin",
    ]


def test_front_matter_that_is_a_list(site):
    write(site, "content/members/liste.md", "---\n- a\n- b\n---\n")
    assert problems_of(site) == [
        "content/members/liste.md:1:1: expected fields (key: value), found a list (write "
        "one 'field: value' per line)"
    ]


def test_page_slug_reserved_by_the_site(site):
    write(site, "content/pages/mitglieder.md", "---\ntitle: X\n---\n")
    assert problems_of(site) == [
        "content/pages/mitglieder.md: the page name 'mitglieder' is used by the site "
        "itself (rename the file)"
    ]


def test_missing_logo_file(site):
    member_with(site, "employees: 50-249", "employees: 50-249\nlogo: logo.png")
    assert problems_of(site) == [
        "content/members/muster-logistik.md:19:7: logo: there is no file "
        "content/members/logo.png (put the logo beside the member's file, or remove the line)"
    ]


def test_logo_may_not_leave_its_folder(site):
    member_with(site, "employees: 50-249", "employees: 50-249\nlogo: ../../site.yaml")
    assert problems_of(site)[0].startswith(
        "content/members/muster-logistik.md:19:7: logo: expected a file name inside"
    )


def test_near_duplicate_members_are_errors(site):
    write(
        site,
        "content/members/muster-logistik-kg.md",
        MEMBER.replace("name: Muster Logistik GmbH & Co. KG", "name: Muster-Logistik KG"),
    )
    write(
        site,
        "content/members/zweiter-eintrag.md",
        MEMBER.replace(
            "https://muster-logistik.example", "https://www.muster-logistik.example/kontakt"
        ),
    )
    content, problems = validate(load_sources(site)[0])
    assert content is None
    fix = (
        "(if both are the same, keep only content/members/muster-logistik-kg.md; if they are "
        "not, add a line: distinct_from: [muster-logistik-kg])"
    )
    assert [format_text(p) for p in problems] == [
        "content/members/muster-logistik.md:2:7: name: the name is almost the same "
        "as 'Muster-Logistik KG' in content/members/muster-logistik-kg.md " + fix,
        "content/members/muster-logistik.md:14:12: contact.website: "
        "content/members/muster-logistik-kg.md has a website on the same domain, "
        "muster-logistik.example " + fix,
        "content/members/zweiter-eintrag.md:2:7: name: the name is almost the same "
        "as 'Muster-Logistik KG' in content/members/muster-logistik-kg.md " + fix,
        "content/members/zweiter-eintrag.md:14:12: contact.website: "
        "content/members/muster-logistik-kg.md has a website on the same domain, "
        "muster-logistik.example " + fix,
    ]


def test_an_intended_likeness_is_said_in_either_file(site):
    write(
        site,
        "content/members/muster-logistik-kg.md",
        MEMBER.replace("name: Muster Logistik GmbH & Co. KG", "name: Muster-Logistik KG").replace(
            "employees: 50-249", "employees: 50-249\ndistinct_from: [muster-logistik]"
        ),
    )
    content, problems = validate(load_sources(site)[0])
    assert problems == [] and content is not None
    assert content.members[0].data.distinct_from == ["muster-logistik"]
    write(
        site,
        "content/members/zweite.md",
        MEMBER.replace("employees: 50-249", "employees: 50-249\ndistinct_from: [muster-logistik]"),
    )
    assert [p.path for p in validate(load_sources(site)[0])[1]] == [
        "content/members/zweite.md",  # its name is also the one of muster-logistik-kg
        "content/members/zweite.md",
    ]


def test_distinct_from_names_existing_files(site):
    member_with(site, "employees: 50-249", "employees: 50-249\ndistinct_from: [muster-logistk]")
    assert problems_of(site) == [
        "content/members/muster-logistik.md:19:17: distinct_from[0]: unknown member "
        "'muster-logistk' (did you mean 'muster-logistik'?)"
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://www.Muster-Logistik.example:8443/kontakt",
        "http://info@muster-logistik.example?x=1",
        "https://WWW.MUSTER-LOGISTIK.EXAMPLE#top",
    ],
)
def test_the_same_domain_however_written(url):
    assert validate_module.website_domain(url) == "muster-logistik.example"


def test_same_event_title_on_the_same_day_is_an_error(site):
    event_file(
        site,
        'title: "Kurzarbeitergeld: Ihre Fragen an die Agentur für Arbeit"\n'
        "start: 2020-04-02 18:00\nformat: online\nhosts: [wvs]\n",
        name="doppelt",
    )
    content, problems = validate(load_sources(site)[0])
    assert content is None
    assert [format_text(p) for p in problems] == [
        "content/events/doppelt.md:2:8: title: "
        "content/events/2020-04-02-kurzarbeit.md has the same title on the same day "
        "(if both are the same, keep only content/events/2020-04-02-kurzarbeit.md; if they are "
        "not, add a line: distinct_from: [2020-04-02-kurzarbeit])"
    ]
    event_file(
        site,
        'title: "Kurzarbeitergeld: Ihre Fragen an die Agentur für Arbeit"\n'
        "start: 2020-04-02 18:00\nformat: online\nhosts: [wvs]\n"
        "distinct_from: [2020-04-02-kurzarbeit]\n",
        name="doppelt",
    )
    assert problems_of(site) == []
    event_file(
        site,
        "title: Abendtermin\nstart: 2020-04-02 18:00\nformat: online\nhosts: [wvs]\n"
        "distinct_from: [2020-04-02-kurzarbeitt]\n",
        name="doppelt",
    )
    assert problems_of(site) == [
        "content/events/doppelt.md:6:17: distinct_from[0]: unknown event "
        "'2020-04-02-kurzarbeitt' (did you mean '2020-04-02-kurzarbeit'?)"
    ]


# -- what to write instead ---------------------------------------------------------


def test_list_entries_run_together_are_a_warning(site):
    member_with(
        site,
        "  - Kontraktlogistik\n  - Gefahrgutlagerung\n",
        "  - CNC-Drehen und -Fräsen\n   - Baugruppenmontage\n  - Beratung - Planung\n",
    )
    content, problems = validate(load_sources(site)[0])
    assert content is not None
    assert [format_text(p) for p in problems] == [
        "content/members/muster-logistik.md:6:4: services[0]: warning: 'CNC-Drehen und "
        "-Fräsen - Baugruppenmo…' looks like two list entries run together (indent line 6 by "
        "one space less, like '- CNC-Drehen und -Fräsen' in line 5)"
    ]


def test_list_entry_indented_two_further(site):
    member_with(site, "  - Gefahrgutlagerung\n", "    - Gefahrgutlagerung\n")
    assert problems_of(site) == [
        "content/members/muster-logistik.md:6:5: services[0]: warning: 'Kontraktlogistik - "
        "Gefahrgutlagerung' looks like two list entries run together (indent line 6 by 2 "
        "spaces less, like '- Kontraktlogistik' in line 5)"
    ]


def test_german_dates_get_the_value_to_write(site):
    event_file(
        site,
        "title: X\nstart: 15.12.2026 10:00\nend: 11:30\nformat: online\nhosts: [wvs]\n"
        "registration:\n  email: a@example.org\n  deadline: 1.12.2026\n",
    )
    assert problems_of(site) == [
        "content/events/e.md:3:8: start: dates are written year-month-day here "
        "(write: start: 2026-12-15 10:00)",
        "content/events/e.md:4:6: end: a time alone is not enough: the date is needed too "
        "(write: end: 2026-12-15 11:30)",
        "content/events/e.md:9:13: registration.deadline: expected a date like 2020-04-01, "
        "found '1.12.2026' (write: deadline: 2026-12-01)",
    ]


@pytest.mark.parametrize(
    "written, fixed",
    [
        ("15.12.2026", "2026-12-15"),
        ("15.12.26, 10 Uhr", "2026-12-15 10:00"),
        ("5.1.2027 9.30 Uhr", "2027-01-05 09:30"),
        ("31.02.2026", None),
        ("15.12.2026 25:00", None),
    ],
)
def test_german_moment(written, fixed):
    from verbund.models import german_moment

    assert german_moment(written) == fixed


def test_a_time_alone_for_the_start_asks_for_the_date(site):
    event_file(site, "title: X\nstart: 10:00\nformat: online\nhosts: [wvs]\n")
    assert problems_of(site) == [
        "content/events/e.md:3:8: start: a time alone is not enough: the date is needed too "
        "(write the date before it, like start: 2020-04-02 10:00)"
    ]


def test_addresses_get_the_value_to_write(site):
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("https://muster-logistik.example", "www.muster-logistik.example").replace(
            "info@muster-logistik.example", "info@x,example"
        ),
    )
    assert problems_of(site) == [
        "content/members/muster-logistik.md:14:12: contact.website: expected a web address "
        "starting with https:// (write: website: https://www.muster-logistik.example)",
        "content/members/muster-logistik.md:15:10: contact.email: 'info@x,example' is not an "
        "e-mail address (write: email: info@x.example)",
    ]


@pytest.mark.parametrize(
    "written, fixed",
    [
        ("www.example.org", "https://www.example.org"),
        ("example.org/kontakt", "https://example.org/kontakt"),
        ("https//example.org", "https://example.org"),
        ("http:/example.org", "https://example.org"),
        ("hotel-am-see.de", "https://hotel-am-see.de"),
        ("javascript:alert(1)", None),
        ("ftp://x.example", None),
        ("Muster GmbH", None),
    ],
)
def test_url_fix(written, fixed):
    from verbund.models import url_fix

    assert url_fix(written) == fixed


@pytest.mark.parametrize(
    "written, fixed",
    [
        ("info@x,example", "info@x.example"),
        ("mailto:info@x.example", "info@x.example"),
        ("info (at) x.example", "info@x.example"),
        ("info@x.example.", "info@x.example"),
        ("Muster GmbH", None),
    ],
)
def test_email_fix(written, fixed):
    from verbund.models import email_fix

    assert email_fix(written) == fixed


def test_plain_http_is_a_warning_with_the_https_address(site):
    member_with(site, "https://muster-logistik.example", "http://muster-logistik.example")
    event_file(
        site,
        "title: X\nstart: 2020-04-02\nformat: online\nhosts: [wvs]\nonline:\n"
        "  url: http://zoom.example/j/1\nregistration:\n  url: http://zoom.example/j/1\n",
    )
    content, problems = validate(load_sources(site)[0])
    assert content is not None
    assert [format_text(p) for p in problems] == [
        "content/events/e.md:7:8: online.url: warning: the address starts with http://, which "
        "browsers mark as not secure (write: url: https://zoom.example/j/1)",
        "content/events/e.md:9:8: registration.url: warning: the address starts with http://, "
        "which browsers mark as not secure (write: url: https://zoom.example/j/1)",
        "content/members/muster-logistik.md:14:12: contact.website: warning: the address "
        "starts with http://, which browsers mark as not secure "
        "(write: website: https://muster-logistik.example)",
    ]


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "associations: [wvs]",
            "associations: [WVS]",
            "content/members/muster-logistik.md:7:16: associations[0]: unknown association "
            "'WVS' (did you mean 'wvs'?)",
        ),
        (
            "associations: [wvs]",
            "associations: [Q]",
            "content/members/muster-logistik.md:7:16: associations[0]: unknown association "
            "'Q' (known association ids are listed in site.yaml, under 'associations')",
        ),
        (
            "region: kreis-steinfurt",
            "region: Kreis-Steinfurt",
            "content/members/muster-logistik.md:8:9: region: unknown region 'Kreis-Steinfurt' "
            "(did you mean 'kreis-steinfurt'?)",
        ),
        (
            "industries: [logistik, lagerhaltung]",
            "industries: [Logistik]",
            "content/members/muster-logistik.md:3:14: industries[0]: unknown industry "
            "'Logistik' (did you mean 'logistik'?)",
        ),
    ],
)
def test_ids_are_suggested_from_the_fields_vocabulary(site, old, new, expected):
    member_with(site, old, new)
    assert problems_of(site) == [expected]


def test_event_hosts_are_suggested_from_the_associations(site):
    event_file(site, "title: X\nstart: 2020-04-02\nformat: online\nhosts: [wvs, AIW]\n")
    assert problems_of(site) == [
        "content/events/e.md:5:14: hosts[1]: unknown association 'AIW' (did you mean 'aiw'?)"
    ]


def test_name_key():
    from verbund.validate import name_key

    assert name_key("Müller & Söhne GmbH & Co. KG") == name_key("Mueller + Soehne")
    assert name_key("Muster Logistik") != name_key("Muster Lagertechnik")


def test_pathological_markdown_is_refused_quickly(site):
    import time

    member_with(site, "Ein **Logistiker** aus Rheine.", "Text\n\n" + "[" * 20000)
    write(
        site,
        "content/pages/tief.md",
        "---\ntitle: Tief\n---\nA\n\n" + "\n".join("    " * n + "- x" for n in range(500)),
    )
    started = time.perf_counter()
    assert problems_of(site) == [
        "content/members/muster-logistik.md:22:1: the text has 20,000 '[' characters; at "
        "most 1,000 are allowed (remove the repeated brackets)",
        "content/pages/tief.md:32:1: lists or quotes are nested too deeply (use fewer levels "
        "of lists and quotes)",
    ]
    assert time.perf_counter() - started < 5


def test_deep_quotes_are_refused(site):
    write(site, "content/pages/zitat.md", "---\ntitle: Zitat\n---\n" + ">" * 500 + " x\n")
    assert problems_of(site) == [
        "content/pages/zitat.md:4:1: lists or quotes are nested too deeply (use fewer levels "
        "of lists and quotes)"
    ]
