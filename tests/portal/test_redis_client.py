"""The Redis cache keeps one ``redis.Redis`` per connection pool (Django builds one per
call, which cost more than the round trip), and sharing it across threads is safe."""

import threading
import uuid

import pytest
from django.conf import settings

from core.resilience import FailOpenRedisCache

pytestmark = pytest.mark.redis


@pytest.fixture
def backend():
    cache = FailOpenRedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_every_call_uses_the_same_client(backend):
    backend.set("answer", 42)
    client = backend._cache.get_client(write=True)

    assert backend.get("answer") == 42
    assert backend._cache.get_client(write=False) is client


def test_threads_sharing_the_client_each_read_their_own_values(backend):
    errors = []

    def work(n):
        for i in range(50):
            backend.set(f"key-{n}-{i}", (n, i))
            if backend.get(f"key-{n}-{i}") != (n, i):
                errors.append((n, i))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []


def test_a_counter_counts_in_one_transaction_and_expires(backend):
    assert [backend.count_hit("window", 60) for _ in range(3)] == [1, 2, 3]
    assert backend.get("window") == 3
    key = backend.make_and_validate_key("window")
    client = backend._cache.get_client(key)
    assert 0 < client.ttl(key) <= 60
    # Later hits do not move the expiry: the window ends when it ends.
    client.expire(key, 30)
    backend.count_hit("window", 60)
    assert client.ttl(key) <= 30
