"""Lists changed in place: a member's card or row moved to where it now stands."""

from __future__ import annotations

from verbund.listings import Listing, card, card_separator, collides, moved, places


def test_an_item_moves_between_its_new_neighbours():
    rows = b"a\n,b\n,c\n,d"
    assert moved(rows, b"b", b"B", b"\n,", (b"a", b"c"), (b"c", b"d")) == b"a\n,c\n,B\n,d"
    assert moved(rows, b"b", b"B", b"\n,", (b"a", b"c"), (b"d", None)) == b"a\n,c\n,d\n,B"
    assert moved(rows, b"d", b"D", b"\n,", (b"c", None), (None, b"a")) == b"D\n,a\n,b\n,c"
    assert moved(rows, b"b", b"B", b"\n,", (b"a", b"c"), (b"a", b"c")) == b"a\n,B\n,c\n,d"
    assert moved(b"x", b"x", b"y", b",", (None, None), (None, None)) == b"y"


def test_an_item_not_found_exactly_once_is_not_moved():
    assert moved(b"a,b,c", b"z", b"Z", b",", (b"a", b"b"), (b"b", b"c")) is None
    assert moved(b"ab,b,c", b"b", b"B", b",", (b"ab", b"c"), (b"c", None)) is None
    assert moved(b"a,b,c", b"b", b"B", b";", (b"a", b"c"), (b"c", None)) is None


PAGE = b"""<ul class="cards">
  <li class="card">
    <h3><a href="../../m/a/">A</a></h3>
  </li>
  <li class="card">
    <h3><a href="../../m/b/">B</a></h3>
  </li>
</ul>
<p><a href="../../m/c/">C</a></p>"""


def test_a_card_is_found_by_its_link():
    first = card(PAGE, "../../m/a/")
    assert first == b'<li class="card">\n    <h3><a href="../../m/a/">A</a></h3>\n  </li>'
    second = card(PAGE, "../../m/b/")
    assert second is not None and card_separator(PAGE, first, second) == b"\n  "
    assert card(PAGE, "../../m/c/") is None  # a link outside a card
    assert card(PAGE + PAGE, "../../m/a/") is None  # two links


def listing(name: str, terms: tuple[str, ...], key: str = "", domain: str = "") -> tuple:
    return tuple(Listing(name, name, terms, key or name, domain, ""))


def test_places_are_found_in_each_list():
    others = {"a": listing("a", ("x/",)), "c": listing("c", ("x/", "y/")),
              "e": listing("e", ("y/",)), "m": listing("m", ("x/",))}
    order = sorted((value[0], value[1], rel) for rel, value in others.items())
    was, now = Listing(*listing("m", ("x/",))), Listing(*listing("d", ("x/",)))
    spots = places(others, order, set(), "m", was, now)
    assert spots[None] == (("e", None), ("c", "e"))
    assert spots["x/"] == (("c", None), ("c", None))
    # "c" renamed to "n" since the order was made: it is looked at where it is now.
    renamed = others | {"c": listing("n", ("x/", "y/"))}
    spots = places(renamed, order, {"c"}, "m", was, now)
    assert spots[None] == (("e", "c"), ("a", "e"))
    assert spots["x/"] == (("a", "c"), ("a", "c"))


def test_a_member_that_looks_like_another_collides():
    others = {"a": listing("a", (), "alpha", "alpha.example"), "b": listing("b", (), "beta")}
    mine = Listing(*listing("m", (), "muster"))
    assert not collides(others | {"m": tuple(mine)}, {"m": (mine, mine)})
    assert collides(others, {"m": (mine, mine._replace(name_key="beta"))})
    assert collides(others, {"m": (mine._replace(domain="alpha.example"), mine)})
