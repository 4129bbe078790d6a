"""pqbot fetch: answers from the Written Questions API (a loopback stand-in) into the inbox."""

from contextlib import closing

import pytest
from parliament_api_stand_in import ParliamentApiStandIn


@pytest.fixture
def cli_env(cli_env, tmp_path):
    """pqbot's environment with its inbox in tmp_path and a stand-in for the API."""
    with closing(ParliamentApiStandIn()) as parliament:
        yield cli_env | {"PQBOT_INBOX": str(tmp_path / "inbox"), "PQBOT_API_URL": parliament.url}


def test_fetch_fills_the_inbox_and_a_second_run_adds_nothing(run, tmp_path):
    """Complete answers land in the inbox as files; once ingested, fetching again writes none."""
    first = run("fetch", "--since", "2024-09-16", "--until", "2024-09-20")
    assert first.exit_code == 0
    assert first.stdout.startswith("2024-09-16 to 2024-09-20: 16 listed (7 fetched again in full), 16 written in")
    files = sorted((tmp_path / "inbox").glob("api-*.json"))
    assert files
    assert run("ingest", str(tmp_path / "inbox")).stdout.endswith("16 new, 0 updated, 0 unchanged, 0 failed\n")
    second = run("fetch", "--since", "2024-09-16", "--until", "2024-09-20")
    assert "2024-09-16 to 2024-09-20: already fetched completely" in second.stdout
    assert sorted((tmp_path / "inbox").glob("api-*.json")) == files


def test_fetch_for_one_department_and_house(run, tmp_path):
    """--department by name and --house narrow the request and the files."""
    window = ("--since", "2024-09-16", "--until", "2024-09-20")
    result = run("fetch", *window, "--department", "education", "--house", "Commons")
    assert result.exit_code == 0
    assert all("-commons-body60-" in path.name for path in (tmp_path / "inbox").glob("api-*.json"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--department", "Ministry of Magic"], "no department called “Ministry of Magic”"),
        (
            ["--since", "2024-09-20", "--until", "2024-09-16"],
            "the first day, 2024-09-20, is after the last, 2024-09-16",
        ),
        (["--house", "senate"], "Invalid value for '--house'"),
    ],
)
def test_a_request_it_cannot_make_is_a_usage_error(run, tmp_path, args, message):
    """Unknown departments and houses, and backwards windows, exit 2 and write nothing."""
    result = run("fetch", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not list((tmp_path / "inbox").glob("api-*.json"))
