"""Files the reports inline (style sheet, script)."""
