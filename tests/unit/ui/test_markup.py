"""Text shown in Qt rich text is escaped (a clinic's pack may hold any characters)."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from decision_aid.ui.markup import escape


def test_markup_characters_become_entities() -> None:
    assert escape('<b>Fish & "chips"</b>') == "&lt;b&gt;Fish &amp; &quot;chips&quot;&lt;/b&gt;"


@given(st.text())
def test_unescaping_gives_the_text_back(text: str) -> None:
    escaped = escape(text)
    assert not set("<>") & set(escaped)
    assert html.unescape(escaped) == text
