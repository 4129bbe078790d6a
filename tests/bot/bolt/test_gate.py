"""The door in front of the app over HTTP: stale, forged, replayed, oversized and unreadable requests
are refused before Bolt sees them, and nothing is sent anywhere for them."""

import http.client
import io
import json
import time
from urllib.parse import urlencode, urlsplit

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier
from slack_stand_in import SIGNING_SECRET, SlackStandIn

from bot.bolt.gate import MAX_BODY_BYTES, RequestGate, SeenSignatures

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def slack(tmp_path_factory):
    """pqbot served over HTTP, with a stand-in Slack around it."""
    with SlackStandIn.running(tmp_path_factory.mktemp("slack") / "pq.db") as stand_in:
        yield stand_in


def command_form(slack: SlackStandIn, name: str) -> str:
    """A /pq EHC slash command whose replies arrive at response_path(name)."""
    fields = {"command": "/pq", "text": "EHC", "response_url": slack.response_url(name), "user_id": "UPERSON"}
    return urlencode(fields | {"channel_id": "CCHANNEL", "team_id": "TTEAM", "api_app_id": "APQBOT"})


def answered_after(slack: SlackStandIn, name: str) -> None:
    """Send a good command and wait for its reply: anything an earlier request caused has arrived by then."""
    assert slack.command("EHC", response=name).status == 200
    slack.wait_for(slack.response_path(name))


def signed_headers(body: str, timestamp: str) -> dict:
    """The headers Slack would send with a body at this timestamp."""
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=timestamp, body=body)
    return {"Content-Type": FORM, "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}


@pytest.mark.parametrize("timestamp", ["abc", "1e3", " 1700000000", "1_700_000_000", "9" * 5000])
def test_a_malformed_timestamp_is_refused_and_nothing_is_sent(slack, timestamp):
    """A timestamp that is not plain digits gets 401, and no reply goes to the body's response URL."""
    name = f"timestamp-{timestamp.strip()[:3]}"
    body = command_form(slack, name)
    assert slack.post(body.encode(), signed_headers(body, timestamp)).status == 401
    answered_after(slack, f"after-{name}")
    assert slack.received(slack.response_path(name)) == []


@pytest.mark.parametrize("signature", ["", "v0=", "v0=" + "0" * 64, "v0=é", "x" * 5000])
def test_a_malformed_or_wrong_signature_is_refused_and_nothing_is_sent(slack, signature):
    """Signatures that are missing, cut short, wrong or not ASCII all get 401, and no reply."""
    name = f"signature-{len(signature)}"
    body = command_form(slack, name)
    headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": signature}
    assert slack.post(body.encode(), headers).status == 401
    answered_after(slack, f"after-{name}")
    assert slack.received(slack.response_path(name)) == []


def test_the_same_signed_request_sent_three_times_is_acted_on_once(slack):
    """A replay within the window gets 409 (its signature is genuine, so not 401) and is not acted on."""
    body = command_form(slack, "replayed")
    headers = signed_headers(body, str(int(time.time())))
    assert [slack.post(body.encode(), headers).status for _ in range(3)] == [200, 409, 409]
    slack.wait_for(slack.response_path("replayed"))
    answered_after(slack, "after-replayed")
    assert len(slack.received(slack.response_path("replayed"))) == 1


def test_a_body_over_a_megabyte_is_refused_with_413_before_it_is_sent(slack):
    """A signed request declaring one byte over 1 MB is refused from its headers alone: not a byte
    of the body has been sent when the 413 arrives."""
    body = "text=" + "x" * (MAX_BODY_BYTES - 4)
    address = urlsplit(slack.app_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    connection.putrequest("POST", address.path)
    for name, value in signed_headers(body, str(int(time.time()))).items():
        connection.putheader(name, value)
    connection.putheader("Content-Length", str(len(body)))
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("payload=notjson", FORM),
        ("payload=%7B%22type%22%3A", FORM),
        ("{not json", "application/json"),
        ("not json either", "application/json; charset=utf-8"),
    ],
)
def test_a_signed_body_bolt_cannot_read_is_refused_with_400(slack, body, content_type):
    """Signed garbage, a form payload or a JSON body that is not JSON, is a bad request, not a failure."""
    headers = signed_headers(body, str(int(time.time()))) | {"Content-Type": content_type}
    assert slack.post(body.encode(), headers).status == 400


def test_bolt_itself_sends_nothing_for_a_malformed_timestamp(slack):
    """Behind the gate too: Bolt's check raising on timestamp abc does not make the error handler reply."""
    body = command_form(slack, "bolt-abc")
    headers = signed_headers(body, "abc")
    slack.app.dispatch(BoltRequest(body=body, headers={key.lower(): value for key, value in headers.items()}))
    answered_after(slack, "after-bolt-abc")
    assert slack.received(slack.response_path("bolt-abc")) == []


def refusal(gate: RequestGate, environ: dict) -> str:
    """The status line the gate answers an environ with."""
    statuses = []
    gate(environ, lambda status, headers: statuses.append(status))
    return statuses[0]


def never_called(environ, start_response):
    """An app behind the gate that must not be reached."""
    raise AssertionError("the request got past the gate")


def test_the_gate_never_reads_more_than_one_byte_past_the_cap():
    """A body with no Content-Length (chunked, say) is read only as far as shows it is too long."""
    body = io.BytesIO(b"x" * 100)
    gate = RequestGate(never_called, SIGNING_SECRET, max_body_bytes=10)
    assert refusal(gate, {"wsgi.input": body}) == "413 Content Too Large"
    assert body.tell() == 11


def test_the_gate_refuses_a_declared_length_over_the_cap_without_reading():
    """A Content-Length over the cap is refused before a byte of the body is read."""
    body = io.BytesIO(b"x" * 100)
    gate = RequestGate(never_called, SIGNING_SECRET, max_body_bytes=10)
    assert refusal(gate, {"wsgi.input": body, "CONTENT_LENGTH": "100"}) == "413 Content Too Large"
    assert body.tell() == 0


def test_a_signed_body_at_the_cap_gets_through():
    """Exactly the cap is allowed, signed and fresh, and reaches the app with its whole body."""
    payload = json.dumps({"type": "event_callback", "pad": "x" * 20})
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=payload)
    reached = []

    def app(environ, start_response):
        """The app behind the gate, keeping the body it was given."""
        reached.append(environ["wsgi.input"].read())
        return []

    gate = RequestGate(app, SIGNING_SECRET, max_body_bytes=len(payload))
    environ = {
        "wsgi.input": io.BytesIO(payload.encode()),
        "CONTENT_LENGTH": str(len(payload)),
        "CONTENT_TYPE": "application/json",
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": stamp,
        "HTTP_X_SLACK_SIGNATURE": signature,
    }
    gate(environ, lambda status, headers: None)
    assert reached == [payload.encode()]


def test_seen_signatures_are_forgotten_once_their_timestamp_is_stale():
    """A signature is remembered until its request would be refused as stale anyway, then dropped."""
    seen = SeenSignatures(window=300)
    assert seen.first_time("v0=a", timestamp=1000, now=1000)
    assert not seen.first_time("v0=a", timestamp=1000, now=1300)
    assert seen.first_time("v0=b", timestamp=1301, now=1301)
    assert len(seen) == 1
