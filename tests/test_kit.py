"""The checks' comparison kit: a failure shows the first differing value with
enough digits to see the difference."""

import pytest
import torch

from grader.checks import kit


def failure(check, *args, **kwargs) -> kit.CheckFailure:
    with pytest.raises(kit.CheckFailure) as caught:
        check(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("expected", "got", "texts"),
    [
        (1.5, 2.25, ("1.5", "2.25")),
        (1.78114302, 1.78114, ("1.781143", "1.78114")),
        (4.583670000001, 4.583670000002, ("4.583670000001", "4.583670000002")),
        (3, 4, ("3", "4")),
    ],
)
def test_differing_texts_tell_the_two_numbers_apart(expected, got, texts):
    shown = kit.differing_texts(expected, got)
    assert (shown["expected"], shown["got"]) == texts


def test_a_list_item_close_at_six_digits_shows_the_digits_that_differ():
    got = failure(kit.numbers, [1.0, 2.0000021], [1.0, 2.0000003], "losses")
    assert got.key == "wrong_item"
    assert (got.params["index"], got.params["expected"], got.params["got"]) == (1, "2", "2.000002")


def test_a_tensor_element_close_at_six_digits_shows_the_digits_that_differ():
    want = torch.tensor([0.5, 7.123456789], dtype=torch.float64)
    got = failure(kit.tensor, want + torch.tensor([0.0, 2e-6], dtype=torch.float64), want, "a")
    assert got.key == "wrong_values"
    assert (got.params["index"], got.params["expected"], got.params["got"]) == ("[1]", "7.123457", "7.123459")


def test_a_number_reports_digits_that_differ():
    got = failure(kit.number, 0.1 + 3e-7, 0.1, "loss")
    assert (got.params["expected"], got.params["got"]) == ("0.1", "0.1000003")


def test_shaped_like_looks_at_shape_and_dtype_but_not_values():
    want = torch.zeros(3, dtype=torch.float64)
    kit.shaped_like(torch.ones(3, dtype=torch.float64), want, "a")
    assert failure(kit.shaped_like, torch.ones(3), want, "a").key == "wrong_dtype"
    assert failure(kit.shaped_like, torch.ones(4, dtype=torch.float64), want, "a").key == "wrong_shape"
    kit.shaped_like(torch.ones(3), want, "a", check_dtype=False)
