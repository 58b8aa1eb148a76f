"""Pure rules of the organisation app: plain values in, plain values out."""

import datetime as dt
import ipaddress

from django.utils.translation import gettext as _

from .roles import ADMINISTRATOR_ROLES


def role_change_refusal(
    *,
    actor_id: int | None,
    user_id: int,
    actor_may_grant: bool,
    resulting_roles: frozenset[str] | set[str] = frozenset(),
    superuser_change: bool = False,
    superuser_editable: bool = False,
) -> str | None:
    """Why a change of `user_id`'s roles, discipline-body memberships or superuser flag by `actor_id`
    is refused, or None when it may proceed. `resulting_roles` are the account's group names after
    the change.

    三员分立 (GB/T 22239-2019 8.1.4.1 访问控制 c "授予管理用户所需的最小权限，实现管理用户的权限分离"
    and 8.1.10.2 授权和审批): only the 安全保密管理员 grants roles and memberships; no one grants a
    role to themselves or withdraws their own (grants are approved by someone other than the one
    receiving them); no account holds two of 系统管理员、安全保密管理员、安全审计员, since each of the
    three checks the others. The superuser flag is not set through the product's pages in production
    (it would bypass every role and body boundary, DESIGN §7 "administrators do not read content")."""
    if actor_id is None or not actor_may_grant:
        return _("只有安全保密管理员可以变更角色、纪检监察机构成员身份和权限。")
    if actor_id == user_id:
        return _("不能为自己授予或撤销角色、纪检监察机构成员身份或超级用户权限，须由其他管理员办理。")
    if combined := administrator_roles_refusal(resulting_roles):
        return combined
    if superuser_change and not superuser_editable:
        return _("生产环境中不能通过页面设置超级用户。")
    return None


def administrator_roles_refusal(role_names) -> str | None:
    """Why `role_names` may not be one account's: more than one of the three administrators' roles
    (三员分立, GB/T 22239-2019 8.1.4.2 d); None when they may."""
    if len(ADMINISTRATOR_ROLES.intersection(role_names)) > 1:
        return _("系统管理员、安全保密管理员、安全审计员三种角色不能由同一账号兼任（三员分立）。")
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
