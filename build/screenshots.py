"""Take the README screenshots of the real window: ``python build/screenshots.py [OUT_DIR]``.

Runs on whatever Qt platform is set (offscreen by default; under Xvfb with QT_QPA_PLATFORM=xcb for a
real window). Uses a throw-away user folder so the first-run notice and history do not interfere.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LENREF_USER_DIR", tempfile.mkdtemp(prefix="lenref-shots-"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtTest import QTest

from desktop.core.library import ensure_library
from desktop.core.userdata import UserData
from desktop.ui.app import make_app
from desktop.ui.main_window import MainWindow


def settle(ms: int = 150) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    lib = ensure_library()
    user = UserData()
    user.set("theme", "light")
    win = MainWindow(lib, user, show_notice=False)
    win.resize(1360, 860)
    win.show()
    settle(300)

    def shot(name: str) -> None:
        settle(250)
        win.grab().save(str(out / name))
        print(out / name)

    page = "crbn-expression" if lib.page_info("crbn-expression") else lib.pages()[0].id
    win.open_page(page)
    shot("reader-light.png")
    win.search_box.setFocus()
    QTest.keyClicks(win.search_box, "cereb")
    settle(400)
    shot("search-typing.png")
    win.leave_search()
    overview = "resistance-overview" if lib.page_info("resistance-overview") else page
    win.open_page(overview)
    win.apply_theme("dark")
    shot("resistance-dark.png")
    win.apply_theme("light")
    win.bookmark_current()
    win._show_tab(1)
    shot("bookmarks.png")
    win.show_trials()
    shot("trials-light.png")
    win.apply_theme("dark")
    shot("trials-dark.png")
    win.apply_theme("light")
    win.show_map()
    shot("map.png")
    win.close()
    user.close()
    lib.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
