"""The one way a string from content or user data reaches a Qt widget that renders rich text.

Qt treats a tooltip, a QLabel with automatic text format or a QMessageBox text as HTML when it
"looks like" HTML, so a glossary definition, a citation locator or a file path containing "<img …>"
would be rendered (and could load local files). Everything except the page HTML the renderer
produced goes through ``plain_rich`` first.
"""

from __future__ import annotations

import html


def plain_rich(text: object) -> str:
    """``text`` escaped for a rich-text widget, inside a <p> so Qt never guesses plain vs rich and
    the line still wraps; newlines are kept as line breaks."""
    escaped = html.escape(str(text), quote=True).replace("\n", "<br>")
    return f"<p>{escaped}</p>"
