"""Values a person or a client sends are stored as given or refused with a message: amounts are
not rounded or clipped, "1,5" is not 15, e-mails fit their column, a long file name keeps its
extension. Web form, JSON API and Open311 share one check (core.validators, via the intake)."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qualitymonth.complaints.models import Complaint
from qualitymonth.complaints.services import complaint_submit
from qualitymonth.core.validators import (
    EMAIL_MAX_LENGTH,
    client_int,
    fit_filename,
    parse_amount,
    validate_email_address,
)
from tests.complaints.conftest import complaint_data, png_upload
from tests.complaints.test_api import BODY
from tests.complaints.test_open311_endpoints import api_key, form  # noqa: F401 (fixture)
from tests.complaints.test_views import FORM

# 312 characters that Django's own validate_email accepts: a 64-character local part and a
# domain of four 60-character labels.
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"
EMAIL_254 = "a" * 64 + "@" + ".".join(["b" * 60, "b" * 60, "b" * 60]) + "." + "c" * 2 + ".com"


# --- the shared validators -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("399", Decimal("399.00")),
        ("35.5", Decimal("35.50")),
        ("35.500", Decimal("35.50")),  # the same amount: nothing is lost
        (" 1,299.50 ", Decimal("1299.50")),
        ("1，299", Decimal("1299.00")),
        ("12,345,678", Decimal("12345678.00")),
        ("1000000000", Decimal("1000000000.00")),
        (Decimal("0.01"), Decimal("0.01")),
        ("", None),
        (None, None),
    ],
)
def test_an_amount_is_stored_exactly_as_typed(typed, stored):
    assert parse_amount(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("0.001", "two decimal places"),
        ("999999999.999", "two decimal places"),
        ("1000000000.01", "at most 1,000,000,000"),
        ("1e400", "at most 1,000,000,000"),
        ("1,5", "e.g. 1299"),
        ("1,50", "e.g. 1299"),
        ("12,34,567", "e.g. 1299"),
        ("-5", "negative"),
        ("NaN", "e.g. 1299"),
        ("Infinity", "e.g. 1299"),
        ("三百", "e.g. 1299"),
    ],
)
def test_an_amount_that_cannot_be_stored_as_typed_is_refused(typed, says):
    with pytest.raises(ValidationError) as refused:
        parse_amount(typed)
    assert says in refused.value.messages[0]


def test_an_email_is_at_most_254_characters():
    assert len(EMAIL_254) == EMAIL_MAX_LENGTH
    validate_email_address(EMAIL_254)
    for too_long in (EMAIL_254.replace("@", "a@"), LONG_EMAIL):
        with pytest.raises(ValidationError, match="at most 254 characters"):
            validate_email_address(too_long)
    with pytest.raises(ValidationError, match="valid e-mail"):
        validate_email_address("not-an-address")


def test_a_long_file_name_is_shortened_keeping_its_extension():
    name = "照" * 300 + ".JPG"
    fitted = fit_filename(name, 200)
    assert len(fitted) == 200 and fitted.endswith("….JPG") and fitted.startswith("照照")
    assert fit_filename("receipt.pdf", 200) == "receipt.pdf"
    assert fit_filename("../../etc/passwd.png", 200) == "passwd.png"
    assert len(fit_filename("x" * 300, 200)) == 200
    assert fit_filename("", 200) == "file"


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        ("42", 42),
        (" 7 ", 7),
        ("-3", -3),
        ("99999999999999999999", None),
        ("9223372036854775807", 9223372036854775807),
        ("9223372036854775808", None),
        ("²", None),
        ("١٢", None),
        ("1e3", None),
        ("", None),
        (None, None),
        ("9" * 5000, None),
    ],
)
def test_a_client_integer_is_range_checked(sent, read):
    assert client_int(sent) == read


def test_a_client_integer_outside_the_callers_range_gives_the_default():
    assert client_int("400", default=30, low=7, high=365) == 30
    assert client_int("90", default=30, low=7, high=365) == 90


# --- the three channels --------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["0.001", "999999999.999", "1,5", "1000000000.01"])
def test_the_web_form_refuses_an_amount_it_would_change(client, region, route, amount):
    response = client.post(reverse("complaints:new"), {**FORM, "amount": amount})
    html = response.content.decode()
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert "has-error" in html
    assert f'value="{amount}"' in html  # what was typed stays in the field


@pytest.mark.django_db
def test_the_web_form_reads_thousands_separators(client, region, route):
    response = client.post(reverse("complaints:new"), {**FORM, "amount": "1,299.50"})
    assert response.status_code == 302
    assert Complaint.objects.get().amount == Decimal("1299.50")


@pytest.mark.django_db
def test_the_web_form_refuses_an_email_longer_than_its_column(client, region, route):
    response = client.post(reverse("complaints:new"), {**FORM, "complainant_email": LONG_EMAIL})
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert "has-error" in response.content.decode()
    assert f'maxlength="{EMAIL_MAX_LENGTH}"' in response.content.decode()


def _api(client, **overrides):
    return client.post(
        "/api/complaints", json.dumps({**BODY, **overrides}), content_type="application/json"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [0.001, "0.001", 999999999.999, "1,5", "1e400"])
def test_the_api_refuses_an_amount_it_would_change(client, region, route, amount):
    response = _api(client, amount=amount)
    assert response.status_code == 400, response.content
    assert "amount" in response.json()["errors"]
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_the_api_stores_an_amount_as_given(client, region, route):
    assert _api(client, amount=35.5).status_code == 201
    assert _api(client, amount="1,299.50").status_code == 201
    assert sorted(Complaint.objects.values_list("amount", flat=True)) == [
        Decimal("35.50"),
        Decimal("1299.50"),
    ]


@pytest.mark.django_db
def test_the_api_refuses_a_long_email(client, region, route):
    assert _api(client, complainant_email=LONG_EMAIL).status_code in (400, 422)
    assert not Complaint.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("attribute[amount]", "1,5", "attribute[amount]"),
        ("attribute[amount]", "0.001", "attribute[amount]"),
        ("attribute[amount]", "999999999.999", "attribute[amount]"),
        ("email", LONG_EMAIL, "email"),
        ("lat", "24,5120", "lat"),
    ],
)
def test_open311_refuses_what_it_would_change(client, region, route, api_key, field, value, named):  # noqa: F811
    response = client.post("/open311/v2/requests.json", form(**{field: value}))
    assert response.status_code == 400, response.content
    assert any(error["description"].startswith(named) for error in response.json())
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_open311_stores_an_amount_as_given(client, region, route, api_key):  # noqa: F811
    response = client.post("/open311/v2/requests.json", form(**{"attribute[amount]": "1,299.5"}))
    assert response.status_code == 200, response.content
    assert Complaint.objects.get().amount == Decimal("1299.50")


@pytest.mark.django_db
def test_a_long_attachment_name_keeps_its_extension(region, route):
    case = complaint_submit(
        data=complaint_data(attachments=[png_upload("截图" * 150 + ".png")]), region=region
    )
    name = case.attachments.get().original_name
    assert len(name) <= 200 and name.endswith(".png")


# --- integers from a client: range-checked before any query ----------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("days", ["²", "99999999999999999999", "-5", "abc"])
def test_the_hotspots_page_ignores_a_days_value_it_cannot_use(office_client, region, days):
    assert (
        office_client.get(reverse("office_complaints:hotspots"), {"days": days}).status_code == 200
    )


@pytest.mark.django_db
@pytest.mark.parametrize("template", ["²", "99999999999999999999", "x"])
def test_a_case_page_ignores_a_template_id_it_cannot_use(staff_client, case, template):
    response = staff_client.get(
        reverse("office_complaints:case", args=[case.tracking_number]),
        {"step": "accept", "template": template},
    )
    assert response.status_code == 200
