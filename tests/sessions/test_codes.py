"""Access codes and invigilator passwords: formats, and never the same twice."""

import random
import re

import pytest

from sessions.codes import (
    CodeSpaceExhaustedError,
    access_code_generate,
    invigilator_password_generate,
)
from sessions.models import Session
from sessions.services import session_create
from tests.factories import SessionFactory

ACCESS_CODE = re.compile(r"^[BCDFGHJKMPQRTVWXY]{4}[2346789]{2}$")
PASSWORD = re.compile(r"^[abcdefghjkmnpqrstuvwxyz23456789]{6}$")


def test_access_codes_are_four_letters_and_two_digits_without_look_alikes():
    codes = {access_code_generate(is_taken=lambda code: False) for _ in range(500)}
    assert all(ACCESS_CODE.match(code) for code in codes)
    assert len(codes) > 490


def test_invigilator_passwords_are_six_unambiguous_characters():
    passwords = [invigilator_password_generate(is_taken=lambda code: False) for _ in range(500)]
    assert all(PASSWORD.match(password) for password in passwords)
    assert not any(set(password) & set("01ilo") for password in passwords)


def test_a_taken_code_is_drawn_again():
    first = access_code_generate(is_taken=lambda code: False, rng=random.Random(7))
    second = access_code_generate(is_taken=lambda code: code == first, rng=random.Random(7))
    assert second != first and ACCESS_CODE.match(second)


def test_it_gives_up_when_every_code_is_taken():
    with pytest.raises(CodeSpaceExhaustedError):
        access_code_generate(is_taken=lambda code: True)


def _create(school, rng):
    return session_create(
        organization=school,
        address="Bâtiment A",
        room=f"Salle {rng.random()}",
        date=SessionFactory.build().date,
        time=SessionFactory.build().time,
        examiner="Mme Durand",
        rng=rng,
    )


def test_a_new_session_never_reuses_another_schools_access_code(school, other_school):
    rng = random.Random(2026)
    # The password is drawn first: replay the same draws to learn the first access code.
    replay = random.Random(2026)
    invigilator_password_generate(is_taken=lambda c: False, rng=replay)
    expected_first_code = access_code_generate(is_taken=lambda c: False, rng=replay)
    SessionFactory(organization=other_school, access_code=expected_first_code)

    session = _create(school, rng)

    assert session.access_code != expected_first_code
    assert ACCESS_CODE.match(session.access_code)
    assert Session.objects.filter(access_code=session.access_code).count() == 1


def test_two_open_sessions_of_a_school_never_share_an_invigilator_password(school):
    replay = random.Random(99)
    first_password = invigilator_password_generate(is_taken=lambda c: False, rng=replay)
    SessionFactory(organization=school, invigilator_password=first_password)

    session = _create(school, random.Random(99))

    assert session.invigilator_password != first_password
    assert PASSWORD.match(session.invigilator_password)
