"""Request counts, latencies, timeouts and refusals, in the Prometheus text format."""

import time
from bisect import bisect_left
from collections import Counter

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
PREFIX = "smartcity_kg"


class Metrics:
    """What the server has done since it started."""

    def __init__(self):
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.latency: dict[str, list[int]] = {}
        self.latency_sum: Counter[str] = Counter()
        self.timeouts = 0
        self.refusals: Counter[str] = Counter()

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests[method, route, status] += 1
        counts = self.latency.setdefault(route, [0] * (len(BUCKETS) + 1))
        counts[bisect_left(BUCKETS, seconds)] += 1
        self.latency_sum[route] += seconds

    def render(self, gauges: dict[str, float]) -> str:
        """The Prometheus exposition text; `gauges` adds current values by name."""
        out = [
            f"# HELP {PREFIX}_requests_total HTTP requests by method, route and status.",
            f"# TYPE {PREFIX}_requests_total counter",
        ]
        for (method, route, status), n in sorted(self.requests.items()):
            labels = f'method="{method}",route="{_escape(route)}",status="{status}"'
            out.append(f"{PREFIX}_requests_total{{{labels}}} {n}")
        out += [
            f"# HELP {PREFIX}_request_duration_seconds Time to answer a request, by route.",
            f"# TYPE {PREFIX}_request_duration_seconds histogram",
        ]
        for route, counts in sorted(self.latency.items()):
            label = f'route="{_escape(route)}"'
            running = 0
            for bound, n in zip((*BUCKETS, "+Inf"), counts, strict=True):
                running += n
                out.append(
                    f'{PREFIX}_request_duration_seconds_bucket{{{label},le="{bound}"}} {running}'
                )
            out.append(
                f"{PREFIX}_request_duration_seconds_sum{{{label}}} {self.latency_sum[route]:.6f}"
            )
            out.append(f"{PREFIX}_request_duration_seconds_count{{{label}}} {running}")
        out += [
            f"# HELP {PREFIX}_query_timeouts_total Queries stopped at the time limit.",
            f"# TYPE {PREFIX}_query_timeouts_total counter",
            f"{PREFIX}_query_timeouts_total {self.timeouts}",
            f"# HELP {PREFIX}_refusals_total Requests refused by the protection rules, by rule.",
            f"# TYPE {PREFIX}_refusals_total counter",
        ]
        out += [
            f'{PREFIX}_refusals_total{{rule="{_escape(rule)}"}} {n}'
            for rule, n in sorted(self.refusals.items())
        ]
        for name, value in gauges.items():
            out += [f"# TYPE {PREFIX}_{name} gauge", f"{PREFIX}_{name} {value:g}"]
        return "\n".join(out) + "\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class MetricsMiddleware:
    """ASGI middleware timing every HTTP request by its route template."""

    def __init__(self, app, metrics: Metrics):
        self.app, self.metrics = app, metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = 500

        async def sending(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.observe(scope["method"], route, status, time.perf_counter() - started)
