"""Site-wide roles. Per-group roles live in groups/permissions.py."""


def is_leadership(user) -> bool:
    """Leadership is a permission, granted in the admin through the 'Leiding' group."""
    if not user.is_authenticated:
        return False
    held = getattr(user, "holds_leadership_permission", None)  # see hub/auth_backends.py
    if held is not None:
        return bool(user.is_active and (user.is_superuser or held))
    return user.has_perm("hub.review_ideas")


def can_use_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)
