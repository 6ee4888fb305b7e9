"""Errors the CLI turns into a one-line reason and a non-zero exit."""

from __future__ import annotations


class StepFailed(Exception):
    """A pipeline step did not do its job; the message says why and what to do."""
