"""The desktop window: the only package of decision-aid that imports Qt."""
