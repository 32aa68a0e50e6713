"""Where files live. Private files (complaint attachments) have no public URL: a view that
checks the policy streams them."""

from django.core.files.storage import storages


def private_storage():
    return storages["private"]
