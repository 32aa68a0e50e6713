"""A double click on 报名 lands on the ticket; someone else's number never gives its ticket."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from qualitymonth.campaigns.models import Registration

pytestmark = pytest.mark.django_db


def _form_key(client: Client, activity) -> str:
    body = client.get(activity.get_absolute_url()).content.decode()
    return re.search(r'name="submission" value="([^"]+)"', body).group(1)


def _post(client: Client, activity, **extra):
    data = {"name": "王小红", "mobile": "138 0013 8000", **extra}
    return client.post(reverse("campaigns:register", args=[activity.pk]), data)


def test_two_identical_posts_both_end_on_the_ticket(client, activity):
    key = _form_key(client, activity)
    first = _post(client, activity, submission=key)
    second = _post(client, activity, submission=key)
    registration = Registration.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == registration.get_absolute_url()
    assert client.get(second.url).status_code == 200


def test_the_second_click_finds_the_ticket_before_its_session_cookie_arrived(client, activity):
    # A double click sends the second request with the cookies the first had: no ticket in the
    # session yet. The form's one-time key still leads to the ticket.
    key = _form_key(client, activity)
    cookies = client.cookies
    first = _post(client, activity, submission=key)
    second_click = Client()
    second_click.cookies = cookies
    second = _post(second_click, activity, submission=key)
    assert second.status_code == 302 and second.url == first.url
    assert Registration.objects.count() == 1


def test_the_same_browser_sending_the_form_again_lands_on_its_ticket(client, activity):
    first = _post(client, activity, submission=_form_key(client, activity))
    again = _post(client, activity, submission=_form_key(client, activity))
    assert again.status_code == 302 and again.url == first.url


def test_someone_else_with_the_same_number_gets_the_form_error_not_the_ticket(client, activity):
    first = _post(client, activity, submission=_form_key(client, activity))
    stranger = Client()
    response = _post(stranger, activity, submission=_form_key(stranger, activity))
    token = Registration.objects.get().token
    assert first.status_code == 302
    assert response.status_code == 400
    assert token not in response.content.decode()
    assert response.context["form"].errors["mobile"]


def test_a_guessed_form_key_does_not_give_the_ticket(client, activity):
    _post(client, activity, submission=_form_key(client, activity))
    response = _post(Client(), activity, submission="guessed-key")
    assert response.status_code == 400


def test_the_account_that_registered_lands_on_its_ticket(citizen_client, activity):
    first = _post(citizen_client, activity)
    session = citizen_client.session  # another browser of the same account: no ticket list
    session["qm_tickets"] = []
    session.save()
    again = _post(citizen_client, activity)
    assert again.status_code == 302 and again.url == first.url
