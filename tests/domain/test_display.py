def test_counts_read_as_english() -> None:
    from app.domain.text import counted

    assert [counted(n, "session") for n in (0, 1, 2)] == ["0 sessions", "1 session", "2 sessions"]
