"""The years the portal keeps (catalog years, matter years), and reading one from a URL."""

MIN_YEAR, MAX_YEAR = 2000, 2100


def parse_year(raw: str | None) -> int | None:
    """The year a query string asks for; None when it asks for none. ValueError when it is
    not a year the portal keeps."""
    if raw in (None, ""):
        return None
    year = int(raw)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(raw)
    return year
