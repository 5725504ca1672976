"""Reference (b) of docs/design.md section 10: pydantic validates a one-field model, then reportlab
writes a one-paragraph PDF."""

import sys

from pydantic import BaseModel


class One(BaseModel):
    value: int


One.model_validate({"value": 1})

from reportlab.lib.styles import getSampleStyleSheet  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402

SimpleDocTemplate(sys.argv[1]).build(
    [Paragraph("A one-paragraph reference document.", getSampleStyleSheet()["BodyText"])]
)
