"""Hashes every example handout rendered through the public API, one line each, to check that
a change of the handout's code leaves every example byte-identical (docs/development.md).

Run from the checkout: ``.venv/bin/python tools/handout_hashes.py BEFORE.txt`` on the old
commit, the same with AFTER.txt on the new one, then ``cmp BEFORE.txt AFTER.txt``. Each
example is rendered in every language, on both papers, in both sizes, and three ways: no
clinic details, the clinic's details filled in, and a pack past its review date.
"""

import datetime as dt
import hashlib
import sys
from pathlib import Path

from decision_aid.consult import Language
from decision_aid.content import load_content
from decision_aid.files import read_consult_file
from decision_aid.handout import ClinicDetails, Paper, render_handout
from decision_aid.rules import assess


def main(output: Path) -> None:
    content = load_content()
    today = dt.date(2026, 12, 1)
    overdue = content.pack.next_review + dt.timedelta(days=1)
    clinic = ClinicDetails(
        name="Riverside Pain and Wellness Clinic", clinician="Dr. A. Example", contact="555-0100"
    )
    lines = []
    for path in sorted(Path("resources/examples").glob("*.consult.json")):
        consult = read_consult_file(path)
        assessment = assess(consult, content)
        for lang in Language:
            for paper in Paper:
                for large_print in (False, True):
                    for variant, details, day in (
                        ("plain", None, today),
                        ("clinic", clinic, today),
                        ("overdue", None, overdue),
                    ):
                        pdf = render_handout(
                            consult, assessment, content, lang, paper, details, day,
                            large_print=large_print,
                        )  # fmt: skip
                        size = "large" if large_print else "normal"
                        digest = hashlib.sha256(pdf).hexdigest()
                        lines.append(f"{path.name} {lang} {paper} {size} {variant} {digest}")
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} handouts hashed into {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
