"""Generated input for a form's fields: per field, values that look valid (its choices' keys,
ids of existing objects, dates, numbers) mixed with hostile ones (huge numbers, '1e309',
'Infinity', 'NaN', digits of other scripts, NUL bytes, very long strings, direction marks,
lists where one value is expected). Lone surrogates are left out: HTTP cannot carry them."""

from datetime import date, timedelta

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import strategies as st

from tests.spaces.images import image_bytes

OMIT = object()  # the field is not sent at all

HOSTILE = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "1e309",
    "-1e309",
    "1e30",
    "1e-400",
    "Infinity",
    "-Infinity",
    "inf",
    "NaN",
    "sNaN",
    "nan",
    "²",
    "①",
    "٣",
    "١٢٫٥",
    "１２",
    "𝟙",
    "\u2212" + "5",
    "\x00",
    "1\x00",
    "a\x00b",
    "\u200f",
    "\u202e123",
    "\u200fأسرير\u200e",
    "9" * 400,
    "1" * 25,
    str(2**63),
    str(-(2**63) - 1),
    str(2**31),
    "1_000",
    "0x1F",
    "1,5",
    "1.5",
    "+1",
    "12abc",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "x" * 10_000,
    "٠١٢٣",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "31/12/2026",
    "2026-1-1",
    "99999999999-01-01",
    "-2026-01-01",
    "true",
    "on",
    "None",
    "null",
    "[]",
    "{}",
    "name,-capacity",
    "-",
    ",,,",
]

# Any text but lone surrogates (category Cs), which no HTTP request can carry.
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
hostile = st.sampled_from(HOSTILE)


def _choice_keys(choices) -> list[str]:
    keys = []
    for key, label in choices:
        if isinstance(label, (list, tuple)):  # an optgroup
            keys += [str(inner) for inner, _label in label]
        else:
            keys.append(str(key))
    return keys


def _existing_ids(field) -> list[str]:
    key = field.to_field_name or "pk"
    return [str(value) for value in field.queryset.values_list(key, flat=True)[:40]] or ["1"]


def _numbers(field):
    low = getattr(field, "min_value", None)
    high = getattr(field, "max_value", None)
    near = [str(v + d) for v in (low, high) if v is not None for d in (-1, 0, 1)]
    integers = st.integers(min_value=-(10**22), max_value=10**22).map(str)
    small = st.integers(min_value=-5, max_value=2_000).map(str)
    strategies = [integers, small]
    if near:
        strategies.append(st.sampled_from(near))
    if not isinstance(field, forms.IntegerField):
        strategies += [
            st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
            st.floats().map(repr),
            st.floats(min_value=-200, max_value=200).map(lambda f: f"{f:.9f}".replace(".", ",")),
        ]
    return st.one_of(strategies)


def _dates():
    today = timezone.localdate()
    return st.one_of(
        st.dates().map(date.isoformat),
        st.integers(-800, 800).map(lambda d: (today + timedelta(days=d)).isoformat()),
        st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    )


def valid_looking(field):
    """Values of the field's own kind, most of them accepted."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return st.lists(st.sampled_from(_existing_ids(field)), max_size=4)
    if isinstance(field, forms.ModelChoiceField):
        return st.sampled_from(_existing_ids(field))
    if isinstance(field, forms.MultipleChoiceField):
        return st.lists(st.sampled_from(_choice_keys(field.choices) or [""]), max_size=7)
    if isinstance(field, forms.ChoiceField):
        keys = _choice_keys(field.choices) or [""]
        return st.one_of(
            st.sampled_from(keys),
            st.lists(st.sampled_from(keys), min_size=2, max_size=3).map(",".join),
        )
    if isinstance(field, (forms.BooleanField, forms.NullBooleanField)):
        return st.sampled_from(["on", "true", "false", "1", "0", "True", "False", "unknown"])
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        return _numbers(field)
    if isinstance(field, forms.DateTimeField):
        return st.datetimes().map(lambda d: d.isoformat(sep=" "))
    if isinstance(field, forms.DateField):
        return _dates()
    if isinstance(field, forms.EmailField):
        return st.emails()
    if isinstance(field, forms.CharField) and field.max_length:
        # at the limit and one past it, in two scripts (built, not generated: cheaper)
        n = field.max_length
        return st.one_of(TEXT, st.sampled_from([c * m for c in "xأ" for m in (n, n + 1)]))
    return TEXT


def field_values(field):
    """What one field of a request may hold: nothing, one value, or several."""
    one = st.one_of(valid_looking(field), hostile, TEXT)
    return st.one_of(
        st.just(OMIT),
        valid_looking(field).map(lambda v: v if isinstance(v, list) else [v]),
        one.map(lambda v: v if isinstance(v, list) else [v]),
        st.lists(st.one_of(hostile, TEXT), min_size=2, max_size=4),
    )


def _csv_of(columns):
    names = [name for name, _text in columns]
    header = st.lists(st.sampled_from(names + ["", "x", "NAME"]), max_size=len(names) + 2)
    row = st.lists(st.one_of(hostile, TEXT).map(lambda v: v.replace("\n", " ")), max_size=12)
    return st.tuples(
        st.one_of(st.just(names), header), st.lists(row, max_size=4), st.sampled_from([",", ";"])
    ).map(
        lambda t: "\n".join(t[2].join(cells) for cells in [t[0], *t[1]]).encode(
            "utf-8", errors="replace"
        )
    )


def _xlsx_of(columns):
    from io import BytesIO

    from openpyxl import Workbook

    def build(rows):
        book = Workbook()
        sheet = book.active
        sheet.append([name for name, _text in columns])
        for row in rows:
            sheet.append(row)
        buffer = BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    cell = st.one_of(hostile.filter(lambda v: "\x00" not in v), st.integers(), st.floats())
    return st.lists(st.lists(cell, max_size=8), max_size=3).map(build)


def uploads(columns=None):
    """An uploaded file: garbage, a real image or PDF, or (for imports) a table."""
    contents = [
        st.binary(max_size=300),
        st.just(image_bytes()),
        st.just(image_bytes("PNG", size=(3, 3))),
        st.just(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"),
        st.just(b"PK\x03\x04" + b"\x00" * 40),
    ]
    if columns:
        contents += [_csv_of(columns), _csv_of(columns), _xlsx_of(columns)]
    names = st.sampled_from(
        [
            "a.csv",
            "a.xlsx",
            "A.CSV",
            "a.txt",
            "photo.jpg",
            "plan.pdf",
            "x" * 200 + ".csv",
            "noextension",
        ]
    )
    return st.builds(
        lambda name, content: SimpleUploadedFile(name, content),
        names,
        st.one_of(contents),
    )
