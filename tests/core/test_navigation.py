"""Browser-style back/forward per reader tab."""

from __future__ import annotations

from desktop.core.navigation import MAX_DEPTH, Location, NavigationHistory

A, B, C = Location("a"), Location("b"), Location("c", "why")


def test_nothing_to_go_back_to_at_start():
    nav = NavigationHistory()
    assert not nav.can_go_back and not nav.can_go_forward
    assert nav.back() is None and nav.forward() is None
    nav.visit(A)
    assert nav.current == A and not nav.can_go_back


def test_back_and_forward_walk_the_visits_in_order():
    nav = NavigationHistory()
    for loc in (A, B, C):
        nav.visit(loc)
    assert nav.back() == B and nav.back() == A and nav.back() is None
    assert nav.forward() == B and nav.forward() == C and nav.forward() is None


def test_back_returns_forward_to_the_section_the_user_scrolled_to():
    nav = NavigationHistory()
    nav.visit(A)
    nav.visit(B)
    scrolled = Location("b", "results")
    assert nav.back(here=scrolled) == A
    assert nav.forward() == scrolled


def test_a_new_visit_drops_the_forward_stack():
    nav = NavigationHistory()
    nav.visit(A)
    nav.visit(B)
    nav.back()
    nav.visit(C)
    assert not nav.can_go_forward
    assert nav.back() == A


def test_revisiting_the_same_place_is_not_a_step():
    nav = NavigationHistory()
    nav.visit(A)
    nav.visit(A)
    assert not nav.can_go_back


def test_depth_is_bounded():
    nav = NavigationHistory()
    for i in range(MAX_DEPTH + 50):
        nav.visit(Location(f"p{i}"))
    assert len(nav.back_stack) == MAX_DEPTH


def test_forgetting_a_page_removes_it_from_both_stacks():
    nav = NavigationHistory()
    for loc in (A, B, C):
        nav.visit(loc)
    nav.back()
    nav.forget_page("c")
    nav.forget_page("a")
    assert not nav.can_go_back and not nav.can_go_forward


def test_saved_locations_are_read_defensively():
    assert Location.from_json(C.to_json()) == C
    for bad in (None, [], {"page": ""}, {"page": 3}, {"page": "x", "anchor": 1}, "a"):
        assert Location.from_json(bad) is None
