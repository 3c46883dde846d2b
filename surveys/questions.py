"""The question types of a survey, one class each: how a question's settings are checked,
how an answer is read from a submitted form and checked, how it is stored, counted and
shown.

Pure: a question is described by a ``Spec`` (built once from the model and its options),
an answer arrives as ``{field name: [values]}`` (a ``QueryDict`` or a plain dict) and is
normalised to a small JSON-able value, so the same code checks a citizen's form, a paper
questionnaire typed in by staff and a "save and continue" draft:

======== =============================================== ===============================
kind     form fields                                     value
======== =============================================== ===============================
single   ``q7`` = option id, ``q7_other``                ``{"option": 3, "other": ""}``
multiple ``q7`` = option ids, ``q7_other``               ``{"options": [3, 4], "other": ""}``
text     ``q7``                                          ``{"text": "…"}``
rating   ``q7`` = score                                  ``{"value": 4}``
matrix   ``q7_r12`` = option id per row                  ``{"rows": {"12": 3, …}}``
ranking  ``q7_o3`` = rank per option                     ``{"ranks": {"3": 1, …}}``
number   ``q7``                                          ``{"number": "120.5"}``
======== =============================================== ===============================

An unanswered question has the value ``None``.
"""

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

OTHER_MAX = 200
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 2000
NUMBER_LIMIT = Decimal("9999999999999999.99")


@dataclass(frozen=True)
class Choice:
    id: int
    label: str
    is_other: bool = False


@dataclass(frozen=True)
class Spec:
    id: int
    kind: str
    text: str
    required: bool = True
    settings: Mapping = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    rows: tuple[Choice, ...] = ()
    position: int = 0
    shown_if: int | None = None  # an option id of an earlier choice question
    shown_if_question: int | None = None

    @property
    def name(self) -> str:
        return f"q{self.id}"

    def choice(self, option_id: int) -> Choice | None:
        for choice in self.choices:
            if choice.id == option_id:
                return choice
        return None


@dataclass(frozen=True)
class Row:
    """One stored answer row (``surveys.models.Answer``)."""

    option_id: int | None = None
    row_id: int | None = None
    rank: int | None = None
    number: Decimal | None = None
    text: str = ""


@dataclass(frozen=True)
class Key:
    """One tally an answer adds to: ``option``/``row``/``value`` as in ``Tally``."""

    option_id: int = 0
    row_id: int = 0
    value: int = 0


class Invalid(ValueError):
    """An answer that cannot be accepted; the message is for the person answering."""


def _first(data: Mapping, name: str) -> str:
    values = _all(data, name)
    return values[0].strip() if values else ""


def _all(data: Mapping, name: str) -> list[str]:
    getlist = getattr(data, "getlist", None)
    if getlist is not None:
        return [str(v) for v in getlist(name)]
    value = data.get(name)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def _int(text: str) -> int | None:
    try:
        return int(unicodedata.normalize("NFKC", text).strip())
    except (TypeError, ValueError):
        return None


def _setting_int(settings: Mapping, name: str, default: int | None = None) -> int | None:
    value = settings.get(name, default)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class QuestionType:
    kind = ""

    # -- building ---------------------------------------------------------------------
    def settings_errors(self, spec: Spec) -> list[str]:
        return []

    # -- answering --------------------------------------------------------------------
    def parse(self, spec: Spec, data: Mapping):
        """The normalised value of what was submitted, ``None`` if nothing; raises
        ``Invalid`` with a message naming what is wrong."""
        raise NotImplementedError

    def field_values(self, spec: Spec, value) -> dict[str, list[str]]:
        """The form fields that would submit ``value`` (to show a saved answer again)."""
        raise NotImplementedError

    # -- storing and counting ---------------------------------------------------------
    def rows(self, spec: Spec, value) -> list[Row]:
        raise NotImplementedError

    def value_from_rows(self, spec: Spec, rows: Sequence[Row]):
        raise NotImplementedError

    def keys(self, spec: Spec, value) -> list[Key]:
        """The tallies an answer adds to beside the question's "answered" tally."""
        return []

    def total(self, spec: Spec, value) -> Decimal:
        """What the answer adds to the question's sum (ratings and numbers)."""
        return Decimal(0)

    # -- showing ----------------------------------------------------------------------
    def columns(self, spec: Spec) -> list[str]:
        """Column headings of the raw export (one column per answer)."""
        return [f"{spec.position}. {spec.text}"]

    def cells(self, spec: Spec, value) -> list:
        return [self.display(spec, value)]

    def display(self, spec: Spec, value) -> str:
        raise NotImplementedError


