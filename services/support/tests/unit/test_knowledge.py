from support.domain.knowledge import index_article, rank, tokenize


def test_tokenizer_drops_stop_words_strips_suffixes_and_splits_chinese_into_bigrams() -> None:
    assert tokenize("How to reset the passwords") == ["reset", "password"]
    assert tokenize("重置密码") == ["重置", "置密", "密码"]


def test_title_match_ranks_above_a_body_mention() -> None:
    candidates = {
        "body-only": index_article("Account settings", "You can reset a password in settings.", []),
        "title": index_article("Reset your password", "Open the login page.", ["login"]),
        "unrelated": index_article("Invoices", "Download invoices as PDF.", ["billing"]),
    }
    ranked = rank("password reset", candidates, limit=10)
    assert [article_id for article_id, _ in ranked] == ["title", "body-only"]


def test_limit_and_empty_query() -> None:
    candidates = {str(n): index_article(f"Printer {n}", "printer offline", []) for n in range(5)}
    assert len(rank("printer", candidates, limit=3)) == 3
    assert rank("the a of", candidates, limit=3) == []
