from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.core.management import call_command
from django.db import migrations


def create_leadership_group(apps, schema_editor):
    """The 'Leiding' auth group carries hub.review_ideas; staff add people to it in the admin."""
    hub_config = apps.get_app_config("hub")
    hub_config.models_module = True  # create_permissions skips apps without models_module
    create_permissions(hub_config, apps=apps, verbosity=0)
    hub_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="hub", codename="review_ideas")
    group, _ = Group.objects.get_or_create(name=settings.KRING_LEADERSHIP_GROUP)
    group.permissions.add(permission)


def create_cache_table(apps, schema_editor):
    # Only does something when the embedded DatabaseCache is configured.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_leadership_group, migrations.RunPython.noop),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
