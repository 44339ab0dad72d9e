"""Menus and shortcuts: every action resolves, and no key is bound twice (Qt drops ambiguous keys)."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtGui import QAction

from desktop.ui.menus import MENU_TABLE, _resolve

pytestmark = pytest.mark.gui


def test_every_menu_entry_calls_something_on_the_window(window):
    for _, text, name, _ in MENU_TABLE:
        if text != "-":
            assert callable(_resolve(window, name)), name


def test_no_key_is_bound_to_two_actions(window):
    keys = Counter(
        seq.toString() for action in window.findChildren(QAction) for seq in action.shortcuts()
    )
    assert [k for k, n in keys.items() if n > 1] == []


def test_the_shortcuts_dialog_lists_what_the_keys_really_do(window):
    table = dict((what, keys) for keys, what in window.actions_.shortcuts)
    assert "Alt+Left" in table["Back"] and "Ctrl+T" in table["New tab"]
    assert "Ctrl+PgUp" in table["Previous tab"]


def test_back_and_forward_are_disabled_until_there_is_history(window):
    assert not window.actions_["go_back"].isEnabled()  # the first page of a fresh window
    window.open_page("crbn-loss")
    assert window.actions_["go_back"].isEnabled()
    assert not window.actions_["go_forward"].isEnabled()
