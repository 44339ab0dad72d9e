"""YAML loading that remembers where things are and what numbers looked like.

Two things the plain ``yaml.safe_load`` loses and the content build needs:
- the line of every mapping, so a problem can be reported as ``file:line``;
- the text of every number, so ``11.20`` months is shown as the source printed it, not as ``11.2``.
"""

from __future__ import annotations

from typing import Any

import yaml

from .model import SourceNumber

LINE_KEY = "__line__"


MAX_DEPTH = 40  # content YAML is a few levels deep; "[" * 50000 would otherwise take minutes


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records mapping lines and keeps the text of floats.

    Content files have no use for anchors and aliases, and an alias "bomb" (a few lines that
    expand to billions of nodes) would exhaust memory, so any alias is an error; so is nesting
    deeper than MAX_DEPTH.
    """

    _depth = 0

    def compose_node(self, parent, index):  # PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed in LenRef content", mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"nesting deeper than {MAX_DEPTH} levels", mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


def _construct_float(loader: _LineLoader, node: yaml.ScalarNode) -> float:
    value = yaml.SafeLoader.construct_yaml_float(loader, node)
    return SourceNumber(value, str(node.value))


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode):
    # PyYAML raises a bare ValueError (no line) for impossible dates such as 2026-31-26.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"invalid date {node.value!r} ({exc})", node.start_mark
        ) from None


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


class YamlError(ValueError):
    """Malformed YAML, with the 1-based line the parser reported."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def load(text: str, first_line: int = 1) -> Any:
    """Parse ``text``; mappings carry ``__line__`` (offset by ``first_line - 1``).

    Raises YamlError with the parser's line for malformed input.
    """
    try:
        data = yaml.load(text, Loader=_LineLoader)  # safe: _LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + first_line - 1
        reason = exc.problem or str(exc)
        raise YamlError(f"malformed YAML: {reason}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"malformed YAML: {exc}", first_line) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # Values PyYAML cannot build and reports without a position: say so, at the block start.
        raise YamlError(f"invalid YAML value: {exc}", first_line) from None
    if first_line != 1:
        _shift_lines(data, first_line - 1)
    return data


def _shift_lines(data: Any, offset: int) -> None:
    if isinstance(data, dict):
        if LINE_KEY in data:
            data[LINE_KEY] += offset
        for value in data.values():
            _shift_lines(value, offset)
    elif isinstance(data, list):
        for item in data:
            _shift_lines(item, offset)


def strip_lines(data: Any) -> Any:
    """A deep copy of ``data`` without ``__line__`` keys, numbers kept as SourceNumber."""
    if isinstance(data, dict):
        return {k: strip_lines(v) for k, v in data.items() if k != LINE_KEY}
    if isinstance(data, list):
        return [strip_lines(v) for v in data]
    return data


def line_of(data: Any, default: int = 1) -> int:
    if isinstance(data, dict):
        return int(data.get(LINE_KEY, default))
    return default
