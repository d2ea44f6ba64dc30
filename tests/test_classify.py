"""Classification: known bounds, ties, too few values, user breaks, and invariants."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas.errors import OptionError
from atlas.render.classify import (
    NO_CLASS,
    PALETTES,
    classify,
    classify_diverging,
    diverging_colours,
    palette_colours,
    parse_breaks,
)


def test_quantiles_of_one_to_ten():
    result = classify(list(range(1, 11)), "quantiles", 5)
    assert result.bins == pytest.approx((2.8, 4.6, 6.4, 8.2, 10.0))
    assert result.classes.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert result.note is None


def test_equal_interval_bounds():
    result = classify([0, 10, 20, 30, 40, 50, 60, 70, 80, 100], "equal_interval", 4)
    assert result.bins == pytest.approx((25, 50, 75, 100))
    assert result.lower == 0


def test_fisher_jenks_separates_clear_groups():
    values = [1, 2, 3, 50, 51, 52, 100, 101, 102]
    result = classify(values, "fisher_jenks", 3)
    assert result.bins == pytest.approx((3, 52, 102))


def test_no_data_gets_no_class():
    result = classify([1.0, float("nan"), None, 3.0, 2.0, 4.0], "quantiles", 2)
    assert result.classes[1] == NO_CLASS and result.classes[2] == NO_CLASS


def test_too_few_distinct_values_falls_back_and_says_so():
    result = classify([0, 0, 0, 5, None], "quantiles", 5)
    assert result.bins == (0.0, 5.0)
    assert result.note == ("note.few_values", {"n": 2, "k": 5})


def test_heavy_ties_do_not_crash():
    values = [0] * 50 + [1] * 30 + [7, 8, 9]
    for scheme in ("quantiles", "fisher_jenks", "equal_interval"):
        result = classify(values, scheme, 5)
        assert 1 <= result.k <= 5
        assert set(result.classes) <= set(range(result.k))


def test_all_missing():
    result = classify([None, float("nan")], "quantiles", 5)
    assert result.k == 0 and result.note == ("note.no_values", {})
    assert (result.classes == NO_CLASS).all()


def test_user_defined_breaks():
    result = classify([5, 20, 60, 150], "user_defined", 5, breaks=[10, 50, 100])
    assert result.bins == (10, 50, 100, 150)
    assert result.classes.tolist() == [0, 1, 2, 3]


def test_user_defined_without_breaks_uses_quantiles():
    result = classify(list(range(10)), "user_defined", 2, breaks=None)
    assert result.note[0] == "note.no_breaks" and result.k == 2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"scheme": "jenks"}, "unknown classification 'jenks'"),
        ({"k": 0}, "the number of classes must be a whole number"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        classify([1, 2, 3], **kwargs)


def test_parse_breaks():
    assert parse_breaks(" 100; 10, 50 ") == (10, 50, 100)
    assert parse_breaks("") == ()
    with pytest.raises(OptionError, match="numbers separated by commas"):
        parse_breaks("10, lima")


@pytest.mark.parametrize("palette", sorted(PALETTES))
def test_palettes_give_k_distinct_colours(palette):
    colours = palette_colours(palette, 7)
    assert len(set(colours)) == 7 and all(c.startswith("#") for c in colours)


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False)), min_size=1, max_size=80),
    scheme=st.sampled_from(["quantiles", "fisher_jenks", "equal_interval"]),
    k=st.integers(1, 9),
)
def test_every_value_lies_within_its_class(values, scheme, k):
    result = classify(values, scheme, k)
    assert result.k <= max(k, 1)
    assert list(result.bins) == sorted(set(result.bins))
    for value, cls in zip(values, result.classes):
        if value is None:
            assert cls == NO_CLASS
            continue
        low, high = result.bounds()[cls]
        assert value <= high or math.isclose(value, high)
        assert cls == 0 or value > low or math.isclose(value, low)
    assert np.isin(result.classes, [NO_CLASS, *range(result.k)]).all()


def test_user_breaks_outside_the_data_are_reported_not_turned_into_impossible_classes():
    values = [21, 30, 45, 80, 120, 300]  # hand-made: minimum 21, maximum 300
    result = classify(values, "user_defined", 5, breaks=[10, 50, 100, 400])
    assert result.bounds() == [(21, 50), (50, 100), (100, 300)]
    assert all(low <= high for low, high in result.bounds())
    assert result.note == ("note.breaks_outside", {"breaks": "10, 400", "low": "21", "high": "300"})
    assert list(result.classes) == [0, 0, 0, 1, 2, 2]


@pytest.mark.parametrize("text", ["nan, 5", "inf", "1, -inf"])
def test_breaks_must_be_finite(text):
    with pytest.raises(OptionError, match="finite numbers"):
        parse_breaks(text)


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=60), st.integers(3, 9))
def test_diverging_classes_never_straddle_zero(values, k):
    result = classify_diverging(values, k)
    data = np.asarray(values, dtype=float)
    classes = np.asarray(result.classes)
    neutral = result.neutral
    # the neutral class holds exactly the zeros; falls below it, rises above it
    assert set(data[classes == neutral]) <= {0.0} and (classes[data == 0] == neutral).all()
    assert (classes[data < 0] < neutral).all() and (classes[data > 0] > neutral).all()
    for low, high in result.bounds():
        assert not (low < 0 < high)
    assert result.k <= k


def test_diverging_colours_put_white_on_no_change():
    result = classify_diverging([-6, -2, 0, 1, 5, 9], 5)
    colours = diverging_colours(result)
    assert colours[result.neutral] == "#f7f7f7" and len(colours) == result.k
