"""Titles as official writing quotes them."""


def book_title(title: str) -> str:
    """The title in book-title marks (书名号), unless it already carries them: 《条例（草案）》
    stays as it is, 养老服务条例 becomes 《养老服务条例》."""
    title = title.strip()
    if title.startswith("《") and title.endswith("》"):
        return title
    return f"《{title}》"
