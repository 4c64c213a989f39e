"""Exporters: the course in other tools' formats (nbgrader)."""
