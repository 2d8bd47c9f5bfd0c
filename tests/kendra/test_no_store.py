"""Pages of a signed-in person are not kept by the browser; signing out clears its cache."""

from django.urls import reverse


def test_every_signed_in_page_says_no_store(as_user, counselor, resident):
    client = as_user(counselor)
    for url in [
        reverse("home"),
        reverse("resident_detail", args=[resident.pk]),
        reverse("checkins:alerts"),
        reverse("notifications"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_signing_out_clears_the_browsers_cache(as_user, counselor):
    client = as_user(counselor)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    assert "no-store" in response["Cache-Control"]


def test_the_sign_in_page_is_not_marked_for_a_stranger(client, db):
    assert "Clear-Site-Data" not in client.get(reverse("login"))
