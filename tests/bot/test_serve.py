"""Building the server for `pqbot serve`: Socket Mode when there is an app token."""

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_stand_in import SlackStandIn

from bot.serve import build_server
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
        assert isinstance(server.run.__self__, SocketModeHandler)
        assert server.run.__self__.app is server.app
        assert "/api/apps.connections.open" not in {request.path for request in slack.requests}
