"""Qt enum properties set by name (decision_aid/ui/markup.py): a typo fails loudly."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtWidgets import QLabel, QScrollArea, QToolButton

from decision_aid.ui.markup import set_enum_property

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot


def test_a_property_set_by_name_takes_effect(qtbot: QtBot) -> None:
    scroll = QScrollArea()
    qtbot.addWidget(scroll)
    set_enum_property(scroll, "focusPolicy", "NoFocus")
    set_enum_property(scroll, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
    assert scroll.focusPolicy().name == "NoFocus"
    assert scroll.horizontalScrollBarPolicy().name == "ScrollBarAlwaysOff"
    button = QToolButton()
    qtbot.addWidget(button)
    set_enum_property(button, "arrowType", "DownArrow")
    assert button.arrowType().name == "DownArrow"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("focusPolicy", "NoFocuss", r"QLabel\.focusPolicy cannot be set to 'NoFocuss'"),
        ("focusPolicy", "nofocus", r"QLabel\.focusPolicy cannot be set to 'nofocus'"),
        ("focusPolcy", "NoFocus", r"QLabel has no property 'focusPolcy' \(to set to 'NoFocus'\)"),
        ("text", "NoFocus", r"QLabel\.text is not an enum property \(for 'NoFocus'\)"),
    ],
)
def test_a_typo_raises_naming_the_property_and_the_value(
    qtbot: QtBot, name: str, value: str, message: str
) -> None:
    label = QLabel("unchanged")
    qtbot.addWidget(label)
    before = label.focusPolicy()
    with pytest.raises(ValueError, match=message):
        set_enum_property(label, name, value)
    assert label.focusPolicy() == before
    assert label.text() == "unchanged"
    assert name.encode() not in label.dynamicPropertyNames()  # no stray property was made
