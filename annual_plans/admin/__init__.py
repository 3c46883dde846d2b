"""The general office's review of annual plan filings, split by what is reviewed."""

from . import amendments, deadlines, plans

__all__ = ["amendments", "deadlines", "plans"]
