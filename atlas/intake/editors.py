"""Who may change the atlas's data: editors with hashed passwords, kept by the store (the
editors file named by ``ATLAS_EDITORS_FILE``, or the database), never in the repository.

Passwords are stored as scrypt hashes (``hashlib.scrypt``, random salt, N = 2^17 as OWASP's
password storage guidance asks); a sign-in compares in constant time, and a hash made with a
smaller N (before 2026-12) is made again at the editor's next successful sign-in.
``atlas.intake.sign_in`` slows repeated failures down. With no editor
configured the app is read-only; the command line keeps working for whoever has
the files.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from atlas.data.store import open_store
from atlas.errors import OptionError

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
MAX_SCRYPT_N = 2**20  # a stored hash asking for more is refused, not computed (a tampered file)
SCRYPT_MAXMEM = 256 * 2**20  # scrypt needs 128 * r * N bytes: 128 MiB at N = 2^17
MIN_PASSWORD_CHARS = 10
NAME = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash`` of ``password`` with a fresh random salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=SCRYPT_MAXMEM)
    encode = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt)}${encode(digest)}"


def password_matches(password: str, stored: str) -> bool:
    """True when ``password`` hashes to ``stored`` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt" or int(n) > MAX_SCRYPT_N or int(r) > 16 or int(p) > 4:
            return False
        computed = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), maxmem=4 * SCRYPT_MAXMEM
        )
    except ValueError:
        return False
    return hmac.compare_digest(computed, base64.b64decode(digest))


def load_editors() -> dict[str, str]:
    """Editor name -> password hash; empty when no editor is configured."""
    return open_store().editors()


def add_editor(name: str, password: str) -> str:
    """Add or replace editor ``name`` with ``password`` (at least ``MIN_PASSWORD_CHARS``);
    returns where the editors are kept."""
    if not NAME.fullmatch(name):
        raise OptionError(f"{name!r} is not an editor name: 2-40 letters, digits, '.', '_' or '-'")
    if len(password) < MIN_PASSWORD_CHARS:
        raise OptionError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")
    store = open_store()
    store.save_editors({**store.editors(), name: hash_password(password)})
    return store.description


def remove_editor(name: str) -> str:
    """Remove editor ``name``; returns where the editors are kept."""
    store = open_store()
    editors = store.editors()
    if name not in editors:
        raise OptionError(f"{name!r} is not an editor")
    del editors[name]
    store.save_editors(editors)
    return store.description


def check_sign_in(name: str, password: str) -> bool:
    """True when ``name`` is an editor and ``password`` is theirs; an older, weaker hash of a
    matching password is replaced by a current one."""
    store = open_store()
    editors = store.editors()
    stored = editors.get(name)
    if stored is None:
        hash_password(password)  # the same work for an unknown name: no timing hint
        return False
    if not password_matches(password, stored):
        return False
    if needs_upgrade(stored):
        store.save_editors({**editors, name: hash_password(password)})
    return True


def needs_upgrade(stored: str) -> bool:
    """True for a hash made with weaker settings than today's."""
    parts = stored.split("$")
    return len(parts) != 6 or parts[1:4] != [str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P)]
