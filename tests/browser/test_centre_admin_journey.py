"""The centre admin keeps the staff in Kendra: invites a counselor (who accepts on a phone
and signs in), then deactivates a mentor, whose mentee goes back to the peer leader's queue
and whose open session ends at once."""

import re
from urllib.parse import quote

from kendra.notify.models import Notification
from mentors.models import Pairing

from .conftest import DESKTOP, PHONE, screenshot, sign_in


def test_the_centre_admin_invites_a_counselor_and_deactivates_a_mentor(demo, new_page):
    # The mentor is at work on their own phone while the admin makes the change.
    mentor_page = new_page(viewport=PHONE)
    sign_in(mentor_page, "mentor")
    mentee = (
        Pairing.objects.filter(
            mentor__user__username="mentor", ended_at__isnull=True, mentee__status="admitted"
        )
        .select_related("mentee")
        .first()
        .mentee
    )

    admin = new_page(viewport=DESKTOP)
    sign_in(admin, "admin")
    admin.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Staff and settings"
    ).click()
    admin.get_by_role("link", name="Invite a person").click()
    admin.get_by_label("Their name").fill("Farah Khan")
    admin.get_by_label("Role").select_option("counselor")
    admin.get_by_label("Mobile number").fill("98290 55555")
    admin.get_by_role("radio", name="SMS").check()
    admin.get_by_role("button", name="Send the invitation").click()
    admin.get_by_text("Invitation sent to Farah Khan").wait_for()
    assert admin.get_by_text("Invitations waiting for an answer").is_visible()
    screenshot(admin, "staff-list-desktop")

    # The counselor opens the link from the SMS on a phone and chooses a password.
    message = Notification.objects.get(kind="staff_invitation")
    link = re.search(r"https?://\S+", message.body).group(0)
    phone = new_page(viewport=PHONE)
    phone.goto(link)
    phone.get_by_role("heading", name="Set up your account").wait_for()
    phone.get_by_label("Username").fill("farah")
    phone.get_by_label("Choose a password").fill("chai-at-seven-daily")
    phone.get_by_label("Type the password again").fill("chai-at-seven-daily")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "staff-accept-phone")
    phone.get_by_role("button", name="Create my account").click()
    phone.get_by_text("Your account is ready").wait_for()
    sign_in(phone, "farah", "chai-at-seven-daily")
    phone.get_by_role("main").get_by_role(
        "link", name="Check-in grid", exact=True
    ).wait_for()  # counselor

    # The admin deactivates the mentor, after a confirmation that says what follows.
    admin.goto("/staff/?q=mentor")
    admin.get_by_role("link", name="Deactivate Suresh Kumar").click()
    admin.get_by_text("back to the queue of unpaired residents").wait_for()
    admin.get_by_label("Why are they leaving?").fill("Moved to Delhi")
    screenshot(admin, "staff-deactivate-desktop")
    admin.get_by_role("button", name="Yes, deactivate").click()
    admin.get_by_text("Suresh Kumar is no longer on the staff").wait_for()

    # The mentee waits in the peer leader's queue again.
    leader = new_page(viewport=DESKTOP)
    sign_in(leader, "peerleader")
    leader.goto(f"/mentors/queue/?q={quote(mentee.full_name)}")
    assert leader.get_by_role("main").get_by_text(mentee.display_name).first.is_visible()

    # The former mentor's next click finds them signed out.
    mentor_page.goto("/mentors/mine/")
    mentor_page.wait_for_url(re.compile(r"/login/"))
    assert mentee.display_name not in mentor_page.content()
