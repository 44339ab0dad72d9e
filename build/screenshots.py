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
    win = MainWindow(lib, user, show_notice=False)  # sized from the screen, as for a user
    win.show()
    settle(300)

    def shot(name: str) -> None:
        settle(250)
        win.grab().save(str(out / name))
        print(out / name, win.width(), "x", win.height())

    def has(page: str, fallback: str) -> str:
        return page if lib.page_info(page) else fallback

    first = lib.pages()[0].id
    win.open_page(has("strategies-overview", first))
    win.open_page(has("crbn-expression", first), new_tab=True)
    shot("reader-light.png")
    win.tabs.previous_tab()
    sections = win.current_page.sections if win.current_page else ()
    win.reader.go_to_anchor(next((a for a, h in sections if "Evidence" in h), ""))
    win.reading.set_theme("dark")
    shot("tables-dark.png")
    win.reading.set_theme("light")
    win.tabs.next_tab()
    win.search.box.setFocus()
    QTest.keyClicks(win.search.box, "dara pom")
    settle(400)
    shot("search-typing.png")
    win.search.leave()
    win.open_page(has("resistance-overview", first))
    win.reading.set_theme("dark")
    shot("resistance-dark.png")
    win.reading.set_theme("light")
    win.bookmark_current()
    win.show_bookmarks()
    shot("bookmarks.png")
    explorer = win.show_trials()
    for key in (
        "lenalidomide",
        "anti-cd38",
    ):  # the commonest patient: LEN- and anti-CD38-refractory
        explorer.patient.boxes[key].setChecked(True)
    shot("trials-light.png")
    win.reading.set_theme("dark")
    shot("trials-dark.png")
    win.reading.set_theme("light")
    win.show_map()
    shot("map.png")
    win.close()
    user.close()
    lib.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
