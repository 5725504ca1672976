"""decision-aid: a clinician's decision aid for consults about IV ketamine for fibromyalgia."""
