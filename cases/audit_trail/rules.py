"""Pure rules of the audit trail's keeping: how full is too full. Plain values in and out."""

from dataclasses import dataclass

STORAGE = "storage"
DATABASE = "database"


@dataclass(frozen=True)
class StorageCondition:
    """One store at or above the threshold: which, how full (percent, rounded down), the threshold."""

    name: str
    percent: int
    threshold: int


def storage_conditions(*, disk_total: int, disk_used: int, db_size: int, db_capacity: int, threshold: int) -> list[StorageCondition]:
    """The stores at least `threshold` percent full: the volume of the private storage (anchor,
    evidence, exports) and the database against the capacity the deployer gives it (`db_capacity`
    0: not watched). The audit trail is kept at least 6 months and never deleted (网络安全法 第二十一条),
    so it only grows: the 安全审计员 must hear before the disk fills and writes start failing
    (GB/T 22239-2019 8.1.4.3 c: 审计记录应进行保护……避免受到未预期的删除、修改或覆盖)."""
    found = []
    for name, used, total in ((STORAGE, disk_used, disk_total), (DATABASE, db_size, db_capacity)):
        if total <= 0:
            continue
        percent = used * 100 // total
        if percent >= threshold:
            found.append(StorageCondition(name=name, percent=percent, threshold=threshold))
    return found
