"""The screen checker of the browser language tests, on hand-written screens: it must be able
to fail."""

from tests.browser.language import problems


def test_the_language_check_of_the_browser_tests_can_fail():
    """The screen checker (tests/browser/language.py) on hand-written screens."""
    assert problems("Pekerja: 6.224; rasio 25,3; kode 33.75.02.1004", "id") == []
    assert problems('Sumber: Dinas Perindustrian dan Tenaga Kerja, "Impact of Batik Sewage"', "en") == []
    assert len(problems("Rasio 25.3", "id")) == 1
    assert len(problems("Workers per producer: None", "en")) == 1
    assert len(problems("Sumber: Astuti 2016, cited in Wijaya", "id")) == 2  # "cited" and "in"
    assert problems("Jumlah pekerja: Workers per producer", "id")  # a label of the other language