class _Choosing(QuestionType):
    def settings_errors(self, spec):
        errors = []
        if len(spec.choices) < 2:
            errors.append(_("选择题至少需要两个选项。"))
        if sum(1 for c in spec.choices if c.is_other) > 1:
            errors.append(_("“其他（请注明）”只能有一个。"))
        return errors

    def _other_text(self, spec, data, chosen: Iterable[int]) -> str:
        other = next((c for c in spec.choices if c.is_other and c.id in chosen), None)
        text = _first(data, f"{spec.name}_other")
        if other is None:
            return ""
        if not text:
            raise Invalid(_("选择“%(label)s”时请注明具体内容。") % {"label": other.label})
        if len(text) > OTHER_MAX:
            raise Invalid(_("注明内容不能超过%(n)d个字。") % {"n": OTHER_MAX})
        return text

    def _label(self, spec, option_id: int, other: str) -> str:
        choice = spec.choice(option_id)
        if choice is None:
            return ""
        if choice.is_other and other:
            return f"{choice.label}：{other}"
        return choice.label


class Single(_Choosing):
    kind = "single"

    def parse(self, spec, data):
        raw = _first(data, spec.name)
        if not raw:
            return None
        option_id = _int(raw)
        if option_id is None or spec.choice(option_id) is None:
            raise Invalid(_("请从列出的选项中选择。"))
        return {"option": option_id, "other": self._other_text(spec, data, [option_id])}

    def field_values(self, spec, value):
        return {spec.name: [str(value["option"])], f"{spec.name}_other": [value.get("other", "")]}

    def rows(self, spec, value):
        choice = spec.choice(value["option"])
        return [Row(option_id=value["option"], text=value["other"] if choice.is_other else "")]

    def value_from_rows(self, spec, rows):
        if not rows:
            return None
        return {"option": rows[0].option_id, "other": rows[0].text}

    def keys(self, spec, value):
        return [Key(option_id=value["option"])]

    def display(self, spec, value):
        return "" if value is None else self._label(spec, value["option"], value.get("other", ""))


class Multiple(_Choosing):
    kind = "multiple"

    def bounds(self, spec) -> tuple[int, int]:
        low = _setting_int(spec.settings, "min_picks", 1) or 1
        high = _setting_int(spec.settings, "max_picks", len(spec.choices)) or len(spec.choices)
        return low, high

    def settings_errors(self, spec):
        errors = super().settings_errors(spec)
        low, high = self.bounds(spec)
        if low < 1 or high < low or high > max(len(spec.choices), 1):
            errors.append(
                _("最少和最多选择数须满足 1 ≤ 最少 ≤ 最多 ≤ 选项数（%(n)d）。")
                % {"n": len(spec.choices)}
            )
        return errors

    def parse(self, spec, data):
        picked: list[int] = []
        for raw in _all(data, spec.name):
            option_id = _int(raw)
            if option_id is None or spec.choice(option_id) is None:
                raise Invalid(_("请从列出的选项中选择。"))
            if option_id not in picked:
                picked.append(option_id)
        if not picked:
            return None
        low, high = self.bounds(spec)
        if len(picked) < low:
            raise Invalid(_("请至少选择%(n)d项。") % {"n": low})
        if len(picked) > high:
            raise Invalid(_("最多只能选择%(n)d项。") % {"n": high})
        order = {c.id: i for i, c in enumerate(spec.choices)}
        picked.sort(key=order.__getitem__)
        return {"options": picked, "other": self._other_text(spec, data, picked)}

    def field_values(self, spec, value):
        return {
            spec.name: [str(o) for o in value["options"]],
            f"{spec.name}_other": [value.get("other", "")],
        }

    def rows(self, spec, value):
        return [
            Row(option_id=o, text=value["other"] if spec.choice(o).is_other else "")
            for o in value["options"]
        ]

    def value_from_rows(self, spec, rows):
        if not rows:
            return None
        order = {c.id: i for i, c in enumerate(spec.choices)}
        options = sorted({r.option_id for r in rows}, key=lambda o: order.get(o, 0))
        other = next((r.text for r in rows if r.text), "")
        return {"options": options, "other": other}

    def keys(self, spec, value):
        return [Key(option_id=o) for o in value["options"]]

    def display(self, spec, value):
        if value is None:
            return ""
        return "；".join(self._label(spec, o, value.get("other", "")) for o in value["options"])


