"""Hypothesis strategies for bad input: odd text, wrong types, huge strings, broken bytes."""

from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

# Text a person (or a script) could send that code tends to trip over.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate: sent as the bytes ED A0 80, which are not UTF-8
    "x\udfffy",
    "\ufeff",
    "\u202etekst",
    "\r\n\t",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "null",
    "-1",
    "0",
    "1.5",
    "9" * 18,
    "9" * 40,
    "١٢",
    "NaN",
    "true",
    "[]",
    '{"a": 1}',
    "😀",
]

huge = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["x", "é", "\x00", "😀", "\ud800", " ", "ab\n"]),
    st.sampled_from([101, 255, 1001, 5001, 10_001, 20_001, 100_000 // 3]),
)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
).map(str)
garbage = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), numbers, huge)


def value(*good):
    """One posted value: mostly garbage, sometimes one of ``good``."""
    return st.one_of(st.sampled_from(good), garbage) if good else garbage


def form(fields: dict, *, extra=True):
    """A posted form: some of the real fields (each one value or a list of them), plus
    random extra keys."""
    as_lists = {
        name: st.one_of(strategy.map(lambda v: [v]), st.lists(strategy, max_size=3))
        for name, strategy in fields.items()
    }
    data = st.fixed_dictionaries({}, optional=as_lists)
    if not extra:
        return data
    extras = st.dictionaries(
        st.one_of(st.sampled_from(NASTY), st.text(max_size=20)),
        st.lists(garbage, min_size=1, max_size=2),
        max_size=3,
    )
    return st.builds(lambda real, more: {**more, **real}, data, extras)


def _bytes(text: str) -> bytes:
    # A lone surrogate cannot be UTF-8: send the bytes it would take, as a broken client does.
    return text.encode("utf-8", "surrogatepass")


def urlencoded(data: dict) -> str:
    """``data`` (name -> list of values) as a query string, byte for byte."""
    return "&".join(
        f"{quote_from_bytes(_bytes(name), safe='')}={quote_from_bytes(_bytes(item), safe='')}"
        for name, values in data.items()
        for item in values
    )


def multipart(data: dict) -> dict:
    """``data`` for the test client's multipart encoder, values as raw bytes."""
    return {
        _bytes(name).decode("utf-8", "replace"): [_bytes(item) for item in values]
        for name, values in data.items()
    }


CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/x-www-form-urlencoded; charset=bogus-8",
    "application/x-www-form-urlencoded; charset=utf-16",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data; boundary=" + "b" * 300,
    "application/json",
    "text/plain",
    "application/octet-stream",
    "",
]

raw_bodies = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"\xff\xfe\xfd",
            b"body=\xc3\x28&title=\xed\xa0\x80",
            b"body=%C3%28&title=%ED%A0%80&body=%FF",
            b"body=" + b"%00" * 50,
            b'--xyz\r\nContent-Disposition: form-data; name="body"\r\n\r\n\xff\r\n--xyz--\r\n',
            b'--xyz\r\nContent-Disposition: form-data; name="body"; filename="a.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\nabc\r\n--xyz--\r\n",
            b"--xyz\r\nbroken",
            b'{"body": "hoi", "title": "x"}',
            b"&&&===&=&",
            b"a=" + b"x" * 100_000,
        ]
    ),
)
