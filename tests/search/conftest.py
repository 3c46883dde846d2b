import pytest

from .corpus import build_corpus


@pytest.fixture
def corpus(db):
    return build_corpus()
