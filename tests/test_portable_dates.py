"""Dates are formatted the same on every platform the README promises, Windows included."""

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
# glibc's %-d and Windows' %#d drop a leading zero on one platform and fail or differ on the other.
PLATFORM_ONLY_DIRECTIVE = re.compile(r"%[-#][a-zA-Z]")


def test_no_date_format_uses_a_platform_only_directive():
    """Days are written as f"{day.day} {day:%B %Y}" instead, which every platform formats alike."""
    sources = [path for package in ("bot", "store") for path in sorted((ROOT / package).rglob("*.py"))]
    assert sources
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if PLATFORM_ONLY_DIRECTIVE.search(line)
    ]
    assert found == []
