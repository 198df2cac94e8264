"""Write ``questions.txt``: hostile question lines for the reliability tests.

Run from the repository root to regenerate: ``python tests/data/junk/make_questions.py``. The file
is committed (the tests read it); this script documents how every line was made. One question per
line, separated by ``\\n`` only: lines may hold any other control character, including ``\\r``,
form feeds and Unicode line separators, and a few are deliberately not valid UTF-8.
"""

from __future__ import annotations

from pathlib import Path

LONG_LINE_CHARS = 20_000

TEXT_LINES = [
    "'; DROP TABLE shows;--",
    "how many people watched '; DROP TABLE shows;--",
    '" OR 1=1 --',
    "who is Robert'); DELETE FROM people; --",
    "SELECT * FROM names_fts WHERE names_fts MATCH '*'",
    'names_fts MATCH "a" OR "b" NEAR(x y) title:* ^foo',
    'who created * AND * OR NOT ( ) " :',
    "{0}",
    "{0} {1} {name} {{}} {!r}",
    "%s%n%x%d%%",
    "how many people watched %s?",
    "${jndi:ldap://127.0.0.1/a}",
    "<!channel>",
    "<!here> <!everyone> who is in the cast",
    "<@U123> how many people watched it",
    "<@U123|someone> &amp; &lt;!channel&gt; <#C1|general>",
    "<https://example.com|click me> <mailto:a@example.com>",
    "&amp;&amp;&amp;&lt;&gt;&#60;",
    "*bold* _italic_ ~strike~ `code` ```block``` >quote",
    "\u202ewho created\u202c \u202dit\u202c",
    "\u200f\u200e\u2066\u2067\u2068\u2069 who is \u061c",
    "wh\u200bo cre\u200cated \u200dit\u2060\ufeff",
    "\ufeff\ufeff\ufeff",
    "👨‍👩‍👧‍👦 🏳️‍🌈 🇫🇷 who is 🤖?",
    "😀" * 50,
    "Z\u0351\u0334\u0360a\u0352\u0325l\u0362\u0320g\u0356\u0324o\u0331",
    "ｈｏｗ ｍａｎｙ ｐｅｏｐｌｅ ｗａｔｃｈｅｄ",
    "誰がそれを作ったのですか？",
    "من صنع هذا العرض؟",
    "кто снял этот сериал?",
    "\x00\x01\x02\x03\x04\x05\x06\x07\x08",
    "who\tis\x0bthe\x0ccast\x1c\x1d\x1e\x1f\x7f",
    "line\rwith carriage return",
    "unicode\u2028line\u2029separators\x85next",
    " ",
    "",
    "?",
    "????????????????????????????????????????",
    ",,,,,;;;;;::::",
    "top",
    "top 99999999999999999999999999",
    "top -1",
    "compare , , ,",
    "lupin " * 40,
    "9" * 400,
    "1e308 -0 NaN inf",
]

BYTE_LINES = [
    b"\xff\xfe\xfd not utf-8",
    b"caf\xe9 in latin-1",
    b"\xed\xa0\x80 encoded surrogate",
    b"\xc0\xaf overlong slash",
]


def long_lines() -> list[str]:
    """Lines of 20,000 characters: one word repeated, words without spaces, mixed scripts."""
    unit = "who is é 😀 \u202e "
    return [
        ("how many people watched " * 900)[:LONG_LINE_CHARS],
        "x" * LONG_LINE_CHARS,
        (unit * (LONG_LINE_CHARS // len(unit) + 1))[:LONG_LINE_CHARS],
        ("a, " * LONG_LINE_CHARS)[:LONG_LINE_CHARS],
        ("'; DROP TABLE shows;-- {0} %s " * 1000)[:LONG_LINE_CHARS],
    ]


def corpus_bytes() -> bytes:
    """Return the corpus: the text lines, the long lines and the undecodable lines."""
    lines = [line.encode("utf-8", "surrogatepass") for line in TEXT_LINES + long_lines()]
    return b"\n".join(lines + BYTE_LINES) + b"\n"


if __name__ == "__main__":
    target = Path(__file__).with_name("questions.txt")
    target.write_bytes(corpus_bytes())
    print(f"wrote {target}")
