"""``{{ text|unbreakable }}``: whether a PDF cell or paragraph must be allowed to break
its lines anywhere (class ``wrap`` of static/pdf/official.css).

Chinese text breaks between any two characters, so it never overflows its column. A long
run of other characters (a URL, a phone number, a reference, a Latin word) may hold no
break opportunity and would then run over the next column or off the page. Only such
text gets ``overflow-wrap: anywhere``: WeasyPrint sets a Pango attribute on every text
it lays out under that property, which cost the 500-item consolidated catalog about 4%
of its render time when every cell had it.
"""

import re

from django import template

register = template.Library()

# Characters a line may break around (CJK, fullwidth forms, spaces), and the shortest run
# of other characters that is marked: six capital W are about as wide as the narrowest
# column that holds entered text (a responsible office in the filing form, 12%).
BREAKABLE = (
    r"\s"
    "\u2e80-\u9fff"  # CJK radicals, punctuation, kana, ideographs
    "\uac00-\ud7af"  # Hangul
    "\uf900-\ufaff"  # compatibility ideographs
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff00-\uffef"  # fullwidth forms
    "\U00020000-\U0002fa1f"  # ideographs beyond the BMP
)
SHORTEST_RUN = 6
UNBREAKABLE_RUN = re.compile(f"[^{BREAKABLE}]{{{SHORTEST_RUN},}}")


@register.filter
def unbreakable(text) -> bool:
    """``text`` holds a run of ``SHORTEST_RUN`` or more characters a line may not break
    in (as far as can be told without laying it out: hyphens and slashes count too)."""
    return bool(text) and UNBREAKABLE_RUN.search(str(text)) is not None
