"""What makes a password acceptable (NIST SP 800-63B): long enough, not too long, not one of
the passwords everybody uses, not a pattern and not the app's or the person's own words."""
import pytest

from peerm.accounts import services
from peerm.accounts.demo import DEMO_PASSWORD
from peerm.accounts.services import AccountError, check_password


@pytest.mark.parametrize("password, code", [
    ("kort", "password_short"),
    ("x" * (services.PASSWORD_MAX + 1), "password_long"),
    (" " * 12, "password_simple"),
    ("\t \t \t \t \t ", "password_simple"),
    ("aaaaaaaaaaaa", "password_simple"),
    ("ababababababab", "password_simple"),
    ("1234567890", "password_simple"),
    ("0987654321", "password_simple"),
    ("abcdefghijkl", "password_simple"),
    ("qwertyuiop", "password_simple"),
    ("qwerty123456", "password_simple"),
    ("hallohallohallo", "password_simple"),
    ("basketball", "password_common"),
    ("Password123!", "password_common"),
    ("1password2024", "password_common"),
    ("Wachtwoord2024", "password_common"),
    (DEMO_PASSWORD, "password_personal"),
    ("Peerm-Demo-2024", "password_personal"),
    ("peerm12345678", "password_personal"),
    ("initiatief2026", "password_personal"),
])
def test_weak_passwords_are_refused(password, code):
    with pytest.raises(AccountError) as error:
        check_password(password)
    assert error.value.code == code


@pytest.mark.parametrize("password", ["nadia@example.org", "Nadia Bakker", "nadiabakker1990",
                                      "NADIA-2024-2024"])
def test_the_persons_own_name_and_address_are_refused(password):
    with pytest.raises(AccountError) as error:
        check_password(password, personal=("Nadia Bakker", "nadia@example.org", "Nadia"))
    assert error.value.code == "password_personal"


@pytest.mark.parametrize("password", [
    "een lang wachtwoord dat klopt", "fiets-onder-de-brug", "tulpen in de vensterbank",
    "Zeven koeien 7x", "ÄÖÜ€ à la carte", "  twee spaties vooraan  ",
])
def test_good_passwords_of_any_composition_are_taken_as_typed(password):
    # Taken as typed: no trimming, no change of case.
    assert check_password(password) == password


def test_the_list_of_common_passwords_is_the_shipped_one():
    common = services.common_passwords()
    assert len(common) >= 10_000
    assert {"password", "123456", "qwerty", "iloveyou", "wachtwoord"} <= common
