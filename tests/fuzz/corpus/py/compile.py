n = 3
f = lambda x: x * x % 3 == 0 and -x or +x if 1 < x < n else (x, [x], x[0])
def g(a, b=2):
    t = 0
    for i in range(a):
        if i % 2:
            continue
        t += i // b
        while t > 10:
            t -= 1
            break
    s = 'a,b'.split(',')[1].upper()
    return lambda y: y + t + len(s) + undefined
h = g(4)(1)
