"""The layers keep to their places: store never imports bot, and only bot.bolt imports Slack's Bolt.

Each check imports every module of a part in a fresh interpreter and looks at what came with it.
"""

import json
import subprocess
import sys

import pytest

IMPORTED_WITH = """
import importlib, json, pkgutil, sys
part = importlib.import_module(sys.argv[1])
for module in pkgutil.walk_packages(part.__path__, part.__name__ + "."):
    importlib.import_module(module.name)
print(json.dumps(sorted(sys.modules)))
"""


def imported_with(part: str) -> set[str]:
    """Every module loaded by importing each module of a package, in a fresh interpreter."""
    result = subprocess.run([sys.executable, "-c", IMPORTED_WITH, part], capture_output=True, text=True, check=True)
    return set(json.loads(result.stdout))


def roots(modules: set[str]) -> set[str]:
    return {module.split(".")[0] for module in modules}


def test_the_store_never_imports_the_bot_or_slack():
    assert not roots(imported_with("store")) & {"bot", "slack_bolt", "slack_sdk"}


@pytest.mark.parametrize("part", ["bot.compose", "bot.scheduled"])
def test_the_reply_builders_and_scheduled_work_never_import_bolt(part):
    loaded = imported_with(part)
    assert "slack_bolt" not in roots(loaded)
    assert not {module for module in loaded if module.startswith("bot.bolt")}


def test_the_reply_builders_import_no_slack_library_at_all():
    assert not roots(imported_with("bot.compose")) & {"slack_bolt", "slack_sdk"}


def test_the_check_sees_bolt_where_it_is_imported():
    assert "slack_bolt" in roots(imported_with("bot.bolt"))
