"""Diagram links: the clickable boxes of an SVG and the build's checks on them."""

from __future__ import annotations

from pathlib import Path

from desktop.core.diagram_links import problems, read_diagram

REPO = Path(__file__).resolve().parents[2]

SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
viewBox="0 0 200 100"><a href="page:a"><title>A box</title><rect x="10" y="10" width="50" height="20"/>
<rect x="10" y="40" width="80" height="10"/></a><a xlink:href="page:b#s"><rect x="120" y="10" width="20"
height="20"/></a></svg>"""


def test_links_are_the_bounding_boxes_of_their_rects():
    diagram = read_diagram(SVG)
    assert diagram is not None and (diagram.width, diagram.height) == (200, 100)
    a, b = diagram.links
    assert (a.x, a.y, a.width, a.height, a.target, a.label) == (10, 10, 80, 40, "page:a", "A box")
    assert b.target == "page:b#s"
    assert diagram.link_at(0.1, 0.2) == a  # (20, 20) in user units
    assert diagram.link_at(0.65, 0.2) == b
    assert diagram.link_at(0.95, 0.95) is None


def test_unreadable_svgs_have_no_links():
    for data in (b"", b"<svg", b"<html/>", b'<svg xmlns="http://www.w3.org/2000/svg"/>'):
        assert read_diagram(data) is None


def test_problems_name_missing_pages_foreign_links_and_transforms():
    bad = SVG.replace(b'href="page:a"', b'href="https://x.org"').replace(
        b'<rect x="120"', b'<rect transform="rotate(3)" x="120"'
    )
    found = problems(bad, {"a"})
    assert any("only page:ID links" in p for p in found)
    assert any("missing page 'b#s'" in p or "missing page 'b" in p for p in found)
    assert any("transform" in p for p in found)
    assert problems(SVG, {"a", "b"}) == []


def test_the_resistance_map_links_every_mechanism_to_an_existing_page():
    svg = (REPO / "content/images/resistance-map.svg").read_bytes()
    pages = {p.stem for p in (REPO / "content/pages").rglob("*.md")}
    assert problems(svg, pages) == []
    targets = {link.target for link in read_diagram(svg).links}
    assert "page:crbn-expression" in targets and "page:immune-escape" in targets


def test_the_build_reports_a_diagram_box_linking_to_a_missing_page(good_content):
    from desktop.core.build import compile_content

    (good_content / "images/boxes.svg").write_bytes(SVG)  # links to pages 'a' and 'b'
    _, _, found = compile_content(good_content)
    mine = [p for p in found if p.file == "images/boxes.svg" and p.severity == "error"]
    assert sorted(p.message for p in mine) == [
        "diagram link to missing page 'a'",
        "diagram link to missing page 'b#s'",
    ]
