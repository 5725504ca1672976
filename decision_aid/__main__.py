"""``python -m decision_aid``: the same as the ``decision-aid`` command."""

import sys

from decision_aid.start import main

sys.exit(main())