class Text(QuestionType):
    kind = "text"

    def limit(self, spec) -> int:
        return LONG_TEXT_MAX if spec.settings.get("long") else SHORT_TEXT_MAX

    def parse(self, spec, data):
        text = _first(data, spec.name)
        if not text:
            return None
        if len(text) > self.limit(spec):
            raise Invalid(
                _("不能超过%(limit)d个字（现有%(n)d个字）。")
                % {"limit": self.limit(spec), "n": len(text)}
            )
        return {"text": text}

    def field_values(self, spec, value):
        return {spec.name: [value["text"]]}

    def rows(self, spec, value):
        return [Row(text=value["text"])]

    def value_from_rows(self, spec, rows):
        return {"text": rows[0].text} if rows else None

    def display(self, spec, value):
        return "" if value is None else value["text"]


class Rating(QuestionType):
    kind = "rating"

    def scale(self, spec) -> tuple[int, int]:
        return (
            _setting_int(spec.settings, "scale_min", 1),
            _setting_int(spec.settings, "scale_max", 5),
        )

    def settings_errors(self, spec):
        low, high = self.scale(spec)
        if low is None or high is None or not (0 <= low < high <= 10):
            return [_("量表须满足 0 ≤ 最低分 < 最高分 ≤ 10。")]
        return []

    def parse(self, spec, data):
        raw = _first(data, spec.name)
        if not raw:
            return None
        score = _int(raw)
        low, high = self.scale(spec)
        if score is None or not low <= score <= high:
            raise Invalid(_("请选择%(low)d到%(high)d之间的分值。") % {"low": low, "high": high})
        return {"value": score}

    def field_values(self, spec, value):
        return {spec.name: [str(value["value"])]}

    def rows(self, spec, value):
        return [Row(number=Decimal(value["value"]))]

    def value_from_rows(self, spec, rows):
        return {"value": int(rows[0].number)} if rows else None

    def keys(self, spec, value):
        return [Key(value=value["value"])]

    def total(self, spec, value):
        return Decimal(value["value"])

    def cells(self, spec, value):
        return [None if value is None else value["value"]]

    def display(self, spec, value):
        return "" if value is None else str(value["value"])


