"""Services over the TOTP second factor (django-otp): the device decides who may pass the second
sign-in step, so creating, confirming and deleting one is audited like any grant."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import audit
from .vocabulary import AccountEvent


def totp_device_for(*, user) -> TOTPDevice:
    """The user's device: their confirmed one, else the one being set up, else a new unconfirmed one
    (audited when created)."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()
    if device is not None:
        return device
    with transaction.atomic():
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
        audit(type=AccountEvent.TOTP_DEVICE_CREATED, actor=user, obj=device, data={"user": user.pk})
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, actor) -> TOTPDevice:
    """Mark the device confirmed after the first correct code (its owner set it up)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit(type=AccountEvent.TOTP_DEVICE_CONFIRMED, actor=actor, obj=device, data={"user": device.user_id})
    return device


@transaction.atomic
def totp_device_delete(*, device: TOTPDevice, actor) -> None:
    """An administrator's reset of a lost device: the owner sets up a new one at the next sign-in."""
    audit(type=AccountEvent.TOTP_DEVICE_DELETED, actor=actor, obj=device, data={"user": device.user_id})
    device.delete()
