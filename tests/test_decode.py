"""Page bytes decoded by what they are when the declared charset is wrong (beautifulsoup4's detection)."""

from __future__ import annotations

import pytest
from faultserver import article_html

from pipelines import extract_article
from pipelines.page import decode_html

TITLE = "Kafé Kopi Baduy Raih Penghargaan “Terbaik” – Jum’at Pagi"


@pytest.mark.parametrize("header", ["text/html; charset=utf-8", "text/html", ""])
def test_windows_1252_declared_utf8_or_nothing(header):
    html = article_html("x", TITLE)
    text = decode_html(html.encode("cp1252"), header)
    assert TITLE in text and "\ufffd" not in text


def test_utf8_with_a_pasted_windows_1252_byte_is_mended():
    html = article_html("x", TITLE).encode("utf-8").replace("Kafé".encode(), "Kafé".encode("cp1252"))
    text = decode_html(html, "text/html; charset=utf-8")
    assert TITLE in text and "\ufffd" not in text


@pytest.mark.parametrize("lang", ['<html lang="ru">', "<html>"])
def test_a_cyrillic_page_declared_utf8(lang):
    news = "Правительство области провело совещание по подготовке к зиме и отопительному сезону."
    html = f"{lang}<head><meta charset='utf-8'></head><body><p>{news}</p></body></html>"
    assert news in decode_html(html.encode("cp1251"), "text/html; charset=utf-8")


def test_a_true_declaration_still_wins():
    assert decode_html("Jum’at".encode("cp1252"), "text/html; charset=windows-1252") == "Jum’at"
    assert decode_html("Jum’at".encode(), "text/html; charset=iso-8859-1") == "Jum’at"


def test_the_article_is_extracted_without_replacement_characters():
    url = "https://faults.example/berita/x.html"
    article = extract_article(article_html("x", TITLE).encode("cp1252"), url)
    assert article.title == TITLE
    assert "\ufffd" not in article.body
