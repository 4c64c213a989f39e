"""Conditions: facts about the inputs under which a check found a problem.

A check attaches them with `kit.when("transposed", name="x")`; `grader.feedback`
puts them where each language wants them. Their fields are code (`x`,
`float32`, `(1, 3)`) or numbers, never English words.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "with_conditions": {
        "en": "{message} ({conditions}).",
        "zh": "{conditions}：{message}。",
    },
    "conditions_joiner": {
        "en": "; ",
        "zh": "，",
    },
    "cond_transposed": {
        "en": "when {name} is a transposed view",
        "zh": "当 {name} 是转置视图时",
    },
    "cond_strided": {
        "en": "when {name} is a strided view (every other row of a larger tensor)",
        "zh": "当 {name} 是跨步视图（取自更大张量的隔行）时",
    },
    "cond_expanded": {
        "en": "when {name} is an expanded view (expand(), not a copy)",
        "zh": "当 {name} 是 expand() 得到的视图（不是副本）时",
    },
    "cond_requires_grad": {
        "en": "when {name} requires grad",
        "zh": "当 {name} 的 requires_grad 为 True 时",
    },
    "cond_keywords": {
        "en": "when called with keyword arguments: {call}",
        "zh": "用关键字参数调用时：{call}",
    },
    "cond_positional": {
        "en": "when called with positional arguments only: {call}",
        "zh": "只用位置参数调用时：{call}",
    },
    "cond_defaults": {
        "en": "when called with the default arguments: {call}",
        "zh": "使用默认参数调用时：{call}",
    },
    "cond_dtype": {
        "en": "for {dtype} inputs",
        "zh": "输入为 {dtype} 时",
    },
    "cond_shape": {
        "en": "for {name} of shape {shape}",
        "zh": "当 {name} 的形状为 {shape} 时",
    },
    "cond_one_row": {
        "en": "when {name} has a single row",
        "zh": "当 {name} 只有一行时",
    },
    "cond_one_element": {
        "en": "when {name} has a single element",
        "zh": "当 {name} 只有一个元素时",
    },
    "cond_magnitude": {
        "en": "with {name} near {value}",
        "zh": "当 {name} 接近 {value} 时",
    },
    "cond_second_call": {
        "en": "on the second call",
        "zh": "第二次调用时",
    },
    "cond_repeated_calls": {
        "en": "when {call} is called {count} times",
        "zh": "{call} 被调用 {count} 次时",
    },
    "cond_two_instances": {
        "en": "with two {name} alive at once",
        "zh": "同时存在两个 {name} 时",
    },
    "cond_buffers": {
        "en": "for a model with buffers",
        "zh": "模型带有缓冲区（buffer）时",
    },
    "cond_zero_grads": {
        "en": "when every gradient is zero",
        "zh": "所有梯度都为零时",
    },
    "cond_none_grads": {
        "en": "when some parameters have no gradient ({name}.grad is None)",
        "zh": "部分参数没有梯度（{name}.grad 为 None）时",
    },
    "cond_generator": {
        "en": "with generator={generator}",
        "zh": "当 generator={generator} 时",
    },
    "cond_no_generator": {
        "en": "without a generator",
        "zh": "不传 generator 时",
    },
    "cond_partial": {
        "en": "when {name} is a functools.partial",
        "zh": "当 {name} 是 functools.partial 时",
    },
    "cond_callable_object": {
        "en": "when {name} is an object with __call__",
        "zh": "当 {name} 是带有 __call__ 的对象时",
    },
    "cond_lambda": {
        "en": "when {name} is a lambda",
        "zh": "当 {name} 是 lambda 函数时",
    },
    "cond_no_grad": {
        "en": "when called under torch.no_grad()",
        "zh": "在 torch.no_grad() 下调用时",
    },
    "cond_after_step": {
        "en": "after {call}",
        "zh": "调用 {call} 之后",
    },
    "cond_value": {
        "en": "with {name} = {value}",
        "zh": "当 {name} = {value} 时",
    },
}
