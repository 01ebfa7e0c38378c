"""Time-bounded, pipelined timing of requests in flight: the loop every anchor row uses.

A lane is one independent way to run a request (an execution context and its
stream, a CUDA graph, a PyTorch model): `launch()` enqueues one request and
returns at once, `wait()` returns when that lane's last request is done. With N
lanes the loop keeps N requests in flight from one thread: it launches on every
lane, then repeatedly waits for the OLDEST request, records its latency (its
launch to its wait returning), and launches on that lane again. One lane is the
plain "call, then synchronize" loop.

Pure Python with an injectable clock, so the scheduling and the statistics are
tested without a GPU (test_real_timing.py).
"""

import collections
import gc
import time


def percentile(sorted_values, p):
    """The value at fraction p of a sorted list (nearest rank below), as bench_torch.py reports."""
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(p * len(sorted_values)))]


def summarize(latencies_ns, completed, window_ns):
    """p50/p99 in microseconds and requests per second over the measured window."""
    s = sorted(latencies_ns)
    return {
        "p50Us": percentile(s, 0.5) / 1000.0 if s else None,
        "p99Us": percentile(s, 0.99) / 1000.0 if s else None,
        "throughputPerS": completed / (window_ns / 1e9) if window_ns > 0 else None,
        "calls": completed,
    }


def pipelined(lanes, warmup_s=0.1, measure_s=0.4, clock=time.perf_counter_ns, max_calls=1_000_000):
    """Runs len(lanes) requests in flight for warmup_s, then measures for measure_s.

    Returns summarize() of the requests that completed inside the measured window
    (the window starts at the first completion after the warm-up), so a slow
    request is always waited for and a point never stops mid-request. max_calls
    bounds a point whose requests cost nothing (a broken lane) instead of spinning.

    Python's garbage collector is off while the point runs (as timeit does): with
    torch and transformers loaded, one full collection takes milliseconds and would
    land in a random request's latency.
    """
    if not lanes:
        raise ValueError("pipelined() needs at least one lane")
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        return _pipelined(lanes, warmup_s, measure_s, clock, max_calls)
    finally:
        if was_enabled:
            gc.enable()


def _pipelined(lanes, warmup_s, measure_s, clock, max_calls):
    warmup_ns, measure_ns = int(warmup_s * 1e9), int(measure_s * 1e9)
    in_flight = collections.deque()  # (lane index, launch time), oldest first
    begin = clock()
    for i, lane in enumerate(lanes):
        t0 = clock()
        lane.launch()
        in_flight.append((i, t0))
    window_start = None
    latencies = []
    calls = 0
    try:
        while True:
            i, t0 = in_flight.popleft()
            lanes[i].wait()
            now = clock()
            calls += 1
            if window_start is None:
                if now - begin >= warmup_ns:
                    window_start = now
            else:
                latencies.append(now - t0)
                if now - window_start >= measure_ns:
                    break
            if calls >= max_calls:
                break
            t0 = clock()
            lanes[i].launch()
            in_flight.append((i, t0))
    finally:
        # Leave nothing running on the device for the next point (or after an error).
        while in_flight:
            i, _ = in_flight.popleft()
            lanes[i].wait()
    return summarize(latencies, len(latencies), now - window_start if window_start is not None else 0)


class Lane:
    """A lane from two callables."""

    def __init__(self, launch, wait):
        self.launch = launch
        self.wait = wait
