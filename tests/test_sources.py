"""Obtaining the pinned upstream files: mirror, checksum, download and the offline error."""

import io
import shutil
import urllib.error

import pytest

from atlas.data import sources
from atlas.errors import ChecksumError, SourceUnavailableError

KOTA = sources.village_file("33.75")


def test_pinned_sums_cover_the_pekalongan_files():
    sums = sources.pinned_sums()
    for path in (KOTA, sources.village_file("33.26"), sources.kabkota_file("33"), sources.kecamatan_file("33")):
        assert len(sums[path]) == 64


def test_mirror_file_is_verified(mirror):
    assert sources.obtain(KOTA) == mirror / KOTA


def test_tampered_mirror_file_is_rejected(mirror, tmp_path, monkeypatch):
    fake = tmp_path / "mirror"
    (fake / KOTA).parent.mkdir(parents=True)
    data = (mirror / KOTA).read_bytes()
    (fake / KOTA).write_bytes(data.replace(b"Kauman", b"Kaumen", 1))
    monkeypatch.setenv("ATLAS_DATA_MIRROR", str(fake))
    with pytest.raises(ChecksumError, match="does not match the pinned upstream file"):
        sources.obtain(KOTA)


def test_file_missing_from_mirror_says_which(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_MIRROR", str(tmp_path))
    with pytest.raises(SourceUnavailableError, match="missing from the mirror"):
        sources.obtain(KOTA)


def test_unpinned_file_is_refused():
    with pytest.raises(SourceUnavailableError, match="not among the pinned upstream files"):
        sources.obtain(sources.village_file("35.01"))


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def test_download_is_verified_and_cached(mirror, tmp_path, monkeypatch):
    monkeypatch.delenv("ATLAS_DATA_MIRROR")
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path))
    urls = []

    def fake_urlopen(url, timeout):
        urls.append(url)
        return FakeResponse((mirror / KOTA).read_bytes())

    monkeypatch.setattr(sources.urllib.request, "urlopen", fake_urlopen)
    local = sources.obtain(KOTA)
    assert urls == [sources.UPSTREAM_URL.format(path=KOTA)]
    assert sources.UPSTREAM_COMMIT in urls[0]
    assert local.read_bytes() == (mirror / KOTA).read_bytes()
    sources.obtain(KOTA)  # the second call uses the cached copy
    assert len(urls) == 1


def test_corrupt_download_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("ATLAS_DATA_MIRROR")
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(
        sources.urllib.request, "urlopen", lambda url, timeout: FakeResponse(b"<html>rate limited</html>")
    )
    with pytest.raises(ChecksumError):
        sources.obtain(KOTA)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_offline_without_mirror_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv("ATLAS_DATA_MIRROR")
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path))

    def no_network(url, timeout):
        raise urllib.error.URLError("Temporary failure in name resolution")

    monkeypatch.setattr(sources.urllib.request, "urlopen", no_network)
    with pytest.raises(SourceUnavailableError, match="export ATLAS_DATA_MIRROR="):
        sources.obtain(KOTA)


def test_cached_download_with_wrong_bytes_is_rejected(mirror, tmp_path, monkeypatch):
    monkeypatch.delenv("ATLAS_DATA_MIRROR")
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path))
    cached = tmp_path / "upstream" / sources.UPSTREAM_COMMIT / KOTA
    cached.parent.mkdir(parents=True)
    shutil.copy(mirror / sources.village_file("33.26"), cached)
    with pytest.raises(ChecksumError, match="delete it to download it again"):
        sources.obtain(KOTA)
