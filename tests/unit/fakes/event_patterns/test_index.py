from __future__ import annotations

from eventproof_fakes.event_patterns import PatternIndex, compile_pattern


def event(source: str, **detail: object) -> dict[str, object]:
    return {"source": source, "detail-type": "T", "detail": detail}


def test_the_index_returns_exactly_the_matching_keys_in_insertion_order() -> None:
    index: PatternIndex[str] = PatternIndex()
    index.add("shop", compile_pattern({"source": ["shop"]}))
    index.add("any-big", compile_pattern({"detail": {"n": [{"numeric": [">", 10]}]}}))
    index.add("shop-or-bank", compile_pattern({"source": ["bank", "shop"], "detail": {"n": [50]}}))
    assert index.matching(event("shop", n=50)) == ["shop", "any-big", "shop-or-bank"]
    assert index.matching(event("bank", n=50)) == ["any-big", "shop-or-bank"]
    assert index.matching(event("bank", n=1)) == []


def test_removed_and_replaced_patterns_stop_matching() -> None:
    index: PatternIndex[str] = PatternIndex()
    index.add("r", compile_pattern({"source": ["shop"]}))
    index.add("r", compile_pattern({"source": ["bank"]}))
    assert index.matching(event("shop")) == []
    assert index.matching(event("bank")) == ["r"]
    index.remove("r")
    assert index.matching(event("bank")) == [] and len(index) == 0


def test_or_branches_are_filed_under_every_branch_value() -> None:
    index: PatternIndex[str] = PatternIndex()
    pattern = {"$or": [{"source": ["a"]}, {"source": ["b"], "detail": {"x": [1]}}]}
    index.add("r", compile_pattern(pattern))
    assert index.matching(event("a")) == ["r"]
    assert index.matching(event("b", x=1)) == ["r"]
    assert index.matching(event("b", x=2)) == []


def test_index_agrees_with_matching_each_pattern_alone() -> None:
    patterns = [
        {"source": [f"s{i % 7}"], "detail": {"n": [{"numeric": [">", i]}]}} for i in range(40)
    ] + [{"detail": {"n": [{"exists": True}]}}, {"detail-type": [{"prefix": "T"}]}]
    index: PatternIndex[int] = PatternIndex()
    compiled = [compile_pattern(p) for p in patterns]
    for key, pattern in enumerate(compiled):
        index.add(key, pattern)
    for i in range(30):
        probe = event(f"s{i % 9}", n=i)
        assert index.matching(probe) == [k for k, p in enumerate(compiled) if p.matches(probe)]
