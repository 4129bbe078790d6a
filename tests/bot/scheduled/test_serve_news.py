"""An answer's life followed into Slack, as `pqbot serve` runs it: a holding answer, then the real one,
then a correction, each dropped in the inbox in turn, reach the subscribed channel once each: the
holding answer in a digest, the rest in its thread."""

import json

from conftest import DATA, answer_file

from scheduled.test_serve_digests import POST, serving

# A real question on Education, Health and Care plans, which a subscription to "EHC plans" catches.
SAMPLE = DATA / "api" / "written-questions-sample.json"
HOLDING_TEXT = "<p>I will reply to the hon. Member as soon as possible.</p>"
CORRECTED_TEXT = "<p>Information on the placements of 1,234 children with an EHC plan is published each June.</p>"


def ehc_question() -> dict:
    """The real entry for UIN 126478, from the sample API file."""
    entries = json.loads(SAMPLE.read_text("utf-8"))["results"]
    return next(entry for entry in entries if entry["value"]["uin"] == "126478")


def stage(entry: dict, **fields) -> bytes:
    """An answer file holding the entry with these fields changed, as the API gives it at one stage."""
    return answer_file([entry | {"value": entry["value"] | fields}])


def texts(posts) -> list[str]:
    """Each post's blocks' text, run together."""
    return [json.dumps(post.body["blocks"]) for post in posts]


def test_a_holding_answer_then_its_real_answer_then_a_correction_each_reach_the_channel_once(tmp_path):
    """Two messages for the holding answer and its real answer (the second in the first's thread), one for the
    correction, and nothing more when the correction is dropped in again or pqbot restarts."""
    real = ehc_question()
    real = real | {
        "value": real["value"] | {"dateAnswered": "2025-05-20T00:00:00", "dateHoldingAnswer": "2025-05-01T00:00:00"}
    }
    holding = stage(real, answerText=HOLDING_TEXT, answerIsHolding=True, dateAnswered="2025-05-01T00:00:00")
    full = stage(real)
    corrected = stage(
        real,
        answerText=CORRECTED_TEXT,
        answerIsCorrection=True,
        dateAnswerCorrected="2025-06-12T00:00:00",
        originalAnswerText=real["value"]["answerText"],
    )
    with serving(tmp_path) as served:
        served.pq("subscribe EHC plans", "CSEND", "subscribe")
        served.drop_file("holding.json", holding)
        served.scan_inbox_now()
        [digest] = served.slack.received(POST, channel="CSEND")
        assert "holding answer, 1 May 2025" in texts([digest])[0]
        served.drop_file("answered.json", full)
        served.scan_inbox_now()
        digest, news = served.slack.received(POST, channel="CSEND")
        assert news.body["thread_ts"] == served.slack.history["CSEND"][0]["ts"]
        assert "Now answered" in texts([news])[0] and "Information on the placements" in texts([news])[0]
        assert "answered 20 May 2025" in texts([news])[0]
        served.drop_file("corrected.json", corrected)
        served.scan_inbox_now()
        served.drop_file("corrected-again.json", corrected)
        served.drop_file("corrected-copy.json", corrected.replace(b'"results"', b'"results" '))
        served.scan_inbox_now()
        *_, correction = served.slack.received(POST, channel="CSEND")
        assert len(served.slack.received(POST, channel="CSEND")) == 3
        assert "Answer corrected" in texts([correction])[0] and "1,234 children" in texts([correction])[0]
        assert "the original said" in texts([correction])[0]
        assert correction.body["thread_ts"] == news.body["thread_ts"]
    with serving(tmp_path) as restarted:
        restarted.drop_file("corrected-later.json", corrected.replace(b'"results"', b'"results"  '))
        restarted.scan_inbox_now()
        assert restarted.slack.received(POST, channel="CSEND") == []