class Matrix(QuestionType):
    kind = "matrix"

    def settings_errors(self, spec):
        errors = []
        if len(spec.rows) < 1:
            errors.append(_("矩阵题至少需要一行。"))
        if len(spec.choices) < 2:
            errors.append(_("矩阵题至少需要两个选项。"))
        if any(c.is_other for c in spec.choices):
            errors.append(_("矩阵题不能设“其他（请注明）”。"))
        return errors

    def parse(self, spec, data):
        answered = {}
        for row in spec.rows:
            raw = _first(data, f"{spec.name}_r{row.id}")
            if not raw:
                continue
            option_id = _int(raw)
            if option_id is None or spec.choice(option_id) is None:
                raise Invalid(_("请从列出的选项中选择。"))
            answered[str(row.id)] = option_id
        if not answered:
            return None
        if spec.required and len(answered) < len(spec.rows):
            missing = "、".join(r.label for r in spec.rows if str(r.id) not in answered)
            raise Invalid(_("请对每一行作答（尚未作答：%(rows)s）。") % {"rows": missing})
        return {"rows": answered}

    def field_values(self, spec, value):
        return {f"{spec.name}_r{row}": [str(o)] for row, o in value["rows"].items()}

    def rows(self, spec, value):
        return [Row(option_id=o, row_id=int(r)) for r, o in value["rows"].items()]

    def value_from_rows(self, spec, rows):
        return {"rows": {str(r.row_id): r.option_id for r in rows}} if rows else None

    def keys(self, spec, value):
        return [Key(option_id=o, row_id=int(r)) for r, o in value["rows"].items()]

    def columns(self, spec):
        return [f"{spec.position}. {spec.text}（{row.label}）" for row in spec.rows]

    def cells(self, spec, value):
        chosen = (value or {}).get("rows", {})
        labels = {c.id: c.label for c in spec.choices}
        return [labels.get(chosen.get(str(row.id)), "") for row in spec.rows]

    def display(self, spec, value):
        if value is None:
            return ""
        labels = {c.id: c.label for c in spec.choices}
        return "；".join(
            f"{row.label}：{labels[value['rows'][str(row.id)]]}"
            for row in spec.rows
            if str(row.id) in value["rows"]
        )


class Ranking(QuestionType):
    """Order the options; with ``rank_count`` K only the first K places are asked for.

    Scoring: a place r of K earns K − r + 1 points (Borda), and the mean rank is taken over
    those who placed the option."""

    kind = "ranking"

    def places(self, spec) -> int:
        count = _setting_int(spec.settings, "rank_count", len(spec.choices)) or len(spec.choices)
        return min(count, len(spec.choices))

    def settings_errors(self, spec):
        errors = []
        if len(spec.choices) < 2:
            errors.append(_("排序题至少需要两个选项。"))
        if any(c.is_other for c in spec.choices):
            errors.append(_("排序题不能设“其他（请注明）”。"))
        count = _setting_int(spec.settings, "rank_count", len(spec.choices))
        if count is None or not 1 <= count <= len(spec.choices):
            errors.append(_("排序名次数须在1到选项数之间。"))
        return errors

    def parse(self, spec, data):
        places = self.places(spec)
        ranks: dict[str, int] = {}
        for choice in spec.choices:
            raw = _first(data, f"{spec.name}_o{choice.id}")
            if not raw:
                continue
            rank = _int(raw)
            if rank is None or not 1 <= rank <= places:
                raise Invalid(_("名次须在1到%(n)d之间。") % {"n": places})
            ranks[str(choice.id)] = rank
        if not ranks:
            return None
        used = sorted(ranks.values())
        if len(set(used)) != len(used):
            raise Invalid(_("每个名次只能给一个选项。"))
        if used != list(range(1, places + 1)):
            raise Invalid(_("请排出第1到第%(n)d名，每个名次一项。") % {"n": places})
        return {"ranks": ranks}

    def field_values(self, spec, value):
        return {f"{spec.name}_o{o}": [str(r)] for o, r in value["ranks"].items()}

    def rows(self, spec, value):
        return [Row(option_id=int(o), rank=r) for o, r in value["ranks"].items()]

    def value_from_rows(self, spec, rows):
        return {"ranks": {str(r.option_id): r.rank for r in rows}} if rows else None

    def keys(self, spec, value):
        return [Key(option_id=int(o), value=r) for o, r in value["ranks"].items()]

    def columns(self, spec):
        return [
            _("%(n)d. %(text)s（第%(place)d位）")
            % {"n": spec.position, "text": spec.text, "place": place}
            for place in range(1, self.places(spec) + 1)
        ]

    def cells(self, spec, value):
        by_place = {r: int(o) for o, r in ((value or {}).get("ranks", {})).items()}
        labels = {c.id: c.label for c in spec.choices}
        return [labels.get(by_place.get(place), "") for place in range(1, self.places(spec) + 1)]

    def display(self, spec, value):
        if value is None:
            return ""
        by_place = sorted(((r, int(o)) for o, r in value["ranks"].items()))
        labels = {c.id: c.label for c in spec.choices}
        return " > ".join(labels[o] for _r, o in by_place)


