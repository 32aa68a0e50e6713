"""API throttles that name the client the way the rest of the platform does.

django-ninja's own throttles read the forwarding header as the client wrote it (its proxy count is
unset), so rotating that header defeated every API limit; and its anonymous throttles of every
endpoint share one counter per address. Each throttle here counts under its own scope, on
`ratelimit.client_key`.
"""

from ninja.throttling import SimpleRateThrottle

from qualitymonth.core import ratelimit


class AddressThrottle(SimpleRateThrottle):
    """At most `rate` requests per client address (signed in or not) to the operations that
    share `scope`."""

    def __init__(self, scope: str, rate: str):
        self.scope = scope
        super().__init__(rate)

    def get_cache_key(self, request) -> str:
        return f"throttle:{self.scope}:{ratelimit.client_key(request)}"

    def get_ident(self, request) -> str:  # never ninja's reading of the forwarding header
        return ratelimit.client_key(request)
