"""GUI fixtures: a main window over the fixture library, user data in tmp_path."""

from __future__ import annotations

import pytest


@pytest.fixture
def user(tmp_path):
    from desktop.core.userdata import UserData

    u = UserData(tmp_path / "user")
    yield u
    u.close()


@pytest.fixture
def window(qtbot, fixture_library, user):
    from desktop.ui.main_window import MainWindow

    win = MainWindow(fixture_library, user, show_notice=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.search.shutdown()
