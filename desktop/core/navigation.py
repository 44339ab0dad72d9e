"""Back/forward history of one reader tab, as in a browser; Qt-free so it is tested without a display.

A ``Location`` is a page and a section anchor ("" for the top). ``visit`` is called when the user goes
somewhere new: where they were goes onto the back stack and the forward stack is dropped. ``back`` and
``forward`` take the place the user is at *now* (the section may have changed by scrolling since the
visit) and return where to go, or None when there is nowhere to go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_DEPTH = 200  # a long clinic session must not grow without bound


@dataclass(frozen=True)
class Location:
    page: str
    anchor: str = ""

    def to_json(self) -> dict[str, str]:
        return {"page": self.page, "anchor": self.anchor}

    @classmethod
    def from_json(cls, value: Any) -> Location | None:
        """A Location from saved settings, or None for anything malformed."""
        if not isinstance(value, dict):
            return None
        page, anchor = value.get("page"), value.get("anchor", "")
        if not isinstance(page, str) or not page or not isinstance(anchor, str):
            return None
        return cls(page, anchor)


@dataclass
class NavigationHistory:
    current: Location | None = None
    back_stack: list[Location] = field(default_factory=list)
    forward_stack: list[Location] = field(default_factory=list)

    @property
    def can_go_back(self) -> bool:
        return bool(self.back_stack)

    @property
    def can_go_forward(self) -> bool:
        return bool(self.forward_stack)

    def visit(self, target: Location, here: Location | None = None) -> None:
        """Record a navigation to ``target`` from ``here`` (default: the current location)."""
        here = here or self.current
        if here is not None and here != target:
            self.back_stack.append(here)
            del self.back_stack[:-MAX_DEPTH]
            self.forward_stack.clear()
        self.current = target

    def back(self, here: Location | None = None) -> Location | None:
        """Step back; ``here`` is where the user is now, which forward will return to."""
        return self._step(self.back_stack, self.forward_stack, here)

    def forward(self, here: Location | None = None) -> Location | None:
        return self._step(self.forward_stack, self.back_stack, here)

    def _step(
        self, source: list[Location], other: list[Location], here: Location | None
    ) -> Location | None:
        here = here or self.current
        if not source or here is None:
            return None
        target = source.pop()
        other.append(here)
        self.current = target
        return target

    def forget_page(self, page: str) -> None:
        """Drop a page that no longer exists from both stacks (content updated under the user)."""
        self.back_stack = [loc for loc in self.back_stack if loc.page != page]
        self.forward_stack = [loc for loc in self.forward_stack if loc.page != page]
