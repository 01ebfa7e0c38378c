"""Unit tests of real_timing.py on a simulated device (no GPU, no wall-clock time):
python3 -m unittest discover -s tools/bench/torch -p 'test_*.py'"""

import gc
import unittest

from real_timing import Lane, percentile, pipelined, summarize

US = 1000  # nanoseconds


class SimulatedDevice:
    """A clock in nanoseconds that only moves when the simulated host or device works:
    a launch costs `launch_ns` of host time, a request finishes `service_ns` after its
    launch returns (every lane runs independently), and a wait moves the clock to the
    finish of that lane's last request."""

    def __init__(self, lanes, service_ns, launch_ns=1 * US):
        self.now = 0
        self.service_ns = service_ns
        self.launch_ns = launch_ns
        self.finish = [None] * lanes
        self.launches = [0] * lanes
        self.waits = []

    def clock(self):
        return self.now

    def lane(self, i):
        def launch():
            assert self.finish[i] is None, "a lane was launched twice without a wait"
            self.now += self.launch_ns
            self.finish[i] = self.now + self.service_ns
            self.launches[i] += 1

        def wait():
            self.now = max(self.now, self.finish[i])
            self.finish[i] = None
            self.waits.append(i)

        return Lane(launch, wait)


class PercentileTest(unittest.TestCase):
    def test_nearest_rank_below(self):
        values = list(range(1, 101))
        self.assertEqual(percentile(values, 0.5), 51)
        self.assertEqual(percentile(values, 0.99), 100)
        self.assertEqual(percentile([7], 0.99), 7)
        self.assertIsNone(percentile([], 0.5))

    def test_summary_units(self):
        s = summarize([100 * US, 200 * US, 300 * US], 3, 1_000_000 * US)
        self.assertEqual(s["p50Us"], 200.0)
        self.assertEqual(s["p99Us"], 300.0)
        self.assertAlmostEqual(s["throughputPerS"], 3.0)
        self.assertEqual(s["calls"], 3)


class PipelinedTest(unittest.TestCase):
    def run_lanes(self, n, service_us, **kw):
        dev = SimulatedDevice(n, service_us * US)
        result = pipelined([dev.lane(i) for i in range(n)], clock=dev.clock, **kw)
        return dev, result

    def test_one_lane_is_call_then_wait(self):
        dev, r = self.run_lanes(1, 100, warmup_s=0.001, measure_s=0.01)
        # Each request: 1 us of launch, then 100 us on the device.
        self.assertEqual(r["p50Us"], 101.0)
        self.assertEqual(r["p99Us"], 101.0)
        self.assertAlmostEqual(r["throughputPerS"], 1e6 / 101, delta=1)
        self.assertGreaterEqual(r["calls"], 98)

    def test_waits_for_the_oldest_request_first(self):
        dev, _ = self.run_lanes(4, 50, warmup_s=0.0005, measure_s=0.002)
        self.assertEqual(dev.waits[:12], [0, 1, 2, 3] * 3)
        for k, lane in enumerate(dev.waits):
            self.assertEqual(lane, k % 4)

    def test_lanes_overlap_on_the_device(self):
        _, one = self.run_lanes(1, 200, warmup_s=0.001, measure_s=0.02)
        _, four = self.run_lanes(4, 200, warmup_s=0.001, measure_s=0.02)
        # Four independent lanes finish about four requests per service time.
        self.assertAlmostEqual(four["throughputPerS"] / one["throughputPerS"], 4.0, delta=0.1)
        self.assertEqual(four["p50Us"], 201.0)

    def test_every_launch_is_waited_for(self):
        dev, r = self.run_lanes(8, 30, warmup_s=0.0005, measure_s=0.003)
        self.assertEqual(sum(dev.launches), len(dev.waits))
        self.assertTrue(all(f is None for f in dev.finish))
        self.assertLess(r["calls"], sum(dev.launches))  # warm-up requests are not counted

    def test_a_free_lane_stops_at_max_calls(self):
        # A lane that costs nothing never advances the clock: the loop must still end.
        free = Lane(lambda: None, lambda: None)
        r = pipelined([free], clock=lambda: 0, max_calls=1000)
        self.assertEqual(r["calls"], 0)
        self.assertIsNone(r["throughputPerS"])

    def test_a_failing_lane_is_drained_and_raises(self):
        dev = SimulatedDevice(2, 10 * US)
        good = dev.lane(0)
        calls = {"n": 0}

        def bad_wait():
            calls["n"] += 1
            raise RuntimeError("execute failed")

        bad = Lane(dev.lane(1).launch, bad_wait)
        with self.assertRaises(RuntimeError):
            pipelined([good, bad], clock=dev.clock)
        self.assertIsNone(dev.finish[0])  # the healthy lane's request was waited for

    def test_the_collector_is_off_while_measuring_and_restored_after(self):
        seen = []
        dev = SimulatedDevice(1, 10 * US)
        inner = dev.lane(0)
        lane = Lane(lambda: (seen.append(gc.isenabled()), inner.launch()), inner.wait)
        gc.enable()
        pipelined([lane], warmup_s=0.0001, measure_s=0.001, clock=dev.clock)
        self.assertTrue(seen and not any(seen))
        self.assertTrue(gc.isenabled())
        gc.disable()
        try:
            pipelined([Lane(lambda: None, lambda: None)], clock=lambda: 0, max_calls=10)
            self.assertFalse(gc.isenabled())  # a caller's own setting is left as it was
        finally:
            gc.enable()
        with self.assertRaises(RuntimeError):
            pipelined([Lane(lambda: None, lambda: (_ for _ in ()).throw(RuntimeError("x")))])
        self.assertTrue(gc.isenabled())

    def test_needs_a_lane(self):
        with self.assertRaises(ValueError):
            pipelined([])


if __name__ == "__main__":
    unittest.main()
