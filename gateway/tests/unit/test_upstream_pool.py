"""The forwarding pool: idle connections dropped before the services would close them,
and a busy pool waited for rather than taken for a failing service."""

from __future__ import annotations

from crm_chassis.settings import ServiceSettings
from gateway.proxy.forward import upstream_session
from gateway.settings import UpstreamSettings


def test_idle_upstream_connections_are_dropped_before_the_services_drop_them() -> None:
    # A service closing an idle connection first races the gateway reusing it: the
    # request then fails ("Can not write request body") and counts against the circuit.
    service_default = ServiceSettings.model_fields["http_keep_alive_seconds"].default
    assert UpstreamSettings().keepalive_seconds < service_default


async def test_the_forwarding_pool_uses_the_configured_idle_time() -> None:
    session = upstream_session(UpstreamSettings(keepalive_seconds=12.5), connections=10)
    try:
        assert session.connector is not None
        assert session.connector._keepalive_timeout == 12.5
    finally:
        await session.close()


async def test_waiting_for_a_pooled_connection_is_not_bounded_by_the_connect_timeout() -> None:
    settings = UpstreamSettings(connect_timeout_seconds=1.0, pool_wait_seconds=10.0)
    session = upstream_session(settings, connections=10)
    try:
        assert session.timeout.sock_connect == 1.0
        assert session.timeout.connect == 10.0
    finally:
        await session.close()
