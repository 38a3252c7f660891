"""A client for the configured cluster, and the one place its failures become clear messages."""

from __future__ import annotations

from opensearchpy import OpenSearch
from opensearchpy.exceptions import AuthenticationException, AuthorizationException, ConnectionError, TransportError

from backends.opensearch.settings import OpenSearchSettings


class ClusterUnavailable(Exception):
    """The cluster cannot be used: unreachable, refusing our credentials, or red."""


def connect(settings: OpenSearchSettings) -> OpenSearch:
    """A client (retrying on timeouts and unavailable nodes), checked: the cluster answers and is
    not red."""
    auth = (settings.user, settings.password or "") if settings.user else None
    client = OpenSearch(hosts=settings.urls, http_auth=auth, verify_certs=settings.verify_certs,
                        ssl_show_warn=False, timeout=settings.timeout, max_retries=3, retry_on_timeout=True)
    status = health(client, settings)
    if status == "red":
        raise ClusterUnavailable(f"the OpenSearch cluster at {settings.url} is red (some data unavailable); "
                                 "fix it before using it")
    return client


def health(client: OpenSearch, settings: OpenSearchSettings) -> str:
    try:
        return str(client.cluster.health(request_timeout=min(settings.timeout, 10.0))["status"])
    except (AuthenticationException, AuthorizationException) as e:
        raise ClusterUnavailable(f"the OpenSearch cluster at {settings.url} refused our credentials "
                                 f"({e.status_code}): check the user and password") from None
    except ConnectionError as e:
        raise ClusterUnavailable(f"cannot reach an OpenSearch cluster at {settings.url} "
                                 f"({type(e.info).__name__ if e.info else 'connection refused'})") from None
    except TransportError as e:
        raise ClusterUnavailable(f"the OpenSearch cluster at {settings.url} answered {e.status_code}: "
                                 f"{e.error}") from None
