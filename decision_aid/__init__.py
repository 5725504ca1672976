"""decision-aid: a clinician's decision aid for consults about IV ketamine for fibromyalgia."""

import os

# pydantic looks for plugins in every installed package's entry points when the first model is
# built (about 30 ms at each start); decision-aid uses none. A user may still set it.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
