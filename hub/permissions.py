"""Site-wide roles. Per-group roles live in groups/permissions.py."""


def is_leadership(user) -> bool:
    """Leadership is a permission, granted in the admin through the 'Leiding' group."""
    return bool(user.is_authenticated and user.has_perm("hub.review_ideas"))


def can_use_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)
