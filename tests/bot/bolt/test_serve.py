"""Building the server for `pqbot serve`: Socket Mode when there is an app token, and a refused one named."""

from click.testing import CliRunner
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_stand_in import SlackStandIn

from bot.bolt.serve import build_server
from bot.cli import cli
from bot.settings import Settings


def test_an_app_token_means_socket_mode_built_but_not_yet_connected(tmp_path):
    """With SLACK_APP_TOKEN the server is Bolt's Socket Mode handler, which connects only when run."""
    with SlackStandIn.running(tmp_path / "pq.db") as slack:
        settings = Settings(
            db_path=tmp_path / "pq.db",
            slack_bot_token="xoxb-test",
            slack_app_token="xapp-test",
            slack_api_url=f"{slack.url}/api/",
        )
        server = build_server(settings)
        assert server.where == "over Socket Mode"
        assert isinstance(server.connect.args[0], SocketModeHandler)
        assert server.connect.args[0].app is server.app
        assert "/api/apps.connections.open" not in {request.path for request in slack.requests}


def test_a_refused_app_token_is_named_in_one_line_before_pqbot_claims_to_be_connected(tmp_path):
    """Slack answering apps.connections.open with invalid_auth: serve names SLACK_APP_TOKEN and exits 1."""
    with SlackStandIn.running(tmp_path / "pq.db") as slack:
        slack.script("/api/apps.connections.open", ok=False, error="invalid_auth")
        env = {
            "PQBOT_DB": str(tmp_path / "pq.db"),
            "PQBOT_INBOX": str(tmp_path / "inbox"),
            "PQBOT_LOG_LEVEL": "",
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_APP_TOKEN": "xapp-refused",
            "SLACK_API_URL": f"{slack.url}/api/",
        }
        result = CliRunner().invoke(cli, ["serve"], env=env)
        assert slack.received("/api/apps.connections.open")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: SLACK_APP_TOKEN was refused by Slack (invalid_auth): ")
    assert "answering Slack" not in result.output
