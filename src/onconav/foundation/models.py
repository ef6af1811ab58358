"""Shared model building blocks: the abstract base model (no tables of its own)."""

from __future__ import annotations

import uuid

from django.db import models


class BaseModel(models.Model):
    """UUID public id for URLs and the API (never sequential ids for patient data),
    creation and update times, and newest-first ordering."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]