class Number(QuestionType):
    kind = "number"

    def bounds(self, spec) -> tuple[Decimal | None, Decimal | None]:
        def read(name):
            value = spec.settings.get(name)
            if value in (None, ""):
                return None
            try:
                return Decimal(str(value))
            except InvalidOperation:
                return None

        return read("minimum"), read("maximum")

    def decimals(self, spec) -> int:
        return 2 if _setting_int(spec.settings, "decimals", 0) else 0

    def settings_errors(self, spec):
        low, high = self.bounds(spec)
        if low is not None and high is not None and low >= high:
            return [_("数值下限须小于上限。")]
        return []

    def parse(self, spec, data):
        raw = unicodedata.normalize("NFKC", _first(data, spec.name)).replace(",", "").strip()
        if not raw:
            return None
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise Invalid(_("请填写数字，例如 120 或 35.5。")) from None
        if not number.is_finite() or abs(number) > NUMBER_LIMIT:
            raise Invalid(_("请填写数字，例如 120 或 35.5。"))
        places = self.decimals(spec)
        if number != number.quantize(Decimal(1).scaleb(-places)):
            raise Invalid(_("请填写整数。") if places == 0 else _("最多保留两位小数。"))
        low, high = self.bounds(spec)
        unit = spec.settings.get("unit", "")
        if low is not None and number < low:
            raise Invalid(_("不能小于%(n)s%(unit)s。") % {"n": low, "unit": unit})
        if high is not None and number > high:
            raise Invalid(_("不能大于%(n)s%(unit)s。") % {"n": high, "unit": unit})
        return {"number": str(number.quantize(Decimal(1).scaleb(-places)))}

    def field_values(self, spec, value):
        return {spec.name: [value["number"]]}

    def rows(self, spec, value):
        return [Row(number=Decimal(value["number"]))]

    def value_from_rows(self, spec, rows):
        if not rows:
            return None
        return {"number": str(rows[0].number.quantize(Decimal(1).scaleb(-self.decimals(spec))))}

    def keys(self, spec, value):
        # Counted by value (in hundredths), so medians and distributions come from tallies.
        return [Key(value=int(Decimal(value["number"]) * 100))]

    def total(self, spec, value):
        return Decimal(value["number"])

    def cells(self, spec, value):
        return [None if value is None else Decimal(value["number"])]

    def display(self, spec, value):
        if value is None:
            return ""
        return f"{value['number']}{spec.settings.get('unit', '')}"


TYPES: dict[str, QuestionType] = {
    cls.kind: cls() for cls in (Single, Multiple, Text, Rating, Matrix, Ranking, Number)
}
CHOICE_KINDS = ("single", "multiple")


def question_type(spec: Spec) -> QuestionType:
    return TYPES[spec.kind]


def is_shown(spec: Spec, values: Mapping[int, object]) -> bool:
    """Whether a question is asked, given the answers before it (``values`` holds only the
    questions that were shown)."""
    if spec.shown_if is None:
        return True
    value = values.get(spec.shown_if_question)
    if not value:
        return False
    if "options" in value:
        return spec.shown_if in value["options"]
    return value.get("option") == spec.shown_if


def parse_answers(specs: Sequence[Spec], data: Mapping) -> tuple[dict[int, object], dict[int, str]]:
    """Every shown question's value and every error, in question order.

    A hidden question's answer is dropped, whatever was submitted for it (a browser without
    JavaScript still shows it). A required question shown and unanswered is an error."""
    values: dict[int, object] = {}
    errors: dict[int, str] = {}
    for spec in specs:
        if not is_shown(spec, values):
            continue
        try:
            value = question_type(spec).parse(spec, data)
        except Invalid as error:
            errors[spec.id] = str(error)
            continue
        if value is None:
            if spec.required:
                errors[spec.id] = _("此题为必答题。")
            continue
        values[spec.id] = value
    return values, errors
