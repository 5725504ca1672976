"""The handout's words, under their old name: only for a name the type checker reads.

The models moved to :mod:`decision_aid.content.handout_text` (issue 21, item 3: nothing
imports upward). ``decision_aid/handout/_pdf.py`` still names them here under
``TYPE_CHECKING``, and that file is being split on another branch; this alias goes once its
import line names the new module. Nothing imports it at run time.
"""

from decision_aid.content.handout_text import HandoutText

__all__ = ["HandoutText"]
