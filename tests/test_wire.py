"""The results codec: bounded in both directions, and exact within its bounds."""

import pytest
import torch

from grader import wire


def test_values_up_to_the_limit_travel_and_come_back_equal():
    value = {"x": list(range(wire.MAX_ITEMS - 10)), "t": torch.arange(6.0).reshape(2, 3).T, "f": 0.1}
    back = wire.loads(wire.dumps(value))
    assert back["x"] == value["x"] and back["f"] == 0.1 and torch.equal(back["t"], value["t"])


@pytest.mark.parametrize(
    "value",
    [list(range(wire.MAX_ITEMS + 1)), tuple(range(wire.MAX_ITEMS)), {i: i for i in range(wire.MAX_ITEMS // 2 + 1)}, [[0] * 1000] * 201],
    ids=["a long list", "a long tuple at the limit with its own count", "a big dict", "many lists"],
)
def test_more_values_than_the_limit_are_refused_with_the_reason(value):
    with pytest.raises(wire.WireError, match=f"more than {wire.MAX_ITEMS} values"):
        wire.dumps(value)


def test_nesting_deeper_than_the_limit_arrives_as_an_opaque_value():
    deep = None
    for _ in range(10_000):
        deep = [deep]
    back = wire.loads(wire.dumps(deep))
    for _ in range(wire.MAX_DEPTH + 1):  # the levels up to the limit arrive as they were
        assert type(back) is list and len(back) == 1
        back = back[0]
    assert isinstance(back, wire.Opaque)
