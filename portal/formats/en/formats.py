"""Dates in the English pages as written in British usage, "31 March 2026", and times on
the 24-hour clock as in the Chinese pages; Django's own English formats
("March 31, 2026", "5 p.m.") are American. Chinese keeps Django's zh_Hans formats
(2026年3月31日)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday, as in China
