def f(x):
    if x:
        return [y for y in x if y]
    return {"a": (1, 2.5, None)}
