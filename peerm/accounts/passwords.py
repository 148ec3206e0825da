"""What makes a chosen password too easy to guess, after NIST SP 800-63B: no composition
rules, only a refusal of what guessers try first. A password is taken exactly as typed (no
trimming, no change of case); only these checks look at a simplified copy of it.

`common-passwords.txt`, next to this module, is SecLists' `10k-most-common.txt` (Daniel
Miessler and contributors, MIT licence: github.com/danielmiessler/SecLists,
Passwords/Common-Credentials), unchanged: the 10,000 passwords found most often in leaks.
Most of them are shorter than the least length Peer'M takes; they still count when they are
padded with digits or signs ("Password123!"). DUTCH_COMMON adds Dutch words that such
passwords are made of, written down by hand for this app (no public list of Dutch passwords
was at hand).
"""
import functools
import string
from pathlib import Path

COMMON_FILE = Path(__file__).with_name("common-passwords.txt")

DUTCH_COMMON = frozenset("""
wachtwoord welkom welkom01 geheim hallo hoi hallohallo liefde schatje lieverd prinses
voetbal ajax feyenoord psv oranje nederland holland amsterdam rotterdam utrecht denhaag
amersfoort eindhoven groningen zomer winter lente herfst kabouter konijn poesje hondje
snoopy beertje vakantie zonnetje wachtwoord1 welkomthuis computer internet gebruiker
beheerder beheer inloggen toegang letmein geheimpje familie kinderen mamapapa
""".split())

# Words of the app itself, which a guesser of a Peer'M password tries first.
APP_WORDS = ("peerm", "peer'm", "peerm-demo", "peerm demo", "initiatief", "initiatief.nu",
             "initiatiefnu", "cooperatie", "coöperatie", "buurt", "vrijwilliger")

# Rows of the keyboards used here (QWERTY and AZERTY), for "qwertyuiop"-like passwords.
KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop",
                 "qsdfghjklm", "wxcvbn")
# Signs and digits that are stripped from both ends to find the word a password is made of.
PADDING = string.digits + string.punctuation + string.whitespace
# Shorter names and words are not refused: a long password may well contain them.
LEAST_WORD = 3


@functools.cache
def common_passwords():
    """The shipped list of common passwords, lower case, with the Dutch additions."""
    words = COMMON_FILE.read_text(encoding="utf-8").split("\n")
    return frozenset(word.lower() for word in words if word) | DUTCH_COMMON


def weakness(password, personal=()):
    """Why the password is too easy to guess ('simple', 'personal' or 'common'), or None.

    `personal` holds the person's own words (their name and e-mail address).
    """
    if _is_simple(password):
        return "simple"
    lowered = password.lower()
    core = lowered.strip(PADDING)
    shapes = {lowered, core, _squeezed(lowered), _squeezed(core)} - {""}
    own = {_squeezed(word.lower()) for word in _own_words(personal)}
    if shapes & (own | {_squeezed(word) for word in APP_WORDS}):
        return "personal"
    if shapes & common_passwords():
        return "common"
    return None


def _own_words(personal):
    for value in personal:
        value = (value or "").strip()
        if not value:
            continue
        yield value
        if "@" in value:
            yield value.split("@", 1)[0]
        yield from value.split()


def _squeezed(text):
    """Letters and digits alone: "Peerm-Demo 2024" becomes "peermdemo2024"."""
    return "".join(ch for ch in text if ch.isalnum()) if len(text) >= LEAST_WORD else ""


def _is_simple(password):
    """Only white space, one short piece repeated, or at most two runs along the alphabet, the
    digits or a keyboard row ("1111122222", "abcdefghij", "qwerty123456")."""
    if not password.strip():
        return True
    size = len(password)
    for unit in range(1, size // 2 + 1):
        if (password[:unit] * (size // unit + 1))[:size] == password:
            return True
    lowered = password.lower()
    runs = 1 + sum(1 for a, b in zip(lowered, lowered[1:]) if not _next_to(a, b))
    return runs <= 2


def _next_to(a, b):
    """Whether b follows a in a run: the same sign, a neighbour in the alphabet or the digits
    (9 and 0 too), or a neighbour on a keyboard row."""
    if a == b or abs(ord(a) - ord(b)) == 1 or {a, b} == {"9", "0"}:
        return True
    return any(a + b in row or b + a in row for row in KEYBOARD_ROWS)

