"""The one region where two versions of a text differ (their common prefix and suffix).

Shared by the server's document model (a whole-document change still re-parses
incrementally) and the engine's cache (declarations outside the region are taken over from
the previous analysis). Typing changes a few bytes of a file of hundreds of kilobytes, on
every keystroke, so the comparison works on fixed-size chunks (each a memcmp in C, with a
small copy) and only bisects inside the first chunk that differs; comparing whole halves
copied up to the whole file a dozen times.
"""

from __future__ import annotations

_CHUNK = 4096


def changed_region(old: bytes, new: bytes) -> tuple[int, int, int]:
    """(start, old end, new end): ``old[start:old_end]`` became ``new[start:new_end]`` and
    everything around it is the same in both."""
    limit = min(len(old), len(new))
    prefix = common_prefix_length(old, new, limit)
    suffix = common_suffix_length(old, new, limit - prefix)
    return prefix, len(old) - suffix, len(new) - suffix


def common_prefix_length(a: bytes, b: bytes, limit: int) -> int:
    """Length of the common prefix of ``a`` and ``b``, at most ``limit``."""
    position = 0
    while position < limit:
        step = min(_CHUNK, limit - position)
        if a[position : position + step] != b[position : position + step]:
            return position + _bisect_same(lambda n: a[position : position + n] == b[position : position + n], step)
        position += step
    return limit


def common_suffix_length(a: bytes, b: bytes, limit: int) -> int:
    """Length of the common suffix of ``a`` and ``b``, at most ``limit``."""
    length = 0
    end_a, end_b = len(a), len(b)
    while length < limit:
        step = min(_CHUNK, limit - length)
        if a[end_a - length - step : end_a - length] != b[end_b - length - step : end_b - length]:
            return length + _bisect_same(
                lambda n: a[end_a - length - n : end_a - length] == b[end_b - length - n : end_b - length], step)
        length += step
    return limit


def _bisect_same(same: object, limit: int) -> int:
    """The largest n < limit with same(n) true (same(0) is true and same(limit) false)."""
    low, high = 0, limit - 1
    while low < high:
        middle = (low + high + 1) // 2
        if same(middle):  # type: ignore[operator]
            low = middle
        else:
            high = middle - 1
    return low
