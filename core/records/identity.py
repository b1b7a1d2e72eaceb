"""Whether a signed-in identity (the ID token's claims, as ``st.user`` carries them) may be taken as its e-mail.

The role comes from the register's users, keyed by e-mail; so the e-mail must be one the provider vouches for and
the token must come from the provider the region configured:

- ``email_verified``: where the provider says (the claim is present), it must be true. A provider that does not
  send the claim (Microsoft Entra ID does not; its addresses are the tenant's own) is taken at its word.
- ``iss``: must be the configured provider's issuer. The issuer is the provider section's ``issuer`` when the
  region sets one (in ``.streamlit/secrets.toml`` ``[auth]``, or ``[auth.<name>]`` for a named provider), else
  its ``server_metadata_url`` without ``/.well-known/openid-configuration`` (OpenID Connect Discovery: the
  metadata of issuer X is at X + that path; Google's, Entra ID's per tenant). When neither gives an issuer (or the
  session's provider is not configured) the identity is refused: an unknown issuer is never accepted.
"""

from __future__ import annotations

from collections.abc import Mapping

WELL_KNOWN = "/.well-known/openid-configuration"
DEFAULT_PROVIDER = "default"  # st.login() without a name: the [auth] section itself


def configured_issuer(auth: Mapping[str, object], provider: str | None) -> str | None:
    """The issuer of ``provider`` (``st.user``'s ``provider``) in the ``[auth]`` settings; None if it cannot be known."""
    section: object = auth if not provider or provider == DEFAULT_PROVIDER else auth.get(provider)
    if not isinstance(section, Mapping):
        return None
    explicit = str(section.get("issuer") or "").strip()
    if explicit:
        return explicit
    metadata = str(section.get("server_metadata_url") or "").strip()
    if metadata.endswith(WELL_KNOWN) and len(metadata) > len(WELL_KNOWN):
        return metadata[: -len(WELL_KNOWN)]
    return None


def _same_issuer(a: str, b: str) -> bool:
    return a.strip().rstrip("/") == b.strip().rstrip("/")


def _says_false(value: object) -> bool:
    """``email_verified`` as providers send it: a boolean, or (some) the string "true"/"false"."""
    return value is not True and str(value).strip().lower() != "true"


def refusal(claims: Mapping[str, object], issuer: str | None) -> str | None:
    """Why these claims are not a signed-in user (a ``auth.refused_<code>`` text), or None if they are.

    ``unverified``: the provider says the e-mail is not verified; ``issuer``: the token is not from the configured
    issuer (or carries none); ``issuer_unknown``: the configured provider's issuer cannot be known."""
    if "email_verified" in claims and _says_false(claims["email_verified"]):  # null too: present, and not true
        return "unverified"
    if issuer is None:
        return "issuer_unknown"
    iss = claims.get("iss")
    if not isinstance(iss, str) or not _same_issuer(iss, issuer):
        return "issuer"
    return None
