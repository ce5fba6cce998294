"""The link checker over rendered pages, before anything is written."""

from __future__ import annotations

from verbund.links import PageLinks, broken_links, page_links


class Site:
    """Rendered pages as the link checker sees them."""

    def __init__(self, pages: dict[str, str], sources: dict[str, str] | None = None):
        self.pages = {
            path: page_links(html) for path, html in pages.items() if path.endswith(".html")
        }
        self.files = set(pages)
        self.sources = {path: (sources or {}).get(path, "site.yaml") for path in pages}


def broken(site: Site, base_path: str, **options):
    return broken_links(site.pages, site.files, base_path, site.sources, **options)


def site_of(pages: dict[str, str], sources: dict[str, str] | None = None) -> Site:
    return Site(pages, sources)


def test_relative_absolute_and_anchor_links_that_resolve():
    output = site_of(
        {
            "index.html": '<a href="mitglieder/">M</a><a href="mitglieder/x/#kontakt">K</a>'
            '<link href="static/style.css"><a href="#top" id="top">t</a>'
            '<a href="https://example.com/nope/">ext</a><a href="mailto:a@b.de">m</a>',
            "mitglieder/index.html": '<a href="../">home</a><a href="x/">x</a>',
            "mitglieder/x/index.html": '<h2 id="kontakt">K</h2><a href="../../">h</a>'
            '<img src="logo.png" alt="">',
            "mitglieder/x/logo.png": "",
            "static/style.css": "",
            "404.html": '<a href="/netzwerk/mitglieder/">M</a>',
        }
    )
    assert broken(output, "/netzwerk/") == []


def test_template_links_to_nowhere_are_errors_naming_the_page():
    output = site_of(
        {
            "index.html": '<a href="mitglieder/">M</a>',
            "a/index.html": '<a href="../index.html#fehlt">x</a><a href="/x/">y</a>',
        },
        {"a/index.html": "content/pages/a.md"},
    )
    problems = broken(output, "/netzwerk/")
    assert [(p.path, p.severity, p.message) for p in problems] == [
        (
            "content/pages/a.md",
            "error",
            "the link '../index.html#fehlt' leads to an anchor that does not exist",
        ),
        ("content/pages/a.md", "error", "the link '/x/' leads out of the site's folder"),
        ("site.yaml", "error", "the link 'mitglieder/' leads to a page that does not exist"),
    ]
    assert problems[0].hint == "on the page a/index.html; the templates need a fix"


def test_links_written_in_a_body_are_warnings_at_their_line():
    output = site_of(
        {
            "mitglieder/x/index.html": '<p><a href="cityjsconf.org/coc">CoC</a> '
            '<a href="info@x.de">Mail</a></p>'
        },
        {"mitglieder/x/index.html": "content/members/x.md"},
    )
    body = "Erste Zeile\n\nSiehe [CoC](cityjsconf.org/coc) oder [Mail](info@x.de).\n"
    problems = broken(output, "/", bodies={"content/members/x.md": (body, 14)})
    assert [(p.line, p.column, p.severity, p.hint) for p in problems] == [
        (16, 13, "warning", "for another website write it in full, like 'https://example.org/'"),
        (16, 45, "warning", "write an e-mail address in angle brackets, like <info@example.org>"),
    ]


def test_search_index_and_copied_files_count_as_present():
    output = site_of(
        {
            "suche/index.html": '<script src="../pagefind/pagefind-ui.js"></script>'
            '<img src="../logo.png" alt="">'
        }
    )
    output.files.add("logo.png")
    assert broken(output, "/", provided=["pagefind/"]) == []
    assert len(broken(output, "/")) == 1


def test_links_survive_the_cache_and_only_checked_pages_are_looked_at():
    links = page_links(
        '<a href="x/" id="a">x</a><a href="https://example.org/">e</a><a href="x/">again</a>'
    )
    assert links == PageLinks(("x/",), frozenset({"a"}))
    assert PageLinks.from_json(links.to_json()) == links
    output = site_of({"index.html": '<a href="fehlt/">x</a>', "b/index.html": "<p>ok</p>"})
    assert broken(output, "/", check=["b/index.html"]) == []
    assert len(broken(output, "/", check=["index.html"])) == 1


def test_pages_with_the_same_ids_share_one_set():
    first = page_links('<h2 id="profil">P</h2><a href="../a/">a</a><p id="kontakt"></p>')
    second = page_links('<p id="kontakt"></p><a href="../b/">b</a><h2 id="profil">P</h2>')
    kept = PageLinks.from_json(second.to_json())
    assert first.ids == {"profil", "kontakt"} and first.urls != second.urls
    assert first.ids is second.ids is kept.ids
    assert page_links('<p id="anders"></p>').ids is not first.ids


def test_a_link_left_out_of_a_body_is_a_warning_once_at_its_line():
    output = site_of(
        {"termine/x/index.html": "<p>Verhaltenskodex</p>", "termine/index.html": ""},
        {"termine/x/index.html": "content/events/x.md"},
    )
    body = "Erste Zeile\n\nDer [Verhaltenskodex](Bei der Anmeldung) gilt.\n"
    problems = broken(output, "/", bodies={"content/events/x.md": (body, 8)})
    assert [(p.path, p.line, p.column, p.severity, p.message) for p in problems] == [
        (
            "content/events/x.md",
            10,
            23,
            "warning",
            "the link 'Bei der Anmeldung' leads to a page that does not exist",
        )
    ]


def test_a_body_whose_links_all_work_gives_no_warning():
    output = site_of(
        {
            "termine/x/index.html": '<h2 id="teil">T</h2><a href="#teil">T</a>'
            '<a href="../">Alle</a>',
            "termine/index.html": "",
        },
        {"termine/x/index.html": "content/events/x.md"},
    )
    body = '## Teil\n\n[T](#teil) [Alle](../) [Extern](https://example.org/ "Titel")\n'
    assert broken(output, "/", bodies={"content/events/x.md": (body, 8)}) == []


def test_a_body_link_with_encoded_blanks_is_found_at_its_line():
    output = site_of(
        {"termine/x/index.html": '<a href="Programm%20und%20Anfahrt.pdf">P</a>'},
        {"termine/x/index.html": "content/events/x.md"},
    )
    body = "Text\n\n[P](Programm und Anfahrt.pdf)\n"
    problems = broken(output, "/", bodies={"content/events/x.md": (body, 5)})
    assert [(p.line, p.column, p.severity) for p in problems] == [(7, 5, "warning")]
