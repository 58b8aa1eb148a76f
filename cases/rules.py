"""Pure rules of the organisation app: plain values in, plain values out."""

import datetime as dt
import ipaddress

from django.utils.translation import gettext as _


def role_change_refusal(*, actor_id: int | None, user_id: int, actor_may_manage: bool, superuser_change: bool, superuser_editable: bool) -> str | None:
    """Why a change of `user_id`'s roles, discipline-body memberships or superuser flag by `actor_id`
    is refused, or None when it may proceed.

    No one grants a role to themselves or withdraws their own (等保 2.0 三级 安全管理 "授权与审批",
    GB/T 22239-2019 8.1.10.2: grants are approved by someone other than the one receiving them);
    only account administrators change roles; the superuser flag is not set through the product's
    pages in production (it would bypass every role and body boundary, DESIGN §7 "administrators do
    not read content")."""
    if actor_id is None or not actor_may_manage:
        return _("只有账户管理员可以变更角色和权限。")
    if actor_id == user_id:
        return _("不能为自己授予或撤销角色、纪检监察机构成员身份或超级用户权限，须由其他管理员办理。")
    if superuser_change and not superuser_editable:
        return _("生产环境中不能通过页面设置超级用户。")
    return None


def worker_silence_minutes(*, last_pulse: dt.datetime | None, waiting_since: dt.datetime, now: dt.datetime, limit_seconds: float) -> int | None:
    """For how many whole minutes (at least 1) no worker has answered while something waits on one,
    or None while the silence is shorter than `limit_seconds`.

    DESIGN §2: the database is the source of truth and the broker only a doorbell, so nothing is lost
    while the worker is down; but whoever waits must be told (issue 19, "nobody may wait on a dead
    one"). The silence counts from the last answer; when no worker ever answered, from when the wait
    began."""
    quiet_since = last_pulse or waiting_since
    silence = (now - quiet_since).total_seconds()
    if silence < limit_seconds:
        return None
    return max(1, int(silence // 60))


def pulse_late(*, at: dt.datetime | None, now: dt.datetime, limit_seconds: float) -> bool:
    """Whether a heartbeat last recorded `at` (None: never) is overdue: older than `limit_seconds`."""
    return at is None or (now - at).total_seconds() > limit_seconds


def client_address(*, remote_addr: str, forwarded_for: str, trusted_proxies: int) -> str:
    """The address of the client a request came from, given `trusted_proxies` reverse proxies between
    it and this server.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with N trusted
    proxies the N-th entry from the right is what the outermost one saw: the client. Entries further
    left were written by the client itself and are not believed (anyone can send the header). With no
    trusted proxy the header is ignored altogether and the peer (REMOTE_ADDR) is the client. A header
    shorter than the proxies, or an entry there that is no address, falls back to REMOTE_ADDR: the
    nearest proxy's address, one address for many clients but never one a client chose."""
    if trusted_proxies < 1:
        return remote_addr
    entries = [entry.strip() for entry in forwarded_for.split(",")] if forwarded_for.strip() else []
    if len(entries) < trusted_proxies:
        return remote_addr
    return normalised_address(entries[-trusted_proxies]) or remote_addr


def normalised_address(text: str) -> str:
    """`text` as an IP address in its canonical form (an IPv4 address mapped into IPv6 as IPv4, a
    bracketed IPv6 address unbracketed), or "" when it is none."""
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return ""
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)
