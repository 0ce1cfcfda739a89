"""Analytics rules: folding events into facts, rolling facts up, computing reports.

Plain Python with no I/O: every function here is a pure function of its inputs,
which is what makes the read models idempotent, order-tolerant and rebuildable.
"""
