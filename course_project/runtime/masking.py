"""Masking: the one helper that keeps passwords out of outputs."""

import re

SECRET_KEYS = re.compile(r"pass(word)?|secret|token|key", re.I)
URI_PASSWORD = re.compile(r"(//[^:/@\s]+:)([^@\s]+)(@)")


def mask(value):
    """Return a copy of a settings value with every secret replaced by '********'."""
    if isinstance(value, dict):
        return {k: ("********" if SECRET_KEYS.search(str(k)) and v else mask(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(mask(v) for v in value)
    if isinstance(value, str):
        return URI_PASSWORD.sub(r"\1********\3", value)
    return value
