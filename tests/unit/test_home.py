"""`local_path`, which keeps the language switch and the login from sending people elsewhere."""
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerm.web import local_path


@pytest.mark.parametrize("target", [
    "//evil.example",
    "//evil.example/initiatives",
    "https://evil.example/",
    "http://evil.example/initiatives",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:someone@evil.example",
    "evil.example",
    "initiatives",
    "",
    "///evil.example",
])
def test_local_path_refuses_target_when_it_leaves_the_site(target):
    assert local_path(target) == "/"


@pytest.mark.parametrize("target", [
    "/",
    "/initiatives",
    "/initiatives?city=Amersfoort&need=money",
    "/initiatives?city=Den%20Haag",
    "/initiatives/edasu#needs",
    "/initiatives/coöperatie",
])
def test_local_path_keeps_path_when_it_stays_on_the_site(target):
    assert local_path(target) == target


@given(st.text(max_size=40) | st.from_regex(r"\A[ /\\a-z:.]{0,12}\Z"))
def test_local_path_never_names_a_host_when_given_anything(target):
    path = local_path(target)
    parts = urlsplit(path)
    assert parts.scheme == "" and parts.netloc == ""
    assert path in ("/", target), "a target is kept whole or replaced by the home page"


def test_local_path_refuses_backslash_when_browsers_read_it_as_a_host():
    assert local_path("/\\evil.example") == "/"


@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: a=b", "/initiatives\n", "/\x00",
                                    " /initiatives", "\t/initiatives"])
def test_local_path_refuses_control_characters_when_target_holds_them(target):
    assert local_path(target) == "/"
