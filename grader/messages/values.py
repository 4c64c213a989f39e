"""Kinds of value, as feedback names what came back: "a tensor of shape (3,) and dtype float32".

`grader.feedback.value_words` turns the English words of `grader.scenarios.describe`
into these; shapes, dtypes and type names stay code.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "value_tensor": {
        "en": "tensor of shape {a} and dtype {b}",
        "zh": "形状为 {a}、dtype 为 {b} 的张量",
    },
    "value_of_length": {
        "en": "{a} of length {b}",
        "zh": "长度为 {b} 的 `{a}`",
    },
    "value_list_of_floats": {
        "en": "list of floats",
        "zh": "浮点数列表",
    },
}
