"""Ending a pairing keeps its history (kendra.history.update, not a bare update())."""

from mentors import actions


def test_ending_a_pairing_keeps_its_history(pairing, counselor):
    actions.end_pairing(pairing, "completed", counselor, note="Going home")

    latest = pairing.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.ended_by) == (
        "~",
        counselor,
        counselor,
    )
    assert latest.ended_at is not None and latest.end_note == "Going home"
