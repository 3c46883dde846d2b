"""Titles as official writing quotes them."""


def book_title(title: str) -> str:
    """The title in book-title marks (书名号), unless it already carries them: 《条例（草案）》
    stays as it is, 养老服务条例 becomes 《养老服务条例》."""
    title = title.strip()
    if title.startswith("《") and title.endswith("》"):
        return title
    return f"《{title}》"


def quoted(title: str) -> str:
    """The title as a notice names it: as it is when it carries book-title marks
    (《条例（草案）》), otherwise in quotation marks (“城市更新协商事项”)."""
    title = title.strip()
    if title.startswith("《") and title.endswith("》"):
        return title
    return f"“{title}”"
