"""The public sections' links: computed once per address prefix, not on every page."""

from django.urls import set_script_prefix

from portal.navigation import PUBLIC_SECTIONS, Section


def test_a_section_links_to_its_page():
    assert [section.url for section in PUBLIC_SECTIONS][:2] == ["/catalogs/", "/matters/"]


def test_a_section_link_follows_the_address_prefix():
    matters = PUBLIC_SECTIONS[1]
    assert matters.url == "/matters/"
    set_script_prefix("/portal/")
    try:
        assert matters.url == "/portal/matters/"
    finally:
        set_script_prefix("/")
    assert matters.url == "/matters/"


def test_a_section_whose_page_does_not_exist_has_no_link():
    assert Section("即将开放的栏目", "nowhere:index", "").url is None
