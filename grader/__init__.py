"""Descent's grader: grades the exercises of the course against independent oracles."""

__version__ = "0.1.0"
