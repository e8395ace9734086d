"""The fuzz suite's size, checked where it can be: after the whole suite ran (the files of
tests/fuzz run in order: test_forms, test_http, then this one)."""

import pytest

from tests.fuzz.conftest import CASES

PLANNED_AT_LEAST = 10_000


def test_the_whole_fuzz_suite_throws_at_least_ten_thousand_cases(request):
    fuzz_tests = [
        item
        for item in request.session.items
        if item.nodeid.startswith("tests/fuzz/") and item.name.startswith("test_fuzz_")
    ]
    selected = {item.nodeid.split("::")[0] for item in fuzz_tests}
    if selected != {"tests/fuzz/test_forms.py", "tests/fuzz/test_http.py"} or any(
        "[" not in item.name for item in fuzz_tests
    ):
        pytest.skip("counted only when the whole fuzz suite runs")
    from tests.fuzz import test_forms, test_http

    complete = len(fuzz_tests) == len(test_forms.CLASSES) + len(test_http.GET_PAGES) + len(
        test_http.POST_FORMS
    )
    if not complete:
        pytest.skip("counted only when the whole fuzz suite runs (some of it was deselected)")
    print(f"fuzz: {sum(CASES.values())} generated cases: {dict(CASES)}")
    assert sum(CASES.values()) >= PLANNED_AT_LEAST
