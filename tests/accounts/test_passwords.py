import re

from django.conf import settings
from django.contrib.auth.hashers import get_hasher, identify_hasher, make_password

from accounts.passwords import one_time_password_generate
from student_accounts.identifiants import identifiant_generate, identifiant_part


def test_passwords_are_hashed_with_argon2id_at_owasp_minimum_or_above():
    hasher = get_hasher("default")
    assert settings.PASSWORD_HASHERS[0] == "accounts.hashers.OwaspArgon2idPasswordHasher"
    assert hasher.memory_cost >= 19 * 1024 and hasher.time_cost >= 2 and hasher.parallelism >= 1
    encoded = make_password("Secret-123")
    assert encoded.startswith("argon2$argon2id$")
    assert "m=19456,t=2,p=1" in encoded
    assert identify_hasher(encoded).algorithm == "argon2"


def test_one_time_passwords_have_six_unambiguous_letters_and_two_digits():
    passwords = {one_time_password_generate() for _ in range(500)}
    assert len(passwords) == 500
    for password in passwords:
        assert re.fullmatch(r"[a-hjkmnp-z]{6}[0-9]{2}", password), password


def test_identifiants_are_transliterated_and_use_the_birth_day_and_month():
    from datetime import date

    assert identifiant_part("Jean-Baptiste") == "jeanbaptiste"
    assert identifiant_part("Bœuf") == "boeuf"
    assert identifiant_part("N'Diaye") == "ndiaye"
    assert identifiant_generate(
        first_name="Jean-Baptiste",
        last_name="Lefèvre",
        birthdate=date(2011, 3, 1),
        is_taken=lambda _: False,
    ) == ("jeanbaptiste.lefevre0103")


def test_a_taken_identifiant_gets_four_random_digits_instead():
    from datetime import date

    taken = {"lea.martin0103"}
    result = identifiant_generate(
        first_name="Léa",
        last_name="Martin",
        birthdate=date(2011, 3, 1),
        is_taken=taken.__contains__,
    )
    assert re.fullmatch(r"lea\.martin\d{4}", result) and result != "lea.martin0103"


def test_identifiants_spell_out_ligatures_and_drop_apostrophes_hyphens_and_spaces():
    from datetime import date

    def generate(first_name, last_name):
        return identifiant_generate(
            first_name=first_name,
            last_name=last_name,
            birthdate=date(2012, 12, 25),
            is_taken=lambda _: False,
        )

    assert generate("Œdipe", "STRAUß") == "oedipe.strauss2512"
    assert generate("Ægir", "Cœurvolan") == "aegir.coeurvolan2512"
    assert generate("Marie Héloïse", "D'ARTAGNAN") == "marieheloise.dartagnan2512"
    assert generate("Anne-Sophie", "Le Gall-Saint Martin") == "annesophie.legallsaintmartin2512"
    assert generate("Zoë", "N’Diaye") == "zoe.ndiaye2512"
    assert generate("Łucja", "Øster") == "lucja.oster2512"


def test_identifiants_keep_drawing_until_one_is_free():
    from datetime import date

    taken = {"lea.martin0103", *(f"lea.martin{n:04d}" for n in range(0, 10_000, 2))}
    result = identifiant_generate(
        first_name="Léa",
        last_name="Martin",
        birthdate=date(2011, 3, 1),
        is_taken=taken.__contains__,
    )
    assert result not in taken and re.fullmatch(r"lea\.martin\d{4}", result)


def test_names_without_letters_never_give_an_identifiant_starting_with_a_dot():
    from datetime import date

    def generate(first_name, last_name):
        return identifiant_generate(
            first_name=first_name,
            last_name=last_name,
            birthdate=date(2011, 3, 1),
            is_taken=lambda _: False,
        )

    assert generate("-", "MARTIN") == "martin0103"
    assert generate("Léa", "' -") == "lea0103"
    assert generate("…", "’") == "eleve0103"


def test_identifiants_of_very_long_names_fit_their_column_and_stay_unique():
    from datetime import date

    from accounts.models import User

    width = User._meta.get_field("username").max_length
    chosen: set[str] = set()
    for _ in range(3):
        identifiant = identifiant_generate(
            first_name="Œ" * 150,  # ligatures double in length
            last_name="Wolfeschlegelsteinhausenbergerdorff" * 5,
            birthdate=date(2011, 3, 1),
            is_taken=chosen.__contains__,
        )
        assert len(identifiant) <= width and not identifiant.endswith(".")
        chosen.add(identifiant)
    assert len(chosen) == 3
